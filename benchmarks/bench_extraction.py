"""Benchmark fact extraction: claims per second on the seeds and on the FNC-1 bodies.

Usage (from the repository root)::

    python benchmarks/bench_extraction.py --repeat 3 --out benchmarks/results/extraction.md
    python benchmarks/bench_extraction.py --bodies 300        # a quick run on 300 bodies

Two corpora: the seed articles in ``seeds/`` and the article bodies of FNC-1
(``../shared/data/fnc1/train_bodies.csv``, columns ``Body ID`` and
``articleBody``; all non-blank bodies, or the first ``--bodies N``). A claim is
a sentence of :class:`~factcheck.segmenting.RuleSegmenter`, as in the pipeline.

For each corpus the script times, in this one process and thread:

* **segment + extract**: ``RuleSegmenter.segment`` and
  ``RuleFactExtractor.extract`` over every document, as ``Checker.claims_of``
  does it (without building ``Claim`` records);
* **extract only**: ``RuleFactExtractor.extract`` given the sentence spans.

Each figure is the median over ``--repeat`` passes (``--seed-repeat`` for the
seeds, whose one pass is short), after one warm-up pass. It prints and writes
measured values only: times, counts, the facts found per kind, and the machine's
core count.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from factcheck.extracting import RuleFactExtractor  # noqa: E402
from factcheck.records import Document, FactKind, Sentence  # noqa: E402
from factcheck.segmenting import RuleSegmenter  # noqa: E402

FNC1 = ROOT.parent / "shared" / "data" / "fnc1" / "train_bodies.csv"


def load_seeds() -> list[Document]:
    return [Document.from_path(path) for path in sorted((ROOT / "seeds").glob("*.txt"))]


def load_fnc1(path: Path, limit: int | None) -> list[Document]:
    csv.field_size_limit(1 << 30)
    documents: list[Document] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if not row["articleBody"].strip():
                continue
            documents.append(Document(id=f"fnc1-{row['Body ID']}", text=row["articleBody"]))
            if limit is not None and len(documents) >= limit:
                break
    return documents


def sentence_spans(segmenter: RuleSegmenter, document: Document) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in segmenter.segment(document) if isinstance(s, Sentence)]


@dataclass
class Result:
    name: str
    documents: int
    claims: int
    chars: int
    kinds: Counter[str]
    repeat: int
    both_s: float
    both_all: list[float]
    only_s: float
    only_all: list[float]


def median_seconds(run: Callable[[], object], repeat: int) -> tuple[float, list[float]]:
    run()  # warm-up: compiled patterns, caches
    times: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def measure(name: str, documents: Sequence[Document], repeat: int) -> Result:
    segmenter = RuleSegmenter()
    extractor = RuleFactExtractor()
    spans = [sentence_spans(segmenter, d) for d in documents]
    claims = sum(len(s) for s in spans)
    chars = sum(len(d.text) for d in documents)

    def both() -> None:
        for document in documents:
            extractor.extract(document, sentence_spans(segmenter, document))

    def extract_only() -> None:
        for document, doc_spans in zip(documents, spans, strict=True):
            extractor.extract(document, doc_spans)

    kinds: Counter[str] = Counter()
    for document, doc_spans in zip(documents, spans, strict=True):
        for facts in extractor.extract(document, doc_spans):
            kinds.update(f.kind.value for f in facts)
    both_s, both_all = median_seconds(both, repeat)
    only_s, only_all = median_seconds(extract_only, repeat)
    return Result(
        name, len(documents), claims, chars, kinds, repeat, both_s, both_all, only_s, only_all
    )


def fmt_rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}" if seconds > 0 else "n/a"


def load() -> str:
    """The 1-minute load average, which says whether the machine was shared."""
    return f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "n/a"


def report(results: Sequence[Result], command: str, wall: float, loads: tuple[str, str]) -> str:
    cores = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    lines = [
        "# Fact extraction speed",
        "",
        f"Command: `{command}`; {dt.date.today().isoformat()}; Python "
        f"{platform.python_version()} on {platform.machine()}, {cores} cores "
        f"({usable} usable), one process and thread; {wall:.0f} s in all; 1-minute load "
        f"average {loads[0]} at the start and {loads[1]} at the end.",
        "",
        "A claim is a sentence of `RuleSegmenter`; *segment + extract* times segmentation "
        "and `RuleFactExtractor.extract` together, *extract only* the extractor given the "
        "sentence spans. Medians over the passes shown, after one warm-up pass.",
        "",
        "| corpus | documents | claims | characters | passes | segment + extract: s "
        "| claims/s | extract only: s | claims/s | chars/s (extract only) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.documents} | {r.claims:,} | {r.chars:,} | {r.repeat} "
            f"| {r.both_s:.3f} | {fmt_rate(r.claims, r.both_s)} | {r.only_s:.3f} "
            f"| {fmt_rate(r.claims, r.only_s)} | {fmt_rate(r.chars, r.only_s)} |"
        )
    lines += ["", "Facts found (one pass):", ""]
    order = [kind.value for kind in FactKind]
    lines.append("| corpus | " + " | ".join(order) + " | all | per claim |")
    lines.append("|---|" + "---|" * (len(order) + 2))
    for r in results:
        total = sum(r.kinds.values())
        per = f"{total / r.claims:.2f}" if r.claims else "n/a"
        row = " | ".join(f"{r.kinds.get(k, 0):,}" for k in order)
        lines.append(f"| {r.name} | {row} | {total:,} | {per} |")
    lines += ["", "Every pass (seconds):", ""]
    for r in results:
        both_all = ", ".join(f"{t:.3f}" for t in r.both_all)
        only_all = ", ".join(f"{t:.3f}" for t in r.only_all)
        lines.append(f"- {r.name}: segment + extract [{both_all}]; extract only [{only_all}]")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bodies", type=int, default=None, help="first N FNC-1 bodies (all)")
    parser.add_argument("--repeat", type=int, default=3, help="passes over FNC-1 (3)")
    parser.add_argument("--seed-repeat", type=int, default=25, help="passes over the seeds (25)")
    parser.add_argument("--fnc1", type=Path, default=FNC1, help="train_bodies.csv")
    parser.add_argument("--out", type=Path, default=None, help="write the Markdown report here")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    load_before = load()
    results = [measure("seeds", load_seeds(), args.seed_repeat)]
    if args.fnc1.exists():
        label = "FNC-1 bodies" if args.bodies is None else f"FNC-1 bodies (first {args.bodies})"
        results.append(measure(label, load_fnc1(args.fnc1, args.bodies), args.repeat))
    else:
        print(f"note: {args.fnc1} not found; FNC-1 skipped", file=sys.stderr)
    command = "python benchmarks/bench_extraction.py " + " ".join(
        sys.argv[1:] if argv is None else argv
    )
    text = report(results, command.strip(), time.perf_counter() - started, (load_before, load()))
    print(text, end="")
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        existing = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        marker = "\n## Library decision"
        tail = existing[existing.index(marker) :] if marker in existing else ""
        args.out.write_text(text + tail, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
