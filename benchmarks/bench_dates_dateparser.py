"""Dates on the golden table: factcheck's date rules against ``dateparser``.

Usage (from the repository root; needs ``../shared/data``)::

    python benchmarks/bench_dates_dateparser.py --out benchmarks/results/dates_dateparser.md

Three date extractors run over the golden table's sentences in one process,
scored by ``bench_golden_facts.py``'s matcher (kind ``date``, span overlap, one
to one; +value: the same interval):

* **rules**: the working tree's ``RuleFactExtractor``, its DATE facts only;
* **dateparser**: ``dateparser.search.search_dates`` on each sentence
  (``RELATIVE_BASE`` = the document's publication date where the table gives
  one, ``PREFER_DATES_FROM`` past), each found substring as a one-day date;
* **rules + dateparser**: the rules' dates, plus dateparser's that overlap none.

It prints and writes measured figures only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
import warnings
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import bench_golden_facts as golden  # noqa: E402

from factcheck.facts import RuleFactExtractor  # noqa: E402
from factcheck.records import DateValue, Document, Fact, FactKind  # noqa: E402


class DateparserDates:
    """Dates that ``dateparser.search.search_dates`` finds, as facts (one day each)."""

    def extract(self, document: Document, spans: Any) -> tuple[tuple[Fact, ...], ...]:
        from dateparser.search import search_dates

        settings: dict[str, Any] = {"PREFER_DATES_FROM": "past"}
        if document.published is not None:
            settings["RELATIVE_BASE"] = dt.datetime.combine(document.published, dt.time())
        out = []
        for start, end in spans:
            text = document.text[start:end]
            facts: list[Fact] = []
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                found = search_dates(text, languages=["en"], settings=settings) or []
            pos = 0
            for sub, when in found:
                at = text.find(sub, pos)
                if at < 0:
                    continue
                pos = at + len(sub)
                day = when.date()
                facts.append(
                    Fact(
                        kind=FactKind.DATE,
                        start=start + at,
                        end=start + at + len(sub),
                        text=sub,
                        value=DateValue(day, day),
                    )
                )
            out.append(tuple(facts))
        return tuple(out)


class Combined:
    def __init__(self) -> None:
        self.rules, self.parser = RuleFactExtractor(), DateparserDates()

    def extract(self, document: Document, spans: Any) -> tuple[tuple[Fact, ...], ...]:
        out = []
        for mine, theirs in zip(
            self.rules.extract(document, spans), self.parser.extract(document, spans), strict=True
        ):
            dates = [f for f in mine if f.kind is FactKind.DATE]
            extra = [
                f for f in theirs if not any(f.start < d.end and d.start < f.end for d in dates)
            ]
            out.append(tuple(sorted([*dates, *extra], key=lambda f: (f.start, f.end))))
        return tuple(out)


class RulesDates:
    def __init__(self) -> None:
        self.rules = RuleFactExtractor()

    def extract(self, document: Document, spans: Any) -> tuple[tuple[Fact, ...], ...]:
        return tuple(
            tuple(f for f in facts if f.kind is FactKind.DATE)
            for facts in self.rules.extract(document, spans)
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    if not golden.DATA.is_dir():
        print("no ../shared/data: the golden table cannot be built", file=sys.stderr)
        return 2
    docs, sentences = golden.load_sentences(golden.load_table())
    spans = golden.spans_by_doc(sentences)
    rows = []
    for name, extractor in (
        ("rules", RulesDates()),
        ("dateparser", DateparserDates()),
        ("rules + dateparser", Combined()),
    ):
        t0 = time.perf_counter()
        raw = golden._raw_facts(extractor, docs, spans)
        seconds = time.perf_counter() - t0
        preds = golden.predictions(raw, sentences)
        span = golden.score(sentences, preds, with_value=False)["date"]
        value = golden.score(sentences, preds, with_value=True)["date"]
        rows.append((name, span, value, seconds))
    lines = [
        "# Dates: factcheck's rules against dateparser on the golden table",
        "",
        "Command: `python benchmarks/bench_dates_dateparser.py"
        + (f" --out {args.out}" if args.out else "")
        + f"`; {dt.date.today().isoformat()}; {golden.cpu_line()}.",
        "",
        f"{len(sentences)} sentences; gold dates: {rows[0][1].gold}. Span: overlap, one to one; "
        "+value: the same interval.",
        "",
        "| extractor | predicted | P | R | P (+value) | R (+value) | seconds |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, span, value, seconds in rows:
        lines.append(
            f"| {name} | {span.pred} | {golden._f(span.precision)} | {golden._f(span.recall)} "
            f"| {golden._f(value.precision)} | {golden._f(value.recall)} | {seconds:.2f} |"
        )
    text = "\n".join(lines) + "\n"
    print(text, end="")
    if args.out is not None:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
