"""Clustering: average linkage over the sparse graph, the learned and the hand-set clusterers."""

from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from factcheck.clustering import (
    AverageLinkageClusterer,
    HandSetEventClusterer,
    LearnedEventClusterer,
    event_link_weights,
)
from factcheck.errors import ConfigError
from factcheck.records import Claim, DateValue, Fact, FactKind
from factcheck.similarity import PairSet


def _pairs(edges: list[tuple[int, int, float]]) -> PairSet:
    rows = np.array([e[0] for e in edges], dtype=np.int64)
    cols = np.array([e[1] for e in edges], dtype=np.int64)
    scores = np.array([e[2] for e in edges], dtype=np.float32)
    return PairSet(rows=rows, cols=cols, scores=scores)


def _labels(groups: list[int], edges: list[tuple[int, int, float]], threshold: float = 0.5):
    p = _pairs(edges)
    return AverageLinkageClusterer(threshold=threshold).labels(
        np.array(groups), p.rows, p.cols, p.scores.astype(np.float64)
    )


def test_one_bridge_does_not_chain_two_tight_groups() -> None:
    # {0,1,2} and {3,4,5} are tight; a single bridge 2-3 above the threshold
    # joins them under connected components, but the average over all 9 cross
    # pairs is 0.85/9.
    from scipy.sparse import coo_array
    from scipy.sparse.csgraph import connected_components

    tight = [(0, 1, 0.9), (0, 2, 0.9), (1, 2, 0.9), (3, 4, 0.9), (3, 5, 0.9), (4, 5, 0.9)]
    edges = [*tight, (2, 3, 0.85)]
    labels = _labels([0, 1, 2, 3, 4, 5], edges)
    assert labels.tolist() == [0, 0, 0, 1, 1, 1]
    graph = coo_array(
        ([w for *_, w in edges], ([i for i, *_ in edges], [j for _, j, _ in edges])), shape=(6, 6)
    )
    assert connected_components(graph, directed=False)[0] == 1  # what we avoid


def test_every_item_lands_in_exactly_one_cluster_and_singletons_stay() -> None:
    labels = _labels([0, 1, 2, 3], [(0, 1, 0.8)])
    assert labels.tolist() == [0, 0, 1, 2]


def test_a_cluster_may_hold_several_claims_of_one_document() -> None:
    # 0 and 1 are one article repeating itself; both match claim 2 of another.
    labels = _labels([0, 0, 1], [(0, 2, 0.8), (1, 2, 0.7)])
    assert labels.tolist() == [0, 0, 0]


def test_same_document_pairs_do_not_dilute_the_average() -> None:
    # Cluster {0,1} from doc 0 joins 2 (doc 1): the cross pairs are (0,2), (1,2)
    # only; the same-document pair (0,1) is not counted as a missing link.
    labels = _labels([0, 0, 1], [(0, 2, 0.6), (1, 2, 0.6)], threshold=0.6)
    assert labels.tolist() == [0, 0, 0]


def test_threshold_is_validated() -> None:
    with pytest.raises(ConfigError, match="threshold"):
        AverageLinkageClusterer(threshold=1.5)


@st.composite
def graphs(draw: st.DrawFn) -> tuple[list[int], list[tuple[int, int, float]]]:
    n = draw(st.integers(1, 12))
    groups = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    edges = []
    for i in range(n):
        for j in range(i + 1, n):
            if groups[i] != groups[j] and draw(st.booleans()):
                edges.append((i, j, draw(st.floats(0.3, 0.99))))
    # Distinct weights: with exact ties the merge order (hence, rarely, the
    # partition) follows the item order, which the pipeline makes canonical.
    assume(len({np.float32(w) for *_, w in edges}) == len(edges))  # distinct as stored
    return groups, edges


@settings(max_examples=150, deadline=None)
@given(graphs(), st.randoms(use_true_random=False))
def test_labels_do_not_depend_on_edge_order_or_item_order(graph, rnd) -> None:
    groups, edges = graph
    labels = _labels(groups, edges)
    assert labels.shape == (len(groups),)
    # numbered in order of first member
    firsts = [int(np.flatnonzero(labels == k)[0]) for k in range(labels.max() + 1)]
    assert firsts == sorted(firsts)
    shuffled = list(edges)
    rnd.shuffle(shuffled)
    assert _labels(groups, shuffled).tolist() == labels.tolist()
    # relabel the items by a permutation: the partition must map over
    perm = list(range(len(groups)))
    rnd.shuffle(perm)  # perm[old] = new
    inv = {new: old for old, new in enumerate(perm)}
    groups2 = [groups[inv[k]] for k in range(len(groups))]
    edges2 = [(min(perm[i], perm[j]), max(perm[i], perm[j]), w) for i, j, w in edges]
    labels2 = _labels(groups2, edges2)
    same = {
        (i, j) for i in range(len(groups)) for j in range(len(groups)) if labels[i] == labels[j]
    }
    same2 = {
        (i, j)
        for i in range(len(groups))
        for j in range(len(groups))
        if labels2[perm[i]] == labels2[perm[j]]
    }
    assert same == same2


def _plain_average_linkage(
    groups: list[int], edges: list[tuple[int, int, float]], threshold: float
) -> list[int]:
    """Average linkage as first written: one heap of every candidate merge, each
    popped entry checked against the average recomputed from document counts."""
    members = {i: [i] for i in range(len(groups))}
    docs = {i: Counter({g: 1}) for i, g in enumerate(groups)}
    adj: dict[int, dict[int, float]] = {i: {} for i in range(len(groups))}
    for i, j, w in edges:
        if w > 0.0 and i != j:
            adj[i][j] = adj[i].get(j, 0.0) + w
            adj[j][i] = adj[j].get(i, 0.0) + w

    def cross(a: int, b: int) -> int:
        total = sum(docs[a].values()) * sum(docs[b].values())
        return total - sum(n * docs[b].get(d, 0) for d, n in docs[a].items())

    heap = [(-s / cross(a, b), a, b) for a in adj for b, s in adj[a].items() if a < b]
    heapq.heapify(heap)
    while heap:
        neg, a, b = heapq.heappop(heap)
        if -neg < threshold:
            break
        if a not in docs or b not in docs or b not in adj[a] or adj[a][b] / cross(a, b) != -neg:
            continue
        docs[a].update(docs.pop(b))
        members[a].extend(members.pop(b))
        merged = adj.pop(b)
        merged.pop(a, None)
        adj[a].pop(b, None)
        for c, s in merged.items():
            adj[c].pop(b, None)
            adj[a][c] = adj[a].get(c, 0.0) + s
        for c, s in adj[a].items():
            adj[c][a] = s
            heapq.heappush(heap, (-s / cross(a, c), min(a, c), max(a, c)))
    labels = [0] * len(groups)
    for label, key in enumerate(sorted(members)):
        for i in members[key]:
            labels[i] = label
    return labels


@settings(max_examples=300, deadline=None)
@given(
    st.integers(2, 25).flatmap(
        lambda n: st.tuples(
            st.lists(st.integers(0, 4), min_size=n, max_size=n),
            st.lists(
                st.tuples(
                    st.integers(0, n - 1),
                    st.integers(0, n - 1),
                    # few distinct weights: many exact ties among the averages
                    st.sampled_from([0.0, 0.2, 0.25, 0.3, 0.35, 0.5, 0.6, 0.75, 1.0]),
                ),
                max_size=60,
            ),
        )
    ),
    st.sampled_from([0.2, 0.35, 0.5, 0.6]),
)
def test_labels_equal_the_plain_heap_algorithm_ties_included(graph, threshold) -> None:
    # The clusterer sorts the first candidates, pushes only averages at or
    # above the threshold and dates entries instead of recomputing them: the
    # same merges in the same order as one heap of everything.
    groups, raw = graph
    edges = [(min(i, j), max(i, j), w) for i, j, w in raw if groups[i] != groups[j]]
    expected = _plain_average_linkage(groups, edges, threshold)
    rows = np.array([i for i, _, _ in edges], dtype=np.int64)
    cols = np.array([j for _, j, _ in edges], dtype=np.int64)
    weights = np.array([w for _, _, w in edges], dtype=np.float64)
    labels = AverageLinkageClusterer(threshold=threshold).labels(
        np.array(groups), rows, cols, weights
    )
    assert labels.tolist() == expected


def _claim(cid: str, text: str, day: int | None, entity: str | None) -> Claim:
    facts = []
    if day is not None:
        i = text.index("Oct.")
        facts.append(
            Fact(
                kind=FactKind.DATE,
                start=i,
                end=i + 13,
                text=text[i : i + 13],
                value=DateValue(dt.date(2023, 10, day), dt.date(2023, 10, day)),
            )
        )
    if entity is not None:
        i = text.index(entity)
        facts.append(
            Fact(
                kind=FactKind.ENTITY,
                start=i,
                end=i + len(entity),
                text=entity,
                value=entity.lower(),
            )
        )
    doc = cid.split(":")[0]
    return Claim(id=cid, document=doc, sentence=0, start=0, end=len(text), text=text, facts=facts)


def test_event_links_cut_disjoint_dates_and_boost_shared_anchors() -> None:
    claims = [
        _claim("a:0", "Hamas attacked Israel on Oct. 7, 2023.", 7, "Hamas"),
        _claim("b:0", "Hamas invaded Israel on Oct. 7, 2023, and sparked a war.", 7, "Hamas"),
        _claim("c:0", "Hamas attacked Israel on Oct. 9, 2023.", 9, "Hamas"),
        _claim("d:0", "Hamas attacked Israel, Oct. 9, 2023 reports say.", 9, "Hamas"),
    ]
    edges = [(0, 1, 0.45), (0, 2, 0.8), (0, 3, 0.95)]
    weights = event_link_weights(claims, _pairs(edges), anchor_bonus=0.25, near_duplicate=0.9)
    np.testing.assert_allclose(weights, [0.70, 0.0, 0.95], atol=1e-6)
    # The Oct. 7 pair clusters on its anchor though its cosine is low; the
    # Oct. 9 claim, worded alike, stays out.
    labels = HandSetEventClusterer(threshold=0.6).cluster(claims, np.arange(4), _pairs(edges[:2]))
    assert labels.tolist() == [0, 0, 1, 2]


@st.composite
def sparse_graphs(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Any graph the signature accepts: empty, one node, same-document edges,
    self-loops, duplicates, zero and negative weights, any dtype of integers."""
    n = draw(st.integers(0, 15))
    groups = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    m = draw(st.integers(0, 40)) if n else 0
    rows = draw(st.lists(st.integers(0, max(n - 1, 0)), min_size=m, max_size=m))
    cols = draw(st.lists(st.integers(0, max(n - 1, 0)), min_size=m, max_size=m))
    weights = draw(st.lists(st.floats(-1.0, 1.0, allow_nan=False), min_size=m, max_size=m))
    dtype = draw(st.sampled_from([np.int64, np.int32, np.uint16]))
    return (
        np.array(groups, dtype=dtype),
        np.array(rows, dtype=dtype),
        np.array(cols, dtype=dtype),
        np.array(weights, dtype=np.float64),
    )


@settings(max_examples=300, deadline=None)
@given(sparse_graphs(), st.sampled_from([0.0, 0.1, 0.35, 0.6, 1.0]))
def test_labels_never_fail_on_any_sparse_graph(graph, threshold) -> None:
    groups, rows, cols, weights = graph
    labels = AverageLinkageClusterer(threshold=threshold).labels(groups, rows, cols, weights)
    n = groups.shape[0]
    assert labels.shape == (n,)
    assert labels.dtype == np.int64
    if n:
        assert sorted(set(labels.tolist())) == list(range(int(labels.max()) + 1))
        firsts = [int(np.flatnonzero(labels == k)[0]) for k in range(labels.max() + 1)]
        assert firsts == sorted(firsts)
    # Same-document edges and non-positive weights are ignored: dropping them
    # changes nothing.
    keep = (groups[rows] != groups[cols]) & (weights > 0) if rows.size else np.zeros(0, bool)
    again = AverageLinkageClusterer(threshold=threshold).labels(
        groups, rows[keep], cols[keep], weights[keep]
    )
    assert again.tolist() == labels.tolist()


def test_a_same_document_edge_used_to_divide_by_zero() -> None:
    # Two claims of one document linked directly: the first-merge average
    # divided by the number of cross-document pairs, 0.
    labels = AverageLinkageClusterer(threshold=0.5).labels(
        np.array([0, 0]), np.array([0]), np.array([1]), np.array([0.9])
    )
    assert labels.tolist() == [0, 1]


def test_empty_and_single_node_graphs() -> None:
    c = AverageLinkageClusterer(threshold=0.5)
    empty = np.zeros(0, dtype=np.int64)
    assert c.labels(empty, empty, empty, np.zeros(0)).tolist() == []
    assert c.labels(np.array([3]), empty, empty, np.zeros(0)).tolist() == [0]


@pytest.mark.parametrize(
    ("groups", "rows", "cols", "weights", "match"),
    [
        ([0, 1], [0], [2], [0.5], "cols must index the 2 items"),
        ([0, 1], [-1], [1], [0.5], "rows must index"),
        ([0, 1], [0, 1], [1], [0.5], "one length"),
        ([0, 1], [0], [1], [float("nan")], "finite"),
        ([[0, 1]], [0], [1], [0.5], "one-dimensional"),
        ([0.5, 1.0], [0], [1], [0.5], "groups must hold integers"),
    ],
)
def test_bad_graphs_get_a_clear_config_error(groups, rows, cols, weights, match) -> None:
    with pytest.raises(ConfigError, match=match):
        AverageLinkageClusterer(threshold=0.5).labels(
            np.array(groups), np.array(rows), np.array(cols), np.array(weights)
        )


def test_learned_clusterer_validates_its_settings() -> None:
    with pytest.raises(ConfigError, match="threshold"):
        LearnedEventClusterer(threshold=1.5)
    with pytest.raises(ConfigError, match="reasons"):
        LearnedEventClusterer(reasons=-1)
    with pytest.raises(ConfigError, match="model"):
        LearnedEventClusterer(model=3)  # type: ignore[arg-type]
