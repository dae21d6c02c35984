"""Event identity: pair features, the learned model file, retraining."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from factcheck import Claim, Document, ModelError
from factcheck.clustering import LearnedEventClusterer
from factcheck.embedding import HashingEmbedder
from factcheck.errors import ConfigError
from factcheck.events import (
    FEATURES,
    EventModel,
    default_model_path,
    event_words,
    lemmas,
    load_event_model,
    pair_features,
)
from factcheck.similarity import PairSet
from factcheck.training.events import fit_event_model, read_pair_csv

DATA = Path(__file__).resolve().parent / "data"
PAIRS = DATA / "event_pairs.csv"


def _docs_and_claims(texts: dict[str, list[str]]) -> tuple[list[Document], list[Claim], np.ndarray]:
    docs, claims, groups = [], [], []
    for k, doc_id in enumerate(sorted(texts)):
        text = "\n".join(texts[doc_id])
        docs.append(Document(id=doc_id, text=text))
        at = 0
        for n, sentence in enumerate(texts[doc_id]):
            claims.append(
                Claim(
                    id=f"{doc_id}:{n}",
                    document=doc_id,
                    sentence=n,
                    start=at,
                    end=at + len(sentence),
                    text=sentence,
                )
            )
            groups.append(k)
            at += len(sentence) + 1
    return docs, claims, np.array(groups)


TEXTS = {
    "a": ["A 7.1 quake struck Mexico on Tuesday.", "Rescuers searched the rubble."],
    "b": ["The 7.1 quake hit Mexico on Tuesday.", "Rescue teams dug through the rubble."],
    "c": ["Dock workers in Rotterdam walked out over pay.", "Ships queued at sea."],
}


def test_lemmas_and_event_words_are_lower_case_lemmas() -> None:
    assert lemmas("Rescuers searched the buildings") == ["rescuer", "search", "the", "building"]
    assert event_words("Rescuers searched the buildings") == ["search", "building"]
    # A capitalised word counts only when its article also writes it in lower case.
    assert event_words("Quake Hits Mexico", frozenset({"quake", "hits"})) == ["quake", "hit"]


def test_pair_features_are_rounded_symmetric_and_name_the_story() -> None:
    docs, claims, groups = _docs_and_claims(TEXTS)
    rows, cols = np.array([0, 0, 1]), np.array([2, 4, 3])
    x = pair_features(docs, claims, groups, rows, cols, np.array([0.9, 0.2, 0.7]))
    assert x.shape == (3, len(FEATURES))
    assert np.array_equal(x, np.round(x, 6))
    swapped = pair_features(docs, claims, groups, cols, rows, np.array([0.9, 0.2, 0.7]))
    assert np.array_equal(x, swapped)
    f = {name: x[:, k] for k, name in enumerate(FEATURES)}
    # The two quake articles are one story; the strike article is another.
    assert f["article_lexical"][0] > f["article_lexical"][1]
    assert f["article_names"][0] > 0
    assert f["article_names"][1] == 0
    assert f["trigger_overlap"][0] > f["trigger_overlap"][1]


def test_pair_features_check_their_inputs() -> None:
    docs, claims, groups = _docs_and_claims(TEXTS)
    with pytest.raises(ConfigError, match="one entry per claim"):
        pair_features(docs, claims, groups[:2], np.array([0]), np.array([2]), np.array([0.5]))
    with pytest.raises(ConfigError, match="cols must index"):
        pair_features(docs, claims, groups, np.array([0]), np.array([9]), np.array([0.5]))
    with pytest.raises(ConfigError, match="belongs to document"):
        pair_features(docs, claims, groups[::-1], np.array([0]), np.array([2]), np.array([0.5]))


def test_the_shipped_model_loads_offline_with_its_metadata() -> None:
    model = load_event_model()
    assert model.file.features == FEATURES
    meta = model.file.metadata
    assert 0.0 < model.threshold < 1.0
    assert meta["clustering"]["threshold"] == model.threshold
    assert len(meta["data"]["files_sha256"]) == 64
    assert set(meta["trained_with"]) == {"factcheck", "scikit-learn", "numpy"}
    folds = meta["cross_validation"]["folds"]
    assert len(folds) == 5
    assert all(0.0 < f["pair_f1"] <= 1.0 for f in folds)
    # Topics are split by fold, never sentences.
    topics = [t for f in folds for t in f["checks"]]
    assert len(topics) == len(set(topics)) == len(meta["data"]["checks"])


def _write_variant(tmp_path: Path, change) -> Path:
    data = json.loads(default_model_path().read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "events.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda d: d.update(format_version=99), "format version 99"),
        (lambda d: d.update(name="judge"), "not a 'events' model"),
        (lambda d: d.update(features=d["features"][:-1]), "trained on features"),
        (lambda d: d["metadata"].pop("clustering"), "no clustering.threshold"),
        (lambda d: d["metadata"]["clustering"].update(threshold=2.0), r"must lie in \[0, 1\]"),
        (lambda d: d["params"].update(coef=[[1.0]]), "malformed"),
    ],
)
def test_incompatible_model_files_are_refused_with_a_clear_error(tmp_path, change, match) -> None:
    path = _write_variant(tmp_path, change)
    with pytest.raises(ModelError, match=match):
        load_event_model(path)


def test_a_missing_model_file_is_a_model_error_at_the_first_check(tmp_path) -> None:
    clusterer = LearnedEventClusterer(model=tmp_path / "nowhere.json")  # cheap: nothing read
    docs, claims, groups = _docs_and_claims(TEXTS)
    pairs = PairSet(
        rows=np.array([0]), cols=np.array([2]), scores=np.array([0.9], dtype=np.float32)
    )
    with pytest.raises(ModelError, match=r"nowhere\.json is missing"):
        clusterer.cluster(claims, groups, pairs, documents=docs, embeddings=None)


def test_event_model_refuses_a_tree_model() -> None:
    shipped = load_event_model().file
    from factcheck.modelfile import ModelFile

    trees = ModelFile(
        name="events",
        features=FEATURES,
        classes=(0, 1),
        kind="trees",
        params={"baseline": [0.0], "trees": []},
        metadata=shipped.metadata,
    )
    with pytest.raises(ModelError, match="logistic"):
        EventModel(trees)


def test_retraining_on_a_fixture_gives_the_same_bytes_twice(tmp_path) -> None:
    first, second = tmp_path / "one.json", tmp_path / "two.json"
    for out in (first, second):
        fit_event_model(PAIRS, output=out, embedder=HashingEmbedder(), folds=3)
    assert first.read_bytes() == second.read_bytes()
    model = load_event_model(first)
    meta = model.file.metadata
    assert meta["data"]["checks"] == ["quakes", "rehab", "strikes"]
    assert meta["data"]["same_event_pairs"] == 12
    assert [f["checks"] for f in meta["cross_validation"]["folds"]] == [
        ["quakes"],
        ["rehab"],
        ["strikes"],
    ]
    assert meta["embedder"] == HashingEmbedder().identity


def test_the_pair_csv_is_read_into_groups_of_documents() -> None:
    checks = read_pair_csv(PAIRS)
    assert [c.name for c in checks] == ["quakes", "rehab", "strikes"]
    quakes = checks[0]
    assert [d.id for d in quakes.documents] == ["q1", "q2", "q3", "q4"]
    assert len(quakes.claims) == 8
    assert int(quakes.labels.sum()) == 4


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("document_a,text_a\nx,y\n", "missing column"),
        ("document_a,text_a,document_b,text_b,same_event\na,x,a,y,1\n", "line 2: both"),
        ("document_a,text_a,document_b,text_b,same_event\na,x,b,y,maybe\n", "line 2: same_event"),
        ("document_a,text_a,document_b,text_b,same_event\na,,b,y,1\n", "line 2: empty"),
    ],
)
def test_bad_pair_csvs_name_the_line(tmp_path, text, match) -> None:
    path = tmp_path / "pairs.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=match):
        read_pair_csv(path)


def test_too_few_groups_to_cross_validate_is_a_config_error(tmp_path) -> None:
    path = tmp_path / "pairs.csv"
    path.write_text(
        "document_a,text_a,document_b,text_b,same_event\na,x y,b,x y,1\na,z,b,w,0\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="group column"):
        fit_event_model(path, embedder=HashingEmbedder())
