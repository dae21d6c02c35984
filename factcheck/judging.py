"""Judging stage: do two claims from different documents agree or contradict?

The judge compares the typed facts of two claims that the clustering stage put
in one event cluster, and returns a :class:`~factcheck.records.Relation` with
the evidence for its decision, or ``None`` when the two claims are not
evidently about the same event.

Rules of :class:`RuleJudge`, in order:

1. **Time.** Dates the claims state in full decide whether they can be one
   event: all disjoint means two events, so no relation at all, unless the
   sentences are near-verbatim (cosine >= ``date_conflict``), which is one
   event given two dates: a date contradiction.
2. **Contradiction.** When the claims are close enough to be one event
   (cosine >= ``contradict``) and not placed on different days, a conflicting
   value contradicts: counts of the same thing whose intervals do not overlap,
   or a negation in one claim only.
3. **Agreement.** The claims agree when they share a stated date and a named
   participant (an anchored event, cosine >= ``anchored_agree``), or when
   their wording alone is a paraphrase (cosine >= ``paraphrase``). Equal
   values found on both sides are listed as the evidence.

Scores map the cosine linearly from the rule's threshold (0.5) to 1.0 (1.0);
they order relations but are not yet calibrated probabilities.
"""

from __future__ import annotations

import enum
from typing import Protocol

import attrs

from factcheck.errors import ConfigError
from factcheck.records import (
    Claim,
    Evidence,
    EvidenceKind,
    Fact,
    FactKind,
    Label,
    NumberValue,
    Relation,
)

__all__ = ["Judge", "RuleJudge", "TimeRelation", "time_relation"]


class Judge(Protocol):
    """Decides the relation between two claims of different documents."""

    def judge(self, a: Claim, b: Claim, *, similarity: float) -> Relation | None:
        """The relation of ``a`` and ``b`` (whose embeddings have cosine
        ``similarity``), or ``None`` when they are not one event."""
        ...


class TimeRelation(enum.Enum):
    """What the claims' stated dates say about them being one event."""

    SAME = "same"
    DIFFERENT = "different"
    UNKNOWN = "unknown"


def time_relation(a: Claim, b: Claim) -> tuple[TimeRelation, tuple[Fact, Fact] | None]:
    """Compare the dates two claims state in full.

    Returns the relation and, for SAME or DIFFERENT, the pair of date facts
    that shows it (the first overlapping pair, or the first pair).
    """
    da, db = a.stated_dates(), b.stated_dates()
    if not da or not db:
        return TimeRelation.UNKNOWN, None
    for fa, va in da:
        for fb, vb in db:
            if va.overlaps(vb):
                return TimeRelation.SAME, (fa, fb)
    return TimeRelation.DIFFERENT, (da[0][0], db[0][0])


def _unit_key(value: NumberValue) -> str | None:
    if value.unit is None:
        return None
    unit = value.unit.lower()
    return unit[:-1] if unit.endswith("s") and len(unit) > 3 else unit


def _evidence(kind: EvidenceKind, fa: Fact | None, fb: Fact | None, *, same: bool) -> Evidence:
    return Evidence(
        kind=kind,
        a=fa.text if fa is not None else "",
        b=fb.text if fb is not None else "",
        a_span=(fa.start, fa.end) if fa is not None else None,
        b_span=(fb.start, fb.end) if fb is not None else None,
        same=same,
    )


def _numbers(a: Claim, b: Claim) -> tuple[list[Evidence], list[Evidence]]:
    """Conflicting and equal counts of the same thing."""
    conflicts: list[Evidence] = []
    equal: list[Evidence] = []
    for fa in a.facts_of(FactKind.NUMBER):
        for fb in b.facts_of(FactKind.NUMBER):
            va, vb = fa.value, fb.value
            if not isinstance(va, NumberValue) or not isinstance(vb, NumberValue):
                continue
            unit = _unit_key(va)
            if unit is None or unit != _unit_key(vb):
                continue
            if va.overlaps(vb):
                equal.append(_evidence(EvidenceKind.NUMBER, fa, fb, same=True))
            else:
                conflicts.append(_evidence(EvidenceKind.NUMBER, fa, fb, same=False))
    return conflicts, equal


def _polarity(a: Claim, b: Claim) -> list[Evidence]:
    na = next(a.facts_of(FactKind.NEGATION), None)
    nb = next(b.facts_of(FactKind.NEGATION), None)
    if (na is None) == (nb is None):
        return []
    return [_evidence(EvidenceKind.POLARITY, na, nb, same=False)]


def _shared_entities(a: Claim, b: Claim) -> list[Evidence]:
    out: list[Evidence] = []
    seen: set[str] = set()
    b_entities = {str(f.value): f for f in b.facts_of(FactKind.ENTITY)}
    for fa in a.facts_of(FactKind.ENTITY):
        key = str(fa.value)
        if key in b_entities and key not in seen:
            seen.add(key)
            out.append(_evidence(EvidenceKind.ENTITY, fa, b_entities[key], same=True))
    return out


def _threshold(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not -1.0 <= value < 1.0:
        raise ConfigError(f"{attribute.name} must lie in [-1, 1), got {value!r}")


def _score(similarity: float, threshold: float) -> float:
    return min(1.0, max(0.0, 0.5 + 0.5 * (similarity - threshold) / (1.0 - threshold)))


@attrs.frozen(slots=True, kw_only=True)
class RuleJudge:
    """Fact-by-fact judge with similarity gates.

    Parameters
    ----------
    paraphrase : float
        Cosine at which two claims agree on wording alone.
    anchored_agree : float
        Cosine at which two claims that share a stated date and a participant agree.
    contradict : float
        Cosine at which a conflicting count or polarity is a contradiction.
    date_conflict : float
        Cosine at which two claims with disjoint stated dates are one event
        misdated (a date contradiction) rather than two events.

    Examples
    --------
    >>> import datetime as dt
    >>> from factcheck.records import Claim, DateValue, Fact, FactKind
    >>> def claim(cid, doc, text, day):
    ...     i = text.index("Dec.")
    ...     date = Fact(kind=FactKind.DATE, start=i, end=i + 13, text=text[i:i + 13],
    ...                 value=DateValue(dt.date(2023, 12, day), dt.date(2023, 12, day)))
    ...     ent = Fact(kind=FactKind.ENTITY, start=0, end=6, text="Austin", value="lloyd austin")
    ...     return Claim(id=cid, document=doc, sentence=0, start=0, end=len(text),
    ...                  text=text, facts=(ent, date))
    >>> a = claim("a:0", "a", "Austin met Gallant on Dec. 18, 2023.", 18)
    >>> b = claim("b:0", "b", "Austin visited Israel, Dec. 18, 2023.", 18)
    >>> RuleJudge().judge(a, b, similarity=0.6).label
    <Label.AGREE: 'agree'>
    """

    paraphrase: float = attrs.field(default=0.85, validator=_threshold)
    anchored_agree: float = attrs.field(default=0.35, validator=_threshold)
    contradict: float = attrs.field(default=0.7, validator=_threshold)
    date_conflict: float = attrs.field(default=0.9, validator=_threshold)

    def judge(self, a: Claim, b: Claim, *, similarity: float) -> Relation | None:
        if a.document == b.document:
            raise ConfigError(
                f"claims {a.id!r} and {b.id!r} come from one document; only claims of "
                "different documents are judged"
            )
        claims = (a.id, b.id)
        when, dates = time_relation(a, b)
        if when is TimeRelation.DIFFERENT:
            if similarity >= self.date_conflict and dates is not None:
                evidence = [_evidence(EvidenceKind.DATE, *dates, same=False)]
                return Relation(
                    label=Label.CONTRADICT,
                    claims=claims,
                    score=_score(similarity, self.date_conflict),
                    evidence=evidence,
                )
            return None
        conflicts, equal = _numbers(a, b)
        if similarity >= self.contradict:
            conflicts += _polarity(a, b)
            if conflicts:
                return Relation(
                    label=Label.CONTRADICT,
                    claims=claims,
                    score=_score(similarity, self.contradict),
                    evidence=conflicts,
                )
        shared = _shared_entities(a, b)
        if when is TimeRelation.SAME and dates is not None:
            equal.insert(0, _evidence(EvidenceKind.DATE, *dates, same=True))
        if when is TimeRelation.SAME and shared and similarity >= self.anchored_agree:
            return Relation(
                label=Label.AGREE,
                claims=claims,
                score=_score(similarity, self.anchored_agree),
                evidence=equal + shared,
            )
        if similarity >= self.paraphrase:
            wording = Evidence(
                kind=EvidenceKind.WORDING,
                a=a.text,
                b=b.text,
                a_span=(a.start, a.end),
                b_span=(b.start, b.end),
                same=True,
            )
            return Relation(
                label=Label.AGREE,
                claims=claims,
                score=_score(similarity, self.paraphrase),
                evidence=[*equal, *shared, wording],
            )
        return None
