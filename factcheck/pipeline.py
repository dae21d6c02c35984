"""The pipeline: documents in, :class:`~factcheck.reporting.Report` out.

:class:`Checker` composes the stages, each of which is a small protocol a user
can swap: segmenting (:class:`~factcheck.segmenting.Segmenter`), extracting
facts (:class:`~factcheck.extracting.FactExtractor`), embedding
(:class:`~factcheck.embedding.Embedder`), similarity
(:mod:`factcheck.similarity`), clustering (:class:`~factcheck.clustering.Clusterer`)
and judging (:class:`~factcheck.judging.Judge`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

import attrs
import numpy as np
import numpy.typing as npt

from factcheck import validation
from factcheck.assertion import assertion_mode
from factcheck.clustering import Clusterer, Clustering, LearnedEventClusterer
from factcheck.embedding import Embedder, SentenceTransformerEmbedder
from factcheck.embedding_cache import CachedEmbedder
from factcheck.errors import ConfigError, DocumentError
from factcheck.extracting import FactExtractor, RuleFactExtractor
from factcheck.judging import Judge, RuleJudge
from factcheck.records import Claim, Cluster, Document, Relation, Sentence, Skipped
from factcheck.reporting import Report
from factcheck.segmenting import RuleSegmenter, Segmenter
from factcheck.similarity import PairSet, cross_document_neighbor_pairs

__all__ = ["Checker", "check"]

IntArray = npt.NDArray[np.int64]


def _candidate_threshold(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not -1.0 <= value <= 1.0:
        raise ConfigError(f"{attribute.name} must lie in [-1, 1], got {value!r}")


def _positive_int(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if not isinstance(value, int) or value < 1:
        raise ConfigError(f"{attribute.name} must be a positive integer, got {value!r}")


_HTML_START = re.compile(r"\A\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])", re.I)
_HTML_TAG = re.compile(
    r"</?(?:p|div|span|a|br|li|ul|script|style|meta|link|img|h[1-6])\b[^>]*>", re.I
)


def _looks_like_html(text: str) -> bool:
    """Markup rather than article text: an HTML preamble, or tags on most lines."""
    if _HTML_START.match(text):
        return True
    sample = text[:200_000]
    tags = len(_HTML_TAG.findall(sample))
    lines = sample.count("\n") + 1
    return tags >= 5 and tags >= lines


def _as_documents(
    items: Iterable[Document | str | os.PathLike[str]], *, max_chars: int
) -> list[Document]:
    docs: list[Document] = []
    for item in items:
        if isinstance(item, Document):
            doc = item
        elif isinstance(item, str | os.PathLike):
            # UTF-8 spends at most 4 bytes a character: refuse what cannot fit.
            doc = Document.from_path(Path(item), max_bytes=4 * max_chars)
        else:
            raise ConfigError(
                "documents must be factcheck.Document objects or file paths, got "
                f"{validation.shown(item)}"
            )
        if len(doc.text) > max_chars:
            raise DocumentError(
                doc.id,
                f"has {len(doc.text):,} characters, over the limit of {max_chars:,} "
                "(raise Checker(max_document_chars=...) to allow it)",
            )
        if _looks_like_html(doc.text):
            raise DocumentError(
                doc.id, "looks like HTML markup, not article text; extract the text first"
            )
        docs.append(doc)
    seen: dict[str, int] = {}
    for doc in docs:
        seen[doc.id] = seen.get(doc.id, 0) + 1
    for doc_id, count in sorted(seen.items()):
        if count > 1:
            raise DocumentError(doc_id, f"the id is given to {count} documents; ids must be unique")
    return sorted(docs, key=lambda d: d.id)


@attrs.frozen(slots=True, kw_only=True, field_transformer=validation.typed)
class Checker:
    """A configured fact checker. All settings are keyword-only.

    Parameters
    ----------
    segmenter : Segmenter
        Splits a document into sentences and skipped page furniture.
    extractor : FactExtractor
        Finds numbers, dates, negations and entities in each claim.
    embedder : Embedder
        Embeds claims; the default is all-MiniLM-L6-v2, loaded offline on first use.
    clusterer : Clusterer
        Groups claims into events from the sparse candidate graph; the
        default, :class:`~factcheck.clustering.LearnedEventClusterer`, uses
        the shipped same-event model (trained on ECB+, see docs/training.md).
    judge : Judge
        Labels pairs of claims of different documents in one cluster.
    candidate_threshold : float
        Cosine at which a cross-document pair enters the candidate graph.
    neighbors : int
        Each claim links to at most this many best-matching claims of other
        documents (above ``candidate_threshold``). This keeps the candidate
        graph, the clustering and the judging linear in the number of claims
        even for thousands of near-identical articles; only pairs in this
        graph are judged.
    block_size : int
        Rows per block in the similarity core; bounds its extra memory.
    cache_dir : path or None
        Keep claim embeddings in this folder (keyed by the text and the
        model's identity, checksummed, written atomically, never pickled), so
        re-checking a corpus with one new article embeds only that article.
    max_document_chars : int
        Documents longer than this are refused with a :class:`DocumentError`
        instead of exhausting memory (files are refused before they are read).

    Examples
    --------
    >>> from factcheck import Checker, Document
    >>> from factcheck.embedding import HashingEmbedder
    >>> checker = Checker(embedder=HashingEmbedder())
    >>> report = checker.check([
    ...     Document(id="a", text="Iran launched 180 missiles at Israel on Oct. 1, 2024."),
    ...     Document(id="b", text="Iran fired 180 missiles at Israel on Oct. 1, 2024."),
    ... ])
    >>> [(r.label.value, r.claims) for r in report.relations]
    [('agree', ('a:0', 'b:0'))]
    """

    segmenter: Segmenter = attrs.field(factory=RuleSegmenter)
    extractor: FactExtractor = attrs.field(factory=RuleFactExtractor)
    embedder: Embedder = attrs.field(factory=SentenceTransformerEmbedder)
    clusterer: Clusterer = attrs.field(factory=LearnedEventClusterer)
    judge: Judge = attrs.field(factory=RuleJudge)
    candidate_threshold: float = attrs.field(default=0.35, validator=_candidate_threshold)
    neighbors: int = attrs.field(default=20, validator=_positive_int)
    block_size: int = attrs.field(default=2048, validator=_positive_int)
    max_document_chars: int = attrs.field(default=2_000_000, validator=_positive_int)
    cache_dir: Path | None = attrs.field(default=None, converter=validation.to_optional_path)

    def claims_of(self, document: Document) -> tuple[list[Claim], list[Skipped]]:
        """Segment one document and extract its claims with their facts."""
        sentences: list[Sentence] = []
        skipped: list[Skipped] = []
        for segment in self.segmenter.segment(document):
            if isinstance(segment, Sentence):
                sentences.append(segment)
            else:
                skipped.append(segment)
        facts = self.extractor.extract(document, [(s.start, s.end) for s in sentences])
        claims = [
            Claim(
                id=f"{document.id}:{n}",
                document=document.id,
                sentence=s.index,
                start=s.start,
                end=s.end,
                text=s.text,
                facts=f,
                mode=assertion_mode(s.text),
            )
            for n, (s, f) in enumerate(zip(sentences, facts, strict=True))
        ]
        return claims, skipped

    def candidate_pairs(self, embeddings: npt.NDArray[np.float32], groups: IntArray) -> PairSet:
        """The sparse cross-document candidate graph the clusterer and judge work on."""
        return cross_document_neighbor_pairs(
            embeddings,
            groups,
            k=self.neighbors,
            threshold=self.candidate_threshold,
            block_size=self.block_size,
        )

    @validation.checked
    def check(self, documents: Iterable[Document | str | os.PathLike[str]]) -> Report:
        """Check documents (or paths of UTF-8 text files) against each other.

        Thread safety: one checker may run ``check`` from several threads at
        once, and the reports equal those of calls made one after another.
        The default model is loaded once per process (behind a lock) and
        shared; its batches run one call at a time, since one call already
        uses every core. No call changes process-wide settings beyond its own
        duration: BLAS thread pools that are process-wide run one thread while
        factcheck's similarity workers run and get their exact counts back
        when the last overlapping call ends, returned or raised; torch's
        thread count is set only inside factcheck's own worker threads; the
        environment is never written. Custom stages passed to a checker must
        be thread-safe themselves for this to hold.

        Raises
        ------
        DocumentError
            For an unreadable file, a document over ``max_document_chars``, an
            HTML page instead of text, or two documents with one id.
        ConfigError
            If ``documents`` is not an iterable of documents and paths (a
            single path string is refused, not read as its characters).
        """
        docs = _as_documents(documents, max_chars=self.max_document_chars)
        claims: list[Claim] = []
        skipped: list[Skipped] = []
        for doc in docs:
            doc_claims, doc_skipped = self.claims_of(doc)
            claims += doc_claims
            skipped += doc_skipped
        doc_index = {doc.id: k for k, doc in enumerate(docs)}
        groups = np.fromiter(
            (doc_index[c.document] for c in claims), dtype=np.int64, count=len(claims)
        )
        embedder: Embedder = self.embedder
        if self.cache_dir is not None:
            embedder = CachedEmbedder(inner=self.embedder, directory=self.cache_dir)
        embeddings = embedder.embed([c.text for c in claims])
        pairs = self.candidate_pairs(embeddings, groups)
        result = self.clusterer.cluster(
            claims, groups, pairs, documents=docs, embeddings=embeddings
        )
        clustering = result if isinstance(result, Clustering) else Clustering(labels=result)
        labels = np.asarray(clustering.labels, dtype=np.int64)

        members: dict[int, list[int]] = {}
        for i, label in enumerate(labels.tolist()):
            members.setdefault(label, []).append(i)
        clusters: list[Cluster] = []
        width = len(str(max(len(members), 1)))
        for n, label in enumerate(sorted(members, key=lambda k: members[k][0])):
            ids = [claims[i].id for i in members[label]]
            explained = label < len(clustering.links) and len(ids) > 1
            clusters.append(
                Cluster(
                    id=f"e{n + 1:0{width}d}",
                    claims=ids,
                    probability=clustering.probability[label] if explained else None,
                    links=clustering.links[label] if explained else 0,
                    reasons=clustering.reasons[label] if explained else (),
                )
            )
        # Judge the candidate pairs that ended in one cluster (rows < cols, so
        # claims[i] comes first in the canonical claim order).
        relations: list[Relation] = []
        same = labels[pairs.rows] == labels[pairs.cols]
        for i, j, score in zip(
            pairs.rows[same].tolist(),
            pairs.cols[same].tolist(),
            pairs.scores[same].tolist(),
            strict=True,
        ):
            relation = self.judge.judge(claims[i], claims[j], similarity=score)
            if relation is not None:
                relations.append(relation)
        relations.sort(key=lambda r: r.claims)
        return Report(
            documents=docs,
            claims=claims,
            skipped=skipped,
            clusters=clusters,
            relations=relations,
        )


@validation.checked
def check(documents: Iterable[Document | str | os.PathLike[str]], **config: object) -> Report:
    """Check documents against each other with a :class:`Checker` built from ``config``.

    ``check(docs, embedder=...)`` is ``Checker(embedder=...).check(docs)``.
    """
    return Checker(**config).check(documents)  # type: ignore[arg-type]
