"""Shared pieces of the fact plug-ins: hits, spans, claim words, number words."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from typing import NamedTuple

from factcheck.facts import lexicon
from factcheck.records import FactKind, FactValue


class _Hit(NamedTuple):
    start: int
    end: int
    kind: FactKind
    value: FactValue


class _Spans:
    """Sorted, non-overlapping spans, with an overlap test."""

    __slots__ = ("_ends", "_starts")

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        self._ends = [e for _, e in ordered]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self._starts, end)
        return i > 0 and self._ends[i - 1] > start


# Number words, used by both numbers and dates.

_UNITS: dict[str, int] = lexicon.table("numbers", "units")


_TEENS: dict[str, int] = lexicon.table("numbers", "teens")


_TENS: dict[str, int] = lexicon.table("numbers", "tens")


_SCALES: dict[str, int] = lexicon.table("numbers", "scales")


_NUMBER_WORD = "|".join([*_UNITS, *_TEENS, *_TENS, "hundred", "dozen", *_SCALES])


def _parse_words(words: Sequence[str]) -> tuple[int, int]:
    """The value of the longest prefix of number words that ``text2num`` reads, and its length.

    ``dozen``, which ``text2num`` does not read, multiplies the count before it
    (``two dozen`` is 24); a trailing ``and`` is never part of the number.
    """
    n = len(words)
    while n > 0:
        if words[n - 1] != "and":
            value = _words_value(tuple(words[:n]))
            if value is not None:
                return value, n
        n -= 1
    return 0, 0


@functools.lru_cache(maxsize=4096)
def _words_value(words: tuple[str, ...]) -> int | None:
    if "dozen" in words:
        if words.index("dozen") != len(words) - 1:
            return None
        if len(words) == 1:
            return 12
        head = _words_value(words[:-1])
        return head * 12 if head is not None and head < 1000 else None
    from text_to_num import text2num

    try:
        return int(text2num(" ".join(words), lexicon.LANGUAGE))
    except ValueError:
        return None


_WORD_TOKEN_RE = re.compile(r"[A-Za-z]+")


def _small_count(text: str) -> int | None:
    """An integer written in digits or number words (``48``, ``forty-eight``, ``a``)."""
    text = text.strip().lower()
    if text.isdigit():
        return int(text) if len(text) <= 12 else None
    if text in ("a", "an"):
        return 1
    words = _WORD_TOKEN_RE.findall(text)
    if not words or any(w not in _NUMBER_WORD.split("|") for w in words):
        return None
    value, used = _parse_words(words)
    return value if used == len(words) else None


_ALPHA_RE = re.compile(r"[a-z]+")


_ANY_DIGIT_RE = re.compile(r"\d")


def _claim_words(claim: str) -> frozenset[str]:
    """The claim's lower-case letter runs, plus ``<digit>`` if it has a digit."""
    words = set(_ALPHA_RE.findall(claim.lower()))
    if _ANY_DIGIT_RE.search(claim) is not None:
        words.add("<digit>")
    return frozenset(words)


_FUNCTION_WORDS = lexicon.words("grammar", "function_words")


_VERBS = lexicon.words("grammar", "common_verbs")


def _is_initial(text: str, pos: int) -> bool:
    """Whether ``pos`` starts a sentence (or the text)."""
    k = pos - 1
    while k >= 0 and text[k] in " \t\xa0":
        k -= 1
    return k < 0 or text[k] in ".!?:;\n\r“\"‘'(—–[•|"


def _skip_blanks(claim: str, pos: int) -> int:
    while pos < len(claim) and claim[pos] in " \t\xa0":
        pos += 1
    return pos
