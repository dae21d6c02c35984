"""Safe, reproducible files for the learned parts of factcheck.

Every learned part of factcheck (the same-event scorer, the judge, stance) is a
scikit-learn model trained by a documented command and shipped inside the
package as a **JSON file**: the model's numbers (standardisation, coefficients,
or the nodes of each tree of a gradient-boosted ensemble) and its metadata (the
feature names in order, a digest of the training data, the cross-validated
figures, the training parameters and the library versions it was trained
with). Nothing is unpickled, nothing is executed, and the file is plain text a
reviewer can read and diff.

At run time the model is evaluated here, in numpy, without scikit-learn:
:meth:`ModelFile.predict_proba` gives the same probabilities as the estimator's
own ``predict_proba`` (to within float rounding; tests compare the two).

Writing is deterministic: the same estimator and metadata always give the same
bytes (keys sorted, floats written in their shortest round-trip form), so a
retraining command with fixed seeds reproduces a shipped file bit for bit.

Supported estimators (:func:`from_estimator`): ``LogisticRegression`` (binary
or multinomial), a ``Pipeline`` of ``StandardScaler`` then
``LogisticRegression``, and ``HistGradientBoostingClassifier`` on numeric
features (binary or multiclass).

Examples
--------
>>> import numpy as np
>>> from sklearn.linear_model import LogisticRegression
>>> X = np.array([[0.0, 1.0], [1.0, 0.0], [0.2, 0.9], [0.9, 0.1]])
>>> y = np.array([0, 1, 0, 1])
>>> model = from_estimator(
...     LogisticRegression().fit(X, y), name="demo", features=("a", "b"), metadata={}
... )
>>> model.predict_proba(X).shape
(4, 2)
>>> loads(model.dumps(), name="demo", features=("a", "b")) == model
True
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from factcheck import validation
from factcheck.errors import ConfigError, ModelError

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "ModelFile",
    "digest_files",
    "digest_rows",
    "from_estimator",
    "load",
    "loads",
]

FORMAT = "factcheck-model"
FORMAT_VERSION = 1

F64 = npt.NDArray[np.float64]

_KINDS = ("logistic", "trees")


def _sigmoid(z: F64) -> F64:
    out: F64 = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1.0 + ez)
    return out


def _softmax(z: F64) -> F64:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: F64 = e / e.sum(axis=1, keepdims=True)
    return out


def _scores_to_proba(raw: F64) -> F64:
    """Raw decision values, shape ``(n, 1)`` for binary or ``(n, k)``, to probabilities."""
    if raw.shape[1] == 1:
        p = _sigmoid(raw[:, 0])
        return np.stack([1.0 - p, p], axis=1)
    return _softmax(raw)


def _freeze(value: Any) -> Any:
    """Metadata as canonical JSON data (tuples to lists, keys to strings), checked finite."""
    return json.loads(json.dumps(value, sort_keys=True, allow_nan=False))


def _tree_arrays(tree: Mapping[str, Any]) -> dict[str, np.ndarray[Any, Any]]:
    return {
        "feature": np.asarray(tree["feature"], dtype=np.int64),
        "threshold": np.asarray(tree["threshold"], dtype=np.float64),
        "left": np.asarray(tree["left"], dtype=np.int64),
        "right": np.asarray(tree["right"], dtype=np.int64),
        "missing_left": np.asarray(tree["missing_left"], dtype=bool),
        "value": np.asarray(tree["value"], dtype=np.float64),
        "leaf": np.asarray(tree["leaf"], dtype=bool),
    }


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _label_tuple(values: Iterable[str | int]) -> tuple[str | int, ...]:
    return tuple(values)


def _check_logistic(params: Mapping[str, Any], n_features: int, n_out: int) -> None:
    shapes = {
        "mean": (n_features,),
        "scale": (n_features,),
        "coef": (n_out, n_features),
        "intercept": (n_out,),
    }
    for key, shape in shapes.items():
        value = np.asarray(params[key], dtype=np.float64)
        if value.shape != shape or not np.all(np.isfinite(value)):
            raise ValueError(f"{key} must be finite with shape {shape}, got shape {value.shape}")
    if np.any(np.asarray(params["scale"], dtype=np.float64) == 0.0):
        raise ValueError("scale must not be 0")


def _check_tree(tree: Mapping[str, np.ndarray[Any, Any]], n_features: int) -> None:
    size = tree["leaf"].shape[0]
    if size == 0 or any(tree[key].shape != (size,) for key in tree):
        raise ValueError("every node array of a tree must have one entry per node")
    inner = np.flatnonzero(~tree["leaf"])
    # Children come after their parent (as scikit-learn builds them), so every
    # walk from the root ends at a leaf.
    for child in (tree["left"][inner], tree["right"][inner]):
        if np.any(child <= inner) or np.any(child >= size):
            raise ValueError("a child node index is out of order or out of range")
    feature = tree["feature"][inner]
    if np.any(feature < 0) or np.any(feature >= n_features):
        raise ValueError("a split feature index is out of range")
    if not np.all(np.isfinite(tree["value"])) or not np.all(np.isfinite(tree["threshold"])):
        raise ValueError("tree values and thresholds must be finite")


@attrs.frozen(slots=True, eq=False, field_transformer=validation.typed)
class ModelFile:
    """A learned model as plain data, with its metadata.

    Parameters
    ----------
    name : str
        What the model is for (``"events"``, ``"judge"``, ``"stance"``); a file
        loaded for one purpose must carry that name.
    features : tuple of str
        The feature names, in the order of the columns of ``X``.
    classes : tuple of (str or int)
        The class labels, in the order of the columns of :meth:`predict_proba`.
    kind : str
        ``"logistic"`` or ``"trees"``.
    params : dict
        The model's numbers (see :func:`from_estimator`).
    metadata : dict
        Everything else: training data digest, CV figures, training
        parameters, library versions. JSON data only.
    """

    name: str
    features: tuple[str, ...] = attrs.field(converter=_str_tuple)
    classes: tuple[str | int, ...] = attrs.field(converter=_label_tuple)
    kind: str
    params: dict[str, Any] = attrs.field(converter=_freeze)
    metadata: dict[str, Any] = attrs.field(converter=_freeze)
    _trees: list[list[dict[str, np.ndarray[Any, Any]]]] = attrs.field(
        init=False, repr=False, default=attrs.Factory(list)
    )

    def __attrs_post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ModelError(f"model {self.name!r}: unknown kind {self.kind!r}")
        if len(self.classes) < 2:
            raise ModelError(
                f"model {self.name!r}: classes must hold at least two labels, got {self.classes!r}"
            )
        if not self.features:
            raise ModelError(
                f"model {self.name!r}: features must name at least one feature, "
                f"got {self.features!r}"
            )
        n_out = 1 if len(self.classes) == 2 else len(self.classes)
        try:
            if self.kind == "logistic":
                _check_logistic(self.params, len(self.features), n_out)
                return
            baseline = np.asarray(self.params["baseline"], dtype=np.float64)
            if baseline.shape != (n_out,):
                raise ValueError(f"baseline must have shape ({n_out},), got {baseline.shape}")
            trees = [[_tree_arrays(t) for t in per_class] for per_class in self.params["trees"]]
            for per_class in trees:
                if len(per_class) != n_out:
                    raise ValueError(f"each boosting iteration must hold {n_out} trees")
                for tree in per_class:
                    _check_tree(tree, len(self.features))
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(
                f"model {self.name!r}: malformed params ({type(exc).__name__}: {exc}) "
                f"for {len(self.features)} features and {len(self.classes)} classes, "
                f"got params={validation.shown(self.params)}"
            ) from None
        object.__setattr__(self, "_trees", trees)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ModelFile):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    def __hash__(self) -> int:
        return hash(self.dumps())

    # -- evaluation -------------------------------------------------------

    def _matrix(self, X: npt.ArrayLike) -> F64:
        x = np.asarray(X, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != len(self.features):
            raise ModelError(
                f"model {self.name!r} takes {len(self.features)} features per row, "
                f"got an array of shape {x.shape}"
            )
        return x

    def decision_function(self, X: npt.ArrayLike) -> F64:
        """Raw scores before the link function, shape ``(n, 1)`` (binary) or ``(n, n_classes)``."""
        x = self._matrix(X)
        if self.kind == "logistic":
            mean = np.asarray(self.params["mean"], dtype=np.float64)
            scale = np.asarray(self.params["scale"], dtype=np.float64)
            coef = np.asarray(self.params["coef"], dtype=np.float64)
            intercept = np.asarray(self.params["intercept"], dtype=np.float64)
            raw: F64 = ((x - mean) / scale) @ coef.T + intercept
            return raw
        baseline = np.asarray(self.params["baseline"], dtype=np.float64)
        out = np.tile(baseline, (x.shape[0], 1))
        for per_class in self._trees:
            for k, tree in enumerate(per_class):
                out[:, k] += _tree_values(tree, x)
        return out

    def predict_proba(self, X: npt.ArrayLike) -> F64:
        """Class probabilities, shape ``(n, n_classes)``, columns in the order of ``classes``."""
        return _scores_to_proba(self.decision_function(X))

    # -- serialisation ----------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The whole file as JSON data."""
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "name": self.name,
            "kind": self.kind,
            "features": list(self.features),
            "classes": list(self.classes),
            "metadata": self.metadata,
            "params": self.params,
        }

    def dumps(self) -> str:
        """The file's text: canonical JSON, the same bytes for the same model."""
        return json.dumps(self.to_dict(), sort_keys=True, indent=1, allow_nan=False) + "\n"

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the file atomically (a temporary file in the same folder, then a rename)."""
        target = Path(path)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_text(self.dumps(), encoding="utf-8")
        os.replace(tmp, target)


def _tree_values(tree: Mapping[str, np.ndarray[Any, Any]], x: F64) -> F64:
    """The leaf value each row of ``x`` reaches in one tree (vectorised over rows)."""
    node = np.zeros(x.shape[0], dtype=np.int64)
    leaf, feature, threshold = tree["leaf"], tree["feature"], tree["threshold"]
    left, right, missing_left = tree["left"], tree["right"], tree["missing_left"]
    active = np.flatnonzero(~leaf[node])
    while active.size:
        n = node[active]
        v = x[active, feature[n]]
        go_left = np.where(np.isnan(v), missing_left[n], v <= threshold[n])
        node[active] = np.where(go_left, left[n], right[n])
        active = active[~leaf[node[active]]]
    values: F64 = tree["value"][node]
    return values


# ---------------------------------------------------------------------------
# From scikit-learn


def _finite_list(values: Any, what: str) -> list[Any]:
    array = np.asarray(values, dtype=np.float64)
    if not np.all(np.isfinite(array)):
        raise ModelError(f"{what} has non-finite values")
    out: list[Any] = array.tolist()
    return out


def _classes(estimator: Any) -> list[str | int]:
    out: list[str | int] = []
    for c in estimator.classes_.tolist():
        if isinstance(c, bool) or not isinstance(c, str | int):
            raise ModelError(f"class labels must be str or int, got {c!r}")
        out.append(c)
    return out


def _logistic_params(estimator: Any, n_features: int) -> dict[str, Any]:
    steps = getattr(estimator, "steps", None)
    mean = np.zeros(n_features)
    scale = np.ones(n_features)
    model = estimator
    if steps is not None:
        if len(steps) != 2 or type(steps[0][1]).__name__ != "StandardScaler":
            raise ModelError("a pipeline must be StandardScaler then LogisticRegression")
        scaler, model = steps[0][1], steps[1][1]
        if scaler.mean_ is not None:
            mean = scaler.mean_
        if scaler.scale_ is not None:
            scale = scaler.scale_
    if type(model).__name__ != "LogisticRegression":
        raise ModelError(f"unsupported estimator {type(model).__name__}")
    return {
        "mean": _finite_list(mean, "scaler mean"),
        "scale": _finite_list(scale, "scaler scale"),
        "coef": _finite_list(np.atleast_2d(model.coef_), "coefficients"),
        "intercept": _finite_list(np.atleast_1d(model.intercept_), "intercept"),
    }


def _tree_params(estimator: Any) -> dict[str, Any]:
    if getattr(estimator, "is_categorical_", None) is not None and np.any(
        estimator.is_categorical_
    ):
        raise ModelError("categorical features are not supported; encode them as numbers")
    trees: list[list[dict[str, Any]]] = []
    for per_iteration in estimator._predictors:
        row: list[dict[str, Any]] = []
        for predictor in per_iteration:
            nodes = predictor.nodes
            row.append(
                {
                    "feature": nodes["feature_idx"].astype(np.int64).tolist(),
                    "threshold": _finite_list(
                        np.where(nodes["is_leaf"] == 1, 0.0, nodes["num_threshold"]),
                        "thresholds",
                    ),
                    "left": nodes["left"].astype(np.int64).tolist(),
                    "right": nodes["right"].astype(np.int64).tolist(),
                    "missing_left": nodes["missing_go_to_left"].astype(bool).tolist(),
                    "value": _finite_list(nodes["value"], "leaf values"),
                    "leaf": nodes["is_leaf"].astype(bool).tolist(),
                }
            )
        trees.append(row)
    baseline = np.asarray(estimator._baseline_prediction, dtype=np.float64).reshape(-1)
    return {"baseline": _finite_list(baseline, "baseline"), "trees": trees}


@validation.checked
def from_estimator(
    estimator: Any,
    *,
    name: str,
    features: Sequence[str],
    metadata: Mapping[str, Any],
) -> ModelFile:
    """Convert a fitted scikit-learn classifier into a :class:`ModelFile`.

    Parameters
    ----------
    estimator : fitted classifier
        ``LogisticRegression``, ``Pipeline([StandardScaler, LogisticRegression])``
        or ``HistGradientBoostingClassifier`` (numeric features).
    name : str
        What the model is for.
    features : sequence of str
        Feature names, one per column of the training matrix.
    metadata : mapping
        JSON data stored beside the model (data digest, CV figures ...). The
        versions of factcheck, scikit-learn and numpy used are added under
        ``"trained_with"``.

    Raises
    ------
    ModelError
        For an unsupported estimator, or one fitted on another number of features.
    """
    import sklearn

    from factcheck import __version__

    n_features = int(getattr(estimator, "n_features_in_", -1))
    if n_features != len(features):
        raise ModelError(
            f"model {name!r}: the estimator was fitted on {n_features} features, "
            f"but {len(features)} feature names were given"
        )
    classes = _classes(estimator)
    kind_name = type(estimator).__name__
    if kind_name == "HistGradientBoostingClassifier":
        kind, params = "trees", _tree_params(estimator)
    else:
        kind, params = "logistic", _logistic_params(estimator, n_features)
    meta = dict(metadata)
    meta["trained_with"] = {
        "factcheck": __version__,
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
    }
    return ModelFile(
        name=name,
        features=tuple(features),
        classes=tuple(classes),
        kind=kind,
        params=params,
        metadata=meta,
    )


# ---------------------------------------------------------------------------
# Loading


@validation.checked
def loads(
    text: str,
    *,
    name: str,
    features: Sequence[str] | None = None,
    source: str = "<string>",
) -> ModelFile:
    """Parse a model file's text and check that it fits the code reading it.

    Parameters
    ----------
    text : str
        The file's contents.
    name : str
        The purpose the caller needs (must equal the file's ``name``).
    features : sequence of str, optional
        The feature names the caller computes, in order; the file must list
        exactly these.
    source : str
        Where the text came from, for error messages.

    Raises
    ------
    ModelError
        When the text is not a factcheck model file, has another format
        version, is for another purpose, or expects other features.
    """
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise ModelError(f"model file {source}: not valid JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ModelError(f"model file {source}: not a factcheck model file")
    version = data.get("format_version")
    if version != FORMAT_VERSION:
        raise ModelError(
            f"model file {source}: format version {version!r}, but this factcheck reads "
            f"version {FORMAT_VERSION}; retrain it with this version (see docs/training.md)"
        )
    if data.get("name") != name:
        raise ModelError(
            f"model file {source}: it is a {data.get('name')!r} model, not a {name!r} model"
        )
    file_features = data.get("features")
    if not isinstance(file_features, list) or not all(isinstance(f, str) for f in file_features):
        raise ModelError(f"model file {source}: malformed (features must be a list of names)")
    if features is not None and file_features != list(features):
        raise ModelError(
            f"model file {source}: it was trained on features {file_features!r}, but this "
            f"factcheck computes {list(features)!r}; retrain it with this version "
            "(see docs/training.md)"
        )
    try:
        return ModelFile(
            name=data["name"],
            features=file_features,
            classes=data["classes"],
            kind=data["kind"],
            params=data["params"],
            metadata=data.get("metadata", {}),
        )
    except ModelError as exc:
        raise ModelError(f"model file {source}: {exc}") from None
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise ModelError(f"model file {source}: malformed ({type(exc).__name__}: {exc})") from None


@validation.checked
def load(
    path: str | os.PathLike[str], *, name: str, features: Sequence[str] | None = None
) -> ModelFile:
    """Read and check a model file (see :func:`loads`).

    Raises
    ------
    ModelError
        When the file is missing or unreadable, or as :func:`loads`.
    """
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ModelError(
            f"model file {source} is missing; reinstall factcheck or retrain it "
            "(see docs/training.md)"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ModelError(f"model file {source} cannot be read ({exc})") from None
    return loads(text, name=name, features=features, source=source)


# ---------------------------------------------------------------------------
# Digests of training data


@validation.checked
def digest_files(paths: Iterable[str | os.PathLike[str]]) -> str:
    """SHA-256 over the names and bytes of files, in the order given."""
    h = hashlib.sha256()
    for path in paths:
        if not isinstance(path, str | os.PathLike):
            raise ConfigError(
                f"paths must hold str or os.PathLike items, got {validation.shown(path)}"
            )
        p = Path(path)
        h.update(p.name.encode("utf-8") + b"\0")
        try:
            with p.open("rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    h.update(chunk)
        except OSError as exc:
            raise ConfigError(f"paths: cannot read {str(p)!r} ({exc.strerror})") from None
        h.update(b"\0")
    return h.hexdigest()


@validation.checked
def digest_rows(X: npt.ArrayLike, y: Sequence[Any], groups: Sequence[Any] | None = None) -> str:
    """SHA-256 of a training matrix (float64 bytes), its labels and its groups."""
    h = hashlib.sha256()
    try:
        x = np.ascontiguousarray(np.asarray(X, dtype=np.float64))
    except (TypeError, ValueError) as exc:
        raise ConfigError(
            f"X must be an array of numbers, got {validation.shown(X)} ({exc})"
        ) from None
    if not np.all(np.isfinite(x)):
        # NaN marks a missing value for tree models; keep it, but canonically.
        x = np.where(np.isnan(x), math.nan, x)
    h.update(str(x.shape).encode())
    h.update(x.tobytes())
    h.update(json.dumps([str(v) for v in y]).encode())
    if groups is not None:
        h.update(json.dumps([str(g) for g in groups]).encode())
    return h.hexdigest()
