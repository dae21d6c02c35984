"""Training and validating the stance model (``factcheck/trained/stance.json``).

The shipped file is reproduced bit for bit by::

    python3 -c "import factcheck.training as t; t.fit_stance_model('../shared/data', \\
        output='factcheck/trained/stance.json', cache_dir='/work/cache/embeddings')"

from a clone whose ``../shared/data`` holds FNC-1 and Emergent in their own
layout (see :mod:`factcheck.training.data`). ``cache_dir`` only saves time: the
embeddings are the same with or without it.

What it does:

1. **Examples.** Every FNC-1 training pair (headline as the claim, the body as
   the document; agree / disagree / discuss / unrelated as for / against /
   observing / unrelated) and every Emergent pair (the claim against the
   article's headline as a one-sentence document), as the features of
   :mod:`factcheck.stance`.
2. **Grouped cross-validation** (:func:`cross_validate`): FNC-1 in folds by
   body id, Emergent in folds by claim id, never by row, with fixed seeds. The
   figures (FNC-1's official relative score, macro-F1 and per-class F1; the
   Emergent accuracy over its three labels) go into the file's metadata.
3. **The final fit** on all examples: a
   :class:`~sklearn.ensemble.HistGradientBoostingClassifier` with fixed
   parameters and seed and no early stopping, stored with
   :func:`factcheck.modelfile.from_estimator` together with the data digest.

Examples
--------
>>> y_true = ["for", "against", "unrelated", "observing"]
>>> fnc_score(y_true, ["for", "observing", "unrelated", "observing"])
0.769231
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from factcheck import modelfile
from factcheck.errors import ConfigError
from factcheck.records import Document, StanceLabel
from factcheck.stance import FEATURES, MODEL_NAME, Stancer
from factcheck.training.data import group_folds, read_emergent, read_fnc1

__all__ = [
    "MODEL_PARAMS",
    "StanceExamples",
    "cross_validate",
    "emergent_examples",
    "fit_stance_model",
    "fnc1_examples",
    "fnc_score",
    "stance_metrics",
]

F64 = npt.NDArray[np.float64]

#: The parameters of the shipped model (a HistGradientBoostingClassifier).
MODEL_PARAMS: dict[str, Any] = {
    "learning_rate": 0.1,
    "max_iter": 200,
    "max_leaf_nodes": 31,
    "min_samples_leaf": 20,
    "l2_regularization": 1.0,
    "early_stopping": False,
    "random_state": 0,
}
#: Per-class sample weights in training (against is 1.7 % of FNC-1).
CLASS_WEIGHTS: dict[str, float] = {"for": 1.5, "against": 4.0, "observing": 1.0, "unrelated": 1.0}

_LABELS = [label.value for label in StanceLabel]


@attrs.frozen(slots=True, eq=False)
class StanceExamples:
    """Feature rows with their labels, groups and source data set.

    ``X`` has shape ``(n, len(FEATURES))``; ``y``, ``groups`` and ``source``
    have length ``n``.
    """

    X: F64
    y: tuple[str, ...]
    groups: tuple[str, ...]
    source: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.y)

    def subset(self, rows: npt.NDArray[np.int64]) -> StanceExamples:
        idx = rows.tolist()
        return StanceExamples(
            X=self.X[rows],
            y=tuple(self.y[i] for i in idx),
            groups=tuple(self.groups[i] for i in idx),
            source=tuple(self.source[i] for i in idx),
        )

    @staticmethod
    def concat(parts: Sequence[StanceExamples]) -> StanceExamples:
        return StanceExamples(
            X=np.concatenate([p.X for p in parts]) if parts else np.zeros((0, len(FEATURES))),
            y=tuple(v for p in parts for v in p.y),
            groups=tuple(v for p in parts for v in p.groups),
            source=tuple(v for p in parts for v in p.source),
        )


def _examples(
    stancer: Stancer,
    claims: Sequence[str],
    doc_ids: Sequence[str],
    documents: Mapping[str, Document],
    labels: Sequence[StanceLabel],
    groups: Sequence[str],
    source: str,
) -> StanceExamples:
    ids = sorted(set(doc_ids))
    prepared = dict(zip(ids, stancer.prepare_many([documents[i] for i in ids]), strict=True))
    unique = sorted(set(claims))
    vectors = dict(zip(unique, stancer.embed_claims(unique), strict=True))
    rows = [
        stancer.features(c, prepared[d], vectors[c]) for c, d in zip(claims, doc_ids, strict=True)
    ]
    return StanceExamples(
        X=np.stack(rows) if rows else np.zeros((0, len(FEATURES))),
        y=tuple(label.value for label in labels),
        groups=tuple(groups),
        source=(source,) * len(rows),
    )


def fnc1_examples(folder: str | os.PathLike[str], *, stancer: Stancer) -> StanceExamples:
    """Every FNC-1 training pair as features; groups are ``fnc1:<body id>``."""
    pairs, bodies = read_fnc1(folder)
    documents = {bid: Document(id=f"fnc1-{bid}", text=text) for bid, text in bodies.items()}
    missing = sorted({p.body_id for p in pairs} - documents.keys())
    if missing:
        raise ConfigError(f"training data: FNC-1 pairs name bodies that are missing: {missing[:5]}")
    return _examples(
        stancer,
        [p.headline for p in pairs],
        [p.body_id for p in pairs],
        documents,
        [p.label for p in pairs],
        [f"fnc1:{p.body_id}" for p in pairs],
        "fnc1",
    )


def emergent_examples(folder: str | os.PathLike[str], *, stancer: Stancer) -> StanceExamples:
    """Every Emergent pair (claim against article headline); groups are ``emergent:<claim id>``."""
    pairs = read_emergent(folder)
    keys = [f"{p.article_id}:{p.headline}" for p in pairs]
    documents = {
        k: Document(id=f"emergent-{p.article_id}", text=" ".join(p.headline.split()) or "-")
        for k, p in zip(keys, pairs, strict=True)
    }
    return _examples(
        stancer,
        [p.claim for p in pairs],
        keys,
        documents,
        [p.label for p in pairs],
        [f"emergent:{p.claim_id}" for p in pairs],
        "emergent",
    )


# ---------------------------------------------------------------------------
# Scores


def fnc_score(y_true: Sequence[str], y_pred: Sequence[str]) -> float:
    """FNC-1's official relative score: the weighted accuracy over its maximum.

    +0.25 for a correct related/unrelated decision, and +0.75 more for the
    right label of a related pair (for / against / observing; FNC-1's agree /
    disagree / discuss), divided by the score of the gold labels themselves
    (as the FNC-1 scorer, ``scorer.py`` of the FNC-1 baseline repository).
    """
    if len(y_true) != len(y_pred):
        raise ConfigError(
            f"need as many predictions as labels, got {len(y_pred)} and {len(y_true)}"
        )
    unrelated = StanceLabel.UNRELATED.value
    score = best = 0.0
    for g, p in zip(y_true, y_pred, strict=True):
        best += 0.25 if g == unrelated else 1.0
        if g == p:
            score += 0.25
            if g != unrelated:
                score += 0.75
        elif g != unrelated and p != unrelated:
            score += 0.25
    return round(score / best, 6) if best else 0.0


def stance_metrics(
    y_true: Sequence[str], y_pred: Sequence[str], *, labels: Sequence[str] | None = None
) -> dict[str, Any]:
    """Accuracy, macro-F1, per-class F1 and (with unrelated among the labels) the FNC-1 score."""
    labels = list(labels) if labels is not None else [v for v in _LABELS if v in set(y_true)]
    f1: dict[str, float] = {}
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(y_true, y_pred, strict=True))
        fp = sum(g != label and p == label for g, p in zip(y_true, y_pred, strict=True))
        fn = sum(g == label and p != label for g, p in zip(y_true, y_pred, strict=True))
        f1[label] = round(2 * tp / (2 * tp + fp + fn), 6) if tp + fp + fn else 0.0
    accuracy = sum(g == p for g, p in zip(y_true, y_pred, strict=True)) / max(len(y_true), 1)
    out: dict[str, Any] = {
        "pairs": len(y_true),
        "accuracy": round(accuracy, 6),
        "macro_f1": round(sum(f1.values()) / max(len(f1), 1), 6),
        "f1": f1,
    }
    if StanceLabel.UNRELATED.value in labels:
        out["fnc_score"] = fnc_score(y_true, y_pred)
    return out


# ---------------------------------------------------------------------------
# Fitting


def _weights(y: Sequence[str], class_weights: Mapping[str, float]) -> F64:
    return np.array([class_weights.get(v, 1.0) for v in y], dtype=np.float64)


def make_model(params: Mapping[str, Any] | None = None) -> Any:
    """A fresh, unfitted classifier with the shipped (or the given) parameters."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(**dict(MODEL_PARAMS if params is None else params))


def cross_validate(
    train: StanceExamples,
    *,
    n_splits: int,
    seed: int,
    extra: StanceExamples | None = None,
    fit: Callable[[StanceExamples], Callable[[F64], list[str]]] | None = None,
) -> list[str]:
    """Out-of-fold predictions for ``train``, in its row order.

    Rows are split into ``n_splits`` folds by their group (:func:`group_folds`);
    each fold is predicted by a model fitted on the other folds plus ``extra``
    (rows that are never predicted, e.g. another data set). ``fit`` takes the
    training examples and returns a predictor; the default fits the shipped
    model class with :data:`CLASS_WEIGHTS`.
    """
    fit = fit or _fit_default
    predicted: list[str] = [""] * len(train)
    for train_rows, test_rows in group_folds(train.groups, n_splits=n_splits, seed=seed):
        part = train.subset(train_rows)
        if extra is not None:
            part = StanceExamples.concat([part, extra])
        predict = fit(part)
        for i, label in zip(test_rows.tolist(), predict(train.X[test_rows]), strict=True):
            predicted[i] = label
    return predicted


def _fit_default(examples: StanceExamples) -> Callable[[F64], list[str]]:
    model = make_model()
    model.fit(examples.X, np.array(examples.y), sample_weight=_weights(examples.y, CLASS_WEIGHTS))
    return lambda X: [str(v) for v in model.predict(X)]


def _restricted(
    predict_proba: Callable[[F64], F64], classes: Sequence[str], allowed: Sequence[str]
) -> Callable[[F64], list[str]]:
    keep = [k for k, c in enumerate(classes) if c in allowed]

    def predict(X: F64) -> list[str]:
        p = predict_proba(X)[:, keep]
        return [str(classes[keep[int(k)]]) for k in np.argmax(p, axis=1)]

    return predict


def _fit_restricted(
    allowed: Sequence[str],
) -> Callable[[StanceExamples], Callable[[F64], list[str]]]:
    def fit(examples: StanceExamples) -> Callable[[F64], list[str]]:
        model = make_model()
        model.fit(
            examples.X, np.array(examples.y), sample_weight=_weights(examples.y, CLASS_WEIGHTS)
        )
        return _restricted(model.predict_proba, [str(c) for c in model.classes_], allowed)

    return fit


def fit_stance_model(
    data: str | os.PathLike[str],
    *,
    output: str | os.PathLike[str] | None = None,
    stancer: Stancer | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    n_splits: int = 5,
    seed: int = 0,
    sources: Sequence[str] = ("fnc1", "emergent"),
) -> modelfile.ModelFile:
    """Train the stance model on FNC-1 and Emergent, cross-validate it, and store it.

    Parameters
    ----------
    data : path
        The folder holding ``fnc1/`` and ``emergent/`` in their own layout.
    output : path, optional
        Where to write the model file (``factcheck/trained/stance.json`` for
        the shipped one); nothing is written when ``None``.
    stancer : Stancer, optional
        Computes the features; the default uses all-MiniLM-L6-v2, as the
        shipped model does.
    cache_dir : path, optional
        An embedding cache folder (:class:`~factcheck.embedding_cache.CachedEmbedder`).
    n_splits, seed : int
        The grouped cross-validation reported in the metadata.
    sources : sequence of str
        Which data sets to train on: ``"fnc1"``, ``"emergent"``.

    Returns
    -------
    ModelFile
        The fitted model with its metadata (features, data digests, CV
        figures, parameters, versions).
    """
    unknown = sorted(set(sources) - {"fnc1", "emergent"})
    if unknown or not sources:
        raise ConfigError(f"sources must be some of 'fnc1', 'emergent', got {list(sources)!r}")
    if stancer is None:
        from factcheck.embedding import SentenceTransformerEmbedder

        stancer = Stancer(embedder=SentenceTransformerEmbedder())
    if cache_dir is not None:
        from factcheck.embedding_cache import CachedEmbedder

        stancer = attrs.evolve(
            stancer, embedder=CachedEmbedder(inner=stancer.embedder, directory=Path(cache_dir))
        )
    root = Path(data)
    parts: dict[str, StanceExamples] = {}
    files: list[Path] = []
    if "fnc1" in sources:
        parts["fnc1"] = fnc1_examples(root / "fnc1", stancer=stancer)
        files += [root / "fnc1" / "train_stances.csv", root / "fnc1" / "train_bodies.csv"]
    if "emergent" in sources:
        parts["emergent"] = emergent_examples(root / "emergent", stancer=stancer)
        files += [root / "emergent" / "url-versions-2015-06-14-clean-train.csv"]
    cv: dict[str, Any] = {"n_splits": n_splits, "seed": seed}
    for name, part in parts.items():
        others = [p for n, p in parts.items() if n != name]
        extra = StanceExamples.concat(others) if others else None
        if name == "fnc1":
            predicted = cross_validate(part, n_splits=n_splits, seed=seed, extra=extra)
            cv[name] = stance_metrics(part.y, predicted, labels=_LABELS)
        else:
            allowed = sorted(set(part.y))
            predicted = cross_validate(
                part, n_splits=n_splits, seed=seed, extra=extra, fit=_fit_restricted(allowed)
            )
            cv[name] = stance_metrics(
                part.y, predicted, labels=[v for v in _LABELS if v in allowed]
            )
        cv[name]["grouped_by"] = "body id" if name == "fnc1" else "claim id"
        cv[name]["trained_with_other_sets"] = sorted(n for n in parts if n != name)
    everything = StanceExamples.concat(list(parts.values()))
    model = make_model()
    model.fit(
        everything.X, np.array(everything.y), sample_weight=_weights(everything.y, CLASS_WEIGHTS)
    )
    metadata = {
        "task": "stance of a document towards a claim (for / against / observing / unrelated)",
        "data": {
            "sources": list(parts),
            "rows": {name: len(part) for name, part in parts.items()},
            "files_sha256": modelfile.digest_files(files),
            "features_sha256": modelfile.digest_rows(everything.X, everything.y, everything.groups),
        },
        "cross_validation": cv,
        "params": dict(MODEL_PARAMS),
        "class_weights": dict(CLASS_WEIGHTS),
        "embedder": stancer.embedder.identity,
        "retrain": (
            "factcheck.training.fit_stance_model(DATA, output='factcheck/trained/stance.json')"
        ),
    }
    fitted = modelfile.from_estimator(model, name=MODEL_NAME, features=FEATURES, metadata=metadata)
    if output is not None:
        fitted.save(output)
    return fitted
