"""Event clustering on ECB+ topics 1-35: leave-topics-out CV of the learned model and baselines.

Every method is scored on the same held-out folds (the checks dealt
round-robin into 5 folds of 6-7 topics, as ``factcheck.training.events``
does): cross-document same-event pair precision, recall and F1 over the
annotated sentences, and extended B-cubed F1. A topic is one check: its
annotated sentences are the claims, inside the full text of their articles.

Methods, all in one run:

- the learned model (nested CV: scorer and threshold fitted on the other folds);
- one cluster per topic;
- TF-IDF cosine, average linkage, threshold chosen on the training folds;
- the hand-set rule of rev bb7aa24 (``HandSetEventClusterer()``, its defaults);
- the sub-topic oracle: one cluster per ECB+ sub-topic (an upper reference).

Usage::

    python3 benchmarks/bench_ecbplus.py [--data ../shared/data/ecbplus] [--cache-dir DIR]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from factcheck.clustering import AverageLinkageClusterer, HandSetEventClusterer  # noqa: E402
from factcheck.embedding import SentenceTransformerEmbedder  # noqa: E402
from factcheck.embedding_cache import CachedEmbedder  # noqa: E402
from factcheck.training import events as T  # noqa: E402


def _tfidf_labels(p: T.PreparedCheck, threshold: float) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [c.text for c in p.check.claims]
    x = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    s = (x @ x.T).toarray()
    rows, cols = T._all_pairs(p.check.groups)
    return AverageLinkageClusterer(threshold=threshold).labels(
        p.check.groups, rows, cols, s[rows, cols]
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=HERE.parent.parent / "shared/data/ecbplus")
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "ecbplus.md")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"no ECB+ data at {args.data}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    embedder = SentenceTransformerEmbedder()
    if args.cache_dir is not None:
        embedder = CachedEmbedder(inner=embedder, directory=args.cache_dir)
    checks, _ = T.read_ecbplus(args.data, topics=range(1, 36))
    prepared = T.prepare_checks(checks, embedder)
    folds = T._folds(len(prepared), 5)
    cv = T.cross_validate(prepared, folds=5)
    grid = [round(x, 2) for x in np.arange(0.05, 0.91, 0.05)]
    methods: dict[str, list[dict[str, float]]] = {"learned model (nested CV)": cv["folds"]}
    per_topic: dict[str, float] = {}
    for name in (
        "one cluster per topic",
        "TF-IDF average linkage",
        "hand-set rule (bb7aa24)",
        "sub-topic oracle",
    ):
        methods[name] = []
    for part in folds:
        test = [prepared[i] for i in part]
        train = [p for i, p in enumerate(prepared) if i not in set(part)]

        def pooled(ps: Sequence[T.PreparedCheck], labels: Sequence[np.ndarray]) -> T.Scores:
            total = T.Scores()
            for p, lab in zip(ps, labels, strict=True):
                total = total + T.score_labels(p.check, lab)
            return total

        methods["one cluster per topic"].append(
            pooled(test, [np.zeros(len(p.check.claims), dtype=np.int64) for p in test]).figures()
        )

        def train_f1(t: float, train: Sequence[T.PreparedCheck] = train) -> tuple[float, float]:
            labels = [_tfidf_labels(p, t) for p in train]
            return (pooled(train, labels).figures()["pair_f1"], -t)

        best = max(grid, key=train_f1)
        figures = pooled(test, [_tfidf_labels(p, best) for p in test]).figures()
        methods["TF-IDF average linkage"].append({**figures, "threshold": best})
        hand = HandSetEventClusterer()
        methods["hand-set rule (bb7aa24)"].append(
            pooled(
                test,
                [hand.cluster(p.check.claims, p.check.groups, p.candidates) for p in test],
            ).figures()
        )
        oracle = [
            np.array([0 if s == "ecb" else 1 for s in (p.check.subtopics or ())], dtype=np.int64)
            for p in test
        ]
        methods["sub-topic oracle"].append(pooled(test, oracle).figures())
    # Per-topic F1 of the learned model, to name the topics that fail.
    for k, part in enumerate(folds):
        test = [prepared[i] for i in part]
        train = [p for i, p in enumerate(prepared) if i not in set(part)]
        estimator = T._fit(train, T.REGULARISATION)
        column = T._positive_column(estimator)
        threshold = cv["folds"][k]["threshold"]
        for p in test:
            proba = estimator.predict_proba(p.candidate_features)[:, column]
            lab = T.cluster_check(p, proba, threshold)
            per_topic[p.check.name] = T.score_labels(p.check, lab).figures()["pair_f1"]
    elapsed = time.perf_counter() - started

    lines = [
        "# ECB+ event clustering: leave-topics-out cross-validation",
        "",
        f"Command: `python3 benchmarks/bench_ecbplus.py --cache-dir ...`; {platform.machine()}, "
        f"{os.cpu_count()} cores (shared machine); {elapsed:.0f} s in all. "
        f"{len(prepared)} topics (1-35 as present), "
        f"{sum(len(p.check.claims) for p in prepared)} annotated sentences, 5 folds of topics "
        "(dealt round-robin); candidate graph of Checker's defaults (20 neighbours, cosine 0.35).",
        "",
        "## Mean over the 5 held-out folds",
        "",
        "| method | pair P | pair R | pair F1 | B3 P | B3 R | B3 F1 |",
        "|---|---|---|---|---|---|---|",
    ]
    keys = ["pair_precision", "pair_recall", "pair_f1", "b3_precision", "b3_recall", "b3_f1"]
    for name, rows in methods.items():
        mean = [float(np.mean([r[k] for r in rows])) for k in keys]
        lines.append(f"| {name} | " + " | ".join(f"{v:.3f}" for v in mean) + " |")
    lines += [
        "",
        "## Per fold (pair F1 / B3 F1)",
        "",
        "| fold | topics | " + " | ".join(methods) + " |",
        "|---|---|" + "---|" * len(methods),
    ]
    for k, part in enumerate(folds):
        topics = ", ".join(prepared[i].check.name for i in part)
        cells = [f"{m[k]['pair_f1']:.3f} / {m[k]['b3_f1']:.3f}" for m in methods.values()]
        lines.append(f"| {k + 1} | {topics} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Thresholds of the learned model per fold (chosen on the other folds): "
        + ", ".join(str(r["threshold"]) for r in cv["folds"])
        + "; TF-IDF: "
        + ", ".join(str(r["threshold"]) for r in methods["TF-IDF average linkage"])
        + ".",
        "",
        "## Learned model, pair F1 per held-out topic (worst first)",
        "",
        ", ".join(f"{t}: {f:.2f}" for t, f in sorted(per_topic.items(), key=lambda x: x[1])),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
