"""Shared pieces of the fact plug-ins: hits, spans, claim words, number words."""

from __future__ import annotations

import bisect
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


def _word_class(word: str) -> str:
    if word in _UNITS:
        return "unit"
    if word in _TEENS:
        return "teen"
    if word in _TENS:
        return "ten"
    if word in ("hundred", "dozen"):
        return word
    return "scale"


def _parse_words(words: Sequence[str]) -> tuple[int, int]:
    """The value of the longest grammatical prefix of number words, and its length."""
    total = current = 0
    prev: str | None = None
    after_and = False
    used = 0
    for i, word in enumerate(words):
        if word == "and":
            if prev not in ("hundred", "dozen", "scale") or after_and:
                break
            after_and = True
            continue
        cls = _word_class(word)
        if prev in ("unit", "teen") and cls in ("unit", "teen", "ten"):
            break
        if prev == "ten" and cls in ("ten", "teen"):
            break
        if prev in ("hundred", "dozen") and cls == prev:
            break
        if cls == "unit":
            current += _UNITS[word]
        elif cls == "teen":
            current += _TEENS[word]
        elif cls == "ten":
            current += _TENS[word]
        elif cls == "hundred":
            current = (current or 1) * 100
        elif cls == "dozen":
            current = (current or 1) * 12
        else:
            total += (current or 1) * _SCALES[word]
            current = 0
        prev = cls
        after_and = False
        used = i + 1
    return total + current, used


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
