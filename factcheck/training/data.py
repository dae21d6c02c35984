"""Readers for the public labelled data factcheck is trained on, and grouped splits.

Every reader takes the folder of one data set laid out as it is distributed
(the layout of ``../shared/data`` beside a clone of this repository) and
returns small frozen records; a missing file raises a
:class:`~factcheck.errors.ConfigError` that names the path.

========  ==================================================  ======================
data set  files read                                          group of a split
========  ==================================================  ======================
FNC-1     ``train_stances.csv``, ``train_bodies.csv``         the body id
Emergent  ``url-versions-2015-06-14-clean-train.csv``         the claim id
SICK      ``SICK_train_trial.txt``                            ``TRAIN`` vs ``TRIAL``
ECB+      ``derived/ecbplus_selected_sentences.tsv``          the topic
========  ==================================================  ======================

Splits are by group, never by row (:func:`group_folds`), and deterministic:
the same groups and seed give the same folds on every machine, because groups
are ordered by a SHA-256 of their name rather than by Python's salted ``hash``.

Examples
--------
>>> folds = group_folds(["b1", "b1", "b2", "b3", "b3", "b4"], n_splits=2, seed=0)
>>> [sorted(test.tolist()) for _, test in folds]
[[2, 3, 4], [0, 1, 5]]
"""

from __future__ import annotations

import csv
import hashlib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

import attrs
import numpy as np
import numpy.typing as npt

from factcheck.errors import ConfigError
from factcheck.records import StanceLabel

__all__ = [
    "EcbPair",
    "EcbSentence",
    "EmergentPair",
    "FncPair",
    "SickPair",
    "detokenize",
    "ecbplus_pairs",
    "group_folds",
    "read_ecbplus",
    "read_emergent",
    "read_fnc1",
    "read_sick",
]

IntArray = npt.NDArray[np.int64]

#: FNC-1 stance names as :class:`~factcheck.records.StanceLabel`.
FNC1_LABELS = {
    "agree": StanceLabel.FOR,
    "disagree": StanceLabel.AGAINST,
    "discuss": StanceLabel.OBSERVING,
    "unrelated": StanceLabel.UNRELATED,
}
#: Emergent stance names as :class:`~factcheck.records.StanceLabel`.
EMERGENT_LABELS = {
    "for": StanceLabel.FOR,
    "against": StanceLabel.AGAINST,
    "observing": StanceLabel.OBSERVING,
}


def _file(folder: str | os.PathLike[str], name: str) -> Path:
    path = Path(folder) / name
    if not path.is_file():
        raise ConfigError(f"training data: {path} is missing (expected the data set's own layout)")
    return path


def _rows(
    path: Path, *, delimiter: str = ",", quoting: Literal[0, 1, 2, 3] = csv.QUOTE_MINIMAL
) -> list[dict[str, str]]:
    csv.field_size_limit(1 << 30)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=delimiter, quoting=quoting))
    return rows


def _column(row: dict[str, str], key: str, path: Path) -> str:
    value = row.get(key)
    if value is None:
        raise ConfigError(f"training data: {path} has no column {key!r}")
    return value


# ---------------------------------------------------------------------------
# FNC-1


@attrs.frozen(slots=True)
class FncPair:
    """A headline and an article body with the stance of the body towards the headline."""

    headline: str
    body_id: str
    label: StanceLabel


def read_fnc1(folder: str | os.PathLike[str]) -> tuple[list[FncPair], dict[str, str]]:
    """FNC-1 training pairs and bodies (``{body id: text}``), in file order.

    Raises
    ------
    ConfigError
        When a file or column is missing, or a stance is not one of FNC-1's four.
    """
    stances, bodies = _file(folder, "train_stances.csv"), _file(folder, "train_bodies.csv")
    pairs: list[FncPair] = []
    for row in _rows(stances):
        stance = _column(row, "Stance", stances)
        if stance not in FNC1_LABELS:
            raise ConfigError(f"training data: {stances} has an unknown stance {stance!r}")
        pairs.append(
            FncPair(_column(row, "Headline", stances), row["Body ID"], FNC1_LABELS[stance])
        )
    texts = {
        _column(r, "Body ID", bodies): _column(r, "articleBody", bodies) for r in _rows(bodies)
    }
    return pairs, texts


# ---------------------------------------------------------------------------
# Emergent


@attrs.frozen(slots=True)
class EmergentPair:
    """A claim and an article headline with the headline's stance towards the claim."""

    claim_id: str
    article_id: str
    claim: str
    headline: str
    label: StanceLabel


def read_emergent(folder: str | os.PathLike[str]) -> list[EmergentPair]:
    """Emergent's training pairs (claim against article headline), in file order."""
    path = _file(folder, "url-versions-2015-06-14-clean-train.csv")
    out: list[EmergentPair] = []
    for row in _rows(path):
        stance = _column(row, "articleHeadlineStance", path)
        if stance not in EMERGENT_LABELS:
            raise ConfigError(f"training data: {path} has an unknown stance {stance!r}")
        out.append(
            EmergentPair(
                claim_id=_column(row, "claimId", path),
                article_id=_column(row, "articleId", path),
                claim=_column(row, "claimHeadline", path),
                headline=_column(row, "articleHeadline", path),
                label=EMERGENT_LABELS[stance],
            )
        )
    return out


# ---------------------------------------------------------------------------
# SICK


@attrs.frozen(slots=True)
class SickPair:
    """A SICK sentence pair: ``label`` is ENTAILMENT, NEUTRAL or CONTRADICTION, ``split``
    TRAIN or TRIAL (the held-out part), ``mutual`` whether each entails the other."""

    id: str
    a: str
    b: str
    label: str
    split: str
    mutual: bool


def read_sick(folder: str | os.PathLike[str]) -> list[SickPair]:
    """SICK's TRAIN and TRIAL pairs (TEST is not in the distributed file)."""
    path = _file(folder, "SICK_train_trial.txt")
    return [
        SickPair(
            id=_column(r, "pair_ID", path),
            a=" ".join(r["sentence_A"].split()),
            b=" ".join(r["sentence_B"].split()),
            label=_column(r, "entailment_label", path),
            split=_column(r, "SemEval_set", path),
            mutual=r["entailment_AB"] == "A_entails_B" and r["entailment_BA"] == "B_entails_A",
        )
        for r in _rows(path, delimiter="\t")
    ]


# ---------------------------------------------------------------------------
# ECB+


@attrs.frozen(slots=True)
class EcbSentence:
    """An ECB+ sentence with its cross-document event ids. The two sub-topics of a
    topic (``ecb`` and ``ecbplus``) report two different events of one kind."""

    topic: str
    subtopic: str
    doc: str
    sentence: int
    text: str
    events: frozenset[str]


_DETOKENIZE = (
    (" ,", ","), (" .", "."), (" 's", "'s"), (" n't", "n't"), (" :", ":"), (" ;", ";"),
    ("`` ", '"'), (" ''", '"'), ("( ", "("), (" )", ")"), (" ?", "?"), (" !", "!"),
    (" - ", "-"), (" %", "%"), ("$ ", "$"),
)  # fmt: skip


def detokenize(text: str) -> str:
    """Undo ECB+'s tokenisation enough to read as news text.

    >>> detokenize("Reid 's rep told People , she said .")
    "Reid's rep told People, she said."
    """
    out = " ".join(text.split())
    for a, b in _DETOKENIZE:
        out = out.replace(a, b)
    return out


def read_ecbplus(folder: str | os.PathLike[str]) -> list[EcbSentence]:
    """ECB+'s selected sentences (detokenised), in file order."""
    path = _file(folder, os.path.join("derived", "ecbplus_selected_sentences.tsv"))
    return [
        EcbSentence(
            topic=_column(r, "topic", path),
            subtopic=_column(r, "subtopic", path),
            doc=_column(r, "doc", path),
            sentence=int(_column(r, "sentence", path)),
            text=detokenize(_column(r, "text", path)),
            events=frozenset(e for e in _column(r, "cross_doc_event_ids", path).split("|") if e),
        )
        for r in _rows(path, delimiter="\t", quoting=csv.QUOTE_NONE)
    ]


@attrs.frozen(slots=True)
class EcbPair:
    """Two ECB+ sentences of one topic from different documents: ``same_event`` when
    they share a cross-document event id, a look-alike (``False``) when they come
    from the two sub-topics of the topic (two different events of one kind)."""

    topic: str
    a: EcbSentence
    b: EcbSentence
    same_event: bool


def ecbplus_pairs(sentences: Sequence[EcbSentence], *, per_topic: int, seed: int) -> list[EcbPair]:
    """Up to ``per_topic`` same-event and as many look-alike pairs per topic, drawn by ``seed``."""
    rng = np.random.default_rng(seed)
    by_topic: dict[str, list[EcbSentence]] = {}
    for s in sentences:
        by_topic.setdefault(s.topic, []).append(s)
    out: list[EcbPair] = []
    for topic in sorted(by_topic, key=_natural):
        items = by_topic[topic]
        same: list[EcbPair] = []
        alike: list[EcbPair] = []
        for i, a in enumerate(items):
            for b in items[i + 1 :]:
                if a.doc == b.doc:
                    continue
                if a.subtopic != b.subtopic:
                    alike.append(EcbPair(topic, a, b, False))
                elif a.events & b.events:
                    same.append(EcbPair(topic, a, b, True))
        for group in (same, alike):
            if len(group) > per_topic:
                keep = np.sort(rng.choice(len(group), size=per_topic, replace=False))
                group = [group[k] for k in keep.tolist()]
            out += group
    return out


def _natural(name: str) -> tuple[int, str]:
    return (int(name), "") if name.isdigit() else (1 << 30, name)


# ---------------------------------------------------------------------------
# Splits


def _group_key(group: str, seed: int) -> bytes:
    return hashlib.sha256(f"{seed}\0{group}".encode()).digest()


def group_folds(
    groups: Iterable[object], *, n_splits: int, seed: int
) -> list[tuple[IntArray, IntArray]]:
    """Grouped cross-validation folds: every group lies in exactly one test part.

    Groups are shuffled by a SHA-256 of ``seed`` and the group's name, then
    dealt to the folds largest first, each to the fold with the fewest rows so
    far (as :class:`sklearn.model_selection.GroupKFold` balances them), so the
    folds are the same on every machine and Python version.

    Parameters
    ----------
    groups : iterable, length n
        The group of each row (a body id, a claim id, a topic); compared as strings.
    n_splits : int
        Number of folds, at least 2 and at most the number of groups.
    seed : int
        Decides the order among groups of equal size.

    Returns
    -------
    list of (train, test)
        ``n_splits`` pairs of sorted int64 row index arrays.
    """
    names = [str(g) for g in groups]
    distinct = sorted(set(names), key=lambda g: _group_key(g, seed))
    if not 2 <= n_splits <= len(distinct):
        raise ConfigError(
            f"n_splits must lie in [2, {len(distinct)}] (the number of groups), got {n_splits!r}"
        )
    sizes: dict[str, int] = {}
    for g in names:
        sizes[g] = sizes.get(g, 0) + 1
    fold_of: dict[str, int] = {}
    load = [0] * n_splits
    for g in sorted(distinct, key=lambda g: -sizes[g]):  # stable: ties keep the hashed order
        k = min(range(n_splits), key=lambda f: (load[f], f))
        fold_of[g] = k
        load[k] += sizes[g]
    assignment = np.array([fold_of[g] for g in names], dtype=np.int64)
    rows = np.arange(len(names), dtype=np.int64)
    return [(rows[assignment != k], rows[assignment == k]) for k in range(n_splits)]
