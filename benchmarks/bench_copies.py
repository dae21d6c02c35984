"""Copy detection: factcheck's numpy MinHash against datasketch, on planted copies.

A synthetic corpus of ``--docs`` articles (``--words`` words each, drawn from a
fixed vocabulary with a seeded generator) gets planted copies: identical ones,
ones with a footer added, and ones with ``--edits`` words changed. Both
detectors must find exactly the planted groups; the script prints each one's
groups found, precision and recall over planted pairs, and the median time of
``--repeat`` runs, beside the CPU it ran on.

datasketch is not a dependency of factcheck; install it (``pip install
datasketch``) to run the comparison, else only factcheck's numbers print.

    python3 benchmarks/bench_copies.py --docs 2000
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from factcheck.copies import CopyDetector
from factcheck.normalising import matching_key


def _cpu() -> str:
    try:
        info = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return platform.processor() or "unknown CPU"
    name = next((x.split(":", 1)[1].strip() for x in info if x.startswith("model name")), "?")
    flags = next((x for x in info if x.startswith("flags")), "")
    wanted = [f for f in ("avx2", "avx512f", "avx512_bf16") if f" {f}" in flags]
    return f"{name} ({', '.join(wanted) or 'no AVX2'})"


def corpus(docs: int, words: int, edits: int, seed: int = 7) -> tuple[list[str], list[str], set]:
    rnd = random.Random(seed)
    vocabulary = [f"w{k}" for k in range(5000)]
    texts: list[str] = []
    planted: list[tuple[int, int]] = []
    while len(texts) < docs:
        base = [rnd.choice(vocabulary) for _ in range(words)]
        texts.append(" ".join(base) + ".")
        kind = rnd.random()
        if kind < 0.1 and len(texts) < docs:
            texts.append(" ".join(base).upper() + ".")  # identical words
            planted.append((len(texts) - 2, len(texts) - 1))
        elif kind < 0.2 and len(texts) < docs:
            texts.append(" ".join(base) + ". Copyright 2024 The Wire. All rights reserved.")
            planted.append((len(texts) - 2, len(texts) - 1))
        elif kind < 0.3 and len(texts) < docs:
            edited = list(base)
            for k in rnd.sample(range(words), edits):
                edited[k] = rnd.choice(vocabulary)
            texts.append(" ".join(edited) + ".")
            planted.append((len(texts) - 2, len(texts) - 1))
    ids = [f"d{k:05d}" for k in range(len(texts))]
    return ids, texts, {(ids[a], ids[b]) for a, b in planted}


def pairs_of(groups: list[tuple[str, ...]]) -> set[tuple[str, str]]:
    out = set()
    for g in groups:
        for i in range(len(g)):
            for j in range(i + 1, len(g)):
                out.add((g[i], g[j]))
    return out


def run_factcheck(ids: list[str], texts: list[str]) -> list[tuple[str, ...]]:
    return [g.documents for g in CopyDetector().find(ids, texts)]


def run_datasketch(ids: list[str], texts: list[str]) -> list[tuple[str, ...]]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=0.8, num_perm=128)
    hashes = {}
    for doc_id, text in zip(ids, texts, strict=True):
        words = matching_key(text).split()
        shingles = {" ".join(words[i : i + 5]).encode() for i in range(max(1, len(words) - 4))}
        m = MinHash(num_perm=128, seed=1)
        m.update_batch(list(shingles))
        hashes[doc_id] = m
        lsh.insert(doc_id, m)
    parent = {d: d for d in ids}

    def root(d: str) -> str:
        while parent[d] != d:
            parent[d] = parent[parent[d]]
            d = parent[d]
        return d

    for doc_id, m in hashes.items():
        for other in lsh.query(m):
            if other != doc_id:
                a, b = sorted((root(doc_id), root(other)))
                parent[b] = a
    groups: dict[str, list[str]] = {}
    for d in ids:
        groups.setdefault(root(d), []).append(d)
    return sorted(tuple(sorted(g)) for g in groups.values() if len(g) > 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--words", type=int, default=400)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    ids, texts, planted = corpus(args.docs, args.words, args.edits)
    print(f"CPU: {_cpu()}; Python {platform.python_version()}")
    print(
        f"{len(ids)} documents of {args.words} words, {len(planted)} planted copy pairs "
        f"(identical, with a footer, or {args.edits} words edited)"
    )
    runners = [("factcheck CopyDetector (numpy)", run_factcheck)]
    try:
        import datasketch  # noqa: F401

        runners.append(("datasketch MinHash + MinHashLSH(0.8)", run_datasketch))
    except ImportError:
        print("datasketch is not installed: only factcheck is measured")
    print("| detector | pairs found | precision | recall | median seconds |")
    print("|---|---|---|---|---|")
    for name, runner in runners:
        times = []
        groups: list[tuple[str, ...]] = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            groups = runner(ids, texts)
            times.append(time.perf_counter() - start)
        found = pairs_of(groups)
        precision = len(found & planted) / len(found) if found else 1.0
        recall = len(found & planted) / len(planted) if planted else 1.0
        print(
            f"| {name} | {len(found)} | {precision:.3f} | {recall:.3f} | "
            f"{statistics.median(times):.2f} |"
        )


if __name__ == "__main__":
    main()
