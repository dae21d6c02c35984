"""End-to-end speed of factcheck on real news: FNC-1 bodies checked as articles.

Usage (from the repository root)::

    python3 benchmarks/bench_pipeline.py --bodies 1000

What it does, in one process:

1. Reads the first ``--bodies`` bodies of ``../shared/data/fnc1/train_bodies.csv``
   (csv module, columns ``Body ID`` and ``articleBody``) as documents.
2. **Cold run**: ``Checker.check`` with the embedder wrapped in a
   :class:`~factcheck.embedding_cache.CachedEmbedder` over an empty cache
   directory, each stage wrapped in a timer (segmenting, extracting, embedding,
   similarity, clustering, judging; "pipeline other" is the rest of
   ``Checker.check``: validating documents, building claims and clusters),
   then ``report.to_json()`` ("report"). The model is loaded (and for ONNX
   exported or read from disk) before the run and timed on its own line.
3. **Warm run**: the same with a new ``CachedEmbedder`` over the now full cache.
4. **All sentences**: sentence-transformers' default ``model.encode`` (float32,
   batch 32, torch's default threads) and the run's path without cache on every
   sentence of the run, in chunks taken by both in turn, so a change of machine
   load hits both alike. Their time ratio gives "the same pipeline with
   sentence-transformers' default encode" (the cold run with its embedding time
   scaled by the ratio; the sequential figure is printed too), and the cosine
   of the cold run's vectors to the default's on every sentence.
5. **Embedding paths side by side** on a sample of the run's sentences,
   interleaved in rounds: the default encode, each
   :class:`~factcheck.embedding.InferencePath`, and two candidates measured and
   rejected (not offered by the library): bfloat16 autocast and ONNX Runtime
   dynamic int8 (per-channel). Sentences per second, speed ratio against the
   default (median of rounds), min and mean cosine against the default.
6. **Seeds**: the three seed articles checked with each path; the relations
   (label and claim pair) must equal those with sentence-transformers' default.
7. Peak resident memory (``resource.getrusage``), after the cold run and at the end.

Results go to stdout and to ``--out`` (``benchmarks/results/pipeline.md``).
``--profile N`` adds a warm run under cProfile and prints the ``N`` functions
with the most own time (embedding is then a cache read, so this is the rest).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import csv
import datetime as dt
import io
import os
import platform
import pstats
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import factcheck  # noqa: E402
from factcheck.embedding import (  # noqa: E402
    InferencePath,
    SentenceTransformerEmbedder,
    _load_model,
    _onnx_runner,
    _OnnxRunner,
    _TorchRunner,
    _unit_rows,
    available_cores,
    default_model_path,
)
from factcheck.embedding_cache import CachedEmbedder  # noqa: E402
from factcheck.pipeline import Checker  # noqa: E402

FNC1 = ROOT.parent / "shared" / "data" / "fnc1" / "train_bodies.csv"
SEEDS = ROOT / "seeds"
F32 = npt.NDArray[np.float32]

STAGES = (
    "segmenting",
    "extracting",
    "embedding",
    "similarity",
    "clustering",
    "judging",
    "pipeline other",
    "report",
)


# ---------------------------------------------------------------------------
# Input


def read_bodies(path: Path, n: int) -> list[factcheck.Document]:
    csv.field_size_limit(1 << 30)
    docs: list[factcheck.Document] = []
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            docs.append(
                factcheck.Document(id=f"fnc-{int(row['Body ID']):05d}", text=row["articleBody"])
            )
            if len(docs) >= n:
                break
    return docs


# ---------------------------------------------------------------------------
# Timed stages


class Clock:
    """Seconds and item counts per stage."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = dict.fromkeys(STAGES, 0.0)
        self.items: dict[str, int] = dict.fromkeys(STAGES, 0)

    @contextlib.contextmanager
    def stage(self, name: str, items: int = 0) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - start
            self.items[name] += items


class TimedSegmenter:
    def __init__(self, inner: Any, clock: Clock) -> None:
        self.inner, self.clock = inner, clock

    def segment(self, document: factcheck.Document) -> Any:
        with self.clock.stage("segmenting", 1):
            return self.inner.segment(document)


class TimedExtractor:
    def __init__(self, inner: Any, clock: Clock) -> None:
        self.inner, self.clock = inner, clock

    def extract(self, document: factcheck.Document, spans: Sequence[tuple[int, int]]) -> Any:
        with self.clock.stage("extracting", len(spans)):
            return self.inner.extract(document, spans)


class TimedEmbedder:
    def __init__(self, inner: Any, clock: Clock) -> None:
        self.inner, self.clock = inner, clock
        self.texts: list[str] = []
        self.vectors: F32 | None = None

    @property
    def identity(self) -> str:
        return str(self.inner.identity)

    def embed(self, texts: Sequence[str]) -> F32:
        with self.clock.stage("embedding", len(texts)):
            out: F32 = self.inner.embed(texts)
        self.texts, self.vectors = list(texts), out
        return out


class TimedClusterer:
    def __init__(self, inner: Any, clock: Clock) -> None:
        self.inner, self.clock = inner, clock

    def cluster(self, claims: Any, groups: Any, pairs: Any, **context: Any) -> Any:
        with self.clock.stage("clustering", len(claims)):
            return self.inner.cluster(claims, groups, pairs, **context)


class TimedJudge:
    def __init__(self, inner: Any, clock: Clock) -> None:
        self.inner, self.clock = inner, clock

    def judge(self, a: Any, b: Any, *, similarity: float) -> Any:
        with self.clock.stage("judging", 1):
            return self.inner.judge(a, b, similarity=similarity)


def timed_checker(base: Checker, clock: Clock) -> Checker:
    """A Checker whose stages report to ``clock`` (similarity too, where the
    pipeline exposes ``candidate_pairs``)."""
    checker = Checker(
        segmenter=TimedSegmenter(base.segmenter, clock),  # type: ignore[arg-type]
        extractor=TimedExtractor(base.extractor, clock),  # type: ignore[arg-type]
        embedder=TimedEmbedder(base.embedder, clock),
        clusterer=TimedClusterer(base.clusterer, clock),  # type: ignore[arg-type]
        judge=TimedJudge(base.judge, clock),  # type: ignore[arg-type]
    )
    original = getattr(Checker, "candidate_pairs", None)
    if original is None:
        return checker

    class _TimedChecker(Checker):  # type: ignore[misc]
        def candidate_pairs(self, embeddings: Any, groups: Any) -> Any:
            with clock.stage("similarity", len(embeddings)):
                return original(self, embeddings, groups)

    fields = {a.name: getattr(checker, a.name) for a in Checker.__attrs_attrs__ if a.init}
    return _TimedChecker(**fields)


def run_pipeline(
    docs: list[factcheck.Document], embedder: Any
) -> tuple[Clock, factcheck.Report, TimedEmbedder, float]:
    clock = Clock()
    checker = timed_checker(Checker(embedder=embedder), clock)
    start = time.perf_counter()
    report = checker.check(docs)
    total_check = time.perf_counter() - start
    clock.seconds["pipeline other"] = total_check - sum(
        clock.seconds[s] for s in STAGES if s not in ("pipeline other", "report")
    )
    clock.items["pipeline other"] = len(docs)
    with clock.stage("report", len(report.relations)):
        report.to_json()
    assert isinstance(checker.embedder, TimedEmbedder)
    return clock, report, checker.embedder, sum(clock.seconds.values())


# ---------------------------------------------------------------------------
# Embedding paths


class StDefault:
    """sentence-transformers' default encode: the baseline every path is measured against."""

    identity = "sentence-transformers-default-encode"

    def __init__(self) -> None:
        self.model = _load_model(str(default_model_path()), "cpu")

    def embed(self, texts: Sequence[str]) -> F32:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return _unit_rows(self.model.encode(list(texts), show_progress_bar=False))


class Bf16Autocast:
    """torch bfloat16 autocast (layer norms and softmax in float32): a candidate."""

    identity = "bf16-autocast-candidate"

    def __init__(self) -> None:
        self.runner = _TorchRunner(_load_model(str(default_model_path()), "cpu"), bf16=True)

    def embed(self, texts: Sequence[str]) -> F32:
        return _unit_rows(self.runner.run(list(texts), 32))


class OnnxInt8:
    """ONNX Runtime dynamic int8 (per-channel weights) of the exported graph: a candidate."""

    identity = "onnx-int8-candidate"

    def __init__(self, onnx_dir: Path, scratch: Path) -> None:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        location = str(default_model_path())
        model = _load_model(location, "cpu")
        _onnx_runner(location, "cpu", onnx_dir, model, None)  # exports if needed
        (source,) = onnx_dir.glob("*.onnx")  # the float32 graph the library exported
        target = scratch / "int8.onnx"
        with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
            quantize_dynamic(
                str(source), str(target), per_channel=True, weight_type=QuantType.QInt8
            )
        self.runner = _OnnxRunner(model, target.read_bytes())

    def embed(self, texts: Sequence[str]) -> F32:
        return _unit_rows(self.runner.run(list(texts), 32))


def compare_paths(
    texts: list[str], paths: dict[str, Callable[[], Any]], rounds: int
) -> dict[str, dict[str, float]]:
    """Each path on the same texts, interleaved in ``rounds`` rounds of equal slices."""
    embedders = {}
    for name, make in paths.items():
        try:
            embedders[name] = make()
            embedders[name].embed(texts[:8])  # load, export, first-call costs out of the timing
        except Exception as exc:
            print(f"  {name}: skipped ({type(exc).__name__}: {exc})", flush=True)
    slices = [texts[r::rounds] for r in range(rounds)]
    seconds: dict[str, list[float]] = {n: [] for n in embedders}
    vectors: dict[str, list[F32]] = {n: [] for n in embedders}
    for r, part in enumerate(slices):
        for name, emb in embedders.items():
            start = time.perf_counter()
            vectors[name].append(emb.embed(part))
            seconds[name].append(time.perf_counter() - start)
            print(
                f"  round {r + 1}/{rounds} {name:<22} {len(part) / seconds[name][-1]:7.1f}/s"
                f"  (load {os.getloadavg()[0]:.1f})",
                flush=True,
            )
    base = "sentence-transformers default"
    reference = np.concatenate(vectors[base])
    out: dict[str, dict[str, float]] = {}
    for name in embedders:
        got = np.concatenate(vectors[name])
        cos = np.sum(got * reference, axis=1)
        ratios = [b / s for b, s in zip(seconds[base], seconds[name], strict=True)]
        out[name] = {
            "rate": len(texts) / sum(seconds[name]),
            "ratio": statistics.median(ratios),
            "min_cos": float(cos.min()),
            "mean_loss": float(np.mean(1.0 - cos)),
        }
    return out


def relations_of(report: factcheck.Report) -> set[tuple[str, tuple[str, str]]]:
    return {(r.label.value, tuple(r.claims)) for r in report.relations}  # type: ignore[misc]


# ---------------------------------------------------------------------------
# Output


def cpu_flags() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return "?"
    flags = set()
    for line in text.splitlines():
        if line.startswith("flags"):
            flags = set(line.split(":", 1)[1].split())
            break
    wanted = ["avx2", "fma", "avx512f", "avx512_vnni", "avx512_bf16", "avx_vnni", "amx_bf16"]
    return " ".join(f for f in wanted if f in flags) or "none of AVX2/AVX-512"


def cpu_name() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "?"


def stage_table(cold: Clock, warm: Clock) -> list[str]:
    units = {
        "segmenting": "docs",
        "extracting": "sentences",
        "embedding": "sentences",
        "similarity": "claims",
        "clustering": "claims",
        "judging": "pairs",
        "pipeline other": "docs",
        "report": "relations",
    }
    cold_total = sum(cold.seconds.values())
    warm_total = sum(warm.seconds.values())
    lines = [
        "| stage | cold s | cold share | cold throughput | warm s | warm share |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for s in STAGES:
        c, w = cold.seconds[s], warm.seconds[s]
        rate = cold.items[s] / c if c > 0 else float("nan")
        lines.append(
            f"| {s} | {c:.2f} | {100 * c / cold_total:.1f} % | {rate:,.0f} {units[s]}/s "
            f"| {w:.2f} | {100 * w / warm_total:.1f} % |"
        )
    lines.append(f"| **total** | **{cold_total:.2f}** | 100 % | | **{warm_total:.2f}** | 100 % |")
    return lines


def interleaved_all(
    texts: list[str], baseline: Any, path: Any, chunks: int
) -> tuple[float, float, F32, F32]:
    """The default encode and the run's path (no cache) on every text, chunk by chunk
    in turn, so a change of load hits both alike: total seconds of each and vectors."""
    size = -(-len(texts) // chunks)
    base_s = path_s = 0.0
    base_parts: list[F32] = []
    path_parts: list[F32] = []
    for k in range(0, len(texts), size):
        part = texts[k : k + size]
        start = time.perf_counter()
        base_parts.append(baseline.embed(part))
        mid = time.perf_counter()
        path_parts.append(path.embed(part))
        end = time.perf_counter()
        base_s += mid - start
        path_s += end - mid
        print(
            f"  chunk {k // size + 1}/{chunks}: default {len(part) / (mid - start):6.1f}/s, "
            f"path {len(part) / (end - mid):6.1f}/s  (load {os.getloadavg()[0]:.1f})",
            flush=True,
        )
    return base_s, path_s, np.concatenate(base_parts), np.concatenate(path_parts)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--bodies", type=int, default=1000)
    parser.add_argument("--data", type=Path, default=FNC1)
    parser.add_argument(
        "--inference",
        choices=[p.value for p in InferencePath],
        default=SentenceTransformerEmbedder().inference.value,
        help="the path the cold and warm runs use (default: the library's default)",
    )
    parser.add_argument(
        "--compare", type=int, default=900, help="sentences in the side-by-side sample"
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--chunks", type=int, default=8, help="chunks of the all-sentence run")
    parser.add_argument("--paths", nargs="*", default=["float32", "onnx", "bf16", "onnx-int8"])
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "pipeline.md")
    args = parser.parse_args(argv)

    cores = available_cores()
    started = dt.datetime.now().isoformat(timespec="seconds")
    load_before = os.getloadavg()
    print(f"cores: {cores} ({os.cpu_count()} online); CPU {cpu_name()}; flags: {cpu_flags()}")
    print(f"load average at start: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}")
    docs = read_bodies(args.data, args.bodies)
    print(f"{len(docs)} FNC-1 bodies, {sum(len(d.text) for d in docs):,} characters")

    work = Path(tempfile.mkdtemp(prefix="factcheck-bench-"))
    try:
        onnx_dir = work / "onnx"
        path = InferencePath(args.inference)
        inner = SentenceTransformerEmbedder(inference=path, onnx_dir=onnx_dir)
        start = time.perf_counter()
        inner.embed(["warm up"])
        load_s = time.perf_counter() - start
        print(f"model load ({path.value}, including any ONNX export): {load_s:.1f} s")

        cache_dir = work / "cache"
        print("\ncold run (empty cache) ...", flush=True)
        cold, cold_report, cold_emb, cold_total = run_pipeline(
            docs, CachedEmbedder(inner=inner, directory=cache_dir)
        )
        rss_cold = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  {cold_total:.1f} s; peak RSS {rss_cold:.0f} MiB", flush=True)
        print("warm run (full cache) ...", flush=True)
        warm_cached = CachedEmbedder(inner=inner, directory=cache_dir)
        warm, warm_report, _, warm_total = run_pipeline(docs, warm_cached)
        print(f"  {warm_total:.1f} s; embedded {warm_cached.stats.misses} sentences", flush=True)
        same_warm = relations_of(cold_report) == relations_of(warm_report)

        texts = cold_emb.texts
        unique = len(set(texts))
        lines_stages = stage_table(cold, warm)
        print("\n" + "\n".join(lines_stages))

        profile_lines: list[str] = []
        if args.profile > 0:
            # A third run, warm, under cProfile: embedding is a cache read, so the
            # profile shows the other stages (cProfile slows them, so the stage
            # table above comes from the unprofiled runs).
            profiler = cProfile.Profile()
            profiler.enable()
            run_pipeline(docs, CachedEmbedder(inner=inner, directory=cache_dir))
            profiler.disable()
            buffer = io.StringIO()
            stats = pstats.Stats(profiler, stream=buffer)
            stats.sort_stats("tottime").print_stats(args.profile)
            profile_lines = [ln for ln in buffer.getvalue().splitlines() if ln.strip()]
            profile_lines = profile_lines[-args.profile - 1 :]
            print("\nprofile of a warm run (own time):")
            print("\n".join(profile_lines))

        # -- the default encode and the run's path on every sentence ---------
        print(
            f"\nsentence-transformers default encode and factcheck {path.value} on all "
            f"{len(texts):,} sentences, {args.chunks} chunks in turn:",
            flush=True,
        )
        base_s, path_s, reference, again = interleaved_all(texts, StDefault(), inner, args.chunks)
        ratio_all = base_s / path_s
        assert cold_emb.vectors is not None
        cos = np.sum(reference * cold_emb.vectors, axis=1)
        full_min, full_mean = float(cos.min()), float(np.mean(1 - cos))
        rerun_diff = float(np.max(np.abs(again - cold_emb.vectors))) if len(texts) else 0.0
        print(
            f"  default {base_s:.1f} s, path {path_s:.1f} s: {ratio_all:.2f}x; the cold run's "
            f"vectors vs the default: min cos {full_min:.6f}, mean loss {full_mean:.2e}"
        )

        # -- paths side by side on a sample ---------------------------------
        step = max(1, len(texts) // max(1, args.compare))
        sample = texts[::step][: args.compare]
        print(f"\nembedding paths on {len(sample)} of the run's sentences, {args.rounds} rounds:")
        makers: dict[str, Callable[[], Any]] = {"sentence-transformers default": StDefault}
        for name in args.paths:
            if name == "onnx-int8":
                makers["onnx int8 (candidate)"] = lambda: OnnxInt8(onnx_dir, work)
            elif name == "bf16":
                makers["bf16 autocast (candidate)"] = Bf16Autocast
            else:
                p = InferencePath(name)
                makers[f"factcheck {p.value}"] = lambda p=p: SentenceTransformerEmbedder(
                    inference=p, onnx_dir=onnx_dir
                )
        compared = compare_paths(sample, makers, args.rounds)

        # -- seeds -----------------------------------------------------------
        seed_docs = [factcheck.Document.from_path(p) for p in sorted(SEEDS.glob("*.txt"))]
        seed_base = relations_of(Checker(embedder=StDefault()).check(seed_docs))
        seed_same: dict[str, bool] = {}
        for name, make in makers.items():
            if name == "sentence-transformers default":
                continue
            try:
                got = relations_of(Checker(embedder=make()).check(seed_docs))
            except Exception as exc:
                print(f"  seeds with {name}: skipped ({type(exc).__name__}: {exc})")
                continue
            seed_same[name] = got == seed_base
        print(
            f"seed relations identical to sentence-transformers default: {seed_same} "
            f"({len(seed_base)} relations)"
        )
        rss_end = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    finally:
        shutil.rmtree(work, ignore_errors=True)

    # -- targets -------------------------------------------------------------
    cold_embed = cold.seconds["embedding"]
    # The same pipeline with the default encode: the cold run with its embedding
    # time scaled by the ratio measured on every sentence, chunks in turn. (The
    # ratio leaves out what the cache's de-duplication saves, so it is low.)
    baseline_total = cold_total - cold_embed + cold_embed * ratio_all
    speedup = baseline_total / cold_total
    sequential_total = cold_total - cold_embed + base_s
    warm_share = warm_total / cold_total
    others = [s for s in STAGES if s != "embedding"]
    worst_other = max(others, key=lambda s: cold.seconds[s])
    worst_share = cold.seconds[worst_other] / cold_total
    load_after = os.getloadavg()

    out: list[str] = [
        "# End-to-end pipeline benchmark (FNC-1 bodies)",
        "",
        f"`python3 benchmarks/bench_pipeline.py --bodies {args.bodies}` on {started}.",
        f"Machine: {cores} cores ({cpu_name()}; {cpu_flags()}), "
        f"Python {platform.python_version()}, factcheck embedding path `{path.value}` "
        f"({inner.workers or cores} workers of one thread each).",
        f"Load average (1 min) {load_before[0]:.2f} at the start, {load_after[0]:.2f} at the end: "
        "the machine is shared, so absolute times are noisy; ratios are taken within this run, "
        "interleaved.",
        "",
        f"{len(docs)} bodies, {len(texts):,} claims ({unique:,} distinct texts), "
        f"{len(cold_report.relations):,} relations. "
        f"Model load before the cold run: {load_s:.1f} s.",
        "",
        "## Stages, cold cache and warm cache",
        "",
        *lines_stages,
        "",
        f"Warm run embedded {warm_cached.stats.misses} sentences; "
        f"its relations equal the cold run's: {same_warm}. "
        f"Peak RSS: {rss_cold:.0f} MiB after the cold run, {rss_end:.0f} MiB at the end "
        "(the end includes every path of the comparison).",
        "",
        f"## The default encode and factcheck {path.value} on all {len(texts):,} sentences",
        "",
        f"{args.chunks} chunks, each embedded by both in turn: default encode {base_s:.1f} s "
        f"({len(texts) / base_s:.1f}/s), factcheck {path.value} without cache {path_s:.1f} s "
        f"({len(texts) / path_s:.1f}/s): **{ratio_all:.2f}x**. The cold run's vectors against "
        f"the default's: min cosine {full_min:.6f}, mean 1 − cos {full_mean:.2e}; embedding "
        f"again in other batches, without cache, moves no component by more than "
        f"{rerun_diff:.1e}.",
        "",
        "## Embedding paths side by side "
        f"({len(sample)} sentences, {args.rounds} interleaved rounds)",
        "",
        "| path | sentences/s | speed vs default (median of rounds) "
        "| min cosine vs default | mean 1 − cos | seed relations unchanged |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, row in compared.items():
        unchanged = "—" if name == "sentence-transformers default" else seed_same.get(name, "?")
        out.append(
            f"| {name} | {row['rate']:.1f} | {row['ratio']:.2f}x "
            f"| {row['min_cos']:.6f} | {row['mean_loss']:.2e} | {unchanged} |"
        )
    out += [
        "",
        f"The seeds give {len(seed_base)} relations with the default encode.",
        "",
        "## Targets",
        "",
        "| target | measured | met |",
        "|---|---|---|",
        "| cold run ≥ 2x faster than the same pipeline with sentence-transformers' default "
        f"encode | {speedup:.2f}x ({baseline_total:.1f} s → {cold_total:.1f} s: the cold run "
        f"with its {cold_embed:.1f} s of embedding scaled by {ratio_all:.2f}x; the sequential "
        f"measurement, default encode of all claims after the cold run, gives "
        f"{sequential_total / cold_total:.2f}x) | {'yes' if speedup >= 2 else 'no'} |",
        f"| warm run < 10 % of the cold run | {100 * warm_share:.1f} % ({warm_total:.1f} s) "
        f"| {'yes' if warm_share < 0.10 else 'no'} |",
        f"| no stage but embedding > 20 % of the cold total | largest: {worst_other} "
        f"{100 * worst_share:.1f} % | {'yes' if worst_share <= 0.20 else 'no'} |",
        f"| the run's path within cosine 0.99 of float32 on every sentence | min {full_min:.6f} "
        f"over all {len(texts):,} | {'yes' if full_min >= 0.99 else 'no'} |",
    ]
    if profile_lines:
        out += [
            "",
            "## Profile of a warm run (cProfile, own time)",
            "",
            "```",
            *profile_lines,
            "```",
        ]
    text = "\n".join(out) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print("\n" + text)
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
