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
from collections.abc import Iterable
from pathlib import Path

import attrs
import numpy as np

from factcheck.clustering import Clusterer, EventClusterer
from factcheck.embedding import Embedder, SentenceTransformerEmbedder
from factcheck.errors import ConfigError, DocumentError
from factcheck.extracting import FactExtractor, RuleFactExtractor
from factcheck.judging import Judge, RuleJudge
from factcheck.records import Claim, Cluster, Document, Relation, Sentence, Skipped
from factcheck.reporting import Report
from factcheck.segmenting import RuleSegmenter, Segmenter
from factcheck.similarity import cross_document_pairs

__all__ = ["Checker", "check"]


def _candidate_threshold(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not -1.0 <= value <= 1.0:
        raise ConfigError(f"{attribute.name} must lie in [-1, 1], got {value!r}")


def _block_size(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if not isinstance(value, int) or value < 1:
        raise ConfigError(f"{attribute.name} must be a positive integer, got {value!r}")


def _as_documents(items: Iterable[Document | str | os.PathLike[str]]) -> list[Document]:
    docs: list[Document] = []
    for item in items:
        if isinstance(item, Document):
            docs.append(item)
        elif isinstance(item, str | os.PathLike):
            docs.append(Document.from_path(Path(item)))
        else:
            raise ConfigError(
                f"documents must be factcheck.Document objects or file paths, got "
                f"{type(item).__name__}"
            )
    seen: dict[str, int] = {}
    for doc in docs:
        seen[doc.id] = seen.get(doc.id, 0) + 1
    for doc_id, count in sorted(seen.items()):
        if count > 1:
            raise DocumentError(doc_id, f"the id is given to {count} documents; ids must be unique")
    return sorted(docs, key=lambda d: d.id)


@attrs.frozen(slots=True, kw_only=True)
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
        Groups claims into events from the sparse candidate graph.
    judge : Judge
        Labels pairs of claims of different documents in one cluster.
    candidate_threshold : float
        Cosine at which a cross-document pair enters the candidate graph.
    block_size : int
        Rows per block in the similarity core; bounds its extra memory.

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
    clusterer: Clusterer = attrs.field(factory=EventClusterer)
    judge: Judge = attrs.field(factory=RuleJudge)
    candidate_threshold: float = attrs.field(default=0.35, validator=_candidate_threshold)
    block_size: int = attrs.field(default=2048, validator=_block_size)

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
            )
            for n, (s, f) in enumerate(zip(sentences, facts, strict=True))
        ]
        return claims, skipped

    def check(self, documents: Iterable[Document | str | os.PathLike[str]]) -> Report:
        """Check documents (or paths of UTF-8 text files) against each other.

        Raises
        ------
        DocumentError
            For an unreadable file or two documents with one id.
        """
        docs = _as_documents(documents)
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
        embeddings = self.embedder.embed([c.text for c in claims])
        pairs = cross_document_pairs(
            embeddings, groups, threshold=self.candidate_threshold, block_size=self.block_size
        )
        labels = self.clusterer.cluster(claims, groups, pairs)

        members: dict[int, list[int]] = {}
        for i, label in enumerate(labels.tolist()):
            members.setdefault(label, []).append(i)
        clusters: list[Cluster] = []
        relations: list[Relation] = []
        width = len(str(max(len(members), 1)))
        for n, label in enumerate(sorted(members, key=lambda k: members[k][0])):
            idx = members[label]
            clusters.append(Cluster(id=f"e{n + 1:0{width}d}", claims=[claims[i].id for i in idx]))
            for x, i in enumerate(idx):
                for j in idx[x + 1 :]:
                    if groups[i] == groups[j]:
                        continue
                    similarity = float(np.dot(embeddings[i], embeddings[j]))
                    relation = self.judge.judge(claims[i], claims[j], similarity=similarity)
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


def check(documents: Iterable[Document | str | os.PathLike[str]], **config: object) -> Report:
    """Check documents against each other with a :class:`Checker` built from ``config``.

    ``check(docs, embedder=...)`` is ``Checker(embedder=...).check(docs)``.
    """
    return Checker(**config).check(documents)  # type: ignore[arg-type]
