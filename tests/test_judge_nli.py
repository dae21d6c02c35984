"""The optional NLI signal: loading a cross-encoder from disk and mapping its labels.

The model is a tiny BERT sequence classifier that the test builds and saves
itself (no network): its classifier ignores the input (zero weights) and its
bias decides the output, so the expected probabilities are known exactly.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from factcheck.errors import ConfigError, ModelError
from factcheck.judging import EVIDENCE_KIND, CrossEncoderNLI, NLIScores, RuleJudge, Slot
from factcheck.pipeline import Checker
from factcheck.records import Claim, Document, Label

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

WORDS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "talks", "were", "held", "not", "."]


def _tiny_model(path: Path, id2label: dict[int, str], bias: list[float]) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    (path / "vocab.txt").write_text("\n".join(WORDS) + "\n", encoding="utf-8")
    transformers.BertTokenizer(str(path / "vocab.txt")).save_pretrained(path)
    config = transformers.BertConfig(
        vocab_size=len(WORDS),
        hidden_size=8,
        num_hidden_layers=1,
        num_attention_heads=1,
        intermediate_size=8,
        max_position_embeddings=64,
        num_labels=3,
        id2label=id2label,
        label2id={v: k for k, v in id2label.items()},
    )
    torch.manual_seed(0)
    model = transformers.BertForSequenceClassification(config)
    with torch.no_grad():
        model.classifier.weight.zero_()
        model.classifier.bias.copy_(torch.tensor(bias))
    model.save_pretrained(path)
    return path


def _softmax(values: list[float]) -> list[float]:
    exps = [math.exp(v) for v in values]
    return [e / sum(exps) for e in exps]


@pytest.fixture(scope="module")
def contradicting_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Labels in an order unlike the usual one, upper case: the mapping must read them.
    return _tiny_model(
        tmp_path_factory.mktemp("nli") / "model",
        {0: "ENTAILMENT", 1: "NEUTRAL", 2: "CONTRADICTION"},
        [0.0, 1.0, 4.0],
    )


def test_labels_are_mapped_from_the_model_config(contradicting_model: Path) -> None:
    scores = CrossEncoderNLI(model=str(contradicting_model)).scores(
        "the talks were held .", "the talks were not held ."
    )
    entail, neutral, contra = _softmax([0.0, 1.0, 4.0])
    assert scores.contradiction == pytest.approx(contra, abs=1e-5)
    assert scores.entailment == pytest.approx(entail, abs=1e-5)
    assert scores.neutral == pytest.approx(neutral, abs=1e-5)


def test_labels_given_explicitly_override_the_config(contradicting_model: Path) -> None:
    nli = CrossEncoderNLI(
        model=str(contradicting_model), labels=("contradiction", "entailment", "neutral")
    )
    scores = nli.scores("the talks were held .", "the talks were not held .")
    first, _, last = _softmax([0.0, 1.0, 4.0])
    assert scores.contradiction == pytest.approx(first, abs=1e-5)
    assert scores.neutral == pytest.approx(last, abs=1e-5)
    with pytest.raises(ConfigError, match="labels"):
        CrossEncoderNLI(model=str(contradicting_model), labels=("yes", "no", "maybe")).scores(
            "a", "b"
        )


def test_unmappable_labels_are_refused(tmp_path: Path) -> None:
    path = _tiny_model(tmp_path / "odd", {0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"}, [0, 0, 0])
    with pytest.raises(ModelError, match="cannot map"):
        CrossEncoderNLI(model=str(path)).scores("a", "b")


def test_a_missing_model_is_a_model_error_and_nothing_is_downloaded(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="local files"):
        CrossEncoderNLI(model=str(tmp_path / "no-such-model")).scores("a", "b")


def _claim(doc_id: str, text: str) -> Claim:
    claims, _ = Checker().claims_of(Document(id=doc_id, text=text))
    return claims[0]


def test_the_nli_signal_can_call_a_contradiction_the_rules_miss(contradicting_model: Path) -> None:
    # No typed value differs between these two, so the rules alone find no conflict.
    a = _claim("a", "The talks in Doha ended with a deal on Nov. 26, 2024.")
    b = _claim("b", "The talks in Doha ended without any agreement on Nov. 26, 2024.")
    nli = CrossEncoderNLI(model=str(contradicting_model))
    relation = RuleJudge(nli=nli).judge(a, b, similarity=0.8)
    assert relation is not None
    assert relation.label is Label.CONTRADICT
    wording = next(e for e in relation.evidence if e.kind is EVIDENCE_KIND[Slot.WORDING])
    assert (wording.a, wording.b, wording.same) == (a.text, b.text, False)
    assert relation.score == pytest.approx(_softmax([0.0, 1.0, 4.0])[2], abs=1e-5)
    mirrored = RuleJudge(nli=nli).judge(b, a, similarity=0.8)
    assert mirrored is not None
    assert mirrored.score == relation.score


class _Fixed:
    def __init__(self, scores: NLIScores) -> None:
        self.fixed = scores

    def scores(self, premise: str, hypothesis: str) -> NLIScores:
        return self.fixed


def test_a_confident_but_low_nli_score_changes_nothing() -> None:
    a = _claim("a", "The talks in Doha ended with a deal on Nov. 26, 2024.")
    b = _claim("b", "The talks in Doha ended without any agreement on Nov. 26, 2024.")
    calm = _Fixed(NLIScores(contradiction=0.2, entailment=0.5, neutral=0.3))
    with_nli = RuleJudge(nli=calm).judge(a, b, similarity=0.8)
    without = RuleJudge().judge(a, b, similarity=0.8)
    assert (with_nli is None) == (without is None)
    if with_nli is not None and without is not None:
        assert with_nli.label is without.label
