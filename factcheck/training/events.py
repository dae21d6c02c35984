"""Training and validating the same-event model (``factcheck/trained/events.json``).

The model scores a cross-document claim pair with ``P(same event)`` from the
features of :func:`factcheck.events.pair_features`; average linkage over those
probabilities (:class:`factcheck.clustering.LearnedEventClusterer`) makes the
events. Both the model and the linkage threshold are learned here.

Data
----
*ECB+* (``read_ecbplus``): a folder holding ``ECB+/<topic>/*.xml`` and
``ECBplus_coreference_sentences.csv``, as released. Each topic is one check
(a batch of related articles, as a user would give them); its claims are the
sentences the annotators selected, inside the full text of their articles.
Two claims of different articles are one event when their sentences hold
mentions of one cross-document event chain (``CROSS_DOC_COREF`` of an
``ACT``/``NEG`` instance).

*A CSV of labelled sentence pairs* (``read_pair_csv``), for a newsroom's own
archive: columns ``group`` (optional: a story, a day, a desk; the unit of the
cross-validation split, and the documents TF-IDF is fitted on),
``document_a``, ``text_a``, ``document_b``, ``text_b`` and ``same_event``
(``1``/``0``, ``true``/``false`` or ``yes``/``no``). Each distinct sentence
of a document is a claim, and the document's text is its sentences in order
of first appearance, one per line.

Model
-----
A logistic regression over standardised features (``StandardScaler`` then
``LogisticRegression``, L2, ``C=1``). Logistic rather than gradient boosting
because (a) each feature's share of the log-odds is exact, which is what a
report shows as the reason a cluster holds together, (b) its probabilities
are smooth in the features, so average linkage over them behaves the same on
news unlike the training topics, and (c) in the cross-validation of
``benchmarks/bench_ecbplus.py`` the boosted trees did not measure better
(see benchmarks/results/ecbplus.md). Training uses every cross-document pair
of annotated claims in a check.

Validation
----------
Checks are dealt round-robin, in sorted order, into ``folds`` folds (ECB+: 5
folds of 6-7 topics): never a sentence split. The linkage threshold is the
value of a grid that gives the best pooled pair F1 on held-out folds. The
cross-validated figures are nested: for each outer fold the threshold is
chosen by an inner cross-validation on the other folds only, the scorer is
fitted on them, and the outer fold is clustered as the pipeline would (the
candidate graph of ``Checker``'s defaults, then average linkage). The shipped
model is fitted on all checks, with the threshold chosen by cross-validation
over all folds.
"""

from __future__ import annotations

import csv
import os
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from factcheck import modelfile
from factcheck.clustering import AverageLinkageClusterer
from factcheck.embedding import Embedder, SentenceTransformerEmbedder
from factcheck.embedding_cache import CachedEmbedder
from factcheck.errors import ConfigError, DocumentError
from factcheck.events import FEATURES, MODEL_NAME, pair_features
from factcheck.extracting import FactExtractor, RuleFactExtractor
from factcheck.records import Claim, Document
from factcheck.similarity import PairSet, cross_document_neighbor_pairs

__all__ = [
    "EventCheck",
    "PreparedCheck",
    "Scores",
    "cross_validate",
    "fit_event_model",
    "prepare_checks",
    "read_ecbplus",
    "read_event_data",
    "read_pair_csv",
    "score_labels",
]

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
F32 = npt.NDArray[np.float32]
Log = Callable[[str], None]

#: Linkage thresholds tried by the cross-validation.
THRESHOLDS: tuple[float, ...] = tuple(round(0.05 + 0.025 * k, 3) for k in range(37))
#: The candidate graph the pipeline builds by default (``Checker``).
NEIGHBORS = 20
CANDIDATE_THRESHOLD = 0.35
REGULARISATION = 1.0
MAX_ITER = 1000


def _quiet(message: str) -> None:
    del message


# ---------------------------------------------------------------------------
# Data


@attrs.frozen(slots=True, eq=False)
class EventCheck:
    """One check of labelled data: documents, their claims and labelled pairs.

    Attributes
    ----------
    name : str
        The group (ECB+ topic, or the CSV's ``group``).
    documents : tuple of Document
        Sorted by id, as the pipeline orders them.
    claims : tuple of Claim
        In document order, then position; each with its extracted facts.
    groups : ndarray of int64, shape (n_claims,)
        The index in ``documents`` of each claim's document.
    rows, cols : ndarray of int64, shape (n_pairs,)
        The labelled cross-document pairs (``rows < cols``).
    labels : ndarray of bool, shape (n_pairs,)
        True for "same event".
    events : tuple of frozenset of str, or None
        The gold event ids of each claim (ECB+), for B-cubed scores.
    subtopics : tuple of str, or None
        The ECB+ sub-topic of each claim's article (the oracle baseline).
    """

    name: str
    documents: tuple[Document, ...]
    claims: tuple[Claim, ...]
    groups: I64
    rows: I64
    cols: I64
    labels: npt.NDArray[np.bool_]
    events: tuple[frozenset[str], ...] | None = None
    subtopics: tuple[str, ...] | None = None


_NO_SPACE_BEFORE = frozenset(
    {",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "n't", "'re", "'ve", "'ll", "'d"}
)
_NO_SPACE_AFTER = frozenset({"(", "[", "{", "$", "#"})
_QUOTES = {"``": '"', "''": '"'}


def _detokenize(tokens: Sequence[str]) -> str:
    """ECB+ tokens back into text (no space before punctuation, after brackets)."""
    out: list[str] = []
    previous: str | None = None
    for raw in tokens:
        token = _QUOTES.get(raw, raw)
        if (
            previous is not None
            and token not in _NO_SPACE_BEFORE
            and previous not in _NO_SPACE_AFTER
        ):
            out.append(" ")
        out.append(token)
        previous = token
    return "".join(out)


def _natural(name: str) -> tuple[int, int, str]:
    """Numbers in numeric order first, then other names."""
    return (0, int(name), "") if name.isdigit() else (1, 0, name)


def _all_pairs(groups: I64) -> tuple[I64, I64]:
    rows, cols = np.triu_indices(groups.shape[0], 1)
    keep = groups[rows] != groups[cols]
    return rows[keep].astype(np.int64), cols[keep].astype(np.int64)


def _build_claims(
    documents: Sequence[Document],
    spans: Sequence[Sequence[tuple[int, int, int]]],
    extractor: FactExtractor,
) -> tuple[list[Claim], I64]:
    """Claims (with facts) of each document's ``(sentence, start, end)`` spans."""
    claims: list[Claim] = []
    groups: list[int] = []
    for k, (doc, doc_spans) in enumerate(zip(documents, spans, strict=True)):
        facts = extractor.extract(doc, [(a, b) for _, a, b in doc_spans])
        for n, ((sentence, a, b), f) in enumerate(zip(doc_spans, facts, strict=True)):
            claims.append(
                Claim(
                    id=f"{doc.id}:{n}",
                    document=doc.id,
                    sentence=sentence,
                    start=a,
                    end=b,
                    text=doc.text[a:b],
                    facts=f,
                )
            )
            groups.append(k)
    return claims, np.asarray(groups, dtype=np.int64)


def _ecbplus_document(
    path: Path, selected: set[int]
) -> tuple[Document, list[tuple[int, int, int]], list[frozenset[str]]]:
    """One ECB+ article: its text, the spans of its selected sentences and their events."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise DocumentError(str(path), f"is not a readable ECB+ XML file ({exc})") from None
    sentences: dict[int, list[str]] = {}
    sentence_of: dict[str, int] = {}
    for token in root.iter("token"):
        number = int(token.get("sentence", "0"))
        sentences.setdefault(number, []).append(token.text or "")
        sentence_of[token.get("t_id", "")] = number
    mention_sentence: dict[str, int] = {}
    markables = root.find("Markables")
    for markable in markables if markables is not None else ():
        anchors = [a.get("t_id", "") for a in markable.findall("token_anchor")]
        if anchors and anchors[0] in sentence_of:
            mention_sentence[markable.get("m_id", "")] = sentence_of[anchors[0]]
    events: dict[int, set[str]] = {}
    relations = root.find("Relations")
    for relation in relations if relations is not None else ():
        note = relation.get("note") or ""
        if relation.tag != "CROSS_DOC_COREF" or not note.startswith(("ACT", "NEG")):
            continue
        for source in relation.findall("source"):
            where = mention_sentence.get(source.get("m_id", ""))
            if where is not None:
                events.setdefault(where, set()).add(note)
    parts: list[str] = []
    spans: list[tuple[int, int, int]] = []
    gold: list[frozenset[str]] = []
    offset = 0
    position = 0
    for number in sorted(sentences):
        text = _detokenize(sentences[number])
        if number == 0 and text.startswith("http"):
            continue  # the ecbplus files' source address, not article text
        if not text.strip():
            continue
        if number in selected:
            spans.append((position, offset, offset + len(text)))
            gold.append(frozenset(events.get(number, ())))
        parts.append(text)
        offset += len(text) + 1
        position += 1
    doc = Document(id=path.stem, text="\n".join(parts))
    return doc, spans, gold


def read_ecbplus(
    path: str | os.PathLike[str],
    *,
    topics: Iterable[int] | None = None,
    extractor: FactExtractor | None = None,
) -> tuple[list[EventCheck], list[Path]]:
    """Read ECB+ as one :class:`EventCheck` per topic, and the files read (for a digest).

    Parameters
    ----------
    path : path
        The folder with ``ECB+/`` and ``ECBplus_coreference_sentences.csv``.
    topics : iterable of int, optional
        The topics to read (all that are there by default).
    extractor : FactExtractor, optional
        Extracts the claims' facts, ``RuleFactExtractor()`` by default.

    Raises
    ------
    ConfigError
        When the folder does not hold ECB+ in its released layout.
    """
    root = Path(path)
    index = root / "ECBplus_coreference_sentences.csv"
    corpus = root / "ECB+"
    if not index.is_file() or not corpus.is_dir():
        raise ConfigError(
            f"{root} is not an ECB+ folder: it needs ECB+/ and ECBplus_coreference_sentences.csv"
        )
    extractor = extractor if extractor is not None else RuleFactExtractor()
    selected: dict[str, set[int]] = {}
    with index.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name = f"{row['Topic']}_{row['File']}"
            selected.setdefault(name, set()).add(int(row["Sentence Number"]))
    wanted = None if topics is None else {int(t) for t in topics}
    folders = sorted(
        (p for p in corpus.iterdir() if p.is_dir() and p.name.isdigit()), key=lambda p: int(p.name)
    )
    checks: list[EventCheck] = []
    files: list[Path] = [index]
    for folder in folders:
        if wanted is not None and int(folder.name) not in wanted:
            continue
        documents: list[Document] = []
        spans: list[list[tuple[int, int, int]]] = []
        events: list[frozenset[str]] = []
        subtopics: list[str] = []
        for xml in sorted(folder.glob("*.xml")):
            files.append(xml)
            doc, doc_spans, gold = _ecbplus_document(xml, selected.get(xml.stem, set()))
            if not doc_spans:
                continue
            documents.append(doc)
            spans.append(doc_spans)
            events += gold
            subtopics += ["ecbplus" if xml.stem.endswith("ecbplus") else "ecb"] * len(gold)
        if len(documents) < 2:
            continue
        order = sorted(range(len(documents)), key=lambda k: documents[k].id)
        documents = [documents[k] for k in order]
        starts = np.cumsum([0] + [len(s) for s in spans])
        events = [events[i] for k in order for i in range(starts[k], starts[k + 1])]
        subtopics = [subtopics[i] for k in order for i in range(starts[k], starts[k + 1])]
        spans = [spans[k] for k in order]
        claims, groups = _build_claims(documents, spans, extractor)
        rows, cols = _all_pairs(groups)
        labels = np.array([bool(events[i] & events[j]) for i, j in zip(rows, cols, strict=True)])
        checks.append(
            EventCheck(
                name=folder.name,
                documents=tuple(documents),
                claims=tuple(claims),
                groups=groups,
                rows=rows,
                cols=cols,
                labels=labels.astype(bool),
                events=tuple(events),
                subtopics=tuple(subtopics),
            )
        )
    if not checks:
        raise ConfigError(f"{root}: no ECB+ topic with annotated sentences was found")
    return checks, files


_TRUE = {"1", "true", "yes"}
_FALSE = {"0", "false", "no"}
_CSV_COLUMNS = ("document_a", "text_a", "document_b", "text_b", "same_event")


def read_pair_csv(
    path: str | os.PathLike[str], *, extractor: FactExtractor | None = None
) -> list[EventCheck]:
    """Read a CSV of labelled sentence pairs as one :class:`EventCheck` per ``group``.

    Raises
    ------
    ConfigError
        For a missing column, an empty text, a pair within one document, or a
        ``same_event`` that is not a yes or no; the message names the line.
    """
    source = Path(path)
    extractor = extractor if extractor is not None else RuleFactExtractor()
    rows_by_group: dict[str, list[tuple[str, str, str, str, bool]]] = {}
    try:
        handle = source.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigError(f"{source} cannot be read ({exc.strerror})") from None
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in _CSV_COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise ConfigError(f"{source}: missing column(s) {', '.join(missing)}")
        for line, row in enumerate(reader, start=2):
            values = [(row.get(c) or "").strip() for c in _CSV_COLUMNS]
            doc_a, text_a, doc_b, text_b, flag = values
            if not all(values[:4]):
                raise ConfigError(f"{source}, line {line}: empty document or text")
            if doc_a == doc_b:
                raise ConfigError(
                    f"{source}, line {line}: both sentences are from document {doc_a!r}; "
                    "only pairs of different documents are compared"
                )
            if flag.lower() not in _TRUE | _FALSE:
                raise ConfigError(
                    f"{source}, line {line}: same_event must be 1/0, true/false or yes/no, "
                    f"got {flag!r}"
                )
            group = (row.get("group") or "").strip() or "all"
            rows_by_group.setdefault(group, []).append(
                (doc_a, text_a, doc_b, text_b, flag.lower() in _TRUE)
            )
    if not rows_by_group:
        raise ConfigError(f"{source}: no labelled pairs")
    checks = []
    for group in sorted(rows_by_group, key=_natural):
        sentences: dict[str, list[str]] = {}
        for doc_a, text_a, doc_b, text_b, _ in rows_by_group[group]:
            for doc_id, text in ((doc_a, text_a), (doc_b, text_b)):
                known = sentences.setdefault(doc_id, [])
                if text not in known:
                    known.append(text)
        documents = [Document(id=d, text="\n".join(sentences[d])) for d in sorted(sentences)]
        spans = []
        for doc in documents:
            offsets, at = [], 0
            for n, text in enumerate(sentences[doc.id]):
                offsets.append((n, at, at + len(text)))
                at += len(text) + 1
            spans.append(offsets)
        claims, groups = _build_claims(documents, spans, extractor)
        index = {(c.document, c.text): k for k, c in enumerate(claims)}
        labelled: dict[tuple[int, int], bool] = {}
        for doc_a, text_a, doc_b, text_b, same in rows_by_group[group]:
            i, j = index[(doc_a, text_a)], index[(doc_b, text_b)]
            key = (min(i, j), max(i, j))
            labelled[key] = labelled.get(key, False) or same
        keys = sorted(labelled)
        checks.append(
            EventCheck(
                name=group,
                documents=tuple(documents),
                claims=tuple(claims),
                groups=groups,
                rows=np.array([k[0] for k in keys], dtype=np.int64),
                cols=np.array([k[1] for k in keys], dtype=np.int64),
                labels=np.array([labelled[k] for k in keys], dtype=bool),
            )
        )
    return checks


def read_event_data(
    path: str | os.PathLike[str],
    *,
    topics: Iterable[int] | None = None,
    extractor: FactExtractor | None = None,
) -> tuple[list[EventCheck], list[Path]]:
    """ECB+ from a folder, or labelled pairs from a ``.csv`` file; and the files read."""
    source = Path(path)
    if source.is_dir():
        return read_ecbplus(source, topics=topics, extractor=extractor)
    if source.suffix.lower() == ".csv" and source.is_file():
        return read_pair_csv(source, extractor=extractor), [source]
    raise ConfigError(
        f"{source} is neither an ECB+ folder nor a .csv file of labelled sentence pairs"
    )


# ---------------------------------------------------------------------------
# Features


@attrs.frozen(slots=True, eq=False)
class PreparedCheck:
    """A check with its embeddings, features, and the pipeline's candidate graph.

    ``features`` are those of the labelled pairs (training), ``candidates``
    the pairs the pipeline would score, with ``candidate_features``.
    """

    check: EventCheck
    embeddings: F32
    features: F64
    candidates: PairSet
    candidate_features: F64


def _embed_all(checks: Sequence[EventCheck], embedder: Embedder) -> list[F32]:
    texts = sorted({c.text for check in checks for c in check.claims})
    vectors = np.asarray(embedder.embed(texts), dtype=np.float32)
    row = {t: k for k, t in enumerate(texts)}
    return [
        vectors[np.array([row[c.text] for c in check.claims], dtype=np.int64)] for check in checks
    ]


def prepare_checks(
    checks: Sequence[EventCheck],
    embedder: Embedder,
    *,
    neighbors: int = NEIGHBORS,
    candidate_threshold: float = CANDIDATE_THRESHOLD,
) -> list[PreparedCheck]:
    """Embed every claim once and compute the features of each check's pairs."""
    out = []
    for check, e in zip(checks, _embed_all(checks, embedder), strict=True):
        cosines = np.einsum("ij,ij->i", e[check.rows], e[check.cols])
        features = pair_features(
            check.documents, check.claims, check.groups, check.rows, check.cols, cosines
        )
        candidates = cross_document_neighbor_pairs(
            e, check.groups, k=neighbors, threshold=candidate_threshold
        )
        candidate_features = pair_features(
            check.documents,
            check.claims,
            check.groups,
            candidates.rows,
            candidates.cols,
            candidates.scores,
        )
        out.append(PreparedCheck(check, e, features, candidates, candidate_features))
    return out


# ---------------------------------------------------------------------------
# Scores


@attrs.frozen(slots=True)
class Scores:
    """Pair counts and B-cubed sums of clusterings, pooled over checks.

    Pair figures count labelled cross-document pairs: a predicted positive is
    a pair in one cluster. B-cubed is the extended B-cubed of Amigó et al.
    (2009), over claims with gold events (ECB+ only).
    """

    tp: int = 0
    predicted: int = 0
    gold: int = 0
    b3_precision: float = 0.0
    b3_recall: float = 0.0
    b3_items: int = 0

    def __add__(self, other: Scores) -> Scores:
        return Scores(
            self.tp + other.tp,
            self.predicted + other.predicted,
            self.gold + other.gold,
            self.b3_precision + other.b3_precision,
            self.b3_recall + other.b3_recall,
            self.b3_items + other.b3_items,
        )

    def figures(self) -> dict[str, float]:
        """Pair P/R/F1 and B-cubed P/R/F1, rounded to 6 decimals."""
        p = self.tp / self.predicted if self.predicted else 0.0
        r = self.tp / self.gold if self.gold else 0.0
        bp = self.b3_precision / self.b3_items if self.b3_items else 0.0
        br = self.b3_recall / self.b3_items if self.b3_items else 0.0
        out = {
            "pair_precision": p,
            "pair_recall": r,
            "pair_f1": _f1(p, r),
            "b3_precision": bp,
            "b3_recall": br,
            "b3_f1": _f1(bp, br),
        }
        return {k: round(v, 6) for k, v in out.items()}


def _f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def score_labels(check: EventCheck, labels: npt.ArrayLike) -> Scores:
    """Score one check's cluster labels against its gold pairs (and events)."""
    lab = np.asarray(labels)
    same = lab[check.rows] == lab[check.cols]
    tp = int(np.sum(same & check.labels))
    scores = Scores(tp, int(np.sum(same)), int(np.sum(check.labels)))
    if check.events is None:
        return scores
    items = [i for i, e in enumerate(check.events) if e]
    p_sum = r_sum = 0.0
    for i in items:
        precision: list[float] = []
        recall: list[float] = []
        for j in items:
            shared = len(check.events[i] & check.events[j])
            together = 1 if lab[i] == lab[j] else 0
            if together:
                precision.append(min(together, shared) / together)
            if shared:
                recall.append(min(together, shared) / shared)
        p_sum += sum(precision) / len(precision)
        r_sum += sum(recall) / len(recall)
    return scores + Scores(0, 0, 0, p_sum, r_sum, len(items))


# ---------------------------------------------------------------------------
# Fitting and cross-validation


def make_estimator(*, regularisation: float = REGULARISATION) -> Any:
    """``StandardScaler`` then ``LogisticRegression`` (L2, lbfgs: deterministic)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    return Pipeline(
        [
            ("scale", StandardScaler()),
            ("logistic", LogisticRegression(C=regularisation, max_iter=MAX_ITER)),
        ]
    )


def _fit(prepared: Sequence[PreparedCheck], regularisation: float) -> Any:
    x = np.vstack([p.features for p in prepared])
    y = np.concatenate([p.check.labels for p in prepared]).astype(np.int64)
    if len(set(y.tolist())) < 2:
        raise ConfigError("the training data needs both same-event and other pairs")
    return make_estimator(regularisation=regularisation).fit(x, y)


def _positive_column(estimator: Any) -> int:
    return int(list(estimator.classes_).index(1))


def cluster_check(prepared: PreparedCheck, probabilities: F64, threshold: float) -> I64:
    """Average linkage of one check's candidate graph at ``threshold``."""
    pairs = prepared.candidates
    return AverageLinkageClusterer(threshold=threshold).labels(
        prepared.check.groups, pairs.rows, pairs.cols, probabilities
    )


def _held_out_scores(
    train: Sequence[PreparedCheck],
    test: Sequence[PreparedCheck],
    regularisation: float,
    thresholds: Sequence[float],
) -> list[Scores]:
    """Fit on ``train``; score ``test`` at every threshold."""
    estimator = _fit(train, regularisation)
    column = _positive_column(estimator)
    totals = [Scores() for _ in thresholds]
    for p in test:
        proba = estimator.predict_proba(p.candidate_features)[:, column]
        for k, t in enumerate(thresholds):
            totals[k] = totals[k] + score_labels(p.check, cluster_check(p, proba, t))
    return totals


def _folds(n: int, folds: int) -> list[list[int]]:
    return [list(range(k, n, folds)) for k in range(folds)]


def choose_threshold(
    prepared: Sequence[PreparedCheck],
    *,
    folds: int,
    regularisation: float = REGULARISATION,
    thresholds: Sequence[float] = THRESHOLDS,
) -> tuple[float, dict[float, float]]:
    """The threshold with the best pooled held-out pair F1, and F1 per threshold.

    Ties go to the lower threshold.
    """
    parts = _folds(len(prepared), folds)
    totals = [Scores() for _ in thresholds]
    for part in parts:
        test = [prepared[i] for i in part]
        train = [p for i, p in enumerate(prepared) if i not in set(part)]
        for k, s in enumerate(_held_out_scores(train, test, regularisation, thresholds)):
            totals[k] = totals[k] + s
    f1 = {t: s.figures()["pair_f1"] for t, s in zip(thresholds, totals, strict=True)}
    best = max(thresholds, key=lambda t: (f1[t], -t))
    return best, f1


def cross_validate(
    prepared: Sequence[PreparedCheck],
    *,
    folds: int = 5,
    regularisation: float = REGULARISATION,
    thresholds: Sequence[float] = THRESHOLDS,
    log: Log | None = None,
) -> dict[str, Any]:
    """Nested, grouped cross-validation of the scorer and its threshold.

    Returns
    -------
    dict
        ``folds``: per outer fold its checks, the threshold chosen on the
        other folds and the held-out figures (:meth:`Scores.figures`);
        ``mean``: the mean of each figure over the folds; ``pooled``: the
        figures of all held-out checks pooled.
    """
    if folds < 2 or len(prepared) < folds:
        raise ConfigError(
            f"cross-validation needs at least {max(folds, 2)} groups, got {len(prepared)} "
            f"(folds={folds}); give the CSV a group column"
        )
    log = log if log is not None else _quiet
    parts = _folds(len(prepared), folds)
    rows: list[dict[str, Any]] = []
    pooled = Scores()
    for k, part in enumerate(parts):
        test = [prepared[i] for i in part]
        train = [p for i, p in enumerate(prepared) if i not in set(part)]
        inner = min(folds - 1, len(train))
        threshold, _ = choose_threshold(
            train, folds=inner, regularisation=regularisation, thresholds=thresholds
        )
        (scores,) = _held_out_scores(train, test, regularisation, [threshold])
        pooled = pooled + scores
        figures = scores.figures()
        rows.append(
            {
                "fold": k + 1,
                "checks": [p.check.name for p in test],
                "threshold": threshold,
                **figures,
            }
        )
        log(f"fold {k + 1}: threshold {threshold}, pair F1 {figures['pair_f1']:.3f}")
    keys = list(Scores().figures())
    mean = {key: round(float(np.mean([r[key] for r in rows])), 6) for key in keys}
    return {"folds": rows, "mean": mean, "pooled": pooled.figures()}


def _default_embedder(cache_dir: str | os.PathLike[str] | None) -> Embedder:
    inner = SentenceTransformerEmbedder()
    if cache_dir is None:
        return inner
    return CachedEmbedder(inner=inner, directory=Path(cache_dir))


def fit_event_model(
    path: str | os.PathLike[str],
    *,
    output: str | os.PathLike[str] | None = None,
    embedder: Embedder | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    topics: Iterable[int] | None = None,
    folds: int = 5,
    regularisation: float = REGULARISATION,
    neighbors: int = NEIGHBORS,
    candidate_threshold: float = CANDIDATE_THRESHOLD,
    log: Log | None = None,
) -> modelfile.ModelFile:
    """Train the same-event model from ECB+ or a CSV of labelled pairs.

    Parameters
    ----------
    path : path
        An ECB+ folder or a ``.csv`` of labelled sentence pairs (see the module
        docstring for both layouts).
    output : path, optional
        Where to write the model file (e.g. ``factcheck/trained/events.json``).
    embedder : Embedder, optional
        The sentence embedder; the pipeline's default (all-MiniLM-L6-v2) if
        not given. A model trained with one embedder expects its cosines.
    cache_dir : path, optional
        An embedding cache folder for the default embedder.
    topics : iterable of int, optional
        ECB+ topics to use (all in the folder by default).
    folds : int
        Cross-validation folds over the checks (topics or CSV groups).
    regularisation : float
        The logistic regression's ``C``.
    neighbors, candidate_threshold : int, float
        The candidate graph the clustering is validated on (``Checker``'s).
    log : callable, optional
        Called with a line of progress now and then.

    Returns
    -------
    ModelFile
        The fitted model, with the cross-validated figures, the chosen
        threshold and digests of the data in its metadata. Retraining from the
        same data with the same versions gives the same bytes.

    Raises
    ------
    ConfigError
        For data that cannot be read or is too small to cross-validate.
    """
    log = log if log is not None else _quiet
    embedder = embedder if embedder is not None else _default_embedder(cache_dir)
    checks, files = read_event_data(path, topics=topics)
    log(f"read {len(checks)} checks, {sum(len(c.claims) for c in checks)} claims")
    prepared = prepare_checks(
        checks, embedder, neighbors=neighbors, candidate_threshold=candidate_threshold
    )
    cv = cross_validate(prepared, folds=folds, regularisation=regularisation, log=log)
    threshold, f1_by_threshold = choose_threshold(
        prepared, folds=folds, regularisation=regularisation
    )
    log(f"threshold {threshold} (cross-validated pair F1 {f1_by_threshold[threshold]:.3f})")
    estimator = _fit(prepared, regularisation)
    x = np.vstack([p.features for p in prepared])
    y = np.concatenate([p.check.labels for p in prepared]).astype(np.int64)
    group = [p.check.name for p in prepared for _ in range(p.features.shape[0])]
    is_ecbplus = Path(path).is_dir()
    metadata: dict[str, Any] = {
        "data": {
            "source": "ECB+ (ECBplus_coreference_sentences.csv and ECB+/*/*.xml)"
            if is_ecbplus
            else "CSV of labelled sentence pairs",
            "checks": [p.check.name for p in prepared],
            "claims": int(sum(len(p.check.claims) for p in prepared)),
            "pairs": int(y.shape[0]),
            "same_event_pairs": int(y.sum()),
            "files_sha256": modelfile.digest_files(files),
            "rows_sha256": modelfile.digest_rows(x, y.tolist(), group),
        },
        "embedder": embedder.identity,
        "estimator": "StandardScaler + LogisticRegression (L2, lbfgs)",
        "training": {
            "regularisation_C": regularisation,
            "max_iter": MAX_ITER,
            "folds": folds,
            "fold_assignment": "checks sorted, dealt round-robin",
            "pairs": "every cross-document pair of annotated claims",
        },
        "clustering": {
            "method": "average linkage over P(same event); absent pairs count 0",
            "threshold": threshold,
            "chosen_by": f"pooled held-out pair F1, {folds}-fold grouped cross-validation",
            "held_out_pair_f1_by_threshold": {
                f"{t:.3f}": f for t, f in sorted(f1_by_threshold.items())
            },
            "candidate_graph": {"neighbors": neighbors, "threshold": candidate_threshold},
        },
        "cross_validation": cv,
    }
    model = modelfile.from_estimator(
        estimator, name=MODEL_NAME, features=FEATURES, metadata=metadata
    )
    if output is not None:
        model.save(output)
        log(f"wrote {output}")
    return model


def _metadata_summary(metadata: Mapping[str, Any]) -> str:
    """One line of a model's cross-validated figures (for the CLI)."""
    cv = metadata.get("cross_validation", {}).get("mean", {})
    threshold = metadata.get("clustering", {}).get("threshold")
    return (
        f"threshold {threshold}; cross-validated pair F1 {cv.get('pair_f1', float('nan')):.3f}, "
        f"B-cubed F1 {cv.get('b3_f1', float('nan')):.3f}"
    )
