"""Rule-based sentence segmentation of news text, with exact character offsets.

A document is cut into lines first (every line or paragraph break ends a
sentence), then each line is cut into sentences at terminal punctuation by a
small set of regular-expression rules tuned for English news copy. Each piece
is then either a :class:`~factcheck.records.Sentence` (a candidate claim) or a
:class:`~factcheck.records.Skipped` record when it is page furniture
(navigation links, share prompts, image credits, republishing notices, bylines)
or holds no letters or digits at all.

The output covers the document exactly: every non-whitespace character lies in
exactly one record, records are in text order and never overlap, and every
record's span is trimmed of surrounding whitespace.

The rules, in order of application inside one line:

* A run of ``.``, ``!``, ``?`` or ``…`` at the end of a whitespace-delimited
  token, optionally followed by closing quotes or brackets, ends a sentence when
  the next token starts with an opening quote, or (after any opening brackets)
  with an uppercase letter or a digit. A lowercase next word never starts a
  sentence, and neither does a dash.
* After a known abbreviation (``Dec.``, ``U.S.``, ``Inc.``), a single-letter
  initial (``W.``), a dotted acronym (``p.m.``) or an ellipsis, the sentence
  ends only when the next word is a typical sentence starter (``The``, ``He``,
  ``But`` ...). Personal and military titles (``Mr.``, ``Maj.``, ``Gen.``) never
  end a sentence, and neither does a list number (``1.``) opening a sentence.
* A ``?`` or ``!`` inside closing quotes followed by a capitalised word and a
  reporting verb within three words (``“Why?” Rivera asked``) continues the
  sentence.
* A period glued to a following capitalised word (``2023.Photo``) ends a
  sentence when it follows a digit or a lowercase word of two or more letters
  that is not an abbreviation, outside URLs and e-mail addresses.

A sentence longer than ``max_sentence_chars`` (default 2,000: a sentence
embedding model reads about the first 1,000 characters) is cut into pieces of
at most that length, each a sentence, at the last clause boundary (``,`` ``;``
``:`` or a dash) in the second half of the window, else at the last space; a
run without any space longer than the limit is skipped with the reason ``too
long``. Each document with such a cut gives one :class:`LongSentenceWarning`.

Furniture is recognised per piece by general patterns (``skip to main
content``, ``share this``, ``photo credit``, ``all rights reserved``,
``republished articles`` ...), so a caption stays a sentence while the credit
glued to it is skipped. A byline (``By Jane Doe``) must fill its whole line,
and once a line has turned into a republishing notice, the rest of that line
is part of the notice too.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Sequence
from typing import Protocol, runtime_checkable

import attrs

from factcheck import validation
from factcheck.errors import ConfigError, FactcheckWarning
from factcheck.records import Document, Sentence, Skipped, SkipReason

__all__ = [
    "DEFAULT_ABBREVIATIONS",
    "LongSentenceWarning",
    "RuleSegmenter",
    "Segmenter",
]


class LongSentenceWarning(FactcheckWarning):
    """A document held sentences over the segmenter's limit; they were cut or skipped."""


# ---------------------------------------------------------------------------
# Word lists


def _word_set(words: str, *, suffix: str = "") -> frozenset[str]:
    """The whitespace-separated words of ``words``, each with ``suffix`` appended."""
    return frozenset(f"{word}{suffix}" for word in words.split())


# Titles that precede a name and so never end a sentence.
_TITLES = _word_set(
    "mr mrs ms messrs mmes dr prof rev fr msgr hon amb atty supt insp det "
    "gen lt col maj capt cpt cmdr cdr adm brig sgt cpl pvt pfc spc ens "
    "sen rep reps gov pres",
    suffix=".",
)

DEFAULT_ABBREVIATIONS: frozenset[str] = _TITLES | _word_set(
    # months (AP style)
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    # US states (AP style), leaving out the ones that are common words
    "ala ariz ark calif colo conn fla ga kan kans md mich minn mont neb nev "
    "okla pa tenn va vt wis wyo n.y n.j n.c n.d n.h n.m s.c s.d w.va d.c "
    # countries and organisations
    "u.s u.s.a u.k u.n e.u "
    # companies
    "inc corp co ltd llc plc bros dept univ assn intl govt "
    # addresses and places
    "st mt ft ave blvd rd "
    # names and degrees
    "jr sr ph.d m.d "
    # everything else
    "a.m p.m vs etc e.g i.e approx est no nos fig vol pp al cf ca sec secy",
    suffix=".",
)
"""The abbreviations :class:`RuleSegmenter` knows by default (lower case, with
the final period)."""

# Capitalised words that typically open a sentence; after an abbreviation or an
# initial, a sentence ends only when one of these follows.
_STARTERS = _word_set(
    "The A An This That These Those There Here It Its He His She Her They Their "
    "We Our I You Your My But And Or So Yet As After Before When While If "
    "Although Though Since Because Meanwhile However Still Also Then Now Later "
    "Earlier Last Next According Some Many Most All Both Each Every No None One "
    "Two Three What Why How Who Where Which Such Other Another Despite During "
    "In On At For From To With Without Under Over Until Even Only Once Instead "
    "Asked Nor"
)

# Verbs of saying: ``“Why?” Rivera asked`` is one sentence.
_REPORTING_VERBS = _word_set(
    "said says say told tells asked asks added adds replied replies wrote writes "
    "tweeted posted shouted exclaimed explained insisted continued noted recalled "
    "responded answered declared demanded wondered yelled cried quipped countered "
    "stated warned according"
)

# How many tokens after a candidate end the rules look at.
_LOOKAHEAD = 6

_TERMINALS = ".!?\u2026"
_CLOSERS = "\u201d\"\u2019')]}\u00bb\u203a"
_QUOTE_CLOSERS = "\u201d\"\u2019'\u00bb\u203a"
_OPENERS = "\u201c\"\u2018'([{\u00ab\u2039\u00bf\u00a1"
_QUOTE_OPENERS = "\u201c\"\u2018'\u00ab\u2039"
_ENDINGS = frozenset(_TERMINALS + _CLOSERS)  # what a token that ends a sentence ends with

# ---------------------------------------------------------------------------
# Regular expressions

# Line breaks: exactly the characters ``str.splitlines`` breaks on.
_LINE = re.compile(r"[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")
_TOKEN = re.compile(r"\S+")
_HAS_WORD = re.compile(r"[^\W_]")
_LEADING_NON_WORD = re.compile(r"\W*")
_OPENING = re.compile(f"[{re.escape(_OPENERS)}]*")
_LETTERS = re.compile(r"[^\W\d_]+")
_GLUED_PERIOD = re.compile(r"\.(?=[^\W\d_])")
_URLISH = re.compile(r"[/@]|www\.", re.IGNORECASE)
_ACRONYM = re.compile(r"(?:[^\W\d_]{1,2}\.)+[^\W\d_]{1,2}")
_ENUMERATOR = re.compile(r"\d{1,3}|[^\W\d_]|[ivx]{1,4}|[IVX]{1,5}")
_CLAUSE_END = re.compile(r"[,;:\u2013\u2014](?=\s)|\s[\u2013\u2014-](?=\s)")
_SPACE_RUN = re.compile(r"\s+")

# Page furniture, matched against one segment (case-insensitive).
_FURNITURE: tuple[tuple[SkipReason, re.Pattern[str]], ...] = tuple(
    (reason, re.compile(pattern, re.IGNORECASE))
    for reason, pattern in (
        (
            SkipReason.NAVIGATION,
            r"^\W*(?:skip|jump)\s+to\s+(?:the\s+)?(?:main\s+)?"
            r"(?:content|navigation|menu|search|footer|article)\b",
        ),
        (SkipReason.NAVIGATION, r"\b(?:click|tap)\s+here\b"),
        (
            SkipReason.NAVIGATION,
            r"^\W*(?:read\s+more|related(?:\s+(?:articles?|stories|coverage|content))?|"
            r"advertisement|back\s+to\s+top|toggle\s+navigation|main\s+menu|menu|home|"
            r"search|(?:next|previous)\s+(?:article|story|post))\W*$",
        ),
        (SkipReason.SHARE_PROMPT, r"^\W*share\s+(?:this|on|via|the)\b"),
        (SkipReason.SHARE_PROMPT, r"\bshare\s+(?:this|the)\s+(?:article|story|post|page)\b"),
        (SkipReason.SHARE_PROMPT, r"^\W*(?:follow|like)\s+us\s+on\b"),
        (
            SkipReason.SHARE_PROMPT,
            r"\b(?:sign\s+up|subscribe)\s+(?:for|to)\s+(?:our|the)\s+(?:\w+\s+)?newsletters?\b",
        ),
        (
            SkipReason.IMAGE_CREDIT,
            r"\b(?:photo|image|media|picture|video|graphic|illustration)s?\s+"
            r"(?:credits?|courtesy)\b",
        ),
        (
            SkipReason.IMAGE_CREDIT,
            r"^\W*(?:(?:file\s+)?photo(?:graph)?|image|picture|credit|courtesy)s?"
            r"(?:\s+(?:by|via|courtesy\s+of))?\s*:",
        ),
        (SkipReason.IMAGE_CREDIT, r"^\W*(?:photo|image|picture)s?\s+(?:by|via|courtesy\s+of)\b"),
        (SkipReason.IMAGE_CREDIT, r"\bphoto\s*/\s*\w"),
        (SkipReason.REPUBLISHING_NOTICE, r"\ball\s+rights\s+reserved\b"),
        (SkipReason.REPUBLISHING_NOTICE, r"^\W*(?:©|\(c\)\s|copyright\b)"),
        (SkipReason.REPUBLISHING_NOTICE, r"\bcontent\s+created\s+by\b"),
        (
            SkipReason.REPUBLISHING_NOTICE,
            r"\brepublish(?:ed|ing)?\s+(?:articles?|content|stories|this)\b",
        ),
        (
            SkipReason.REPUBLISHING_NOTICE,
            r"\b(?:may|must)\s+not\s+be\s+(?:re)?(?:published|distributed|reproduced)\b",
        ),
        (
            SkipReason.REPUBLISHING_NOTICE,
            r"\bquestions\s+about\s+our\s+(?:guidelines|policies|terms)\b",
        ),
        (SkipReason.REPUBLISHING_NOTICE, r"\bpartner(?:ing)?\s+with\s+us\b"),
    )
)

# A byline is a whole line: "By Jane Doe", "by · The Harbor Gazette".
_BYLINE = re.compile(
    r"^(?:written\s+|reporting\s+|story\s+|words\s+)?by\b(?P<rest>.*)$", re.IGNORECASE
)
_BYLINE_MAX_WORDS = 8
_BYLINE_LOWERCASE_OK = _word_set(
    "by and of the de da del della di van von der den du le la bin al in at for with "
    "staff writer writers reporter reporters correspondent editor editors news press "
    "contributor contributors"
)


# ---------------------------------------------------------------------------
# Public API


@runtime_checkable
class Segmenter(Protocol):
    """Anything that cuts a document into sentences and skipped stretches."""

    def segment(self, document: Document) -> tuple[Sentence | Skipped, ...]:
        """Cut ``document.text`` into records in text order.

        Parameters
        ----------
        document : Document
            The document to cut.

        Returns
        -------
        tuple of Sentence or Skipped
            Non-overlapping, whitespace-trimmed records, in text order, that
            together cover every non-whitespace character of the text.
        """
        ...


_limit = validation.in_range(20, None, integer=True)


def _normalise_abbreviations(values: Iterable[str]) -> frozenset[str]:
    """Lower-case each abbreviation and make sure it ends with a period."""
    out: set[str] = set()
    for value in values:
        if not isinstance(value, str):
            raise ConfigError(f"abbreviations must be strings, got {value!r}")
        word = value.strip().lower()
        if word and word != ".":
            out.add(word if word.endswith(".") else f"{word}.")
    return frozenset(out)


@attrs.frozen(slots=True, kw_only=True, field_transformer=validation.typed)
class RuleSegmenter:
    """Regex-driven sentence segmenter for English news text.

    Parameters
    ----------
    abbreviations : iterable of str
        Words that end in a period without ending a sentence, such as
        ``"sept."`` or ``"u.s."``. Matching is case-insensitive and a missing
        final period is added. After one of these the sentence ends only when
        the next word is a typical sentence starter (``The``, ``He`` ...);
        after a personal or military title (``Mr.``, ``Gen.``) it never does.
        Defaults to :data:`DEFAULT_ABBREVIATIONS`.
    max_sentence_chars : int
        The longest sentence kept whole; a longer one is cut at clause or
        word boundaries (see the module docstring), with a
        :class:`LongSentenceWarning`.

    Notes
    -----
    Runs in time linear in the length of the text and never raises on any
    string. See the module docstring for the rules.

    Examples
    --------
    >>> from factcheck.records import Document
    >>> text = (
    ...     "Skip to main content\\n"
    ...     "Maj. Gen. Ana Reyes spoke on Dec. 18. He left at 5 p.m. on Friday.\\n"
    ...     "“Excuse me, what did you say?” Rivera told Okafor."
    ... )
    >>> for record in RuleSegmenter().segment(Document(id="d", text=text)):
    ...     print(type(record).__name__, record.start, record.end, repr(record.text))
    Skipped 0 20 'Skip to main content'
    Sentence 21 58 'Maj. Gen. Ana Reyes spoke on Dec. 18.'
    Sentence 59 87 'He left at 5 p.m. on Friday.'
    Sentence 88 138 '“Excuse me, what did you say?” Rivera told Okafor.'
    """

    abbreviations: frozenset[str] = attrs.field(
        default=DEFAULT_ABBREVIATIONS, converter=_normalise_abbreviations
    )
    max_sentence_chars: int = attrs.field(default=2000, validator=_limit)

    def segment(self, document: Document) -> tuple[Sentence | Skipped, ...]:
        """Cut ``document.text`` into sentences and skipped stretches.

        Parameters
        ----------
        document : Document
            The document to cut.

        Returns
        -------
        tuple of Sentence or Skipped
            Records in text order. ``Sentence.index`` counts the sentences
            only, from 0. An empty or all-whitespace text gives ``()``.
        """
        text = document.text
        records: list[Sentence | Skipped] = []
        index = 0
        cut = skipped_long = 0
        limit = self.max_sentence_chars
        for line in _LINE.finditer(text):
            tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text, line.start(), line.end())]
            if not tokens:
                continue
            spans = self._split_line(text, tokens)
            whole_line = len(spans) == 1
            notice = False
            for start, end in spans:
                piece = text[start:end]
                reason = _classify(piece, whole_line=whole_line)
                if reason is SkipReason.REPUBLISHING_NOTICE:
                    notice = True
                elif reason is None and notice:
                    # Boilerplate paragraphs do not turn back into news.
                    reason = SkipReason.REPUBLISHING_NOTICE
                if reason is None and end - start > limit:
                    cut += 1
                    for p_start, p_end, too_long in _cut_long(text, start, end, limit):
                        part = text[p_start:p_end]
                        if too_long or not _HAS_WORD.search(part):
                            skipped_long += too_long
                            records.append(
                                Skipped(
                                    document=document.id,
                                    start=p_start,
                                    end=p_end,
                                    text=part,
                                    reason=SkipReason.TOO_LONG if too_long else SkipReason.NO_WORDS,
                                )
                            )
                        else:
                            records.append(
                                Sentence(
                                    document=document.id,
                                    index=index,
                                    start=p_start,
                                    end=p_end,
                                    text=text[p_start:p_end],
                                )
                            )
                            index += 1
                elif reason is None:
                    records.append(
                        Sentence(
                            document=document.id, index=index, start=start, end=end, text=piece
                        )
                    )
                    index += 1
                else:
                    records.append(
                        Skipped(
                            document=document.id, start=start, end=end, text=piece, reason=reason
                        )
                    )
        if cut:
            skipped_note = (
                f", {skipped_long} run(s) without a space skipped as too long"
                if skipped_long
                else ""
            )
            warnings.warn(
                f"document {document.id!r}: {cut} sentence(s) over {limit:,} characters were "
                f"cut at clause or word boundaries{skipped_note} (raise max_sentence_chars "
                "to keep them whole)",
                LongSentenceWarning,
                stacklevel=2,
            )
        return tuple(records)

    # -- one line -----------------------------------------------------------

    def _split_line(self, text: str, tokens: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
        """Cut one line, given as its whitespace-delimited tokens, into spans."""
        spans: list[tuple[int, int]] = []
        seg_start = tokens[0][0]
        last = len(tokens) - 1
        for i, (tok_start, tok_end) in enumerate(tokens):
            if text.find(".", tok_start, tok_end) >= 0:
                for cut in self._glued_cuts(text[tok_start:tok_end]):
                    spans.append((seg_start, tok_start + cut))
                    seg_start = tok_start + cut
            if i == last:
                break
            if text[tok_end - 1] not in _ENDINGS:
                continue  # no terminal punctuation: _ends_sentence would say no
            head = max(seg_start, tok_start)
            following = [text[s:e] for s, e in tokens[i + 1 : i + 1 + _LOOKAHEAD]]
            if self._ends_sentence(text[head:tok_end], following, first=head == seg_start):
                spans.append((seg_start, tok_end))
                seg_start = tokens[i + 1][0]
        spans.append((seg_start, tokens[-1][1]))
        return spans

    def _glued_cuts(self, token: str) -> list[int]:
        """Offsets just after periods that end a sentence glued to the next word."""
        if "." not in token or _URLISH.search(token):
            return []
        cuts: list[int] = []
        for match in _GLUED_PERIOD.finditer(token):
            dot = match.start()
            if dot == 0:
                continue
            after = token[dot + 1 : dot + 3]
            if len(after) < 2 or not (after[0].isupper() and after[1].islower()):
                continue
            before = token[dot - 1]
            if not before.isdigit():
                j = dot
                while j > 0 and token[j - 1].isalpha():
                    j -= 1
                word = token[j:dot]
                if (
                    len(word) < 2
                    or not word.islower()
                    or (j > 0 and token[j - 1] in ".'’-")
                    or f"{word.lower()}." in self.abbreviations
                ):
                    continue
            cuts.append(dot + 1)
        return cuts

    def _ends_sentence(self, token: str, following: Sequence[str], *, first: bool) -> bool:
        """Whether a sentence ends right after ``token``.

        ``following`` holds the next few (at least one) tokens on the line,
        and ``first`` says whether ``token`` opens the current sentence.
        """
        stem = token.rstrip(_CLOSERS)
        closers = token[len(stem) :]
        body = stem.rstrip(_TERMINALS)
        terminals = stem[len(body) :]
        if not terminals:
            return False
        nxt = following[0]
        opened = _OPENING.match(nxt)
        lead = opened.end() if opened else 0
        if lead >= len(nxt):
            return False
        first_char = nxt[lead]
        quote_opened = any(c in _QUOTE_OPENERS for c in nxt[:lead])
        if not (first_char.isalnum() and (quote_opened or not first_char.islower())):
            return False
        starter = _starts_like_sentence(nxt, lead)

        if "?" in terminals or "!" in terminals:
            quoted = any(c in _QUOTE_CLOSERS for c in closers)
            # "“Why?” Rivera asked" goes on; "Why? Officials said" does not.
            return not (quoted and first_char.isalpha() and _reporting_verb_near(following))
        if len(terminals) > 1 or "\u2026" in terminals:
            return starter  # an ellipsis
        # A single period.
        if not body or not body[-1].isalnum():
            return True
        skip = _LEADING_NON_WORD.match(body)
        core = body[skip.end() if skip else 0 :]
        if first and _ENUMERATOR.fullmatch(core):
            return False
        key = f"{core.lower()}."
        if key in self.abbreviations:
            return key not in _TITLES and starter
        if (len(core) == 1 and core.isalpha()) or _ACRONYM.fullmatch(core):
            return starter
        return True


# ---------------------------------------------------------------------------
# Helpers


def _cut_long(text: str, start: int, end: int, limit: int) -> list[tuple[int, int, bool]]:
    """Pieces ``(start, end, too_long)`` of an over-long sentence, trimmed, in order.

    Each piece is at most ``limit`` characters, cut after the last clause
    boundary in the second half of its window, else at the last space; a run
    without a space longer than ``limit`` is one piece marked ``too_long``.
    """
    pieces: list[tuple[int, int, bool]] = []
    pos = start
    while pos < end:
        if end - pos <= limit:
            pieces.append((pos, end, False))
            break
        window_end = pos + limit
        cut = -1
        for match in _CLAUSE_END.finditer(text, pos + limit // 2, window_end):
            cut = match.start() + 1 if not text[match.start()].isspace() else match.start()
        if cut < 0:
            space = text.rfind(" ", pos + 1, window_end + 1)
            space = max(space, *(text.rfind(ch, pos + 1, window_end + 1) for ch in "\t\n"))
            cut = space
        if cut <= pos:
            # No space within the limit: the run up to the next space is too long.
            nxt = _SPACE_RUN.search(text, pos, end)
            run_end = nxt.start() if nxt else end
            pieces.append((pos, run_end, True))
            pos = nxt.end() if nxt else end
            continue
        piece_end = cut
        while piece_end > pos and text[piece_end - 1].isspace():
            piece_end -= 1
        pieces.append((pos, piece_end, False))
        nxt = _SPACE_RUN.match(text, cut)
        pos = nxt.end() if nxt else cut
    return pieces


def _starts_like_sentence(token: str, lead: int) -> bool:
    """Whether ``token`` (after ``lead`` opening marks) is a typical sentence starter."""
    match = _LETTERS.match(token, lead)
    if match is None or match.group() not in _STARTERS:
        return False
    # "A." is an initial, not the article.
    return not token.startswith(".", match.end())


def _reporting_verb_near(following: Sequence[str]) -> bool:
    """Whether a verb of saying is among the next three words.

    Titles and initials (``Sen.``, ``W.``) do not count towards the three.
    """
    words = 0
    for token in following:
        match = _LETTERS.search(token)
        if match is None:
            continue
        word = match.group().lower()
        if word in _REPORTING_VERBS:
            return True
        if token.startswith(".", match.end()) and (f"{word}." in _TITLES or len(word) == 1):
            continue
        words += 1
        if words == 3:
            return False
    return False


def _classify(piece: str, *, whole_line: bool) -> SkipReason | None:
    """The reason to skip ``piece``, or ``None`` when it is a sentence."""
    if not _HAS_WORD.search(piece):
        return SkipReason.NO_WORDS
    for reason, pattern in _FURNITURE:
        if pattern.search(piece):
            return reason
    if whole_line and _is_byline(piece):
        return SkipReason.BYLINE
    return None


def _is_byline(line: str) -> bool:
    """Whether a whole line looks like ``By Jane Doe`` or ``by · The Harbor Gazette``."""
    match = _BYLINE.match(line)
    if match is None or line.rstrip(_CLOSERS).endswith(tuple(_TERMINALS)):
        return False
    words = _LETTERS.findall(match.group("rest"))
    if len(words) > _BYLINE_MAX_WORDS:
        return False
    return all(not word[0].islower() or word.lower() in _BYLINE_LOWERCASE_OK for word in words)
