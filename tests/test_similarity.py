"""Tests of factcheck.similarity against a brute-force reference."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from factcheck import similarity
from factcheck.errors import ConfigError
from factcheck.similarity import (
    PairSet,
    TopK,
    cross_document_pairs,
    cross_document_topk,
    normalize_rows,
)

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---------------------------------------------------------------------------
# Brute-force reference


def canonical_matrix(embeddings: np.ndarray) -> np.ndarray:
    """(n, n) float32 canonical scores: einsum of each pair's two rows.

    Batched over all pairs at once; test_canonical_score_does_not_depend_on_batch
    checks that batching does not change a pair's bits.
    """
    n = embeddings.shape[0]
    scores = np.zeros((n, n), dtype=np.float32)
    rows, cols = np.triu_indices(n, k=1)
    values = np.einsum("ij,ij->i", embeddings[rows], embeddings[cols])
    scores[rows, cols] = values
    scores[cols, rows] = values
    return scores


def allowed_matrix(
    groups: np.ndarray, intervals: np.ndarray | None, window: float | None
) -> np.ndarray:
    """(n, n) bool: the pair may be reported (other group, within the window)."""
    allowed = groups[:, None] != groups[None, :]
    if intervals is not None and window is not None:
        starts = np.where(np.isnan(intervals[:, 0]), -np.inf, intervals[:, 0])
        ends = np.where(np.isnan(intervals[:, 1]), np.inf, intervals[:, 1])
        with np.errstate(invalid="ignore"):
            gap = np.maximum(starts[None, :] - ends[:, None], starts[:, None] - ends[None, :])
        allowed &= ~(gap > window)
    return allowed


def brute_pairs(embeddings, groups, threshold, intervals=None, window=None):
    scores = canonical_matrix(embeddings)
    allowed = allowed_matrix(groups, intervals, window)
    rows, cols = np.nonzero(np.triu(allowed & (scores >= threshold), k=1))
    return rows, cols, scores[rows, cols]


def brute_topk(embeddings, groups, k, intervals=None, window=None):
    n = embeddings.shape[0]
    scores = canonical_matrix(embeddings)
    allowed = allowed_matrix(groups, intervals, window)
    indices = np.full((n, k), -1, dtype=np.int64)
    best = np.full((n, k), -np.inf, dtype=np.float32)
    for i in range(n):
        others = np.flatnonzero(allowed[i])
        ranked = others[np.lexsort((others, -scores[i, others]))][:k]
        indices[i, : ranked.size] = ranked
        best[i, : ranked.size] = scores[i, ranked]
    return indices, best


def assert_pairs_equal(found: PairSet, expected) -> None:
    rows, cols, scores = expected
    assert found.rows.dtype == np.int64
    assert found.cols.dtype == np.int64
    assert found.scores.dtype == np.float32
    np.testing.assert_array_equal(found.rows, rows)
    np.testing.assert_array_equal(found.cols, cols)
    np.testing.assert_array_equal(found.scores, scores)


def assert_topk_equal(found: TopK, expected) -> None:
    indices, scores = expected
    assert found.indices.dtype == np.int64
    assert found.scores.dtype == np.float32
    np.testing.assert_array_equal(found.indices, indices)
    np.testing.assert_array_equal(found.scores, scores)


# ---------------------------------------------------------------------------
# Strategies


@st.composite
def claim_sets(draw: Any, *, max_n: int = 28, unit: bool = True) -> dict[str, Any]:
    """Embeddings (with many exact ties), groups and a block size."""
    n = draw(st.integers(0, max_n))
    dim = draw(st.integers(1, 6))
    pool_size = draw(st.integers(1, 6))
    pool = draw(
        hnp.arrays(np.int8, (pool_size, dim), elements=st.integers(-2, 2)).map(
            lambda a: a.astype(np.float64)
        )
    )
    choice = draw(hnp.arrays(np.int64, n, elements=st.integers(0, pool_size - 1)))
    noise = draw(st.booleans())
    embeddings = pool[choice]
    if noise:
        rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
        embeddings = embeddings + rng.normal(scale=0.3, size=embeddings.shape)
    embeddings = normalize_rows(embeddings) if unit else embeddings.astype(np.float32)
    groups = draw(hnp.arrays(np.int64, n, elements=st.integers(0, 4)))
    block_size = draw(st.integers(1, n + 3))
    return {"embeddings": embeddings, "groups": groups, "block_size": block_size}


@st.composite
def intervals_for(draw: Any, n: int) -> np.ndarray:
    starts = draw(hnp.arrays(np.float64, n, elements=st.integers(0, 40).map(float)))
    lengths = draw(hnp.arrays(np.float64, n, elements=st.integers(0, 5).map(float)))
    intervals = np.stack([starts, starts + lengths], axis=1)
    unknown = draw(hnp.arrays(np.int8, n, elements=st.integers(0, 5)))
    intervals[unknown == 1, 0] = np.nan
    intervals[unknown == 2, 1] = np.nan
    intervals[unknown == 3] = np.nan
    return intervals


# ---------------------------------------------------------------------------
# Equal to brute force, for every block size


@SETTINGS
@given(claim_sets(), st.floats(-1.0, 1.0), st.booleans())
def test_pairs_equal_brute_force(case: dict[str, Any], threshold: float, on_score: bool) -> None:
    embeddings, groups = case["embeddings"], case["groups"]
    scores = canonical_matrix(embeddings)[np.triu_indices(embeddings.shape[0], k=1)]
    if on_score and scores.size:
        # A threshold exactly on an existing score: membership is decided by
        # the canonical score (>=), not by the block's GEMM rounding.
        threshold = float(np.clip(scores[len(scores) // 2], -1.0, 1.0))
    found = cross_document_pairs(
        embeddings, groups, threshold=threshold, block_size=case["block_size"]
    )
    assert_pairs_equal(found, brute_pairs(embeddings, groups, threshold))


@SETTINGS
@given(claim_sets(unit=False), st.integers(1, 8))
def test_topk_equal_brute_force(case: dict[str, Any], k: int) -> None:
    found = cross_document_topk(
        case["embeddings"], case["groups"], k=k, block_size=case["block_size"]
    )
    assert_topk_equal(found, brute_topk(case["embeddings"], case["groups"], k))


@SETTINGS
@given(claim_sets(), st.data())
def test_time_window_equal_brute_force(case: dict[str, Any], data: st.DataObject) -> None:
    n = case["embeddings"].shape[0]
    intervals = data.draw(intervals_for(n))
    window = data.draw(st.sampled_from([0.0, 1.0, 3.5, 10.0, np.inf]))
    k = data.draw(st.integers(1, 6))
    threshold = data.draw(st.floats(-1.0, 1.0))
    options = {"block_size": case["block_size"], "intervals": intervals, "window": window}
    pairs = cross_document_pairs(case["embeddings"], case["groups"], threshold=threshold, **options)
    top = cross_document_topk(case["embeddings"], case["groups"], k=k, **options)
    args = (case["embeddings"], case["groups"])
    assert_pairs_equal(pairs, brute_pairs(*args, threshold, intervals, window))
    assert_topk_equal(top, brute_topk(*args, k, intervals, window))


@SETTINGS
@given(claim_sets(max_n=24), st.data())
def test_results_identical_for_every_block_size(case: dict[str, Any], data: st.DataObject) -> None:
    """Block size and worker count change how the work is cut, never the result."""
    embeddings, groups = case["embeddings"], case["groups"]
    n = embeddings.shape[0]
    sizes = data.draw(st.lists(st.integers(1, n + 3), min_size=2, max_size=3))
    workers = data.draw(st.lists(st.integers(1, 3), min_size=len(sizes), max_size=len(sizes)))
    runs = list(zip(sizes, workers, strict=True))
    pairs = [
        cross_document_pairs(embeddings, groups, threshold=0.2, block_size=b, workers=w)
        for b, w in runs
    ]
    tops = [cross_document_topk(embeddings, groups, k=3, block_size=b, workers=w) for b, w in runs]
    for other in pairs[1:]:
        assert_pairs_equal(other, (pairs[0].rows, pairs[0].cols, pairs[0].scores))
    for top in tops[1:]:
        assert_topk_equal(top, (tops[0].indices, tops[0].scores))


@pytest.mark.parametrize("block_size", [130, 300, 700])
def test_large_blocks_equal_brute_force(block_size: int) -> None:
    """Blocks large enough for chunked witness cuts, with exact ties."""
    rng = np.random.default_rng(5)
    n = 700
    embeddings = normalize_rows(rng.normal(size=(n, 8)))
    embeddings[500:600] = embeddings[:100]
    groups = rng.integers(0, 60, n)
    expected_pairs = brute_pairs(embeddings, groups, 0.8)
    expected_top = brute_topk(embeddings, groups, 7)
    pairs = cross_document_pairs(embeddings, groups, threshold=0.8, block_size=block_size)
    assert_pairs_equal(pairs, expected_pairs)
    top = cross_document_topk(embeddings, groups, k=7, block_size=block_size)
    assert_topk_equal(top, expected_top)


def test_ties_beyond_the_spare_slots_are_rechecked(monkeypatch: pytest.MonkeyPatch) -> None:
    """More exact ties than a claim keeps by GEMM value force the exact re-rank."""
    rng = np.random.default_rng(17)
    n = 400
    embeddings = normalize_rows(rng.normal(size=(n, 24)))
    embeddings[::10] = embeddings[0]  # 40 copies, each in its own document
    groups = np.arange(n) // 10 + 1000 * (np.arange(n) % 10 == 0)
    calls = []
    recheck = similarity._recheck_topk

    def spy(scanner: Any, positions: np.ndarray, result: np.ndarray) -> None:
        calls.append(positions.size)
        recheck(scanner, positions, result)

    monkeypatch.setattr(similarity, "_recheck_topk", spy)
    expected = brute_topk(embeddings, groups, 6)
    for block_size in (7, 64, 400):
        top = cross_document_topk(embeddings, groups, k=6, block_size=block_size)
        assert_topk_equal(top, expected)
    assert calls
    assert min(calls) >= 40  # every copy has 39 equal best scores
    copies = expected[1][::10]
    assert (copies == copies[:, :1]).all()


@pytest.mark.parametrize("side", [1, 255, 256, 600, 2048])
def test_diagonal_blocks_skip_most_of_the_lower_triangle(side: int) -> None:
    """Diagonal blocks are multiplied in row strips: every upper-triangle value
    is a real product, and what is left out is -inf, never a stale value."""
    rng = np.random.default_rng(side)
    rows = normalize_rows(rng.normal(size=(side, 16)))
    out = np.full((side, side), 7.0, dtype=np.float32)
    similarity._upper_scores(rows, rows.copy(), out)
    exact = rows.astype(np.float64) @ rows.astype(np.float64).T
    upper = np.triu(np.ones((side, side), dtype=bool))
    assert np.abs(out[upper] - exact[upper]).max() < 1e-5
    computed = out != -np.inf
    assert computed[upper].all()
    assert np.abs(out[computed] - exact[computed]).max() < 1e-5
    strips = max(1, min(8, side // 256))
    # Strips of equal height do (1 + 1/strips) / 2 of the square's products.
    assert computed.mean() <= (1 + 1 / strips) / 2 + 1 / side


def test_first_diagonal_block_with_large_strips_equal_brute_force() -> None:
    """Claims in the last strip of the first block meet their earlier pairs
    only in their columns; their witness cuts still hold."""
    rng = np.random.default_rng(31)
    n = 1100
    embeddings = normalize_rows(rng.normal(size=(n, 12)))
    groups = np.arange(n) // 3
    expected = brute_topk(embeddings, groups, 9)
    for block_size in (1024, 1100):
        top = cross_document_topk(embeddings, groups, k=9, block_size=block_size)
        assert_topk_equal(top, expected)


def test_scattered_groups_equal_brute_force() -> None:
    """Documents whose claims are not contiguous rows (witness chunks then
    contain a claim's own document)."""
    rng = np.random.default_rng(23)
    n = 1200
    centers = rng.normal(size=(60, 16))
    embeddings = normalize_rows(centers[rng.integers(0, 60, n)] + rng.normal(size=(n, 16)))
    groups = rng.integers(0, 25, n) * 7 - 40
    expected = brute_topk(embeddings, groups, 5)
    for block_size in (200, 1200):
        assert_topk_equal(
            cross_document_topk(embeddings, groups, k=5, block_size=block_size), expected
        )


def test_ties_broken_by_lower_index() -> None:
    embeddings = normalize_rows([[1.0, 0.0]] * 6)
    groups = np.array([0, 1, 1, 2, 2, 0])
    for block_size in (1, 2, 4, 6):
        top = cross_document_topk(embeddings, groups, k=3, block_size=block_size)
        assert top.indices.tolist() == [
            [1, 2, 3],
            [0, 3, 4],
            [0, 3, 4],
            [0, 1, 2],
            [0, 1, 2],
            [1, 2, 3],
        ]
        assert (top.scores == np.float32(1.0)).all()


def test_canonical_score_does_not_depend_on_batch() -> None:
    """The canonical formula gives each pair the same bits alone or batched."""
    rng = np.random.default_rng(7)
    for dim in (1, 3, 17, 64, 385):
        matrix = rng.normal(size=(50, dim)).astype(np.float32)
        first = rng.integers(0, 50, 200)
        second = rng.integers(0, 50, 200)
        batched = np.einsum("ij,ij->i", matrix[first], matrix[second])
        alone = [
            np.einsum("ij,ij->i", matrix[[a]], matrix[[b]])[0]
            for a, b in zip(first, second, strict=True)
        ]
        swapped = np.einsum("ij,ij->i", matrix[second], matrix[first])
        np.testing.assert_array_equal(batched, np.array(alone, dtype=np.float32))
        np.testing.assert_array_equal(batched, swapped)


def test_canonical_scores_split_across_workers_keep_their_bits() -> None:
    """Large re-scorings are split into one part per worker, through gathers
    smaller than the batch; every score keeps the canonical formula's bits."""
    rng = np.random.default_rng(11)
    matrix = rng.normal(size=(300, 40)).astype(np.float32)
    first = rng.integers(0, 300, 140_000)
    second = rng.integers(0, 300, 140_000)
    expected = np.einsum("ij,ij->i", matrix[first], matrix[second])
    data = similarity._Inputs.build(matrix, np.arange(300), None, None)
    scanner = similarity._BlockScanner(data, 64, workers=3)
    got = scanner.canonical_scores(matrix, first, matrix, second)
    np.testing.assert_array_equal(got, expected)


def test_scores_close_to_float64() -> None:
    rng = np.random.default_rng(3)
    embeddings = normalize_rows(rng.normal(size=(300, 48)))
    groups = np.arange(300) // 7
    pairs = cross_document_pairs(embeddings, groups, threshold=0.2, block_size=64)
    assert len(pairs) > 0
    exact = np.einsum(
        "ij,ij->i",
        embeddings[pairs.rows].astype(np.float64),
        embeddings[pairs.cols].astype(np.float64),
    )
    np.testing.assert_allclose(pairs.scores, exact, atol=1e-5)


# ---------------------------------------------------------------------------
# Properties


@SETTINGS
@given(claim_sets(), st.floats(-1.0, 1.0), st.integers(1, 5))
def test_structure_and_symmetry(case: dict[str, Any], threshold: float, k: int) -> None:
    embeddings, groups = case["embeddings"], case["groups"]
    n = embeddings.shape[0]
    pairs = cross_document_pairs(
        embeddings, groups, threshold=threshold, block_size=case["block_size"]
    )
    assert (pairs.rows < pairs.cols).all()
    assert (groups[pairs.rows] != groups[pairs.cols]).all()
    order = np.lexsort((pairs.cols, pairs.rows))
    np.testing.assert_array_equal(order, np.arange(len(pairs)))
    if n:
        coo = pairs.to_coo(n)
        assert coo.shape == (n, n)
        dense = coo.toarray()
        np.testing.assert_array_equal(dense, dense.T)
        assert coo.nnz == 2 * len(pairs)

    top = cross_document_topk(embeddings, groups, k=k, block_size=case["block_size"])
    assert top.indices.shape == top.scores.shape == (n, k)
    valid = top.indices >= 0
    assert (np.isneginf(top.scores) == ~valid).all()
    rows = np.broadcast_to(np.arange(n)[:, None], (n, k))
    assert (groups[rows[valid]] != groups[top.indices[valid]]).all()
    # Sorted by score descending, ties by index ascending, padding last.
    for i in range(n):
        entries = list(zip(-top.scores[i][valid[i]], top.indices[i][valid[i]], strict=True))
        assert entries == sorted(entries)
        assert valid[i].tolist() == sorted(valid[i].tolist(), reverse=True)
    # Every top-k entry is a pair at its own score, with the same score there.
    if valid.any():
        lowest = float(top.scores[valid].min())
        graph = cross_document_pairs(embeddings, groups, threshold=min(max(lowest, -1.0), 1.0))
        known = {
            (int(a), int(b)): s
            for a, b, s in zip(graph.rows, graph.cols, graph.scores, strict=True)
        }
        for i, j in zip(rows[valid], top.indices[valid], strict=True):
            score = top.scores[i][top.indices[i] == j][0]
            assert known[(min(i, j), max(i, j))] == score


@SETTINGS
@given(claim_sets(), st.randoms(use_true_random=False), st.integers(1, 4))
def test_permuting_rows_permutes_results(case: dict[str, Any], random: Any, k: int) -> None:
    embeddings, groups = case["embeddings"], case["groups"]
    n = embeddings.shape[0]
    permutation = np.array(random.sample(range(n), n), dtype=np.int64)
    # New row p is old row permutation[p].
    moved = embeddings[permutation]
    moved_groups = groups[permutation]
    pairs = cross_document_pairs(embeddings, groups, threshold=0.1)
    moved_pairs = cross_document_pairs(moved, moved_groups, threshold=0.1, block_size=2)
    before = {
        (int(a), int(b)): s for a, b, s in zip(pairs.rows, pairs.cols, pairs.scores, strict=True)
    }
    after = {
        tuple(sorted((int(permutation[a]), int(permutation[b])))): s
        for a, b, s in zip(moved_pairs.rows, moved_pairs.cols, moved_pairs.scores, strict=True)
    }
    assert before == after

    top = cross_document_topk(embeddings, groups, k=k)
    moved_top = cross_document_topk(moved, moved_groups, k=k, block_size=3)
    np.testing.assert_array_equal(moved_top.scores, top.scores[permutation])
    # Ties may resolve differently (by index); entries strictly above each
    # row's k-th score cannot.
    for p in range(n):
        old = permutation[p]
        kth = top.scores[old, -1]
        strict = {int(j) for j, s in zip(top.indices[old], top.scores[old], strict=True) if s > kth}
        moved_strict = {
            int(permutation[j])
            for j, s in zip(moved_top.indices[p], moved_top.scores[p], strict=True)
            if s > kth
        }
        assert strict == moved_strict


def test_same_group_never_paired() -> None:
    embeddings = normalize_rows([[1.0, 0.0]] * 4 + [[0.0, 1.0]] * 2)
    groups = np.array([3, 3, 3, 3, 5, 5])
    assert len(cross_document_pairs(embeddings, groups, threshold=-1.0)) == 8
    assert len(cross_document_pairs(embeddings, groups, threshold=0.5)) == 0
    top = cross_document_topk(embeddings, groups, k=5)
    assert top.indices[0].tolist() == [4, 5, -1, -1, -1]
    assert top.indices[4].tolist() == [0, 1, 2, 3, -1]


def test_edge_sizes() -> None:
    empty = np.zeros((0, 4), dtype=np.float32)
    assert len(cross_document_pairs(empty, np.zeros(0, dtype=np.int64), threshold=0.0)) == 0
    top = cross_document_topk(empty, np.zeros(0, dtype=np.int64), k=2)
    assert top.indices.shape == (0, 2)
    one = normalize_rows([[1.0, 2.0]])
    top = cross_document_topk(one, [0], k=3)
    assert top.indices.tolist() == [[-1, -1, -1]]
    assert np.isneginf(top.scores).all()
    assert cross_document_pairs(one, [0], threshold=0.0).to_coo(1).nnz == 0


def test_accepts_castable_inputs() -> None:
    as_float64 = np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0]])
    expected = cross_document_pairs(as_float64.astype(np.float32), [0, 1, 2], threshold=0.5)
    found = cross_document_pairs(as_float64, [0, 1, 2], threshold=0.5)
    assert_pairs_equal(found, (expected.rows, expected.cols, expected.scores))
    found = cross_document_pairs([[1, 0], [1, 0]], np.array([0, 1], dtype=np.uint8), threshold=1)
    assert found.rows.tolist() == [0]
    assert found.scores.tolist() == [1.0]


# ---------------------------------------------------------------------------
# Time-aware mode


def test_time_window_inside_outside_and_unknown() -> None:
    embeddings = normalize_rows([[1.0, 0.0]] * 5)
    groups = np.arange(5)
    nan = np.nan
    intervals = np.array(
        [
            [0.0, 0.0],  # 0
            [2.0, 3.0],  # 1: 2 days after 0
            [10.0, 12.0],  # 2: 7 days after 1
            [nan, nan],  # 3: unknown, compared with everything
            [nan, 1.0],  # 4: ends on day 1, start unknown
        ]
    )
    for block_size in (1, 2, 5):
        pairs = cross_document_pairs(
            embeddings,
            groups,
            threshold=0.5,
            block_size=block_size,
            intervals=intervals,
            window=2.0,
        )
        found = set(zip(pairs.rows.tolist(), pairs.cols.tolist(), strict=True))
        assert found == {(0, 1), (0, 3), (0, 4), (1, 3), (1, 4), (2, 3), (3, 4)}
        top = cross_document_topk(
            embeddings, groups, k=4, block_size=block_size, intervals=intervals, window=2.0
        )
        assert top.indices[2].tolist() == [3, -1, -1, -1]
        assert top.indices[3].tolist() == [0, 1, 2, 4]
    everything = cross_document_pairs(
        embeddings, groups, threshold=0.5, intervals=intervals, window=np.inf
    )
    assert len(everything) == 10


def test_time_window_skips_far_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(11)
    n = 320
    embeddings = normalize_rows(rng.normal(size=(n, 16)))
    groups = np.arange(n) // 5
    starts = rng.uniform(0, 3000, n)
    intervals = np.stack([starts, starts + rng.uniform(0, 3, n)], axis=1)
    intervals[::50] = np.nan
    window = 20.0
    products = 0
    matmul = np.matmul

    def counting_matmul(*args: Any, **kwargs: Any) -> Any:
        nonlocal products
        products += 1
        return matmul(*args, **kwargs)

    monkeypatch.setattr(np, "matmul", counting_matmul)
    options = {"block_size": 32, "intervals": intervals, "window": window, "workers": 1}
    pairs = cross_document_pairs(embeddings, groups, threshold=0.3, **options)
    # 10 row blocks: 55 upper-triangle blocks; sorted by start, a row block
    # meets its own and the next block, plus the first block (unknown dates).
    assert products <= 10 + 2 * 9
    top = cross_document_topk(embeddings, groups, k=4, **options)
    monkeypatch.undo()
    args = (embeddings, groups)
    assert_pairs_equal(pairs, brute_pairs(*args, 0.3, intervals, window))
    assert_topk_equal(top, brute_topk(*args, 4, intervals, window))


# ---------------------------------------------------------------------------
# Realistic size


def test_chunking_invariance_at_realistic_size() -> None:
    rng = np.random.default_rng(2024)
    n, dim = 5000, 384
    centers = rng.normal(size=(400, dim))
    embeddings = normalize_rows(centers[rng.integers(0, 400, n)] + rng.normal(size=(n, dim)))
    embeddings[4000:4100] = embeddings[100:200]  # exact ties across documents
    groups = np.arange(n) // 30
    small = cross_document_pairs(embeddings, groups, threshold=0.45, block_size=256)
    whole = cross_document_pairs(embeddings, groups, threshold=0.45, block_size=5000)
    assert len(small) > 1000
    assert_pairs_equal(small, (whole.rows, whole.cols, whole.scores))
    small_top = cross_document_topk(embeddings, groups, k=10, block_size=256, workers=2)
    whole_top = cross_document_topk(embeddings, groups, k=10, block_size=5000, workers=1)
    assert_topk_equal(small_top, (whole_top.indices, whole_top.scores))


# ---------------------------------------------------------------------------
# Validation

GOOD = normalize_rows(np.eye(3))
GROUPS = np.array([0, 1, 2])


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"embeddings": np.ones(3, dtype=np.float32)}, "embeddings"),
        ({"embeddings": np.ones((3, 2, 1), dtype=np.float32)}, "embeddings"),
        ({"embeddings": np.array([[1.0, np.nan]] * 3)}, "embeddings"),
        ({"embeddings": np.array([[1.0, np.inf]] * 3)}, "embeddings"),
        ({"embeddings": np.array([[1e300, 0.0]] * 3)}, "embeddings"),
        ({"embeddings": np.array([["a", "b"]] * 3)}, "embeddings"),
        ({"embeddings": np.ones((3, 0), dtype=np.float32)}, "embeddings"),
        ({"groups": np.array([0, 1])}, "groups"),
        ({"groups": np.array([[0, 1, 2]])}, "groups"),
        ({"groups": np.array([0.0, 1.0, 2.0])}, "groups"),
        ({"threshold": 1.5}, "threshold"),
        ({"threshold": -1.01}, "threshold"),
        ({"threshold": float("nan")}, "threshold"),
        ({"threshold": "0.5"}, "threshold"),
        ({"threshold": True}, "threshold"),
        ({"block_size": 0}, "block_size"),
        ({"block_size": 2.0}, "block_size"),
        ({"workers": 0}, "workers"),
        ({"workers": 1.5}, "workers"),
        ({"intervals": np.zeros((3, 2))}, "window"),
        ({"window": 1.0}, "intervals"),
        ({"intervals": np.zeros((3, 3)), "window": 1.0}, "intervals"),
        ({"intervals": np.array([[0.0, np.inf]] * 3), "window": 1.0}, "intervals"),
        ({"intervals": np.array([[2.0, 1.0]] * 3), "window": 1.0}, "intervals"),
        ({"intervals": np.zeros((3, 2)), "window": -1.0}, "window"),
        ({"intervals": np.zeros((3, 2)), "window": float("nan")}, "window"),
    ],
)
def test_invalid_arguments_name_themselves(kwargs: dict[str, Any], name: str) -> None:
    pairs_args = {"embeddings": GOOD, "groups": GROUPS, "threshold": 0.5, **kwargs}
    with pytest.raises(ConfigError, match=name):
        cross_document_pairs(**pairs_args)
    if "threshold" not in kwargs:
        top_args = {"embeddings": GOOD, "groups": GROUPS, "k": 2, **kwargs}
        with pytest.raises(ConfigError, match=name):
            cross_document_topk(**top_args)


@SETTINGS
@given(
    st.one_of(st.floats(allow_nan=True).filter(lambda x: not -1 <= x <= 1), st.booleans()),
    st.integers(max_value=0),
    st.integers(max_value=0),
)
def test_out_of_range_values_raise(threshold: Any, k: int, block_size: int) -> None:
    with pytest.raises(ConfigError, match="threshold") as caught:
        cross_document_pairs(GOOD, GROUPS, threshold=threshold)
    assert repr(threshold) in str(caught.value)
    with pytest.raises(ConfigError, match="k must") as caught:
        cross_document_topk(GOOD, GROUPS, k=k)
    assert repr(k) in str(caught.value)
    with pytest.raises(ConfigError, match="block_size") as caught:
        cross_document_topk(GOOD, GROUPS, k=1, block_size=block_size)
    assert repr(block_size) in str(caught.value)


def test_error_names_received_shape() -> None:
    with pytest.raises(ConfigError, match=r"embeddings.*\(4,\)"):
        cross_document_pairs(np.ones(4), GROUPS, threshold=0.0)
    with pytest.raises(ConfigError, match=r"groups.*\(2,\)"):
        cross_document_topk(GOOD, [0, 1], k=1)


# ---------------------------------------------------------------------------
# normalize_rows and PairSet


def test_normalize_rows() -> None:
    out = normalize_rows([[3.0, 4.0], [0.0, 0.0], [1e-30, 0.0]])
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, [[0.6, 0.8], [0.0, 0.0], [1.0, 0.0]])
    with pytest.raises(ConfigError, match="matrix"):
        normalize_rows([1.0, 2.0])
    with pytest.raises(ConfigError, match="matrix"):
        normalize_rows([[np.nan, 1.0]])


def test_pairset_to_coo() -> None:
    pairs = PairSet(
        rows=np.array([0, 1], dtype=np.int64),
        cols=np.array([2, 2], dtype=np.int64),
        scores=np.array([0.5, 0.75], dtype=np.float32),
    )
    assert len(pairs) == 2
    dense = pairs.to_coo(4).toarray()
    assert dense.dtype == np.float32
    assert dense.tolist() == [
        [0.0, 0.0, 0.5, 0.0],
        [0.0, 0.0, 0.75, 0.0],
        [0.5, 0.75, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.0],
    ]
    with pytest.raises(ConfigError, match="n must"):
        pairs.to_coo(2)
