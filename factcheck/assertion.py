"""Assertion mode: how a sentence puts its content forward.

A newsroom reads this first: *"the minister resigned"* is asserted, *"the
minister may resign"* hedged, *"the minister resigned, officials said"*
attributed, *"the ministry denied that he resigned"* denied, *"Did the
minister resign?"* a question, and a sentence that is mostly a direct
quotation is quoted. Stance uses it too: an article that only reports a claim
(hedged, attributed) *observes* it rather than supporting it.

The rules are cue words and phrases of the language, read from
``factcheck/resources/<language>/assertion.json`` (general words only, never
names). They are tried in a fixed order and the first that fires decides:

1. **question**: the sentence ends with a question mark (closing quotes and
   brackets aside);
2. **denied**: an opening ``No,`` or ``False:``, a denial verb (``denied``,
   ``refuted``, ``dismissed`` ...) or a refuting phrase (``is not true``,
   ``was a hoax``, ``no evidence`` ...) not itself negated (``did not deny`` is no denial);
3. **quoted**: at least 40 % of the sentence's letters lie inside quotation marks;
4. **hedged**: a hedging word or phrase (``may``, ``reportedly``,
   ``allegedly``, ``is said to`` ...; ``May`` the month is told apart);
5. **attributed**: a reporting verb or phrase (``said``, ``told``,
   ``according to`` ...), or a headline's source after a final colon
   (``... not stolen: police``);
6. otherwise **asserted**.

Examples
--------
>>> assertion_mode("The minister resigned on Tuesday.").value
'asserted'
>>> assertion_mode("The minister reportedly resigned.").value
'hedged'
>>> assertion_mode("The minister resigned, officials said.").value
'attributed'
>>> assertion_mode("The ministry denied that he had resigned.").value
'denied'
>>> assertion_mode("Did the minister resign?").value
'question'
>>> assertion_mode('"I will not resign," the minister said.').value
'quoted'
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Any

import attrs

from factcheck.errors import ConfigError
from factcheck.records import AssertionMode

__all__ = ["AssertionRules", "assertion_mode", "cue_pattern"]

_WORD = r"[\w'-]"
_TOKEN = re.compile(r"[\w]+(?:['-][\w]+)*|n't")
_PASSIVE = frozenset(["be", "been", "being", "is", "are", "was", "were", "get", "got"])
_CLOSERS = "\"'”’»)]}*_ \t"


def cue_pattern(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """One case-insensitive regex matching any of the phrases as whole words.

    Longer phrases are tried first; words may be separated by any whitespace;
    a phrase starting with ``n't`` also matches at the end of a word
    (``didn't``). ``None`` for no phrases.

    >>> [m.group() for m in cue_pattern(["not", "n't", "no truth"]).finditer(
    ...     "No truth in it; he didn't, or did not.")]
    ['No truth', "n't", 'not']
    """
    items = sorted({p.strip().lower() for p in phrases if p.strip()}, key=lambda p: (-len(p), p))
    if not items:
        return None

    def alternative(phrase: str) -> str:
        body = r"\s+".join(re.escape(w) for w in phrase.split())
        return body if phrase.startswith("n't") else rf"(?<!{_WORD}){body}"

    alternatives = "|".join(alternative(p) for p in items)
    return re.compile(rf"(?:{alternatives})(?!{_WORD})", re.IGNORECASE)


_phrase_regex = cue_pattern


def _normalise(text: str) -> str:
    """The text with curly apostrophes as ``'`` (same length, so offsets hold)."""
    return text.replace("’", "'").replace("‘", "'")


def _strings(data: Mapping[str, Any], *keys: str) -> list[str]:
    node: Any = data
    for key in keys:
        if not isinstance(node, Mapping) or key not in node:
            raise ConfigError(f"assertion cues: missing key {'.'.join(keys)!r}")
        node = node[key]
    if not isinstance(node, list) or not all(isinstance(v, str) for v in node):
        raise ConfigError(f"assertion cues: {'.'.join(keys)!r} must be a list of strings")
    return list(node)


@attrs.frozen(slots=True, kw_only=True)
class AssertionRules:
    """The assertion-mode rules of one language (see the module docstring).

    Build one with :meth:`load` (the packaged cues of a language) or
    :meth:`from_dict` (cues of your own, in the layout of
    ``factcheck/resources/en/assertion.json``).

    Examples
    --------
    >>> rules = AssertionRules.load("en")
    >>> rules.mode("Officials may announce the result in May.").value
    'hedged'
    >>> rules.mode("The result will be announced in May.").value
    'asserted'
    """

    language: str
    attributed: re.Pattern[str] | None
    denied: re.Pattern[str] | None
    negators: re.Pattern[str] | None
    denial_openers: tuple[str, ...]
    source_suffix_words: int
    hedged: re.Pattern[str] | None
    may_not_after: frozenset[str]
    open_quotes: str
    close_quotes: str
    quote_share: float
    question_end: str

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, language: str = "custom") -> AssertionRules:
        """Rules from cue lists (raises :class:`~factcheck.errors.ConfigError` if malformed)."""
        share = data.get("quoted", {}).get("min_share") if isinstance(data, Mapping) else None
        if not isinstance(share, int | float) or not 0.0 < share <= 1.0:
            raise ConfigError(f"assertion cues: quoted.min_share must lie in (0, 1], got {share!r}")
        return cls(
            language=language,
            attributed=_phrase_regex(
                _strings(data, "attributed", "phrases") + _strings(data, "attributed", "verbs")
            ),
            denied=_phrase_regex(
                _strings(data, "denied", "verbs") + _strings(data, "denied", "phrases")
            ),
            negators=_phrase_regex(_strings(data, "denied", "negators")),
            denial_openers=tuple(o.lower() for o in _strings(data, "denied", "openers")),
            source_suffix_words=int(data["attributed"].get("source_suffix_words", 0)),
            hedged=_phrase_regex(
                _strings(data, "hedged", "words") + _strings(data, "hedged", "phrases")
            ),
            may_not_after=frozenset(w.lower() for w in _strings(data, "hedged", "may_not_after")),
            open_quotes="".join(_strings(data, "quoted", "open")),
            close_quotes="".join(_strings(data, "quoted", "close")),
            quote_share=float(share),
            question_end="".join(_strings(data, "question", "end")),
        )

    @classmethod
    def load(cls, language: str = "en") -> AssertionRules:
        """The packaged rules of ``language`` (``resources/<language>/assertion.json``)."""
        return _load(language)

    # -- the rules ---------------------------------------------------------

    def is_question(self, text: str) -> bool:
        """Whether the sentence ends with a question mark (closing quotes aside)."""
        body = text.rstrip(_CLOSERS)
        return bool(body) and body[-1] in self.question_end

    def denial(self, text: str) -> tuple[int, int] | None:
        """The span of the first denial cue that is not itself negated, or None."""
        norm = _normalise(text)
        head = norm.lstrip(" \t\"'“«").lower()
        for opener in self.denial_openers:
            if head.startswith(opener):
                start = len(norm) - len(norm.lstrip(" \t\"'“«"))
                return (start, start + len(opener))
        if self.denied is None:
            return None
        for m in self.denied.finditer(norm):
            window = " ".join(_TOKEN.findall(norm[max(0, m.start() - 30) : m.start()])[-3:])
            if self.negators is not None and self.negators.search(window):
                continue
            if norm[max(0, m.start() - 3) : m.start()].lower().endswith("n't"):
                continue
            return (m.start(), m.end())
        return None

    def quoted_share(self, text: str) -> float:
        """The share of the sentence's letters that lie inside quotation marks."""
        letters = sum(ch.isalnum() for ch in text)
        if letters == 0:
            return 0.0
        inside = 0
        opener: str | None = None
        start = 0
        for i, ch in enumerate(text):
            if opener is None:
                if ch in self.open_quotes and self._opens(text, i):
                    opener, start = ch, i + 1
            elif ch in self.close_quotes and (ch != "'" or self._closes(text, i)):
                inside += sum(c.isalnum() for c in text[start:i])
                opener = None
        return inside / letters

    @staticmethod
    def _opens(text: str, i: int) -> bool:
        # A straight single quote opens only at a word start (not in "it's").
        return text[i] != "'" or i == 0 or not text[i - 1].isalnum()

    @staticmethod
    def _closes(text: str, i: int) -> bool:
        return i + 1 >= len(text) or not text[i + 1].isalnum()

    def hedge(self, text: str) -> tuple[int, int] | None:
        """The span of the first hedging cue, or None (``May`` the month is not one)."""
        if self.hedged is None:
            return None
        norm = _normalise(text)
        for m in self.hedged.finditer(norm):
            if m.group().lower() == "may" and self._month(norm, m.start(), m.end()):
                continue
            return (m.start(), m.end())
        return None

    def _month(self, text: str, start: int, end: int) -> bool:
        before = _TOKEN.findall(text[max(0, start - 20) : start])
        after = text[end:].lstrip()
        if before and before[-1].lower() in self.may_not_after:
            return True
        # "May 5", "May, 2024", "May." at the end; a capitalised May inside a
        # sentence before a lower-case word is a month or a name ("May said"),
        # before a capitalised one a title-case headline's verb ("Apple May Sell").
        if not after or after[0].isdigit() or after[0] in ",.;:)":
            return True
        return text[start] == "M" and start > 0 and after[0].islower()

    def attribution(self, text: str) -> tuple[int, int] | None:
        """The span of the first reporting verb or phrase, or None."""
        if self.attributed is None:
            return None
        norm = _normalise(text)
        for m in self.attributed.finditer(norm):
            before = _TOKEN.findall(norm[max(0, m.start() - 12) : m.start()])
            # A passive "will be announced" reports nothing; phrases
            # ("it was reported") are matched whole, before single verbs.
            if " " not in m.group() and before and before[-1].lower() in _PASSIVE:
                continue
            return (m.start(), m.end())
        # A negated denial ("did not deny that") still reports someone's word.
        if self.denied is not None:
            found = self.denied.search(norm)
            if found is not None and " " not in found.group():
                return (found.start(), found.end())
        # A headline's source after a colon: "Batmobile was not stolen: police".
        colon = norm.rstrip(_CLOSERS + ".").rfind(":")
        if colon > 0 and self.source_suffix_words:
            tail = _TOKEN.findall(norm[colon + 1 :])
            if (
                1 <= len(tail) <= self.source_suffix_words
                and not norm[colon + 1 :].strip()[:1].isdigit()
            ):
                return (colon + 1, len(norm.rstrip()))
        return None

    def mode(self, text: str) -> AssertionMode:
        """The assertion mode of one sentence (the first rule that fires; see the module)."""
        if self.is_question(text):
            return AssertionMode.QUESTION
        if self.denial(text) is not None:
            return AssertionMode.DENIED
        if self.quoted_share(text) >= self.quote_share:
            return AssertionMode.QUOTED
        if self.hedge(text) is not None:
            return AssertionMode.HEDGED
        if self.attribution(text) is not None:
            return AssertionMode.ATTRIBUTED
        return AssertionMode.ASSERTED


@functools.lru_cache(maxsize=8)
def _load(language: str) -> AssertionRules:
    if not re.fullmatch(r"[a-z]{2,3}", language):
        raise ConfigError(f"language must be a two- or three-letter code, got {language!r}")
    try:
        text = (
            resources.files("factcheck")
            .joinpath("resources", language, "assertion.json")
            .read_text(encoding="utf-8")
        )
    except FileNotFoundError:
        raise ConfigError(f"no assertion cues for language {language!r}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"assertion cues for {language!r}: not valid JSON ({exc})") from None
    return AssertionRules.from_dict(data, language=language)


def assertion_mode(text: str, *, language: str = "en") -> AssertionMode:
    """The :class:`~factcheck.records.AssertionMode` of one sentence, by the packaged rules."""
    return _load(language).mode(text)
