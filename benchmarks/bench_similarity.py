"""Benchmark factcheck.similarity against the BLAS bound and peer libraries.

Usage (from the repository root)::

    python benchmarks/bench_similarity.py --sizes 10000 30000 100000 --repeat 3 \\
        --out benchmarks/results/similarity.md

Every measurement runs in its own subprocess on the same random unit vectors
(dimension 384, about 30 rows per document): the median wall time over
``--repeat`` runs and the peak extra resident memory (``VmHWM`` after resetting
it through ``/proc/self/clear_refs``, minus ``VmRSS`` with the data loaded; this
counts memory allocated by BLAS, torch or faiss too).

The BLAS bound of a method is its multiply-add work divided by the float32 GEMM
rate measured in the same run with (4096 x 384) @ (384 x 4096) loops: one loop
with BLAS's own threads and one single-threaded loop per usable core at once
(factcheck's workers use the cores the second way), each before and after the
runs; the bound uses the fastest of the four, the machine's best shown rate:

* factcheck (upper-triangle blocks, each pair once): ``n * n * dim`` flops
  (``n (n - 1) / 2`` pairs x ``2 dim`` flops);
* peers (full ``n x n`` product): ``2 * n * n * dim`` flops.

Peers: faiss ``IndexFlatIP`` top-11 (self included), scikit-learn
``NearestNeighbors(algorithm="brute", metric="cosine")`` top-11,
sentence-transformers ``util.paraphrase_mining_embeddings`` (top_k=10) and
``util.community_detection`` (threshold 0.6). Peers that cannot be imported are
skipped with a note. Peers do not exclude same-document pairs; factcheck does.
``--peers NAME[:MAX_N] ...`` picks peers and optionally the largest size each
runs at (e.g. ``--peers faiss sklearn:30000``), so one that would take too long
at some size can be skipped; ``--peers none`` runs factcheck only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DIM = 384
ROWS_PER_DOCUMENT = 30
THRESHOLD = 0.6
K = 10

# name -> (label, mode compared with, full-matrix flops factor, module to import)
METHODS: dict[str, tuple[str, str, int, str]] = {
    "factcheck_topk": ("factcheck top-10", "topk", 1, "factcheck.similarity"),
    "factcheck_threshold": ("factcheck threshold 0.6", "threshold", 1, "factcheck.similarity"),
    "faiss": ("faiss IndexFlatIP top-11", "topk", 2, "faiss"),
    "sklearn": ("sklearn brute cosine top-11", "topk", 2, "sklearn"),
    "paraphrase_mining": (
        "sentence-transformers paraphrase_mining top-10",
        "topk",
        2,
        "sentence_transformers",
    ),
    "community_detection": (
        "sentence-transformers community_detection 0.6",
        "threshold",
        2,
        "sentence_transformers",
    ),
}
PEERS = [name for name in METHODS if not name.startswith("factcheck")]


# ---------------------------------------------------------------------------
# Child side: one method, one size


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _runner(method: str, embeddings: np.ndarray, groups: np.ndarray) -> Callable[[], object]:
    if method == "factcheck_topk":
        from factcheck.similarity import cross_document_topk

        return lambda: cross_document_topk(embeddings, groups, k=K)
    if method == "factcheck_threshold":
        from factcheck.similarity import cross_document_pairs

        return lambda: cross_document_pairs(embeddings, groups, threshold=THRESHOLD)
    if method == "faiss":
        import faiss

        def run_faiss() -> object:
            index = faiss.IndexFlatIP(embeddings.shape[1])
            index.add(embeddings)
            return index.search(embeddings, K + 1)

        return run_faiss
    if method == "sklearn":
        from sklearn.neighbors import NearestNeighbors

        def run_sklearn() -> object:
            model = NearestNeighbors(n_neighbors=K + 1, algorithm="brute", metric="cosine")
            return model.fit(embeddings).kneighbors(embeddings)

        return run_sklearn
    if method in ("paraphrase_mining", "community_detection"):
        import torch
        from sentence_transformers import util

        tensor = torch.from_numpy(embeddings)
        if method == "paraphrase_mining":
            return lambda: util.paraphrase_mining_embeddings(
                tensor, top_k=K, max_pairs=K * embeddings.shape[0]
            )
        return lambda: util.community_detection(tensor, threshold=THRESHOLD)
    raise SystemExit(f"unknown method {method!r}")


def child(method: str, data: Path, repeat: int) -> None:
    sys.path.insert(0, str(ROOT))
    embeddings = np.load(data / "embeddings.npy")
    groups = np.load(data / "groups.npy")
    run = _runner(method, embeddings, groups)
    baseline = _status_kib("VmRSS")
    reset = _reset_peak()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    peak = _status_kib("VmHWM")
    print(
        json.dumps(
            {
                "times": times,
                "peak_extra_mb": (peak - baseline) / 1024,
                "peak_reset": reset,
            }
        )
    )


# ---------------------------------------------------------------------------
# Parent side


def sgemm_rate(seconds: float = 3.0, threads: int = 1) -> float:
    """float32 GEMM rate (flop/s) of (4096 x 384) @ (384 x 4096) loops.

    ``threads == 1``: one loop with BLAS's own threads. Otherwise ``threads``
    loops run at once in Python threads, each with single-threaded BLAS (the
    way factcheck's workers use the cores); the rate is their total.
    """
    import threading

    from threadpoolctl import threadpool_limits

    rng = np.random.default_rng(0)
    a = rng.standard_normal((4096, DIM), dtype=np.float32)
    b = rng.standard_normal((4096, DIM), dtype=np.float32)
    counts = [0] * threads

    def loop(slot: int) -> None:
        out = np.empty((4096, 4096), dtype=np.float32)
        np.matmul(a, b.T, out=out)
        start = time.perf_counter()
        while time.perf_counter() - start < seconds:
            np.matmul(a, b.T, out=out)
            counts[slot] += 1

    start = time.perf_counter()
    if threads == 1:
        loop(0)
    else:
        with threadpool_limits(limits=1, user_api="blas"):
            workers = [threading.Thread(target=loop, args=(i,)) for i in range(threads)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
    elapsed = time.perf_counter() - start
    return 2.0 * 4096 * 4096 * DIM * sum(counts) / elapsed


def gemm_rates(usable: int) -> dict[str, float]:
    """Both ways of using the cores; the bound uses the faster."""
    rates = {"one BLAS call": sgemm_rate()}
    if usable > 1:
        rates[f"{usable} single-threaded calls at once"] = sgemm_rate(threads=usable)
    return rates


def make_data(n: int, folder: Path) -> None:
    rng = np.random.default_rng(n)
    embeddings = rng.standard_normal((n, DIM), dtype=np.float32)
    embeddings /= np.linalg.norm(embeddings, axis=1, keepdims=True)
    np.save(folder / "embeddings.npy", embeddings)
    np.save(folder / "groups.npy", np.arange(n, dtype=np.int64) // ROWS_PER_DOCUMENT)


def importable(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def parse_peers(values: list[str]) -> dict[str, float]:
    """``NAME[:MAX_N]`` -> largest size to run each peer at."""
    if values == ["none"]:
        return {}
    chosen: dict[str, float] = {}
    for value in values:
        name, _, limit = value.partition(":")
        if name not in PEERS:
            raise SystemExit(f"--peers: unknown peer {name!r}; choose from {', '.join(PEERS)}")
        chosen[name] = float(limit) if limit else float("inf")
    return chosen


def measure(method: str, data: Path, repeat: int, timeout: float) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", method, "--data", str(data)]
    command += ["--repeat", str(repeat)]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=False, env=env
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        return {"error": f"failed ({done.returncode}): {tail[0][:120]}"}
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def table_lines(rows: list[tuple[int, str, dict[str, Any]]], rate: float) -> list[str]:
    """Markdown rows for measured ``(n, method, result)``, bounds at ``rate``."""
    lines: list[str] = []
    reference: dict[tuple[int, str], float] = {}
    for n, name, result in rows:
        label, mode, factor, _ = METHODS[name]
        bound = factor * n * n * DIM / rate
        if "error" in result:
            lines.append(f"| {n} | {label} | {result['error']} | {bound:.2f} | | | |")
            continue
        median = statistics.median(result["times"])
        if name.startswith("factcheck"):
            reference[n, mode] = median
            ratio = ""
        else:
            known = reference.get((n, mode))
            ratio = f"{median / known:.2f}" if known else ""
        peak = f"{result['peak_extra_mb']:.0f}"
        if not result["peak_reset"]:
            peak += " (lifetime peak)"
        lines.append(
            f"| {n} | {label} | {median:.2f} | {bound:.2f} | "
            f"{bound / median:.0%} | {peak} | {ratio} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 30000, 100000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None, help="markdown file to write")
    parser.add_argument(
        "--peers",
        nargs="+",
        default=list(PEERS),
        help="peers to run, NAME or NAME:MAX_N (largest size), or 'none'",
    )
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per measurement")
    parser.add_argument("--child", choices=list(METHODS), help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.data, args.repeat)
        return

    peers = parse_peers(args.peers)
    notes: list[str] = []
    for name in list(peers):
        module = METHODS[name][3]
        if not importable(module):
            notes.append(f"{METHODS[name][0]}: skipped, `{module}` is not installed")
            print(f"note: {notes[-1]}", flush=True)
            del peers[name]
    cores = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    before = gemm_rates(usable or 1)
    rate = max(before.values())
    shown = ", ".join(f"{name} {value / 1e9:.0f}" for name, value in before.items())
    print(f"cores: {cores} ({usable} usable); sgemm GFLOP/s: {shown}", flush=True)

    header = (
        "| n | method | median s | BLAS bound s | bound / time | peak extra MB "
        "| peer / factcheck |\n|---:|---|---:|---:|---:|---:|---:|"
    )
    rows: list[tuple[int, str, dict[str, Any]]] = []
    print("(bounds below use the rate measured before the runs)")
    print(header, flush=True)
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            data = Path(folder)
            make_data(n, data)
            methods = ["factcheck_topk", "factcheck_threshold"]
            methods += [name for name in PEERS if name in peers and n <= peers[name]]
            for name in methods:
                rows.append((n, name, measure(name, data, args.repeat, args.timeout)))
                print(table_lines(rows, rate)[-1], flush=True)

    after = gemm_rates(usable or 1)
    shown_after = ", ".join(f"{name} {value / 1e9:.0f}" for name, value in after.items())
    print(f"sgemm GFLOP/s after the runs: {shown_after}", flush=True)
    # The bound is the work at the fastest rate this machine showed in the run.
    rate = max(rate, *after.values())
    lines = table_lines(rows, rate)
    print(f"final table, bounds at {rate / 1e9:.0f} GFLOP/s:")
    print("\n".join([header, *lines]))
    report = "\n".join(
        [
            "# Cross-document similarity benchmark",
            "",
            f"- date: {dt.datetime.now().isoformat(timespec='seconds')}",
            f"- command: `python {' '.join(sys.argv)}`",
            f"- machine: {platform.machine()}, {cores} cores ({usable} usable), "
            f"Python {platform.python_version()}, numpy {np.__version__}",
            "- measured float32 GEMM rate, (4096x384)@(384x4096) loops, GFLOP/s: "
            f"before the runs {shown}; after {shown_after}; the bound uses the fastest "
            f"of these, {rate / 1e9:.0f}",
            f"- data: random unit vectors, dim {DIM}, {ROWS_PER_DOCUMENT} rows per document; "
            f"median of {args.repeat} run(s), each method in its own process",
            "- BLAS bound = flops / measured rate; factcheck computes each pair once "
            "(n·n·dim flops), peers the full matrix (2·n·n·dim flops)",
            "- peak extra MB: peak resident memory during the runs minus resident memory "
            "with the data loaded",
            "- peer / factcheck: peer time over factcheck top-10 (top-k peers) or "
            "threshold 0.6 (community_detection); > 1 means factcheck is faster",
            "- peers include same-document pairs; factcheck excludes them",
            *[f"- {note}" for note in notes],
            "",
            header,
            *lines,
            "",
        ]
    )
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(report)
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
