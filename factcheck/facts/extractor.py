"""The rule-based fact extractor: runs the plug-ins over each claim span."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol, runtime_checkable

import attrs

from factcheck import validation
from factcheck.errors import ConfigError
from factcheck.facts.actions import _ACTION_WORDS, _actions
from factcheck.facts.attribution import _HEDGE_WORDS, _SOURCE_WORDS, _attributions, _hedges
from factcheck.facts.base import _claim_words, _Hit, _Spans
from factcheck.facts.dates import _dates, find_anchor
from factcheck.facts.entities import _entities, _EntityContext, _Index, _Mention, _mentions
from factcheck.facts.numbers import _numbers
from factcheck.facts.polarity import _NEGATION_WORDS, _QUANTIFIER_WORDS, _negations, _quantifiers
from factcheck.facts.roles import _ROLE_WORDS, _entity_context, _roles
from factcheck.records import Document, Fact, FactKind


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
    >>> doc = Document(id="a", text="Rescuers in Izmir pulled roughly 180 people out.")
    >>> (facts,) = RuleFactExtractor().extract(doc, [(0, len(doc.text))])
    >>> for fact in facts:
    ...     print(fact.kind.value, repr(fact.text), fact.value)
    entity 'Izmir' izmir
    number 'roughly 180 people' NumberValue(low=162.0, high=198.0, unit='people')
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
        anchor = source if ref is not None else None
        if ref is not None and source != "published":
            note = f"relative to {ref.isoformat()}, the article's {source}"
        context = _entity_context(text)
        approx = Decimal(repr(self.approximate))
        out: list[tuple[Fact, ...]] = []
        for span in spans:
            lo = min(max(int(span[0]), 0), len(text))
            hi = min(max(int(span[1]), lo), len(text))
            out.append(
                _claim_facts(text, lo, hi, ref, note, context, approx, anchor) if hi > lo else ()
            )
        return tuple(out)


@validation.checked
def reference_date(document: Document) -> tuple[dt.date | None, str]:
    """The date relative expressions are resolved against, and where it came from.

    ``document.published`` if given (``"published"``), else a publication date
    the article states at its top (:func:`~factcheck.facts.dates.find_anchor`:
    ``"dateline"`` or ``"publication line"``), else ``(None, reason)``. A date
    elsewhere in the text is never taken as the reference: it is often a
    background date.

    Examples
    --------
    >>> from factcheck.records import Document
    >>> reference_date(Document(id="a", text="On Dec. 18, 2023 and Oct. 7, 2023."))
    (None, 'no publication date given and no dateline or publication line at the top')
    >>> reference_date(Document(id="b", text="PARIS, 3 May 2024 (AFP) - They met last week."))
    (datetime.date(2024, 5, 3), 'dateline')
    """
    published = document.published
    if published is not None:
        if isinstance(published, dt.datetime):
            published = published.date()
        return published, "published"
    found = find_anchor(document.text)
    if found is not None:
        return found
    return None, "no publication date given and no dateline or publication line at the top"


def _claim_facts(
    text: str,
    lo: int,
    hi: int,
    ref: dt.date | None,
    note: str | None,
    context: _EntityContext,
    approx: Decimal,
    anchor: str | None = None,
) -> tuple[Fact, ...]:
    claim = text[lo:hi]
    words = _claim_words(claim)
    dates, occupied = _dates(claim, ref, note, words, anchor)
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
