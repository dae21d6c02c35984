"""Rule-based extraction of typed facts from claims.

Numbers, dates, negations, entities, roles, hedges, quantifiers, attributions
and who-did-what-to-whom actions.

A :class:`FactExtractor` turns character spans of a document (its claims) into
:class:`~factcheck.records.Fact` records. :class:`RuleFactExtractor` does it
with precompiled regular expressions and small word lists only: no model, no
dependencies, deterministic, roughly linear in the length of the text, and it
never raises on arbitrary text (out-of-range spans are clipped to the text).
Each extractor is gated by a word set (a claim without a month, weekday or
relative-day word is never scanned for dates, and so on), which keeps claims
without such facts cheap. No library was adopted: the candidates
(``dateparser``, ``quantulum3``, ``number-parser``, ``text2num``,
``word2number``, spaCy without a model) either lose offsets, return points
instead of intervals, misread forms the issue requires (``Sept. 28``,
``October 7-style``, ``63.5 thousand``) or carry heavy dependencies; see
``benchmarks/results/extraction.md``.

Every fact lies inside its claim span, ``fact.text`` is exactly
``document.text[fact.start:fact.end]``, and the facts of a claim are sorted by
``(start, end, kind.value)``. Each claim is read on its own: nothing outside
its span changes what is found inside it, except three document-wide inputs:
the reference date (:func:`reference_date`), the entity context (surnames
and capitalised words seen elsewhere in the document) and the roles the
document gives a named holder (``US Defense Secretary Lloyd Austin``).

Numbers
    A quantity becomes a :class:`~factcheck.records.NumberValue` interval with
    the counted thing as ``unit`` (the lower-cased head noun as written, e.g.
    ``"missiles"``, ``"israelis"``, ``"base"``; adjectives such as ``armed``
    or ``military`` and capitalised modifiers such as ``Islamic Revolutionary
    Guard Corps`` are skipped; ``%``/``percent`` gives ``"percent"`` and
    ``$``/``€``/``£`` give ``"dollars"``/``"euros"``/``"pounds"``). The span
    runs from the modifier to the unit, e.g. ``at least 63,500 Israelis``.
    Modifiers: ``roughly/about/around/some/nearly/approximately/almost N`` give
    ``[0.9N, 1.1N]`` (the fraction is configurable); ``at least N`` and
    ``N or more`` give ``[N, inf]``; ``more than/over/above N`` also give
    ``[N, inf]`` (the closed bound is deliberate: reporters round, so
    ``more than 300`` is not taken to contradict ``300``); ``fewer than/less
    than/under/below N`` and ``up to/at most/as many as N`` give ``[0, N]``;
    ``N to M``, ``N-M``, ``N or M`` and ``between N and M`` give ``[N, M]``.
    Vague plurals: ``dozens`` ``[24, 119]``, ``hundreds`` ``[200, 999]``,
    ``thousands`` ``[2000, 9999]``, ``tens of thousands`` ``[20000, 99999]``,
    ``hundreds of thousands`` ``[200000, 999999]`` (likewise for millions).
    ``one`` is a count of 1 only when a counted noun follows it
    (``one Israeli military base``), never in ``no one``, ``one of`` or
    ``one another``. Not counts: numbers inside dates and times of day, bare
    years, ages (``seven-year old``, ``7 years old``, ``aged 7``), hyphenated
    compounds (``October 7-style``, ``24-hour``), ordinals, digits glued to
    letters (``F-16``, ``7th``) and digits that follow a name (``ABC 7 News``).
    Vague words such as ``several`` or ``a few`` are not counts.

Dates
    A date becomes a :class:`~factcheck.records.DateValue` interval. Full dates
    (``Dec. 18, 2023``, ``18 December 2023``, ``December 18th, 2023``,
    ``2023-12-18``), month-and-year and bare years (``in 2023``) never need the
    reference date. Everything else is resolved against
    :func:`reference_date` and is unresolved, with a reason, without one:
    year-less dates (``Sept. 28``) take the most recent such day on or before
    the reference; a month alone needs a cue (``in September``, ``late
    September``; early = days 1-10, mid = 11-20, late = 21-end); weekdays are
    the nearest such day on or before the reference (``last``/``next``
    Wednesday: strictly before/after), and ``Saturday night and into Sunday``
    is one interval; ``last week`` is the Monday-Sunday week before the
    reference's; ``the next day``/``the day before``/``that day`` are placed
    against the last single-day date earlier in the same claim, else
    unresolved; ``in the next 24 to 48 hours`` is the reference + 1 to + 2
    days (``in the next 24 hours`` is the reference to + 1 day). A value placed
    against the reference date has ``relative=True``; an anchored one (``the
    next day``) inherits ``relative`` from its anchor.

Negations
    The cue becomes a canonical string: ``not`` (``not``, ``did not``,
    ``wasn't``, ``cannot``, any ``n't``), ``never``, ``no`` (``no`` before a
    word, ``no one``, ``nobody``, ``nothing``, ``none``), ``denied`` (any form
    of *deny*), ``declined`` (``declined to``) and ``refused`` (``refused
    to``). ``not only``/``not just`` are not negations. The span is the cue.

Entities
    Each proper-name mention becomes a lower-case key. Known aliases are merged
    (``U.S.``/``US``/``American``/``United States`` are ``"united states"``,
    ``Israeli`` is ``"israel"``, ``Tehran`` is ``"iran"``, ``WSJ`` is ``"wall
    street journal"`` ...). A leading nationality is its own entity and titles
    are dropped: ``U.S. Defense Secretary Lloyd Austin`` gives ``"united
    states"`` (span ``U.S.``) and ``"lloyd austin"`` (span ``Lloyd Austin``).
    A surname alone (``Austin``) becomes the one full name with that surname
    in the same document (``"lloyd austin"``). Ordinary capitalised words at
    the start of a sentence (``The``, ``When``, ``Making``), month, weekday and
    relative-day names, and the unknown words of title-case headlines are not
    entities. A role mention whose holder the document names elsewhere is also
    an entity: ``the American defense secretary`` is ``"lloyd austin"`` in a
    document that names ``US Defense Secretary Lloyd Austin``. Canonical keys
    are the same in every document, which is what links one actor across
    documents.

Roles
    A title becomes a :class:`~factcheck.records.RoleValue`: the canonical role
    from ``_ROLE_TABLE`` (``Secretary of Defense``, ``Defense Secretary``,
    ``Secretary of Defence`` and ``Pentagon chief`` are all ``"defense
    secretary"``; ``defense chief`` is the defense secretary of the US or UK
    and the defense minister elsewhere), the ``country`` or ``organization``
    before it (``U.S.``, ``Israeli``, ``Pentagon``, ``Hezbollah’s``) or after
    it (``leader of Hezbollah``; an organisation such as the Pentagon also
    gives its country), a ``qualifier`` (``former``, ``acting``), and the
    ``holder``: the name right after the title (past further titles:
    ``Pentagon Press Secretary Major General Pat Ryder``), else a name in
    apposition (``Hassan Nasrallah, Hezbollah’s former leader``), else the one
    holder of that role the document names elsewhere. Ranks and bare titles
    such as ``General`` or ``King`` count only capitalised before a name; vague
    ones (``leader``, ``president``) only with a holder, country or
    organisation. The span runs from the country or organisation to the title.

Hedges
    The cue becomes a canonical string: ``reportedly`` (also ``purportedly``,
    ``said to be``), ``alleged``, ``suspected``, ``apparent`` (``apparently``,
    ``seemingly``, ``appears to``), ``expected`` (``expected to``), ``likely``,
    ``possible``, ``believed`` and ``unconfirmed``.

Quantifiers
    ``all``, ``most``, ``none`` (``none``, ``no one``, ``nobody``,
    ``nothing``; these are negations too), ``every`` (``every``, ``each``),
    ``many``, ``several``, ``some``, ``few``, ``both``, ``half of`` and ``the
    majority`` become a :class:`~factcheck.records.QuantifierValue` with the
    quantified noun when it follows (``all republished articles``: target
    ``"articles"``; ``most of which``: no target). Not quantifiers: ``at
    all``, ``the most`` + adjective, ``some`` + number (an approximate count),
    ``as many as``, ``each other``.

Attribution
    Who a claim rests on becomes a :class:`~factcheck.records.SourceValue`:
    ``The Wall Street Journal reported`` (source ``"wall street journal"``,
    verb ``"report"``), ``Gallant’s office said`` and ``his office said`` (a
    possessive pronoun is the claim's first named person: ``"yoav gallant
    office"``), ``a Pentagon official said`` (``"pentagon official"``),
    ``U.S. officials told the WSJ`` (``"united states official"`` via ``"wall
    street journal"``), ``according to the WSJ``, ``according to a readout``
    (a document's issuer is the source when named: ``according to a readout
    of the call released by Pentagon ...`` is ``"pentagon"``), and inverted
    ``..., said Pentagon spokesman John Kirby``. ``X told Y`` is an attribution
    only when Y is an outlet (a known one, an acronym, a name with a media word
    or ``the`` + name); told a person it is an action. The outlet (``via``, or
    the source when it is one) tells one outlet repeated from independent
    sources.

Actions
    A simple ``X <verb> Y`` clause whose subject and object are entities
    becomes an :class:`~factcheck.records.ActionValue` (agent, verb lemma,
    patient) over a fixed list of news verbs: ``Gallant briefed Austin`` is
    (``"yoav gallant"``, ``"brief"``, ``"lloyd austin"``) and the swapped
    sentence the swapped value; the passive ``Austin was briefed by Gallant``
    gives the same value as the active. Auxiliaries and adverbs may stand
    between subject and verb, a nationality plus a group noun is its country
    (``Israeli officials notified the United States``), an object is looked for
    through titles (``told Israeli Defense Minister Yoav Gallant``) and
    ``counterpart, NAME``, and a role mention with a known holder is that
    holder. No action when the subject follows a preposition, the object
    modifies a noun (``US support``) or is part of a longer name, or either
    side is a pronoun.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import math
import re
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import Literal, NamedTuple, Protocol, runtime_checkable

import attrs

from factcheck import validation
from factcheck.errors import ConfigError
from factcheck.records import (
    ActionValue,
    DateValue,
    Document,
    Fact,
    FactKind,
    FactValue,
    NumberValue,
    QuantifierValue,
    RoleValue,
    SourceValue,
)

__all__ = ["FactExtractor", "RuleFactExtractor", "reference_date"]


# ---------------------------------------------------------------------------
# Public API


@runtime_checkable
class FactExtractor(Protocol):
    """Anything that finds the facts of claim spans of a document."""

    def extract(
        self, document: Document, spans: Sequence[tuple[int, int]]
    ) -> tuple[tuple[Fact, ...], ...]:
        """Facts of each claim span ``[start, end)`` of the document, aligned with ``spans``."""
        ...


def _fraction(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not 0.0 <= value < 1.0:
        raise ConfigError(f"{attribute.name} must lie in [0, 1), got {value!r}")


@attrs.frozen(slots=True, kw_only=True, field_transformer=validation.typed)
class RuleFactExtractor:
    """Regular-expression fact extractor for English news text.

    Parameters
    ----------
    approximate : float
        Relative half-width of the interval of an approximate number:
        ``roughly N`` is ``[N * (1 - approximate), N * (1 + approximate)]``.

    Examples
    --------
    >>> from factcheck.records import Document
    >>> doc = Document(id="a", text="Tehran launched roughly 180 missiles.")
    >>> (facts,) = RuleFactExtractor().extract(doc, [(0, len(doc.text))])
    >>> for fact in facts:
    ...     print(fact.kind.value, repr(fact.text), fact.value)
    entity 'Tehran' iran
    number 'roughly 180 missiles' NumberValue(low=162.0, high=198.0, unit='missiles')
    """

    approximate: float = attrs.field(
        default=0.1, converter=validation.to_float, validator=_fraction
    )

    def extract(
        self, document: Document, spans: Sequence[tuple[int, int]]
    ) -> tuple[tuple[Fact, ...], ...]:
        """Facts of each claim span ``[start, end)`` of the document, aligned with ``spans``.

        Parameters
        ----------
        document : Document
            The document the spans index.
        spans : sequence of (int, int)
            Claim spans; each is clipped to the text, and an empty one has no facts.

        Returns
        -------
        tuple of tuple of Fact
            One tuple per span, sorted by ``(start, end, kind.value)``.
        """
        text = document.text
        ref, source = reference_date(document)
        note = None
        if ref is not None and source != "published":
            note = f"relative to {ref.isoformat()}, the {source} (no publication date given)"
        context = _entity_context(text)
        approx = Decimal(repr(self.approximate))
        out: list[tuple[Fact, ...]] = []
        for span in spans:
            lo = min(max(int(span[0]), 0), len(text))
            hi = min(max(int(span[1]), lo), len(text))
            out.append(_claim_facts(text, lo, hi, ref, note, context, approx) if hi > lo else ())
        return tuple(out)


@validation.checked
def reference_date(document: Document) -> tuple[dt.date | None, str]:
    """The date relative expressions are resolved against, and where it came from.

    ``document.published`` if given (``"published"``), else the latest absolute
    full date (day, month and year) the document text itself states (``"latest
    date in text"``), else ``(None, reason)``.

    Examples
    --------
    >>> from factcheck.records import Document
    >>> reference_date(Document(id="a", text="On Dec. 18, 2023 and Oct. 7, 2023."))
    (datetime.date(2023, 12, 18), 'latest date in text')
    >>> reference_date(Document(id="b", text="Last week."))
    (None, 'no publication date and no full date in the text')
    """
    published = document.published
    if published is not None:
        if isinstance(published, dt.datetime):
            published = published.date()
        return published, "published"
    latest: dt.date | None = None
    for pattern in (_MDY_RE, _DMY_RE, _ISO_RE):
        for m in pattern.finditer(document.text):
            day = _safe_date(int(m["year"]), _month_of(m), _day_of(m))
            if day is not None and (latest is None or day > latest):
                latest = day
    if latest is not None:
        return latest, "latest date in text"
    return None, "no publication date and no full date in the text"


# ---------------------------------------------------------------------------
# Shared helpers


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


def _claim_facts(
    text: str,
    lo: int,
    hi: int,
    ref: dt.date | None,
    note: str | None,
    context: _EntityContext,
    approx: Decimal,
) -> tuple[Fact, ...]:
    claim = text[lo:hi]
    words = _claim_words(claim)
    dates, occupied = _dates(claim, ref, note, words)
    hits: list[_Hit] = [*dates]
    hits += _numbers(claim, _Spans(occupied), approx, words)
    if not _NEGATION_WORDS.isdisjoint(words):
        hits += _negations(claim)
    if not _HEDGE_WORDS.isdisjoint(words):
        hits += _hedges(claim)
    if not _QUANTIFIER_WORDS.isdisjoint(words):
        hits += _quantifiers(claim)
    mentions = _mentions(claim, lo, context)
    hits += _entities(mentions)
    index = _Index(mentions)
    if not _ROLE_WORDS.isdisjoint(words):
        roles, holders = _roles(claim, index, context)
        hits += roles
        hits += holders
        if holders:
            extra = [_Mention(h.start, h.end, str(h.value), True, False) for h in holders]
            index = _Index([*mentions, *extra])
    if not _SOURCE_WORDS.isdisjoint(words):
        hits += _attributions(claim, index)
    if len(index) > 1 and not _ACTION_WORDS.isdisjoint(words):
        hits += _actions(claim, index)
    hits.sort(key=lambda h: (h.start, h.end, h.kind.value))
    facts: list[Fact] = []
    seen: set[tuple[int, int, FactKind]] = set()
    for hit in hits:
        if hit.end <= hit.start or (hit.start, hit.end, hit.kind) in seen:
            continue
        seen.add((hit.start, hit.end, hit.kind))
        facts.append(
            Fact(
                kind=hit.kind,
                start=lo + hit.start,
                end=lo + hit.end,
                text=claim[hit.start : hit.end],
                value=hit.value,
            )
        )
    return tuple(facts)


# Number words, used by both numbers and dates.

_UNITS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9,
}  # fmt: skip
_TEENS: dict[str, int] = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES: dict[str, int] = {
    "thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12,
}  # fmt: skip
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


# ---------------------------------------------------------------------------
# Dates

_NO_REF = "relative to an unknown reference date"
_NO_YEAR = "no year and no reference date"
_NO_ANCHOR = "no anchor date in the claim"
_BAD_DAY = "no such calendar day"
_OUT_OF_RANGE = "outside the supported calendar range"

_MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11,
    "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7,
    "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6,
}  # fmt: skip

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
_ALPHA_RE = re.compile(r"[a-z]+")
_ANY_DIGIT_RE = re.compile(r"\d")


def _claim_words(claim: str) -> frozenset[str]:
    """The claim's lower-case letter runs, plus ``<digit>`` if it has a digit."""
    words = set(_ALPHA_RE.findall(claim.lower()))
    if _ANY_DIGIT_RE.search(claim) is not None:
        words.add("<digit>")
    return frozenset(words)


def _dates(
    claim: str, ref: dt.date | None, note: str | None = None, words: frozenset[str] | None = None
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
                out = attrs.evolve(out, relative=True, reason=note)
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
                _single(_shift(value.first, delta)), relative=value.relative, reason=value.reason
            )
    return DateValue(None, None, _NO_ANCHOR)


# ---------------------------------------------------------------------------
# Numbers

_DIGITS_RE = re.compile(
    r"(?<![\w/:.,#$€£])(?<![A-Za-z][-–])"
    r"(?:(?P<cur>[$€£])[ \t]?)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?![\d/:]|[.,]\d)"
    r"(?:[ \t]*(?P<scale>(?i:hundred|thousand|million|billion|trillion))(?![A-Za-z])"
    r"|(?P<abbr>(?i:bn))(?![A-Za-z])"
    r"|(?![A-Za-z_]))"
    r"(?P<pct>[ \t]*%|[ \t]+(?i:per[ \t]?cent|percent)(?![A-Za-z]))?"
)
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
_VAGUE_BASE: dict[str, int] = {
    "dozens": 12, "hundreds": 100, "thousands": 10**3, "millions": 10**6, "billions": 10**9,
}  # fmt: skip
_VAGUE_MULT: dict[str, tuple[int, int]] = {
    "tens": (20, 100),
    "dozens": (24, 120),
    "hundreds": (200, 1000),
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

_CURRENCY = {"$": "dollars", "€": "euros", "£": "pounds"}
_SCALE_VALUES: dict[str, int] = {"hundred": 100, "bn": 10**9, **_SCALES}

_FUNCTION_WORDS = frozenset(
    [
        "a", "about", "above", "according", "across", "after", "against", "ago", "all", "also",
        "although", "am", "amid", "among", "an", "and", "another", "any", "are", "as", "at", "be",
        "because", "been", "before", "being", "below", "between", "both", "but", "by", "can",
        "could", "did", "do", "does", "during", "each", "either", "every", "few", "for", "from",
        "had", "has", "have", "he", "her", "here", "him", "his", "how", "i", "if", "in",
        "including", "into", "is", "it", "its", "least", "less", "many", "may", "me", "might",
        "more", "most", "much", "must", "my", "near", "neither", "no", "nor", "not", "of", "off",
        "on", "once", "only", "onto", "or", "other", "others", "our", "out", "over", "per", "same",
        "several", "she", "should", "since", "so", "some", "such", "than", "that", "the", "their",
        "them", "then", "there", "these", "they", "this", "those", "though", "through", "to",
        "too", "toward", "towards", "under", "until", "up", "upon", "us", "very", "via", "was",
        "we", "were", "what", "when", "where", "whether", "which", "while", "who", "whom", "whose",
        "why", "will", "with", "within", "without", "would", "yet", "you", "your", "said", "says",
        "say", "told", "tell", "according", "reported", "reportedly", "also", "already", "still",
        "just", "even", "again", "ever", "never"
    ]
)  # fmt: skip
_VERBS = frozenset(
    [
        "said", "says", "say", "told", "tells", "were", "was", "are", "is", "be", "been", "have",
        "has", "had", "will", "would", "could", "can", "may", "might", "must", "should", "did",
        "do", "does", "died", "fled", "remain", "remains", "remained", "went", "came", "left",
        "took", "got", "made", "make", "became", "become", "stood", "fell", "hit"
    ]
)  # fmt: skip
_ADJECTIVES = frozenset(
    [
        "armed", "additional", "other", "new", "old", "young", "senior", "top", "former",
        "foreign", "military", "civilian", "unarmed", "unprecedented", "total", "further",
        "separate", "different", "major", "minor", "large", "small", "big", "key", "main",
        "suspected", "alleged", "confirmed", "estimated", "wounded", "injured", "dead", "israeli",
        "iranian", "american", "palestinian", "lebanese", "syrian", "russian", "ukrainian",
        "british"
    ]
)  # fmt: skip
_ADJECTIVE_SUFFIXES = (
    "ed", "ic", "ical", "ous", "ful", "less", "ive", "able", "ible", "al", "ary", "ian",
    "ese", "ish", "ern", "ing",
)  # fmt: skip
_PLURALS = frozenset(
    [
        "people", "men", "women", "children", "personnel", "police", "staff", "troops", "feet",
        "teeth", "data"
    ]
)  # fmt: skip


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
        if m["scale"] or m["abbr"]:
            scale = _SCALE_VALUES[(m["scale"] or m["abbr"]).lower()]
        unit = None
        if m["pct"]:
            unit = "percent"
        elif m["cur"]:
            unit = _CURRENCY[m["cur"]]
        plain = not (m["cur"] or m["scale"] or m["abbr"] or m["pct"] or "," in m["num"])
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


def _is_initial(text: str, pos: int) -> bool:
    """Whether ``pos`` starts a sentence (or the text)."""
    k = pos - 1
    while k >= 0 and text[k] in " \t\xa0":
        k -= 1
    return k < 0 or text[k] in ".!?:;\n\r“\"‘'(—–[•|"


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
        if strong is not None:
            end = strong.end()
        elif second is None and _not_a_count(claim, core, prefix):
            continue
        if prefix is not None:
            if prefix["between"] and second is None:
                prefix = None
            else:
                start = prefix.start()
        postfix = _POSTFIX_RE.match(claim, end) if strong is None else None
        if postfix is not None:
            end = postfix.end()
        unit, unit_end = last.unit, end
        single = core.word in ("one", "both") and second is None
        if unit is None:
            unit, unit_end = _find_unit(claim, end, occupied, allow_of=not single)
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


# ---------------------------------------------------------------------------
# Negations

_NEGATION_RE = re.compile(
    r"(?i)(?<![A-Za-z])(?:"
    r"(?P<nt>[a-z]+n[’']t)"
    r"|(?P<cannot>cannot)"
    r"|(?P<not>(?:(?:do|does|did|is|are|was|were|has|have|had|can|could|will|would|shall"
    r"|should|must|may|might|need)[ \t]+)?not)(?![A-Za-z])(?![ \t]+(?:only|just)(?![A-Za-z]))"
    r"|(?P<never>never)"
    r"|(?P<none>no[ \t]+one|nobody|nothing|none)"
    r"|(?P<no>no)(?=[ \t]+[A-Za-z])"
    r"|(?P<deny>den(?:y|ies|ied|ying))"
    r"|(?P<decline>declin(?:e|es|ed|ing)[ \t]+to)"
    r"|(?P<refuse>refus(?:e|es|ed|ing)[ \t]+to)"
    r")(?![A-Za-z])"
)
_NEGATION_VALUES = {
    "nt": "not", "cannot": "not", "not": "not", "never": "never", "none": "no", "no": "no",
    "deny": "denied", "decline": "declined", "refuse": "refused",
}  # fmt: skip


def _negations(claim: str) -> list[_Hit]:
    hits: list[_Hit] = []
    for m in _NEGATION_RE.finditer(claim):
        group = m.lastgroup
        if group is not None:
            hits.append(_Hit(m.start(), m.end(), FactKind.NEGATION, _NEGATION_VALUES[group]))
    return hits


# ---------------------------------------------------------------------------
# Entities

_COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "united states": (
        "us", "usa", "america", "american", "americans", "united states",
        "united states of america",
    ),
    "israel": ("israel", "israeli", "israelis", "state of israel"),
    "iran": ("iran", "iranian", "iranians", "tehran", "islamic republic",
             "islamic republic of iran"),
    "lebanon": ("lebanon", "lebanese"),
    "syria": ("syria", "syrian", "syrians"),
    "iraq": ("iraq", "iraqi", "iraqis"),
    "yemen": ("yemen", "yemeni", "yemenis"),
    "palestine": ("palestine", "palestinian", "palestinians"),
    "russia": ("russia", "russian", "russians"),
    "ukraine": ("ukraine", "ukrainian", "ukrainians"),
    "china": ("china", "chinese"),
    "united kingdom": ("uk", "britain", "british", "united kingdom", "great britain"),
    "france": ("france", "french"),
    "germany": ("germany", "german", "germans"),
    "egypt": ("egypt", "egyptian", "egyptians"),
    "jordan": ("jordan", "jordanian", "jordanians"),
    "saudi arabia": ("saudi", "saudis", "saudi arabia"),
    "qatar": ("qatar", "qatari", "qataris"),
    "turkey": ("turkey", "turkish", "turkiye"),
}  # fmt: skip
_ORG_ALIASES: dict[str, tuple[str, ...]] = {
    "idf": ("idf", "israel defense forces", "israeli defense forces", "israel defence forces"),
    "irgc": ("irgc", "islamic revolutionary guard corps", "revolutionary guard corps",
             "revolutionary guard", "revolutionary guards"),
    "pentagon": ("pentagon", "department of defense", "defense department", "dod"),
    "wall street journal": ("wsj", "wall street journal"),
    "united nations": ("un", "united nations"),
    "european union": ("eu", "european union"),
    "hezbollah": ("hezbollah", "hizbollah", "hizballah"),
    "houthis": ("houthi", "houthis"),
}  # fmt: skip
_ALIASES: dict[str, str] = {
    alias: key
    for table in (_COUNTRY_ALIASES, _ORG_ALIASES)
    for key, aliases in table.items()
    for alias in aliases
}
_COUNTRIES = frozenset(_COUNTRY_ALIASES)
_COUNTRY_NAMES = frozenset(
    [
        "us", "usa", "america", "united states of america", "tehran", "islamic republic",
        "islamic republic of iran", "state of israel", "uk", "britain", "great britain",
        "turkiye", "saudi arabia"
    ]
)  # fmt: skip
_DEMONYMS = frozenset(
    alias
    for key, aliases in _COUNTRY_ALIASES.items()
    for alias in aliases
    if alias != key and alias not in _COUNTRY_NAMES
)

_CORE_TITLES = frozenset(
    [
        "president", "minister", "secretary", "general", "gen", "maj", "major", "lt", "col",
        "colonel", "brig", "adm", "admiral", "sgt", "capt", "captain", "commander", "chief",
        "director", "spokesman", "spokeswoman", "spokesperson", "ambassador", "senator", "sen",
        "rep", "representative", "gov", "governor", "mayor", "king", "queen", "prince", "sheikh",
        "ayatollah", "mr", "mrs", "ms", "dr", "prof", "professor", "pope", "chancellor",
        "chairman", "chairwoman", "speaker", "premier", "envoy", "lieutenant", "sergeant"
    ]
)  # fmt: skip
_TITLE_MODIFIERS = frozenset(
    [
        "prime", "vice", "deputy", "defense", "defence", "foreign", "press", "interior", "finance",
        "state", "security", "national", "army", "navy", "air", "supreme", "former", "acting",
        "staff", "joint", "homeland", "affairs", "intelligence", "leader", "crown", "first",
        "attorney", "justice"
    ]
)  # fmt: skip
_GENERIC = frozenset(
    [
        "army", "navy", "consulate", "embassy", "government", "ministry", "department", "forces",
        "force", "military", "administration", "officials", "official"
    ]
)  # fmt: skip
_ORG_WORDS = frozenset(
    [
        "house", "street", "journal", "news", "foundation", "force", "forces", "corps", "guard",
        "department", "ministry", "council", "party", "agency", "office", "committee", "court",
        "university", "bank", "army", "navy", "times", "post", "press", "capture", "credit",
        "image", "media", "consulate", "embassy", "east", "west", "north", "south", "sea", "river",
        "strip", "gulf", "airport", "base", "region", "city", "nations", "union", "states",
        "kingdom", "republic", "authority", "administration", "group", "organization", "institute",
        "center", "centre", "network", "company", "inc", "corp", "ltd"
    ]
)  # fmt: skip
_STOP_CAPS = frozenset(
    [
        "a", "about", "above", "according", "across", "after", "afterwards", "again", "against",
        "ago", "all", "almost", "along", "already", "also", "although", "always", "amid", "among",
        "an", "and", "another", "any", "anyone", "anything", "are", "around", "as", "at", "back",
        "be", "because", "been", "before", "being", "below", "beneath", "beside", "besides",
        "between", "beyond", "both", "but", "by", "can", "could", "despite", "did", "do", "does",
        "doing", "done", "down", "during", "each", "earlier", "either", "else", "even", "ever",
        "every", "everyone", "everything", "except", "few", "first", "for", "former", "from",
        "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him",
        "himself", "his", "how", "however", "i", "if", "in", "including", "inside", "instead",
        "into", "is", "it", "its", "itself", "just", "last", "later", "latest", "least", "less",
        "let", "like", "many", "maybe", "me", "meanwhile", "might", "more", "moreover", "most",
        "much", "must", "my", "near", "nearly", "neither", "never", "nevertheless", "next", "no",
        "none", "nor", "not", "nothing", "now", "of", "off", "often", "on", "once", "one", "only",
        "onto", "or", "other", "others", "otherwise", "our", "ours", "out", "outside", "over",
        "per", "perhaps", "please", "rather", "recently", "same", "several", "she", "should",
        "since", "so", "some", "someone", "something", "sometimes", "soon", "still", "such",
        "than", "that", "the", "their", "theirs", "them", "then", "there", "thereafter",
        "therefore", "these", "they", "this", "those", "though", "through", "throughout", "thus",
        "to", "together", "too", "top", "toward", "towards", "under", "unless", "unlike", "until",
        "up", "upon", "very", "via", "was", "we", "were", "what", "whatever", "when", "whenever",
        "where", "whereas", "wherever", "whether", "which", "while", "who", "whoever", "whom",
        "whose", "why", "will", "with", "within", "without", "would", "yet", "you", "your",
        "yours", "nobody", "somebody", "anybody", "everybody", "making", "excuse", "share", "skip",
        "read", "click", "see", "watch", "follow", "sign", "subscribe", "related", "advertisement",
        "breaking", "update", "updated", "photo", "image", "credit", "featured", "editor", "note",
        "fewer", "roughly", "approximately", "reportedly", "apparently", "seemingly", "allegedly",
        "suspected", "dozens", "hundreds", "thousands", "millions", "tens", "half", "hundred",
        "thousand", "million", "billion", "dozen", *_UNITS, *_TEENS, *_TENS
    ]
)  # fmt: skip
_DATE_WORDS = frozenset([*_MONTHS, *_WEEKDAYS, "yesterday", "today", "tomorrow", "tonight"])
_ABBREVIATIONS = frozenset(
    [
        "maj", "gen", "lt", "col", "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "brig", "adm",
        "sgt", "capt", "prof", "st", "jr", "sr", "inc", "corp", "ltd", "co", "mt", "ft"
    ]
)  # fmt: skip

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
_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "of",
        "on",
        "or",
        "the",
        "to",
        "vs",
        "with",
    ]
)


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


def _entity_context(text: str) -> _EntityContext:
    title_lines = _title_lines(text)
    tokens = _tokens(text)
    proper = {
        t.canon
        for t in tokens
        if not _is_initial(text, t.start) and not _in_lines(title_lines, t.start)
    }
    base = _EntityContext(frozenset(proper), frozenset(_LOWER_WORD_RE.findall(text)), title_lines)
    full: dict[str, set[str]] = {}
    segments = _segments(text, 0, base, tokens)
    for segment in segments:
        if segment.person:
            full.setdefault(segment.key.rsplit(" ", 1)[-1], set()).add(segment.key)
    surnames = {last: next(iter(names)) for last, names in full.items() if len(names) == 1}
    named = _EntityContext(base.proper, base.lower, title_lines, surnames)
    roles: dict[RoleValue, None] = {}
    if _ROLE_RE.search(text) is not None:
        index = _Index(_resolve(text, segments, named))
        for hit in _roles(text, index, named, direct_only=True)[0]:
            if isinstance(hit.value, RoleValue) and hit.value.holder is not None:
                roles[hit.value] = None
    return _EntityContext(base.proper, base.lower, title_lines, surnames, tuple(roles))


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
    return key in _ALIASES or key in context.proper or key in context.surnames.values()


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
            ordinary = token.canon in context.lower or token.canon.endswith(("ing", "ly", "ed"))
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
        raw = _canon(claim[segment.start : segment.end])
        demonym = key in _COUNTRIES and raw in _DEMONYMS
        mentions.append(_Mention(segment.start, segment.end, key, person, demonym))
    return mentions


def _mentions(claim: str, offset: int, context: _EntityContext) -> list[_Mention]:
    return _resolve(claim, _segments(claim, offset, context), context)


def _entities(mentions: Sequence[_Mention]) -> list[_Hit]:
    return [_Hit(m.start, m.end, FactKind.ENTITY, m.key) for m in mentions]


# ---------------------------------------------------------------------------
# Roles

# Canonical role -> the ways it is written (lower case; a "." is optional, a
# space is any run of blanks, a "-" may also be a blank).
_ROLE_TABLE: dict[str, tuple[str, ...]] = {
    "defense secretary": (
        "defense secretary", "defence secretary", "secretary of defense", "secretary of defence",
        "pentagon chief",
    ),
    "defense minister": (
        "defense minister", "defence minister", "minister of defense", "minister of defence",
    ),
    "defense chief": ("defense chief", "defence chief"),
    "foreign minister": (
        "foreign minister", "minister of foreign affairs", "foreign secretary",
    ),
    "secretary of state": ("secretary of state",),
    "interior minister": ("interior minister", "minister of the interior", "minister of interior"),
    "finance minister": ("finance minister", "minister of finance"),
    "prime minister": ("prime minister", "premier"),
    "president": ("president",),
    "vice president": ("vice president", "vice-president"),
    "press secretary": ("press secretary",),
    "national security adviser": ("national security adviser", "national security advisor"),
    "spokesperson": ("spokesperson", "spokesman", "spokeswoman"),
    "chief of staff": ("chief of staff",),
    "supreme leader": ("supreme leader",),
    "leader": ("leader",),
    "ambassador": ("ambassador",),
    "secretary-general": ("secretary-general",),
    "attorney general": ("attorney general", "attorney-general"),
    "inspector general": ("inspector general",),
    "solicitor general": ("solicitor general",),
    "surgeon general": ("surgeon general",),
    "king": ("king",),
    "crown prince": ("crown prince",),
    "chancellor": ("chancellor",),
    "senator": ("senator", "sen."),
    "governor": ("governor", "gov."),
    "mayor": ("mayor",),
    "general": ("general", "gen."),
    "major general": ("major general", "maj. gen.", "maj.-gen."),
    "lieutenant general": ("lieutenant general", "lt. gen.", "lt.-gen."),
    "brigadier general": ("brigadier general", "brig. gen.", "brig.-gen."),
    "admiral": ("admiral", "adm."),
    "colonel": ("colonel", "col."),
    "lieutenant colonel": ("lieutenant colonel", "lt. col."),
}  # fmt: skip
# Ranks and bare words that are roles only when capitalised and followed by a name.
_NAME_ONLY_ROLES = frozenset(
    [
        "general", "major general", "lieutenant general", "brigadier general", "admiral",
        "colonel", "lieutenant colonel", "king", "chancellor", "senator", "governor", "mayor",
    ]
)  # fmt: skip
# Roles that need a holder, a country or an organisation to be worth reporting.
_VAGUE_ROLES = frozenset(["leader", "president", "ambassador", "spokesperson", "chief of staff"])
# Organisations whose officials act for a country.
_ORG_COUNTRY: dict[str, str] = {
    "pentagon": "united states", "white house": "united states", "idf": "israel",
    "irgc": "iran", "state department": "united states",
}  # fmt: skip


def _norm_role(text: str) -> str:
    return re.sub(r"[ \t\xa0-]+", " ", text.lower().replace(".", "")).strip()


_ROLE_ALIASES: dict[str, str] = {
    _norm_role(variant): key for key, variants in _ROLE_TABLE.items() for variant in variants
}


def _role_pattern(variant: str) -> str:
    parts = []
    for ch in variant:
        if ch == ".":
            parts.append(r"\.?")
        elif ch == " ":
            parts.append(r"[ \t\xa0]+")
        elif ch == "-":
            parts.append(r"[- \t]")
        else:
            parts.append(re.escape(ch))
    return "".join(parts)


_ROLE_RE = re.compile(
    r"(?i)(?<![\w-])(?:"
    + "|".join(
        _role_pattern(v)
        for v in sorted((v for vs in _ROLE_TABLE.values() for v in vs), key=lambda v: (-len(v), v))
    )
    + r")(?![\w-])"
)
_ROLE_LEFT_RE = re.compile(
    r"(?i)(?<![\w-])(?:(?P<q>former|acting|interim|outgoing|then)(?:[ \t]+|-))?"
    r"(?:(?:top|senior|new)[ \t]+)?(?:(?P<dep>deputy|assistant)[ \t]+)?$"
)
_ROLE_OF_RE = re.compile(r"(?i)[ \t]+of[ \t]+(?:the[ \t]+)?")
_APPOSITION_RE = re.compile(
    r",[ \t]+(?:(?:the|his|her|its|their|a|an)[ \t]+)?"
    r"(?:(?:[A-Z][\w.’'-]*|top|senior|former|acting|deputy|then)[ \t]+){0,6}"
)
_GAP_RE = re.compile(r"[ \t\xa0]*,?[ \t\xa0]*")
_POSSESSIVE = ("'s", "’s")


class _RoleMatch(NamedTuple):
    start: int  # the span, with its qualifier, country or organisation
    end: int
    role_start: int
    role_end: int
    key: str
    qualifier: str | None


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


def _context_holder(role: RoleValue, context: _EntityContext) -> str | None:
    holders = {
        known.holder
        for known in context.roles
        if known.role == role.role
        and (role.country is None or known.country is None or role.country == known.country)
        and (
            role.organization is None
            or known.organization is None
            or role.organization == known.organization
        )
    }
    if len(holders) == 1:
        return holders.pop()
    return None


def _roles(
    claim: str, mentions: _Index, context: _EntityContext, *, direct_only: bool = False
) -> tuple[list[_Hit], list[_Hit]]:
    """ROLE facts, and ENTITY facts for role mentions whose holder the document names elsewhere."""
    matches: list[_RoleMatch] = []
    for m in _ROLE_RE.finditer(claim):
        key = _ROLE_ALIASES[_norm_role(m.group())]
        start = m.start()
        qualifier: str | None = None
        left = _ROLE_LEFT_RE.search(claim, max(0, start - 32), start)
        if left is not None and left.group():
            if left["dep"]:
                key = f"{left['dep'].lower()} {key}"
            if left["q"]:
                qualifier = left["q"].lower()
            start = left.start("q") if left["q"] else left.start("dep") if left["dep"] else start
        matches.append(_RoleMatch(start, m.end(), m.start(), m.end(), key, qualifier))
    roles: list[_Hit] = []
    holders: list[_Hit] = []
    previous: tuple[int, RoleValue] | None = None
    for i, match in enumerate(matches):
        key = match.key
        titled = claim[match.role_start].isupper()
        start, end = match.start, match.end
        country: str | None = None
        organization: str | None = None
        owner, possessive = mentions.ending(claim, start)
        if owner is not _NO_MENTION and not (owner.person and not possessive):
            if owner.key in _COUNTRIES:
                country = owner.key
            else:
                organization = owner.key
                country = _ORG_COUNTRY.get(owner.key)
            start = owner.start
        elif previous is not None and _GAP_RE.fullmatch(claim, previous[0], start):
            country = previous[1].country  # "Pentagon Press Secretary Major General ..."
            if match.key not in _NAME_ONLY_ROLES:
                organization = previous[1].organization
        if " of " not in _norm_role(claim[match.role_start : match.role_end]):
            of = _ROLE_OF_RE.match(claim, end)
            target = mentions.at(of.end()) if of is not None else _NO_MENTION
            if target is not _NO_MENTION and not target.person and country is None:
                if target.key in _COUNTRIES:
                    country = target.key
                elif organization is None:
                    organization = target.key
                    country = _ORG_COUNTRY.get(target.key)
                end = target.end
        # The holder: a name right after the title (past further titles), or in apposition.
        holder: str | None = None
        pos, k = match.end, i + 1
        while True:
            gap = _GAP_RE.match(claim, pos)
            pos = gap.end() if gap is not None else pos
            if k < len(matches) and matches[k].start == pos:
                pos, k = matches[k].end, k + 1
                continue
            break
        after = mentions.at(pos)
        named = after.person or (
            titled
            and after is not _NO_MENTION
            and " " not in after.key
            and after.key not in _ALIASES
        )
        if named:
            holder = after.key
        else:
            for before in mentions.before(start, 160):
                if before.person:
                    if _APPOSITION_RE.fullmatch(claim, before.end, start):
                        holder = before.key
                    break
        if key == "defense chief":
            key = {"united states": "defense secretary", "united kingdom": "defense secretary"}.get(
                country or "", "defense minister" if country else key
            )
        value = RoleValue(key, country, holder, organization, match.qualifier)
        previous = (end, value)
        if match.key in _NAME_ONLY_ROLES and not (titled and after.person and holder == after.key):
            continue
        from_context = False
        if holder is None and not direct_only:
            found = _context_holder(value, context)
            if found is not None:
                value = attrs.evolve(value, holder=found)
                from_context = True
        if key in _VAGUE_ROLES and value == RoleValue(key, qualifier=match.qualifier):
            continue
        roles.append(_Hit(start, end, FactKind.ROLE, value))
        if from_context and value.holder is not None:
            holders.append(_Hit(start, end, FactKind.ENTITY, value.holder))
    return roles, holders


# ---------------------------------------------------------------------------
# Hedges and quantifiers

_HEDGE_RE = re.compile(
    r"(?i)(?<![\w-])(?:"
    r"(?P<reportedly>reportedly|purportedly|supposedly|said[ \t]+to[ \t]+(?:be|have))"
    r"|(?P<alleged>allegedly|alleged)"
    r"|(?P<suspected>suspected)"
    r"|(?P<apparent>apparently|apparent|seemingly|(?:appears?|appeared|seems?|seemed)[ \t]+to)"
    r"|(?P<expected>expected[ \t]+to)"
    r"|(?P<likely>likely|probably)"
    r"|(?P<possible>possibly|perhaps|maybe)"
    r"|(?P<believed>(?:believed|thought)[ \t]+to)"
    r"|(?P<unconfirmed>unconfirmed|unverified)"
    r")(?![\w-])"
)


def _hedges(claim: str) -> list[_Hit]:
    hits: list[_Hit] = []
    for m in _HEDGE_RE.finditer(claim):
        if m.lastgroup is not None:
            hits.append(_Hit(m.start(), m.end(), FactKind.HEDGE, m.lastgroup))
    return hits


_QUANTIFIER_RE = re.compile(
    r"(?i)(?<![\w-])(?:(?P<all>all)|(?P<most>most)|(?P<none>none|no[ \t]+one|nobody|nothing)"
    r"|(?P<every>every|each)|(?P<many>many)|(?P<several>several)|(?P<some>some)"
    r"|(?P<few>(?:a[ \t]+)?few)|(?P<both>both)|(?P<half>half)(?=[ \t]+(?:of|the)[ \t])"
    r"|(?P<most_>(?:the|a)[ \t]+majority))(?![\w-])"
)
_QUANTIFIER_SKIP_BEFORE = {
    "all": re.compile(r"(?i)(?<![A-Za-z])(?:at|after|above|for|once[ \t]+and[ \t]+for)[ \t]+$"),
    "most": re.compile(r"(?i)(?<![A-Za-z])(?:the|at|at[ \t]+the)[ \t]+$"),
    "many": re.compile(r"(?i)(?<![A-Za-z])(?:as|so|too)[ \t]+$"),
}
_QUANTIFIER_SKIP_AFTER = {
    "all": re.compile(r"(?i)[ \t]+but(?![A-Za-z])"),
    "some": re.compile(rf"(?i)[ \t]+(?:\d|(?:{_NUMBER_WORD})(?![A-Za-z]))"),
    "every": re.compile(r"(?i)[ \t]+other(?![A-Za-z])"),
    "few": re.compile(r"(?i)[ \t]+(?:more|less|than)(?![A-Za-z])"),
}
_QUANTIFIED_RE = re.compile(
    r"(?i)[ \t]+(?:of[ \t]+(?:(?:the|their|its|his|her|our|these|those)[ \t]+)?)?([^\W\d_])"
)
_OF_AFTER_RE = re.compile(r"(?i)[ \t]+of(?![A-Za-z])")
_NO_SPANS = _Spans([])


def _quantifiers(claim: str) -> list[_Hit]:
    hits: list[_Hit] = []
    for m in _QUANTIFIER_RE.finditer(claim):
        group = m.lastgroup
        if group is None:
            continue
        value = group.rstrip("_")
        before = _QUANTIFIER_SKIP_BEFORE.get(value)
        if before is not None and before.search(claim, max(0, m.start() - 20), m.start()):
            continue
        after = _QUANTIFIER_SKIP_AFTER.get(value)
        if after is not None and after.match(claim, m.end()):
            continue
        target, _ = _find_unit(claim, m.end(), _NO_SPANS, allow_of=True)
        first = _QUANTIFIED_RE.match(claim, m.end())
        if first is not None and first.group(1)[0].isupper():
            target = None  # "All Tim Cook offered": not a noun the quantifier takes
        if value == "most" and target is None and not _OF_AFTER_RE.match(claim, m.end()):
            continue  # "most" before an adjective is a superlative
        hits.append(_Hit(m.start(), m.end(), FactKind.QUANTIFIER, QuantifierValue(value, target)))
    return hits


# ---------------------------------------------------------------------------
# Attribution

_SAY_VERBS: dict[str, str] = {
    "said": "say", "says": "say", "say": "say", "told": "tell", "tells": "tell",
    "reported": "report", "reports": "report", "added": "add", "adds": "add",
    "stated": "state", "states": "state", "announced": "announce", "announces": "announce",
    "confirmed": "confirm", "confirms": "confirm", "claimed": "claim", "claims": "claim",
    "wrote": "write", "writes": "write", "noted": "note", "notes": "note",
    "explained": "explain", "insisted": "insist", "insists": "insist", "warned": "warn",
    "warns": "warn", "acknowledged": "acknowledge", "acknowledges": "acknowledge",
    "revealed": "reveal", "disclosed": "disclose",
}  # fmt: skip
_SOURCE_HEADS: dict[str, str] = {
    "official": "official", "officials": "official", "source": "source", "sources": "source",
    "spokesman": "spokesperson", "spokeswoman": "spokesperson", "spokesperson": "spokesperson",
    "office": "office", "ministry": "ministry", "statement": "statement", "readout": "readout",
    "report": "report", "reports": "report", "aide": "aide", "aides": "aide",
    "diplomat": "diplomat", "diplomats": "diplomat", "analyst": "analyst", "analysts": "analyst",
    "military": "military", "army": "army", "government": "government",
    "administration": "administration", "agency": "agency", "media": "media",
    "newspaper": "newspaper", "outlet": "outlet", "expert": "expert", "experts": "expert",
    "witness": "witness", "witnesses": "witness", "police": "police",
    "authorities": "authorities", "officer": "officer", "officers": "officer",
    "commander": "commander", "commanders": "commander", "leaders": "leader",
    "residents": "resident", "people": "people", "person": "person", "document": "document",
    "documents": "document", "release": "release", "transcript": "transcript",
}  # fmt: skip
# Heads that name a document: its issuer is the source ("a Pentagon readout" is "pentagon").
_DOCUMENT_HEADS = frozenset(["statement", "readout", "report", "document", "release", "transcript"])
_MEDIA = frozenset(
    [
        "wall street journal", "cnn", "bloomberg", "reuters", "associated press", "ap", "afp",
        "bbc", "new york times", "washington post", "axios", "politico", "haaretz",
        "al jazeera", "fox news", "nbc news", "abc news", "cbs news", "nbc", "abc", "cbs",
        "times of israel", "financial times", "guardian", "the guardian", "npr", "al arabiya",
        "jerusalem post", "the jerusalem post", "channel 12", "kan", "ynet", "tass", "irna",
        "press tv", "fars", "tasnim", "daily caller", "the wall street journal",
    ]
)  # fmt: skip
_MEDIA_WORDS = frozenset(
    [
        "news", "times", "post", "journal", "press", "tv", "radio", "magazine", "daily", "herald",
        "tribune", "gazette", "telegraph", "insider", "monde", "today", "channel", "network",
        "agency", "broadcasting", "mail", "mirror", "independent", "guardian", "standard",
        "express", "observer", "chronicle", "wire", "buzzfeed", "yahoo", "fox", "cnbc", "mtv",
    ]
)  # fmt: skip
_THE_BEFORE_RE = re.compile(r"(?i)(?<![A-Za-z])the[ \t]+$")
_PRONOUNS = frozenset(["his", "her", "its", "their"])
_SAY_RE = re.compile(
    r"(?<![\w-])(?P<verb>" + "|".join(sorted(_SAY_VERBS, key=len, reverse=True)) + r")(?![\w-])"
)
_ACCORDING_RE = re.compile(r"(?i)(?<![\w-])according[ \t]+to[ \t]+")
_SOURCE_ADJ = (
    r"(?:(?:top|senior|other|two|three|several|some|many|anonymous|unnamed|unidentified|military"
    r"|intelligence|administration|defense|defence|government|security|western|regional"
    r"|local)[ \t]+)*"
)
# "(top) (U.S.) officials (familiar with the matter)": a source phrase, used on its
# own and as the words just before an attribution verb.
_SOURCE_PHRASE = (
    rf"(?P<adj>{_SOURCE_ADJ})(?P<head>"
    + "|".join(sorted(_SOURCE_HEADS, key=len, reverse=True))
    + r")(?P<post>[ \t]+(?:familiar[ \t]+with[ \t]+the[ \t]+\w+"
    r"|with[ \t]+(?:direct[ \t]+)?knowledge[ \t]+of[ \t]+the[ \t]+\w+"
    r"|speaking[ \t]+on[ \t]+(?:the[ \t]+)?condition[ \t]+of[ \t]+anonymity"
    r"|briefed[ \t]+on[ \t]+the[ \t]+\w+|close[ \t]+to[ \t]+the[ \t]+\w+))?"
)
_SOURCE_HEAD_RE = re.compile(r"(?i)" + _SOURCE_PHRASE)
_SOURCE_BEFORE_RE = re.compile(r"(?i)(?<![\w-])" + _SOURCE_PHRASE + r"[ \t]+$")
_DET_RE = re.compile(r"(?i)(?:the|a|an|his|her|its|their)[ \t]+")
_PRONOUN_BEFORE_RE = re.compile(r"(?i)(?<![A-Za-z])(?P<pron>his|her|its|their)[ \t]+$")
_VIA_RE = re.compile(
    r"(?i)[ \t]+(?:(?:who|that)[ \t]+)?(?:spoke|speaking|talked|talking)[ \t]+(?:to|with)[ \t]+"
    r"(?:the[ \t]+)?"
)
_BY_RE = re.compile(
    r"(?i)(?:[ \t]+of[ \t]+the[ \t]+\w+)?[ \t]+(?:released|issued|published|put[ \t]+out)[ \t]+"
    r"by[ \t]+(?:the[ \t]+)?"
)
_INVERTED_GAP_RE = re.compile(
    r"(?:(?:[A-Z][\w.’'-]*|spokesman|spokeswoman|spokesperson|official|minister|secretary"
    r"|adviser|advisor|director|chief|leader|president|press|defense|defence|foreign|prime"
    r"|deputy|senior|top|general|ambassador|envoy|commander)[ \t]+)*"
)
_END_OF_CLAUSE_RE = re.compile(r"[ \t]*(?:[.,;:!?”\"’)]|$)")
_NOUN_LIKE_VERBS = frozenset(["reports", "report", "claims", "notes", "states", "say"])
_CLAUSE_AFTER_RE = re.compile(r"(?i)[ \t]*(?:that(?![\w-])|[.,;:!?”\"’]|$)")
_ACCORDING_BEFORE_RE = re.compile(r"(?i)(?<![A-Za-z])according[ \t]+to[ \t]+(?:the[ \t]+)?$")
_SAID_TO_RE = re.compile(r"[ \t]+to[ \t]+(?:be|have)(?![\w-])")
_REPORTERS_RE = re.compile(r"(?i)(?:reporters|journalists|the[ \t]+press)(?![\w-])")


def _source_key(
    claim: str,
    mentions: _Index,
    head: re.Match[str] | None,
    start: int,
) -> tuple[str | None, int]:
    """The key of a source noun phrase whose head (if any) is ``head``, and its start.

    ``start`` is where the head phrase (its adjectives) starts; a mention or a
    possessive pronoun just before it is the source's owner.
    """
    owner, _ = mentions.ending(claim, start)
    owner_key: str | None = None
    if owner is not _NO_MENTION:
        owner_key, start = owner.key, owner.start
    else:
        pron = _PRONOUN_BEFORE_RE.search(claim, max(0, start - 8), start)
        if pron is not None:
            owner_key = mentions.first_person if pron["pron"].lower() != "its" else None
            start = pron.start()
    if head is None:
        return owner_key, start
    noun = _SOURCE_HEADS[head["head"].lower()]
    if owner_key is not None and noun in _DOCUMENT_HEADS:
        return owner_key, start
    return (f"{owner_key} {noun}" if owner_key else noun), start


def _is_outlet(claim: str, mention: _Mention) -> bool:
    """Whether a mention that was told something is a news outlet.

    A known outlet, an acronym (``MTV``), a name with a media word (``Business
    Insider``, ``Epoch Times``) or an organisation named with ``the`` (``the
    Mirror``); never a person, a country or a nationality.
    """
    if mention.key in _MEDIA:
        return True
    if mention.person or mention.demonym or mention.key in _COUNTRIES or mention.end < 0:
        return False
    raw = claim[mention.start : mention.end].replace(".", "")
    if len(raw) > 1 and raw.isupper():
        return True
    if not _MEDIA_WORDS.isdisjoint(mention.key.split()):
        return True
    return _THE_BEFORE_RE.search(claim, max(0, mention.start - 6), mention.start) is not None


def _via(claim: str, mentions: _Index, pos: int) -> tuple[str | None, int]:
    """An outlet told (``told the WSJ``, ``told The Telegraph``) at ``pos``, and where it ends."""
    det = _DET_RE.match(claim, pos)
    at = det.end() if det is not None else pos
    outlet = mentions.at(at)
    if _is_outlet(claim, outlet):
        return outlet.key, outlet.end
    reporters = _REPORTERS_RE.match(claim, at)
    if reporters is not None:
        return "reporters", reporters.end()
    return None, pos


def _attributions(claim: str, mentions: _Index) -> list[_Hit]:
    hits: list[_Hit] = []
    for m in _SAY_RE.finditer(claim):
        verb = _SAY_VERBS[m["verb"]]
        if _SAID_TO_RE.match(claim, m.end()):
            continue  # "said to be" is a hedge
        if m["verb"] in _NOUN_LIKE_VERBS and not _CLAUSE_AFTER_RE.match(claim, m.end()):
            continue  # "US reports", "initial reports suggested"
        source: str | None = None
        start = m.start()
        speaker, _ = mentions.ending(claim, m.start())
        gap = claim[speaker.end : m.start()] if speaker is not _NO_MENTION else ""
        if speaker is not _NO_MENTION and gap.strip(" \t\xa0") == "" and not speaker.demonym:
            if _ACCORDING_BEFORE_RE.search(claim, max(0, speaker.start - 24), speaker.start):
                continue  # "according to US reports" is read below
            source, start = speaker.key, speaker.start
        else:
            head = _SOURCE_BEFORE_RE.search(claim, max(0, m.start() - 120), m.start())
            if head is not None:
                source, start = _source_key(claim, mentions, head, head.start())
        end = m.end()
        via: str | None = None
        if verb == "tell":
            via, end = _via(claim, mentions, _skip_blanks(claim, m.end()))
            if via is None:
                continue  # "Austin told Gallant" is an action, not an attribution
        elif source is None and claim[: m.start()].rstrip(" \t\xa0")[-1:] in (",", "”", '"'):
            # Inverted: `..., said a Pentagon official`, `," said Pentagon spokesman John Kirby`
            pos = _skip_blanks(claim, m.end())
            det = _DET_RE.match(claim, pos)
            pos = det.end() if det is not None else pos
            named = mentions.at(pos)
            person = next((x for x in mentions.after(pos, 47) if x.person), None)
            head = _SOURCE_HEAD_RE.match(claim, _skip_blanks(claim, named.end))
            if person is not None and _INVERTED_GAP_RE.fullmatch(claim, pos, person.start):
                source, end = person.key, person.end
            elif named is not _NO_MENTION and head is not None:
                source = f"{named.key} {_SOURCE_HEADS[head['head'].lower()]}"
                end = head.end("head")
            elif named is not _NO_MENTION and not named.demonym:
                source, end = named.key, named.end
            if source is not None and not _END_OF_CLAUSE_RE.match(claim, end):
                source = None  # "..., said ISIS terrorists were planning"
        if source is None:
            continue
        hits.append(_Hit(start, end, FactKind.ATTRIBUTION, SourceValue(source, verb, via)))
    for m in _ACCORDING_RE.finditer(claim):
        pos = m.end()
        det = _DET_RE.match(claim, pos)
        pos = det.end() if det is not None else pos
        named = mentions.at(pos)
        head_at = _skip_blanks(claim, named.end) if named is not _NO_MENTION else pos
        head = _SOURCE_HEAD_RE.match(claim, head_at)
        end = pos
        source = None
        if head is not None:
            source, _ = _source_key(claim, mentions, head, head_at)
            end = head.end("head")
            noun = _SOURCE_HEADS[head["head"].lower()]
            issuer = _BY_RE.match(claim, head.end())
            if issuer is not None and noun in _DOCUMENT_HEADS and named is _NO_MENTION:
                by = mentions.at(issuer.end())
                if by is not _NO_MENTION:
                    source, end = by.key, by.end
        elif named is not _NO_MENTION and not named.demonym:
            source, end = named.key, named.end
        if source is None:
            continue
        via = None
        spoke = _VIA_RE.match(claim, head.end() if head is not None else end)
        if spoke is not None:
            outlet = mentions.at(spoke.end())
            if outlet is not _NO_MENTION and outlet.key in _MEDIA:
                via, end = outlet.key, outlet.end
        hits.append(
            _Hit(m.start(), end, FactKind.ATTRIBUTION, SourceValue(source, "according to", via))
        )
    return hits


def _skip_blanks(claim: str, pos: int) -> int:
    while pos < len(claim) and claim[pos] in " \t\xa0":
        pos += 1
    return pos


# ---------------------------------------------------------------------------
# Who did what to whom

_REGULAR_VERBS = (
    "attack", "kill", "invade", "assassinate", "target", "bomb", "shell", "raid", "brief", "ask",
    "urge", "call", "phone", "visit", "notify", "inform", "warn", "thank", "press", "accuse",
    "blame", "criticize", "criticise", "condemn", "sanction", "threaten", "support", "back",
    "join", "defeat", "capture", "arrest", "detain", "release", "host", "invite", "contact",
    "reassure", "assure", "defend", "help", "reject", "endorse", "praise", "reach", "recognize",
    "oppose", "pressure", "congratulate", "welcome", "expel", "summon", "block", "fight",
    "strike", "hit", "meet", "tell", "speak", "talk", "fire", "shoot", "beat",
)  # fmt: skip
_IRREGULAR: dict[str, tuple[str, ...]] = {
    "strike": ("struck", "stricken"), "hit": ("hit",), "meet": ("met",), "tell": ("told",),
    "speak": ("spoke", "spoken"), "fight": ("fought",), "shoot": ("shot",), "beat": ("beaten",),
    "expel": ("expelled",),
}  # fmt: skip
# Verbs whose patient follows a preposition: "spoke with Gallant".
_PREPOSITIONS: dict[str, tuple[str, ...]] = {
    "speak": ("with", "to"), "talk": ("with", "to"), "meet": ("with",), "fight": ("against",),
    "fire": ("at", "on"), "call": ("on",), "shoot": ("at",),
}  # fmt: skip
_INTRANSITIVE = frozenset(["speak", "talk", "fire", "shoot"])


def _verb_forms(lemma: str) -> list[str]:
    if lemma in ("hit", "beat", "shoot", "strike", "meet", "tell", "speak", "fight"):
        stem_forms = [lemma, lemma + "s"]
    elif lemma.endswith("e"):
        stem_forms = [lemma, lemma + "s", lemma + "d"]
    elif lemma.endswith("y") and lemma[-2] not in "aeiou":
        stem_forms = [lemma, lemma[:-1] + "ies", lemma[:-1] + "ied"]
    elif lemma.endswith(("ss", "sh", "ch")):
        stem_forms = [lemma, lemma + "es", lemma + "ed"]
    elif lemma in ("target", "visit", "summon", "threaten", "welcome"):
        stem_forms = [lemma, lemma + "s", lemma + "ed"]
    elif re.fullmatch(r".*[^aeiou][aeiou][bdgmnpt]", lemma):
        stem_forms = [lemma, lemma + "s", lemma + lemma[-1] + "ed"]
    else:
        stem_forms = [lemma, lemma + "s", lemma + "ed"]
    return [*stem_forms, *_IRREGULAR.get(lemma, ())]


_ACTION_VERBS: dict[str, str] = {
    form: lemma for lemma in _REGULAR_VERBS for form in _verb_forms(lemma)
}
_ACTION_RE = re.compile(
    r"(?<![\w-])(?P<verb>"
    + "|".join(sorted(_ACTION_VERBS, key=len, reverse=True))
    + r")(?![\w-])(?:[ \t]+(?P<prep>with|to|against|at|on|by)(?![\w-]))?"
)
_AGENT_GAP_RE = re.compile(
    r"(?i)(?:[ \t]+(?:(?:has|have|had|will|would|also|again|then|later|reportedly|previously"
    r"|repeatedly|once|did|does|do|not|never|already|personally|just|to|allegedly|could|may"
    r"|might|must|should|can|cannot)(?![\w-])))*[ \t]+"
)
_PASSIVE_GAP_RE = re.compile(
    r"(?i)[ \t]+(?:(?:was|were|is|are|has[ \t]+been|have[ \t]+been|had[ \t]+been|being"
    r"|will[ \t]+be|been)(?![\w-]))(?:[ \t]+(?:also|again|reportedly|allegedly|never|not))*[ \t]+"
)
_GROUP_NOUNS = frozenset(
    [
        "forces", "officials", "troops", "military", "government", "army", "navy", "jets",
        "warplanes", "leaders", "authorities", "diplomats", "negotiators", "strikes",
        "airstrikes", "soldiers", "police", "militants", "fighters", "aircraft",
    ]
)  # fmt: skip
_PREPOSITION_BEFORE_RE = re.compile(
    r"(?i)(?<![A-Za-z])(?:in|at|of|from|for|with|on|into|across|near|by|about|against|to"
    r"|toward|towards|outside|inside|over|under|between|among|during|through|throughout"
    r"|within|without|around|behind|beyond|via|per)[ \t]+(?:the[ \t]+)?$"
)
_NEXT_WORD_RE = re.compile(r"[ \t]+([a-z][\w-]*)")
_ADVERBS = frozenset(
    [
        "earlier", "later", "today", "yesterday", "tonight", "again", "too", "instead", "first",
        "last", "directly", "overnight", "now", "then", "twice", "once", "privately", "publicly",
        "ahead", "afterwards", "soon",
    ]
)  # fmt: skip
_GROUP_AFTER_RE = re.compile(
    r"[ \t]+(?:(?P<counterpart>counterparts?),?[ \t]+|(?P<noun>"
    + "|".join(sorted(_GROUP_NOUNS))
    + r")(?![\w-]))"
)
_CHAIN_RE = re.compile(r"(?:[ \t]+(?:[A-Z][\w.’'-]*|of))*[ \t]+")
_OBJECT_DET_RE = re.compile(r"(?i)(?:the|his|her|its|their)[ \t]+")


def _agent(claim: str, mentions: _Index, pos: int) -> _Mention:
    """The subject entity of a verb at ``pos`` (across auxiliaries and a group noun)."""
    for m in mentions.before(pos, pos + 1):
        if _PREPOSITION_BEFORE_RE.search(claim, max(0, m.start - 24), m.start):
            return _NO_MENTION  # "a staff member at the hospital contacted ..."
        between = claim[m.end : pos]
        if _AGENT_GAP_RE.fullmatch(between):
            return _NO_MENTION if m.demonym else m
        words = between.split()
        if words and words[0].lower() in _GROUP_NOUNS:
            rest = between[between.lower().index(words[0].lower()) + len(words[0]) :]
            if _AGENT_GAP_RE.fullmatch(rest) and not m.person:
                return m
        return _NO_MENTION
    return _NO_MENTION


def _patient(claim: str, mentions: _Index, pos: int) -> _Mention:
    """The object entity of a verb that ends at ``pos``."""
    pos = _skip_blanks(claim, pos)
    det = _OBJECT_DET_RE.match(claim, pos)
    if det is not None:
        pos = det.end()
    first = mentions.at(pos)
    if first is _NO_MENTION:
        return _NO_MENTION
    target = first
    group = _GROUP_AFTER_RE.match(claim, first.end)
    if first.demonym and group is not None:
        if group["counterpart"]:
            # "his Israeli counterpart, Yoav Gallant"
            other = mentions.at(group.end())
            return other if other.person else _NO_MENTION
        return _Mention(first.start, group.end("noun"), first.key, False, False)
    if first.demonym or not first.person:
        # "Israeli Defense Minister Yoav Gallant": the person at the end of the title chain
        for m in mentions.after(first.end + 1, 80):
            if _CHAIN_RE.fullmatch(claim, first.end, m.start):
                if m.person:
                    target = m
                break
    if target.demonym:
        return _NO_MENTION
    if not target.person and mentions.at(_skip_blanks(claim, target.end)).end > 0:
        return _NO_MENTION  # "Iraq Survey Group": part of a longer name
    after = claim[target.end : target.end + 20]
    if after[:2] in _POSSESSIVE:
        return _NO_MENTION
    word = _NEXT_WORD_RE.match(after)
    if word is not None and not target.person:
        w = word.group(1)
        ordinary = w in _FUNCTION_WORDS or w in _VERBS or w in _ADVERBS
        if not ordinary and not w.endswith(("ed", "ly")):
            return _NO_MENTION  # "US support": the entity modifies a noun
    return target


def _actions(claim: str, mentions: _Index) -> list[_Hit]:
    hits: list[_Hit] = []
    if len(mentions) < 2:
        return hits
    for m in _ACTION_RE.finditer(claim):
        lemma = _ACTION_VERBS[m["verb"]]
        prep = m["prep"]
        passive = _PASSIVE_GAP_RE
        subject_end = m.start()
        before_subject = mentions.last_ending_by(subject_end)
        is_passive = (
            prep == "by"
            and before_subject is not _NO_MENTION
            and passive.fullmatch(claim, before_subject.end, m.start()) is not None
        )
        if is_passive:
            agent = _patient(claim, mentions, m.end())
            patient = before_subject if not before_subject.demonym else _NO_MENTION
            start, end = patient.start, agent.end
        else:
            agent = _agent(claim, mentions, m.start())
            if prep is not None and prep in _PREPOSITIONS.get(lemma, ()):
                patient = _patient(claim, mentions, m.end())
            elif lemma in _INTRANSITIVE:
                continue
            else:
                patient = _patient(claim, mentions, m.end("verb"))
            start, end = agent.start, patient.end
        if agent is _NO_MENTION or patient is _NO_MENTION or agent.key == patient.key:
            continue
        if lemma == "tell" and _is_outlet(claim, patient):
            continue  # "officials told the WSJ" is an attribution
        hits.append(_Hit(start, end, FactKind.ACTION, ActionValue(agent.key, lemma, patient.key)))
    return hits


# Gates: a claim must hold one of these words for the extractor to be run.
_NEGATION_WORDS = frozenset(
    [
        "t", "cannot", "not", "never", "no", "nobody", "nothing", "none", "deny", "denies",
        "denied", "denying", "decline", "declines", "declined", "declining", "refuse", "refuses",
        "refused", "refusing",
    ]
)  # fmt: skip
_HEDGE_WORDS = frozenset(
    [
        "reportedly", "purportedly", "supposedly", "said", "allegedly", "alleged", "suspected",
        "apparently", "apparent", "seemingly", "appears", "appear", "appeared", "seems", "seem",
        "seemed", "expected", "likely", "probably", "possibly", "perhaps", "maybe", "believed",
        "thought", "unconfirmed", "unverified",
    ]
)  # fmt: skip
_QUANTIFIER_WORDS = frozenset(
    [
        "all", "most", "none", "no", "nobody", "nothing", "every", "each", "many", "several",
        "some", "few", "both", "half", "majority",
    ]
)  # fmt: skip
_ROLE_WORDS = frozenset(
    word for variant in _ROLE_ALIASES for word in _ALPHA_RE.findall(variant.split(" ")[0])
)
_SOURCE_WORDS = frozenset([*_SAY_VERBS, "according"])
_ACTION_WORDS = frozenset(_ACTION_VERBS)
