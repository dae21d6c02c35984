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
                     "supporting_sources", "contradicting_sources",
                     "independent_agreeing", "independent_contradicting"}]   (related claims only)
    relations: [{"label": "agree" | "contradict", "claims": [id, id], "score",
                 "evidence": [{"kind", "a", "b", "a_span", "b_span", "same"}]}]
    copies:    [{"documents": [id, ...], "identical", "similarity"}]

Every ``start``/``end`` pair indexes the text of the named document.

Outputs are safe to open: every CSV cell that a spreadsheet would read as a
formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return)
is prefixed with ``'`` as OWASP recommends, and control characters never reach
the Markdown or the HTML (C0 and C1 controls are shown as their Unicode
control pictures, ``␛`` for ESC, or ``�``; bidi overrides are dropped).
"""

from __future__ import annotations

import html
import json
import math
import re
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
    CopyGroup,
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


def _copies(v: Iterable[CopyGroup]) -> tuple[CopyGroup, ...]:
    groups = tuple(v)
    if all(isinstance(g, CopyGroup) for g in groups):  # else the type check refuses it
        groups = tuple(sorted(groups, key=lambda g: g.documents))
    return groups


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
        "independent_agreeing": list(c.independent_agreeing),
        "independent_contradicting": list(c.independent_contradicting),
    }


def _copy_dict(g: CopyGroup) -> dict[str, Any]:
    return {"documents": list(g.documents), "identical": g.identical, "similarity": g.similarity}


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


def _evidence_markdown(ev: Evidence) -> str:
    """:func:`_evidence_text` for Markdown: values on one line, escaped."""
    if ev.kind is EvidenceKind.WORDING:
        return f"wording: {_wording(ev)}"
    relation = "=" if ev.same else "≠"
    a = _md_escape(_flat(ev.a)) or "(none)"
    b = _md_escape(_flat(ev.b)) or "(none)"
    return f"{ev.kind.value}: “{a}” {relation} “{b}”"


def _heading_kinds(relation: Relation) -> list[str]:
    """The evidence kinds a relation's heading names: for a contradiction the kinds
    that conflict, for an agreement those that match (else all kinds)."""
    if relation.label is Label.CONTRADICT:
        kinds = {e.kind.value for e in relation.evidence if e.is_conflict}
    else:
        kinds = {e.kind.value for e in relation.evidence if e.same}
    return sorted(kinds or {e.kind.value for e in relation.evidence})


def _wording(ev: Evidence) -> str:
    """What whole-sentence evidence says: paraphrases, or (from a model) a contradiction."""
    return "the two sentences are paraphrases" if ev.same else "the two sentences contradict"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _quote(text: str, limit: int = 220) -> str:
    flat = _flat(text)
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


# C0 and C1 control characters (tab, line feed and carriage return are
# whitespace the views flatten) and the bidi embeddings, overrides and isolates.
_CONTROL = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _control_picture(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ ... ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    if code <= 0x9F:
        return "\ufffd"
    return ""  # a bidi control: dropped, so text cannot be shown reordered


def _safe_text(text: str) -> str:
    """``text`` with its control characters shown as control pictures (see the module notes)."""
    return _CONTROL.sub(_control_picture, text) if _CONTROL.search(text) else text


def _md_escape(text: str) -> str:
    """Text with the Markdown emphasis and code characters escaped, and no control character."""
    for ch in ("\\", "`", "*", "_"):
        text = text.replace(ch, "\\" + ch)
    return _safe_text(text)


def _md_code(text: str) -> str:
    """``text`` as a Markdown code span (ids): backticks and controls cannot break out."""
    return "`" + _safe_text(_flat(text)).replace("`", "'") + "`"


def _esc(text: str) -> str:
    """HTML-escaped ``text`` without control characters."""
    return html.escape(_safe_text(text))


#: What a spreadsheet reads as the start of a formula (OWASP, CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_line(values: Iterable[str | int | float]) -> str:
    """One CSV record as :mod:`csv` writes it with minimal quoting, except that a
    field holding a carriage return is quoted too (:mod:`csv` quotes only the
    characters of its line terminator, ``\\n`` here, and a bare ``\\r`` would end
    the record for a reader)."""
    cells = []
    for value in values:
        text = value if isinstance(value, str) else repr(value)
        if any(ch in text for ch in ',"\r\n'):
            text = '"' + text.replace('"', '""') + '"'
        cells.append(text)
    return ",".join(cells) + "\n"


def _csv_cell(value: str | int | float) -> str | int | float:
    """A CSV cell a spreadsheet will not run: a leading formula character gets a ``'``."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


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
        attributed to (``officials told the NYT`` and ``The New York Times
        reported`` are both ``new york times``), else its own
        document (``document:<id>``); two articles quoting one source count once.
    contradicting_sources : tuple of str
        The independent sources behind the claims that contradict it, sorted.
    independent_agreeing : tuple of str
        The agreeing documents counted as independent sources: copies of one
        text (:attr:`Report.copies`) count once, by their first id, and copies
        of the claim's own document not at all. Defaults to ``agreeing``.
    independent_contradicting : tuple of str
        The same for the contradicting documents. Defaults to ``contradicting``.

    Examples
    --------
    >>> c = Corroboration(claim="a:0", document="a", agreeing=["c", "b"])
    >>> c.agreeing, c.agree_count, c.contradict_count
    (('b', 'c'), 2, 0)
    >>> Corroboration(
    ...     claim="a:0", document="a", agreeing=["b", "b-copy"], independent_agreeing=["b"]
    ... ).agree_count
    1
    """

    claim: str
    document: str
    agreeing: tuple[str, ...] = attrs.field(default=(), converter=_sorted_ids)
    contradicting: tuple[str, ...] = attrs.field(default=(), converter=_sorted_ids)
    supporting_sources: tuple[str, ...] = attrs.field(default=(), converter=_sorted_ids)
    contradicting_sources: tuple[str, ...] = attrs.field(default=(), converter=_sorted_ids)
    independent_agreeing: tuple[str, ...] = attrs.field(
        default=attrs.Factory(lambda self: self.agreeing, takes_self=True), converter=_sorted_ids
    )
    independent_contradicting: tuple[str, ...] = attrs.field(
        default=attrs.Factory(lambda self: self.contradicting, takes_self=True),
        converter=_sorted_ids,
    )

    @property
    def agree_count(self) -> int:
        """How many independent sources (other documents, copies counted once) agree."""
        return len(self.independent_agreeing)

    @property
    def contradict_count(self) -> int:
        """How many independent sources (other documents, copies counted once) contradict."""
        return len(self.independent_contradicting)


def _source_key(claim: Claim, original: dict[str, str] | None = None) -> str:
    """The source a claim rests on: the outlet or speaker it is attributed to,
    else its own document (the first of its copies, when ``original`` maps
    each copy to it)."""
    for fact in claim.facts:
        if isinstance(fact.value, SourceValue):
            return fact.value.via or fact.value.source
    document = claim.document if original is None else original.get(claim.document, claim.document)
    return f"document:{document}"


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
        out.append(_esc(text[pos - base : upto - base]))
        pos = upto

    for m in _nested_marks(marks, base, base + len(text)):
        while stack and stack[-1].end <= m.start:
            emit(stack.pop().end)
            out.append("</mark>")
        emit(m.start)
        state = "match" if m.same else "conflict"
        out.append(
            f'<mark class="ev ev-{_esc(m.kind)} {state}" data-kind="{_esc(m.kind)}" '
            f'data-start="{m.start}" data-end="{m.end}" data-same="{str(m.same).lower()}" '
            f'title="{_esc(m.kind)}: {"same value" if m.same else "conflicting value"}">'
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

# Events drawn open on the HTML page; the others are folded.
_OPEN_EVENTS = 20

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
.cluster, .document { content-visibility: auto; contain-intrinsic-size: auto 600px; }
.cluster > details > summary { list-style: none; }
.cluster > details > summary h2 { display: inline; }
.cluster > details > summary::before { content: "▸ "; color: var(--muted); }
.cluster > details[open] > summary::before { content: "▾ "; }
.omitted { background: #fff8c5; border: 1px solid #f2cc60; border-radius: 6px;
  padding: 6px 10px; }
.copy-of { color: var(--muted); }
"""


def _doc_label(doc: Document | None, doc_id: str) -> str:
    if doc is not None and doc.title:
        return f"{_esc(doc.title)} <small>({_esc(doc_id)})</small>"
    return _esc(doc_id)


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
                f'data-claim="{_esc(c.id)}">',
                "</a>",
            )
        )
    for sk in skipped:
        reason = _esc(sk.reason.value)
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
        out.append(_esc(doc.text[pos:start]))
        out.append(open_tag + _esc(doc.text[start:end]) + close_tag)
        pos = end
    out.append(_esc(doc.text[pos:]))
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
    ...     Document(id="a", text="At least 63,500 residents were evacuated on Oct. 8, 2023."),
    ...     Document(id="b", text="Some 12,000 residents were evacuated on Oct. 8, 2023."),
    ... ], embedder=HashingEmbedder())
    >>> [(r.label.value, r.claims) for r in report.contradictions]
    [('contradict', ('a:0', 'b:0'))]
    >>> print(report.to_csv().splitlines()[0][:40])
    cluster,label,score,claim_a,claim_b,docu
    >>> row = report.relation_rows()[0]
    >>> row["label"], row["conflicts"]
    ('contradict', 1)
    >>> [e for e in row["evidence"].split("; ") if e.startswith("number")]
    ['number: “At least 63,500 residents” ≠ “Some 12,000 residents”']
    """

    documents: tuple[Document, ...] = attrs.field(converter=_documents)
    claims: tuple[Claim, ...] = attrs.field(converter=_claims)
    skipped: tuple[Skipped, ...] = attrs.field(converter=_skipped)
    clusters: tuple[Cluster, ...] = attrs.field(converter=_clusters)
    relations: tuple[Relation, ...] = attrs.field(converter=_relations)
    copies: tuple[CopyGroup, ...] = attrs.field(default=(), converter=_copies)

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
        ...     Document(id="a", text="At least 63,500 residents were evacuated on Oct. 8, 2023."),
        ...     Document(id="b", text="Some 12,000 residents were evacuated on Oct. 8, 2023."),
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
        ...     Document(id="a", text="Rebels launched 180 rockets at the port on Oct. 1, 2024."),
        ...     Document(id="b", text="Rebels fired 180 rockets at the port on Oct. 1, 2024."),
        ...     Document(id="c", text="Rebels fired 200 rockets at the port on Oct. 1, 2024."),
        ... ], embedder=HashingEmbedder())
        >>> for c in report.corroboration():
        ...     print(c.claim, "agreed by", c.agreeing, "contradicted by", c.contradicting)
        a:0 agreed by ('b',) contradicted by ('c',)
        b:0 agreed by ('a',) contradicted by ('c',)
        c:0 agreed by () contradicted by ('a', 'b')
        """
        return tuple(self._corroborations(related=False))

    def copy_of(self) -> dict[str, str]:
        """Each document that is a copy, mapped to the first id of its copy group."""
        return {d: g.documents[0] for g in self.copies for d in g.documents[1:]}

    @staticmethod
    def _independent_sources(
        cluster: Cluster, claims: dict[str, Claim], original: dict[str, str]
    ) -> int:
        """How many independent sources (documents, copies counted once) a cluster has."""
        return len(
            {
                original.get(claims[c].document, claims[c].document)
                for c in cluster.claims
                if c in claims
            }
        )

    def _corroborations(self, *, related: bool) -> Iterator[Corroboration]:
        """:meth:`corroboration`, or with ``related`` only the claims in a relation."""
        document_of = {c.id: c.document for c in self.claims}
        original = self.copy_of()
        source_of = {c.id: _source_key(c, original) for c in self.claims}

        def independent(claim: Claim, others: Iterable[str]) -> set[str]:
            own = original.get(claim.document, claim.document)
            found = {original.get(document_of[x], document_of[x]) for x in others}
            found.discard(own)
            return found

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
                independent_agreeing=independent(c, agreeing.get(c.id, ())),
                independent_contradicting=independent(c, contradicting.get(c.id, ())),
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
            ("copies", map(_copy_dict, self.copies)),
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
        """:meth:`relation_rows` as CSV text with a header line (``pandas.read_csv`` reads it).

        A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
        carriage return is written with a leading ``'`` so that a spreadsheet
        shows it as text instead of running it as a formula (OWASP's advice on
        CSV injection); :meth:`relation_rows` and :meth:`to_jsonl` keep the
        exact texts.

        Examples
        --------
        >>> from factcheck import Document, check
        >>> from factcheck.embedding import HashingEmbedder
        >>> report = check([
        ...     Document(id="a", text="=HYPERLINK(1) 300 people were hurt on Oct. 8, 2023."),
        ...     Document(id="b", text="=HYPERLINK(1) 200 people were hurt on Oct. 8, 2023."),
        ... ], embedder=HashingEmbedder())
        >>> print(report.to_csv().splitlines()[1].split(",")[7])
        "'=HYPERLINK(1) 300 people were hurt on Oct. 8
        """
        lines = [_csv_line(RELATION_COLUMNS)]
        for row in self.relation_rows():
            lines.append(_csv_line([_csv_cell(row[key]) for key in RELATION_COLUMNS]))
        return "".join(lines)

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
        original = self.copy_of()
        multi = [cl for cl in self.clusters if self._independent_sources(cl, claims, original) > 1]
        lines.append(
            f"{_plural(len(self.documents), 'document')}, {_plural(len(self.claims), 'claim')} "
            f"({_plural(len(self.skipped), 'line')} skipped), "
            f"{_plural(len(self.clusters), 'event cluster')} "
            f"({len(multi)} reported by more than one document), "
            f"{_plural(len(self.contradictions), 'contradiction')}, "
            f"{_plural(len(self.agreements), 'agreement')}."
        )
        copy_of = self.copy_of()
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
            count = _plural(claims_per_document[d.id], "claim")
            if d.id in copy_of:
                count += f" (a copy of {_md_code(copy_of[d.id])})"
            about = " — " + _md_escape(_flat(extra)) if extra else ""
            lines.append(f"- {_md_code(d.id)}{about}: {count}")
        skipped_by_reason: dict[str, int] = defaultdict(int)
        for s in self.skipped:
            skipped_by_reason[s.reason.value] += 1
        if skipped_by_reason:
            reasons = ", ".join(f"{n} {r}" for r, n in sorted(skipped_by_reason.items()))
            lines.append(f"- skipped lines: {reasons}")
        if self.copies:
            lines += ["", "## Copies", ""]
            lines.append(
                "Copies are one source: their shared sentences are not compared with each "
                "other, and they never corroborate each other."
            )
            lines.append("")
            for g in self.copies:
                kind = (
                    "identical"
                    if g.identical
                    else f"near-identical ({round(100 * g.similarity)}% shared word sequences)"
                )
                lines.append(f"- {', '.join(_md_code(d) for d in g.documents)} — {kind}")

        lines += ["", "## Events reported by more than one document", ""]
        if not multi:
            lines.append("None.")
        for cl in multi:
            docs = sorted({claims[c].document for c in cl.claims})
            lines.append(
                f"### {_safe_text(_flat(cl.id))} — {_plural(len(cl.claims), 'claim')} from "
                f"{_plural(len(docs), 'document')}"
            )
            lines.append("")
            if cl.reasons:
                lines += [_md_escape(_flat(_reasons_text(cl))), ""]
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
                lines.append(f"- {_md_code(cid)} {_md_escape(_quote(claims[cid].text))}{suffix}")
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
                kinds = ", ".join(_heading_kinds(r))
                lines.append(
                    f"### {_md_code(a.id)} ↔ {_md_code(b.id)} — {kinds} (score {r.score:.2f})"
                )
                lines.append("")
                for side, claim in enumerate((a, b)):
                    conflicts = [m for m in _relation_marks(r, side) if not m.same]
                    text = _marked_markdown(claim.text, claim.start, conflicts)
                    lines.append(f"- **{_safe_text(_flat(claim.document))}**: {text}")
                for e in r.evidence:
                    lines.append(f"  - {_evidence_markdown(e)}")
                lines.append("")
        return "\n".join(lines).rstrip() + "\n"

    # -- HTML ---------------------------------------------------------------

    def to_html(self, *, title: str = "factcheck report", max_relations: int = 500) -> str:
        """One self-contained HTML page: no scripts, no fonts, no network.

        The page holds, per event reported by more than one independent
        document (events with contradictions first), the claims side by side
        by source with their corroboration counts, then each relation with its
        label, score, both sentences with the compared values highlighted, and
        the typed evidence. Every claim links to its place in the full article
        texts at the end of the page. Copies of one text are listed.

        The page stays usable for hundreds of documents: the first 20 events
        are open and the others folded (``<details>``), sections off screen
        are not laid out until scrolled to (``content-visibility``), and at
        most ``max_relations`` relation cards are drawn, contradictions first
        and strongest first; the page says how many are left out and points to
        the JSON report, which holds them all (the ``summary`` paragraph's
        ``data-relations`` and ``data-shown`` give both counts).

        Highlighted values are ``<mark>`` elements whose ``data-start`` and
        ``data-end`` are the evidence spans of ``to_dict()`` (offsets into
        the document text), ``data-kind`` the evidence kind and
        ``data-same`` ``"false"`` for a conflicting value. Wording evidence,
        which spans the whole sentence, is not highlighted, and of two
        values whose spans partly overlap only the conflicting (else the
        longer) one is. Control characters of the articles are shown as
        control pictures (``␛``), never written raw.

        Raises
        ------
        ConfigError
            If ``max_relations`` is not a positive integer.

        Examples
        --------
        >>> from factcheck import Document, check
        >>> from factcheck.embedding import HashingEmbedder
        >>> report = check([
        ...     Document(id="a", text="At least 63,500 residents were evacuated on Oct. 8, 2023."),
        ...     Document(id="b", text="Some 12,000 residents were evacuated on Oct. 8, 2023."),
        ... ], embedder=HashingEmbedder())
        >>> page = report.to_html()
        >>> page.startswith("<!DOCTYPE html>"), "http:" in page or "https:" in page
        (True, False)
        >>> print(page[page.index('<mark class="ev ev-number conflict"'):].split(">")[0] + ">")
        <mark class="ev ev-number conflict" data-kind="number" data-start="0" data-end="25"
              data-same="false" title="number: conflicting value">
        """
        if (
            isinstance(max_relations, bool)
            or not isinstance(max_relations, int)
            or max_relations < 1
        ):
            raise ConfigError(f"max_relations must be a positive integer, got {max_relations!r}")
        claims = {c.id: c for c in self.claims}
        claim_index = {c.id: i for i, c in enumerate(self.claims)}
        doc_index = {d.id: k for k, d in enumerate(self.documents)}
        docs = {d.id: d for d in self.documents}
        corroboration = {c.claim: c for c in self.corroboration()}
        original = self.copy_of()
        cluster_of = {cid: n for n, cl in enumerate(self.clusters) for cid in cl.claims}
        # The relation cards drawn: contradictions first, strongest first.
        priority = sorted(
            range(len(self.relations)),
            key=lambda i: (
                self.relations[i].label is not Label.CONTRADICT,
                -self.relations[i].score,
                self.relations[i].claims,
            ),
        )
        shown = set(priority[:max_relations])
        omitted = len(self.relations) - len(shown)
        relations_of: dict[int, list[int]] = defaultdict(list)
        all_of: dict[int, list[int]] = defaultdict(list)
        unclustered: list[int] = []
        for i, r in enumerate(self.relations):
            n = cluster_of.get(r.claims[0])
            if n is not None:
                all_of[n].append(i)
            if i not in shown:
                continue
            if n is None:
                unclustered.append(i)
            else:
                relations_of[n].append(i)
        claim_marks: dict[str, list[_Mark]] = defaultdict(list)
        for i in shown:
            r = self.relations[i]
            for side, cid in enumerate(r.claims):
                claim_marks[cid] += _relation_marks(r, side)

        def claim_link(cid: str) -> str:
            return f'<a href="#claim-{claim_index[cid]}">{_esc(cid)}</a>'

        def claim_card(cid: str) -> str:
            claim = claims[cid]
            i = claim_index[cid]
            counts = corroboration[cid]
            badges = []
            if counts.agree_count:
                badges.append(
                    f'<span class="badge agree" title="agreeing: '
                    f'{_esc(", ".join(counts.agreeing))}">'
                    f"✔ agreed by {_plural(counts.agree_count, 'source')}</span>"
                )
            if counts.contradict_count:
                badges.append(
                    f'<span class="badge contradict" title="contradicting: '
                    f'{_esc(", ".join(counts.contradicting))}">'
                    f"✖ contradicted by {_plural(counts.contradict_count, 'source')}</span>"
                )
            disputed = " disputed" if counts.contradict_count else ""
            return (
                f'<div class="claim{disputed}" id="claim-{i}" data-claim="{_esc(cid)}" '
                f'data-agree="{counts.agree_count}" data-contradict="{counts.contradict_count}">'
                f"<p>{_marked_html(claim.text, claim.start, claim_marks[cid])}</p>"
                f'<div class="meta"><a href="#text-{i}">{_esc(cid)} in the article ↓</a>'
                f"{''.join(badges)}</div></div>"
            )

        def relation_card(i: int) -> str:
            r = self.relations[i]
            label = r.label.value
            sides = []
            for side, cid in enumerate(r.claims):
                claim = claims[cid]
                sides.append(
                    f'<blockquote data-side="{"ab"[side]}" data-claim="{_esc(cid)}">'
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
                    f"<td>{_esc(e.a) or '<em>(none)</em>'}</td>"
                    f'<td class="rel">{"=" if e.same else "≠"}</td>'
                    f"<td>{_esc(e.b) or '<em>(none)</em>'}</td></tr>"
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
                f'<table class="evidence"><tr><th>evidence</th><th>{_esc(r.claims[0])}'
                f"</th><th></th><th>{_esc(r.claims[1])}</th></tr>"
                f"{''.join(rows)}</table></article>"
            )

        n_contradict = len(self.contradictions)
        n_agree = len(self.agreements)
        multi: list[int] = []
        singles: list[int] = []
        for n, cl in enumerate(self.clusters):
            (multi if self._independent_sources(cl, claims, original) > 1 else singles).append(n)

        def contradictions_in(n: int) -> int:
            return sum(1 for i in all_of[n] if self.relations[i].label is Label.CONTRADICT)

        multi.sort(key=lambda n: (-contradictions_in(n), -len(all_of[n]), n))

        out = [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            "style-src 'unsafe-inline'\">",
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_esc(title)}</title>",
            f"<style>{_CSS}</style></head><body>",
            f'<header class="top"><h1>{_esc(title)}</h1><p>'
            f"{_plural(len(self.documents), 'document')} · {_plural(len(self.claims), 'claim')}"
            f" · {_plural(len(self.clusters), 'event cluster')} ({len(multi)} reported by more "
            "than one document)</p></header>",
            "<main>",
            f'<p class="summary" data-relations="{len(self.relations)}" '
            f'data-shown="{len(shown)}">'
            f'<span class="count contradict">{_plural(n_contradict, "contradiction")}</span> '
            f'<span class="count agree">{_plural(n_agree, "agreement")}</span></p>',
        ]
        if omitted:
            out.append(
                f'<p class="omitted" id="omitted">This page draws the {len(shown):,} strongest '
                f"of {len(self.relations):,} relations (contradictions first); the other "
                f"{omitted:,} are in the JSON report (<code>factcheck check ... --format "
                "json</code>) and the CSV export, which hold every relation.</p>"
            )
        out.append(
            '<p class="legend">Highlighted values: <mark class="ev conflict">conflicting</mark> '
            '<mark class="ev match">same on both sides</mark>. A score runs from 0 to 1, '
            "higher is stronger. Each claim links to its place in the full text at the end "
            "of the page.</p>"
        )
        if self.contradictions:
            out.append('<section id="contradictions"><h2>Contradictions</h2><ul>')
            index_of = {id(r): i for i, r in enumerate(self.relations)}
            listed = 0
            for r in self.contradictions:
                i = index_of[id(r)]
                if i not in shown:
                    continue
                listed += 1
                kinds = ", ".join(_heading_kinds(r))
                out.append(
                    f'<li><a href="#relation-{i}">{_esc(r.claims[0])} ↔ '
                    f"{_esc(r.claims[1])}</a> — {_esc(kinds)} "
                    f"(score {r.score:.2f})</li>"
                )
            if listed < n_contradict:
                out.append(
                    f'<li class="more">… and {n_contradict - listed:,} more contradictions, '
                    "in the JSON report</li>"
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
            copy = (
                f' <small class="copy-of">(a copy of {_esc(original[d.id])})</small>'
                if d.id in original
                else ""
            )
            out.append(
                f'<tr><td><a href="#doc-{k}">{_doc_label(d, d.id)}</a>{copy}</td>'
                f"<td>{published}</td><td>{n_claims}</td><td>{n_skipped}</td></tr>"
            )
        out.append("</table></section>")
        if self.copies:
            out.append(
                '<section id="copies"><h2>Copies</h2><p>Copies are one source: their shared '
                "sentences are not compared with each other, and they never corroborate each "
                'other.</p><ul class="copies">'
            )
            for g in self.copies:
                kind = (
                    "identical"
                    if g.identical
                    else f"near-identical ({round(100 * g.similarity)}% shared word sequences)"
                )
                names = ", ".join(
                    f'<a href="#doc-{doc_index[d]}">{_esc(d)}</a>' for d in g.documents if d in docs
                )
                out.append(
                    f'<li data-documents="{_esc(" ".join(g.documents))}">{names} — {kind}</li>'
                )
            out.append("</ul></section>")

        out.append('<section id="events"><h2>Events reported by more than one document</h2>')
        if not multi:
            out.append("<p>None.</p>")
        for rank, n in enumerate(multi):
            cl = self.clusters[n]
            by_doc: dict[str, list[str]] = defaultdict(list)
            for cid in cl.claims:
                by_doc[claims[cid].document].append(cid)
            n_c = contradictions_in(n)
            n_a = len(all_of[n]) - n_c
            state = " has-contradiction" if n_c else " has-agreement" if n_a else ""
            counts = "".join(
                f' <span class="count {kind}">{_plural(k, word)}</span>'
                for k, kind, word in (
                    (n_c, "contradict", "contradiction"),
                    (n_a, "agree", "agreement"),
                )
                if k
            )
            hidden = len(all_of[n]) - len(relations_of[n])
            more = (
                f'<p class="omitted">{_plural(hidden, "more relation")} of this event '
                'left out: see <a href="#omitted">above</a>.</p>'
                if hidden
                else ""
            )
            opened = " open" if rank < _OPEN_EVENTS else ""
            out.append(
                f'<section class="cluster{state}" id="cluster-{_esc(cl.id)}" '
                f'data-cluster="{_esc(cl.id)}"><details{opened}><summary><h2>Event '
                f"{_esc(cl.id)} <small>{_plural(len(cl.claims), 'claim')} from "
                f"{_plural(len(by_doc), 'document')}</small>{counts}</h2></summary>"
                + (f'<p class="why">{_esc(_reasons_text(cl))}</p>' if cl.reasons else "")
                + '<div class="sources">'
            )
            for doc_id in sorted(by_doc):
                out.append(
                    f'<div class="source" data-document="{_esc(doc_id)}">'
                    f"<h3>{_doc_label(docs.get(doc_id), doc_id)}</h3>"
                    + "".join(claim_card(cid) for cid in by_doc[doc_id])
                    + "</div>"
                )
            out.append("</div>")
            out += [relation_card(i) for i in relations_of[n]]
            out.append(more + "</details></section>")
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
                        f'<li class="claim" id="claim-{i}" data-claim="{_esc(cid)}">'
                        f'<a href="#text-{i}">{_esc(cid)}</a> '
                        f"<small>({_esc(cl.id)})</small> {_esc(_flat(claim.text))}"
                        "</li>"
                    )
            out.append("</ul></details>")

        out.append('<section id="texts"><h2>Full texts</h2>')
        for d in self.documents:
            text = _fulltext_html(d, claims_of[d.id], skipped_of[d.id], corroboration)
            out.append(
                f'<article class="document" id="doc-{doc_index[d.id]}" '
                f'data-document="{_esc(d.id)}"><h3>{_doc_label(d, d.id)}</h3>'
                f'<div class="fulltext">{text}</div></article>'
            )
        out.append("</section></main></body></html>")
        return "\n".join(out) + "\n"
