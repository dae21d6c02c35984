"""Reporting stage: the :class:`Report` and its JSON and Markdown views.

``Report.to_dict()`` is the stable, JSON-serialisable shape other tools rely on::

    documents: [{"id", "title", "published"}]          published: "YYYY-MM-DD" or null
    claims:    [{"id", "document", "text", "start", "end", "facts": [...]}]
    skipped:   [{"document", "text", "start", "end", "reason"}]
    clusters:  [{"id", "claims": [claim id, ...]}]
    relations: [{"label": "agree" | "contradict", "claims": [id, id], "score",
                 "evidence": [{"kind", "a", "b", "a_span", "b_span", "same"}]}]

Every ``start``/``end`` pair indexes the text of the named document.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import attrs

from factcheck.records import (
    Claim,
    Cluster,
    DateValue,
    Document,
    Evidence,
    Fact,
    Label,
    NumberValue,
    Relation,
    Skipped,
)

__all__ = ["Report"]


def _documents(v: Iterable[Document]) -> tuple[Document, ...]:
    return tuple(v)


def _claims(v: Iterable[Claim]) -> tuple[Claim, ...]:
    return tuple(v)


def _skipped(v: Iterable[Skipped]) -> tuple[Skipped, ...]:
    return tuple(v)


def _clusters(v: Iterable[Cluster]) -> tuple[Cluster, ...]:
    return tuple(v)


def _relations(v: Iterable[Relation]) -> tuple[Relation, ...]:
    return tuple(v)


def _number_json(x: float) -> float | str | None:
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return int(x) if x.is_integer() else x


def _fact_dict(fact: Fact) -> dict[str, Any]:
    value: Any
    if isinstance(fact.value, NumberValue):
        value = {
            "low": _number_json(fact.value.low),
            "high": _number_json(fact.value.high),
            "unit": fact.value.unit,
        }
    elif isinstance(fact.value, DateValue):
        value = {
            "first": fact.value.first.isoformat() if fact.value.first else None,
            "last": fact.value.last.isoformat() if fact.value.last else None,
            "relative": fact.value.relative,
            "reason": fact.value.reason,
        }
    else:
        value = fact.value
    return {
        "kind": fact.kind.value,
        "text": fact.text,
        "start": fact.start,
        "end": fact.end,
        "value": value,
    }


def _evidence_dict(ev: Evidence) -> dict[str, Any]:
    return {
        "kind": ev.kind.value,
        "a": ev.a,
        "b": ev.b,
        "a_span": list(ev.a_span) if ev.a_span is not None else None,
        "b_span": list(ev.b_span) if ev.b_span is not None else None,
        "same": ev.same,
    }


def _quote(text: str, limit: int = 220) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


@attrs.frozen(slots=True, kw_only=True)
class Report:
    """The result of a check: documents, claims, skipped text, clusters, relations.

    All sequences are in a canonical order (documents by id, claims by
    document then position, clusters by their first claim, relations by their
    claim pair), so equal inputs give equal reports whatever their order.
    """

    documents: tuple[Document, ...] = attrs.field(converter=_documents)
    claims: tuple[Claim, ...] = attrs.field(converter=_claims)
    skipped: tuple[Skipped, ...] = attrs.field(converter=_skipped)
    clusters: tuple[Cluster, ...] = attrs.field(converter=_clusters)
    relations: tuple[Relation, ...] = attrs.field(converter=_relations)

    @property
    def contradictions(self) -> tuple[Relation, ...]:
        """Relations labelled contradict, best score first."""
        return self._by_label(Label.CONTRADICT)

    @property
    def agreements(self) -> tuple[Relation, ...]:
        """Relations labelled agree, best score first."""
        return self._by_label(Label.AGREE)

    def _by_label(self, label: Label) -> tuple[Relation, ...]:
        chosen = [r for r in self.relations if r.label is label]
        return tuple(sorted(chosen, key=lambda r: (-r.score, r.claims)))

    def claim(self, claim_id: str) -> Claim:
        """The claim with this id (KeyError if none)."""
        for claim in self.claims:
            if claim.id == claim_id:
                return claim
        raise KeyError(claim_id)

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON-serialisable data (see the module docstring)."""
        return {
            "documents": [
                {
                    "id": d.id,
                    "title": d.title,
                    "published": d.published.isoformat() if d.published else None,
                }
                for d in self.documents
            ],
            "claims": [
                {
                    "id": c.id,
                    "document": c.document,
                    "text": c.text,
                    "start": c.start,
                    "end": c.end,
                    "facts": [_fact_dict(f) for f in c.facts],
                }
                for c in self.claims
            ],
            "skipped": [
                {
                    "document": s.document,
                    "text": s.text,
                    "start": s.start,
                    "end": s.end,
                    "reason": s.reason.value,
                }
                for s in self.skipped
            ],
            "clusters": [{"id": c.id, "claims": list(c.claims)} for c in self.clusters],
            "relations": [
                {
                    "label": r.label.value,
                    "claims": list(r.claims),
                    "score": round(r.score, 4),
                    "evidence": [_evidence_dict(e) for e in r.evidence],
                }
                for r in self.relations
            ],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """``to_dict()`` as JSON text (UTF-8 characters kept as they are)."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def to_markdown(self) -> str:
        """A report for a person: event clusters with sources, contradictions, agreements."""
        claims = {c.id: c for c in self.claims}
        lines = ["# factcheck report", ""]
        multi = [cl for cl in self.clusters if len({claims[c].document for c in cl.claims}) > 1]
        lines.append(
            f"{len(self.documents)} documents, {len(self.claims)} claims "
            f"({len(self.skipped)} lines skipped), {len(self.clusters)} event clusters "
            f"({len(multi)} reported by more than one document), "
            f"{len(self.contradictions)} contradictions, {len(self.agreements)} agreements."
        )
        lines += ["", "## Documents", ""]
        for d in self.documents:
            extra = ", ".join(
                x
                for x in (
                    f"“{d.title}”" if d.title else "",
                    f"published {d.published.isoformat()}" if d.published else "",
                )
                if x
            )
            count = sum(1 for c in self.claims if c.document == d.id)
            lines.append(f"- `{d.id}`{' — ' + extra if extra else ''}: {count} claims")
        skipped_by_reason: dict[str, int] = defaultdict(int)
        for s in self.skipped:
            skipped_by_reason[s.reason.value] += 1
        if skipped_by_reason:
            reasons = ", ".join(f"{n} {r}" for r, n in sorted(skipped_by_reason.items()))
            lines.append(f"- skipped lines: {reasons}")

        lines += ["", "## Events reported by more than one document", ""]
        if not multi:
            lines.append("None.")
        for cl in multi:
            docs = sorted({claims[c].document for c in cl.claims})
            lines.append(f"### {cl.id} — {len(cl.claims)} claims from {len(docs)} documents")
            lines.append("")
            for cid in cl.claims:
                lines.append(f"- `{cid}` {_quote(claims[cid].text)}")
            lines.append("")

        for title, relations in (
            ("Contradictions", self.contradictions),
            ("Agreements", self.agreements),
        ):
            lines += ["", f"## {title}", ""]
            if not relations:
                lines.append("None found.")
            for r in relations:
                a, b = (claims[c] for c in r.claims)
                kinds = ", ".join(sorted({e.kind.value for e in r.evidence}))
                lines.append(f"### `{a.id}` ↔ `{b.id}` — {kinds} (score {r.score:.2f})")
                lines.append("")
                lines.append(f"- **{a.document}**: {_quote(a.text)}")
                lines.append(f"- **{b.document}**: {_quote(b.text)}")
                for e in r.evidence:
                    if e.kind.value == "wording":
                        lines.append("  - wording: the two sentences are paraphrases")
                        continue
                    relation = "=" if e.same else "≠"
                    lines.append(
                        f"  - {e.kind.value}: “{e.a or '(none)'}” {relation} “{e.b or '(none)'}”"
                    )
                lines.append("")
        return "\n".join(lines).rstrip() + "\n"
