"""How close float32 embedding is to this machine's arithmetic limit.

Usage (from the repository root)::

    python3 benchmarks/bench_embedding_bound.py --bodies 1000 --sample 2000 \\
        --out benchmarks/results/embedding_bound.md

It takes the claims of the first ``--bodies`` FNC-1 bodies (as the pipeline
benchmark does), counts their tokens with the default model's tokenizer and
computes the matrix work of all-MiniLM-L6-v2 on them: per token and layer the
Q, K, V and output projections (``4 d^2``) and the feed-forward pair
(``2 d f``), per sentence and layer the attention products (``2 l^2 d``), each
multiply-add 2 flops (``d = 384``, ``f = 1536``, 6 layers; the embedding
lookups, softmax, layer norms and pooling are left out, so this is a lower
bound). Dividing by the float32 GEMM rate measured in the same run (the faster
of one multi-threaded loop and one single-threaded loop per core at once)
gives the least time any float32 inference can take on these sentences. Then
it times sentence-transformers' default ``encode`` and factcheck's float32
path on ``--sample`` of the sentences, interleaved, and reports the rate each
reaches against that bound: how much faster than the default encode a float32
path could possibly be.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench_pipeline import read_bodies  # noqa: E402
from bench_similarity import gemm_rates  # noqa: E402

from factcheck.embedding import (  # noqa: E402
    SentenceTransformerEmbedder,
    _load_model,
    available_cores,
    default_model_path,
)
from factcheck.pipeline import Checker  # noqa: E402

DIM, FEED_FORWARD, LAYERS = 384, 1536, 6
DATA = ROOT.parent / "shared" / "data" / "fnc1" / "train_bodies.csv"


def model_flops(lengths: list[int]) -> float:
    """Matrix flops of the encoder on sentences of these token lengths."""
    per_token = LAYERS * 2 * (4 * DIM * DIM + 2 * DIM * FEED_FORWARD)
    attention = sum(LAYERS * 2 * 2 * n * n * DIM for n in lengths)
    return float(per_token * sum(lengths) + attention)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bodies", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    checker = Checker()
    texts = [c.text for d in read_bodies(DATA, args.bodies) for c in checker.claims_of(d)[0]]
    embedder = SentenceTransformerEmbedder()
    # The same loading as factcheck's embedder, with sentence-transformers' defaults.
    model = _load_model(str(default_model_path()), "cpu")
    embedder.embed(texts[:8])  # load factcheck's model before timing
    lengths = [len(ids) for ids in model.tokenizer(texts, truncation=True)["input_ids"]]
    total = model_flops(lengths)
    usable = available_cores()
    rates = gemm_rates(usable)
    rate = max(rates.values())

    sample = random.Random(0).sample(range(len(texts)), min(args.sample, len(texts)))
    chosen = [texts[i] for i in sample]
    work = model_flops([lengths[i] for i in sample])
    half = len(chosen) // 2
    seconds = {"default": 0.0, "factcheck": 0.0}
    for part in (chosen[:half], chosen[half:]):  # interleaved halves
        start = time.perf_counter()
        model.encode(part, show_progress_bar=False)
        seconds["default"] += time.perf_counter() - start
        start = time.perf_counter()
        embedder.embed(part)
        seconds["factcheck"] += time.perf_counter() - start
    rates_after = gemm_rates(usable)
    rate = max(rate, *rates_after.values())
    bound_all = total / rate
    shown = ", ".join(f"{k} {v / 1e9:.0f}" for k, v in {**rates}.items())
    shown_after = ", ".join(f"{k} {v / 1e9:.0f}" for k, v in rates_after.items())
    lines = [
        "# Float32 embedding against the arithmetic bound",
        "",
        f"- date: {dt.datetime.now().isoformat(timespec='seconds')}",
        f"- command: `python3 {' '.join(sys.argv)}`",
        f"- sentences: {len(texts):,} claims of the first {args.bodies} FNC-1 bodies, "
        f"{sum(lengths):,} tokens (mean {sum(lengths) / len(lengths):.2f})",
        f"- model matrix work on all of them: {total / 1e9:,.0f} GFLOP "
        f"({total / len(texts) / 1e6:.0f} MFLOP per sentence)",
        f"- float32 GEMM rate, GFLOP/s: before {shown}; after {shown_after}; "
        f"bound uses {rate / 1e9:.0f}",
        f"- least time for float32 inference on all {len(texts):,}: {bound_all:.1f} s "
        f"({len(texts) / bound_all:.0f} sentences/s)",
        "",
        f"Timed on {len(chosen):,} of them ({work / 1e9:,.0f} GFLOP), interleaved halves:",
        "",
        "| path | s | sentences/s | GFLOP/s reached | share of the GEMM rate |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, label in (
        ("default", "sentence-transformers default encode"),
        ("factcheck", "factcheck float32"),
    ):
        took = seconds[name]
        lines.append(
            f"| {label} | {took:.1f} | {len(chosen) / took:.0f} | {work / took / 1e9:.0f} | "
            f"{work / took / rate:.0%} |"
        )
    ceiling = seconds["default"] / (work / rate)
    lines += [
        "",
        f"A float32 path can be at most {ceiling:.2f}x faster than the default encode here "
        f"(default time / bound time on the sample); factcheck float32 is "
        f"{seconds['default'] / seconds['factcheck']:.2f}x.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.out:
        args.out.write_text(text)


if __name__ == "__main__":
    main()
