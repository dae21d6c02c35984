"""Copy detection: syndicated and duplicated articles are one source.

Two documents are **copies** when their words are the same (an identical
copy: same words whatever the spacing, line wrapping, invisible characters or
letter case), or when they share most of their word sequences (a near copy:
a wire story with another headline, byline or footer, or with one sentence
edited). Word sequences are 5-word shingles of the case-folded words.

Near copies are found with MinHash, vectorised in numpy: each shingle is
hashed to 64 bits (content-based, so the result does not depend on document
order), each document gets a signature of ``permutations`` minimum hashes, and
locality-sensitive banding proposes candidate pairs, which are then verified
exactly on their shingle sets. A pair is a copy when its Jaccard similarity is
at least ``threshold``, or when the shingles of the shorter document (of at
least ``min_words`` words) lie in the longer one at least ``containment`` of
the time (a wire copy inside a page with more around it). Copies are grouped
transitively.

The pipeline treats each group as one source: claims of two copies are never
compared, except the claims one copy has and the other does not (an edited
sentence), so a changed figure between two versions of a story is still
reported. Copies never corroborate each other
(:meth:`~factcheck.reporting.Report.corroboration` counts a group once).

Examples
--------
>>> from factcheck.copies import CopyDetector
>>> story = " ".join(f"Officials said {k} people were evacuated from town {k}." for k in range(12))
>>> groups = CopyDetector().find(["a", "b", "c"], [story, story.upper(), "Something else."])
>>> [(g.documents, g.identical) for g in groups]
[(('a', 'b'), True)]
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence

import attrs
import numpy as np
import numpy.typing as npt

from factcheck import validation
from factcheck.errors import ConfigError
from factcheck.normalising import matching_key
from factcheck.records import CopyGroup

__all__ = ["CopyDetector"]

U64 = npt.NDArray[np.uint64]

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_CHUNK = 8192


def _mix(x: U64) -> U64:
    """splitmix64's finaliser, elementwise (wrapping uint64 arithmetic)."""
    x = x ^ (x >> np.uint64(30))
    x = x * _M1
    x = x ^ (x >> np.uint64(27))
    x = x * _M2
    return x ^ (x >> np.uint64(31))


def _word_hashes(words: Sequence[str], cache: dict[str, int]) -> U64:
    out = np.empty(len(words), dtype=np.uint64)
    for i, word in enumerate(words):
        h = cache.get(word)
        if h is None:
            digest = hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=8)
            h = cache[word] = int.from_bytes(digest.digest(), "little")
        out[i] = h
    return out


def _shingles(hashes: U64, size: int) -> U64:
    """Sorted unique 64-bit hashes of the ``size``-word shingles (one for a shorter text)."""
    n = len(hashes)
    if n == 0:
        return np.empty(0, dtype=np.uint64)
    width = min(size, n)
    with np.errstate(over="ignore"):
        acc = np.zeros(n - width + 1, dtype=np.uint64)
        for t in range(width):
            acc = _mix(acc * _GOLDEN + hashes[t : n - width + 1 + t])
    return np.unique(acc)


_share = validation.in_range(0.0, 1.0, low_inclusive=False)
_positive = validation.positive_int()


@attrs.frozen(slots=True, kw_only=True, field_transformer=validation.typed)
class CopyDetector:
    """Finds identical and near-identical documents (see the module docstring).

    Parameters
    ----------
    threshold : float
        Jaccard similarity of the shingle sets at which two documents are copies.
    containment : float
        Share of the shorter document's shingles found in the longer one at
        which two documents are copies.
    min_words : int
        Documents with fewer words are copies only when identical (a short
        text shares its few shingles too easily).
    shingle : int
        Words per shingle.
    permutations : int
        MinHash signature length.
    bands : int
        Locality-sensitive hashing bands (must divide ``permutations``); with
        the defaults a pair of Jaccard 0.5 becomes a candidate with
        probability above 0.87, and one of 0.7 above 0.9999.
    """

    threshold: float = attrs.field(default=0.8, converter=validation.to_float, validator=_share)
    containment: float = attrs.field(default=0.9, converter=validation.to_float, validator=_share)
    min_words: int = attrs.field(default=50, validator=_positive)
    shingle: int = attrs.field(default=5, validator=_positive)
    permutations: int = attrs.field(default=128, validator=_positive)
    bands: int = attrs.field(default=32, validator=_positive)

    def __attrs_post_init__(self) -> None:
        if self.permutations % self.bands:
            raise ConfigError(
                f"bands must divide permutations ({self.permutations}), got bands={self.bands!r}"
            )

    @validation.checked
    def find(self, ids: Sequence[str], texts: Sequence[str]) -> tuple[CopyGroup, ...]:
        """Groups of copies among documents ``ids`` with texts ``texts``, sorted.

        Texts are compared by :func:`~factcheck.normalising.matching_key`;
        documents without a word are never copies.
        """
        if len(ids) != len(texts):
            raise ConfigError(f"got {len(ids)} ids for {len(texts)} texts")
        keys = [matching_key(t) for t in texts]
        parent = list(range(len(ids)))

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        similarity: dict[tuple[int, int], float] = {}

        def link(i: int, j: int, score: float) -> None:
            similarity[(min(i, j), max(i, j))] = score
            ri, rj = root(i), root(j)
            if ri != rj:
                parent[max(ri, rj)] = min(ri, rj)

        by_key: dict[str, list[int]] = defaultdict(list)
        for i, key in enumerate(keys):
            if key:
                by_key[key].append(i)
        for members in by_key.values():
            for j in members[1:]:
                link(members[0], j, 1.0)

        # Near copies among one representative per distinct text.
        cache: dict[str, int] = {}
        reps = [members[0] for members in by_key.values()]
        words = {i: keys[i].split() for i in reps}
        long_reps = [i for i in reps if len(words[i]) >= self.min_words]
        shingles = {i: _shingles(_word_hashes(words[i], cache), self.shingle) for i in long_reps}
        for i, j in self._candidates(long_reps, shingles):
            if root(i) == root(j):
                continue  # already one group
            a, b = shingles[i], shingles[j]
            shared = len(np.intersect1d(a, b, assume_unique=True))
            jaccard = shared / (len(a) + len(b) - shared)
            contained = shared / min(len(a), len(b))
            if jaccard >= self.threshold or contained >= self.containment:
                link(i, j, jaccard)

        groups: dict[int, list[int]] = defaultdict(list)
        for i in range(len(ids)):
            groups[root(i)].append(i)
        out: list[CopyGroup] = []
        for members in groups.values():
            if len(members) < 2:
                continue
            inside = set(members)
            scores = [s for (i, j), s in similarity.items() if i in inside and j in inside]
            out.append(
                CopyGroup(
                    documents=[ids[i] for i in members],
                    identical=len({keys[i] for i in members}) == 1,
                    similarity=round(min(scores), 4),
                )
            )
        return tuple(sorted(out, key=lambda g: g.documents))

    def _candidates(self, docs: Sequence[int], shingles: dict[int, U64]) -> list[tuple[int, int]]:
        """Pairs of documents whose MinHash signatures share a band, sorted."""
        if len(docs) < 2:
            return []
        rng = np.random.default_rng(0x5EED)
        seeds = rng.integers(0, 2**63, size=self.permutations, dtype=np.int64).astype(np.uint64)
        signatures = np.empty((len(docs), self.permutations), dtype=np.uint64)
        with np.errstate(over="ignore"):
            for row, doc in enumerate(docs):
                best = np.full(self.permutations, np.iinfo(np.uint64).max, dtype=np.uint64)
                values = shingles[doc]
                for c0 in range(0, len(values), _CHUNK):
                    block = _mix(values[c0 : c0 + _CHUNK, None] ^ seeds[None, :])
                    np.minimum(best, block.min(axis=0), out=best)
                signatures[row] = best
        rows = self.permutations // self.bands
        pairs: set[tuple[int, int]] = set()
        for band in range(self.bands):
            part = signatures[:, band * rows : (band + 1) * rows]
            buckets: dict[bytes, list[int]] = defaultdict(list)
            for row in range(len(docs)):
                buckets[part[row].tobytes()].append(row)
            for members in buckets.values():
                for x in range(len(members)):
                    for y in range(x + 1, len(members)):
                        pairs.add((docs[members[x]], docs[members[y]]))
        return sorted(pairs)
