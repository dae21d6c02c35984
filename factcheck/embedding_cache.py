"""A persistent embedding cache: re-checking a corpus embeds only new sentences.

:class:`CachedEmbedder` wraps any :class:`~factcheck.embedding.Embedder`. Each
vector is stored under ``sha256(identity + NUL + text)``, with ``identity`` the
wrapped embedder's :attr:`~factcheck.embedding.Embedder.identity` (which names
the model, a fingerprint of its weights and the inference path), so vectors of
two models or two paths never mix.

Storage
-------
``directory/<first 32 hex digits of sha256(identity)>/*.fcv`` holds shard
files, one written per :meth:`CachedEmbedder.embed` call that had anything to
compute, and ``model.json`` beside them the model's identity and the dimension
of its vectors (``{"identity", "dim"}``), written the first time the model
computes anything. A shard is plain bytes, never pickle::

    b"FCVEC1\\n"                          magic and format version
    uint32 little-endian                 length of the JSON header
    JSON header                          {"identity", "dim", "count", "sha256"}
    count x 32 bytes                     the keys (raw sha256 digests)
    count x dim float32 little-endian    the vectors, in key order

``sha256`` covers everything after the header. A shard is written to a
temporary file in the same directory, flushed to disk and moved into place with
:func:`os.replace`, so a reader sees the whole shard or none of it. A shard that
is truncated, altered, of another identity or otherwise unreadable is detected
(wrong magic, header, size or digest), removed, and its sentences are embedded
again: it is never trusted. When a directory holds more than
``max_shards`` shards they are merged into one.

A checksum only proves that a shard was not damaged by accident, so every
vector read back is validated as well: it must be float32, finite and of unit
norm (within 1e-3), and all vectors served for one model must have the
dimension the model gives. A shard with any vector that fails (a forged shard
with a recomputed checksum, huge values, zeros, another dimension) is
removed with a :class:`CacheWarning` naming the cache, and its sentences are
embedded again. Vectors that are not unit vectors (an embedder's zero vector
for a text with nothing to embed) are never written.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import struct
import tempfile
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path

import attrs
import numpy as np
import numpy.typing as npt

from factcheck import validation
from factcheck.embedding import Embedder
from factcheck.errors import ConfigError, FactcheckWarning

__all__ = ["CacheStats", "CacheWarning", "CachedEmbedder"]

FloatMatrix = npt.NDArray[np.float32]

_MAGIC = b"FCVEC1\n"
_SUFFIX = ".fcv"
_META = "model.json"
_KEY_BYTES = 32
_HEADER_LIMIT = 1 << 16
# How far a stored vector's norm may be from 1.
_NORM_TOLERANCE = 1e-3


class CacheWarning(FactcheckWarning, RuntimeWarning):
    """The cache could not be read or written; the embeddings were computed instead."""


@attrs.define(slots=True, field_transformer=validation.typed)
class CacheStats:
    """What one :class:`CachedEmbedder` has done so far."""

    hits: int = 0
    misses: int = 0
    corrupt_shards: int = 0
    shards_written: int = 0


def _key(identity: str, text: str) -> bytes:
    return hashlib.sha256(f"{identity}\0{text}".encode("utf-8", "surrogatepass")).digest()


class _Corrupt(Exception):
    pass


def _read_shard(
    path: Path, identity: str, dim_wanted: int | None = None
) -> tuple[list[bytes], FloatMatrix]:
    """Keys and vectors of a shard; raises :class:`_Corrupt` for anything amiss."""
    data = path.read_bytes()
    if not data.startswith(_MAGIC) or len(data) < len(_MAGIC) + 4:
        raise _Corrupt("not a factcheck embedding shard")
    (header_len,) = struct.unpack_from("<I", data, len(_MAGIC))
    start = len(_MAGIC) + 4
    if header_len > _HEADER_LIMIT or start + header_len > len(data):
        raise _Corrupt("header length out of range")
    try:
        header = json.loads(data[start : start + header_len].decode("utf-8"))
        dim, count, digest, owner = (
            header["dim"],
            header["count"],
            header["sha256"],
            header["identity"],
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise _Corrupt(f"bad header ({exc})") from None
    if not (isinstance(dim, int) and isinstance(count, int) and dim > 0 and count >= 0):
        raise _Corrupt("bad header values")
    if owner != identity:
        raise _Corrupt("written for another model")
    if dim_wanted is not None and dim != dim_wanted:
        raise _Corrupt(f"vectors of dimension {dim}, the model's are {dim_wanted}")
    payload = memoryview(data)[start + header_len :]
    if len(payload) != count * (_KEY_BYTES + 4 * dim):
        raise _Corrupt(f"{len(payload)} payload bytes where {count} vectors need more or fewer")
    if hashlib.sha256(payload).hexdigest() != digest:
        raise _Corrupt("checksum mismatch")
    keys_end = count * _KEY_BYTES
    keys = [bytes(payload[i : i + _KEY_BYTES]) for i in range(0, keys_end, _KEY_BYTES)]
    vectors = np.frombuffer(payload[keys_end:], dtype="<f4").reshape(count, dim)
    with np.errstate(over="ignore", invalid="ignore"):
        if not np.all(np.isfinite(vectors)):
            raise _Corrupt("non-finite values")
        bad = _non_unit_rows(vectors)
    if bad:
        raise _Corrupt(f"{bad} of {count} vectors are not unit vectors")
    return keys, vectors


def _unit_mask(vectors: FloatMatrix) -> npt.NDArray[np.bool_]:
    """Which rows are finite vectors of unit norm (within the tolerance)."""
    with np.errstate(over="ignore", invalid="ignore"):
        norms = np.linalg.norm(vectors.astype(np.float64), axis=1)
    ok: npt.NDArray[np.bool_] = np.isfinite(norms) & (np.abs(norms - 1.0) <= _NORM_TOLERANCE)
    return ok


def _non_unit_rows(vectors: FloatMatrix) -> int:
    return int(len(vectors) - np.count_nonzero(_unit_mask(vectors)))


def _shard_bytes(identity: str, keys: Sequence[bytes], vectors: FloatMatrix) -> bytes:
    payload = b"".join(keys) + np.ascontiguousarray(vectors, dtype="<f4").tobytes()
    header = json.dumps(
        {
            "identity": identity,
            "dim": int(vectors.shape[1]),
            "count": len(keys),
            "sha256": hashlib.sha256(payload).hexdigest(),
        },
        sort_keys=True,
    ).encode("utf-8")
    return _MAGIC + struct.pack("<I", len(header)) + header + payload


def _atomic_write(directory: Path, data: bytes) -> Path:
    """Write ``data`` to a new shard in ``directory``: temporary file, fsync, rename."""
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=_SUFFIX, dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        final = directory / f"{hashlib.sha256(data).hexdigest()[:32]}{_SUFFIX}"
        os.replace(tmp, final)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return final


def _max_shards(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ConfigError(f"{attribute.name} must be a positive integer, got {value!r}")


@attrs.frozen(slots=True, kw_only=True, field_transformer=validation.typed)
class CachedEmbedder:
    """An :class:`~factcheck.embedding.Embedder` that keeps every vector on disk.

    Parameters
    ----------
    inner : Embedder
        The embedder that computes what the cache lacks.
    directory : pathlib.Path
        Where the cache lives; created on first write. One directory can serve
        many models.
    max_shards : int
        Shards one model may accumulate before they are merged into one.

    Notes
    -----
    :attr:`identity` is the inner embedder's: the cache does not change a
    vector. Repeated texts within one call are embedded once. A cache that
    cannot be written (read-only, disk full) gives a :class:`CacheWarning` and
    the computed embeddings. :attr:`stats` counts hits, misses, corrupt shards
    and shards written.

    Examples
    --------
    >>> import tempfile
    >>> from factcheck.embedding import HashingEmbedder
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     cached = CachedEmbedder(inner=HashingEmbedder(dim=8), directory=tmp)
    ...     first = cached.embed(["The river flooded.", "Officials said so."])
    ...     again = CachedEmbedder(inner=HashingEmbedder(dim=8), directory=tmp)
    ...     second = again.embed(["Officials said so."])
    ...     (again.stats.hits, again.stats.misses, bool((second[0] == first[1]).all()))
    (1, 0, True)
    """

    inner: Embedder
    directory: Path = attrs.field(converter=Path)
    max_shards: int = attrs.field(default=16, validator=_max_shards)
    stats: CacheStats = attrs.field(factory=CacheStats, init=False, eq=False)
    _lock: threading.Lock = attrs.field(factory=threading.Lock, init=False, eq=False, repr=False)

    @property
    def identity(self) -> str:
        return self.inner.identity

    def folder(self, identity: str | None = None) -> Path:
        """The directory holding one model's shards."""
        ident = self.identity if identity is None else identity
        return self.directory / hashlib.sha256(ident.encode("utf-8")).hexdigest()[:32]

    def embed(self, texts: Sequence[str]) -> FloatMatrix:
        identity = self.identity
        keys = [_key(identity, t) for t in texts]
        text_of = dict(zip(keys, texts, strict=True))
        with self._lock:
            found, shards, origin, shard_dim = self._lookup(identity, set(keys))
            missing: dict[bytes, str] = {}
            for key, text in zip(keys, texts, strict=True):
                if key not in found and key not in missing:
                    missing[key] = text
            dims = set(shard_dim.values())
            if missing or len(dims) > 1:
                if not missing:
                    # Shards disagree on the dimension: the model says which is right.
                    missing = {k: text_of[k] for k in keys}
                computed = self._compute(missing)
                dim = computed.shape[1]
                wrong = {shard for shard, d in shard_dim.items() if d != dim}
                if wrong:
                    for shard in sorted(wrong):
                        self._discard(shard, f"vectors of another dimension than the model's {dim}")
                    shards = [s for s in shards if s not in wrong]
                    again = {
                        k: text_of[k]
                        for k in keys
                        if k in found and origin[k] in wrong and k not in missing
                    }
                    found = {k: v for k, v in found.items() if origin[k] not in wrong}
                    if again:
                        computed = np.concatenate([computed, self._compute(again)])
                        missing.update(again)
                self.stats.misses += len(missing)
                found.update(zip(missing, computed, strict=True))
                stored = _unit_mask(computed)
                self._store(
                    identity,
                    [k for k, ok in zip(missing, stored.tolist(), strict=True) if ok],
                    computed[stored],
                    shards,
                )
            self.stats.hits += sum(1 for k in keys if k in found and k not in missing)
        if not keys:
            return np.asarray(self.inner.embed([]), dtype=np.float32)
        return np.stack([found[k] for k in keys]).astype(np.float32, copy=False)

    # -- storage -------------------------------------------------------------

    def _shards(self, identity: str) -> list[Path]:
        folder = self.folder(identity)
        try:
            return sorted(
                p for p in folder.iterdir() if p.suffix == _SUFFIX and not p.name.startswith(".")
            )
        except OSError:
            return []

    def _meta_path(self, identity: str) -> Path:
        return self.folder(identity) / _META

    def _known_dim(self, identity: str) -> int | None:
        """The dimension of the model's vectors as recorded in ``model.json``, if readable."""
        try:
            meta = json.loads(self._meta_path(identity).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        dim = meta.get("dim") if isinstance(meta, dict) else None
        if meta.get("identity") != identity or not isinstance(dim, int) or dim < 1:
            return None
        return dim

    def _remember_dim(self, identity: str, dim: int) -> None:
        if self._known_dim(identity) == dim:
            return
        # A few bytes, written in place: a torn write is unreadable JSON, which
        # reads as "not recorded" and is written again.
        text = json.dumps({"identity": identity, "dim": dim}, sort_keys=True)
        with contextlib.suppress(OSError):
            self._meta_path(identity).write_text(text, encoding="utf-8")

    def _compute(self, texts: dict[bytes, str]) -> FloatMatrix:
        computed = np.asarray(self.inner.embed(list(texts.values())), dtype=np.float32)
        if computed.ndim != 2 or computed.shape[0] != len(texts):
            raise ValueError(
                f"the inner embedder returned shape {computed.shape} for {len(texts)} texts"
            )
        return computed

    def _discard(self, shard: Path, reason: object) -> None:
        """Remove an unusable shard, with a warning naming the cache and the reason."""
        self.stats.corrupt_shards += 1
        warnings.warn(
            f"embedding cache shard {shard} is unusable ({reason}); its sentences "
            "are embedded again",
            CacheWarning,
            stacklevel=5,
        )
        with contextlib.suppress(OSError):
            shard.unlink()

    def _lookup(
        self, identity: str, wanted: set[bytes]
    ) -> tuple[
        dict[bytes, npt.NDArray[np.float32]], list[Path], dict[bytes, Path], dict[Path, int]
    ]:
        """The wanted vectors found, the usable shards, the shard each vector came
        from, and the dimension of each usable shard."""
        found: dict[bytes, npt.NDArray[np.float32]] = {}
        origin: dict[bytes, Path] = {}
        shard_dim: dict[Path, int] = {}
        good: list[Path] = []
        dim = self._known_dim(identity)
        for shard in self._shards(identity):
            try:
                keys, vectors = _read_shard(shard, identity, dim)
            except FileNotFoundError:
                continue  # merged away by another process meanwhile
            except (_Corrupt, OSError) as exc:
                self._discard(shard, exc)
                continue
            good.append(shard)
            shard_dim[shard] = int(vectors.shape[1])
            rows = [i for i, key in enumerate(keys) if key in wanted and key not in found]
            if rows:
                # Copy out only the rows wanted, so the shard's bytes are freed.
                picked = np.array(vectors[rows], dtype=np.float32)
                for i, vector in zip(rows, picked, strict=True):
                    found[keys[i]] = vector
                    origin[keys[i]] = shard
        return found, good, origin, shard_dim

    def _store(
        self, identity: str, keys: list[bytes], vectors: FloatMatrix, shards: list[Path]
    ) -> None:
        if not keys:
            return
        folder = self.folder(identity)
        try:
            written = _atomic_write(folder, _shard_bytes(identity, keys, vectors))
            self.stats.shards_written += 1
            self._remember_dim(identity, int(vectors.shape[1]))
            if len(shards) + 1 > self.max_shards:
                self._merge(identity, [*shards, written])
        except OSError as exc:
            warnings.warn(
                f"cannot write the embedding cache in {folder} ({exc}); "
                "the embeddings were computed but not kept",
                CacheWarning,
                stacklevel=4,
            )

    def _merge(self, identity: str, shards: list[Path]) -> None:
        keys: list[bytes] = []
        parts: list[FloatMatrix] = []
        seen: set[bytes] = set()
        merged: list[Path] = []
        for shard in shards:
            try:
                shard_keys, vectors = _read_shard(shard, identity)
            except (_Corrupt, OSError):
                continue
            merged.append(shard)
            fresh = [i for i, k in enumerate(shard_keys) if k not in seen]
            seen.update(shard_keys)
            keys += [shard_keys[i] for i in fresh]
            parts.append(np.array(vectors[fresh], dtype=np.float32))
        if len(merged) < 2:
            return
        out = _atomic_write(
            self.folder(identity), _shard_bytes(identity, keys, np.concatenate(parts))
        )
        for shard in merged:
            if shard != out:
                with contextlib.suppress(OSError):
                    shard.unlink()
