"""Numbers and quantities: intervals with the counted thing, units and money."""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import NamedTuple

from factcheck.facts import lexicon
from factcheck.facts.base import (
    _FUNCTION_WORDS,
    _NUMBER_WORD,
    _SCALES,
    _VERBS,
    _WORD_TOKEN_RE,
    _claim_words,
    _Hit,
    _is_initial,
    _parse_words,
    _Spans,
)
from factcheck.records import FactKind, NumberValue

_DIGITS_RE = re.compile(
    r"(?<![\w/:.,#$€£])(?<![A-Za-z][-–])"
    r"(?:(?P<cur>[$€£])[ \t]?)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?![\d/:]|[.,]\d)"
    r"(?:[ \t]*(?P<scale>(?i:hundred|thousand|million|billion|trillion))(?![A-Za-z])"
    r"|(?(cur)(?P<abbr>(?i:bn|mn|m|k))(?![A-Za-z])|(?P<glued>"
    + "|".join(sorted(lexicon.table("numbers", "glued_units"), key=len, reverse=True))
    + r")(?![A-Za-z]))"
    r"|(?![A-Za-z_]))"
    r"(?P<pct>[ \t]*%|[ \t]+(?i:per[ \t]?cent|percent)(?![A-Za-z]))?"
)


_GLUED_UNITS: dict[str, str] = lexicon.table("numbers", "glued_units")
_GLUED_SCALES: dict[str, int] = lexicon.table("numbers", "glued_scales")


_WORDS_RE = re.compile(
    rf"(?i)(?<![A-Za-z\-])(?:(?:(?P<half>half)[ \t]+)?(?P<a>an?)[ \t]+"
    rf"(?=(?:hundred|thousand|million|billion|trillion|dozen)(?![A-Za-z])))?"
    rf"(?P<seq>(?:{_NUMBER_WORD})"
    rf"(?:(?:[ \t]*-[ \t]*|[ \t]+(?:and[ \t]+)?)(?:{_NUMBER_WORD})){{0,15}})"
    r"(?![A-Za-z])"
)


_VAGUE_RE = re.compile(
    r"(?i)(?<![A-Za-z\-])(?:(?P<mult>tens|dozens|hundreds)[ \t]+of[ \t]+)?"
    r"(?P<word>dozens|hundreds|thousands|millions|billions)(?![A-Za-z])"
)


_VAGUE_BASE: dict[str, int] = lexicon.table("numbers", "vague_plurals")


_VAGUE_MULT: dict[str, tuple[int, int]] = {
    k: (v[0], v[1]) for k, v in lexicon.table("numbers", "vague_multipliers").items()
}


_PREFIX_RE = re.compile(
    r"(?i)(?<![A-Za-z])(?:"
    r"(?P<approx>roughly|about|around|some|nearly|approximately|almost|an[ \t]+estimated"
    r"|estimated|close[ \t]+to|circa|approx\.)"
    r"|(?P<atleast>at[ \t]+least|no[ \t]+fewer[ \t]+than|no[ \t]+less[ \t]+than"
    r"|not[ \t]+less[ \t]+than|not[ \t]+fewer[ \t]+than|a[ \t]+minimum[ \t]+of)"
    r"|(?P<upto>up[ \t]+to|at[ \t]+most|as[ \t]+many[ \t]+as|as[ \t]+much[ \t]+as"
    r"|no[ \t]+more[ \t]+than|not[ \t]+more[ \t]+than|a[ \t]+maximum[ \t]+of)"
    r"|(?P<more>more[ \t]+than|over|upwards[ \t]+of|in[ \t]+excess[ \t]+of|above|exceeding"
    r"|greater[ \t]+than)"
    r"|(?P<less>fewer[ \t]+than|less[ \t]+than|under|below)"
    r"|(?P<between>between|from)"
    r")[ \t]+$|(?P<tilde>~)[ \t]*$"
)


_POSTFIX_RE = re.compile(
    r"(?i)[ \t]*(?:(?P<ormore>or[ \t]+(?:more|above|greater)|plus(?![A-Za-z])|\+)"
    r"|(?P<orless>or[ \t]+(?:fewer|less))|(?P<orso>or[ \t]+so))(?![A-Za-z])"
)


_RANGE_GAP_RE = re.compile(r"(?i)[ \t]*(?:[-–—]|to|or|and)[ \t]*")


_COMPOUND_RE = re.compile(r"[-–][A-Za-z]")


_STRONG_RE = re.compile(r"(?i)[-–]strong(?![A-Za-z])")


_AGE_AFTER_RE = re.compile(r"(?i)[ \t]+(?:years?|months?)[ \t-]+old(?![A-Za-z])")


_AGE_BEFORE_RE = re.compile(r"(?i)(?<![A-Za-z])(?:aged?|ages)[ \t]+$")


_NAME_BEFORE_RE = re.compile(r"(?<![\w.])([A-Z][\w.&]*)[ \t]+$")


_ONE_BEFORE_RE = re.compile(
    r"(?i)(?<![A-Za-z])(?:no|any|every|each|the|this|that|which|only)[ \t]+$"
)


_UNIT_WORD_RE = re.compile(r"[ \t]+([A-Za-z][A-Za-z’']*(?:-[A-Za-z]+)*)")


_PLURAL_AFTER_RE = re.compile(r"[ \t]+([a-z][a-z]*)(?![A-Za-z’'-])")


_CURRENCY: dict[str, str] = lexicon.table("numbers", "currency_symbols")


_SCALE_VALUES: dict[str, int] = {"hundred": 100, "bn": 10**9, **_SCALES}


_ADJECTIVES = lexicon.words("grammar", "adjectives")


_ADJECTIVE_SUFFIXES = lexicon.phrases("grammar", "adjective_suffixes")


_PLURALS = lexicon.words("grammar", "irregular_plurals")


class _Core(NamedTuple):
    """A bare number: ``[low, high]`` at ``[start, end)``."""

    start: int
    end: int
    low: Decimal
    high: Decimal
    scale: int
    unit: str | None
    plain: bool  # digits only: no currency, scale, percent or grouping comma
    word: str  # the lower-cased number words ("" for digits)
    vague: bool


def _digit_cores(claim: str) -> list[_Core]:
    cores: list[_Core] = []
    for m in _DIGITS_RE.finditer(claim):
        value = Decimal(m["num"].replace(",", ""))
        scale = 1
        if m["scale"]:
            scale = _SCALE_VALUES[m["scale"].lower()]
        elif m["abbr"]:
            scale = _GLUED_SCALES[m["abbr"].lower()]
        unit = _GLUED_UNITS[m["glued"]] if m["glued"] else None
        if m["pct"]:
            unit = "percent"
        elif m["cur"]:
            unit = _CURRENCY[m["cur"]]
        plain = not (
            m["cur"] or m["scale"] or m["abbr"] or m["glued"] or m["pct"] or "," in m["num"]
        )
        value *= scale
        cores.append(_Core(m.start(), m.end(), value, value, scale, unit, plain, "", False))
    return cores


def _word_cores(claim: str) -> list[_Core]:
    cores: list[_Core] = []
    pos = 0
    while True:
        m = _WORDS_RE.search(claim, pos)
        if m is None:
            return cores
        seq_start = m.start("seq")
        tokens = list(_WORD_TOKEN_RE.finditer(claim, seq_start, m.end("seq")))
        value, used = _parse_words([t.group().lower() for t in tokens])
        end = tokens[used - 1].end() if used else m.end()
        pos = max(end, m.start() + 1)
        if not used:
            continue
        amount = Decimal(value)
        if m["half"]:
            amount /= 2
        words = " ".join(t.group().lower() for t in tokens[:used])
        scale = _SCALE_VALUES.get(words.rsplit(" ", 1)[-1], 1)
        if m["a"]:
            words = f"{m['a'].lower()} {words}"
        cores.append(_Core(m.start(), end, amount, amount, scale, None, False, words, False))


def _vague_cores(claim: str) -> list[_Core]:
    cores: list[_Core] = []
    for m in _VAGUE_RE.finditer(claim):
        base = _VAGUE_BASE[m["word"].lower()]
        low_mult, high_mult = _VAGUE_MULT[m["mult"].lower()] if m["mult"] else (2, 10)
        cores.append(
            _Core(
                m.start(),
                m.end(),
                Decimal(low_mult * base),
                Decimal(high_mult * base - 1),
                1,
                None,
                False,
                m.group().lower(),
                True,
            )
        )
    return cores


_NUMBER_WORDS = frozenset(_NUMBER_WORD.split("|"))


_VAGUE_WORDS = frozenset(_VAGUE_BASE)


_BOTH_RE = re.compile(r"(?i)(?<![\w-])both(?![\w-])")


def _both_cores(claim: str) -> list[_Core]:
    """``both`` before a counted noun is a count of two (checked by the caller)."""
    two = Decimal(2)
    return [
        _Core(m.start(), m.end(), two, two, 1, None, False, "both", True)
        for m in _BOTH_RE.finditer(claim)
    ]


def _plural_noun_after(claim: str, pos: int) -> bool:
    m = _PLURAL_AFTER_RE.match(claim, pos)
    if m is None:
        return False
    word = m.group(1)
    return word not in _FUNCTION_WORDS and _is_plural(word)


def _is_plural(word: str) -> bool:
    word = word.lower().rstrip("’'")
    if word in _PLURALS:
        return True
    return word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 2


def _adjective_like(word: str) -> bool:
    word = word.lower()
    return word in _ADJECTIVES or "-" in word or word.endswith(_ADJECTIVE_SUFFIXES)


def _nounish(word: str) -> bool:
    low = word.lower()
    return (
        word[0].islower()
        and low not in _FUNCTION_WORDS
        and low not in _VERBS
        and not low.endswith("ly")
    )


def _unit_key(word: str) -> str:
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    return word.rstrip("'")


def _find_unit(claim: str, pos: int, occupied: _Spans, allow_of: bool) -> tuple[str | None, int]:
    """The counted noun after ``pos`` and where it ends, or ``(None, pos)``."""
    tokens: list[tuple[int, int, str]] = []
    i = pos
    while len(tokens) < 8:
        m = _UNIT_WORD_RE.match(claim, i)
        if m is None or occupied.overlaps(m.start(1), m.end(1)):
            break
        tokens.append((m.start(1), m.end(1), m.group(1)))
        i = m.end()
    j = 0
    if allow_of and tokens and tokens[0][2].lower() == "of":
        j = 1
        if j < len(tokens) and tokens[j][2].lower() in ("the", "their", "its", "his", "her", "our"):
            j += 1
    if j >= len(tokens):
        return None, pos
    if tokens[j][2][0].isupper():
        k = j
        while k < len(tokens) and tokens[k][2][0].isupper():
            if tokens[k][2].lower() in _FUNCTION_WORDS:
                break
            k += 1
        if k == j:
            return None, pos
        if not (k < len(tokens) and _nounish(tokens[k][2])):
            return _unit_key(tokens[k - 1][2]), tokens[k - 1][1]
        j = k
    word = tokens[j][2]
    if not _nounish(word):
        return None, pos
    while _adjective_like(word) and j + 1 < len(tokens) and _nounish(tokens[j + 1][2]):
        j += 1
        word = tokens[j][2]
    while not _is_plural(word) and j + 1 < len(tokens):
        following = tokens[j + 1][2]
        if not (_nounish(following) and _is_plural(following)):
            break
        j += 1
        word = following
    if _adjective_like(word) and word.lower().endswith("ed"):
        return None, pos
    return _unit_key(word), tokens[j][1]


def _merge_cores(cores: list[_Core]) -> list[_Core]:
    """Drop overlapping cores (leftmost, then longest, wins)."""
    cores.sort(key=lambda c: (c.start, -(c.end - c.start)))
    kept: list[_Core] = []
    for core in cores:
        if kept and core.start < kept[-1].end:
            continue
        kept.append(core)
    return kept


def _numbers(
    claim: str, occupied: _Spans, approx: Decimal, words: frozenset[str] | None = None
) -> list[_Hit]:
    if words is None:
        words = _claim_words(claim)
    found: list[_Core] = []
    if "<digit>" in words:
        found += _digit_cores(claim)
    if not _NUMBER_WORDS.isdisjoint(words):
        found += _word_cores(claim)
    if not _VAGUE_WORDS.isdisjoint(words):
        found += _vague_cores(claim)
    if "both" in words:
        found += _both_cores(claim)
    cores = [c for c in _merge_cores(found) if not occupied.overlaps(c.start, c.end)]
    hits: list[_Hit] = []
    i = 0
    while i < len(cores):
        core = cores[i]
        i += 1
        start, end, low, high = core.start, core.end, core.low, core.high
        prefix = _PREFIX_RE.search(claim, max(0, start - 40), start)
        second: _Core | None = None
        if i < len(cores) and not core.vague and not cores[i].vague:
            gap = _RANGE_GAP_RE.fullmatch(claim, end, cores[i].start)
            if gap is not None and (
                "and" not in gap.group().lower() or (prefix is not None and prefix["between"])
            ):
                second = cores[i]
        if second is not None:
            first_low = low
            if core.scale == 1 and core.unit is None and low * second.scale <= second.high:
                first_low = low * second.scale  # "1.2 to 1.5 million", "two to three thousand"
            if second.high >= first_low:
                low, high = first_low, second.high
                end = second.end
                i += 1
            else:
                second = None
        last = second or core
        strong = _STRONG_RE.match(claim, last.end)  # "a 12,000-strong force"
        measure = _MEASURE_RE.match(claim, last.end)  # "a 12-year sentence"
        if measure is not None and _AGE_RE.match(claim, measure.end()):
            measure = None  # "a 36-year-old champion": an age, not a count
        if strong is not None:
            end = strong.end()
        elif measure is not None:
            end = measure.end()
        elif second is None and _not_a_count(claim, core, prefix):
            continue
        if prefix is not None:
            if prefix["between"] and second is None:
                prefix = None
            else:
                start = prefix.start()
        postfix = _POSTFIX_RE.match(claim, end) if strong is None and measure is None else None
        if postfix is not None:
            end = postfix.end()
        unit, unit_end = last.unit, end
        if measure is not None:
            unit = measure["unit"].lower()
        single = core.word in ("one", "both") and second is None
        if unit is None:
            unit, unit_end = _find_unit(claim, end, occupied, allow_of=not single)
            if unit is None and not single and _counts_people(claim, start, end):
                unit = "people"  # "Flood kills 12", "Three arrested", "12 killed"
        if (single or strong is not None) and unit is None:
            continue
        value = NumberValue(*_modified(low, high, prefix, postfix, approx), unit)
        hits.append(_Hit(start, max(end, unit_end), FactKind.NUMBER, value))
    return hits


def _not_a_count(claim: str, core: _Core, prefix: re.Match[str] | None) -> bool:
    after = claim[core.end : core.end + 16]
    if _COMPOUND_RE.match(after) or _AGE_AFTER_RE.match(after):
        return True
    if _AGE_BEFORE_RE.search(claim, max(0, core.start - 6), core.start):
        return True
    if core.word == "one" and _ONE_BEFORE_RE.search(claim, max(0, core.start - 8), core.start):
        return True
    modified = prefix is not None and not prefix["between"]
    if core.plain and not modified:
        digits = claim[core.start : core.end]
        year_like = len(digits) == 4 and "." not in digits and 1800 <= int(digits) <= 2099
        if year_like and not _plural_noun_after(claim, core.end):
            return True
        name = _NAME_BEFORE_RE.search(claim, max(0, core.start - 30), core.start)
        if name is not None:
            word = name.group(1)
            if word in ("No.", "Nos.") or (len(word) > 1 and word.isupper()):
                return True
            if not _is_initial(claim, name.start(1)):
                return True
    return False


def _modified(
    low: Decimal,
    high: Decimal,
    prefix: re.Match[str] | None,
    postfix: re.Match[str] | None,
    approx: Decimal,
) -> tuple[float, float]:
    inf = math.inf
    if postfix is not None and postfix["ormore"]:
        return float(low), inf
    if postfix is not None and postfix["orless"]:
        return 0.0, float(high)
    if (prefix is not None and (prefix["approx"] or prefix["tilde"])) or (
        postfix is not None and postfix["orso"]
    ):
        return float(low * (1 - approx)), float(high * (1 + approx))
    if prefix is not None and (prefix["atleast"] or prefix["more"]):
        return float(low), inf
    if prefix is not None and (prefix["upto"] or prefix["less"]):
        return 0.0, float(high)
    return float(low), float(high)


_PEOPLE_VERBS = lexicon.words("numbers", "people_verbs")
_MEASURE_RE = re.compile(
    r"(?i)[-–](?P<unit>"
    + "|".join(sorted(lexicon.phrases("numbers", "measure_units"), key=len, reverse=True))
    + r")(?![A-Za-z-])"
)
_AGE_RE = re.compile(r"(?i)[ \t-]+old(?![A-Za-z])")
_WORD_BEFORE_RE = re.compile(r"([A-Za-z]+)[ \t]+$")
_WORD_AFTER_RE = re.compile(
    r"[ \t]+(?:(?:were|are|was|have[ \t]+been|had[ \t]+been)[ \t]+)?([a-z]+)"
)


def _lemma(word: str) -> str:
    import simplemma

    return str(simplemma.lemmatize(word.lower(), lang=lexicon.LANGUAGE))


def _counts_people(claim: str, start: int, end: int) -> bool:
    """Whether a count without a noun is the object of a verb that counts people
    (``kills 12``) or stands before such a verb's participle (``12 killed``)."""
    before = _WORD_BEFORE_RE.search(claim, max(0, start - 24), start)
    if (
        before is not None
        and before.group(1).endswith(("s", "ed"))
        and _lemma(before.group(1)) in _PEOPLE_VERBS
    ):
        return True
    after = _WORD_AFTER_RE.match(claim, end)
    return (
        after is not None
        and after.group(1).endswith(("ed", "ured", "en"))
        and _lemma(after.group(1)) in _PEOPLE_VERBS
    )
