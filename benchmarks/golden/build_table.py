"""Build ``facts.jsonl`` from the hand-written ``annotations.txt`` (see README.md).

Usage (from the repository root; needs ``../shared/data``)::

    python benchmarks/golden/build_table.py            # writes benchmarks/golden/facts.jsonl
    python benchmarks/golden/build_table.py --check    # only checks; exit 1 on a problem

``annotations.txt`` is the source a person edits: one ``doc`` line per source
document, one ``s`` line per sentence, and one line per fact below it. This
script looks each fact's text up inside its sentence (the ``#N`` suffix picks
the N-th occurrence), turns the compact values into JSON and writes one line
per sentence. It never runs an extractor: every value comes from the file.

Line formats (fields separated by `` | ``)::

    doc fnc1 1006 | story: google buys redwood city offices | domain: business | published: -
    doc ecbplus 20_3ecbplus.xml | story: ... | domain: disaster | published: 2005-11-27
    s 0:229                      (FNC-1: character span in the body)
    s 4                          (ECB+: the sentence number of the XML file)
    num TEXT | VALUE | UNIT [| FLAG ...]
        VALUE: 585e6 | ~300 (approximate) | 63500..inf | 0..10
        UNIT: a lower-case lemma, or - for none; FLAG: age, vague
    date TEXT | FIRST[..LAST] [| rel] [| fuzzy]     FIRST/LAST: YYYY-MM-DD, or ? (unresolved)
    time TEXT | HH:MM (24 h) or ?
    place TEXT [| name=CANONICAL] [| demonym] [| alt=organization]
    person TEXT
    org TEXT [| alt=place]
    role TEXT [| holder=NAME] [| country=NAME] [| org=NAME] [| qualifier=WORD]
    neg TEXT | PREDICATE
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from golden_sources import ecbplus_document, fnc1_bodies, sentence_sha1  # noqa: E402

KINDS = {
    "num": "number",
    "date": "date",
    "time": "time",
    "place": "place",
    "person": "person",
    "org": "organization",
    "role": "role",
    "neg": "polarity",
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class AnnotationError(ValueError):
    pass


def _number(value: str, unit: str, flags: list[str], where: str) -> dict[str, Any]:
    approx = value.startswith("~")
    value = value.lstrip("~")
    if ".." in value:
        lo_s, hi_s = value.split("..", 1)
    else:
        lo_s = hi_s = value
    low = float(lo_s)
    high = math.inf if hi_s == "inf" else float(hi_s)
    if high < low:
        raise AnnotationError(f"{where}: number interval {value!r} has high < low")
    out: dict[str, Any] = {
        "low": low,
        "high": None if math.isinf(high) else high,
        "unit": None if unit == "-" else unit,
        "approx": approx,
    }
    for flag in flags:
        if flag not in ("age", "vague"):
            raise AnnotationError(f"{where}: unknown number flag {flag!r}")
        out[flag] = True
    return out


def _date(fields: list[str], where: str) -> dict[str, Any]:
    interval = fields[0]
    flags = fields[1:]
    out: dict[str, Any] = {"first": None, "last": None, "relative": "rel" in flags}
    if "fuzzy" in flags:
        out["fuzzy"] = True
    for flag in flags:
        if flag not in ("rel", "fuzzy"):
            raise AnnotationError(f"{where}: unknown date flag {flag!r}")
    if interval != "?":
        first, _, last = interval.partition("..")
        last = last or first
        if not (_DATE.match(first) and _DATE.match(last)) or last < first:
            raise AnnotationError(f"{where}: bad date interval {interval!r}")
        out["first"], out["last"] = first, last
    return out


def _keyed(fields: list[str], allowed: set[str], where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in fields:
        key, eq, val = field.partition("=")
        if not eq:
            if field not in allowed:
                raise AnnotationError(f"{where}: unknown flag {field!r}")
            out[field] = True
            continue
        if key not in allowed:
            raise AnnotationError(f"{where}: unknown field {key!r}")
        out[key] = val
    return out


def _fact(line: str, sentence: str, where: str) -> dict[str, Any]:
    head, _, rest = line.partition(" ")
    if head not in KINDS:
        raise AnnotationError(f"{where}: unknown fact kind {head!r}")
    fields = [f.strip() for f in rest.split(" | ")]
    text = fields[0]
    occurrence = 1
    m = re.match(r"^(.*)#(\d+)$", text)
    if m:
        text, occurrence = m.group(1), int(m.group(2))
    pos = -1
    for _ in range(occurrence):
        pos = sentence.find(text, pos + 1)
        if pos < 0:
            raise AnnotationError(f"{where}: {text!r} (occurrence {occurrence}) not in sentence")
    kind = KINDS[head]
    fact: dict[str, Any] = {"kind": kind, "text": text, "start": pos, "end": pos + len(text)}
    args = fields[1:]
    if kind == "number":
        if len(args) < 2:
            raise AnnotationError(f"{where}: a number needs VALUE | UNIT")
        fact["value"] = _number(args[0], args[1], args[2:], where)
    elif kind == "date":
        if not args:
            raise AnnotationError(f"{where}: a date needs an interval or ?")
        fact["value"] = _date(args, where)
    elif kind == "time":
        if len(args) != 1 or not re.match(r"^(\d{2}:\d{2}|\?)$", args[0]):
            raise AnnotationError(f"{where}: a time needs HH:MM or ?")
        fact["value"] = None if args[0] == "?" else args[0]
    elif kind == "place":
        extra = _keyed(args, {"name", "demonym", "alt"}, where)
        fact["value"] = extra.get("name", text)
        if extra.get("demonym"):
            fact["demonym"] = True
        if "alt" in extra:
            fact["alt"] = [extra["alt"]]
    elif kind in ("person", "organization"):
        extra = _keyed(args, {"alt"}, where)
        fact["value"] = text
        if "alt" in extra:
            fact["alt"] = [extra["alt"]]
    elif kind == "role":
        extra = _keyed(args, {"holder", "country", "org", "qualifier", "role"}, where)
        fact["value"] = {
            "role": extra.get("role", text.lower()),
            "holder": extra.get("holder"),
            "country": extra.get("country"),
            "organization": extra.get("org"),
            "qualifier": extra.get("qualifier"),
        }
    elif kind == "polarity":
        if len(args) != 1:
            raise AnnotationError(f"{where}: a negation needs its PREDICATE")
        fact["value"] = {"cue": text.lower(), "predicate": args[0]}
    for name in ("alt",):
        for alt in fact.get(name, []):
            if alt not in KINDS.values():
                raise AnnotationError(f"{where}: unknown alternative kind {alt!r}")
    return fact


def _doc_header(line: str, where: str) -> dict[str, Any]:
    parts = [p.strip() for p in line.split(" | ")]
    words = parts[0].split()
    if len(words) != 3 or words[0] != "doc" or words[1] not in ("fnc1", "ecbplus"):
        raise AnnotationError(f"{where}: expected 'doc fnc1|ecbplus ID', got {parts[0]!r}")
    meta: dict[str, Any] = {"source": words[1], "doc": words[2]}
    for part in parts[1:]:
        key, _, val = part.partition(":")
        meta[key.strip()] = val.strip()
    for key in ("story", "domain", "published"):
        if not meta.get(key):
            raise AnnotationError(f"{where}: the doc line needs {key}:")
    if meta["published"] == "-":
        meta["published"] = None
    elif not _DATE.match(meta["published"]):
        raise AnnotationError(f"{where}: published must be YYYY-MM-DD or -")
    return meta


def build(path: Path) -> list[dict[str, Any]]:
    """Parse the annotation file into table rows (raises AnnotationError)."""
    rows: list[dict[str, Any]] = []
    meta: dict[str, Any] | None = None
    doc_text = ""
    spans: dict[int, tuple[int, int]] = {}
    row: dict[str, Any] | None = None
    sentence = ""
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        where = f"{path.name}:{number}"
        line = raw.strip()
        if not line or line.startswith("//"):
            continue
        if line.startswith("doc "):
            meta = _doc_header(line, where)
            if meta["source"] == "fnc1":
                doc_text = fnc1_bodies()[meta["doc"]]
            else:
                doc_text, spans = ecbplus_document(meta["doc"])
            row = None
            continue
        if meta is None:
            raise AnnotationError(f"{where}: a line before the first doc line")
        if line.startswith("s "):
            loc = line[2:].strip()
            if meta["source"] == "fnc1":
                start, end = (int(x) for x in loc.split(":"))
                sentence_no = None
            else:
                sentence_no = int(loc)
                start, end = spans[sentence_no]
            sentence = doc_text[start:end]
            if not sentence or sentence != sentence.strip():
                raise AnnotationError(f"{where}: span {loc} is empty or has outer blanks")
            row = {
                "source": meta["source"],
                "doc": meta["doc"],
                "start": start,
                "end": end,
                "sha1": sentence_sha1(sentence),
                "story": meta["story"],
                "domain": meta["domain"],
                "published": meta["published"],
                "facts": [],
            }
            if sentence_no is not None:
                row["sentence"] = sentence_no
            rows.append(row)
            continue
        if row is None:
            raise AnnotationError(f"{where}: a fact before the first s line")
        row["facts"].append(_fact(line, sentence, where))
    for row in rows:
        row["facts"].sort(key=lambda f: (f["start"], f["end"], f["kind"]))
        spans = [(f["kind"], f["start"], f["end"]) for f in row["facts"]]
        if len(spans) != len(set(spans)):
            raise AnnotationError(
                f"{row['doc']} [{row['start']}, {row['end']}): a fact is annotated twice "
                "(give the occurrence with #N)"
            )
    seen: set[tuple[str, str, int]] = set()
    for row in rows:
        key = (row["source"], row["doc"], row["start"])
        if key in seen:
            raise AnnotationError(f"sentence {key} is annotated twice")
        seen.add(key)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annotations", type=Path, default=HERE / "annotations.txt")
    parser.add_argument("--out", type=Path, default=HERE / "facts.jsonl")
    parser.add_argument("--check", action="store_true", help="check only, write nothing")
    args = parser.parse_args(argv)
    try:
        rows = build(args.annotations)
    except AnnotationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    stories = {r["story"] for r in rows}
    domains = {r["domain"] for r in rows}
    facts = sum(len(r["facts"]) for r in rows)
    print(f"{len(rows)} sentences, {len(stories)} stories, {len(domains)} domains, {facts} facts")
    if not args.check:
        with args.out.open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False, sort_keys=False) + "\n")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
