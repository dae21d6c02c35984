"""Stance benchmark: FNC-1 and Emergent, grouped cross-validation, beside baselines.

    python3 benchmarks/bench_stance.py [--data ../shared/data] [--cache-dir DIR]
        [--output factcheck/trained/stance.json] [--folds 5] [--seed 0]

Runs :func:`factcheck.training.fit_stance_model` (its grouped cross-validation:
FNC-1 by body id, Emergent by claim id) and, on the same FNC-1 folds, the
official FNC-1 baseline re-implemented from the FNC-1 baseline repository's
``feature_engineering.py`` (FakeNewsChallenge/fnc-1-baseline): word overlap of
lemmas, refuting words in the headline, refuting-word polarity of headline and
body, and the "hand" features (token co-occurrence with and without stop
words, character and word n-gram hits in the body and its first 255
characters), with ``GradientBoostingClassifier(n_estimators=200,
random_state=14128)`` as there. Differences: the lemmatiser is simplemma
instead of NLTK's WordNet (no NLTK data can be downloaded), and text is split on
whitespace after the baseline's own cleaning (which leaves only word
characters and spaces, so NLTK's tokeniser would split it the same way). The
character n-grams are built exactly as there (the characters of each gram
joined by spaces), so they reproduce the baseline's figures, quirks included.

On Emergent the baseline is the majority class of the training folds.

The figures go to ``benchmarks/results/stance.md``. With ``--output`` the
fitted model is written there (the shipped file is made this way); without it
the fitted model is compared byte for byte with the shipped one.
"""

from __future__ import annotations

import argparse
import platform
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from factcheck.records import StanceLabel  # noqa: E402
from factcheck.stance import FEATURES, default_model_path  # noqa: E402
from factcheck.training.data import group_folds, read_emergent, read_fnc1  # noqa: E402
from factcheck.training.stance import (  # noqa: E402
    CLASS_WEIGHTS,
    MODEL_PARAMS,
    fit_stance_model,
    stance_metrics,
)

LABELS = [label.value for label in StanceLabel]
FNC_NAMES = {
    "for": "agree",
    "against": "disagree",
    "observing": "discuss",
    "unrelated": "unrelated",
}


def cpu() -> str:
    model, flags = platform.processor() or platform.machine(), set()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name") and model in ("", platform.machine()):
                model = line.split(":", 1)[1].strip()
            if line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
    except OSError:
        pass
    import os

    shown = [f for f in ("avx2", "avx512f", "avx512_bf16", "amx_bf16") if f in flags]
    listed = " ".join(shown) or "none of avx2/avx512"
    return f"{model}, {os.cpu_count()} logical cores, flags: {listed}"


# ---------------------------------------------------------------------------
# The FNC-1 baseline, re-implemented (see the module docstring)

_REFUTING = ["fake", "fraud", "hoax", "false", "deny", "denies", "not", "despite", "nope",
             "doubt", "doubts", "bogus", "debunk", "pranks", "retract"]  # fmt: skip


def _clean(text: str) -> str:
    return " ".join(re.findall(r"\w+", text, flags=re.UNICODE)).lower()


def _lemmas(text: str) -> list[str]:
    import simplemma

    return [str(simplemma.lemmatize(t, lang="en")).lower() for t in text.split()]


def _stop() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


def _char_hits(headline: str, body: str, size: int, stop: frozenset[str]) -> list[int]:
    text = " ".join(w for w in headline.split() if w not in stop)
    grams = [" ".join(text[i : i + size]) for i in range(len(text) - size + 1)]
    return [
        sum(g in body for g in grams),
        sum(g in body[:255] for g in grams),
        sum(g in body[:100] for g in grams),
    ]


def _word_hits(headline: str, body: str, size: int) -> list[int]:
    words = headline.split(" ")
    grams = [" ".join(words[i : i + size]) for i in range(len(words) - size + 1)]
    return [sum(g in body for g in grams), sum(g in body[:255] for g in grams)]


def baseline_features(headline: str, body: str, stop: frozenset[str]) -> list[float]:
    h, b = _clean(headline), _clean(body)
    hl, bl = _lemmas(h), _lemmas(b)
    union = set(hl) | set(bl)
    out: list[float] = [len(set(hl) & set(bl)) / len(union) if union else 0.0]
    out += [float(w in hl) for w in _REFUTING]
    out += [
        sum(t in _REFUTING for t in _lemmas(h)) % 2,
        sum(t in _REFUTING for t in _lemmas(b)) % 2,
    ]
    out += [sum(t in b for t in h.split(" ")), sum(t in b[:255] for t in h.split(" "))]
    hits = sum(t in b for t in h.split(" ") if t not in stop)
    out += [hits, hits]
    for size in (2, 8, 4, 16):
        out += _char_hits(h, b, size, stop)
    for size in (2, 3, 4, 5, 6):
        out += _word_hits(h, b, size)
    return out


def run_baseline(data: Path, *, folds: int, seed: int) -> tuple[dict[str, object], float]:
    from sklearn.ensemble import GradientBoostingClassifier

    pairs, bodies = read_fnc1(data / "fnc1")
    stop = _stop()
    started = time.perf_counter()
    X = np.array([baseline_features(p.headline, bodies[p.body_id], stop) for p in pairs])
    y = np.array([p.label.value for p in pairs])
    predicted = np.empty(len(y), dtype=object)
    for train, test in group_folds([f"fnc1:{p.body_id}" for p in pairs], n_splits=folds, seed=seed):
        model = GradientBoostingClassifier(n_estimators=200, random_state=14128)
        model.fit(X[train], y[train])
        predicted[test] = model.predict(X[test])
        print(f"  baseline fold done ({time.perf_counter() - started:.0f} s)", flush=True)
    return stance_metrics(list(y), [str(v) for v in predicted], labels=LABELS), (
        time.perf_counter() - started
    )


def emergent_majority(data: Path, *, folds: int, seed: int) -> dict[str, object]:
    pairs = read_emergent(data / "emergent")
    y = [p.label.value for p in pairs]
    predicted = [""] * len(y)
    for train, test in group_folds([p.claim_id for p in pairs], n_splits=folds, seed=seed):
        majority = Counter(y[i] for i in train.tolist()).most_common(1)[0][0]
        for i in test.tolist():
            predicted[i] = majority
    labels = [v for v in LABELS if v in set(y)]
    return stance_metrics(y, predicted, labels=labels)


# ---------------------------------------------------------------------------


def _row(name: str, m: dict[str, object], labels: list[str], *, fnc: bool) -> str:
    f1 = m["f1"]
    assert isinstance(f1, dict)
    cells = [name, str(m["pairs"])]
    if fnc:
        cells.append(f"{m['fnc_score']:.4f}")
    cells += [f"{m['accuracy']:.4f}", f"{m['macro_f1']:.4f}"]
    cells += [f"{f1[label]:.4f}" for label in labels]
    return "| " + " | ".join(cells) + " |"


def _goal(value: float, goal: float) -> str:
    return f"{value:.4f} (goal >= {goal}: {'met' if value >= goal else 'NOT met'})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--output", type=Path, default=None)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--results", type=Path, default=ROOT / "benchmarks" / "results" / "stance.md"
    )
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args()

    started = time.perf_counter()
    print("fitting the stance model with grouped cross-validation ...", flush=True)
    model = fit_stance_model(
        args.data, output=args.output, cache_dir=args.cache_dir, n_splits=args.folds, seed=args.seed
    )
    fit_seconds = time.perf_counter() - started
    cv = model.metadata["cross_validation"]
    shipped = default_model_path()
    if args.output is None:
        same = shipped.is_file() and shipped.read_text(encoding="utf-8") == model.dumps()
        reproduced = (
            f"the fitted model is byte for byte the shipped `{shipped.relative_to(ROOT)}`: {same}"
        )
    else:
        reproduced = f"the fitted model was written to `{args.output}`"
    print(reproduced, flush=True)

    baseline: dict[str, object] | None = None
    baseline_seconds = 0.0
    if not args.skip_baseline:
        print("FNC-1 baseline on the same folds ...", flush=True)
        baseline, baseline_seconds = run_baseline(args.data, folds=args.folds, seed=args.seed)
    majority = emergent_majority(args.data, folds=args.folds, seed=args.seed)

    fnc, em = cv["fnc1"], cv["emergent"]
    em_labels = [v for v in LABELS if v in em["f1"]]
    head = (
        "| model | pairs | FNC-1 score | accuracy | macro-F1 | "
        + " | ".join(f"{v} ({FNC_NAMES[v]}) F1" for v in LABELS)
        + " |"
    )
    flags = (f" --output {args.output}" if args.output else "") + (
        f" --cache-dir {args.cache_dir}" if args.cache_dir else ""
    )
    params = ", ".join(f"{k}={v}" for k, v in MODEL_PARAMS.items())
    lines = [
        "# Stance: FNC-1 and Emergent, grouped cross-validation",
        "",
        f"Command: `OMP_NUM_THREADS=1 python3 benchmarks/bench_stance.py{flags}`; CPU: {cpu()}; "
        "the machine was shared with other jobs. Fitting and cross-validating the model took "
        f"{fit_seconds:.0f} s (features {len(FEATURES)}, embeddings all-MiniLM-L6-v2), "
        f"the baseline {baseline_seconds:.0f} s.",
        "",
        f"Model: `HistGradientBoostingClassifier({params})`, "
        f"class weights {CLASS_WEIGHTS}; trained on {', '.join(model.metadata['data']['sources'])} "
        f"({model.metadata['data']['rows']}). {reproduced}.",
        "",
        f"## FNC-1 train, {args.folds}-fold grouped by body id (seed {args.seed})",
        "",
        "Every fold's model is fitted on the other folds"
        + (" plus all of Emergent" if fnc["trained_with_other_sets"] else "")
        + "; the baseline on the same folds of FNC-1 only.",
        "",
        head,
        "|" + "---|" * (5 + len(LABELS)),
        _row("factcheck stance", fnc, LABELS, fnc=True),
    ]
    if baseline is not None:
        lines.append(_row("FNC-1 baseline (re-implemented)", baseline, LABELS, fnc=True))
    lines += [
        "",
        f"- relative score: {_goal(fnc['fnc_score'], 0.82)}",
        f"- macro-F1: {_goal(fnc['macro_f1'], 0.62)}",
        f"- disagree (against) F1: {_goal(fnc['f1']['against'], 0.25)}",
        "",
        f"## Emergent train, {args.folds}-fold grouped by claim id "
        "(claim against article headline)",
        "",
        "Predictions are the most probable of Emergent's three labels; every fold's model is "
        "fitted on the other folds"
        + (" plus all of FNC-1" if em["trained_with_other_sets"] else "")
        + ". The majority baseline answers the most common label of the training folds.",
        "",
        "| model | pairs | accuracy | macro-F1 | "
        + " | ".join(f"{v} F1" for v in em_labels)
        + " |",
        "|" + "---|" * (4 + len(em_labels)),
        _row("factcheck stance", em, em_labels, fnc=False),
        _row("majority class", majority, em_labels, fnc=False),
        "",
        f"- accuracy: {_goal(em['accuracy'], 0.76)} "
        "(Ferreira & Vlachos 2016, logistic regression: 0.73)",
        "",
    ]
    text = "\n".join(lines)
    args.results.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
