"""Dates and times: calendar intervals, resolved only against an anchor the text or user gives."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import Literal, NamedTuple

import attrs

from factcheck import validation
from factcheck.facts import lexicon
from factcheck.facts.base import _NUMBER_WORD, _claim_words, _Hit, _small_count
from factcheck.facts.numbers import _PREFIX_RE, _plural_noun_after
from factcheck.records import DateValue, FactKind

__all__ = ["find_anchor"]

_NO_REF = "relative, and no publication date or dateline to place it against"


_NO_YEAR = "no year, and no publication date or dateline to take it from"


_NO_ANCHOR = "no anchor date in the claim"


_BAD_DAY = "no such calendar day"


_OUT_OF_RANGE = "outside the supported calendar range"


_MONTHS: dict[str, int] = lexicon.table("dates", "months")


_WEEKDAYS: dict[str, int] = lexicon.table("dates", "weekdays")


_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)(?![A-Za-z])"
)


_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?!\d)(?:st|nd|rd|th)?"


_YEAR = r"[12]\d{3}(?!\d)"


_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"


_PART = r"(?i:morning|afternoon|evening|night|overnight)"


_SEP_YEAR = r"(?:[ \t]*,[ \t]*|[ \t]+)"


_WD_PREFIX = rf"(?:(?P<wd>{_WEEKDAY})[ \t]*,?[ \t]+)?"


_MDY_RE = re.compile(
    rf"(?<![A-Za-z]){_WD_PREFIX}(?P<mon>{_MONTH})[ \t]+(?P<day>{_DAY})"
    rf"{_SEP_YEAR}(?P<year>{_YEAR})(?![\w])"
)


_DMY_RE = re.compile(
    rf"(?<![\w.,$€£]){_WD_PREFIX}(?P<day>{_DAY})[ \t]+(?:of[ \t]+)?(?P<mon>{_MONTH})"
    rf"{_SEP_YEAR}(?P<year>{_YEAR})(?![\w])"
)


_ISO_RE = re.compile(
    r"(?<![\w-])(?P<year>[12]\d{3})-(?P<mon>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])"
    r"(?![\w-])"
)


_MD_RANGE_RE = re.compile(
    rf"(?<![A-Za-z])(?P<mon>{_MONTH})[ \t]+(?P<day>{_DAY})[ \t]*[-–][ \t]*(?P<day2>{_DAY})"
    rf"(?:{_SEP_YEAR}(?P<year>{_YEAR}))?(?![\w]|[-–][A-Za-z])"
)


_MY_RE = re.compile(
    rf"(?<![A-Za-z])(?:(?P<mod>(?i:early|mid|late))(?:[ \t]+|-))?(?P<mon>{_MONTH})"
    rf"{_SEP_YEAR}(?P<year>{_YEAR})(?![\w])"
)


_MD_RE = re.compile(
    rf"(?<![A-Za-z]){_WD_PREFIX}(?P<mon>{_MONTH})[ \t]+(?P<day>{_DAY})"
    r"(?![\w]|[-–][A-Za-z]|[.,:]\d)"
)


_DM_RE = re.compile(
    rf"(?<![\w.,$€£]){_WD_PREFIX}(?P<day>{_DAY})[ \t]+(?:of[ \t]+)?(?P<mon>{_MONTH})"
)


_MONTH_ALONE_RE = re.compile(
    rf"(?<![A-Za-z])(?:(?P<rel>(?i:last|this|next))[ \t]+)?"
    rf"(?:(?P<mod>(?i:early|mid|late))(?:[ \t]+|-))?(?P<mon>{_MONTH})"
)


_MONTH_CUE_RE = re.compile(
    r"(?i)(?<![A-Za-z])(?:in|since|by|during|until|till|through|throughout|from|before"
    r"|after|of|early|late|mid)[ \t]+$"
)


_YEAR_ALONE_RE = re.compile(
    r"(?<![\w$€£.,:/#-])(?P<year>1[89]\d\d|20\d\d)"
    r"(?:[ \t]*[-–][ \t]*(?P<year2>\d{4}|\d{2}))?(?![\w%]|[.,:/]\d|[-–]\w)"
)


_WD_RANGE_RE = re.compile(
    rf"(?<![A-Za-z])(?:(?i:overnight|late|early)[ \t]+)?(?P<wd1>{_WEEKDAY})"
    rf"(?:[ \t]+{_PART})?(?:[ \t]*,?[ \t]+(?i:and))?[ \t]+(?i:into|to|through|until|till)"
    rf"[ \t]+(?:(?i:early|late)[ \t]+)?(?P<wd2>{_WEEKDAY})(?:[ \t]+{_PART})?(?![A-Za-z])"
)


_WD_RE = re.compile(
    rf"(?<![A-Za-z])(?:(?P<rel>(?i:last|this|next|overnight|early|late))[ \t]+)?"
    rf"(?P<wd>{_WEEKDAY})(?:[ \t]+{_PART})?(?![A-Za-z])"
)


_REL_DAY_RE = re.compile(
    r"(?i)(?<![A-Za-z])(?:(?P<word>yesterday|today|tomorrow|tonight)"
    r"|(?P<this>this)[ \t]+(?:morning|afternoon|evening)|(?P<lastnight>last[ \t]+night))"
    r"(?![A-Za-z])"
)


_REL_PERIOD_RE = re.compile(
    r"(?i)(?<![A-Za-z])(?:(?P<part>earlier|later)[ \t]+)?(?:(?P<the>the)[ \t]+)?"
    r"(?P<which>last|this|next|past|previous|coming)[ \t]+(?P<unit>week|month|year)"
    r"(?![A-Za-z])"
)


_WEEKEND_RE = re.compile(
    r"(?i)(?<![A-Za-z])(?P<which>the|this|last|past|previous|next|coming)[ \t]+weekend"
    r"(?![A-Za-z])"
)


_COUNT = rf"(?:\d+|an?|(?:{_NUMBER_WORD})(?:-(?:{_NUMBER_WORD}))?)"


_AGO_RE = re.compile(
    rf"(?i)(?<![A-Za-z\d])(?P<n>{_COUNT})[ \t]+(?P<unit>days?|weeks?|months?|years?)"
    r"[ \t]+ago(?![A-Za-z])"
)


_WINDOW_RE = re.compile(
    rf"(?i)(?<![A-Za-z])(?:(?:in|within|over|during)[ \t]+the[ \t]+(?:next|coming|following)"
    rf"|within)[ \t]+(?P<n1>{_COUNT})(?:[ \t]*(?:to|-|–|or)[ \t]*(?P<n2>{_COUNT}))?"
    r"[ \t]+(?P<unit>hours?|days?|weeks?)(?![A-Za-z])"
)


_ANCHORED_RE = re.compile(
    r"(?i)(?<![A-Za-z])(?:the[ \t]+(?P<next>next|following)[ \t]+day"
    r"|the[ \t]+day[ \t]+(?P<rel>after|before)|the[ \t]+(?P<prev>previous|preceding)[ \t]+day"
    r"|(?P<same>that|the[ \t]+same)[ \t]+day)(?![A-Za-z])"
)


_SCALE_AFTER_RE = re.compile(
    r"(?i)[ \t]*(?:hundred|thousand|million|billion|trillion|bn)(?![A-Za-z])"
)


_TIME_RE = re.compile(
    r"(?i)(?<![\w:.])(?:[01]?\d|2[0-3])(?::[0-5]\d)?[ \t]*(?:a\.m\.|p\.m\.|am|pm)(?![A-Za-z])"
    r"|(?<![\w:.])(?:[01]?\d|2[0-3]):[0-5]\d(?![\w:])"
    r"|(?<![\w:.])(?:[01]?\d|2[0-3])[ \t]+o[’']clock(?![A-Za-z])"
)


class _Anchor(NamedTuple):
    delta: int


_DateOut = DateValue | _Anchor | Literal["time"] | None


_DateHandler = Callable[[re.Match[str], str, dt.date | None], _DateOut]


_Relative = Callable[[re.Match[str]], bool]


def _always(m: re.Match[str]) -> bool:
    return True


def _never(m: re.Match[str]) -> bool:
    return False


def _without_year(m: re.Match[str]) -> bool:
    return not m["year"]


def _month_of(m: re.Match[str]) -> int:
    mon = m["mon"]
    if mon.isdigit():
        return int(mon)
    return _MONTHS[mon.rstrip(".").lower()]


def _day_of(m: re.Match[str], group: str = "day") -> int:
    return int(m[group].rstrip("stndrh"))


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except (ValueError, OverflowError):
        return None


def _shift(day: dt.date, days: int) -> dt.date | None:
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return None


def _interval(first: dt.date | None, last: dt.date | None) -> DateValue:
    if first is None or last is None or last < first:
        return DateValue(None, None, _OUT_OF_RANGE)
    return DateValue(first, last)


def _single(day: dt.date | None) -> DateValue:
    return _interval(day, day)


def _month_interval(year: int, month: int, mod: str | None = None) -> DateValue:
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        return DateValue(None, None, _OUT_OF_RANGE)
    last = calendar.monthrange(year, month)[1]
    first_day, last_day = {"early": (1, 10), "mid": (11, 20), "late": (21, last)}.get(
        (mod or "").lower(), (1, last)
    )
    return _interval(dt.date(year, month, first_day), dt.date(year, month, last_day))


def _year_interval(first: int, last: int) -> DateValue:
    return _interval(_safe_date(first, 1, 1), _safe_date(last, 12, 31))


def _recent_day(ref: dt.date, month: int, day: int) -> dt.date | None:
    """The latest ``month``/``day`` on or before ``ref``."""
    for back in range(9):
        found = _safe_date(ref.year - back, month, day)
        if found is not None and found <= ref:
            return found
    return None


def _yearless(month: int, day: int, ref: dt.date | None) -> DateValue:
    if _safe_date(2000, month, day) is None:
        return DateValue(None, None, _BAD_DAY)
    if ref is None:
        return DateValue(None, None, _NO_YEAR)
    return _single(_recent_day(ref, month, day))


def _full(m: re.Match[str], ref: dt.date | None) -> DateValue:
    found = _safe_date(int(m["year"]), _month_of(m), _day_of(m))
    return DateValue(found, found) if found else DateValue(None, None, _BAD_DAY)


def _h_full(m: re.Match[str], claim: str, ref: dt.date | None) -> _DateOut:
    return _full(m, ref)


def _h_yearless(m: re.Match[str], claim: str, ref: dt.date | None) -> _DateOut:
    return _yearless(_month_of(m), _day_of(m), ref)


def _h_md_range(m: re.Match[str], claim: str, ref: dt.date | None) -> _DateOut:
    month, first, last = _month_of(m), _day_of(m), _day_of(m, "day2")
    if last <= first:
        return None
    if m["year"]:
        year = int(m["year"])
    else:
        start = _yearless(month, first, ref)
        if start.first is None:
            return start
        year = start.first.year
    begin, end = _safe_date(year, month, first), _safe_date(year, month, last)
    if begin is None or end is None:
        return DateValue(None, None, _BAD_DAY)
    return DateValue(begin, end)


def _h_month_year(m: re.Match[str], claim: str, ref: dt.date | None) -> _DateOut:
    return _month_interval(int(m["year"]), _month_of(m), m["mod"])


def _h_month_alone(m: re.Match[str], claim: str, ref: dt.date | None) -> _DateOut:
    rel = (m["rel"] or "").lower()
    cue = _MONTH_CUE_RE.search(claim, max(0, m.start() - 16), m.start())
    if not rel and not m["mod"] and cue is None:
        return None
    if re.match(r"[ \t]*\d", claim[m.end() : m.end() + 3]):
        return None
    if ref is None:
        return DateValue(None, None, _NO_YEAR)
    month = _month_of(m)
    if rel == "last":
        year = ref.year if month < ref.month else ref.year - 1
    elif rel == "next":
        year = ref.year if month > ref.month else ref.year + 1
    elif rel == "this":
        year = ref.year
    else:
        year = ref.year if month <= ref.month else ref.year - 1
    return _month_interval(year, month, m["mod"])


def _h_year(m: re.Match[str], claim: str, ref: dt.date | None) -> _DateOut:
    prefix = _PREFIX_RE.search(claim, max(0, m.start() - 40), m.start())
    if prefix is not None and not prefix["between"]:
        return None
    if _plural_noun_after(claim, m.end()) or _SCALE_AFTER_RE.match(claim, m.end()):
        return None  # "2000 troops", "2000 thousand"
    first = int(m["year"])
    last = first
    if m["year2"]:
        raw = m["year2"]
        last = int(raw) if len(raw) == 4 else first - first % 100 + int(raw)
        if last <= first:
            return None
    return _year_interval(first, last)


def _weekday_before(ref: dt.date, weekday: int) -> dt.date | None:
    return _shift(ref, -((ref.weekday() - weekday) % 7))


def _h_weekday(m: re.Match[str], claim: str, ref: dt.date | None) -> _DateOut:
    if ref is None:
        return DateValue(None, None, _NO_REF)
    weekday = _WEEKDAYS[m["wd"].lower()]
    rel = (m["rel"] or "").lower()
    if rel == "last":
        return _single(_shift(ref, -((ref.weekday() - weekday) % 7 or 7)))
    if rel == "next":
        return _single(_shift(ref, (weekday - ref.weekday()) % 7 or 7))
    return _single(_weekday_before(ref, weekday))


def _h_weekday_range(m: re.Match[str], claim: str, ref: dt.date | None) -> _DateOut:
    if ref is None:
        return DateValue(None, None, _NO_REF)
    first, last = _WEEKDAYS[m["wd1"].lower()], _WEEKDAYS[m["wd2"].lower()]
    end = _weekday_before(ref, last)
    if end is None:
        return DateValue(None, None, _OUT_OF_RANGE)
    return _interval(_shift(end, -((last - first) % 7 or 7)), end)


def _h_relative_day(m: re.Match[str], claim: str, ref: dt.date | None) -> _DateOut:
    if ref is None:
        return DateValue(None, None, _NO_REF)
    if m["lastnight"]:
        return _interval(_shift(ref, -1), ref)
    word = (m["word"] or "today").lower()
    return _single(_shift(ref, {"yesterday": -1, "tomorrow": 1}.get(word, 0)))


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _h_relative_period(m: re.Match[str], claim: str, ref: dt.date | None) -> _DateOut:
    if ref is None:
        return DateValue(None, None, _NO_REF)
    which, unit = m["which"].lower(), m["unit"].lower()
    if which == "past" or (which == "last" and m["the"]):
        back = {"week": 7, "month": 30, "year": 365}[unit]
        return _interval(_shift(ref, -back), ref)
    step = {"last": -1, "previous": -1, "this": 0}.get(which, 1)
    if unit == "week":
        monday = _shift(ref, 7 * step - ref.weekday())
        value = _interval(monday, _shift(monday, 6) if monday else None)
    elif unit == "month":
        year, month = _add_months(ref.year, ref.month, step)
        value = _month_interval(year, month)
    else:
        value = _year_interval(ref.year + step, ref.year + step)
    part = (m["part"] or "").lower()
    if step == 0 and value.first is not None and value.last is not None:
        if part == "earlier":
            return DateValue(value.first, min(value.last, ref))
        if part == "later":
            return DateValue(max(value.first, ref), value.last)
    return value


def _h_weekend(m: re.Match[str], claim: str, ref: dt.date | None) -> _DateOut:
    if ref is None:
        return DateValue(None, None, _NO_REF)
    which = m["which"].lower()
    monday = _shift(ref, -ref.weekday())
    if monday is None:
        return DateValue(None, None, _OUT_OF_RANGE)
    if which in ("the", "past"):
        # the most recent weekend: this week's if it has begun, else last week's
        saturday = _shift(monday, 5 if ref.weekday() >= 5 else -2)
    elif which == "this":
        saturday = _shift(monday, 5)
    elif which in ("last", "previous"):
        saturday = _shift(monday, -2)
    else:  # next, coming
        saturday = _shift(monday, 5 if ref.weekday() < 5 else 12)
    return _interval(saturday, _shift(saturday, 1) if saturday else None)


def _h_ago(m: re.Match[str], claim: str, ref: dt.date | None) -> _DateOut:
    count = _small_count(m["n"])
    if count is None:
        return None
    if ref is None:
        return DateValue(None, None, _NO_REF)
    unit = m["unit"].lower().rstrip("s")
    if unit == "day":
        return _single(_shift(ref, -count))
    if unit == "week":
        day = _shift(ref, -7 * count)
        monday = _shift(day, -day.weekday()) if day else None
        return _interval(monday, _shift(monday, 6) if monday else None)
    if unit == "month":
        if count > 12 * dt.MAXYEAR:
            return DateValue(None, None, _OUT_OF_RANGE)
        return _month_interval(*_add_months(ref.year, ref.month, -count))
    return _year_interval(ref.year - count, ref.year - count)


def _h_window(m: re.Match[str], claim: str, ref: dt.date | None) -> _DateOut:
    low = _small_count(m["n1"])
    high = _small_count(m["n2"]) if m["n2"] else None
    if low is None or (m["n2"] and (high is None or high < low)):
        return None
    if ref is None:
        return DateValue(None, None, _NO_REF)
    hours = {"hour": 1, "day": 24, "week": 24 * 7}[m["unit"].lower().rstrip("s")]
    if high is None:
        return _interval(ref, _shift(ref, -(-low * hours // 24)))
    return _interval(_shift(ref, low * hours // 24), _shift(ref, -(-high * hours // 24)))


def _h_anchored(m: re.Match[str], claim: str, ref: dt.date | None) -> _DateOut:
    if m["next"] or (m["rel"] or "").lower() == "after":
        return _Anchor(1)
    if m["prev"] or m["rel"]:
        return _Anchor(-1)
    return _Anchor(0)


def _h_time(m: re.Match[str], claim: str, ref: dt.date | None) -> _DateOut:
    return "time"


# Tried in this order; among overlapping matches the leftmost, then the
# longest, then the earliest in this list wins. The third item says whether a
# resolved value was placed against the reference date (``relative``).
# The fourth item is the set of words (lower case; ``<digit>`` for any digit)
# of which a claim must hold one for the pattern to be tried: a cheap gate
# that keeps claims without dates fast.
_MONTH_WORDS = frozenset(_MONTHS)


_WEEKDAY_WORDS = frozenset(_WEEKDAYS)


_DIGIT = frozenset(["<digit>"])


_DATE_PATTERNS: tuple[tuple[re.Pattern[str], _DateHandler, _Relative, frozenset[str]], ...] = (
    (_MDY_RE, _h_full, _never, _MONTH_WORDS),
    (_DMY_RE, _h_full, _never, _MONTH_WORDS),
    (_ISO_RE, _h_full, _never, _DIGIT),
    (_MD_RANGE_RE, _h_md_range, _without_year, _MONTH_WORDS),
    (_MY_RE, _h_month_year, _never, _MONTH_WORDS),
    (_MD_RE, _h_yearless, _always, _MONTH_WORDS),
    (_DM_RE, _h_yearless, _always, _MONTH_WORDS),
    (_WD_RANGE_RE, _h_weekday_range, _always, _WEEKDAY_WORDS),
    (_WD_RE, _h_weekday, _always, _WEEKDAY_WORDS),
    (_REL_PERIOD_RE, _h_relative_period, _always, frozenset(["week", "month", "year"])),
    (_WEEKEND_RE, _h_weekend, _always, frozenset(["weekend"])),
    (
        _REL_DAY_RE,
        _h_relative_day,
        _always,
        frozenset(["yesterday", "today", "tomorrow", "tonight", "morning", "afternoon", "evening"])
        | frozenset(["night"]),
    ),
    (_AGO_RE, _h_ago, _always, frozenset(["ago"])),
    (_WINDOW_RE, _h_window, _always, frozenset(["hour", "hours", "day", "days", "week", "weeks"])),
    (_ANCHORED_RE, _h_anchored, _never, frozenset(["day"])),
    (_MONTH_ALONE_RE, _h_month_alone, _always, _MONTH_WORDS),
    (_YEAR_ALONE_RE, _h_year, _never, _DIGIT),
    (_TIME_RE, _h_time, _never, _DIGIT),
)


def _dates(
    claim: str,
    ref: dt.date | None,
    note: str | None = None,
    words: frozenset[str] | None = None,
    anchor: str | None = None,
) -> tuple[list[_Hit], list[tuple[int, int]]]:
    """Date facts of a claim, and every span that dates and times of day cover.

    ``note`` is the ``reason`` given to values placed against a reference date
    that is not the publication date, so that such a value is never silent
    about what it rests on.
    """
    found: list[tuple[int, int, int, _DateOut]] = []
    if words is None:
        words = _claim_words(claim)
    for rank, (pattern, handler, relative, gate) in enumerate(_DATE_PATTERNS):
        if gate.isdisjoint(words):
            continue
        for m in pattern.finditer(claim):
            out = handler(m, claim, ref)
            if isinstance(out, DateValue) and out.resolved and relative(m):
                out = attrs.evolve(out, relative=True, reason=note, anchor=anchor)
            if out is not None and m.end() > m.start():
                found.append((m.start(), -(m.end() - m.start()), rank, out))
    found.sort(key=lambda c: c[:3])
    hits: list[_Hit] = []
    occupied: list[tuple[int, int]] = []
    last_end = 0
    for start, negative_length, _, out in found:
        end = start - negative_length
        if start < last_end:
            continue
        last_end = end
        occupied.append((start, end))
        if isinstance(out, DateValue):
            hits.append(_Hit(start, end, FactKind.DATE, out))
        elif isinstance(out, _Anchor):
            hits.append(_Hit(start, end, FactKind.DATE, _anchored(hits, out.delta)))
    return hits, occupied


def _anchored(previous: Sequence[_Hit], delta: int) -> DateValue:
    for hit in reversed(previous):
        value = hit.value
        if isinstance(value, DateValue) and value.first is not None and value.first == value.last:
            return attrs.evolve(
                _single(_shift(value.first, delta)),
                relative=value.relative,
                reason=value.reason,
                anchor=value.anchor,
            )
    return DateValue(None, None, _NO_ANCHOR)


# ---------------------------------------------------------------------------
# Anchors: the publication date a document states at its top

_ANCHOR_LINES = 6  # the first non-blank lines looked at
_ANCHOR_CHARS = 800  # and no further into the text than this
_PUBLICATION_CUES = lexicon.phrases("dates", "publication_cues")
_CUE_RE = re.compile(
    r"(?i)^[ \t]*(?:[^\w\n]{0,3}[ \t]*)?(?P<cue>"
    + "|".join(
        re.escape(c).replace(r"\ ", r"[ \t]+")
        for c in sorted(_PUBLICATION_CUES, key=len, reverse=True)
    )
    + r")(?![A-Za-z])"
)
# "WASHINGTON, Oct. 1, 2024 (Reuters) -", "LONDON (AP) Oct 1, 2024 -": a place
# in capitals, then (after an optional agency) the date.
_DATELINE_RE = re.compile(r"[ \t]*(?P<place>[A-Z][A-Z.'’\- ]{1,40}[A-Z.])")
_DATELINE_GAP_RE = re.compile(r"[ \t]*[,:—–-]?[ \t]*")
_DATELINE_MORE_RE = re.compile(
    r"(?:[ \t]*,[ \t]*[A-Z][A-Za-z.]+(?:[ \t]+[A-Z][A-Za-z.]+)?)?"
    r"(?:[ \t]*\([^)\n]{1,40}\))?[ \t]*[,:—–-]?[ \t]*"
)
_WEEKDAY_ABBREVIATION_RE = re.compile(
    r"(?i)(?:"
    + "|".join(sorted(lexicon.phrases("dates", "weekday_abbreviations"), key=len, reverse=True))
    + r")\.?,?[ \t]+"
)
_DATE_ONLY_REST_RE = re.compile(
    r"(?i)[ \t]*(?:[,|·•—–-]?[ \t]*(?:at[ \t]+)?(?:[01]?\d|2[0-3])(?::[0-5]\d)?[ \t]*"
    r"(?:a\.?m\.?|p\.?m\.?)?[ \t]*(?:[A-Z]{2,4})?)?[ \t]*$"
)
_LINE_RE = re.compile(r"[^\n\r]+")


def _full_date_at(line: str, pos: int) -> tuple[dt.date, re.Match[str]] | None:
    for pattern in (_MDY_RE, _DMY_RE, _ISO_RE):
        m = pattern.match(line, pos)
        if m is not None:
            day = _safe_date(int(m["year"]), _month_of(m), _day_of(m))
            if day is not None:
                return day, m
    return None


def _first_full_date(line: str) -> tuple[dt.date, re.Match[str]] | None:
    found = []
    for pattern in (_MDY_RE, _DMY_RE, _ISO_RE):
        m = pattern.search(line)
        if m is not None:
            day = _safe_date(int(m["year"]), _month_of(m), _day_of(m))
            if day is not None:
                found.append((m.start(), day, m))
    if not found:
        return None
    _, day, m = min(found, key=lambda x: x[0])
    return day, m


@validation.checked
def find_anchor(text: str) -> tuple[dt.date, str] | None:
    r"""The publication date an article states at its top, and its kind.

    Looks at the first few lines only: a publication line (``Published: Oct.
    1, 2024``, ``Updated 10:02 AM EDT, Tue October 1, 2024``) gives
    ``"publication line"``; a dateline (``WASHINGTON, Oct. 1, 2024 (Reuters)
    -``) or a line that is a date alone (``Tuesday, October 1, 2024 3:02pm``)
    gives ``"dateline"``. A date inside an ordinary sentence, such as a photo
    caption, is not an anchor; nor is a dateline without a year.

    Examples
    --------
    >>> find_anchor("WASHINGTON, Oct. 1, 2024 (Reuters) - Officials met on Tuesday.")
    (datetime.date(2024, 10, 1), 'dateline')
    >>> find_anchor("Storm hits coast\nPublished: 2 October 2024\nThe storm came.")
    (datetime.date(2024, 10, 2), 'publication line')
    >>> find_anchor("Officials met on Oct. 1, 2024 in the capital.") is None
    True
    """
    seen = 0
    for m in _LINE_RE.finditer(text, 0, min(len(text), _ANCHOR_CHARS)):
        line = m.group()
        if not line.strip():
            continue
        seen += 1
        if seen > _ANCHOR_LINES:
            break
        cue = _CUE_RE.match(line)
        if cue is not None:
            found = _first_full_date(line[cue.end() : cue.end() + 80])
            if found is not None:
                return found[0], "publication line"
            continue
        dateline = _DATELINE_RE.match(line)
        if dateline is not None and dateline.group("place").strip(" .").isupper():
            for gap in (_DATELINE_GAP_RE, _DATELINE_MORE_RE):
                at = _full_date_at(line, gap.match(line, dateline.end()).end())  # type: ignore[union-attr]
                if at is not None:
                    return at[0], "dateline"
        pos = len(line) - len(line.lstrip())
        short = _WEEKDAY_ABBREVIATION_RE.match(line, pos)
        at = _full_date_at(line, short.end() if short is not None else pos)
        if at is not None and _DATE_ONLY_REST_RE.match(line, at[1].end()):
            return at[0], "dateline"
    return None
