"""Event clustering quality on ECB+ (topics 1-35), against two baselines.

Reads ``../shared/data/ecbplus/derived/ecbplus_selected_sentences.tsv`` (the
sentences the ECB+ annotators selected, each with the gold cross-document
event ids it mentions). Each topic is clustered on its own, as a user checks
one batch of related articles: every topic mixes two look-alike seminal events
(two rehab check-ins, two earthquakes...), so separating them is the test.

Metrics, per method, pooled over the test topics:

- pairwise precision, recall and F1 of "same event" over cross-document
  sentence pairs: a gold positive pair shares at least one event id;
- extended B-cubed F1 (Amigo et al. 2009), which handles sentences that
  mention several events.

Methods: factcheck (the default embedder, fact extractor and event
clusterer); all sentences of a topic in one cluster; TF-IDF cosine with
average linkage. Thresholds of factcheck and TF-IDF are chosen on the dev
topics (1-10) by pairwise F1 and reported on the test topics (11-35).

Usage::

    python benchmarks/bench_ecbplus.py [--data ../shared/data/ecbplus] [--out FILE]
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from factcheck.clustering import EventClusterer  # noqa: E402
from factcheck.embedding import SentenceTransformerEmbedder  # noqa: E402
from factcheck.extracting import RuleFactExtractor  # noqa: E402
from factcheck.pipeline import Checker  # noqa: E402
from factcheck.records import Claim, Document  # noqa: E402

DEV_TOPICS = set(range(1, 11))


class Topic:
    def __init__(self, number: int) -> None:
        self.number = number
        self.texts: list[str] = []
        self.docs: list[str] = []
        self.gold: list[frozenset[str]] = []


def load(data: Path) -> list[Topic]:
    path = data / "derived" / "ecbplus_selected_sentences.tsv"
    topics: dict[int, Topic] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            number = int(row["topic"])
            if number > 35:
                continue
            topic = topics.setdefault(number, Topic(number))
            topic.texts.append(row["text"])
            topic.docs.append(row["doc"])
            ids = row["cross_doc_event_ids"]
            topic.gold.append(frozenset(ids.split("|")) if ids else frozenset())
    return [topics[k] for k in sorted(topics)]


# ---------------------------------------------------------------------------
# metrics


def pair_counts(topic: Topic, labels: np.ndarray) -> tuple[int, int, int]:
    """True positives, predicted positives, gold positives over cross-document pairs."""
    n = len(topic.texts)
    tp = pred = gold = 0
    for i in range(n):
        for j in range(i + 1, n):
            if topic.docs[i] == topic.docs[j]:
                continue
            g = bool(topic.gold[i] & topic.gold[j])
            p = labels[i] == labels[j]
            tp += g and p
            pred += p
            gold += g
    return tp, pred, gold


def bcubed(topic: Topic, labels: np.ndarray) -> tuple[float, float, int]:
    """Summed extended-B-cubed precision and recall over the topic's items, and item count.

    Items without a gold event are left out (they have no gold category).
    """
    idx = [i for i in range(len(topic.texts)) if topic.gold[i]]
    p_sum = r_sum = 0.0
    for i in idx:
        ps: list[float] = []
        rs: list[float] = []
        for j in idx:
            shared_gold = len(topic.gold[i] & topic.gold[j])
            same = 1 if labels[i] == labels[j] else 0
            if same:
                ps.append(min(same, shared_gold) / same)
            if shared_gold:
                rs.append(min(same, shared_gold) / shared_gold)
        p_sum += sum(ps) / len(ps)
        r_sum += sum(rs) / len(rs)
    return p_sum, r_sum, len(idx)


def f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def score(topics: Sequence[Topic], labels: Sequence[np.ndarray]) -> dict[str, float]:
    tp = pred = gold = 0
    bp = br = 0.0
    items = 0
    for topic, lab in zip(topics, labels, strict=True):
        a, b, c = pair_counts(topic, lab)
        tp, pred, gold = tp + a, pred + b, gold + c
        x, y, z = bcubed(topic, lab)
        bp, br, items = bp + x, br + y, items + z
    precision = tp / pred if pred else 0.0
    recall = tp / gold if gold else 0.0
    return {
        "P": precision,
        "R": recall,
        "F1": f1(precision, recall),
        "B3-P": bp / items,
        "B3-R": br / items,
        "B3-F1": f1(bp / items, br / items),
        "clusters": float(sum(len(set(lab.tolist())) for lab in labels)),
    }


# ---------------------------------------------------------------------------
# methods


def factcheck_method(
    topics: Sequence[Topic], candidate_threshold: float | None = None
) -> Callable[[float], list[np.ndarray]]:
    embedder = SentenceTransformerEmbedder()
    extractor = RuleFactExtractor()
    # The candidate graph as factcheck.check builds it (optionally a wider one).
    checker = Checker(embedder=embedder)
    if candidate_threshold is not None:
        checker = Checker(embedder=embedder, candidate_threshold=candidate_threshold)
    prepared = []
    for topic in topics:
        claims: list[Claim] = []
        for k, (text, doc) in enumerate(zip(topic.texts, topic.docs, strict=True)):
            document = Document(id=f"t{topic.number}-{k}", text=text)
            (facts,) = extractor.extract(document, [(0, len(text))])
            claims.append(
                Claim(
                    id=f"{doc}:{k}",
                    document=doc,
                    sentence=k,
                    start=0,
                    end=len(text),
                    text=text,
                    facts=facts,
                )
            )
        doc_ids = sorted(set(topic.docs))
        groups = np.array([doc_ids.index(d) for d in topic.docs], dtype=np.int64)
        embeddings = embedder.embed(topic.texts)
        pairs = checker.candidate_pairs(embeddings, groups)
        prepared.append((claims, groups, pairs))

    def run(threshold: float) -> list[np.ndarray]:
        clusterer = EventClusterer(threshold=threshold)
        return [clusterer.cluster(c, g, p) for c, g, p in prepared]

    return run


def one_cluster_method(topics: Sequence[Topic]) -> Callable[[float], list[np.ndarray]]:
    return lambda _t: [np.zeros(len(t.texts), dtype=np.int64) for t in topics]


def tfidf_method(topics: Sequence[Topic]) -> Callable[[float], list[np.ndarray]]:
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrices = []
    for topic in topics:
        x = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(topic.texts)
        matrices.append(x.toarray())

    def run(threshold: float) -> list[np.ndarray]:
        out = []
        for x in matrices:
            if len(x) < 2:
                out.append(np.zeros(len(x), dtype=np.int64))
                continue
            model = AgglomerativeClustering(
                n_clusters=None,
                metric="cosine",
                linkage="average",
                distance_threshold=1.0 - threshold,
            )
            out.append(model.fit_predict(x).astype(np.int64))
        return out

    return run


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=HERE.parent.parent / "shared/data/ecbplus")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "ecbplus.md")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"no ECB+ data at {args.data}", file=sys.stderr)
        return 2

    topics = load(args.data)
    dev = [t for t in topics if t.number in DEV_TOPICS]
    test = [t for t in topics if t.number not in DEV_TOPICS]
    grid = [round(x, 2) for x in np.arange(0.10, 0.91, 0.05)]

    started = time.perf_counter()
    methods = {
        "factcheck defaults (MiniLM + event links, average linkage)": factcheck_method,
        "factcheck, candidate graph from cosine 0.2": lambda ts: factcheck_method(ts, 0.2),
        "baseline: one cluster per topic": one_cluster_method,
        "baseline: TF-IDF cosine, average linkage": tfidf_method,
    }
    rows = []
    for name, build in methods.items():
        dev_run, test_run = build(dev), build(test)
        best = max(grid, key=lambda t: (score(dev, dev_run(t))["F1"], -t))
        if name.startswith("baseline: one"):
            best = float("nan")
        result = score(test, test_run(best))
        rows.append((name, best, result))
    elapsed = time.perf_counter() - started

    n_test = sum(len(t.texts) for t in test)
    lines = [
        "# ECB+ event clustering (cross-document sentence pairs)",
        "",
        f"Command: `python benchmarks/bench_ecbplus.py`; {platform.machine()}, "
        f"{os.cpu_count()} cores; {elapsed:.0f} s in all.",
        f"Thresholds chosen on dev topics 1-10 ({sum(len(t.texts) for t in dev)} sentences) "
        f"by pairwise F1; figures on test topics 11-35 ({n_test} sentences, "
        f"{len(test)} topics).",
        "",
        "| method | threshold | pair P | pair R | pair F1 | B3 P | B3 R | B3 F1 | clusters |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, best, r in rows:
        shown = "—" if best != best else f"{best:.2f}"
        lines.append(
            f"| {name} | {shown} | {r['P']:.3f} | {r['R']:.3f} | {r['F1']:.3f} | "
            f"{r['B3-P']:.3f} | {r['B3-R']:.3f} | {r['B3-F1']:.3f} | {int(r['clusters'])} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
