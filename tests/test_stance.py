"""Stance: features, the shipped model, retraining reproducibility, and the data readers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import factcheck
from factcheck import Document, ModelError
from factcheck.embedding import HashingEmbedder
from factcheck.errors import ConfigError
from factcheck.records import Sentence, Stance, StanceLabel
from factcheck.stance import FEATURES, Stancer, content_lemmas, load_model
from factcheck.training import fit_stance_model, fnc_score, group_folds
from factcheck.training.data import (
    EcbSentence,
    detokenize,
    ecbplus_pairs,
    read_emergent,
    read_fnc1,
)
from factcheck.training.stance import emergent_examples, fnc1_examples, stance_metrics

FIXTURE = Path(__file__).parent / "fixtures" / "stance"


@pytest.fixture(scope="module")
def stancer() -> Stancer:
    return Stancer(embedder=HashingEmbedder())


def test_features_are_finite_rounded_and_order_free_of_documents(stancer: Stancer) -> None:
    a = Document(id="a", text="The dam burst on Monday. It was not a hoax, police said.")
    b = Document(id="b", text="A new bakery opened. It sells 40 kinds of bread.")
    one = stancer.prepare_many([a, b])
    two = stancer.prepare_many([b, a])
    claim = "The dam burst, killing 12 people."
    fa = stancer.features(claim, one[0])
    assert fa.shape == (len(FEATURES),)
    assert np.all(np.isfinite(fa))
    assert np.array_equal(fa, np.round(fa, 6))
    assert np.array_equal(fa, stancer.features(claim, two[1]))


def test_cue_and_overlap_features_read_the_text(stancer: Stancer) -> None:
    doc = stancer.prepare(Document(id="d", text="Officials said the report is a hoax and false."))
    f = dict(zip(FEATURES, stancer.features("The report is true.", doc), strict=True))
    assert f["top_fake"] == 1.0
    assert f["top_untrue"] == 1.0
    assert f["cover_doc"] == 0.5  # "report" of {"report", "true"}
    assert f["top_mode_denied"] == 1.0
    g = dict(zip(FEATURES, stancer.features("Rain fell in 1999 and 2000.", doc), strict=True))
    assert g["claim_numbers"] == 2.0
    assert g["numbers_found"] == 0.0
    assert g["cover_doc"] == 0.0


def test_content_lemmas_drop_stop_words() -> None:
    assert content_lemmas("The officials denied the reports.") == ["official", "deny", "report"]


def test_the_shipped_model_matches_the_features() -> None:
    model = load_model()
    assert model.features == FEATURES
    assert set(model.classes) == {label.value for label in StanceLabel}
    cv = model.metadata["cross_validation"]
    assert cv["fnc1"]["grouped_by"] == "body id"
    assert cv["emergent"]["grouped_by"] == "claim id"


def test_a_model_for_other_features_is_refused(tmp_path: Path) -> None:
    text = load_model().dumps().replace('"claim_tokens"', '"claim_words"', 1)
    (tmp_path / "stance.json").write_text(text, encoding="utf-8")
    with pytest.raises(ModelError, match="retrain"):
        load_model(tmp_path / "stance.json")
    with pytest.raises(ModelError, match="missing"):
        load_model(tmp_path / "absent.json")


def test_stance_record_from_the_shipped_model(stancer: Stancer) -> None:
    doc = Document(id="d", text="The bridge collapsed on Tuesday. Two cars fell into the river.")
    result = stancer.stance("The bridge collapsed.", doc)
    assert isinstance(result, Stance)
    assert result.document == "d"
    assert [label for label, _ in result.probabilities] == list(StanceLabel)
    assert sum(p for _, p in result.probabilities) == pytest.approx(1.0)
    assert result.probability == max(p for _, p in result.probabilities)
    for s in result.evidence:
        assert isinstance(s, Sentence)
        assert doc.text[s.start : s.end] == s.text
    data = result.to_dict()
    assert data["label"] == result.label.value
    assert set(data["probabilities"]) == {label.value for label in StanceLabel}


def test_stances_embed_the_claim_once_for_many_documents(stancer: Stancer) -> None:
    docs = [Document(id=f"d{k}", text=f"Story {k}. The dam burst.") for k in range(3)]
    prepared = stancer.prepare_many(docs)
    out = stancer.stances("The dam burst.", [prepared[0], docs[1], prepared[2]])
    assert [s.document for s in out] == ["d0", "d1", "d2"]
    with pytest.raises(ConfigError, match="claim"):
        stancer.stances("  ", docs)


def test_stance_function_accepts_a_string_and_refuses_other_types(stancer: Stancer) -> None:
    result = factcheck.stance("The dam burst.", "The dam burst at dawn.", stancer=stancer)
    assert result.document == "document"
    with pytest.raises(ConfigError, match="document"):
        factcheck.stance("The dam burst.", 42, stancer=stancer)  # type: ignore[arg-type]


def test_stance_record_validates() -> None:
    with pytest.raises(ValueError, match="probability"):
        Stance(document="d", label=StanceLabel.FOR, probability=1.5)
    sentence = Sentence(document="other", index=0, start=0, end=2, text="Hi")
    with pytest.raises(ValueError, match="evidence"):
        Stance(document="d", label=StanceLabel.FOR, probability=0.5, evidence=[sentence])


def test_retraining_on_a_fixture_gives_the_same_bytes_twice(tmp_path: Path) -> None:
    stancer = Stancer(embedder=HashingEmbedder())
    first = fit_stance_model(FIXTURE, stancer=stancer, n_splits=2, output=tmp_path / "a.json")
    second = fit_stance_model(FIXTURE, stancer=stancer, n_splits=2, output=tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    assert first == second
    meta = first.metadata
    assert meta["data"]["rows"] == {"fnc1": 18, "emergent": 12}
    assert set(meta["cross_validation"]) >= {"fnc1", "emergent"}
    assert 0.0 <= meta["cross_validation"]["fnc1"]["fnc_score"] <= 1.0
    # The file is usable as the model of a Stancer.
    trained = Stancer(embedder=HashingEmbedder(), model=first)
    assert (
        trained.stance("Fire destroys warehouse", Document(id="x", text="A fire.")).document == "x"
    )


def test_fit_refuses_unknown_sources() -> None:
    with pytest.raises(ConfigError, match="sources"):
        fit_stance_model(FIXTURE, stancer=Stancer(embedder=HashingEmbedder()), sources=("sick",))


def test_examples_are_grouped_by_body_and_claim(stancer: Stancer) -> None:
    fnc = fnc1_examples(FIXTURE / "fnc1", stancer=stancer)
    assert len(fnc) == 18
    assert fnc.groups[0] == "fnc1:1"
    em = emergent_examples(FIXTURE / "emergent", stancer=stancer)
    assert set(em.groups) == {f"emergent:c{k}" for k in range(1, 5)}
    assert set(em.y) == {"for", "against", "observing"}


def test_readers_map_labels_and_name_missing_files(tmp_path: Path) -> None:
    pairs, bodies = read_fnc1(FIXTURE / "fnc1")
    assert pairs[1].label is StanceLabel.AGAINST
    assert pairs[4].label is StanceLabel.OBSERVING
    assert set(bodies) == {str(k) for k in range(1, 7)}
    assert read_emergent(FIXTURE / "emergent")[0].label is StanceLabel.FOR
    with pytest.raises(ConfigError, match=r"train_stances\.csv is missing"):
        read_fnc1(tmp_path)


def test_group_folds_keep_groups_whole_and_are_deterministic() -> None:
    groups = [f"g{k % 7}" for k in range(50)]
    folds = group_folds(groups, n_splits=3, seed=1)
    again = group_folds(groups, n_splits=3, seed=1)
    for (train, test), (train2, test2) in zip(folds, again, strict=True):
        assert np.array_equal(train, train2)
        assert np.array_equal(test, test2)
    seen: set[int] = set()
    for train, test in folds:
        assert not {groups[i] for i in train} & {groups[i] for i in test}
        seen |= set(test.tolist())
    assert seen == set(range(50))
    with pytest.raises(ConfigError, match="n_splits"):
        group_folds(["a", "b"], n_splits=3, seed=0)


def test_fnc_score_and_metrics() -> None:
    gold = ["for", "unrelated", "against", "observing"]
    assert fnc_score(gold, gold) == 1.0
    assert fnc_score(gold, ["unrelated"] * 4) == pytest.approx(0.25 / 3.25, abs=1e-6)
    m = stance_metrics(gold, ["for", "unrelated", "observing", "observing"])
    assert m["f1"]["against"] == 0.0
    assert m["f1"]["for"] == 1.0
    assert m["accuracy"] == 0.75


def test_ecbplus_pairs_and_detokenize() -> None:
    def s(topic: str, sub: str, doc: str, events: str) -> EcbSentence:
        return EcbSentence(topic, sub, doc, 0, "x", frozenset(events.split()))

    items = [s("1", "ecb", "a", "e1"), s("1", "ecb", "b", "e1"), s("1", "ecbplus", "c", "e2")]
    pairs = ecbplus_pairs(items, per_topic=5, seed=0)
    assert [(p.a.doc, p.b.doc, p.same_event) for p in pairs] == [
        ("a", "b", True),
        ("a", "c", False),
        ("b", "c", False),
    ]
    assert detokenize("`` Hi , '' he said .") == '"Hi," he said.'
