"""Perturbation benchmark: today's judge on edits made independently of its extractor.

    python3 benchmarks/bench_perturbations.py [--data ../shared/data] [--cache-dir DIR]
        [--per-kind 150] [--seed 3]

Real sentences of FNC-1 bodies (a fixed sample of bodies, their first 12
sentences) and of ECB+ (never the seeds) are edited by
:mod:`factcheck.training.perturb`, whose rules share nothing with factcheck's
fact extraction. Each original is judged against its edited copy by
:class:`~factcheck.judging.RuleJudge` (the claims' facts read by the default
extractor, each sentence its own document; the cosine from all-MiniLM-L6-v2).

Reported, as the baseline for the learned judge of phase 2:

* contradiction recall per edit kind (goal >= 0.95 for every kind);
* format-only paraphrases judged a contradiction (goal: never);
* false contradictions among untouched pairs (goal <= 0.2 %): each sampled
  sentence against an identical copy in another document, and each pair of
  different sentences of one FNC-1 body whose cosine reaches the pipeline's
  candidate threshold (0.35), neither edited.

Figures go to ``benchmarks/results/perturbations.md``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_stance import cpu  # noqa: E402

from factcheck.embedding import SentenceTransformerEmbedder  # noqa: E402
from factcheck.embedding_cache import CachedEmbedder  # noqa: E402
from factcheck.extracting import RuleFactExtractor  # noqa: E402
from factcheck.judging import RuleJudge  # noqa: E402
from factcheck.records import Claim, Document, Label, Sentence  # noqa: E402
from factcheck.segmenting import RuleSegmenter  # noqa: E402
from factcheck.training.data import read_ecbplus, read_fnc1  # noqa: E402
from factcheck.training.perturb import EditKind, perturbations  # noqa: E402

_EXTRACTOR = RuleFactExtractor()


def claim(doc_id: str, text: str) -> Claim:
    doc = Document(id=doc_id, text=text)
    (facts,) = _EXTRACTOR.extract(doc, [(0, len(text))])
    return Claim(id=f"{doc_id}:0", document=doc_id, sentence=0, start=0, end=len(text), text=text,
                 facts=facts)  # fmt: skip


def outcome(judge: RuleJudge, a: str, b: str, cosine: float) -> str:
    relation = judge.judge(claim("a", a), claim("b", b), similarity=cosine)
    return "none" if relation is None else relation.label.value


def sources(data: Path, *, bodies: int, seed: int) -> tuple[list[tuple[str, str]], list[list[str]]]:
    """(source, sentence) to edit, and the sampled FNC-1 bodies' sentences."""
    out: list[tuple[str, str]] = []
    _, texts = read_fnc1(data / "fnc1")
    rng = np.random.default_rng(seed)
    ids = sorted(texts, key=int)
    chosen = sorted(rng.choice(ids, size=min(bodies, len(ids)), replace=False).tolist(), key=int)
    segmenter = RuleSegmenter()
    per_body: list[list[str]] = []
    for bid in chosen:
        sentences = [
            s.text
            for s in segmenter.segment(Document(id=f"fnc1-{bid}", text=texts[bid]))
            if isinstance(s, Sentence)
        ][:12]
        per_body.append(sentences)
        out += [("fnc1", s) for s in sentences]
    out += [("ecbplus", e.text) for e in read_ecbplus(data / "ecbplus")]
    return out, per_body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--per-kind", type=int, default=150)
    parser.add_argument("--bodies", type=int, default=300)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument(
        "--results", type=Path, default=ROOT / "benchmarks" / "results" / "perturbations.md"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    embedder = SentenceTransformerEmbedder()
    embed = (
        embedder
        if args.cache_dir is None
        else CachedEmbedder(inner=embedder, directory=args.cache_dir)
    )
    sentences, bodies = sources(args.data, bodies=args.bodies, seed=args.seed)
    edits = perturbations(sentences, per_kind=args.per_kind, seed=args.seed)
    texts = sorted(
        {t for e in edits for t in (e.original, e.edited)} | {t for b in bodies for t in b}
    )
    vectors = dict(zip(texts, embed.embed(texts), strict=True))
    judge = RuleJudge()

    rows: list[tuple[EditKind, str, str]] = []
    for e in edits:
        cos = float(np.dot(vectors[e.original], vectors[e.edited]))
        rows.append((e.kind, e.source, outcome(judge, e.original, e.edited, cos)))
    # Untouched pairs: identical copies, and different sentences of one body.
    touched = {e.original for e in edits}
    copies = [
        s for s in sorted({t for _, t in sentences if t not in touched}) if 25 <= len(s) <= 400
    ]
    rng = np.random.default_rng(args.seed)
    if len(copies) > 1500:
        copies = [copies[i] for i in np.sort(rng.choice(len(copies), size=1500, replace=False))]
    untouched: Counter[tuple[str, str]] = Counter()
    for s in copies:
        untouched[("copy", outcome(judge, s, s, 1.0))] += 1
    for body in bodies:
        for i, a in enumerate(body):
            for b in body[i + 1 :]:
                cos = float(np.dot(vectors[a], vectors[b]))
                if cos >= 0.35 and a != b:
                    untouched[("neighbour", outcome(judge, a, b, cos))] += 1
    seconds = time.perf_counter() - started

    cache = f" --cache-dir {args.cache_dir}" if args.cache_dir else ""
    lines = [
        "# Perturbations independent of the extractor: today's RuleJudge",
        "",
        f"Command: `python3 benchmarks/bench_perturbations.py{cache}` (per kind {args.per_kind}, "
        f"{args.bodies} FNC-1 bodies, seed {args.seed}); CPU: {cpu()}; shared machine; "
        f"{seconds:.0f} s in all. Sentences: FNC-1 bodies and ECB+, never the seeds.",
        "",
        "| kind | gold | pairs | contradict | agree | none | goal | sources |",
        "|---|---|---|---|---|---|---|---|",
    ]
    summary: list[str] = []
    for kind in EditKind:
        got = [(src, out) for k, src, out in rows if k is kind]
        if not got:
            lines.append(f"| {kind.value} | {kind.gold.value} | 0 | — | — | — | — | — |")
            continue
        n = len(got)
        share = {o: sum(out == o for _, out in got) / n for o in ("contradict", "agree", "none")}
        src = ", ".join(f"{s} {c}" for s, c in sorted(Counter(s for s, _ in got).items()))
        if kind.gold is Label.CONTRADICT:
            goal = "met" if share["contradict"] >= 0.95 else "NOT met"
            summary.append(
                f"- {kind.value}: contradiction recall {share['contradict']:.3f} "
                f"({n} pairs; goal >= 0.95: {goal})"
            )
        else:
            goal = "met" if share["contradict"] == 0 else "NOT met"
            summary.append(
                f"- {kind.value}: contradicted {share['contradict']:.3f} "
                f"({n} pairs; goal 0: {goal})"
            )
        lines.append(
            f"| {kind.value} | {kind.gold.value} | {n} | {share['contradict']:.3f} | "
            f"{share['agree']:.3f} | {share['none']:.3f} | {goal} | {src} |"
        )
    lines += [
        "",
        *summary,
        "",
        "## Untouched pairs",
        "",
        "| pairs | count | contradict | agree | none |",
        "|---|---|---|---|---|",
    ]
    total = wrong = 0
    for what in ("copy", "neighbour"):
        counts = {o: untouched[(what, o)] for o in ("contradict", "agree", "none")}
        n = sum(counts.values())
        total += n
        wrong += counts["contradict"]
        label = "identical copy" if what == "copy" else "two sentences of one body (cosine >= 0.35)"
        if n:
            lines.append(
                f"| {label} | {n} | {counts['contradict'] / n:.4f} | "
                f"{counts['agree'] / n:.4f} | {counts['none'] / n:.4f} |"
            )
    rate = wrong / max(total, 1)
    lines += [
        "",
        f"False contradictions among untouched pairs: {wrong} of {total} = {100 * rate:.2f} % "
        f"(goal <= 0.2 %: {'met' if rate <= 0.002 else 'NOT met'}). "
        "The neighbours are real sentences of one article; a few of them may truly disagree "
        "(an article quoting both sides).",
        "",
    ]
    text = "\n".join(lines)
    args.results.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
