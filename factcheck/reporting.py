"""Reporting stage: the :class:`Report` and its views.

A :class:`Report` is plain data; each view is one method:

- :meth:`Report.to_dict` / :meth:`Report.to_json`: everything, for other tools;
- :meth:`Report.to_markdown`: a report for reading in a terminal or a file;
- :meth:`Report.to_html`: one self-contained HTML page (inline CSS, no
  scripts, no fonts, no network) with the claims of each event side by side
  by source, the compared values highlighted, and the full article texts;
- :meth:`Report.relation_rows`, :meth:`Report.to_csv`, :meth:`Report.to_jsonl`:
  one flat row per relation, for spreadsheets and pandas;
- :meth:`Report.corroboration`: per claim, which other documents agree with
  it and which contradict it.

``Report.to_dict()`` is the stable, JSON-serialisable shape other tools rely on::

    documents: [{"id", "title", "published"}]          published: "YYYY-MM-DD" or null
    claims:    [{"id", "document", "text", "start", "end", "facts": [...], "mode"}]
               mode: "asserted" | "hedged" | "attributed" | "denied" | "question" | "quoted"
    skipped:   [{"document", "text", "start", "end", "reason"}]
    clusters:  [{"id", "claims": [claim id, ...], "probability", "links",
                 "reasons": [{"feature", "description", "value", "weight"}]}]
               probability: mean P(same event) over the cluster's linked pairs, or null
    corroboration: [{"claim", "document", "agreeing", "contradicting",
                     "supporting_sources", "contradicting_sources"}]   (related claims only)
    relations: [{"label": "agree" | "contradict", "claims": [id, id], "score",
                 "evidence": [{"kind", "a", "b", "a_span", "b_span", "same"}]}]

Every ``start``/``end`` pair indexes the text of the named document.
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from json.encoder import encode_basestring as _encode_json_str
from typing import Any

import attrs

from factcheck import validation
from factcheck.errors import ConfigError
from factcheck.records import (
    Claim,
    Cluster,
    DateValue,
    Document,
    Evidence,
    EvidenceKind,
    Fact,
    Label,
    NumberValue,
    Relation,
    Skipped,
    SourceValue,
)

__all__ = ["RELATION_COLUMNS", "Corroboration", "Report"]

#: The columns of :meth:`Report.relation_rows`, :meth:`Report.to_csv` and
#: :meth:`Report.to_jsonl`, in order.
RELATION_COLUMNS = (
    "cluster",
    "label",
    "score",
    "claim_a",
    "claim_b",
    "document_a",
    "document_b",
    "text_a",
    "text_b",
    "start_a",
    "end_a",
    "start_b",
    "end_b",
    "evidence_kinds",
    "conflicts",
    "evidence",
)


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


def _sorted_ids(v: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(v)))


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
            "anchor": fact.value.anchor,
        }
    elif hasattr(fact.value, "to_dict"):
        value = fact.value.to_dict()
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


def _document_dict(d: Document) -> dict[str, Any]:
    return {
        "id": d.id,
        "title": d.title,
        "published": d.published.isoformat() if d.published else None,
    }


def _claim_dict(c: Claim) -> dict[str, Any]:
    return {
        "id": c.id,
        "document": c.document,
        "text": c.text,
        "start": c.start,
        "end": c.end,
        "facts": [_fact_dict(f) for f in c.facts],
        "mode": c.mode.value,
    }


def _skipped_dict(s: Skipped) -> dict[str, Any]:
    return {
        "document": s.document,
        "text": s.text,
        "start": s.start,
        "end": s.end,
        "reason": s.reason.value,
    }


def _cluster_dict(c: Cluster) -> dict[str, Any]:
    return {
        "id": c.id,
        "claims": list(c.claims),
        "probability": None if c.probability is None else round(c.probability, 4),
        "links": c.links,
        "reasons": [r.to_dict() for r in c.reasons],
    }


def _reasons_text(c: Cluster) -> str:
    """Why a cluster's claims are one event, in words (empty when not known)."""
    if not c.reasons:
        return ""
    why = "; ".join(f"{r.description} (+{r.weight:.2f})" for r in c.reasons)
    share = f"mean P(same event) {c.probability:.2f} over {_plural(c.links, 'linked pair')}"
    return f"Why one event: {why}; {share}."


def _relation_dict(r: Relation) -> dict[str, Any]:
    return {
        "label": r.label.value,
        "claims": list(r.claims),
        "score": round(r.score, 4),
        "evidence": [_evidence_dict(e) for e in r.evidence],
    }


def _corroboration_dict(c: Corroboration) -> dict[str, Any]:
    return {
        "claim": c.claim,
        "document": c.document,
        "agreeing": list(c.agreeing),
        "contradicting": list(c.contradicting),
        "supporting_sources": list(c.supporting_sources),
        "contradicting_sources": list(c.contradicting_sources),
    }


# ---------------------------------------------------------------------------
# Indented JSON text


class _NotPlainJSON(Exception):
    """A value :func:`_indented_json` leaves to :mod:`json` (not met in a report)."""


def _indented_json(
    sections: Iterable[tuple[str, Iterable[dict[str, Any]]]], indent: int | str
) -> str:
    """``json.dumps({key: list(items) ...}, indent=indent, ensure_ascii=False)``, exactly.

    The standard library writes indented JSON in pure Python, one generator
    per container; this writes the same text for plain data (dicts with string
    keys, lists, tuples, strings, numbers, booleans and ``None``) several times
    faster, one item at a time, so the items of a large report are never all
    held at once. Anything else raises :class:`_NotPlainJSON`.
    """
    pad = indent if isinstance(indent, str) else " " * indent
    parts: list[str] = []
    add = parts.append
    encode = _encode_json_str

    def scalar(o: object) -> str:
        if isinstance(o, str):
            return encode(o)
        if o is None:
            return "null"
        if o is True:
            return "true"
        if o is False:
            return "false"
        if isinstance(o, int):
            return int.__repr__(o)
        if isinstance(o, float):
            if o != o:
                return "NaN"
            if o in (math.inf, -math.inf):
                return "Infinity" if o > 0 else "-Infinity"
            return float.__repr__(o)
        raise _NotPlainJSON

    def value(o: object, newline: str) -> None:
        # ``newline`` starts the line the value's closing bracket goes on.
        if isinstance(o, dict):
            if not o:
                add("{}")
                return
            inner = newline + pad
            opening = "{" + inner
            for key, item in o.items():
                if type(key) is not str:
                    raise _NotPlainJSON
                add(opening + encode(key) + ": ")
                opening = "," + inner
                if type(item) is str:
                    add(encode(item))
                else:
                    value(item, inner)
            add(newline + "}")
        elif isinstance(o, list | tuple):
            if not o:
                add("[]")
                return
            inner = newline + pad
            opening = "[" + inner
            for item in o:
                add(opening)
                opening = "," + inner
                if type(item) is str:
                    add(encode(item))
                else:
                    value(item, inner)
            add(newline + "]")
        else:
            add(scalar(o))

    level1, level2 = "\n" + pad, "\n" + pad + pad
    opening = "{" + level1
    for key, items in sections:
        add(opening + encode(key) + ": ")
        opening = "," + level1
        bracket = "[" + level2
        for item in items:
            add(bracket)
            bracket = "," + level2
            value(item, level2)
        add("[]" if bracket.startswith("[") else level1 + "]")
    add("\n}")
    return "".join(parts)


def _evidence_text(ev: Evidence) -> str:
    """One piece of evidence in words: ``number: “a” ≠ “b”``."""
    if ev.kind is EvidenceKind.WORDING:
        return f"wording: {_wording(ev)}"
    relation = "=" if ev.same else "≠"
    return f"{ev.kind.value}: “{ev.a or '(none)'}” {relation} “{ev.b or '(none)'}”"


def _wording(ev: Evidence) -> str:
    """What whole-sentence evidence says: paraphrases, or (from a model) a contradiction."""
    return "the two sentences are paraphrases" if ev.same else "the two sentences contradict"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _quote(text: str, limit: int = 220) -> str:
    flat = _flat(text)
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _md_escape(text: str) -> str:
    """Text with the Markdown emphasis and code characters escaped."""
    for ch in ("\\", "`", "*", "_"):
        text = text.replace(ch, "\\" + ch)
    return text


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


# ---------------------------------------------------------------------------
# Corroboration


@attrs.frozen(slots=True, kw_only=True, field_transformer=validation.typed)
class Corroboration:
    """Which other documents back one claim, and which dispute it.

    Parameters
    ----------
    claim : str
        The claim id.
    document : str
        The id of the claim's own document.
    agreeing : tuple of str
        Ids of the other documents with at least one claim that agrees with
        this one, sorted.
    contradicting : tuple of str
        Ids of the other documents with at least one claim that contradicts
        this one, sorted.
    supporting_sources : tuple of str
        The independent sources behind the claim and the claims that agree
        with it, sorted. A claim's source is the outlet or speaker it is
        attributed to (``U.S. officials told the WSJ`` and ``The Wall Street
        Journal reported`` are both ``wall street journal``), else its own
        document (``document:<id>``); two articles quoting one source count once.
    contradicting_sources : tuple of str
        The independent sources behind the claims that contradict it, sorted.

    Examples
    --------
    >>> c = Corroboration(claim="a:0", document="a", agreeing=["c", "b"])
    >>> c.agreeing, c.agree_count, c.contradict_count
    (('b', 'c'), 2, 0)
    """

    claim: str
    document: str
    agreeing: tuple[str, ...] = attrs.field(default=(), converter=_sorted_ids)
    contradicting: tuple[str, ...] = attrs.field(default=(), converter=_sorted_ids)
    supporting_sources: tuple[str, ...] = attrs.field(default=(), converter=_sorted_ids)
    contradicting_sources: tuple[str, ...] = attrs.field(default=(), converter=_sorted_ids)

    @property
    def agree_count(self) -> int:
        """How many other documents agree with the claim."""
        return len(self.agreeing)

    @property
    def contradict_count(self) -> int:
        """How many other documents contradict the claim."""
        return len(self.contradicting)


def _source_key(claim: Claim) -> str:
    """The source a claim rests on: the outlet or speaker it is attributed to,
    else its own document."""
    for fact in claim.facts:
        if isinstance(fact.value, SourceValue):
            return fact.value.via or fact.value.source
    return f"document:{claim.document}"


# ---------------------------------------------------------------------------
# Highlighting evidence spans


@attrs.frozen(slots=True)
class _Mark:
    """An evidence value to highlight: a span of a document, its kind, whether it conflicts."""

    start: int
    end: int
    kind: str
    same: bool


def _nested_marks(marks: Iterable[_Mark], start: int, end: int) -> list[_Mark]:
    """The marks inside ``[start, end)`` that can be shown as properly nested elements.

    Conflicting values win over matching ones, then longer spans over shorter
    ones; a mark that partly overlaps one already chosen, or repeats its span,
    is left out. The result is sorted by start, outer marks first.
    """
    chosen: list[_Mark] = []
    spans: set[tuple[int, int]] = set()
    for m in sorted(marks, key=lambda m: (m.same, m.start - m.end, m.start, m.kind)):
        if not start <= m.start < m.end <= end or (m.start, m.end) in spans:
            continue
        if all(
            m.end <= c.start
            or c.end <= m.start
            or (c.start <= m.start and m.end <= c.end)
            or (m.start <= c.start and c.end <= m.end)
            for c in chosen
        ):
            chosen.append(m)
            spans.add((m.start, m.end))
    return sorted(chosen, key=lambda m: (m.start, -m.end))


def _marked_html(text: str, base: int, marks: Iterable[_Mark]) -> str:
    """``text`` (found at offset ``base`` of its document), escaped, with ``<mark>`` elements."""
    out: list[str] = []
    pos = base
    stack: list[_Mark] = []

    def emit(upto: int) -> None:
        nonlocal pos
        out.append(html.escape(text[pos - base : upto - base]))
        pos = upto

    for m in _nested_marks(marks, base, base + len(text)):
        while stack and stack[-1].end <= m.start:
            emit(stack.pop().end)
            out.append("</mark>")
        emit(m.start)
        state = "match" if m.same else "conflict"
        out.append(
            f'<mark class="ev ev-{html.escape(m.kind)} {state}" data-kind="{html.escape(m.kind)}" '
            f'data-start="{m.start}" data-end="{m.end}" data-same="{str(m.same).lower()}" '
            f'title="{html.escape(m.kind)}: {"same value" if m.same else "conflicting value"}">'
        )
        stack.append(m)
    while stack:
        emit(stack.pop().end)
        out.append("</mark>")
    emit(base + len(text))
    return "".join(out)


def _marked_markdown(text: str, base: int, marks: Iterable[_Mark]) -> str:
    """``text`` flattened to one line, with the outermost marks in bold."""
    out: list[str] = []
    pos = base
    for m in _nested_marks(marks, base, base + len(text)):
        if m.start < pos:
            continue  # nested inside a mark already in bold
        out.append(_md_escape(text[pos - base : m.start - base]))
        out.append(f"**{_md_escape(text[m.start - base : m.end - base])}**")
        pos = m.end
    out.append(_md_escape(text[pos - base :]))
    return _flat("".join(out))


def _relation_marks(relation: Relation, side: int) -> list[_Mark]:
    """The highlightable evidence of one side (0 for ``a``, 1 for ``b``) of a relation."""
    marks: list[_Mark] = []
    for ev in relation.evidence:
        span = ev.a_span if side == 0 else ev.b_span
        if span is None or ev.kind is EvidenceKind.WORDING:
            continue
        if not ev.same and not ev.is_conflict:  # one-sided context (hedge, attribution)
            continue
        marks.append(_Mark(start=span[0], end=span[1], kind=ev.kind.value, same=ev.same))
    return marks


# ---------------------------------------------------------------------------
# HTML

_CSS = """
:root { color-scheme: light; --red: #b42318; --red-bg: #fde2df; --green: #1a7f37;
  --green-bg: #dcf5e3; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --card: #fff; }
* { box-sizing: border-box; }
body { margin: 0; background: #f6f8fa; color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
header.top { background: #24292f; color: #fff; padding: 18px 32px; }
header.top h1 { margin: 0 0 4px; font-size: 24px; }
header.top p { margin: 0; color: #d0d7de; }
main { padding: 8px 32px 48px; max-width: 1600px; }
h2 { font-size: 20px; margin: 28px 0 10px; }
h3 { font-size: 15px; margin: 0 0 8px; }
a { color: #0969da; }
.count { display: inline-block; padding: 1px 10px; border-radius: 12px; font-weight: 600; }
.count.contradict { background: var(--red-bg); color: var(--red); }
.count.agree { background: var(--green-bg); color: var(--green); }
.legend { color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; }
th, td { text-align: left; padding: 3px 10px 3px 0; vertical-align: top; }
.docs td, .docs th { border-bottom: 1px solid var(--line); padding: 4px 16px 4px 0; }
.cluster { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
  padding: 14px 18px; margin: 14px 0; }
.cluster.has-contradiction { border-left: 6px solid var(--red); }
.cluster.has-agreement { border-left: 6px solid var(--green); }
.cluster h2 { margin: 0 0 10px; font-size: 18px; }
.cluster h2 small { color: var(--muted); font-weight: normal; }
.cluster .why { color: var(--muted); margin: 0 0 10px; font-size: 14px; }
.sources { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr));
  gap: 12px; }
.source { background: #f6f8fa; border-radius: 6px; padding: 10px 12px; }
.source h3 { border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.claim { background: #fff; border: 1px solid var(--line); border-radius: 6px;
  padding: 6px 9px; margin: 0 0 8px; }
.claim p { margin: 0 0 4px; }
.claim.disputed { border-color: var(--red); }
.meta { font-size: 12px; color: var(--muted); display: flex; flex-wrap: wrap; gap: 8px; }
.badge { border-radius: 10px; padding: 0 7px; font-weight: 600; }
.badge.agree { background: var(--green-bg); color: var(--green); }
.badge.contradict { background: var(--red-bg); color: var(--red); }
.relation { border: 1px solid var(--line); border-radius: 6px; margin: 10px 0 0;
  padding: 8px 12px; }
.relation.contradict { background: #fff6f5; border-color: #f1aeb5; }
.relation.agree { background: #f4fbf6; border-color: #a6dcb5; }
.relation header { display: flex; gap: 12px; align-items: center; flex-wrap: wrap;
  margin-bottom: 6px; }
.label { text-transform: uppercase; font-weight: 700; font-size: 12px; letter-spacing: .05em;
  border-radius: 4px; padding: 1px 8px; color: #fff; }
.contradict .label { background: var(--red); }
.agree .label { background: var(--green); }
.score { font-variant-numeric: tabular-nums; }
.scorebar { display: inline-block; width: 80px; height: 8px; background: var(--line);
  border-radius: 4px; overflow: hidden; vertical-align: middle; }
.scorebar span { display: block; height: 100%; background: var(--muted); }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
.pair blockquote { margin: 0; background: #fff; border: 1px solid var(--line);
  border-radius: 6px; padding: 6px 9px; }
.pair cite { display: block; font-style: normal; font-size: 12px; color: var(--muted); }
.evidence { font-size: 13px; margin-top: 6px; }
.evidence td.rel { font-weight: 700; }
.evidence tr.conflict td { color: var(--red); }
mark.ev { border-radius: 3px; padding: 0 2px; color: inherit; }
mark.ev.match { background: var(--green-bg); box-shadow: inset 0 -2px 0 var(--green); }
mark.ev.conflict { background: #ffb3ab; box-shadow: inset 0 -2px 0 var(--red);
  font-weight: 700; }
mark.ev mark.ev { background: transparent; }
details { margin: 14px 0; }
summary { cursor: pointer; font-weight: 600; }
.singles li { margin: 4px 0; }
.document { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
  padding: 14px 18px; margin: 14px 0; }
.fulltext { white-space: pre-wrap; font-size: 14px; line-height: 1.6; }
.fulltext a.claim-text { color: inherit; text-decoration: none;
  border-bottom: 1px dotted var(--muted); }
.fulltext a.claim-text.disputed { border-bottom: 2px solid var(--red); }
.fulltext .skipped { color: #8c959f; text-decoration: line-through; }
:target { outline: 3px solid #f2cc60; background: #fff8c5; }
"""


def _doc_label(doc: Document | None, doc_id: str) -> str:
    if doc is not None and doc.title:
        return f"{html.escape(doc.title)} <small>({html.escape(doc_id)})</small>"
    return html.escape(doc_id)


def _fulltext_html(
    doc: Document,
    claims: Sequence[tuple[int, Claim]],
    skipped: Sequence[Skipped],
    corroboration: dict[str, Corroboration],
) -> str:
    """The document's text, escaped, with each claim an anchor and skipped lines struck.

    ``claims`` are the document's claims with their index in the report.
    """
    pieces: list[tuple[int, int, str, str]] = []
    for i, c in claims:
        disputed = " disputed" if corroboration[c.id].contradict_count else ""
        pieces.append(
            (
                c.start,
                c.end,
                f'<a class="claim-text{disputed}" id="text-{i}" href="#claim-{i}" '
                f'data-claim="{html.escape(c.id)}">',
                "</a>",
            )
        )
    for sk in skipped:
        reason = html.escape(sk.reason.value)
        pieces.append(
            (sk.start, sk.end, f'<span class="skipped" title="skipped: {reason}">', "</span>")
        )
    out: list[str] = []
    pos = 0
    anchors: list[str] = []
    for start, end, open_tag, close_tag in sorted(pieces, key=lambda p: (p[0], p[1])):
        if start < pos or end > len(doc.text):
            # Overlaps a piece already written: keep the link target, drop the wrapping.
            if 'id="' in open_tag:
                anchors.append(open_tag + close_tag)
            continue
        out.append(html.escape(doc.text[pos:start]))
        out.append(open_tag + html.escape(doc.text[start:end]) + close_tag)
        pos = end
    out.append(html.escape(doc.text[pos:]))
    return "".join(out) + "".join(anchors)


# ---------------------------------------------------------------------------
# The report


@attrs.frozen(slots=True, kw_only=True, field_transformer=validation.typed)
class Report:
    """The result of a check: documents, claims, skipped text, clusters, relations.

    All sequences are in a canonical order (documents by id, claims by
    document then position, clusters by their first claim, relations by their
    claim pair), so equal inputs give equal reports whatever their order.

    Examples
    --------
    >>> from factcheck import Document, check
    >>> from factcheck.embedding import HashingEmbedder
    >>> report = check([
    ...     Document(id="a", text="At least 63,500 Israelis were evacuated on Oct. 8, 2023."),
    ...     Document(id="b", text="Some 12,000 Israelis were evacuated on Oct. 8, 2023."),
    ... ], embedder=HashingEmbedder())
    >>> [(r.label.value, r.claims) for r in report.contradictions]
    [('contradict', ('a:0', 'b:0'))]
    >>> print(report.to_csv().splitlines()[0][:40])
    cluster,label,score,claim_a,claim_b,docu
    >>> row = report.relation_rows()[0]
    >>> row["label"], row["conflicts"]
    ('contradict', 1)
    >>> [e for e in row["evidence"].split("; ") if e.startswith("number")]
    ['number: “At least 63,500 Israelis” ≠ “Some 12,000 Israelis”']
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

    def with_min_score(self, min_score: float) -> Report:
        """The same report keeping only the relations scored at least ``min_score``.

        Scores are compared as ``to_dict()`` shows them, rounded to 4 places.

        Raises
        ------
        ConfigError
            If ``min_score`` is not a number in [0, 1].

        Examples
        --------
        >>> from factcheck import Document, check
        >>> from factcheck.embedding import HashingEmbedder
        >>> report = check([
        ...     Document(id="a", text="At least 63,500 Israelis were evacuated on Oct. 8, 2023."),
        ...     Document(id="b", text="Some 12,000 Israelis were evacuated on Oct. 8, 2023."),
        ... ], embedder=HashingEmbedder())
        >>> [r.label.value for r in report.relations]
        ['contradict']
        >>> report.with_min_score(0.0) == report
        True
        >>> strong = report.with_min_score(0.99)
        >>> all(round(r.score, 4) >= 0.99 for r in strong.relations)
        True
        """
        if (
            isinstance(min_score, bool)
            or not isinstance(min_score, int | float)
            or not 0.0 <= min_score <= 1.0
        ):
            raise ConfigError(f"min_score must be a number in [0, 1], got {min_score!r}")
        kept = [r for r in self.relations if round(r.score, 4) >= min_score]
        return attrs.evolve(self, relations=kept)

    def corroboration(self) -> tuple[Corroboration, ...]:
        """Per claim, in claim order: the other documents that agree and that contradict.

        A document counts once per claim however many of its claims agree (or
        contradict); a claim with no relation has empty tuples.

        Examples
        --------
        >>> from factcheck import Document, check
        >>> from factcheck.embedding import HashingEmbedder
        >>> report = check([
        ...     Document(id="a", text="Iran launched 180 missiles at Israel on Oct. 1, 2024."),
        ...     Document(id="b", text="Iran fired 180 missiles at Israel on Oct. 1, 2024."),
        ...     Document(id="c", text="Iran fired 200 missiles at Israel on Oct. 1, 2024."),
        ... ], embedder=HashingEmbedder())
        >>> for c in report.corroboration():
        ...     print(c.claim, "agreed by", c.agreeing, "contradicted by", c.contradicting)
        a:0 agreed by ('b',) contradicted by ('c',)
        b:0 agreed by ('a',) contradicted by ('c',)
        c:0 agreed by () contradicted by ('a', 'b')
        """
        return tuple(self._corroborations(related=False))

    def _corroborations(self, *, related: bool) -> Iterator[Corroboration]:
        """:meth:`corroboration`, or with ``related`` only the claims in a relation."""
        document_of = {c.id: c.document for c in self.claims}
        source_of = {c.id: _source_key(c) for c in self.claims}
        agreeing: dict[str, set[str]] = defaultdict(set)
        contradicting: dict[str, set[str]] = defaultdict(set)
        for r in self.relations:
            into = agreeing if r.label is Label.AGREE else contradicting
            a, b = r.claims
            if a in document_of and b in document_of:
                into[a].add(b)
                into[b].add(a)
        return (
            Corroboration(
                claim=c.id,
                document=c.document,
                agreeing={document_of[x] for x in agreeing.get(c.id, ())},
                contradicting={document_of[x] for x in contradicting.get(c.id, ())},
                supporting_sources={source_of[x] for x in {c.id, *agreeing.get(c.id, ())}},
                contradicting_sources={source_of[x] for x in contradicting.get(c.id, ())},
            )
            for c in self.claims
            if not related or c.id in agreeing or c.id in contradicting
        )

    # -- data views ---------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON-serialisable data (see the module docstring)."""
        return {key: list(items) for key, items in self._sections()}

    def _sections(self) -> tuple[tuple[str, Iterator[dict[str, Any]]], ...]:
        """The keys of :meth:`to_dict` in order, each with its items, made on demand."""
        return (
            ("documents", map(_document_dict, self.documents)),
            ("claims", map(_claim_dict, self.claims)),
            ("skipped", map(_skipped_dict, self.skipped)),
            ("clusters", map(_cluster_dict, self.clusters)),
            ("relations", map(_relation_dict, self.relations)),
            ("corroboration", map(_corroboration_dict, self._corroborations(related=True))),
        )

    def to_json(self, *, indent: int | None = 2) -> str:
        """``to_dict()`` as JSON text (UTF-8 characters kept as they are)."""
        if indent is None:
            return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)
        try:
            return _indented_json(self._sections(), indent)
        except _NotPlainJSON:
            return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def relation_rows(self) -> list[dict[str, str | int | float]]:
        """One flat row per relation, in relation order, keyed by :data:`RELATION_COLUMNS`.

        ``evidence_kinds`` joins the evidence kinds with ``;``, ``conflicts``
        counts the evidence whose values differ, and ``evidence`` spells every
        piece out (``number: “a” ≠ “b”; entity: “x” = “x”``). Offsets index
        the text of each side's document.
        """
        claims = {c.id: c for c in self.claims}
        cluster_of = {cid: cl.id for cl in self.clusters for cid in cl.claims}
        rows: list[dict[str, str | int | float]] = []
        for r in self.relations:
            a, b = (claims[cid] for cid in r.claims)
            rows.append(
                {
                    "cluster": cluster_of.get(a.id, ""),
                    "label": r.label.value,
                    "score": round(r.score, 4),
                    "claim_a": a.id,
                    "claim_b": b.id,
                    "document_a": a.document,
                    "document_b": b.document,
                    "text_a": a.text,
                    "text_b": b.text,
                    "start_a": a.start,
                    "end_a": a.end,
                    "start_b": b.start,
                    "end_b": b.end,
                    "evidence_kinds": ";".join(e.kind.value for e in r.evidence),
                    "conflicts": sum(1 for e in r.evidence if e.is_conflict),
                    "evidence": "; ".join(_evidence_text(e) for e in r.evidence),
                }
            )
        return rows

    def to_csv(self) -> str:
        """:meth:`relation_rows` as CSV text with a header line (``pandas.read_csv`` reads it)."""
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=RELATION_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.relation_rows())
        return buffer.getvalue()

    def to_jsonl(self) -> str:
        """:meth:`relation_rows` as JSON Lines, one object per relation.

        ``pandas.read_json(text, lines=True)`` reads it into the same columns as
        :meth:`to_csv`.
        """
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in self.relation_rows())

    # -- Markdown -----------------------------------------------------------

    def to_markdown(self) -> str:
        """A report for a person: event clusters with sources, contradictions, agreements.

        Each claim of a multi-source event shows how many other documents
        agree with it and contradict it; in the contradictions, the
        conflicting values are in bold in both sentences.
        """
        claims = {c.id: c for c in self.claims}
        corroboration = {c.claim: c for c in self.corroboration()}
        lines = ["# factcheck report", ""]
        multi = [cl for cl in self.clusters if len({claims[c].document for c in cl.claims}) > 1]
        lines.append(
            f"{len(self.documents)} documents, {len(self.claims)} claims "
            f"({len(self.skipped)} lines skipped), {len(self.clusters)} event clusters "
            f"({len(multi)} reported by more than one document), "
            f"{len(self.contradictions)} contradictions, {len(self.agreements)} agreements."
        )
        lines += ["", "## Documents", ""]
        claims_per_document = Counter(c.document for c in self.claims)
        for d in self.documents:
            extra = ", ".join(
                x
                for x in (
                    f"“{d.title}”" if d.title else "",
                    f"published {d.published.isoformat()}" if d.published else "",
                )
                if x
            )
            count = claims_per_document[d.id]
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
            if cl.reasons:
                lines += [_reasons_text(cl), ""]
            for cid in cl.claims:
                counts = corroboration[cid]
                notes = [
                    note
                    for n, note in (
                        (counts.agree_count, f"agreed by {_plural(counts.agree_count, 'source')}"),
                        (
                            counts.contradict_count,
                            f"contradicted by {_plural(counts.contradict_count, 'source')}",
                        ),
                    )
                    if n
                ]
                suffix = f" — *{', '.join(notes)}*" if notes else ""
                lines.append(f"- `{cid}` {_md_escape(_quote(claims[cid].text))}{suffix}")
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
                for side, claim in enumerate((a, b)):
                    conflicts = [m for m in _relation_marks(r, side) if not m.same]
                    text = _marked_markdown(claim.text, claim.start, conflicts)
                    lines.append(f"- **{claim.document}**: {text}")
                for e in r.evidence:
                    lines.append(f"  - {_evidence_text(e)}")
                lines.append("")
        return "\n".join(lines).rstrip() + "\n"

    # -- HTML ---------------------------------------------------------------

    def to_html(self, *, title: str = "factcheck report") -> str:
        """One self-contained HTML page: no scripts, no fonts, no network.

        The page holds, per event reported by more than one document (events
        with contradictions first), the claims side by side by source with
        their corroboration counts, then each relation with its label, score,
        both sentences with the compared values highlighted, and the typed
        evidence. Every claim links to its place in the full article texts at
        the end of the page.

        Highlighted values are ``<mark>`` elements whose ``data-start`` and
        ``data-end`` are the evidence spans of ``to_dict()`` (offsets into
        the document text), ``data-kind`` the evidence kind and
        ``data-same`` ``"false"`` for a conflicting value. Wording evidence,
        which spans the whole sentence, is not highlighted, and of two
        values whose spans partly overlap only the conflicting (else the
        longer) one is.

        Examples
        --------
        >>> from factcheck import Document, check
        >>> from factcheck.embedding import HashingEmbedder
        >>> report = check([
        ...     Document(id="a", text="At least 63,500 Israelis were evacuated on Oct. 8, 2023."),
        ...     Document(id="b", text="Some 12,000 Israelis were evacuated on Oct. 8, 2023."),
        ... ], embedder=HashingEmbedder())
        >>> page = report.to_html()
        >>> page.startswith("<!DOCTYPE html>"), "http:" in page or "https:" in page
        (True, False)
        >>> print(page[page.index('<mark class="ev ev-number conflict"'):].split(">")[0] + ">")
        <mark class="ev ev-number conflict" data-kind="number" data-start="0" data-end="24"
              data-same="false" title="number: conflicting value">
        """
        claims = {c.id: c for c in self.claims}
        claim_index = {c.id: i for i, c in enumerate(self.claims)}
        doc_index = {d.id: k for k, d in enumerate(self.documents)}
        docs = {d.id: d for d in self.documents}
        corroboration = {c.claim: c for c in self.corroboration()}
        cluster_of = {cid: n for n, cl in enumerate(self.clusters) for cid in cl.claims}
        relations_of: dict[int, list[int]] = defaultdict(list)
        unclustered: list[int] = []
        for i, r in enumerate(self.relations):
            n = cluster_of.get(r.claims[0])
            if n is None:
                unclustered.append(i)
            else:
                relations_of[n].append(i)
        claim_marks: dict[str, list[_Mark]] = defaultdict(list)
        for r in self.relations:
            for side, cid in enumerate(r.claims):
                claim_marks[cid] += _relation_marks(r, side)

        def claim_link(cid: str) -> str:
            return f'<a href="#claim-{claim_index[cid]}">{html.escape(cid)}</a>'

        def claim_card(cid: str) -> str:
            claim = claims[cid]
            i = claim_index[cid]
            counts = corroboration[cid]
            badges = []
            if counts.agree_count:
                badges.append(
                    f'<span class="badge agree" title="agreeing: '
                    f'{html.escape(", ".join(counts.agreeing))}">'
                    f"✔ agreed by {_plural(counts.agree_count, 'source')}</span>"
                )
            if counts.contradict_count:
                badges.append(
                    f'<span class="badge contradict" title="contradicting: '
                    f'{html.escape(", ".join(counts.contradicting))}">'
                    f"✖ contradicted by {_plural(counts.contradict_count, 'source')}</span>"
                )
            disputed = " disputed" if counts.contradict_count else ""
            return (
                f'<div class="claim{disputed}" id="claim-{i}" data-claim="{html.escape(cid)}" '
                f'data-agree="{counts.agree_count}" data-contradict="{counts.contradict_count}">'
                f"<p>{_marked_html(claim.text, claim.start, claim_marks[cid])}</p>"
                f'<div class="meta"><a href="#text-{i}">{html.escape(cid)} in the article ↓</a>'
                f"{''.join(badges)}</div></div>"
            )

        def relation_card(i: int) -> str:
            r = self.relations[i]
            label = r.label.value
            sides = []
            for side, cid in enumerate(r.claims):
                claim = claims[cid]
                sides.append(
                    f'<blockquote data-side="{"ab"[side]}" data-claim="{html.escape(cid)}">'
                    f"<cite>{_doc_label(docs.get(claim.document), claim.document)} · "
                    f"{claim_link(cid)}</cite>"
                    f"{_marked_html(claim.text, claim.start, _relation_marks(r, side))}"
                    "</blockquote>"
                )
            rows = []
            for e in r.evidence:
                state = "conflict" if e.is_conflict else "match"
                if e.kind is EvidenceKind.WORDING:
                    rows.append(
                        f'<tr class="{state}"><td>wording</td>'
                        f'<td colspan="3">{_wording(e)}</td></tr>'
                    )
                    continue
                rows.append(
                    f'<tr class="{state}"><td>{e.kind.value}</td>'
                    f"<td>{html.escape(e.a) or '<em>(none)</em>'}</td>"
                    f'<td class="rel">{"=" if e.same else "≠"}</td>'
                    f"<td>{html.escape(e.b) or '<em>(none)</em>'}</td></tr>"
                )
            percent = round(100 * r.score)
            return (
                f'<article class="relation {label}" id="relation-{i}" data-relation="{i}" '
                f'data-label="{label}" data-score="{round(r.score, 4)}">'
                f'<header><span class="label">{label}</span>'
                f'<span class="score">score {r.score:.2f}</span>'
                f'<span class="scorebar"><span style="width:{percent}%"></span></span>'
                f"<span>{claim_link(r.claims[0])} ↔ {claim_link(r.claims[1])}</span></header>"
                f'<div class="pair">{"".join(sides)}</div>'
                f'<table class="evidence"><tr><th>evidence</th><th>{html.escape(r.claims[0])}'
                f"</th><th></th><th>{html.escape(r.claims[1])}</th></tr>"
                f"{''.join(rows)}</table></article>"
            )

        n_contradict = len(self.contradictions)
        n_agree = len(self.agreements)
        multi: list[int] = []
        singles: list[int] = []
        for n, cl in enumerate(self.clusters):
            sources = {claims[c].document for c in cl.claims if c in claims}
            (multi if len(sources) > 1 else singles).append(n)

        def contradictions_in(n: int) -> int:
            return sum(1 for i in relations_of[n] if self.relations[i].label is Label.CONTRADICT)

        multi.sort(key=lambda n: (-contradictions_in(n), -len(relations_of[n]), n))

        out = [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            "style-src 'unsafe-inline'\">",
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{html.escape(title)}</title>",
            f"<style>{_CSS}</style></head><body>",
            f'<header class="top"><h1>{html.escape(title)}</h1><p>'
            f"{_plural(len(self.documents), 'document')} · {_plural(len(self.claims), 'claim')}"
            f" · {_plural(len(self.clusters), 'event cluster')} ({len(multi)} reported by more "
            "than one document)</p></header>",
            "<main>",
            '<p class="summary">'
            f'<span class="count contradict">{_plural(n_contradict, "contradiction")}</span> '
            f'<span class="count agree">{_plural(n_agree, "agreement")}</span></p>',
            '<p class="legend">Highlighted values: <mark class="ev conflict">conflicting</mark> '
            '<mark class="ev match">same on both sides</mark>. A score runs from 0 to 1, '
            "higher is stronger. Each claim links to its place in the full text at the end "
            "of the page.</p>",
        ]
        if self.contradictions:
            out.append('<section id="contradictions"><h2>Contradictions</h2><ul>')
            index_of = {id(r): i for i, r in enumerate(self.relations)}
            for r in self.contradictions:
                i = index_of[id(r)]
                kinds = ", ".join(sorted({e.kind.value for e in r.evidence if e.is_conflict}))
                out.append(
                    f'<li><a href="#relation-{i}">{html.escape(r.claims[0])} ↔ '
                    f"{html.escape(r.claims[1])}</a> — {html.escape(kinds)} "
                    f"(score {r.score:.2f})</li>"
                )
            out.append("</ul></section>")
        out.append('<section id="documents"><h2>Documents</h2><table class="docs">')
        out.append("<tr><th>document</th><th>published</th><th>claims</th><th>skipped</th></tr>")
        claims_of: dict[str, list[tuple[int, Claim]]] = defaultdict(list)
        for i, c in enumerate(self.claims):
            claims_of[c.document].append((i, c))
        skipped_of: dict[str, list[Skipped]] = defaultdict(list)
        for sk in self.skipped:
            skipped_of[sk.document].append(sk)
        for d in self.documents:
            k = doc_index[d.id]
            n_claims = len(claims_of[d.id])
            n_skipped = len(skipped_of[d.id])
            published = d.published.isoformat() if d.published else "—"
            out.append(
                f'<tr><td><a href="#doc-{k}">{_doc_label(d, d.id)}</a></td><td>{published}</td>'
                f"<td>{n_claims}</td><td>{n_skipped}</td></tr>"
            )
        out.append("</table></section>")

        out.append('<section id="events"><h2>Events reported by more than one document</h2>')
        if not multi:
            out.append("<p>None.</p>")
        for n in multi:
            cl = self.clusters[n]
            by_doc: dict[str, list[str]] = defaultdict(list)
            for cid in cl.claims:
                by_doc[claims[cid].document].append(cid)
            n_c = contradictions_in(n)
            n_a = len(relations_of[n]) - n_c
            state = " has-contradiction" if n_c else " has-agreement" if n_a else ""
            counts = "".join(
                f' <span class="count {kind}">{_plural(k, word)}</span>'
                for k, kind, word in (
                    (n_c, "contradict", "contradiction"),
                    (n_a, "agree", "agreement"),
                )
                if k
            )
            out.append(
                f'<section class="cluster{state}" id="cluster-{html.escape(cl.id)}" '
                f'data-cluster="{html.escape(cl.id)}"><h2>Event {html.escape(cl.id)} '
                f"<small>{_plural(len(cl.claims), 'claim')} from {len(by_doc)} documents</small>"
                f"{counts}</h2>"
                + (f'<p class="why">{html.escape(_reasons_text(cl))}</p>' if cl.reasons else "")
                + '<div class="sources">'
            )
            for doc_id in sorted(by_doc):
                out.append(
                    f'<div class="source" data-document="{html.escape(doc_id)}">'
                    f"<h3>{_doc_label(docs.get(doc_id), doc_id)}</h3>"
                    + "".join(claim_card(cid) for cid in by_doc[doc_id])
                    + "</div>"
                )
            out.append("</div>")
            out += [relation_card(i) for i in relations_of[n]]
            out.append("</section>")
        out.append("</section>")

        if unclustered:
            out.append('<section id="other-relations"><h2>Relations outside any event</h2>')
            out += [relation_card(i) for i in unclustered]
            out.append("</section>")

        if singles:
            n_single = sum(len(self.clusters[n].claims) for n in singles)
            out.append(
                f'<details id="single-source"><summary>{_plural(n_single, "claim")} in '
                f"{_plural(len(singles), 'event')} reported by one document only</summary>"
                '<ul class="singles">'
            )
            for n in singles:
                cl = self.clusters[n]
                for cid in cl.claims:
                    claim = claims[cid]
                    i = claim_index[cid]
                    out.append(
                        f'<li class="claim" id="claim-{i}" data-claim="{html.escape(cid)}">'
                        f'<a href="#text-{i}">{html.escape(cid)}</a> '
                        f"<small>({html.escape(cl.id)})</small> {html.escape(_flat(claim.text))}"
                        "</li>"
                    )
            out.append("</ul></details>")

        out.append('<section id="texts"><h2>Full texts</h2>')
        for d in self.documents:
            text = _fulltext_html(d, claims_of[d.id], skipped_of[d.id], corroboration)
            out.append(
                f'<article class="document" id="doc-{doc_index[d.id]}" '
                f'data-document="{html.escape(d.id)}"><h3>{_doc_label(d, d.id)}</h3>'
                f'<div class="fulltext">{text}</div></article>'
            )
        out.append("</section></main></body></html>")
        return "\n".join(out) + "\n"
