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
u)``, ``u = 2**-24``), so a GEMM value and the canonical value differ by at most
``margin = 2 * gamma * max_i |E_i|**2`` (4.6e-5 for unit vectors of dimension
384). Threshold mode takes the entries whose GEMM value is ``>= threshold -
margin`` and keeps those whose canonical score is ``>= threshold``. Top-k mode
keeps, per claim, the exact top-k so far by ``(canonical score desc, index
asc)``; a block entry is re-checked only if its GEMM value is at least

* the claim's current k-th canonical score ``- margin``, and
* the k-th best GEMM value among the claim's entries in this block (or, before
  the claim has any list, over a 256-entry subset of the block) ``- 2 *
  margin``,

because no entry below either bound can be in the final top-k. So results are
identical for every ``block_size``, equal to a brute-force ranking of the
canonical scores, and ties are broken by the lower original index.

Selection cost
--------------
Selection, not the GEMM, is the expensive part of top-k. Each block is read
once more to take the maximum of every 128-wide row tile; only tiles whose
maximum reaches a claim's bound are compared entry by entry (the whole block
when more than a quarter of them can be). Candidates per claim over a whole
run are about ``k * (1 + ln(n / block_size))`` for unstructured data, and
they are ranked with packed ``uint64`` keys rather than ``lexsort``.

Memory
------
Besides the inputs and the outputs (the ``PairSet`` arrays, or the ``(n, k)``
top-k arrays, updated in place), the extra memory is a set of reused buffers:
a float32 score block, a boolean mask of the same size and a tile buffer of a
quarter of it (about ``6.25 * block_size**2`` bytes: 26 MB at the default
2048), two ``block_size x dim`` float32 row buffers and ``O(n)`` index
arrays. Candidate lists and their canonical re-check gathers come on top;
they are bounded by the block (re-check gathers by ``8 * max(block_size**2,
block_size * dim)`` bytes) and are usually a small fraction of it, but when
almost every entry of a block qualifies (a threshold near -1) they can reach
roughly ``100 * block_size**2`` bytes for a moment: use a smaller block for
such thresholds. The memory never grows with ``n`` beyond the ``O(n)`` arrays
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

import math
import numbers
from collections.abc import Iterator

import attrs
import numpy as np
import numpy.typing as npt
import scipy.sparse

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
# Number of columns (rows) over which a first lower bound on a row's k-th best
# score is taken, before that row has any exact top-k state.
_MIN_SUBSET = 256
# Width of the row tiles whose maxima decide which parts of a block to scan.
_TILE = 128


# ---------------------------------------------------------------------------
# Results


@attrs.frozen(slots=True, eq=False)
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


@attrs.frozen(slots=True, eq=False)
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


def cross_document_pairs(
    embeddings: npt.ArrayLike,
    groups: npt.ArrayLike,
    *,
    threshold: float,
    block_size: int = 2048,
    intervals: npt.ArrayLike | None = None,
    window: float | None = None,
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
        ``6.25 * block_size**2`` bytes (see the module notes). The result does
        not depend on it.
    intervals : array_like or None
        ``(n, 2)`` float64 ``[start, end]`` days (e.g. proleptic ordinals) of each
        claim; NaN marks an unknown (unbounded) end. Requires ``window``.
    window : float or None
        With ``intervals``: pairs whose intervals are more than ``window`` days
        apart are never returned.

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
    data = _Inputs.build(embeddings, groups, intervals, window)
    scanner = _BlockScanner(data, size)
    cut = _round_down_f32(np.array([limit - data.margin]))[0]
    found_rows: list[I64] = []
    found_cols: list[I64] = []
    found_scores: list[F32] = []
    for block in scanner.blocks():
        height, width = block.scores.shape
        entries, _, _ = scanner.candidates(
            block,
            np.full(height, cut, dtype=np.float32),
            np.full(width, np.inf, dtype=np.float32),
        )
        entries = entries.subset(scanner.eligible(block, entries.a, entries.b))
        exact = scanner.canonical_scores(block, entries.a, entries.b)
        keep = exact >= limit
        found_rows.append(scanner.original(block.row_start + entries.a[keep]))
        found_cols.append(scanner.original(block.col_start + entries.b[keep]))
        found_scores.append(exact[keep])
    return _pairs_from_parts(found_rows, found_cols, found_scores)


def cross_document_topk(
    embeddings: npt.ArrayLike,
    groups: npt.ArrayLike,
    *,
    k: int,
    block_size: int = 2048,
    intervals: npt.ArrayLike | None = None,
    window: float | None = None,
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
        ``6.25 * block_size**2`` bytes (see the module notes). The result does
        not depend on it.
    intervals : array_like or None
        ``(n, 2)`` float64 ``[start, end]`` days of each claim; NaN marks an
        unknown (unbounded) end. Requires ``window``.
    window : float or None
        With ``intervals``: claims whose intervals are more than ``window`` days
        apart are never neighbours.

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
    data = _Inputs.build(embeddings, groups, intervals, window)
    n = data.n
    kept = min(count, max(n - 1, 0))
    # State in processing order: exact top-`kept` so far, sentinel index n.
    best_scores: F32 = np.full((n, kept), _NEG_INF, dtype=np.float32)
    best_indices: I64 = np.full((n, kept), n, dtype=np.int64)
    if kept > 0:
        scanner = _BlockScanner(data, size)
        for block in scanner.blocks():
            _update_topk(scanner, block, best_scores, best_indices, data.margin)
    indices: I64 = np.full((n, count), -1, dtype=np.int64)
    scores: F32 = np.full((n, count), _NEG_INF, dtype=np.float32)
    found = np.where(best_indices == n, -1, best_indices)
    target = data.order if data.order is not None else slice(None)
    indices[target, :kept] = found
    scores[target, :kept] = best_scores
    return TopK(indices=indices, scores=scores)


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


# ---------------------------------------------------------------------------
# Blocks


@attrs.frozen(slots=True, eq=False)
class _Block:
    """One ``(R, C)`` block of GEMM scores between processing positions.

    ``scores[a, b]`` is the GEMM value of positions ``row_start + a`` and
    ``col_start + b``; ``padded`` is the contiguous ``(R, W)`` buffer holding it,
    with ``-inf`` in the ``W - C`` padding columns (``W`` a multiple of the tile
    width). ``left`` and ``right`` are the two sides' embeddings. Pairs that may
    not be reported are *not* masked: candidates are filtered with
    :meth:`_BlockScanner.eligible`.
    """

    row_start: int
    col_start: int
    scores: F32  # (R, C) view of `padded`
    padded: F32  # (R, W) view of a reused buffer
    left: F32  # (R, dim)
    right: F32  # (C, dim), never the same memory as `left`


@attrs.frozen(slots=True, eq=False)
class _Entries:
    """Block entries: local rows ``a``, local columns ``b``, GEMM values."""

    a: I64
    b: I64
    values: F32

    def subset(self, keep: Bool | I64) -> _Entries:
        return _Entries(self.a[keep], self.b[keep], self.values[keep])


class _BlockScanner:
    """Iterates the upper-triangle blocks, reusing preallocated buffers."""

    def __init__(self, data: _Inputs, block_size: int) -> None:
        n, dim = int(data.embeddings.shape[0]), int(data.embeddings.shape[1])
        side = max(1, min(block_size, n))
        tile = min(_TILE, side)
        width = -(-side // tile) * tile
        self._data = data
        self._tile = tile
        self._scores: F32 = np.empty(side * width, dtype=np.float32)
        self._mask: Bool = np.empty(side * width, dtype=np.bool_)
        self._tiles: F32 = np.empty((side * width) // 4 + tile, dtype=np.float32)
        self._row_buffer: F32 = np.empty((side, dim), dtype=np.float32)
        self._col_buffer: F32 = np.empty((side, dim), dtype=np.float32)
        # Canonical re-check gathers: at most max(side**2, side * dim) floats each.
        self._chunk = max(side, (side * side) // max(dim, 1))
        self._gather_a: F32 = np.empty((0, dim), dtype=np.float32)
        self._gather_b: F32 = np.empty((0, dim), dtype=np.float32)
        bounds = np.arange(0, n, side)
        self._bounds: list[int] = [*bounds.tolist(), n]
        self._end_max: F64 | None = None
        if data.ends is not None and n:
            self._end_max = np.maximum.reduceat(data.ends, bounds)

    def _rows(self, start: int, stop: int, buffer: F32) -> F32:
        """Embeddings of processing positions ``[start, stop)``."""
        data = self._data
        if data.order is None:
            return data.embeddings[start:stop]
        out = buffer[: stop - start]
        np.take(data.embeddings, data.order[start:stop], axis=0, out=out, mode="clip")
        return out

    def blocks(self) -> Iterator[_Block]:
        """Yield every block ``(r, c)``, ``c >= r``, that may hold a valid pair.

        With intervals, positions are sorted by start, so once a column block
        starts more than ``window`` after every end in the row block, so do all
        later ones: they are skipped without computing anything.
        """
        data = self._data
        bounds = self._bounds
        count = len(bounds) - 1
        for r in range(count):
            r0, r1 = bounds[r], bounds[r + 1]
            left = self._rows(r0, r1, self._row_buffer)
            for c in range(r, count):
                c0, c1 = bounds[c], bounds[c + 1]
                if (
                    data.starts is not None
                    and self._end_max is not None
                    and data.starts[c0] > self._end_max[r] + data.window
                ):
                    break
                if c == r:
                    # A separate copy: numpy would take its syrk path for
                    # `a @ a.T` on one array (crashes for large n, numpy #19685).
                    right = self._col_buffer[: c1 - c0]
                    np.copyto(right, left)
                else:
                    right = self._rows(c0, c1, self._col_buffer)
                height, width = r1 - r0, c1 - c0
                padded_width = -(-width // self._tile) * self._tile
                padded = self._scores[: height * padded_width].reshape(height, padded_width)
                scores = padded[:, :width]
                np.matmul(left, right.T, out=scores)
                padded[:, width:] = _NEG_INF
                yield _Block(r0, c0, scores, padded, left, right)

    def candidates(
        self, block: _Block, row_cuts: F32, col_cuts: F32
    ) -> tuple[_Entries, Bool, Bool]:
        """Entries ``>= row_cuts[a]`` or ``>= col_cuts[b]``, and which of the two.

        Returns the entries and two flags: at or above the row's cut, at or
        above the column's cut. The block is cut into row tiles ``_TILE``
        columns wide and only tiles whose maximum reaches the cut (for columns:
        the lowest cut under the tile) are compared, so a block costs one
        reduction pass plus the tiles that can hold a candidate.
        """
        padded = block.padded
        height, width = padded.shape
        count = width // self._tile
        cols = np.full(width, np.inf, dtype=np.float32)
        cols[: col_cuts.shape[0]] = col_cuts
        maxima = padded.reshape(height, count, self._tile).max(axis=2)
        lowest = cols.reshape(count, self._tile).min(axis=1)
        rows_flat = self._side_hits(padded, maxima >= row_cuts[:, None], row_cuts, per_row=True)
        cols_flat = self._side_hits(padded, maxima >= lowest[None, :], cols, per_row=False)
        flat = np.sort(np.concatenate((rows_flat, cols_flat)))
        flat = flat[np.append(True, flat[1:] != flat[:-1])] if flat.size else flat
        a, b = np.divmod(flat, width)
        values = padded.ravel()[flat]
        return _Entries(a, b, values), values >= row_cuts[a], values >= cols[b]

    def _side_hits(self, padded: F32, tile_hit: Bool, cuts: F32, *, per_row: bool) -> I64:
        """Flat indices of ``padded`` entries at or above per-row or per-column cuts.

        ``cuts`` is ``(R,)`` (``per_row``) or ``(W,)``; ``tile_hit`` ``(R, W /
        _TILE)`` marks the row tiles that may hold such an entry. When more
        than a quarter of them may, the whole block is compared in place;
        otherwise those tiles are gathered into a reused buffer first.
        """
        height, width = padded.shape
        tile = self._tile
        count = width // tile
        hit = np.flatnonzero(tile_hit)
        if 4 * hit.size > tile_hit.size:
            mask = self._mask[: height * width].reshape(height, width)
            np.greater_equal(padded, cuts[:, None] if per_row else cuts[None, :], out=mask)
            dense: I64 = np.flatnonzero(mask)
            return dense
        found = self._tiles[: hit.size * tile].reshape(hit.size, tile)
        np.take(padded.reshape(height * count, tile), hit, axis=0, out=found, mode="clip")
        tile_rows, tile_cols = np.divmod(hit, count)
        bound = cuts[tile_rows][:, None] if per_row else cuts.reshape(count, tile)[tile_cols]
        mask = self._mask[: hit.size * tile].reshape(hit.size, tile)
        np.greater_equal(found, bound, out=mask)
        which, offset = np.divmod(np.flatnonzero(mask), tile)
        sparse: I64 = tile_rows[which] * width + tile_cols[which] * tile + offset
        return sparse

    def eligible(self, block: _Block, a: I64, b: I64) -> Bool:
        """Whether local pairs ``(a, b)`` (broadcastable) may be reported.

        True when the row position is below the column position, the groups
        differ, and (with intervals) the gap is at most ``window``. Positions
        are sorted by start, so for ``i < j`` the gap is ``max(0, start_j - end_i)``.
        """
        data = self._data
        i = block.row_start + a
        j = block.col_start + b
        ok: Bool = (i < j) & (data.groups[i] != data.groups[j])
        if data.starts is not None and data.ends is not None:
            ok &= ~(data.starts[j] - data.ends[i] > data.window)
        return ok

    def original(self, positions: I64) -> I64:
        """Original row indices of processing positions."""
        order = self._data.order
        return positions if order is None else order[positions]

    def canonical_scores(self, block: _Block, a: I64, b: I64) -> F32:
        """Canonical float32 scores of local pairs ``(a, b)`` of ``block``.

        Always ``einsum('ij,ij->i')`` of the two embedding rows (products
        commute, so the order of the pair does not matter), in chunks through
        reused gather buffers, so a pair's score never depends on the block or
        batch it is found in.
        """
        total = int(a.shape[0])
        result: F32 = np.empty(total, dtype=np.float32)
        if self._gather_a.shape[0] < min(total, self._chunk):
            shape = (min(total, self._chunk), self._gather_a.shape[1])
            self._gather_a = np.empty(shape, dtype=np.float32)
            self._gather_b = np.empty(shape, dtype=np.float32)
        step = max(1, self._gather_a.shape[0])
        for start in range(0, total, step):
            stop = min(start + step, total)
            first = self._gather_a[: stop - start]
            second = self._gather_b[: stop - start]
            np.take(block.left, a[start:stop], axis=0, out=first, mode="clip")
            np.take(block.right, b[start:stop], axis=0, out=second, mode="clip")
            np.einsum("ij,ij->i", first, second, out=result[start:stop])
        return result


# ---------------------------------------------------------------------------
# Top-k


def _kth_largest_rows(values: F32, kth: int) -> F64:
    """k-th largest of each row of ``(w, s)`` values, or -inf if ``s < kth``."""
    width = values.shape[1]
    if width < kth:
        return np.full(values.shape[0], -np.inf)
    part = np.partition(values, width - kth, axis=1)
    result: F64 = part[:, width - kth].astype(np.float64)
    return result


def _weak_bounds(
    scanner: _BlockScanner, block: _Block, weak: I64, kth: int, *, per_row: bool
) -> F64:
    """Lower bounds on the block's k-th best GEMM value for receivers ``weak``.

    Receivers without any exact top-k state yet get the k-th best eligible
    value over a subset of the block: its last columns (receivers are rows) or
    its first rows (receivers are columns), which is where pairs satisfy
    ``row < col`` on a diagonal block.
    """
    height, width = block.scores.shape
    span = max(_MIN_SUBSET, 4 * kth)
    if per_row:
        others = np.arange(max(0, width - span), width)
        subset = block.scores[weak[:, None], others[None, :]]
        ok = scanner.eligible(block, weak[:, None], others[None, :])
    else:
        others = np.arange(min(height, span))
        subset = block.scores[others[None, :], weak[:, None]]
        ok = scanner.eligible(block, others[None, :], weak[:, None])
    np.copyto(subset, _NEG_INF, where=~ok)
    return _kth_largest_rows(subset, kth)


def _receiver_cuts(
    scanner: _BlockScanner, block: _Block, state: F32, margin: float, *, per_row: bool
) -> F64:
    """Per receiver, a value below which no GEMM entry can enter its top-k.

    ``state`` holds the receivers' exact top-k canonical scores so far. A new
    neighbour ``j`` can enter only if its canonical score is at least the
    current k-th (``state[:, -1]``) and at least the block's k-th best canonical
    score, which is at least (k-th best GEMM value over any subset of the
    block) ``- margin``; GEMM values are within ``margin`` of canonical ones.
    """
    kth = state.shape[1]
    current = state[:, -1].astype(np.float64)
    cuts: F64 = current - margin
    weak = np.flatnonzero(np.isneginf(current))
    if weak.size:
        bounds = _weak_bounds(scanner, block, weak, kth, per_row=per_row)
        cuts[weak] = bounds - 2.0 * margin
    return cuts


def _descending_keys(values: F32) -> npt.NDArray[np.uint64]:
    """uint64 keys that sort float32 values descending (``-0.0`` equals ``0.0``)."""
    bits = (values + np.float32(0.0)).view(np.uint32)
    ascending = np.where(bits & np.uint32(0x80000000), ~bits, bits | np.uint32(0x80000000))
    return (~ascending).astype(np.uint64)


def _value_of_keys(keys: npt.NDArray[np.uint64]) -> F32:
    """Invert :func:`_descending_keys` (on the low 32 bits of ``keys``)."""
    ascending = ~(keys & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    bits = np.where(
        ascending & np.uint32(0x80000000), ascending & np.uint32(0x7FFFFFFF), ~ascending
    )
    values: F32 = bits.view(np.float32)
    return values


def _grouped_keys(groups: I64, values: F32) -> npt.NDArray[np.uint64]:
    """Keys sorting by group ascending, then value descending (groups < 2**31)."""
    return (groups.astype(np.uint64) << np.uint64(32)) | _descending_keys(values)


def _ranks_in_groups(sorted_groups: I64) -> I64:
    """Position of each element within its run of equal (sorted) groups."""
    total = sorted_groups.shape[0]
    new = np.ones(total, dtype=np.bool_)
    new[1:] = sorted_groups[1:] != sorted_groups[:-1]
    firsts = np.flatnonzero(new)
    sizes = np.diff(np.append(firsts, total))
    ranks: I64 = np.arange(total) - np.repeat(firsts, sizes)
    return ranks


def _refine(receivers: I64, values: F32, cuts: F64, kth: int, margin: float) -> Bool:
    """Keep the entries that can still enter their receiver's top-k.

    Where a receiver has at least ``k`` entries in this block, the k-th best
    of them is the block's k-th best GEMM value ``G``, so entries below
    ``G - 2 * margin`` cannot be in the receiver's final top-k either.
    """
    keys = np.sort(_grouped_keys(receivers, values))
    owners = (keys >> np.uint64(32)).astype(np.int64)
    at_kth = _ranks_in_groups(owners) == kth - 1
    refined = cuts.copy()
    owners = owners[at_kth]
    kth_values = _value_of_keys(keys[at_kth]).astype(np.float64)
    refined[owners] = np.maximum(cuts[owners], kth_values - 2.0 * margin)
    keep: Bool = values >= _round_down_f32(refined)[receivers]
    return keep


def _update_topk(
    scanner: _BlockScanner,
    block: _Block,
    best_scores: F32,
    best_indices: I64,
    margin: float,
) -> None:
    """Merge one block's contributions into the top-k of its rows and columns.

    Each block entry ``(a, b)`` is a candidate for row ``a``'s list and for
    column ``b``'s list: the dot product is computed once for both.
    """
    height, width = block.scores.shape
    r0, c0 = block.row_start, block.col_start
    kth = best_scores.shape[1]
    row_cuts = _receiver_cuts(scanner, block, best_scores[r0 : r0 + height], margin, per_row=True)
    col_cuts = _receiver_cuts(scanner, block, best_scores[c0 : c0 + width], margin, per_row=False)
    entries, for_rows, for_cols = scanner.candidates(
        block, _round_down_f32(row_cuts), _round_down_f32(col_cuts)
    )
    ok = scanner.eligible(block, entries.a, entries.b)
    entries, for_rows, for_cols = entries.subset(ok), for_rows[ok], for_cols[ok]
    for_rows[for_rows] = _refine(
        entries.a[for_rows], entries.values[for_rows], row_cuts, kth, margin
    )
    for_cols[for_cols] = _refine(
        entries.b[for_cols], entries.values[for_cols], col_cuts, kth, margin
    )
    either = for_rows | for_cols
    if not either.any():
        return
    entries, for_rows, for_cols = entries.subset(either), for_rows[either], for_cols[either]
    exact = scanner.canonical_scores(block, entries.a, entries.b)
    # Receivers as local ids: block rows first, then block columns (the same
    # ids on a diagonal block, whose rows and columns are the same positions).
    diagonal = r0 == c0
    offset = 0 if diagonal else height
    positions = np.arange(r0, r0 + height)
    if not diagonal:
        positions = np.concatenate((positions, np.arange(c0, c0 + width)))
    receivers = np.concatenate((entries.a[for_rows], offset + entries.b[for_cols]))
    neighbours = scanner.original(
        np.concatenate((c0 + entries.b[for_rows], r0 + entries.a[for_cols]))
    )
    found = np.concatenate((exact[for_rows], exact[for_cols]))
    _merge_topk(best_scores, best_indices, positions, receivers, neighbours, found)


def _merge_topk(
    best_scores: F32,
    best_indices: I64,
    positions: I64,
    receivers: I64,
    neighbours: I64,
    scores: F32,
) -> None:
    """Merge candidates into the running top-k of their receivers, in place.

    ``receivers`` index ``positions`` (processing positions of the state
    rows), ``neighbours`` are original indices (the tie-break key) and
    ``scores`` canonical. Every receiver keeps its best ``k`` by ``(score desc,
    neighbour asc)``; unused slots keep their padding (``-inf``, index ``n``).
    """
    kth = best_scores.shape[1]
    present = np.bincount(receivers, minlength=positions.shape[0]) > 0
    affected = positions[present]
    local = (np.cumsum(present) - 1)[receivers]
    old_scores = best_scores[affected]
    filled = np.isfinite(old_scores)
    old_rows = np.broadcast_to(np.arange(affected.shape[0])[:, None], old_scores.shape)
    all_rows = np.concatenate((old_rows[filled], local))
    all_scores = np.concatenate((old_scores[filled], scores))
    all_indices = np.concatenate((best_indices[affected][filled], neighbours))
    keys = _grouped_keys(all_rows, all_scores)
    order = np.argsort(keys)
    # Equal (row, score) keys are put in neighbour order.
    ordered = keys[order]
    same = ordered[1:] == ordered[:-1]
    tied = np.flatnonzero(np.append(same, False) | np.insert(same, 0, False))
    if tied.size:
        run = np.cumsum(~np.insert(same, 0, False)[tied])
        moved = order[tied]
        order[tied] = moved[np.lexsort((all_indices[moved], run))]
    rows = all_rows[order]
    rank = _ranks_in_groups(rows)
    keep = rank < kth
    chosen = order[keep]
    target = affected[rows[keep]]
    best_scores[target, rank[keep]] = all_scores[chosen]
    best_indices[target, rank[keep]] = all_indices[chosen]


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
