"""Stance of an article towards a claim: for, against, observing or unrelated.

``factcheck.stance(claim, document)`` answers *does this article support this
claim, dispute it, merely report it, or talk about something else?*, with a
probability and the sentences it rests on. It is built for many documents: a
:class:`StanceDocument` holds one document's sentences, their embeddings and
their word statistics, computed once (:meth:`Stancer.prepare_many` embeds the
sentences of many documents in one batch), and every claim asked of it costs
one claim embedding and a few vector products.

The decision is a gradient-boosted tree model trained on FNC-1 and Emergent
(``factcheck/trained/stance.json``; see :func:`factcheck.training.fit_stance_model`
and docs/training.md) over features that rules miss:

* **meaning**: MiniLM cosine between the claim and each sentence (the best,
  the mean of the best three, the mean, the first sentence's, the margin of the
  best over the runner-up, and where in the document the best one lies);
* **words**: TF-IDF and BM25 over lemmas, fitted on the document itself; the
  share of the claim's content words (and word pairs) the document uses; the
  words that differ between the claim and its best-matching sentence;
* **cues** (``factcheck/resources/en/stance_cues.json``, general words only):
  refuting (*hoax, fake*; *denied, debunked*; *false, not true*; *doubt*),
  hedging (*may, could*; *reportedly, claims, unconfirmed*; *according to,
  sources*; *unclear, declined to comment*), supporting (*confirmed,
  officially*) and negating words,
  in the claim, in the three best-matching sentences, and over the document
  weighted by how well each sentence matches;
* **negation scope**: a negation in the claim and not in its best match (or the
  reverse), and negations within three words of a word the two share;
* **numbers**: how many of the claim's numbers the best sentences state, and
  how far the nearest one is (``|log(a / b)|``);
* **assertion modes** (:mod:`factcheck.assertion`) of the claim and of the best
  sentences (asserted, hedged, attributed, denied, question, quoted).

Every feature is rounded to 6 decimals, so float noise between machines does
not move a tree's decision.

Examples
--------
>>> from factcheck import Document
>>> from factcheck.embedding import HashingEmbedder
>>> stancer = Stancer(embedder=HashingEmbedder())
>>> doc = stancer.prepare(Document(id="d", text="The bridge fell. Nobody was hurt."))
>>> [s.text for s in doc.sentences]
['The bridge fell.', 'Nobody was hurt.']
>>> stancer.features("The bridge collapsed.", doc).shape == (len(FEATURES),)
True
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from factcheck import modelfile, validation
from factcheck.assertion import AssertionRules, cue_pattern
from factcheck.embedding import Embedder, SentenceTransformerEmbedder
from factcheck.errors import ConfigError
from factcheck.records import AssertionMode, Document, Sentence, Stance, StanceLabel
from factcheck.segmenting import RuleSegmenter, Segmenter

__all__ = [
    "CUE_KINDS",
    "FEATURES",
    "MODEL_NAME",
    "StanceCues",
    "StanceDocument",
    "Stancer",
    "default_model_path",
    "load_model",
    "stance",
]

F64 = npt.NDArray[np.float64]
F32 = npt.NDArray[np.float32]

MODEL_NAME = "stance"
#: The kinds of cue words read from ``stance_cues.json``, in feature order.
CUE_KINDS = (
    "fake", "deny", "untrue", "doubt", "modal", "hearsay", "source", "unclear", "support",
    "negation",
)  # fmt: skip
_MODES = tuple(AssertionMode)
_TOP = 3

#: The feature names, in the order of the model's columns.
FEATURES: tuple[str, ...] = (
    "claim_tokens",
    "doc_sentences",
    "doc_tokens",
    "cos_max",
    "cos_top3",
    "cos_mean",
    "cos_first",
    "cos_gap",
    "best_position",
    "tfidf_max",
    "tfidf_doc",
    "bm25_max",
    "cover_doc",
    "cover_best",
    "cover_top3",
    "bigram_doc",
    "jaccard_best",
    "extra_best",
    *(f"claim_{k}" for k in CUE_KINDS),
    *(f"claim_mode_{m.value}" for m in _MODES),
    *(f"top_{k}" for k in CUE_KINDS),
    *(f"doc_{k}" for k in CUE_KINDS),
    *(f"weighted_{k}" for k in CUE_KINDS),
    "neg_mismatch",
    "neg_near_overlap",
    *(f"top_mode_{m.value}" for m in _MODES),
    "claim_numbers",
    "numbers_found",
    "number_delta",
)

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])|(?<![\w.])\d+(?:\.\d+)?")


# ---------------------------------------------------------------------------
# Words


@functools.lru_cache(maxsize=1 << 16)
def _lemma(word: str) -> str:
    import simplemma

    return str(simplemma.lemmatize(word, lang="en")).lower()


@functools.lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


def _words(text: str) -> list[str]:
    return _TOKEN.findall(text.lower().replace("’", "'"))


def content_lemmas(text: str) -> list[str]:
    """The lemmas of a text's words, stop words left out, in text order.

    >>> content_lemmas("The bridges were closed on Monday.")
    ['bridge', 'close', 'monday']
    """
    stop = _stop_words()
    return [_lemma(w) for w in _words(text) if w not in stop]


def _numbers(text: str) -> list[float]:
    return [float(m.group().replace(",", "")) for m in _NUMBER.finditer(text)]


@attrs.frozen(slots=True)
class StanceCues:
    """Compiled cue patterns of one language, by kind (see :data:`CUE_KINDS`)."""

    language: str
    patterns: tuple[re.Pattern[str] | None, ...]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, language: str = "custom") -> StanceCues:
        patterns = []
        for kind in CUE_KINDS:
            values = data.get(kind)
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise ConfigError(f"stance cues: {kind!r} must be a list of strings")
            patterns.append(cue_pattern(values))
        return cls(language=language, patterns=tuple(patterns))

    @classmethod
    def load(cls, language: str = "en") -> StanceCues:
        """The packaged cues of ``language`` (``resources/<language>/stance_cues.json``)."""
        return _load_cues(language)

    def counts(self, text: str) -> tuple[int, ...]:
        """How many cues of each kind the text holds."""
        norm = text.replace("’", "'")
        return tuple(0 if p is None else sum(1 for _ in p.finditer(norm)) for p in self.patterns)


@functools.lru_cache(maxsize=8)
def _load_cues(language: str) -> StanceCues:
    if not re.fullmatch(r"[a-z]{2,3}", language):
        raise ConfigError(f"language must be a two- or three-letter code, got {language!r}")
    try:
        text = (
            resources.files("factcheck")
            .joinpath("resources", language, "stance_cues.json")
            .read_text(encoding="utf-8")
        )
    except FileNotFoundError:
        raise ConfigError(f"no stance cues for language {language!r}") from None
    return StanceCues.from_dict(json.loads(text), language=language)


# ---------------------------------------------------------------------------
# Prepared documents


@attrs.frozen(slots=True, eq=False)
class StanceDocument:
    """One document's sentences with everything stance needs of them, computed once.

    Build it with :meth:`Stancer.prepare` or :meth:`Stancer.prepare_many`.
    ``embeddings`` has shape ``(len(sentences), dim)``, float32 unit rows.
    """

    document: Document
    sentences: tuple[Sentence, ...]
    embeddings: F32
    lemmas: tuple[tuple[str, ...], ...]
    counts: tuple[Counter[str], ...]
    idf: dict[str, float]
    default_idf: float
    bm25_idf: dict[str, float]
    default_bm25_idf: float
    norms: F64
    doc_vector: Counter[str]
    doc_norm: float
    doc_bigrams: frozenset[tuple[str, str]]
    cues: npt.NDArray[np.int64]
    modes: tuple[AssertionMode, ...]
    numbers: tuple[tuple[float, ...], ...]
    mean_length: float


def _prepare(
    document: Document,
    sentences: Sequence[Sentence],
    embeddings: F32,
    cues: StanceCues,
    rules: AssertionRules,
) -> StanceDocument:
    lemmas = tuple(tuple(content_lemmas(s.text)) for s in sentences)
    counts = tuple(Counter(ls) for ls in lemmas)
    n = len(sentences)
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    idf = {t: math.log((1 + n) / (1 + d)) + 1.0 for t, d in df.items()}
    default_idf = math.log(1 + n) + 1.0
    bm25_idf = {t: math.log(1.0 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
    default_bm25 = math.log(1.0 + (n + 0.5) / 0.5)
    norms = np.array(
        [math.sqrt(sum((v * idf[t]) ** 2 for t, v in c.items())) for c in counts], dtype=np.float64
    )
    doc_vector: Counter[str] = Counter()
    for c in counts:
        doc_vector.update(c)
    doc_norm = math.sqrt(sum((v * idf[t]) ** 2 for t, v in doc_vector.items()))
    bigrams = frozenset(b for ls in lemmas for b in itertools.pairwise(ls))
    cue_matrix = np.array([cues.counts(s.text) for s in sentences], dtype=np.int64).reshape(
        n, len(CUE_KINDS)
    )
    return StanceDocument(
        document=document,
        sentences=tuple(sentences),
        embeddings=embeddings,
        lemmas=lemmas,
        counts=counts,
        idf=idf,
        default_idf=default_idf,
        bm25_idf=bm25_idf,
        default_bm25_idf=default_bm25,
        norms=norms,
        doc_vector=doc_vector,
        doc_norm=doc_norm,
        doc_bigrams=bigrams,
        cues=cue_matrix,
        modes=tuple(rules.mode(s.text) for s in sentences),
        numbers=tuple(tuple(_numbers(s.text)) for s in sentences),
        mean_length=float(np.mean([len(ls) for ls in lemmas])) if lemmas else 0.0,
    )


# ---------------------------------------------------------------------------
# Features


def _near_negation(claim_set: frozenset[str], text: str, negation: re.Pattern[str] | None) -> int:
    """Negations within three words of a word of the claim."""
    if negation is None:
        return 0
    words = _words(text)
    hits = 0
    for i, w in enumerate(words):
        if negation.fullmatch(w) or w.endswith("n't"):
            window = words[max(0, i - 3) : i + 4]
            if any(_lemma(x) in claim_set for x in window if x != w):
                hits += 1
    return hits


def _features(
    claim: str,
    claim_embedding: F32,
    doc: StanceDocument,
    cues: StanceCues,
    rules: AssertionRules,
) -> F64:
    lemmas = content_lemmas(claim)
    claim_set = frozenset(lemmas)
    n = len(doc.sentences)
    out: list[float] = [
        math.log1p(len(lemmas)),
        math.log1p(n),
        math.log1p(sum(doc.doc_vector.values())),
    ]
    if n:
        cos = (doc.embeddings @ claim_embedding.astype(np.float32)).astype(np.float64)
    else:
        cos = np.zeros(0)
    order = np.argsort(-cos, kind="stable")
    top = order[:_TOP]
    if n:
        ranked = cos[order]
        out += [
            float(ranked[0]),
            float(ranked[:_TOP].mean()),
            float(cos.mean()),
            float(cos[0]),
            float(ranked[0] - ranked[1]) if n > 1 else 0.0,
            float(order[0]) / max(n - 1, 1),
        ]
    else:
        out += [0.0] * 6
    # TF-IDF and BM25, fitted on the document.
    claim_counts = Counter(lemmas)
    qv = {t: v * doc.idf.get(t, doc.default_idf) for t, v in claim_counts.items()}
    qnorm = math.sqrt(sum(v * v for v in qv.values())) or 1.0
    tfidf = []
    bm25 = []
    for c, norm, ls in zip(doc.counts, doc.norms.tolist(), doc.lemmas, strict=True):
        dot = sum(qv[t] * c[t] * doc.idf[t] for t in qv if t in c)
        tfidf.append(dot / (qnorm * norm) if norm else 0.0)
        length = len(ls) / (doc.mean_length or 1.0)
        score = 0.0
        for t in claim_set:
            f = c.get(t, 0)
            if f:
                score += doc.bm25_idf[t] * f * 2.2 / (f + 1.2 * (0.25 + 0.75 * length))
        bm25.append(score / max(len(claim_set), 1))
    dot = sum(qv[t] * doc.doc_vector[t] * doc.idf[t] for t in qv if t in doc.doc_vector)
    out += [
        max(tfidf, default=0.0),
        dot / (qnorm * doc.doc_norm) if doc.doc_norm else 0.0,
        max(bm25, default=0.0),
    ]
    # Coverage of the claim's words, and what differs from the best sentence.
    size = max(len(claim_set), 1)
    best_set = frozenset(doc.lemmas[int(order[0])]) if n else frozenset()
    top_set = frozenset(t for i in top.tolist() for t in doc.lemmas[i])
    bigrams = list(itertools.pairwise(lemmas))
    union = claim_set | best_set
    out += [
        len(claim_set & doc.doc_vector.keys()) / size,
        len(claim_set & best_set) / size,
        len(claim_set & top_set) / size,
        sum(b in doc.doc_bigrams for b in bigrams) / max(len(bigrams), 1),
        len(claim_set & best_set) / len(union) if union else 0.0,
        len(best_set - claim_set) / max(len(best_set), 1),
    ]
    # Cue words: in the claim, the best sentences, the document, and weighted by match.
    claim_cues = cues.counts(claim)
    out += [float(v) for v in claim_cues]
    claim_mode = rules.mode(claim)
    out += [float(claim_mode is m) for m in _MODES]
    if n:
        present = (doc.cues > 0).astype(np.float64)
        out += (present[top].sum(axis=0) / len(top)).tolist()
        out += present.mean(axis=0).tolist()
        weight = np.clip(cos, 0.0, None)
        total = weight.sum()
        out += ((weight @ present) / total).tolist() if total > 0 else [0.0] * len(CUE_KINDS)
    else:
        out += [0.0] * (3 * len(CUE_KINDS))
    # Negation scope.
    negation = cues.patterns[CUE_KINDS.index("negation")]
    neg_claim = claim_cues[CUE_KINDS.index("negation")] > 0
    neg_best = bool(n) and doc.cues[int(order[0]), CUE_KINDS.index("negation")] > 0
    out.append(float(neg_claim != neg_best) if n else 0.0)
    out.append(
        float(sum(_near_negation(claim_set, doc.sentences[i].text, negation) for i in top.tolist()))
    )
    # Assertion modes of the best sentences.
    modes = [doc.modes[i] for i in top.tolist()]
    out += [sum(x is m for x in modes) / max(len(modes), 1) for m in _MODES]
    # Numbers.
    claim_numbers = _numbers(claim)
    near = [v for i in top.tolist() for v in doc.numbers[i]]
    found = sum(any(v == x for x in near) for v in claim_numbers)
    delta = 0.0
    for v in claim_numbers:
        if near:
            delta = max(delta, min(abs(math.log((v + 1.0) / (x + 1.0))) for x in near if x >= 0))
    out += [float(len(claim_numbers)), found / max(len(claim_numbers), 1), delta]
    vector = np.asarray(np.round(np.asarray(out, dtype=np.float64), 6) + 0.0, dtype=np.float64)
    return vector  # rounded; + 0.0 turns negative zeros into zeros


# ---------------------------------------------------------------------------
# The model


def default_model_path() -> Path:
    """Where the shipped stance model lives (``factcheck/trained/stance.json``)."""
    return Path(str(resources.files("factcheck").joinpath("trained", "stance.json")))


@functools.lru_cache(maxsize=4)
def _load_model(path: str) -> modelfile.ModelFile:
    return modelfile.load(path, name=MODEL_NAME, features=FEATURES)


def load_model(path: str | Path | None = None) -> modelfile.ModelFile:
    """The stance model file (the shipped one by default), checked against :data:`FEATURES`.

    Raises
    ------
    ModelError
        When the file is missing, malformed, or trained on other features.
    """
    return _load_model(str(default_model_path() if path is None else Path(path)))


def _positive(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if not isinstance(value, int) or value < 1:
        raise ConfigError(f"{attribute.name} must be a positive integer, got {value!r}")


@attrs.frozen(slots=True, kw_only=True)
class Stancer:
    """Stance of documents towards claims. All settings are keyword-only.

    Parameters
    ----------
    embedder : Embedder
        Embeds the claim and the sentences; the model was trained on
        all-MiniLM-L6-v2 cosines (the default), so another embedder gives
        other, uncalibrated figures.
    segmenter : Segmenter
        Splits a document into sentences.
    model : ModelFile or None
        A stance model file; ``None`` loads the shipped one on first use.
    evidence : int
        How many best-matching sentences a :class:`~factcheck.records.Stance` cites.
    language : str
        The language of the cue words and assertion rules.
    """

    embedder: Embedder = attrs.field(factory=SentenceTransformerEmbedder)
    segmenter: Segmenter = attrs.field(factory=RuleSegmenter)
    model: modelfile.ModelFile | None = None
    evidence: int = attrs.field(default=3, validator=_positive)
    language: str = "en"

    @property
    def cues(self) -> StanceCues:
        return StanceCues.load(self.language)

    @property
    def rules(self) -> AssertionRules:
        return AssertionRules.load(self.language)

    def prepare(self, document: Document) -> StanceDocument:
        """One document, segmented and embedded (see :meth:`prepare_many`)."""
        return self.prepare_many([document])[0]

    def prepare_many(self, documents: Iterable[Document]) -> list[StanceDocument]:
        """Documents segmented, their sentences embedded in one batch, their words counted."""
        docs = list(documents)
        per_doc = [[s for s in self.segmenter.segment(d) if isinstance(s, Sentence)] for d in docs]
        texts = [s.text for sentences in per_doc for s in sentences]
        matrix = np.asarray(self.embedder.embed(texts), dtype=np.float32) if texts else None
        out: list[StanceDocument] = []
        row = 0
        cues, rules = self.cues, self.rules
        for doc, sentences in zip(docs, per_doc, strict=True):
            if matrix is None:
                emb = np.zeros((0, 0), dtype=np.float32)
            else:
                emb = matrix[row : row + len(sentences)]
            row += len(sentences)
            out.append(_prepare(doc, sentences, emb, cues, rules))
        return out

    def embed_claims(self, claims: Sequence[str]) -> F32:
        """The claims' embeddings, shape ``(len(claims), dim)``."""
        return np.asarray(self.embedder.embed(list(claims)), dtype=np.float32)

    def features(
        self, claim: str, document: StanceDocument, claim_embedding: F32 | None = None
    ) -> F64:
        """One claim's features against one prepared document, shape ``(len(FEATURES),)``."""
        if claim_embedding is None:
            claim_embedding = self.embed_claims([claim])[0]
        return _features(claim, claim_embedding, document, self.cues, self.rules)

    def _model(self) -> modelfile.ModelFile:
        return self.model if self.model is not None else load_model()

    def stance(
        self,
        claim: str,
        document: Document | StanceDocument,
        *,
        claim_embedding: F32 | None = None,
    ) -> Stance:
        """The stance of one document towards one claim."""
        prepared = document if isinstance(document, StanceDocument) else self.prepare(document)
        return self.stances(claim, [prepared], claim_embedding=claim_embedding)[0]

    def stances(
        self,
        claim: str,
        documents: Iterable[Document | StanceDocument],
        *,
        claim_embedding: F32 | None = None,
    ) -> list[Stance]:
        """The stance of each document towards one claim (the claim is embedded once)."""
        if not isinstance(claim, str) or not claim.strip():
            raise ConfigError(f"claim must be a non-blank string, got {claim!r}")
        items = list(documents)
        raw = [d for d in items if isinstance(d, Document)]
        prepared_raw = iter(self.prepare_many(raw))
        prepared = [next(prepared_raw) if isinstance(d, Document) else d for d in items]
        if claim_embedding is None:
            claim_embedding = self.embed_claims([claim])[0]
        if not prepared:
            return []
        X = np.stack([self.features(claim, d, claim_embedding) for d in prepared])
        model = self._model()
        proba = model.predict_proba(X)
        labels = [StanceLabel(str(c)) for c in model.classes]
        out: list[Stance] = []
        for doc, p in zip(prepared, proba, strict=True):
            k = int(np.argmax(p))
            label = labels[k]
            by_label = dict(zip(labels, p.tolist(), strict=True))
            evidence: tuple[Sentence, ...] = ()
            if label is not StanceLabel.UNRELATED and len(doc.sentences):
                cos = doc.embeddings @ claim_embedding
                best = np.argsort(-cos, kind="stable")[: self.evidence]
                evidence = tuple(doc.sentences[i] for i in best.tolist())
            out.append(
                Stance(
                    document=doc.document.id,
                    label=label,
                    probability=min(max(float(p[k]), 0.0), 1.0),
                    probabilities=[
                        (lab, min(max(by_label.get(lab, 0.0), 0.0), 1.0)) for lab in StanceLabel
                    ],
                    evidence=evidence,
                )
            )
        return out


@functools.lru_cache(maxsize=1)
def _default_stancer() -> Stancer:
    return Stancer()


@validation.checked
def stance(claim: str, document: Document | str, *, stancer: Stancer | None = None) -> Stance:
    """The stance of a document towards a claim: for, against, observing or unrelated.

    Parameters
    ----------
    claim : str
        The claim, as a sentence.
    document : Document or str
        The article (a bare string becomes ``Document(id="document", text=...)``).
    stancer : Stancer, optional
        A configured :class:`Stancer`; the default one (all-MiniLM-L6-v2 and
        the shipped model) is built once and reused.

    Returns
    -------
    Stance
        The label, its probability, every label's probability and the
        evidence sentences (best match first).
    """
    if isinstance(document, str):
        document = Document(id="document", text=document)
    if not isinstance(document, Document):
        raise ConfigError(
            f"document must be a factcheck.Document or a str, got {type(document).__name__}"
        )
    return (stancer or _default_stancer()).stance(claim, document)
