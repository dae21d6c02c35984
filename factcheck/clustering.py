"""Clustering stage: claims into real-world events, from the sparse similarity graph.

The input is the sparse graph of cross-document claim pairs that the
similarity core proposes (:func:`factcheck.similarity.cross_document_neighbor_pairs`);
no dense ``n x n`` matrix is ever built. The default clusterer,
:class:`LearnedEventClusterer`, works in two steps:

1. **Same-event probabilities.** Every candidate pair gets ``P(same event)``
   from the learned event model (:mod:`factcheck.events`): a logistic
   regression over the pair's sentence similarities, event words, shared
   facts and the similarity of the two whole articles, trained on the gold
   cross-document event chains of ECB+ (:func:`factcheck.training.fit_event_model`).
2. **Average linkage** (:class:`AverageLinkageClusterer`) over those
   probabilities. Clusters merge greedily, best first, while the *average*
   probability over all their cross-document claim pairs stays at or above
   the model's threshold, where a pair with no edge counts as 0. The threshold
   was chosen by leave-topics-out cross-validation when the model was
   trained, not by hand. A plain connected-components pass would chain
   unrelated claims through a single bridge (A~B, B~C, so A with C); averaging
   over every pair makes one bridge worth little against many missing links,
   so it resists chaining, and it needs only the sparse edges (the sum of the
   weights between two clusters and their sizes). Pairs of claims from the
   same document are never compared, so they are left out of the average; a
   cluster may hold several claims of one article.

Each multi-claim cluster comes with the reasons it holds together: the
features that added most to the log-odds of its linked pairs
(:class:`~factcheck.records.LinkReason`).

:class:`HandSetEventClusterer` keeps the earlier, hand-set rule (event links
from explicit dates and participants, average linkage at 0.35) as a
documented option; on unseen ECB+ topics it splits far too much
(``benchmarks/results/ecbplus.md``).

Every claim ends in exactly one cluster (a singleton is a cluster), and the
result does not depend on the order of the input beyond the order of ids.
"""

from __future__ import annotations

import heapq
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import attrs
import numpy as np
import numpy.typing as npt

from factcheck import validation
from factcheck.errors import ConfigError
from factcheck.events import FEATURE_DESCRIPTIONS, FEATURES, load_event_model, pair_features
from factcheck.records import Claim, Document, LinkReason
from factcheck.similarity import PairSet

__all__ = [
    "AverageLinkageClusterer",
    "Clusterer",
    "Clustering",
    "HandSetEventClusterer",
    "LearnedEventClusterer",
    "event_link_weights",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@attrs.frozen(slots=True, kw_only=True, eq=False)
class Clustering:
    """A clusterer's result: labels, and per cluster why it holds together.

    Attributes
    ----------
    labels : ndarray of int64, shape (n_claims,)
        ``0..n_clusters-1``, numbered in order of each cluster's first claim.
    probability : tuple of (float or None)
        Per label, the mean same-event probability over the cluster's linked pairs.
    links : tuple of int
        Per label, the number of candidate pairs inside the cluster.
    reasons : tuple of tuple of LinkReason
        Per label, the features that linked the cluster most, strongest first.
    """

    labels: IntArray
    probability: tuple[float | None, ...] = ()
    links: tuple[int, ...] = ()
    reasons: tuple[tuple[LinkReason, ...], ...] = ()


class Clusterer(Protocol):
    """Groups claims into events."""

    def cluster(
        self,
        claims: Sequence[Claim],
        groups: IntArray,
        pairs: PairSet,
        *,
        documents: Sequence[Document],
        embeddings: npt.NDArray[np.float32],
    ) -> IntArray | Clustering:
        """Return one cluster label per claim, shape ``(n_claims,)``, or a :class:`Clustering`.

        ``groups[i]`` is the index in ``documents`` of the document of
        ``claims[i]``; ``pairs`` holds the candidate cross-document pairs and
        ``embeddings`` the claims' unit embeddings (row ``i`` for ``claims[i]``).
        Labels are ``0..n_clusters-1``, numbered in order of each cluster's
        first claim. (Until 0.1 the method took ``claims, groups, pairs``
        only; a clusterer that needs neither documents nor embeddings may
        accept them as ``**context`` and ignore them.)
        """
        ...


def _in_range(low: float, high: float) -> attrs._ValidatorType[float]:
    def check(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
        if not low <= value <= high:
            raise ConfigError(f"{attribute.name} must lie in [{low}, {high}], got {value!r}")

    return check


# ---------------------------------------------------------------------------
# Event links


@validation.checked
def event_link_weights(
    claims: Sequence[Claim],
    pairs: PairSet,
    *,
    anchor_bonus: float = 0.25,
    near_duplicate: float = 0.9,
) -> FloatArray:
    """Adjust each pair's cosine into an event-link weight, shape ``(n_pairs,)``.

    Parameters
    ----------
    claims : sequence of Claim
        The claims the pair indices refer to.
    pairs : PairSet
        Candidate pairs and their cosines.
    anchor_bonus : float
        Added to the cosine when the two claims share an explicit date (one
        stated with its year) and at least one named participant.
    near_duplicate : float
        Pairs at or above this cosine keep their weight even when their
        explicit dates are disjoint: a near-verbatim sentence with another date
        is one event misdated, which the judge reports as a date conflict.

    Returns
    -------
    weights : ndarray of float64, shape (n_pairs,)
        In ``[0, 1]``; 0 marks two different events.
    """
    weights = pairs.scores.astype(np.float64)
    dates = [[value for _, value in claim.stated_dates()] for claim in claims]
    dated = np.array([bool(d) for d in dates], dtype=bool)
    # Only pairs with stated dates on both sides change.
    both = np.flatnonzero(dated[pairs.rows] & dated[pairs.cols])
    rows, cols = pairs.rows[both].tolist(), pairs.cols[both].tolist()
    for k, i, j in zip(both.tolist(), rows, cols, strict=True):
        di, dj = dates[i], dates[j]
        if any(x.overlaps(y) for x in di for y in dj):
            if claims[i].entity_keys() & claims[j].entity_keys():
                weights[k] = min(1.0, weights[k] + anchor_bonus)
        elif weights[k] < near_duplicate:
            weights[k] = 0.0
    return np.clip(weights, 0.0, 1.0)


# ---------------------------------------------------------------------------
# Average linkage over a sparse graph


def _graph_arrays(
    groups: npt.ArrayLike, rows: npt.ArrayLike, cols: npt.ArrayLike, weights: npt.ArrayLike
) -> tuple[IntArray, IntArray, IntArray, FloatArray]:
    """The inputs of :meth:`AverageLinkageClusterer.labels` as checked arrays."""
    arrays: list[npt.NDArray[np.generic]] = []
    for name, value in (("groups", groups), ("rows", rows), ("cols", cols), ("weights", weights)):
        array = np.asarray(value)
        if array.ndim != 1:
            raise ConfigError(f"{name} must be one-dimensional, got shape {array.shape}")
        allowed = "biuf" if name == "weights" else "biu"
        if array.size and array.dtype.kind not in allowed:
            what = "real numbers" if name == "weights" else "integers"
            raise ConfigError(f"{name} must hold {what}, got dtype {array.dtype}")
        arrays.append(array)
    g, r, c = (a.astype(np.int64) for a in arrays[:3])
    w = arrays[3].astype(np.float64)
    if not r.shape == c.shape == w.shape:
        raise ConfigError(
            f"rows, cols and weights must have one length, got {r.shape[0]}, {c.shape[0]} "
            f"and {w.shape[0]}"
        )
    n = g.shape[0]
    for name, idx in (("rows", r), ("cols", c)):
        if idx.size and (int(idx.min()) < 0 or int(idx.max()) >= n):
            raise ConfigError(
                f"{name} must index the {n} items, got values {int(idx.min())}..{int(idx.max())}"
            )
    if not np.all(np.isfinite(w)):
        raise ConfigError("weights must be finite, got NaN or infinity")
    return g, r, c, w


@attrs.frozen(slots=True, kw_only=True, field_transformer=validation.typed)
class AverageLinkageClusterer:
    """Average-linkage agglomeration over a sparse weighted graph.

    Parameters
    ----------
    threshold : float
        Two clusters merge while the mean weight over all their
        cross-document claim pairs (absent edges count 0) is at least this.

    Notes
    -----
    Merges go best first; equal averages are taken in index order, so the
    result is a function of the input order only through exact ties (the
    pipeline orders claims canonically, by document id and position).

    Examples
    --------
    >>> import numpy as np
    >>> c = AverageLinkageClusterer(threshold=0.5)
    >>> groups = np.array([0, 1, 2, 3])
    >>> # 0, 1 and 2 all linked strongly; 3 only by one weak link to 2
    >>> rows, cols = np.array([0, 0, 1, 2]), np.array([1, 2, 2, 3])
    >>> c.labels(groups, rows, cols, np.array([0.9, 0.8, 0.7, 0.3]))
    array([0, 0, 0, 1])
    """

    threshold: float = attrs.field(default=0.6, validator=_in_range(0.0, 1.0))

    def labels(
        self, groups: IntArray, rows: IntArray, cols: IntArray, weights: FloatArray
    ) -> IntArray:
        """Cluster labels, shape ``(n,)``, from edges ``(rows[k], cols[k], weights[k])``.

        ``groups[i]`` is the document of item ``i``. Edges between two items of
        one document, self-loops and edges of weight 0 or less are ignored (they
        are never compared); an edge given twice counts with its summed weight.

        Raises
        ------
        ConfigError
            When the arrays are not one-dimensional integers and reals of one
            length, an edge names an item outside ``0..n-1``, or a weight is
            not finite.
        """
        groups, rows, cols, weights = _graph_arrays(groups, rows, cols, weights)
        n = int(groups.shape[0])
        threshold = self.threshold
        # Same-document pairs are never compared: drop their edges here, so no
        # average is ever taken over zero cross-document pairs.
        keep = (groups[rows] != groups[cols]) & (weights > 0.0)
        rows, cols, weights = rows[keep], cols[keep], weights[keep]
        # Per live cluster (keyed by its smallest member): its size, the number
        # of its claims in each document, and the summed edge weight to each
        # neighbouring cluster. ``parent`` records each merge, for the labels.
        size = [1] * n
        docs: list[dict[int, int]] = [{d: 1} for d in groups.tolist()]
        adj: list[dict[int, float]] = [{} for _ in range(n)]
        parent = list(range(n))
        for i, j, w in zip(rows.tolist(), cols.tolist(), weights.tolist(), strict=True):
            adj[i][j] = adj[i].get(j, 0.0) + w
            adj[j][i] = adj[j].get(i, 0.0) + w

        def cross(a: int, b: int) -> int:
            """Cross-document claim pairs between clusters a and b."""
            da, db = docs[a], docs[b]
            if len(da) > len(db):
                da, db = db, da
            same = 0
            for d, count in da.items():
                other = db.get(d)
                if other is not None:
                    same += count * other
            return size[a] * size[b] - same

        # Candidate merges (-average, a, b, t) with a < b, pushed at merge t,
        # best first. An entry is current when neither cluster has changed
        # since t (``changed``); when a cluster changes, an entry for each of
        # its neighbours is pushed. A stale entry equal in its first three
        # fields to the current one is taken before it (smaller t) and skipped.
        # Averages below the threshold are never pushed: merging stops at the
        # first of them, and every entry above them comes out first. The
        # initial entries (all singletons) are sorted once instead of heaped.
        changed = [0] * n
        gone = n + 1  # ``changed`` of a cluster merged away: after every t
        initial: list[tuple[float, int, int, int]] = []
        for a in range(n):
            for b, s in adj[a].items():
                if a < b:
                    neg = -s  # cross(a, b) of two claims of different documents is 1
                    if not -neg < threshold:
                        initial.append((neg, a, b, 0))
        initial.sort()
        heap: list[tuple[float, int, int, int]] = []
        pop, push = heapq.heappop, heapq.heappush
        k, t = 0, 0
        while True:
            if heap and (k == len(initial) or heap[0] < initial[k]):
                _, a, b, pushed = pop(heap)
            elif k < len(initial):
                _, a, b, pushed = initial[k]
                k += 1
            else:
                break
            if changed[a] > pushed or changed[b] > pushed:
                continue
            # Merge b into a (a < b, so the smallest member stays the key).
            t += 1
            changed[a], changed[b] = t, gone
            parent[b] = a
            da, db = docs[a], docs[b]
            if len(da) < len(db):
                da, db = db, da
                docs[a] = da
            for d, count in db.items():
                da[d] = da.get(d, 0) + count
            docs[b] = {}
            size[a] += size[b]
            merged = adj[b]
            adj[b] = {}
            merged.pop(a, None)
            near = adj[a]
            near.pop(b, None)
            for c, s in merged.items():
                adj[c].pop(b, None)
                near[c] = near.get(c, 0.0) + s
            for c, s in near.items():
                adj[c][a] = s
                neg = -s / cross(a, c)
                if not -neg < threshold:
                    push(heap, (neg, a, c, t) if a < c else (neg, c, a, t))
        # Number the clusters in order of their key, their smallest member.
        root = parent
        for i in range(n):
            root[i] = root[root[i]]  # a merged key is smaller, so already resolved
        keys = sorted(set(root))
        label_of = {key: label for label, key in enumerate(keys)}
        return np.array([label_of[key] for key in root], dtype=np.int64)


@attrs.frozen(slots=True, kw_only=True, field_transformer=validation.typed)
class HandSetEventClusterer:
    """The earlier, hand-set clusterer: event-link weights, then average linkage.

    Kept as a documented option (``Checker(clusterer=HandSetEventClusterer())``)
    for comparison; the default is :class:`LearnedEventClusterer`. Its weights
    and threshold were set by hand (the threshold, 0.35, on ECB+ topics 1-10):
    on unseen ECB+ topics it keeps precision but loses most of the recall
    (``benchmarks/results/ecbplus.md``).

    Parameters
    ----------
    threshold : float
        Average-linkage merge threshold on event-link weights.
    anchor_bonus, near_duplicate : float
        See :func:`event_link_weights`.
    """

    threshold: float = attrs.field(default=0.35, validator=_in_range(0.0, 1.0))
    anchor_bonus: float = attrs.field(default=0.25, validator=_in_range(0.0, 1.0))
    near_duplicate: float = attrs.field(default=0.9, validator=_in_range(0.0, 1.0))

    def cluster(
        self, claims: Sequence[Claim], groups: IntArray, pairs: PairSet, **context: object
    ) -> IntArray:
        """One label per claim (see :meth:`Clusterer.cluster`); ``context`` is not used."""
        if len(claims) != len(groups):
            raise ConfigError(
                f"groups must have one entry per claim, got {len(groups)} for {len(claims)} claims"
            )
        weights = event_link_weights(
            claims, pairs, anchor_bonus=self.anchor_bonus, near_duplicate=self.near_duplicate
        )
        return AverageLinkageClusterer(threshold=self.threshold).labels(
            groups, pairs.rows, pairs.cols, weights
        )


def _optional_threshold(
    instance: object, attribute: attrs.Attribute[float | None], value: object
) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
        raise ConfigError(f"{attribute.name} must be None or lie in [0, 1], got {value!r}")


def _optional_path(value: object) -> Path | None:
    if value is None:
        return None
    if not isinstance(value, str | os.PathLike):
        raise ConfigError(f"model must be None or a path, got {type(value).__name__}")
    return Path(value)


@attrs.frozen(slots=True, kw_only=True)
class LearnedEventClusterer:
    """The default clusterer: learned same-event probabilities, then average linkage.

    Parameters
    ----------
    model : path or None
        An event model file (:mod:`factcheck.events`); ``None`` is the one
        shipped in the package, trained on ECB+ topics 1-35. It is read on the
        first :meth:`cluster` call, once per process; a missing or
        incompatible file raises :class:`~factcheck.ModelError` then.
    threshold : float or None
        Average-linkage threshold on the probabilities; ``None`` takes the one
        the model file carries (chosen by cross-validation when it was
        trained).
    reasons : int
        How many features each cluster's explanation lists.

    Examples
    --------
    >>> import numpy as np
    >>> from factcheck import Claim, Document
    >>> from factcheck.similarity import PairSet
    >>> docs = [Document(id="a", text="A quake hit Chile on Monday."),
    ...         Document(id="b", text="A quake hit Chile on Monday, killing 12.")]
    >>> claims = [Claim(id=f"{d.id}:0", document=d.id, sentence=0, start=0,
    ...                 end=len(d.text), text=d.text) for d in docs]
    >>> pairs = PairSet(rows=np.array([0]), cols=np.array([1]),
    ...                 scores=np.array([0.9], dtype=np.float32))
    >>> result = LearnedEventClusterer().cluster(
    ...     claims, np.array([0, 1]), pairs, documents=docs,
    ...     embeddings=np.zeros((2, 4), dtype=np.float32))
    >>> result.labels.tolist(), result.reasons[0][0].feature in FEATURES
    ([0, 0], True)
    """

    model: Path | None = attrs.field(default=None, converter=_optional_path)
    threshold: float | None = attrs.field(default=None, validator=_optional_threshold)
    reasons: int = attrs.field(default=3)

    @reasons.validator
    def _check_reasons(self, attribute: attrs.Attribute[int], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(f"reasons must be an integer >= 0, got {value!r}")

    def cluster(
        self,
        claims: Sequence[Claim],
        groups: IntArray,
        pairs: PairSet,
        *,
        documents: Sequence[Document],
        embeddings: npt.NDArray[np.float32] | None = None,
    ) -> Clustering:
        """Cluster the claims (see :meth:`Clusterer.cluster`), with reasons per cluster.

        Raises
        ------
        ModelError
            When the model file is missing or incompatible.
        ConfigError
            When ``groups`` or ``pairs`` do not fit the claims and documents.
        """
        model = load_event_model(self.model)
        threshold = model.threshold if self.threshold is None else float(self.threshold)
        features = pair_features(documents, claims, groups, pairs.rows, pairs.cols, pairs.scores)
        probability = model.probabilities(features)
        labels = AverageLinkageClusterer(threshold=threshold).labels(
            np.asarray(groups), pairs.rows, pairs.cols, probability
        )
        return _explained(
            labels, pairs, probability, model.contributions(features), features, self.reasons
        )


def _explained(
    labels: IntArray,
    pairs: PairSet,
    probability: FloatArray,
    contributions: FloatArray,
    features: FloatArray,
    top: int,
) -> Clustering:
    """Per cluster: mean probability, link count and top features of its inner pairs."""
    n_labels = int(labels.max()) + 1 if labels.size else 0
    inner = np.flatnonzero(labels[pairs.rows] == labels[pairs.cols])
    owner = labels[pairs.rows[inner]]
    links = np.bincount(owner, minlength=n_labels)
    sums = np.bincount(owner, weights=probability[inner], minlength=n_labels)
    mean_probability: list[float | None] = [
        round(float(sums[k] / links[k]), 6) if links[k] else None for k in range(n_labels)
    ]
    reasons: list[tuple[LinkReason, ...]] = [() for _ in range(n_labels)]
    if top and inner.size:
        order = np.argsort(owner, kind="stable")
        owner_sorted = owner[order]
        starts = np.flatnonzero(np.r_[True, owner_sorted[1:] != owner_sorted[:-1]])
        weight = np.add.reduceat(contributions[inner][order], starts, axis=0)
        value = np.add.reduceat(features[inner][order], starts, axis=0)
        counts = np.diff(np.r_[starts, owner_sorted.shape[0]])[:, None]
        weight, value = np.round(weight / counts, 6), np.round(value / counts, 6)
        for row, label in enumerate(owner_sorted[starts].tolist()):
            ranked = sorted(range(len(FEATURES)), key=lambda k: (-weight[row, k], k))
            reasons[label] = tuple(
                LinkReason(
                    FEATURES[k], FEATURE_DESCRIPTIONS[FEATURES[k]], value[row, k], weight[row, k]
                )
                for k in ranked[:top]
                if weight[row, k] > 0.0
            )
    return Clustering(
        labels=labels,
        probability=tuple(mean_probability),
        links=tuple(int(x) for x in links),
        reasons=tuple(reasons),
    )
