"""People, organisations and places named in a claim, as canonical keys."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import NamedTuple

import attrs

from factcheck.facts import lexicon, places
from factcheck.facts.base import _Hit, _is_initial
from factcheck.facts.dates import _MONTHS, _WEEKDAYS
from factcheck.records import FactKind, RoleValue


@functools.cache
def _lemmas() -> Mapping[str, str]:
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    return DefaultDictionaryFactory().get_dictionary(lexicon.LANGUAGE)


def _inflected(word: str) -> bool:
    """Whether a word is an inflected form of another English word (``rescuers``,
    ``officials``): such a word opening a sentence is not a name."""
    lemma = _lemmas().get(word)
    return lemma is not None and lemma != word


# Countries, their names, codes and demonyms come from the data packages (see places).
_ALIASES = places.country_aliases()
_COUNTRIES = places.countries()
_DEMONYMS = places.demonyms()


_CORE_TITLES = lexicon.words("entities", "core_titles")


_TITLE_MODIFIERS = lexicon.words("entities", "title_modifiers")


_GENERIC = lexicon.words("entities", "generic_nouns")


_ORG_WORDS = lexicon.words("entities", "organisation_words")


_STOP_CAPS = lexicon.words("entities", "not_names")


_DATE_WORDS = frozenset([*_MONTHS, *_WEEKDAYS, "yesterday", "today", "tomorrow", "tonight"])


_ABBREVIATIONS = lexicon.words("entities", "abbreviations")


_CAP_TOKEN_RE = re.compile(
    r"(?<![^\W_])(?:[A-Z](?:\.[A-Z])+\.?"
    r"|[A-ZÀ-ÖØ-Þ][^\W_]*(?:[’'][A-ZÀ-ÖØ-Þ][^\W_]*)?(?:-[A-ZÀ-ÖØ-Þ][^\W_]*)*)"
)


_JOIN_RE = re.compile(r"[ \t\xa0]{1,3}")


_CONNECTOR_RE = re.compile(r"[ \t\xa0]+of[ \t\xa0]+")


_DIGIT_GLUE_RE = re.compile(r"[ \t\xa0]+\d{1,4}[ \t\xa0]+")


_LOWER_WORD_RE = re.compile(r"(?<![A-Za-z])[a-z]+(?![A-Za-z])")


_LINE_RE = re.compile(r"[^\n\r]+")


_LINE_WORD_RE = re.compile(r"[A-Za-z][A-Za-z’'-]*")


_SMALL_WORDS = lexicon.words("entities", "title_case_small_words")


_MAX_RUN = 12  # tokens; longer runs of capitals are cut, which keeps the work linear


class _Token(NamedTuple):
    start: int
    end: int
    raw: str
    canon: str
    connector: bool


class _Segment(NamedTuple):
    start: int
    end: int
    key: str
    person: bool


@attrs.frozen(slots=True)
class _EntityContext:
    """What the whole document says about its capitalised words."""

    proper: frozenset[str]  # words seen capitalised away from a sentence start
    lower: frozenset[str]  # words seen in lower case
    title_lines: tuple[tuple[int, int], ...]  # title-case lines (headlines)
    surnames: dict[str, str] = attrs.field(factory=dict)  # surname -> full name
    roles: tuple[RoleValue, ...] = ()  # roles the document gives a named holder
    acronyms: dict[str, str] = attrs.field(factory=dict)  # acronym -> the name it abbreviates


def _canon(raw: str) -> str:
    return raw.replace(".", "").replace("’", "'").lower()


def _tokens(claim: str) -> list[_Token]:
    tokens: list[_Token] = []
    add = tokens.append
    for m in _CAP_TOKEN_RE.finditer(claim):
        raw = m.group()
        start, end = m.span()
        if claim.startswith(".", end) and raw.lower() in _ABBREVIATIONS:
            end += 1
            raw += "."
        # _canon(raw), inlined: this runs for every capitalised word of the text
        add(_Token(start, end, raw, raw.replace(".", "").replace("’", "'").lower(), False))
    return tokens


def _title_lines(text: str) -> tuple[tuple[int, int], ...]:
    lines: list[tuple[int, int]] = []
    for m in _LINE_RE.finditer(text):
        words = [w for w in _LINE_WORD_RE.findall(m.group()) if w.lower() not in _SMALL_WORDS]
        ended = m.group().rstrip().endswith((".", "!", "?", ".”", '."'))
        if len(words) >= 3 and not ended and all(w[0].isupper() for w in words):
            lines.append((m.start(), m.end()))
    return tuple(lines)


def _in_lines(lines: Sequence[tuple[int, int]], pos: int) -> bool:
    i = bisect.bisect_right(lines, pos, key=lambda line: line[0]) - 1
    return i >= 0 and lines[i][0] <= pos < lines[i][1]


def _runs(claim: str, tokens: Sequence[_Token] | None = None) -> list[list[_Token]]:
    """Maximal sequences of capitalised tokens, joined by spaces, ``of`` or a number.

    ``tokens`` are ``_tokens(claim)`` when the caller has them already.
    """
    runs: list[list[_Token]] = []
    current: list[_Token] = []
    for token in _tokens(claim) if tokens is None else tokens:
        breaker = token.canon in _DATE_WORDS or (len(token.raw) == 1)
        if current and not breaker and len(current) < _MAX_RUN:
            prev = current[-1]
            if _JOIN_RE.fullmatch(claim, prev.end, token.start):
                current.append(token)
                continue
            gap = _CONNECTOR_RE.fullmatch(claim, prev.end, token.start)
            if gap is not None:
                current.append(_Token(gap.start(), gap.end(), "of", "of", True))
                current.append(token)
                continue
            glue = _DIGIT_GLUE_RE.fullmatch(claim, prev.end, token.start)
            if glue is not None and prev.raw.isupper():
                number = glue.group().strip()
                offset = claim.index(number, prev.end)
                current.append(_Token(offset, offset + len(number), number, number, False))
                current.append(token)
                continue
        if current:
            runs.append(current)
        current = [] if breaker else [token]
    if current:
        runs.append(current)
    return runs


def _strip_connectors(tokens: list[_Token]) -> list[_Token]:
    while tokens and tokens[0].connector:
        tokens = tokens[1:]
    while tokens and tokens[-1].connector:
        tokens = tokens[:-1]
    return tokens


def _key(tokens: Sequence[_Token]) -> str:
    return " ".join(t.canon for t in tokens)


def _is_acronym(token: _Token) -> bool:
    letters = token.raw.replace(".", "")
    return len(letters) > 1 and letters.isupper() and letters.isalpha()


def _plain_segment(tokens: list[_Token], person: bool | None) -> list[_Segment]:
    tokens = _strip_connectors(tokens)
    if not tokens:
        return []
    key = _key(tokens)
    start, end = tokens[0].start, tokens[-1].end
    if key in _ALIASES:
        return [_Segment(start, end, _ALIASES[key], False)]
    words = [t.canon for t in tokens if not t.connector]
    if all(w in _GENERIC or w in _TITLE_MODIFIERS or w in _CORE_TITLES for w in words):
        return []
    if person is None:
        person = (
            2 <= len(tokens) <= 3
            and all(w.replace("-", "").replace("'", "").isalpha() for w in words)
            and not any(w in _ORG_WORDS or w in _TITLE_MODIFIERS for w in words)
            and not any(t.connector or _is_acronym(t) for t in tokens)
        )
    return [_Segment(start, end, key, person and len(tokens) >= 2)]


def _split(tokens: list[_Token]) -> list[_Segment]:
    """One run of capitalised tokens as entity segments (aliases, nationality, titles)."""
    out: list[_Segment] = []
    while tokens:
        key = _key(tokens)
        if key in _ALIASES:
            out.append(_Segment(tokens[0].start, tokens[-1].end, _ALIASES[key], False))
            return out
        first = tokens[0]
        if len(tokens) > 1 and _ALIASES.get(first.canon) in _COUNTRIES:
            out.append(_Segment(first.start, first.end, _ALIASES[first.canon], False))
            tokens = _strip_connectors(tokens[1:])
            continue
        break
    if not tokens:
        return out
    cores = [i for i, t in enumerate(tokens) if not t.connector and t.canon in _CORE_TITLES]
    if not cores:
        return out + _plain_segment(tokens, None)

    def titleish(t: _Token) -> bool:
        return t.connector or t.canon in _CORE_TITLES or t.canon in _TITLE_MODIFIERS

    a = b = cores[-1]
    while a > 0 and titleish(tokens[a - 1]):
        a -= 1
    while b + 1 < len(tokens) and titleish(tokens[b + 1]):
        b += 1
    return out + _plain_segment(tokens[:a], None) + _plain_segment(tokens[b + 1 :], True)


def _known(key: str, context: _EntityContext) -> bool:
    return (
        key in _ALIASES
        or key in context.proper
        or key in context.surnames.values()
        or key in context.acronyms
    )


def _segments(
    claim: str, offset: int, context: _EntityContext, tokens: Sequence[_Token] | None = None
) -> list[_Segment]:
    out: list[_Segment] = []
    for run in _runs(claim, tokens):
        initial = _is_initial(claim, run[0].start)
        while run and not run[0].connector and not _is_acronym(run[0]):
            if run[0].canon not in _STOP_CAPS:
                break
            run = run[1:]
            initial = False
        run = _strip_connectors(run)
        if not run:
            continue
        if _in_lines(context.title_lines, offset + run[0].start) and not _known(_key(run), context):
            for token in run:
                if not token.connector and (_is_acronym(token) or _known(token.canon, context)):
                    out += _split([token])
            continue
        if len(run) == 1 and initial:
            token = run[0]
            ordinary = (
                token.canon in context.lower
                or token.canon.endswith(("ing", "ly", "ed"))
                or _inflected(token.canon)
            )
            if ordinary and not (_is_acronym(token) or _known(token.canon, context)):
                continue
        out += _split(run)
    return out


class _Mention(NamedTuple):
    """An entity mention with its resolved key."""

    start: int
    end: int
    key: str
    person: bool
    demonym: bool  # a nationality adjective or plural (``Israeli``), not the country's name


def _resolve(claim: str, segments: Sequence[_Segment], context: _EntityContext) -> list[_Mention]:
    mentions: list[_Mention] = []
    for segment in segments:
        key, person = segment.key, segment.person
        if " " not in key and key not in _ALIASES and key in context.surnames:
            key, person = context.surnames[key], True
        elif key in context.acronyms:
            key = context.acronyms[key]
        raw = _canon(claim[segment.start : segment.end])
        demonym = key in _COUNTRIES and raw in _DEMONYMS
        mentions.append(_Mention(segment.start, segment.end, key, person, demonym))
    return mentions


def _mentions(claim: str, offset: int, context: _EntityContext) -> list[_Mention]:
    return _resolve(claim, _segments(claim, offset, context), context)


def _entities(mentions: Sequence[_Mention]) -> list[_Hit]:
    return [_Hit(m.start, m.end, FactKind.ENTITY, m.key) for m in mentions]


_POSSESSIVE = ("'s", "’s")


_NO_MENTION = _Mention(-1, -1, "", False, False)


class _Index:
    """A claim's entity mentions, indexed so that every lookup is a dict or bisect step."""

    __slots__ = ("_by_end", "_by_start", "_ends", "_starts", "by_end", "first_person", "mentions")

    def __init__(self, mentions: Sequence[_Mention]) -> None:
        self.mentions = sorted(mentions, key=lambda m: (m.start, -m.end))
        self._by_start: dict[int, _Mention] = {}
        self._by_end: dict[int, _Mention] = {}
        for m in self.mentions:
            self._by_start.setdefault(m.start, m)
            self._by_end.setdefault(m.end, m)
        self._starts = [m.start for m in self.mentions]
        self.by_end = sorted(self.mentions, key=lambda m: (m.end, -m.start))
        self._ends = [m.end for m in self.by_end]
        self.first_person = next((m.key for m in self.mentions if m.person), None)

    def __len__(self) -> int:
        return len(self.mentions)

    def at(self, pos: int) -> _Mention:
        """The (longest) mention that starts at ``pos``."""
        return self._by_start.get(pos, _NO_MENTION)

    def ending(self, claim: str, pos: int) -> tuple[_Mention, bool]:
        """The mention that ends just before ``pos`` (across blanks and a possessive)."""
        j = pos
        while j > 0 and claim[j - 1] in " \t\xa0":
            j -= 1
        possessive = claim[j - 2 : j] in _POSSESSIVE
        if possessive:
            j -= 2
        found = self._by_end.get(j)
        return (found, possessive) if found is not None else (_NO_MENTION, False)

    def before(self, pos: int, within: int) -> Iterator[_Mention]:
        """Mentions that end at or before ``pos``, nearest first, back to ``pos - within``."""
        i = bisect.bisect_right(self._ends, pos)
        while i > 0:
            i -= 1
            m = self.by_end[i]
            if pos - m.end > within:
                return
            yield m

    def after(self, pos: int, within: int) -> Iterator[_Mention]:
        """Mentions that start at or after ``pos``, nearest first, up to ``pos + within``."""
        i = bisect.bisect_left(self._starts, pos)
        while i < len(self.mentions):
            m = self.mentions[i]
            if m.start - pos > within:
                return
            yield m
            i += 1

    def last_ending_by(self, pos: int) -> _Mention:
        """The mention that ends last at or before ``pos`` (the longest on a tie)."""
        return next(self.before(pos, pos + 1), _NO_MENTION)


_INITIAL_SKIP = frozenset(["of", "the", "and", "for", "&"])


def _acronyms(text: str, segments: Sequence[_Segment], tokens: Sequence[_Token]) -> dict[str, str]:
    """Acronyms of the document that abbreviate a name it also gives in full
    (``FT`` for ``Financial Times``): acronym -> the full name's key."""
    found = {t.canon for t in tokens if _is_acronym(t)}
    if not found:
        return {}
    out: dict[str, str] = {}
    for segment in segments:
        words = [w for w in segment.key.split() if w not in _INITIAL_SKIP]
        if segment.person or len(words) < 2:
            continue
        initials = "".join(w[0] for w in words)
        if initials in found and initials not in _ALIASES:
            out.setdefault(initials, segment.key)
    return out
