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

With ``--baseline REV`` (e.g. ``bb7aa24``) the extractor of that git revision
(its ``factcheck/extracting.py``, read with ``git show`` and loaded as a
module of its own) is timed against the working tree's in the same process:
*extract only* over the same documents and spans, passes interleaved (old,
new, old, new ...), medians and their ratio. The first call of each extractor
(the new one loads its gazetteers and lemma dictionary) is timed apart.

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
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from factcheck.facts import RuleFactExtractor  # noqa: E402
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


def baseline_extractor(rev: str) -> Any:
    """The ``RuleFactExtractor`` of git revision ``rev`` (a pre-package single module)."""
    import importlib.util
    import subprocess
    import tempfile

    source = subprocess.run(
        ["git", "show", f"{rev}:factcheck/extracting.py"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    folder = Path(tempfile.mkdtemp(prefix="baseline_extractor_"))
    path = folder / f"baseline_extracting_{rev}.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module.RuleFactExtractor()


@dataclass
class Versus:
    rev: str
    documents: int
    claims: int
    repeat: int
    old_first: float
    new_first: float
    old_s: float
    new_s: float
    old_all: list[float]
    new_all: list[float]


def versus(rev: str, documents: Sequence[Document], repeat: int) -> Versus:
    segmenter = RuleSegmenter()
    spans = [sentence_spans(segmenter, d) for d in documents]
    old, new = baseline_extractor(rev), RuleFactExtractor()

    def run(extractor: Any) -> float:
        start = time.perf_counter()
        for document, doc_spans in zip(documents, spans, strict=True):
            extractor.extract(document, doc_spans)
        return time.perf_counter() - start

    old_first, new_first = run(old), run(new)
    old_all: list[float] = []
    new_all: list[float] = []
    for _ in range(repeat):
        old_all.append(run(old))
        new_all.append(run(new))
    return Versus(
        rev, len(documents), sum(len(s) for s in spans), repeat, old_first, new_first,
        statistics.median(old_all), statistics.median(new_all), old_all, new_all,
    )  # fmt: skip


def versus_report(v: Versus) -> str:
    ratio = v.new_s / v.old_s if v.old_s > 0 else float("nan")
    paired = [n / o for o, n in zip(v.old_all, v.new_all, strict=True) if o > 0]
    paired_median = statistics.median(paired) if paired else float("nan")
    old_all = ", ".join(f"{t:.3f}" for t in v.old_all)
    new_all = ", ".join(f"{t:.3f}" for t in v.new_all)
    return "\n".join(
        [
            "",
            f"## Against the baseline {v.rev}",
            "",
            f"*Extract only* on {v.documents} FNC-1 bodies ({v.claims:,} claims), the "
            f"extractor of `{v.rev}` and the working tree's in this one process, {v.repeat} "
            "interleaved passes each after a first, separately timed call. The machine is "
            "shared with other jobs: the medians and their ratio are the figures to read.",
            "",
            "| extractor | first call: s | median: s | claims/s |",
            "|---|---|---|---|",
            f"| baseline `{v.rev}` | {v.old_first:.3f} | {v.old_s:.3f} "
            f"| {fmt_rate(v.claims, v.old_s)} |",
            f"| working tree | {v.new_first:.3f} | {v.new_s:.3f} | {fmt_rate(v.claims, v.new_s)} |",
            "",
            f"Ratio new / old (medians): **{ratio:.2f}**; median of the per-pass ratios "
            f"(each new pass against the old pass just before it): **{paired_median:.2f}** "
            "(below 1 is faster).",
            "",
            f"- baseline passes: [{old_all}]",
            f"- working tree passes: [{new_all}]",
            "",
        ]
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
    parser.add_argument("--baseline", default=None, help="git revision to time against")
    parser.add_argument("--only-baseline", action="store_true", help="skip the other tables")
    args = parser.parse_args(argv)
    if args.only_baseline:
        if args.baseline is None or not args.fnc1.exists():
            parser.error("--only-baseline needs --baseline and the FNC-1 bodies")
        text = versus_report(versus(args.baseline, load_fnc1(args.fnc1, args.bodies), args.repeat))
        print(text, end="")
        if args.out is not None:
            with args.out.open("a", encoding="utf-8") as handle:
                handle.write(text)
        return 0

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
    if args.baseline is not None and args.fnc1.exists():
        text += versus_report(versus(args.baseline, load_fnc1(args.fnc1, args.bodies), args.repeat))
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
