"""Exact, blocked, cross-document similarity search over claim embeddings.

This module is the one place where factcheck compares embeddings with each
other. Two questions are answered, both exactly:

* :func:`cross_document_pairs`: every pair of claims from *different*
  documents whose score is at least a threshold (a sparse graph).
* :func:`cross_document_topk`: for every claim, its ``k`` best-scoring claims
  from other documents.

Both walk the upper triangle of the ``n x n`` score matrix in square blocks
(row block ``r`` against column blocks ``c >= r``), so BLAS computes every
pair's dot product once; in top-k mode a block feeds both the lists of its rows
and those of its columns.

Exactness
---------
BLAS may round a float32 dot product differently depending on the shape of the
block it is computed in, so GEMM values alone would make results depend on
``block_size``. Every score this module returns, compares with a threshold or
ranks is therefore the pair's *canonical* score::

    np.einsum("ij,ij->i", E[[i]], E[[j]])[0]     # float32, one fixed formula

(symmetric in ``i`` and ``j``: products commute and the summation order is
fixed by ``dim`` alone). The GEMM values only nominate candidates, with a
rigorous margin: any float32 summation of ``dim`` products is within
``gamma * |a| * |b|`` of the exact dot product (``gamma = dim * u / (1 - dim *
u)``, ``u = 2**-24``), so two summations of one pair (a GEMM value, the
canonical value) differ by at most ``margin = 2 * gamma * max_i |E_i|**2``
(4.6e-5 for unit vectors of dimension 384).

Threshold mode takes the entries whose GEMM value is ``>= threshold - margin``
and keeps those whose canonical score is ``>= threshold``.

Top-k mode first ranks by GEMM value alone, which is consistent because every
pair is computed exactly once (in one block). Each claim keeps its best ``k +
2`` entries by ``(GEMM value desc, index asc)``, packed into sorted ``uint64``
keys; an entry below the claim's current last value is never looked at again.
At the end the kept entries are re-scored canonically and ranked. Every
discarded entry has a GEMM value at most the last kept one, ``G``, so its
canonical score is at most ``G + margin``: when the claim's k-th canonical
score is above that, the ranking is exact. The few claims where it is not
(near-ties within the margin, or more than ``k + 2`` exact ties) are re-ranked
against every claim, taking all entries whose GEMM value reaches their k-th
canonical score minus the margin. So results are identical for every
``block_size``, equal to a brute-force ranking of the canonical scores, and
ties are broken by the lower original index.

Selection cost
--------------
The GEMM is most of the work; selection is what top-k adds to it. Each
block is read once more, compared with the lowest cut of its rows and
columns; only the marked entries are then compared with their own claims'
cuts (when more than 1/64 of a block passes the lowest cut, one more pass
compares each column, or each row, with its own cut, see
``_BlockScanner.hits``). A claim whose list is not full yet (the first block
it meets) gets its cut from the maxima of ``4 * (k + 2)`` chunks of its side
of the block, so it sends about ``k`` entries, not hundreds, to the merge.
Entries per claim over a whole run are about ``(k + 2) * (1 + ln(n /
block_size))`` for unstructured data; they are merged per block by sorting
each affected claim's keys together with its new ones. Diagonal blocks are
multiplied in row strips (``_upper_scores``), which skips most of their
lower triangle. benchmarks/results/similarity.md measures what each part
costs.

Memory
------
Besides the inputs and the outputs (the ``PairSet`` arrays, or the ``(n, k)``
top-k arrays), the extra memory is a set of reused buffers: a float32 score
block and a boolean mask of the same size (``5 * block_size**2`` bytes: 21
MB at the default 2048) per worker, two ``block_size x dim`` float32 row
buffers, the ``(n, k + 2)`` uint64 top-k state and ``O(n)`` index arrays.
Candidate lists and their canonical re-check gathers come on top; they are
bounded by the block (re-check gathers by two buffers of ``max(2**19, dim)``
floats, 4 MiB in all, per worker) and are usually a small fraction of it, but
when almost every entry of a block qualifies (a threshold near -1) they can
reach roughly ``100 * block_size**2`` bytes for a moment: use a smaller block
for such thresholds.
The memory never grows with ``n`` beyond the ``O(n)`` and ``O(n k)`` arrays
and the output (and a float32 copy of ``embeddings`` when they are passed in
another dtype or layout).

Time-aware mode
---------------
With ``intervals`` (days, ``(n, 2)`` ``[start, end]``) and ``window``, pairs whose
intervals are more than ``window`` days apart are never returned or ranked. A
NaN start is unbounded below and a NaN end unbounded above, so a claim with an
unknown interval is compared with everything. Claims are processed in order of
interval start, so once a column block starts more than ``window`` days after
every end in a row block, it and every later block are skipped without any
arithmetic: the cost is close to linear in ``n`` when the window is short
compared with the time span. Without intervals the same code runs with no time
filter.
"""

from __future__ import annotations

import itertools
import math
import numbers
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import attrs
import numpy as np
import numpy.typing as npt
import scipy.sparse

from factcheck import validation
from factcheck._threads import OpenMPRuntimes, one_openmp_thread, single_threaded_blas
from factcheck.embedding import available_cores
from factcheck.errors import ConfigError

__all__ = [
    "PairSet",
    "TopK",
    "cross_document_neighbor_pairs",
    "cross_document_pairs",
    "cross_document_topk",
    "normalize_rows",
]

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
Bool = npt.NDArray[np.bool_]

_UNIT_ROUNDOFF = math.ldexp(1.0, -24)
_TINY = math.ldexp(1.0, -125)
_LOWEST_F32 = float(np.finfo(np.float32).min)
_NEG_INF = np.float32(-np.inf)
# Floats per canonical re-check gather buffer (2 MiB).
_GATHER_FLOATS = 1 << 19
# Fewest rows per strip of a diagonal block (see _upper_scores).
_DIAGONAL_STRIP = 256
# Spare state slots per claim beyond k (see _finish_topk). Entries merged
# grow with k + _SPARE; a claim whose k-th score is within the rounding margin
# of its last kept value is re-ranked exactly. With two spares that is about 70
# of 100,000 random unit vectors (k=10) and 3 of 17,295 news sentences (k=20).
_SPARE = 2
# Marks an unused slot of a top-k state (larger than every entry key).
_EMPTY = np.uint64(0xFFFFFFFFFFFFFFFF)


# ---------------------------------------------------------------------------
# Results


@attrs.frozen(slots=True, eq=False, field_transformer=validation.typed)
class PairSet:
    """All cross-document pairs at or above a threshold.

    Parallel arrays; every pair appears once with ``rows < cols``, sorted by
    ``(row, col)``.

    Attributes
    ----------
    rows : numpy.ndarray
        ``(n_pairs,)`` int64, the lower index of each pair.
    cols : numpy.ndarray
        ``(n_pairs,)`` int64, the higher index of each pair.
    scores : numpy.ndarray
        ``(n_pairs,)`` float32, the canonical dot product of each pair.
    """

    rows: I64
    cols: I64
    scores: F32

    def __len__(self) -> int:
        return int(self.rows.shape[0])

    def to_coo(self, n: int) -> scipy.sparse.coo_array:
        """Return the symmetric ``(n, n)`` similarity graph with both triangles.

        Parameters
        ----------
        n : int
            The number of claims (rows of the embedding matrix).

        Returns
        -------
        scipy.sparse.coo_array
            ``(n, n)`` float32, with ``2 * len(self)`` stored entries.
        """
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 0:
            raise ConfigError(f"n must be an integer >= 0, got {n!r}")
        size = int(n)
        if len(self) and size <= int(self.cols.max()):
            raise ConfigError(
                f"n must exceed every pair index ({int(self.cols.max())}), got n={n!r}"
            )
        data = np.concatenate((self.scores, self.scores))
        row = np.concatenate((self.rows, self.cols))
        col = np.concatenate((self.cols, self.rows))
        return scipy.sparse.coo_array((data, (row, col)), shape=(size, size))


@attrs.frozen(slots=True, eq=False, field_transformer=validation.typed)
class TopK:
    """The ``k`` most similar claims from other documents, for every claim.

    Attributes
    ----------
    indices : numpy.ndarray
        ``(n, k)`` int64; ``-1`` where fewer than ``k`` other-document claims
        exist (or lie within the time window).
    scores : numpy.ndarray
        ``(n, k)`` float32 canonical dot products, ``-inf`` where padded. Each
        row is sorted by score descending, ties by index ascending.
    """

    indices: I64
    scores: F32


# ---------------------------------------------------------------------------
# Public functions


def normalize_rows(matrix: npt.ArrayLike) -> F32:
    """Scale every row to unit Euclidean length.

    Parameters
    ----------
    matrix : array_like
        ``(n, dim)`` finite real numbers.

    Returns
    -------
    numpy.ndarray
        ``(n, dim)`` float32; rows that are all zero stay zero.

    Examples
    --------
    >>> normalize_rows([[3.0, 4.0], [0.0, 0.0]]).tolist()
    [[0.6000000238418579, 0.800000011920929], [0.0, 0.0]]
    """
    values = _real_matrix(matrix, "matrix")
    norms = np.sqrt(np.einsum("ij,ij->i", values, values))
    scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    result: F32 = (values * scale[:, None]).astype(np.float32)
    return result


@validation.checked
def cross_document_pairs(
    embeddings: npt.ArrayLike,
    groups: npt.ArrayLike,
    *,
    threshold: float,
    block_size: int = 2048,
    intervals: npt.ArrayLike | None = None,
    window: float | None = None,
    workers: int | None = None,
) -> PairSet:
    """Find every pair of claims from different documents scoring ``>= threshold``.

    Parameters
    ----------
    embeddings : array_like
        ``(n, dim)`` float32 (or castable) finite unit vectors, one per claim.
    groups : array_like
        ``(n,)`` integers, the document of each claim; pairs within a group are
        never returned.
    threshold : float
        In ``[-1, 1]``; a pair is returned when its canonical score (float32 dot
        product, see the module notes) is ``>= threshold``.
    block_size : int
        Rows and columns per block; extra memory is about
        ``5 * block_size**2`` bytes per worker (see the module notes). The result does
        not depend on it.
    intervals : array_like or None
        ``(n, 2)`` float64 ``[start, end]`` days (e.g. proleptic ordinals) of each
        claim; NaN marks an unknown (unbounded) end. Requires ``window``.
    window : float or None
        With ``intervals``: pairs whose intervals are more than ``window`` days
        apart are never returned.
    workers : int or None
        Threads that compute blocks (each with single-threaded BLAS, so one
        thread's selection overlaps another's matrix product); ``None`` uses
        every core this process may run on, ``1`` computes the blocks in order
        in the calling thread with BLAS's own threads. The result does not
        depend on it; each extra worker adds one set of block buffers.

    Returns
    -------
    PairSet
        ``(n_pairs,)`` arrays ``rows < cols``, sorted by ``(row, col)``.

    Raises
    ------
    ConfigError
        If an argument has the wrong shape, type or range; the message names it.

    Examples
    --------
    >>> import numpy as np
    >>> emb = normalize_rows([[1.0, 0.0], [1.0, 0.1], [0.0, 1.0], [1.0, 0.05]])
    >>> pairs = cross_document_pairs(emb, np.array([0, 0, 1, 1]), threshold=0.9)
    >>> pairs.rows.tolist(), pairs.cols.tolist(), pairs.scores.astype(float).round(4).tolist()
    ([0, 1], [3, 3], [0.9988, 0.9988])
    >>> pairs.to_coo(4).toarray().round(2)[3].tolist()
    [1.0, 1.0, 0.0, 0.0]

    Claims of documents three days apart are not paired with a one-day window:

    >>> days = np.array([[0, 0], [0, 0], [1, 1], [3, 3]], dtype=float)
    >>> len(cross_document_pairs(emb, [0, 0, 1, 1], threshold=0.9,
    ...                          intervals=days, window=1.0))
    0
    """
    limit = _check_real(threshold, "threshold", low=-1.0, high=1.0)
    size = _check_block_size(block_size)
    threads = _check_workers(workers)
    data = _Inputs.build(embeddings, groups, intervals, window)
    scanner = _BlockScanner(data, size, threads)
    cut = _round_down_f32(np.array([limit - data.margin]))
    found: list[tuple[I64, I64, F32]] = []

    def collect(block: _Block) -> None:
        height, width = block.scores.shape
        entries = scanner.hits(
            block, np.repeat(cut, height), np.full(width, np.inf, dtype=np.float32)
        )
        exact = block.space.canonical.scores(block.left, entries.a, block.right, entries.b)
        keep = exact >= limit
        found.append(
            (
                scanner.original(block.row_start + entries.a[keep]),
                scanner.original(block.col_start + entries.b[keep]),
                exact[keep],
            )
        )

    scanner.run(collect)
    found_rows = [part[0] for part in found]
    found_cols = [part[1] for part in found]
    found_scores = [part[2] for part in found]
    return _pairs_from_parts(found_rows, found_cols, found_scores)


@validation.checked
def cross_document_topk(
    embeddings: npt.ArrayLike,
    groups: npt.ArrayLike,
    *,
    k: int,
    block_size: int = 2048,
    intervals: npt.ArrayLike | None = None,
    window: float | None = None,
    workers: int | None = None,
) -> TopK:
    """Find, for every claim, the ``k`` most similar claims of other documents.

    Parameters
    ----------
    embeddings : array_like
        ``(n, dim)`` float32 (or castable) finite unit vectors, one per claim.
    groups : array_like
        ``(n,)`` integers, the document of each claim; a claim's neighbours are
        always from other groups.
    k : int
        Neighbours per claim, ``>= 1``.
    block_size : int
        Rows and columns per block; extra memory is about
        ``5 * block_size**2`` bytes per worker (see the module notes). The result does
        not depend on it.
    intervals : array_like or None
        ``(n, 2)`` float64 ``[start, end]`` days of each claim; NaN marks an
        unknown (unbounded) end. Requires ``window``.
    window : float or None
        With ``intervals``: claims whose intervals are more than ``window`` days
        apart are never neighbours.
    workers : int or None
        Threads that compute blocks (each with single-threaded BLAS, so one
        thread's selection overlaps another's matrix product); ``None`` uses
        every core this process may run on, ``1`` computes the blocks in order
        in the calling thread with BLAS's own threads. The result does not
        depend on it; each extra worker adds one set of block buffers.

    Returns
    -------
    TopK
        ``indices`` ``(n, k)`` int64 (``-1`` padded) and ``scores`` ``(n, k)``
        float32 canonical scores (``-inf`` padded), each row by score
        descending, ties by index ascending.

    Raises
    ------
    ConfigError
        If an argument has the wrong shape, type or range; the message names it.

    Examples
    --------
    >>> import numpy as np
    >>> emb = normalize_rows([[1.0, 0.0], [1.0, 0.1], [0.0, 1.0], [1.0, 0.05]])
    >>> top = cross_document_topk(emb, np.array([0, 0, 1, 1]), k=2)
    >>> top.indices.tolist()
    [[3, 2], [3, 2], [1, 0], [1, 0]]
    >>> top.scores[0].astype(float).round(3).tolist()
    [0.999, 0.0]

    A claim with fewer than ``k`` claims in other documents is padded:

    >>> top = cross_document_topk(emb, [0, 0, 0, 1], k=2)
    >>> top.indices[3].tolist(), top.scores[3].astype(float).round(5).tolist()
    ([1, 0], [0.99876, 0.99875])
    >>> top.indices[0].tolist(), top.scores[0].astype(float).round(5).tolist()
    ([3, -1], [0.99875, -inf])
    """
    count = _check_positive_int(k, "k")
    size = _check_block_size(block_size)
    threads = _check_workers(workers)
    data = _Inputs.build(embeddings, groups, intervals, window)
    n = data.n
    kept = min(count, max(n - 1, 0))
    indices: I64 = np.full((n, count), -1, dtype=np.int64)
    scores: F32 = np.full((n, count), _NEG_INF, dtype=np.float32)
    if kept > 0:
        scanner = _BlockScanner(data, size, threads)
        # Per processing position: the best `kept + _SPARE` entries by GEMM value.
        state = np.full((n, kept + _SPARE), _EMPTY, dtype=np.uint64)
        # The GEMM value of each full state's last key (NaN: not full yet).
        last = np.full(n, np.nan, dtype=np.float32)
        scanner.run(lambda block: _collect_topk(scanner, block, state, last))
        ranked = _finish_topk(scanner, state, kept)
        target = data.order if data.order is not None else slice(None)
        filled = ranked != _EMPTY
        indices[target, :kept] = np.where(filled, _key_indices(ranked), -1)
        scores[target, :kept] = np.where(filled, _key_values(ranked), _NEG_INF)
    return TopK(indices=indices, scores=scores)


@validation.checked
def cross_document_neighbor_pairs(
    embeddings: npt.ArrayLike,
    groups: npt.ArrayLike,
    *,
    k: int,
    threshold: float,
    block_size: int = 2048,
) -> PairSet:
    """The sparse k-nearest-neighbour graph: pairs where either claim is among
    the other's ``k`` best other-document matches and the cosine is at least
    ``threshold``.

    Unlike :func:`cross_document_pairs`, the number of pairs is at most
    ``n * k`` whatever the data, so a corpus of near-duplicates (thousands of
    copies of one wire story) cannot make the graph quadratic.

    Parameters
    ----------
    embeddings : array_like of shape (n, dim)
        Unit rows (float32).
    groups : array_like of int, shape (n,)
        Document index of each row; same-group pairs are never returned.
    k : int
        Neighbours kept per claim.
    threshold : float
        Minimum cosine of a kept pair.
    block_size : int
        Rows per block, as in :func:`cross_document_topk`.

    Returns
    -------
    PairSet
        Pairs with ``rows < cols``, sorted, each once, with canonical scores.

    Examples
    --------
    >>> import numpy as np
    >>> e = normalize_rows(np.array([[1, 0], [1, 0.1], [1, 0.2], [0, 1]], dtype=np.float32))
    >>> p = cross_document_neighbor_pairs(e, np.array([0, 1, 2, 3]), k=1, threshold=0.5)
    >>> p.rows.tolist(), p.cols.tolist()
    ([0, 1], [1, 2])
    """
    threshold = _check_real(threshold, "threshold", low=-1.0, high=1.0)
    top = cross_document_topk(embeddings, groups, k=k, block_size=block_size)
    n, width = top.indices.shape
    rows = np.repeat(np.arange(n, dtype=np.int64), width)
    cols = top.indices.ravel()
    scores = top.scores.ravel()
    keep = (cols >= 0) & (scores >= threshold)
    low = np.minimum(rows, cols)[keep]
    high = np.maximum(rows, cols)[keep]
    # Both orientations of a pair carry the same canonical score; keep one.
    _, first = np.unique(low * max(n, 1) + high, return_index=True)
    return PairSet(rows=low[first], cols=high[first], scores=scores[keep][first])


# ---------------------------------------------------------------------------
# Validation


def _check_real(value: object, name: str, *, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ConfigError(f"{name} must be a real number, got {value!r}")
    number = float(value)
    if not low <= number <= high:
        raise ConfigError(f"{name} must be in [{low:g}, {high:g}], got {value!r}")
    return number


def _check_positive_int(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ConfigError(f"{name} must be an integer >= 1, got {value!r}")
    number = int(value)
    if number < 1:
        raise ConfigError(f"{name} must be an integer >= 1, got {value!r}")
    return number


def _check_block_size(value: object) -> int:
    return _check_positive_int(value, "block_size")


def _check_workers(value: object) -> int:
    if value is None:
        return available_cores()
    return _check_positive_int(value, "workers")


def _real_matrix(value: npt.ArrayLike, name: str) -> F64:
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{name} must be a 2-D array of real numbers ({exc})") from None
    if array.ndim != 2:
        raise ConfigError(f"{name} must be a 2-D array, got shape {array.shape}")
    if array.dtype.kind not in "fiu":
        raise ConfigError(f"{name} must hold real numbers, got dtype {array.dtype}")
    cast: F64 = np.ascontiguousarray(array, dtype=np.float64)
    if not np.isfinite(cast).all():
        bad = int(np.flatnonzero(~np.isfinite(cast).all(axis=1))[0])
        raise ConfigError(f"{name} must be finite, got a non-finite value in row {bad}")
    return cast


@attrs.frozen(slots=True, eq=False)
class _Inputs:
    """Validated inputs, in processing order.

    ``order`` is the processing order (rows sorted by interval start) or None
    for the identity; ``groups``, ``starts`` and ``ends`` are already in that
    order; ``embeddings`` stays in the caller's order.
    """

    embeddings: F32  # (n, dim), caller's order
    groups: I64  # (n,), processing order
    order: I64 | None  # (n,) processing position -> original index
    starts: F64 | None  # (n,) processing order, NaN -> -inf
    ends: F64 | None  # (n,) processing order, NaN -> +inf
    window: float
    margin: float

    @property
    def n(self) -> int:
        return int(self.embeddings.shape[0])

    @classmethod
    def build(
        cls,
        embeddings: npt.ArrayLike,
        groups: npt.ArrayLike,
        intervals: npt.ArrayLike | None,
        window: float | None,
    ) -> _Inputs:
        matrix = _embedding_matrix(embeddings)
        n = matrix.shape[0]
        labels = _group_labels(groups, n)
        margin = _gemm_margin(matrix)
        if (intervals is None) != (window is None):
            raise ConfigError(
                "intervals and window must be given together, got "
                f"intervals={'None' if intervals is None else 'an array'} and window={window!r}"
            )
        if intervals is None or window is None:
            return cls(matrix, labels, None, None, None, math.inf, margin)
        span = _check_real(window, "window", low=0.0, high=math.inf)
        starts, ends = _interval_bounds(intervals, n)
        order: I64 = np.argsort(starts, kind="stable").astype(np.int64)
        return cls(matrix, labels[order], order, starts[order], ends[order], span, margin)


def _embedding_matrix(embeddings: npt.ArrayLike) -> F32:
    try:
        array = np.asarray(embeddings)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"embeddings must be a 2-D float32 array ({exc})") from None
    if array.ndim != 2:
        raise ConfigError(f"embeddings must be a 2-D (n, dim) array, got shape {array.shape}")
    if array.dtype.kind not in "fiu":
        raise ConfigError(f"embeddings must hold real numbers, got dtype {array.dtype}")
    if array.shape[1] == 0 and array.shape[0] > 0:
        raise ConfigError(f"embeddings must have dim >= 1, got shape {array.shape}")
    with np.errstate(over="ignore"):
        matrix: F32 = np.ascontiguousarray(array, dtype=np.float32)
    # Squared norms are O(n) memory; a non-finite one flags a non-finite value
    # or a norm that overflows float32 (whose dot products would overflow too).
    with np.errstate(over="ignore", invalid="ignore"):
        squares = np.einsum("ij,ij->i", matrix, matrix)
    bad = np.flatnonzero(~np.isfinite(squares))
    if bad.size:
        row = int(bad[0])
        what = "a non-finite value" if not np.isfinite(matrix[row]).all() else "an overflowing norm"
        raise ConfigError(f"embeddings must be finite float32, got {what} in row {row}")
    return matrix


def _group_labels(groups: npt.ArrayLike, n: int) -> I64:
    try:
        array = np.asarray(groups)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"groups must be a 1-D integer array ({exc})") from None
    if array.ndim != 1 or array.shape[0] != n:
        raise ConfigError(
            f"groups must be a 1-D array with one entry per embedding row ({n}), "
            f"got shape {array.shape}"
        )
    if array.dtype.kind not in "iu" and not (array.size == 0 and array.dtype.kind == "f"):
        raise ConfigError(f"groups must hold integers, got dtype {array.dtype}")
    if array.dtype.kind == "u" and array.size and int(array.max()) > np.iinfo(np.int64).max:
        raise ConfigError("groups must fit in int64, got a larger value")
    labels: I64 = np.ascontiguousarray(array, dtype=np.int64)
    return labels


def _interval_bounds(intervals: npt.ArrayLike, n: int) -> tuple[F64, F64]:
    try:
        array = np.asarray(intervals, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"intervals must be an (n, 2) float array ({exc})") from None
    if array.shape != (n, 2):
        raise ConfigError(f"intervals must have shape ({n}, 2), got shape {array.shape}")
    if np.isinf(array).any():
        row = int(np.flatnonzero(np.isinf(array).any(axis=1))[0])
        raise ConfigError(
            f"intervals must be finite days or NaN (unknown), got {array[row].tolist()} "
            f"in row {row}"
        )
    starts = np.where(np.isnan(array[:, 0]), -np.inf, array[:, 0])
    ends = np.where(np.isnan(array[:, 1]), np.inf, array[:, 1])
    backwards = np.flatnonzero(starts > ends)
    if backwards.size:
        row = int(backwards[0])
        raise ConfigError(
            f"intervals must have start <= end, got {array[row].tolist()} in row {row}"
        )
    return starts, ends


def _gemm_margin(matrix: F32) -> float:
    """Upper bound on |GEMM value - canonical value| for any pair of rows."""
    n, dim = int(matrix.shape[0]), int(matrix.shape[1])
    if n == 0:
        return 0.0
    steps = dim * _UNIT_ROUNDOFF
    gamma = steps / (1.0 - steps) if steps < 0.5 else math.inf
    largest = float(np.einsum("ij,ij->i", matrix, matrix).max())
    # Factor 2: two different float32 summations of the same products; the
    # (1 + 4 gamma) covers the rounding of the squared norms themselves; the
    # absolute term covers underflow of tiny products.
    return 2.0 * gamma * largest * (1.0 + 4.0 * gamma) + dim * _TINY


def _round_down_f32(values: F64) -> F32:
    """Largest float32 values that are <= the given float64 values."""
    clipped = np.maximum(values, _LOWEST_F32)
    rounded = clipped.astype(np.float32)
    too_high = rounded.astype(np.float64) > clipped
    np.nextafter(rounded, _NEG_INF, out=rounded, where=too_high)
    return rounded


def _pair_allowed(data: _Inputs, i: I64, j: I64) -> Bool:
    """Whether processing positions ``i`` and ``j`` (broadcastable) may be paired.

    True when the groups differ and (with intervals) the gap between the two
    intervals is at most ``window``; symmetric in ``i`` and ``j``.
    """
    ok: Bool = data.groups[i] != data.groups[j]
    if data.starts is not None and data.ends is not None:
        gap = np.maximum(data.starts[j] - data.ends[i], data.starts[i] - data.ends[j])
        ok &= ~(gap > data.window)
    return ok


# ---------------------------------------------------------------------------
# Canonical scores


class _Canonical:
    """Canonical float32 scores of row pairs, through reused gather buffers.

    Always ``einsum('ij,ij->i')`` of the two rows (products commute, so the
    order of the pair does not matter), so a pair's score never depends on the
    block or batch it is computed in.
    """

    def __init__(self, dim: int, chunk: int) -> None:
        self._chunk = max(1, chunk)
        self._first: F32 = np.empty((0, dim), dtype=np.float32)
        self._second: F32 = np.empty((0, dim), dtype=np.float32)

    @classmethod
    def for_dim(cls, dim: int) -> _Canonical:
        """Gathers of at most ``max(_GATHER_FLOATS, dim)`` floats each: small
        enough to stay in cache between the gather and the product."""
        return cls(dim, _GATHER_FLOATS // max(dim, 1))

    def scores(self, left: F32, a: I64, right: F32, b: I64) -> F32:
        """Scores of ``left[a[t]]`` with ``right[b[t]]`` for every ``t``."""
        total = int(a.shape[0])
        result: F32 = np.empty(total, dtype=np.float32)
        if self._first.shape[0] < min(total, self._chunk):
            shape = (min(total, self._chunk), self._first.shape[1])
            self._first = np.empty(shape, dtype=np.float32)
            self._second = np.empty(shape, dtype=np.float32)
        step = max(1, self._first.shape[0])
        for start in range(0, total, step):
            stop = min(start + step, total)
            first = self._first[: stop - start]
            second = self._second[: stop - start]
            np.take(left, a[start:stop], axis=0, out=first, mode="clip")
            np.take(right, b[start:stop], axis=0, out=second, mode="clip")
            np.einsum("ij,ij->i", first, second, out=result[start:stop])
        return result


# ---------------------------------------------------------------------------
# Blocks


def _upper_scores(left: F32, right: F32, out: F32) -> None:
    """GEMM values of a diagonal block (``left`` and ``right`` hold the same
    rows), computed only near and above the diagonal.

    The ``(s, s)`` square is cut into row strips of at least
    ``_DIAGONAL_STRIP`` rows (eight at most); strip ``t`` is multiplied with
    the columns from its own first row on, and the part of the block below
    and left of the strips is set to ``-inf``, so it never passes a cut or
    counts as a witness. Eight strips do 9/16 of the full square's products.
    """
    side = int(out.shape[0])
    parts = max(1, min(8, side // _DIAGONAL_STRIP))
    cuts = np.linspace(0, side, parts + 1).astype(np.int64).tolist()
    for start, stop in itertools.pairwise(cuts):
        np.matmul(left[start:stop], right[start:].T, out=out[start:stop, start:])
        out[stop:, start:stop] = _NEG_INF


class _Workspace:
    """The reused buffers of one worker: a float32 score block, a boolean
    mask of the same size, two ``(side, dim)`` row buffers and the canonical
    re-check gathers (see :meth:`_Canonical.for_dim`)."""

    def __init__(self, side: int, dim: int) -> None:
        self.scores: F32 = np.empty(side * side, dtype=np.float32)
        self.mask: Bool = np.empty(side * side, dtype=np.bool_)
        self.row_buffer: F32 = np.empty((side, dim), dtype=np.float32)
        self.col_buffer: F32 = np.empty((side, dim), dtype=np.float32)
        self.canonical = _Canonical.for_dim(dim)
        # The row block whose embeddings `left` holds (reused across its blocks).
        self.left_start = -1
        self.left: F32 = self.row_buffer[:0]


@attrs.frozen(slots=True, eq=False)
class _Block:
    """One ``(R, C)`` block of GEMM scores between processing positions.

    ``scores[a, b]`` is the GEMM value of positions ``row_start + a`` and
    ``col_start + b`` (a contiguous view of the worker's score buffer);
    ``left`` and ``right`` are the two sides' embeddings; ``space`` is the
    worker's workspace.
    """

    row_start: int
    col_start: int
    scores: F32  # (R, C)
    left: F32  # (R, dim)
    right: F32  # (C, dim), never the same memory as `left`
    space: _Workspace


@attrs.frozen(slots=True, eq=False)
class _Entries:
    """Reportable block entries: local rows ``a``, local columns ``b``, GEMM
    values, and whether each reaches its row's and its column's cut."""

    a: I64
    b: I64
    values: F32
    for_rows: Bool
    for_cols: Bool


class _BlockScanner:
    """Runs work over the upper-triangle blocks with ``workers`` threads.

    With one worker, blocks are computed in order in the calling thread and
    BLAS keeps its own thread count. With more, each worker thread takes the
    next block from a shared list and computes it with single-threaded BLAS,
    so one worker's selection overlaps the other's GEMM instead of leaving a
    core idle; ``lock`` serialises the updates of shared state. Results never
    depend on the order in which blocks are processed.
    """

    def __init__(self, data: _Inputs, block_size: int, workers: int) -> None:
        n, dim = int(data.embeddings.shape[0]), int(data.embeddings.shape[1])
        side = max(1, min(block_size, n))
        self.data = data
        self.side = side
        self.workers = workers
        self.main = _Workspace(side, dim)
        self.lock = threading.Lock()
        bounds = np.arange(0, n, side)
        self._bounds: list[int] = [*bounds.tolist(), n]
        self._dense_groups: I64 | None = None
        self._end_max: F64 | None = None
        if data.ends is not None and n:
            self._end_max = np.maximum.reduceat(data.ends, bounds)

    def rows(self, start: int, stop: int, buffer: F32) -> F32:
        """Embeddings of processing positions ``[start, stop)``."""
        data = self.data
        if data.order is None:
            return data.embeddings[start:stop]
        out = buffer[: stop - start]
        np.take(data.embeddings, data.order[start:stop], axis=0, out=out, mode="clip")
        return out

    def tasks(self) -> list[tuple[int, int]]:
        """Every block ``(r, c)``, ``c >= r``, that may hold a valid pair.

        With intervals, positions are sorted by start, so once a column block
        starts more than ``window`` after every end in the row block, so do all
        later ones: they are skipped without computing anything.
        """
        data = self.data
        bounds = self._bounds
        count = len(bounds) - 1
        found: list[tuple[int, int]] = []
        for r in range(count):
            for c in range(r, count):
                if (
                    data.starts is not None
                    and self._end_max is not None
                    and data.starts[bounds[c]] > self._end_max[r] + data.window
                ):
                    break
                found.append((r, c))
        return found

    def run(self, work: Callable[[_Block], None]) -> None:
        """Call ``work`` on every block, in order with one worker."""
        tasks = self.tasks()
        if self.workers == 1 or len(tasks) < 2:
            for task in tasks:
                work(self._block(task, self.main))
            return
        dim = int(self.data.embeddings.shape[1])
        spaces = [self.main] + [_Workspace(self.side, dim) for _ in range(self.workers - 1)]
        queue = iter(tasks)
        taking = threading.Lock()
        failed = threading.Event()

        def worker(space: _Workspace) -> None:
            while not failed.is_set():
                with taking:
                    task = next(queue, None)
                if task is None:
                    return
                try:
                    work(self._block(task, space))
                except BaseException:
                    failed.set()
                    raise

        # Process-wide BLAS pools run on one thread only while factcheck's
        # overlapping calls are in here, and get their exact count back after
        # (see factcheck._threads); OpenMP builds are set per worker thread.
        openmp = OpenMPRuntimes()
        with (
            single_threaded_blas(),
            ThreadPoolExecutor(
                max_workers=len(spaces),
                thread_name_prefix="factcheck-similarity",
                initializer=one_openmp_thread,
                initargs=(openmp,),
            ) as pool,
        ):
            futures = [pool.submit(worker, space) for space in spaces]
            for future in futures:
                future.result()

    def canonical_scores(self, left: F32, a: I64, right: F32, b: I64) -> F32:
        """:meth:`_Canonical.scores`, split into one contiguous part per worker."""
        total = int(a.shape[0])
        parts = min(self.workers, max(1, total // 65536))
        if parts == 1:
            return self.main.canonical.scores(left, a, right, b)
        dim = int(self.data.embeddings.shape[1])
        extra = [_Canonical.for_dim(dim) for _ in range(parts - 1)]
        gatherers = [self.main.canonical, *extra]
        cuts = np.linspace(0, total, parts + 1).astype(np.int64)
        result: F32 = np.empty(total, dtype=np.float32)

        def part(index: int) -> None:
            start, stop = int(cuts[index]), int(cuts[index + 1])
            canonical = gatherers[index]
            result[start:stop] = canonical.scores(left, a[start:stop], right, b[start:stop])

        with ThreadPoolExecutor(max_workers=parts) as pool:
            for future in [pool.submit(part, index) for index in range(parts)]:
                future.result()
        return result

    def _block(self, task: tuple[int, int], space: _Workspace) -> _Block:
        """Compute block ``task`` in ``space``."""
        r, c = task
        bounds = self._bounds
        r0, r1, c0, c1 = bounds[r], bounds[r + 1], bounds[c], bounds[c + 1]
        if space.left_start != r0:
            space.left = self.rows(r0, r1, space.row_buffer)
            space.left_start = r0
        left = space.left
        if c == r:
            # A separate copy: numpy would take its syrk path for `a @ a.T`
            # on one array (crashes for large n, numpy #19685).
            right = space.col_buffer[: c1 - c0]
            np.copyto(right, left)
        else:
            right = self.rows(c0, c1, space.col_buffer)
        height, width = r1 - r0, c1 - c0
        scores = space.scores[: height * width].reshape(height, width)
        if c == r:
            _upper_scores(left, right, scores)
        else:
            np.matmul(left, right.T, out=scores)
        return _Block(r0, c0, scores, left, right, space)

    def hits(self, block: _Block, row_cuts: F32, col_cuts: F32) -> _Entries:
        """Reportable entries ``>= row_cuts[a]`` or ``>= col_cuts[b]``.

        One pass compares the block with the lowest cut. When that marks more
        than 1/64 of the block (a few claims with low cuts, typically claims
        met for the first time on one side), a second pass compares each
        column with ``min(its cut, lowest row cut)`` (or each row with
        ``min(its cut, lowest column cut)``, whichever side's lowest cut is
        lower): a superset of the reportable entries that keeps the low cuts
        to their own columns (rows). Either way the marked entries are then
        checked against their own cuts, so the result is the same set.
        """
        scores = block.scores
        height, width = scores.shape
        size = height * width
        mask = block.space.mask[:size].reshape(height, width)
        row_low, col_low = float(row_cuts.min()), float(col_cuts.min())
        low = min(row_low, col_low)
        np.greater_equal(scores, np.float32(low), out=mask)
        flat = np.flatnonzero(mask)
        if 64 * flat.size > size and (float(row_cuts.max()) > low or float(col_cuts.max()) > low):
            if col_low <= row_low:
                per_column = np.minimum(col_cuts, np.float32(row_low))
                np.greater_equal(scores, per_column[None, :], out=mask)
            else:
                per_row = np.minimum(row_cuts, np.float32(col_low))
                np.greater_equal(scores, per_row[:, None], out=mask)
            flat = np.flatnonzero(mask)
        a, b = np.divmod(flat, width)
        values = scores.ravel()[flat]
        for_rows = values >= row_cuts[a]
        for_cols = values >= col_cuts[b]
        keep = (for_rows | for_cols) & self.eligible(block, a, b)
        return _Entries(a[keep], b[keep], values[keep], for_rows[keep], for_cols[keep])

    def eligible(self, block: _Block, a: I64, b: I64) -> Bool:
        """Whether local pairs ``(a, b)`` (broadcastable) of ``block`` may be reported:
        the row position is below the column position and the pair is allowed."""
        i = block.row_start + a
        j = block.col_start + b
        ok: Bool = (i < j) & _pair_allowed(self.data, i, j)
        return ok

    def shares_group(self, positions: I64, members: I64) -> Bool:
        """``(p, m)`` bool: whether ``positions[i]`` has the group of any of the
        positions in row ``j`` of the ``(m, s)`` array ``members``."""
        with self.lock:
            if self._dense_groups is None:
                labels = np.unique(self.data.groups, return_inverse=True)[1]
                self._dense_groups = labels.ravel().astype(np.int64)
            dense = self._dense_groups
        mine = dense[positions]
        theirs = dense[members]
        chunks = members.shape[0]
        result: Bool = (theirs.min(axis=1)[None, :] <= mine[:, None]) & (
            mine[:, None] <= theirs.max(axis=1)[None, :]
        )
        which, chunk = np.nonzero(result)
        if which.size:
            # Exact membership for the pairs inside a chunk's group range.
            groups = int(dense.max()) + 1
            table = np.unique(np.arange(chunks)[:, None] * groups + theirs)
            query = chunk * groups + mine[which]
            at = np.minimum(np.searchsorted(table, query), table.shape[0] - 1)
            result[which, chunk] = table[at] == query
        return result

    def original(self, positions: I64) -> I64:
        """Original row indices of processing positions."""
        order = self.data.order
        return positions if order is None else order[positions]


# ---------------------------------------------------------------------------
# Top-k
#
# The running state of every claim is a sorted row of ``uint64`` keys
# ``(descending GEMM value bits << 32) | original index``: ascending keys rank
# by value descending, then by index ascending, and a single integer
# comparison decides. Unused slots hold ``_EMPTY``.


def _descending_keys(values: F32) -> npt.NDArray[np.uint64]:
    """uint64 keys (in the high 32 bits) that sort float32 values descending
    (``-0.0`` equals ``0.0``)."""
    bits = (values + np.float32(0.0)).view(np.uint32)
    ascending = np.where(bits & np.uint32(0x80000000), ~bits, bits | np.uint32(0x80000000))
    return (~ascending).astype(np.uint64) << np.uint64(32)


def _entry_keys(values: F32, neighbours: I64) -> npt.NDArray[np.uint64]:
    """State keys of entries: value descending, then original index ascending."""
    return _descending_keys(values) | neighbours.astype(np.uint64)


def _key_values(keys: npt.NDArray[np.uint64]) -> F32:
    """The float32 values of keys (invert :func:`_descending_keys`)."""
    ascending = ~(keys >> np.uint64(32)).astype(np.uint32)
    bits = np.where(
        ascending & np.uint32(0x80000000), ascending & np.uint32(0x7FFFFFFF), ~ascending
    )
    values: F32 = bits.view(np.float32)
    return values


def _key_indices(keys: npt.NDArray[np.uint64]) -> I64:
    """The original indices of keys."""
    indices: I64 = (keys & np.uint64(0xFFFFFFFF)).astype(np.int64)
    return indices


def _ranks_in_groups(sorted_groups: I64) -> I64:
    """Position of each element within its run of equal (sorted) groups."""
    total = sorted_groups.shape[0]
    new = np.ones(total, dtype=np.bool_)
    new[1:] = sorted_groups[1:] != sorted_groups[:-1]
    firsts = np.flatnonzero(new)
    sizes = np.diff(np.append(firsts, total))
    ranks: I64 = np.arange(total) - np.repeat(firsts, sizes)
    return ranks


def _merge_keys(
    state: npt.NDArray[np.uint64], rows: I64, owners: I64, keys: npt.NDArray[np.uint64]
) -> I64:
    """Merge new ``keys`` into the sorted rows ``state[rows[owners]]``, in place,
    and return the rows that changed.

    Every row keeps its ``width`` smallest keys. ``owners`` index ``rows``
    (``rows.shape[0] < 2**16`` lets the grouping use a radix sort). New keys
    are grouped by owner (an owner with more than ``4 * width`` of them keeps
    its ``width`` smallest), then each affected row is sorted together with
    its new keys.
    """
    width = state.shape[1]
    better = keys < state[rows[owners], width - 1]
    owners, keys = owners[better], keys[better]
    if not owners.size:
        return rows[:0]
    small = owners.astype(np.uint16) if rows.shape[0] < 2**16 else owners
    order = np.argsort(small, kind="stable")
    owners, keys = owners[order], keys[order]
    rank = _ranks_in_groups(owners)
    if int(rank.max()) >= 4 * width:
        order = np.lexsort((keys, owners))
        keys = keys[order]
        take = rank < width
        owners, keys, rank = owners[take], keys[take], rank[take]
    first = rank == 0
    affected: I64 = rows[owners[first]]
    row = np.cumsum(first) - 1
    table = np.full((affected.shape[0], width + int(rank.max()) + 1), _EMPTY, dtype=np.uint64)
    table[:, :width] = state[affected]
    table[row, width + rank] = keys
    table.sort(axis=1)
    state[affected] = table[:, :width]
    return affected


def _entry_cuts(
    scanner: _BlockScanner, block: _Block, last: F32, width: int, *, per_row: bool
) -> F32:
    """Per receiver, a GEMM value below which no entry of the block can enter
    its state (as rows when ``per_row``, else as columns).

    A full state's ``last`` value; for a state that is not full yet (NaN),
    the witness bound of :func:`_witness_cuts`.
    """
    cuts = last.copy()
    weak = np.flatnonzero(np.isnan(cuts))
    if weak.size:
        cuts[weak] = _witness_cuts(scanner, block, weak, width, per_row=per_row)
    return cuts


def _witness_cuts(
    scanner: _BlockScanner, block: _Block, receivers: I64, width: int, *, per_row: bool
) -> F32:
    """A value that at least ``width`` allowed entries of the block reach, for
    each receiver (local rows when ``per_row``, else local columns).

    The receiver's side of the block is cut into ``4 * width`` equal chunks
    (columns of a row, rows of a column) and the ``width``-th largest chunk
    maximum is taken, counting only chunks whose every entry the receiver may
    be paired with; each such maximum is one allowed entry. Those ``width``
    entries all pass the cut and enter the state, so no entry below the cut
    can stay there. This costs one maximum pass over the block, where an exact
    ``width``-th best per receiver would need a partition of the whole block;
    it matters for the first block a claim meets, when its state is empty.
    ``-inf`` where fewer than ``width`` chunks qualify.

    On a diagonal block a claim is both a row and a column. Its row of the
    square holds its pairs with the claims after it and its column those
    with the claims before it, as the upper-triangle GEMM values that are
    used; near the diagonal (see :func:`_upper_scores`) both also hold
    lower-triangle values, which may differ from the upper-triangle ones by
    the margin, and the rest of the lower triangle is ``-inf``. Chunk
    maxima are taken over the row and the column together, the cut is
    lowered by the margin, and it serves the claim on both sides.
    """
    data = scanner.data
    scores = block.scores
    height, breadth = scores.shape
    count = receivers.shape[0]
    other = breadth if per_row else height
    chunks = min(4 * width, other)
    span = other // chunks if chunks else 0
    cuts: F32 = np.full(count, _NEG_INF, dtype=np.float32)
    if chunks < width or span == 0:
        return cuts
    used = chunks * span
    diagonal = block.row_start == block.col_start
    if diagonal or not per_row:
        # (count, chunks): maxima over row chunks of the receivers' columns
        # (on a diagonal block the receivers' rows and columns are the same).
        column_maxima = scores[:used].reshape(chunks, span, breadth).max(axis=1)[:, receivers].T
    if per_row:
        mine = block.row_start + receivers
        members = block.col_start + np.arange(used).reshape(chunks, span)
        maxima = scores[receivers, :used].reshape(count, chunks, span).max(axis=2)
        if diagonal:
            # The pairs with the claims before it are in its column.
            np.maximum(maxima, column_maxima, out=maxima)
        # On a diagonal block a claim's own chunk is excluded by its group.
        ordered = diagonal | (members[:, 0][None, :] > mine[:, None])
    else:
        mine = block.col_start + receivers
        members = block.row_start + np.arange(used).reshape(chunks, span)
        maxima = column_maxima
        ordered = members[:, -1][None, :] < mine[:, None]
    valid = ordered & ~scanner.shares_group(mine, members)
    if data.starts is not None and data.ends is not None:
        latest = data.starts[members].max(axis=1)
        earliest = data.ends[members].min(axis=1)
        valid &= ~(latest[None, :] - data.ends[mine][:, None] > data.window)
        valid &= ~(data.starts[mine][:, None] - earliest[None, :] > data.window)
    maxima = np.where(valid, maxima, _NEG_INF)
    maxima.partition(chunks - width, axis=1)
    result: F32 = maxima[:, chunks - width]
    if diagonal:
        result = _round_down_f32(result.astype(np.float64) - data.margin)
    return result


def _collect_topk(
    scanner: _BlockScanner, block: _Block, state: npt.NDArray[np.uint64], last: F32
) -> None:
    """Merge one block's entries into the GEMM-value states of its rows and
    columns: each dot product is computed once and serves both. ``last``
    follows the GEMM value of each full state's last key (NaN while not full)."""
    height, width = block.scores.shape
    r0, c0 = block.row_start, block.col_start
    slots = state.shape[1]
    row_cuts = _entry_cuts(scanner, block, last[r0 : r0 + height], slots, per_row=True)
    if r0 == c0:  # the same claims on both sides
        col_cuts = row_cuts
    else:
        col_cuts = _entry_cuts(scanner, block, last[c0 : c0 + width], slots, per_row=False)
    entries = scanner.hits(block, row_cuts, col_cuts)
    if not entries.a.size:
        return
    fr, fc = entries.for_rows, entries.for_cols
    # Owners as local ids: block rows first, then block columns (the same ids
    # on a diagonal block, whose rows and columns are the same positions).
    diagonal = r0 == c0
    rows = np.arange(r0, r0 + height)
    if not diagonal:
        rows = np.concatenate((rows, np.arange(c0, c0 + width)))
    owners = np.concatenate((entries.a[fr], (0 if diagonal else height) + entries.b[fc]))
    neighbours = scanner.original(np.concatenate((c0 + entries.b[fr], r0 + entries.a[fc])))
    values = np.concatenate((entries.values[fr], entries.values[fc]))
    keys = _entry_keys(values, neighbours)
    with scanner.lock:
        changed = _merge_keys(state, rows, owners, keys)
        tail = state[changed, slots - 1]
        last[changed] = np.where(tail == _EMPTY, np.float32(np.nan), _key_values(tail))


def _finish_topk(
    scanner: _BlockScanner, state: npt.NDArray[np.uint64], kept: int
) -> npt.NDArray[np.uint64]:
    """Rank every state by canonical score and prove it holds the exact top-k.

    Returns ``(n, kept)`` keys of canonical scores, in processing order. A
    full state of ``width`` entries is exact when its ``kept``-th canonical
    score exceeds its last GEMM value by more than the margin: every entry
    outside it has a GEMM value at most that last one, so a canonical score
    below the ``kept``-th. Claims failing the check (near-ties) are re-ranked
    against every claim by :func:`_recheck_topk`.
    """
    data = scanner.data
    n, width = state.shape
    # Entries more than twice the margin below the kept-th GEMM value cannot
    # reach the kept-th canonical score (at least that GEMM value minus the
    # margin): they are not re-scored.
    values = _key_values(state)
    floor = _round_down_f32(values[:, kept - 1].astype(np.float64) - 2.0 * data.margin)
    wanted = (state != _EMPTY) & (values >= floor[:, None])
    wanted[:, :kept] |= state[:, :kept] != _EMPTY
    owners, slots = np.nonzero(wanted)
    neighbours = _key_indices(state[owners, slots])
    canonical = scanner.canonical_scores(
        data.embeddings, scanner.original(owners), data.embeddings, neighbours
    )
    ranked = np.full((n, width), _EMPTY, dtype=np.uint64)
    ranked[owners, slots] = _entry_keys(canonical, neighbours)
    ranked.sort(axis=1)
    result = ranked[:, :kept].copy()
    full = np.flatnonzero(state[:, width - 1] != _EMPTY)
    kth = _key_values(result[full, kept - 1]).astype(np.float64)
    last = _key_values(state[full, width - 1]).astype(np.float64)
    doubtful = full[~(kth > last + data.margin)]
    if doubtful.size:
        _recheck_topk(scanner, doubtful, result)
    return result


def _recheck_topk(scanner: _BlockScanner, positions: I64, result: npt.NDArray[np.uint64]) -> None:
    """Exact top-k of the claims at ``positions`` against every claim, in place.

    ``result[positions]`` holds canonical keys of real neighbours, so its last
    value is a lower bound on the true k-th score: only entries whose GEMM
    value reaches it minus the margin can belong, and those are re-checked.
    """
    data = scanner.data
    kept = result.shape[1]
    side = scanner.side
    bounds = [*range(0, data.n, side), data.n]
    for start in range(0, positions.shape[0], side):
        mine = positions[start : start + side]
        left = data.embeddings[scanner.original(mine)]
        floor = _key_values(result[mine, kept - 1]).astype(np.float64) - data.margin
        cuts = _round_down_f32(floor)
        owners: list[I64] = []
        found: list[I64] = []
        for c0, c1 in itertools.pairwise(bounds):
            # np.dot: np.matmul takes a slow non-BLAS loop for a few rows here.
            scores = np.dot(left, scanner.rows(c0, c1, scanner.main.col_buffer).T)
            a, b = np.nonzero(scores >= cuts[:, None])
            ok = _pair_allowed(data, mine[a], c0 + b)
            owners.append(a[ok])
            found.append(c0 + b[ok])
        local = np.concatenate(owners)
        others = scanner.original(np.concatenate(found))
        canonical = scanner.main.canonical.scores(
            data.embeddings, scanner.original(mine[local]), data.embeddings, others
        )
        state = np.full((mine.shape[0], kept), _EMPTY, dtype=np.uint64)
        _merge_keys(state, np.arange(mine.shape[0]), local, _entry_keys(canonical, others))
        result[mine] = state


# ---------------------------------------------------------------------------
# Pairs


def _pairs_from_parts(rows: list[I64], cols: list[I64], scores: list[F32]) -> PairSet:
    """Concatenate per-block pairs (original indices) into a sorted PairSet."""
    if not rows:
        return PairSet(
            rows=np.empty(0, dtype=np.int64),
            cols=np.empty(0, dtype=np.int64),
            scores=np.empty(0, dtype=np.float32),
        )
    first = np.concatenate(rows)
    second = np.concatenate(cols)
    low = np.minimum(first, second)
    high = np.maximum(first, second)
    values = np.concatenate(scores)
    order = np.lexsort((high, low))
    return PairSet(rows=low[order], cols=high[order], scores=values[order])
