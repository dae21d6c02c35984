"""Roles and titles with their holders."""

from __future__ import annotations

import re
from typing import NamedTuple

import attrs

from factcheck.facts import lexicon, places
from factcheck.facts.base import _ALPHA_RE, _Hit, _is_initial
from factcheck.facts.entities import (
    _ALIASES,
    _COUNTRIES,
    _LOWER_WORD_RE,
    _NO_MENTION,
    _acronyms,
    _EntityContext,
    _in_lines,
    _Index,
    _resolve,
    _segments,
    _title_lines,
    _tokens,
)
from factcheck.records import FactKind, RoleValue


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
    acronyms = _acronyms(text, segments, tokens)
    named = _EntityContext(base.proper, base.lower, title_lines, surnames, (), acronyms)
    roles: dict[RoleValue, None] = {}
    if _ROLE_RE.search(text) is not None:
        index = _Index(_resolve(text, segments, named))
        for hit in _roles(text, index, named, direct_only=True)[0]:
            if isinstance(hit.value, RoleValue) and hit.value.holder is not None:
                roles[hit.value] = None
    return _EntityContext(base.proper, base.lower, title_lines, surnames, tuple(roles), acronyms)


# Canonical role -> the ways it is written (lower case; a "." is optional, a
# space is any run of blanks, a "-" may also be a blank).
_ROLE_TABLE: dict[str, tuple[str, ...]] = {
    k: tuple(v) for k, v in lexicon.table("roles", "roles").items()
}


# Ranks and bare words that are roles only when capitalised and followed by a name.
_NAME_ONLY_ROLES = lexicon.words("roles", "name_only")


# Roles that need a holder, a country or an organisation to be worth reporting.
_VAGUE_ROLES = lexicon.words("roles", "vague")


# Roles whose canonical name depends on the country: role -> ISO code -> role.
_BY_COUNTRY: dict[str, dict[str, str]] = lexicon.table("roles", "by_country")


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


class _RoleMatch(NamedTuple):
    start: int  # the span, with its qualifier, country or organisation
    end: int
    role_start: int
    role_end: int
    key: str
    qualifier: str | None


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
                country = None
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
                    country = None
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
        by_country = _BY_COUNTRY.get(key)
        if by_country is not None and country is not None:
            code = places.country_code(country)
            key = by_country.get(code or "", by_country.get("*", key))
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


_ROLE_WORDS = frozenset(
    word for variant in _ROLE_ALIASES for word in _ALPHA_RE.findall(variant.split(" ")[0])
)
