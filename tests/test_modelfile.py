"""The learned-model file format: exact evaluation, determinism, safe and clear loading."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from factcheck import ModelError, modelfile

FEATURES = ("cosine", "overlap", "dates", "places")


def _data(seed: int, n: int = 400, classes: int = 2) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, len(FEATURES)))
    score = x[:, 0] * 1.5 - x[:, 1] + 0.5 * x[:, 2] * x[:, 3]
    edges = np.quantile(score, np.linspace(0, 1, classes + 1)[1:-1])
    y = np.searchsorted(edges, score)
    return x, y


ESTIMATORS = {
    "logistic": lambda: LogisticRegression(C=0.5),
    "scaled-logistic": lambda: make_pipeline(StandardScaler(), LogisticRegression()),
    "trees": lambda: HistGradientBoostingClassifier(max_iter=30, random_state=0),
}


@pytest.mark.parametrize("classes", [2, 3])
@pytest.mark.parametrize("kind", sorted(ESTIMATORS))
def test_probabilities_equal_scikit_learn(kind: str, classes: int) -> None:
    x, y = _data(1, classes=classes)
    est = ESTIMATORS[kind]().fit(x, y)
    model = modelfile.from_estimator(est, name="t", features=FEATURES, metadata={"cv": 0.5})
    test, _ = _data(2, n=300)
    np.testing.assert_allclose(model.predict_proba(test), est.predict_proba(test), atol=1e-12)
    assert model.classes == tuple(est.classes_.tolist())


def test_missing_values_follow_the_learned_branch() -> None:
    x, y = _data(3)
    x[::7, 2] = np.nan
    est = HistGradientBoostingClassifier(max_iter=20, random_state=0).fit(x, y)
    model = modelfile.from_estimator(est, name="t", features=FEATURES, metadata={})
    test, _ = _data(4, n=200)
    test[::3, 2] = np.nan
    np.testing.assert_allclose(model.predict_proba(test), est.predict_proba(test), atol=1e-12)


@given(seed=st.integers(0, 2**31 - 1))
@settings(max_examples=15, deadline=None)
def test_round_trip_keeps_every_probability(seed: int) -> None:
    x, y = _data(seed % 1000)
    est = HistGradientBoostingClassifier(max_iter=5, random_state=seed).fit(x, y)
    model = modelfile.from_estimator(est, name="t", features=FEATURES, metadata={"seed": seed})
    again = modelfile.loads(model.dumps(), name="t", features=FEATURES)
    assert again == model
    np.testing.assert_array_equal(again.predict_proba(x), model.predict_proba(x))


def test_same_training_gives_the_same_bytes(tmp_path: Path) -> None:
    texts = []
    for n in range(2):
        x, y = _data(5)
        est = HistGradientBoostingClassifier(max_iter=10, random_state=0).fit(x, y)
        path = tmp_path / f"m{n}.json"
        modelfile.from_estimator(est, name="t", features=FEATURES, metadata={"a": [1, 2]}).save(
            path
        )
        texts.append(path.read_bytes())
    assert texts[0] == texts[1]
    data = json.loads(texts[0])
    assert data["metadata"]["trained_with"]["scikit-learn"]
    assert data["features"] == list(FEATURES)


def _saved(tmp_path: Path) -> Path:
    x, y = _data(6)
    model = modelfile.from_estimator(
        LogisticRegression().fit(x, y), name="events", features=FEATURES, metadata={}
    )
    path = tmp_path / "events.json"
    model.save(path)
    return path


def test_missing_file_is_a_clear_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"nowhere\.json is missing"):
        modelfile.load(tmp_path / "nowhere.json", name="events")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d.update(format_version=99), "format version 99"),
        (lambda d: d.update(format="other"), "not a factcheck model file"),
        (lambda d: d.update(name="judge"), "it is a 'judge' model, not a 'events' model"),
        (lambda d: d.update(features=["cosine"]), "trained on features"),
        (lambda d: d["params"].pop("coef"), "malformed"),
        (lambda d: d["params"].update(coef=[[1.0, 2.0]]), "malformed"),
    ],
)
def test_incompatible_file_is_a_clear_model_error(tmp_path: Path, edit, message: str) -> None:
    path = _saved(tmp_path)
    data = json.loads(path.read_text())
    edit(data)
    path.write_text(json.dumps(data))
    with pytest.raises(ModelError, match=message) as info:
        modelfile.load(path, name="events", features=FEATURES)
    assert str(path) in str(info.value)


def test_not_json_is_a_clear_model_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(b"\x80\x04\x95 pickle bytes")
    with pytest.raises(ModelError, match=r"bad\.json"):
        modelfile.load(path, name="events")


def test_a_tree_that_loops_is_refused(tmp_path: Path) -> None:
    x, y = _data(8)
    est = HistGradientBoostingClassifier(max_iter=3, random_state=0).fit(x, y)
    data = modelfile.from_estimator(est, name="t", features=FEATURES, metadata={}).to_dict()
    data["params"]["trees"][0][0]["left"][0] = 0  # the root as its own child
    with pytest.raises(ModelError, match="out of order"):
        modelfile.loads(json.dumps(data), name="t")


def test_wrong_width_input_is_refused(tmp_path: Path) -> None:
    model = modelfile.load(_saved(tmp_path), name="events", features=FEATURES)
    with pytest.raises(
        ModelError, match=r"takes 4 features per row, got an array of shape \(2, 3\)"
    ):
        model.predict_proba(np.zeros((2, 3)))


def test_digests_change_with_the_data(tmp_path: Path) -> None:
    x, y = _data(7)
    a = modelfile.digest_rows(x, y.tolist(), groups=list(range(len(y))))
    y2 = y.copy()
    y2[0] = 1 - y2[0]
    assert a != modelfile.digest_rows(x, y2.tolist(), groups=list(range(len(y))))
    assert a == modelfile.digest_rows(x.copy(), y.tolist(), groups=list(range(len(y))))
    f = tmp_path / "f.txt"
    f.write_text("one")
    first = modelfile.digest_files([f])
    f.write_text("two")
    assert first != modelfile.digest_files([f])
