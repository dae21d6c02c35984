"""Event identity: the features and the learned model behind "same event".

Two claims of different articles report the same real-world event with a
probability that a learned model gives from a few features of the pair
(:func:`pair_features`). The model (``factcheck/trained/events.json``, a
:mod:`factcheck.modelfile` file) is a logistic regression trained on the gold
cross-document event chains of ECB+ topics 1-35 by
:func:`factcheck.training.fit_event_model`; the clustering stage
(:class:`factcheck.clustering.LearnedEventClusterer`) turns its probabilities
into events.

Why these features
------------------
A cosine says two sentences *look* alike; look-alike events (two missile
attacks months apart, two rehab check-ins of two actresses) are told in
look-alike sentences. What tells them apart is mostly the *article* around the
sentence: who else is named in it, which years it mentions, what else it
reports. So beside the sentence-level similarities the features compare the
two whole articles. All are computed for the candidate pairs only (never a
dense ``n x n`` matrix), vectorised, and rounded to 6 decimals, so that float
noise (an embedding computed in another batch) cannot change them.

=========================== ==================================================
feature                     what it measures
=========================== ==================================================
sentence_cosine             cosine of the two claims' sentence embeddings
sentence_lexical            TF-IDF cosine of the claims' lower-cased lemmas
sentence_to_article_min     TF-IDF cosine of each claim with the *other*
sentence_to_article_max     claim's article (the lower and the higher one)
trigger_overlap             Jaccard overlap of the claims' event words
trigger_lexical             TF-IDF cosine of the claims' event words
article_lexical             TF-IDF cosine of the two articles' lemmas
article_names               TF-IDF cosine of the names in the two articles
article_years_shared        1 when the articles mention a common year
article_years_disjoint      1 when both mention years, none in common
entities_shared             log(1 + named entities the claims share)
entities_jaccard            Jaccard overlap of the claims' entity keys
places_shared               log(1 + places the claims share)
numbers_shared              1 when the claims state an equal (overlapping) number
numbers_disjoint            1 when both state numbers and none overlap
dates_shared                1 when the claims state an overlapping full date
dates_disjoint              1 when both state full dates and all are disjoint
lead_position               log(1 + the later sentence position of the two)
=========================== ==================================================

*Lemmas* come from ``simplemma``; the TF-IDF weights are fitted on the
documents of the check itself (a word that every article uses weighs little),
not on a fixed vocabulary. *Event words* stand in for the event triggers (main
verbs and event nouns): the lower-case content words of a claim (not a stop
word, not a name, not a number), lemmatised, so ``checked into`` and ``checks
into`` share ``check``. *Names* are the capitalised words of an article.
*Entities, places, numbers and dates* are the claim's facts
(:meth:`factcheck.Claim.facts_of`, :meth:`~factcheck.Claim.entity_keys`,
:meth:`~factcheck.Claim.stated_dates`); only dates stated in full count, since
a relative date may be unresolved. A fact kind added to
:class:`factcheck.FactKind` is taken in by naming it in ``_ENTITY_KINDS`` or
``_PLACE_KINDS``.

Examples
--------
>>> import numpy as np
>>> from factcheck import Claim, Document
>>> docs = [Document(id="a", text="A quake hits Chile. Rescue begins."),
...         Document(id="b", text="A quake hit Chile on Monday.")]
>>> claims = [Claim(id="a:0", document="a", sentence=0, start=0, end=19,
...                 text="A quake hits Chile."),
...           Claim(id="b:0", document="b", sentence=0, start=0, end=28,
...                 text="A quake hit Chile on Monday.")]
>>> x = pair_features(docs, claims, np.array([0, 1]), np.array([0]), np.array([1]),
...                   np.array([0.8], dtype=np.float32))
>>> dict(zip(FEATURES, x[0].tolist()))["trigger_overlap"]
1.0
"""

from __future__ import annotations

import functools
import math
import os
import re
import threading
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import scipy.sparse

from factcheck import modelfile
from factcheck.errors import ConfigError, ModelError
from factcheck.records import Claim, DateValue, Document, FactKind, NumberValue

__all__ = [
    "FEATURES",
    "FEATURE_DESCRIPTIONS",
    "MODEL_NAME",
    "EventModel",
    "default_model_path",
    "load_event_model",
    "pair_features",
]

F64 = npt.NDArray[np.float64]
F32 = npt.NDArray[np.float32]
I64 = npt.NDArray[np.int64]

MODEL_NAME = "events"

#: The features of a claim pair, in the order of the columns of :func:`pair_features`.
FEATURES: tuple[str, ...] = (
    "sentence_cosine",
    "sentence_lexical",
    "sentence_to_article_min",
    "sentence_to_article_max",
    "trigger_overlap",
    "trigger_lexical",
    "article_lexical",
    "article_names",
    "article_years_shared",
    "article_years_disjoint",
    "entities_shared",
    "entities_jaccard",
    "places_shared",
    "numbers_shared",
    "numbers_disjoint",
    "dates_shared",
    "dates_disjoint",
    "lead_position",
)

#: Each feature in words, for reports ("why these claims are one event").
FEATURE_DESCRIPTIONS: dict[str, str] = {
    "sentence_cosine": "the sentences mean the same (embedding cosine)",
    "sentence_lexical": "the sentences use the same rare words",
    "sentence_to_article_min": "each sentence matches the other article",
    "sentence_to_article_max": "one sentence matches the other article",
    "trigger_overlap": "the same event words",
    "trigger_lexical": "the same rare event words",
    "article_lexical": "the two articles tell the same story",
    "article_names": "the two articles name the same people and places",
    "article_years_shared": "the articles mention the same year",
    "article_years_disjoint": "the articles mention different years",
    "entities_shared": "the sentences name the same entities",
    "entities_jaccard": "the sentences name mostly the same entities",
    "places_shared": "the sentences name the same places",
    "numbers_shared": "the sentences state the same number",
    "numbers_disjoint": "the sentences state different numbers",
    "dates_shared": "the sentences state the same date",
    "dates_disjoint": "the sentences state different dates",
    "lead_position": "late in the articles",
}

# Fact kinds whose values are named participants, and those that are places.
# A kind that a newer extractor adds is used once it is named here.
_ENTITY_KINDS = ("ENTITY", "PERSON", "ORGANIZATION")
_PLACE_KINDS = ("PLACE",)

_DECIMALS = 6
_WORD = re.compile(r"\w+")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


@functools.cache
def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


@functools.lru_cache(maxsize=1 << 17)
def _lemma(word: str) -> str:
    """The lower-case lemma of a lower-case word (simplemma's English dictionary)."""
    import simplemma

    if not word.isalpha():
        return word
    lemma: str = simplemma.lemmatize(word, lang="en")
    return lemma.lower()


def lemmas(text: str) -> list[str]:
    """The lower-cased lemmas of the words of ``text``, in order.

    >>> lemmas("Lohan checked into rehab clinics")
    ['lohan', 'check', 'into', 'rehab', 'clinic']
    """
    return [_lemma(w.lower()) for w in _WORD.findall(text)]


def event_words(text: str, lower_case: frozenset[str] | None = None) -> list[str]:
    """The event words of a sentence: lemmas of its lower-case content words.

    A capitalised word counts when ``lower_case`` (the words its article also
    writes in lower case) holds it, so a title-case headline keeps its verbs
    but names stay out; stop words, numbers and words under three letters
    never count.

    >>> event_words("Lindsay Lohan has checked into the Betty Ford Center in 2013")
    ['check']
    >>> event_words("Lohan Checks Into Rehab", frozenset({"checks", "rehab", "into"}))
    ['check', 'rehab']
    """
    stop = _stop_words()
    out: list[str] = []
    for w in _WORD.findall(text):
        if len(w) < 3 or not w.isalpha():
            continue
        low = w.lower()
        if w[0].isupper() and (lower_case is None or low not in lower_case):
            continue
        lemma = _lemma(low)
        if lemma not in stop and len(lemma) >= 3:
            out.append(lemma)
    return out


def _names(text: str) -> list[str]:
    """The capitalised words of a text, lower-cased (names, mostly)."""
    return [w.lower() for w in _WORD.findall(text) if w[0].isupper()]


def _years(text: str) -> frozenset[str]:
    return frozenset(_YEAR.findall(text))


# ---------------------------------------------------------------------------
# Sparse helpers


class _Vocabulary:
    """TF-IDF weights fitted on the token lists of a check's documents.

    ``idf = ln((1 + n_docs) / (1 + df)) + 1``; a row's weights are
    ``(1 + ln tf) * idf``, L2-normalised. Tokens no document holds are dropped.
    """

    def __init__(self, documents: Sequence[Sequence[str]]) -> None:
        terms = sorted(set().union(*map(set, documents))) if documents else []
        self.index = {t: k for k, t in enumerate(terms)}
        df = np.zeros(len(terms), dtype=np.float64)
        for tokens in documents:
            for t in set(tokens):
                df[self.index[t]] += 1.0
        self.idf = np.log((1.0 + len(documents)) / (1.0 + df)) + 1.0

    def matrix(self, rows: Sequence[Sequence[str]]) -> scipy.sparse.csr_array:
        indptr = [0]
        indices: list[int] = []
        data: list[float] = []
        index = self.index
        for tokens in rows:
            counts: dict[int, int] = {}
            for t in tokens:
                k = index.get(t)
                if k is not None:
                    counts[k] = counts.get(k, 0) + 1
            for k in sorted(counts):
                indices.append(k)
                data.append(1.0 + math.log(counts[k]))
            indptr.append(len(indices))
        cols = np.asarray(indices, dtype=np.int64)
        values = np.asarray(data, dtype=np.float64) * self.idf[cols]
        return _normalised(values, cols, np.asarray(indptr, dtype=np.int64), len(self.idf))


def _normalised(values: F64, cols: I64, indptr: I64, width: int) -> scipy.sparse.csr_array:
    sizes = np.diff(indptr)
    owner = np.repeat(np.arange(sizes.shape[0]), sizes)
    norms = np.sqrt(np.bincount(owner, weights=values**2, minlength=sizes.shape[0]))
    norms = np.where(norms > 0, norms, 1.0)
    values = values / norms[owner]
    return scipy.sparse.csr_array((values, cols, indptr), shape=(len(sizes), width))


def _incidence(sets: Sequence[frozenset[str]]) -> scipy.sparse.csr_array:
    """A 0/1 matrix with one row per set and one column per distinct member."""
    members = sorted(set().union(*sets)) if sets else []
    index = {m: k for k, m in enumerate(members)}
    indptr = np.zeros(len(sets) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(s) for s in sets])
    cols = np.fromiter(
        (index[m] for s in sets for m in sorted(s)), dtype=np.int64, count=int(indptr[-1])
    )
    values = np.ones(cols.shape[0], dtype=np.float64)
    return scipy.sparse.csr_array((values, cols, indptr), shape=(len(sets), len(members)))


def _row_dots(a: scipy.sparse.csr_array, b: scipy.sparse.csr_array, ra: I64, rb: I64) -> F64:
    """``a[ra[k]] . b[rb[k]]`` for every k, shape ``(len(ra),)``."""
    if ra.shape[0] == 0:
        return np.zeros(0, dtype=np.float64)
    product = a[ra].multiply(b[rb])
    return np.asarray(product.sum(axis=1), dtype=np.float64).reshape(-1)


def _set_overlap(sets: Sequence[frozenset[str]], rows: I64, cols: I64) -> tuple[F64, F64]:
    """Shared members and Jaccard overlap of ``sets[rows[k]]`` and ``sets[cols[k]]``."""
    m = _incidence(sets)
    shared = _row_dots(m, m, rows, cols)
    sizes = np.diff(m.indptr).astype(np.float64)
    union = sizes[rows] + sizes[cols] - shared
    jaccard = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)
    return shared, jaccard


def _fact_keys(claim: Claim, kinds: Sequence[str]) -> frozenset[str]:
    keys: set[str] = set()
    for name in kinds:
        kind = getattr(FactKind, name, None)
        if kind is None:
            continue
        for fact in claim.facts_of(kind):
            value = fact.value
            keys.add(value if isinstance(value, str) else repr(value))
    return frozenset(keys)


def _numbers_match(a: Sequence[NumberValue], b: Sequence[NumberValue]) -> bool:
    return any(
        x.overlaps(y) and (x.unit is None or y.unit is None or x.unit == y.unit)
        for x in a
        for y in b
    )


def _dates_match(a: Sequence[DateValue], b: Sequence[DateValue]) -> bool:
    return any(x.overlaps(y) for x in a for y in b)


# ---------------------------------------------------------------------------
# Features


def _check_inputs(
    documents: Sequence[Document],
    claims: Sequence[Claim],
    groups: npt.ArrayLike,
    rows: npt.ArrayLike,
    cols: npt.ArrayLike,
    cosines: npt.ArrayLike,
) -> tuple[I64, I64, I64, F64]:
    g = np.asarray(groups, dtype=np.int64).reshape(-1)
    r = np.asarray(rows, dtype=np.int64).reshape(-1)
    c = np.asarray(cols, dtype=np.int64).reshape(-1)
    s = np.asarray(cosines, dtype=np.float64).reshape(-1)
    if g.shape[0] != len(claims):
        raise ConfigError(
            f"groups must have one entry per claim, got {g.shape[0]} for {len(claims)} claims"
        )
    if g.size and (g.min() < 0 or g.max() >= len(documents)):
        raise ConfigError(
            f"groups must index the {len(documents)} documents, got values "
            f"{int(g.min())}..{int(g.max())}"
        )
    if not r.shape == c.shape == s.shape:
        raise ConfigError(
            f"rows, cols and cosines must have one length, got {r.shape[0]}, "
            f"{c.shape[0]} and {s.shape[0]}"
        )
    for name, idx in (("rows", r), ("cols", c)):
        if idx.size and (idx.min() < 0 or idx.max() >= len(claims)):
            raise ConfigError(f"{name} must index the {len(claims)} claims")
    for doc, claim in zip((documents[k] for k in g.tolist()), claims, strict=True):
        if claim.document != doc.id:
            raise ConfigError(
                f"claim {claim.id!r} belongs to document {claim.document!r}, but groups "
                f"place it in {doc.id!r}"
            )
    return g, r, c, s


def pair_features(
    documents: Sequence[Document],
    claims: Sequence[Claim],
    groups: npt.ArrayLike,
    rows: npt.ArrayLike,
    cols: npt.ArrayLike,
    cosines: npt.ArrayLike,
) -> F64:
    """The :data:`FEATURES` of claim pairs, shape ``(n_pairs, len(FEATURES))``.

    Parameters
    ----------
    documents : sequence of Document
        The documents of the check; the TF-IDF weights are fitted on them.
    claims : sequence of Claim
        The claims the pair indices refer to.
    groups : array_like of int, shape (n_claims,)
        ``documents[groups[i]]`` is the document of ``claims[i]``.
    rows, cols : array_like of int, shape (n_pairs,)
        The two claims of each pair (of different documents).
    cosines : array_like of float, shape (n_pairs,)
        The embedding cosine of each pair (:class:`~factcheck.similarity.PairSet` scores).

    Returns
    -------
    ndarray of float64, shape (n_pairs, len(FEATURES))
        Rounded to 6 decimals.

    Raises
    ------
    ConfigError
        When the arrays do not fit each other or the claims.
    """
    g, r, c, s = _check_inputs(documents, claims, groups, rows, cols, cosines)
    n_pairs = r.shape[0]
    out = np.zeros((n_pairs, len(FEATURES)), dtype=np.float64)
    if n_pairs == 0:
        return out
    column = {name: k for k, name in enumerate(FEATURES)}

    def put(name: str, values: npt.ArrayLike) -> None:
        out[:, column[name]] = values

    # Documents: lemmas, names, years, and the words they write in lower case.
    used = np.unique(g)
    doc_tokens = [lemmas(documents[k].text) for k in used.tolist()]
    doc_names = [_names(documents[k].text) for k in used.tolist()]
    doc_years = [_years(documents[k].text) for k in used.tolist()]
    lower = [
        frozenset(w for w in _WORD.findall(documents[k].text) if w[:1].islower())
        for k in used.tolist()
    ]
    local = np.searchsorted(used, g)  # claim -> row of the used documents
    words = _Vocabulary(doc_tokens)
    names = _Vocabulary(doc_names)
    article_words = words.matrix(doc_tokens)
    article_names = names.matrix(doc_names)
    claim_tokens = [lemmas(cl.text) for cl in claims]
    claim_words = words.matrix(claim_tokens)
    triggers = [
        event_words(cl.text, lower[d]) for cl, d in zip(claims, local.tolist(), strict=True)
    ]
    claim_triggers = words.matrix(triggers)

    put("sentence_cosine", np.clip(s, -1.0, 1.0))
    put("sentence_lexical", _row_dots(claim_words, claim_words, r, c))
    ab = _row_dots(claim_words, article_words, r, local[c])
    ba = _row_dots(claim_words, article_words, c, local[r])
    put("sentence_to_article_min", np.minimum(ab, ba))
    put("sentence_to_article_max", np.maximum(ab, ba))
    put("trigger_overlap", _set_overlap([frozenset(t) for t in triggers], r, c)[1])
    put("trigger_lexical", _row_dots(claim_triggers, claim_triggers, r, c))

    # Article pairs: computed once per distinct pair of documents.
    da, db = local[r], local[c]
    lo, hi = np.minimum(da, db), np.maximum(da, db)
    keys, first, inverse = np.unique(lo * len(used) + hi, return_index=True, return_inverse=True)
    del keys
    pa, pb = lo[first], hi[first]
    put("article_lexical", _row_dots(article_words, article_words, pa, pb)[inverse])
    put("article_names", _row_dots(article_names, article_names, pa, pb)[inverse])
    shared_years, _ = _set_overlap(doc_years, pa, pb)
    has_years = np.array([bool(y) for y in doc_years], dtype=bool)
    put("article_years_shared", (shared_years > 0)[inverse])
    put("article_years_disjoint", ((shared_years == 0) & has_years[pa] & has_years[pb])[inverse])

    # Facts of the two claims.
    entities, entity_jaccard = _set_overlap([_fact_keys(cl, _ENTITY_KINDS) for cl in claims], r, c)
    put("entities_shared", np.log1p(entities))
    put("entities_jaccard", entity_jaccard)
    places, _ = _set_overlap([_fact_keys(cl, _PLACE_KINDS) for cl in claims], r, c)
    put("places_shared", np.log1p(places))
    numbers = [
        [f.value for f in cl.facts_of(FactKind.NUMBER) if isinstance(f.value, NumberValue)]
        for cl in claims
    ]
    dates = [[value for _, value in cl.stated_dates()] for cl in claims]
    has_numbers = np.array([bool(x) for x in numbers], dtype=bool)
    has_dates = np.array([bool(x) for x in dates], dtype=bool)
    for name, values, has, match in (
        ("numbers", numbers, has_numbers, _numbers_match),
        ("dates", dates, has_dates, _dates_match),
    ):
        both = np.flatnonzero(has[r] & has[c])
        same = np.zeros(n_pairs, dtype=bool)
        for k, i, j in zip(both.tolist(), r[both].tolist(), c[both].tolist(), strict=True):
            same[k] = match(values[i], values[j])
        put(f"{name}_shared", same)
        disjoint = np.zeros(n_pairs, dtype=bool)
        disjoint[both] = ~same[both]
        put(f"{name}_disjoint", disjoint)
    position = np.array([cl.sentence for cl in claims], dtype=np.float64)
    put("lead_position", np.log1p(np.maximum(position[r], position[c])))
    rounded: F64 = np.round(out, _DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0
    return rounded


# ---------------------------------------------------------------------------
# The model


def default_model_path() -> Path:
    """The shipped model file, ``factcheck/trained/events.json``."""
    return Path(str(resources.files("factcheck").joinpath("trained", "events.json")))


@attrs.frozen(slots=True)
class EventModel:
    """The same-event scorer and the clustering threshold that goes with it.

    Parameters
    ----------
    file : ModelFile
        A logistic model over :data:`FEATURES`; its metadata holds
        ``clustering.threshold``, the average-linkage threshold chosen by
        cross-validation when it was trained.

    Raises
    ------
    ModelError
        For a file that is not a logistic model over :data:`FEATURES` or has
        no valid threshold.
    """

    file: modelfile.ModelFile
    threshold: float = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        if self.file.name != MODEL_NAME or self.file.features != FEATURES:
            raise ModelError(
                f"an event model must be an {MODEL_NAME!r} model over {list(FEATURES)!r}"
            )
        if self.file.kind != "logistic" or len(self.file.classes) != 2:
            raise ModelError(
                f"an event model must be a binary logistic model, got {self.file.kind!r} "
                f"with classes {list(self.file.classes)!r}"
            )
        clustering = self.file.metadata.get("clustering")
        threshold = clustering.get("threshold") if isinstance(clustering, dict) else None
        if isinstance(threshold, bool) or not isinstance(threshold, int | float):
            raise ModelError("the event model's metadata has no clustering.threshold")
        if not 0.0 <= threshold <= 1.0:
            raise ModelError(f"clustering.threshold must lie in [0, 1], got {threshold!r}")
        object.__setattr__(self, "threshold", float(threshold))

    def probabilities(self, features: npt.ArrayLike) -> F64:
        """P(same event) per row of a :func:`pair_features` matrix, shape ``(n,)``."""
        proba = self.file.predict_proba(features)
        column = list(self.file.classes).index(1) if 1 in self.file.classes else 1
        out: F64 = proba[:, column]
        return out

    def contributions(self, features: npt.ArrayLike) -> F64:
        """Each feature's share of the log-odds, shape ``(n, len(FEATURES))``.

        ``coef * (x - mean) / scale``: positive values speak for one event,
        negative ones against, relative to an average training pair.
        """
        x = np.asarray(features, dtype=np.float64)
        params: dict[str, Any] = self.file.params
        mean = np.asarray(params["mean"], dtype=np.float64)
        scale = np.asarray(params["scale"], dtype=np.float64)
        coef = np.asarray(params["coef"], dtype=np.float64)[0]
        if list(self.file.classes)[1] != 1 and 1 in self.file.classes:
            coef = -coef
        out: F64 = (x - mean) / scale * coef
        return out


_LOADED: dict[str, EventModel] = {}
_LOCK = threading.Lock()


def load_event_model(path: str | os.PathLike[str] | None = None) -> EventModel:
    """Read an event model file (the shipped one by default), once per path.

    Raises
    ------
    ModelError
        When the file is missing, unreadable, from an incompatible factcheck,
        or not an event model (see :func:`factcheck.modelfile.load`).
    """
    target = Path(path) if path is not None else default_model_path()
    key = str(target.resolve())
    with _LOCK:
        model = _LOADED.get(key)
        if model is None:
            file = modelfile.load(target, name=MODEL_NAME, features=FEATURES)
            try:
                model = EventModel(file)
            except ModelError as exc:
                raise ModelError(f"model file {target}: {exc}") from None
            _LOADED[key] = model
    return model
