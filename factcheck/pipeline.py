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
from factcheck.copies import CopyDetector
from factcheck.embedding import Embedder, SentenceTransformerEmbedder
from factcheck.embedding_cache import CachedEmbedder
from factcheck.errors import ConfigError, DocumentError
from factcheck.extracting import FactExtractor, RuleFactExtractor
from factcheck.judging import Judge, RuleJudge
from factcheck.normalising import NormalisedText, Normaliser, TextNormaliser, matching_key
from factcheck.records import Claim, Cluster, CopyGroup, Document, Relation, Sentence, Skipped
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
            path = Path(item)
            if isinstance(item, str) and not _is_existing_path(item):
                shown = item if len(item) <= 60 else item[:57] + "..."
                looks = "looks like text, not a path" if _looks_like_text(item) else "no such file"
                raise DocumentError(
                    shown,
                    f"{looks}: check() reads a str as the path of a UTF-8 text file; pass "
                    "factcheck.Document(id=..., text=...) to check a text",
                )
            # UTF-8 spends at most 4 bytes a character: refuse what cannot fit.
            doc = Document.from_path(path, max_bytes=4 * max_chars)
        else:
            raise ConfigError(
                "documents must be factcheck.Document objects or file paths, got "
                f"{validation.shown(item)}"
            )
        if len(doc.text) > max_chars:
            raise DocumentError(
                doc.id,
                f"has {len(doc.text):,} characters, over the limit of {max_chars:,} "
                "(raise Checker(max_document_chars=...), or --max-document-chars on the "
                "command line, to allow it)",
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


def _is_existing_path(text: str) -> bool:
    try:
        return Path(text).exists()
    except (OSError, ValueError):  # too long for a path, or a NUL inside
        return False


def _looks_like_text(text: str) -> bool:
    """A string no one would give as a file name: several words, or several lines."""
    return "\n" in text or len(text) > 255 or len(text.split()) > 4


@attrs.frozen(slots=True, kw_only=True, field_transformer=validation.typed)
class Checker:
    """A configured fact checker. All settings are keyword-only.

    Parameters
    ----------
    normaliser : Normaliser
        Turns each document's text into the text the other stages read
        (Unicode spaces, invisible characters, hard-wrapped lines; see
        :mod:`factcheck.normalising`). Every span of the report still indexes
        the original text.
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
    copies : CopyDetector or None
        Finds identical and near-identical documents (syndicated copies); each
        group is one source, its documents are never compared with each
        other except for the sentences one has and another lacks, and the
        report lists the groups (:attr:`Report.copies`). ``None`` turns this off.

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

    normaliser: Normaliser = attrs.field(factory=TextNormaliser)
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
    copies: CopyDetector | None = attrs.field(factory=CopyDetector)

    def claims_of(self, document: Document) -> tuple[list[Claim], list[Skipped]]:
        """Segment one document and extract its claims with their facts.

        Spans and texts index ``document.text``; the segmenter and the
        extractor read the normalised text.
        """
        norm, claims, skipped = self._normalised_claims(document)
        return norm.restore_claims(claims, skipped, document=document.id)

    def _normalised_claims(
        self, document: Document
    ) -> tuple[NormalisedText, list[Claim], list[Skipped]]:
        """The normalised text and the claims and skipped records of it."""
        norm = self.normaliser.normalise(document.text)
        if norm.changed:
            document = attrs.evolve(document, text=norm.text)
        claims, skipped = self._segment_and_extract(document)
        return norm, claims, skipped

    def _segment_and_extract(self, document: Document) -> tuple[list[Claim], list[Skipped]]:
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
        """Check documents against each other.

        Parameters
        ----------
        documents : iterable of Document, pathlib.Path or str
            A :class:`~factcheck.records.Document` is checked as it is; a
            ``pathlib.Path`` (any ``os.PathLike``) or a ``str`` is always the
            path of a UTF-8 text file, read with
            :meth:`~factcheck.records.Document.from_path` (id: the file name
            without its extension). To check a text, wrap it in a ``Document``.

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
            For a str that is not an existing file (the message names it),
            an unreadable file, a document over ``max_document_chars``, an
            HTML page instead of text, or two documents with one id.
        ConfigError
            If ``documents`` is not an iterable of documents and paths (one
            document, path or path string instead of a list is refused, not
            read as its characters).

        Examples
        --------
        >>> from factcheck import Checker, DocumentError
        >>> try:
        ...     Checker().check(["Iran fired 180 missiles at Israel."])
        ... except DocumentError as exc:
        ...     print(exc)  # doctest: +ELLIPSIS
        document 'Iran fired 180 missiles at Israel.': looks like text, not a path: ...
        """
        docs = _as_documents(documents, max_chars=self.max_document_chars)
        norms: dict[str, NormalisedText] = {}
        claims: list[Claim] = []
        skipped: list[Skipped] = []
        for doc in docs:
            norm, doc_claims, doc_skipped = self._normalised_claims(doc)
            norms[doc.id] = norm
            claims += doc_claims
            skipped += doc_skipped
        doc_index = {doc.id: k for k, doc in enumerate(docs)}
        groups = np.fromiter(
            (doc_index[c.document] for c in claims), dtype=np.int64, count=len(claims)
        )
        copies: tuple[CopyGroup, ...] = ()
        if self.copies is not None:
            copies = self.copies.find([d.id for d in docs], [norms[d.id].text for d in docs])
        source = np.arange(len(docs), dtype=np.int64)
        for group in copies:
            copy_rows = [doc_index[d] for d in group.documents]
            source[copy_rows] = min(copy_rows)
        embedder: Embedder = self.embedder
        if self.cache_dir is not None:
            embedder = CachedEmbedder(inner=self.embedder, directory=self.cache_dir)
        embeddings = embedder.embed([c.text for c in claims])
        # Claims of two copies are one source's: they are judged only where one
        # copy says what the other does not; the sentences copies share are
        # linked for the clustering (one event) but never judged.
        pairs = self.candidate_pairs(embeddings, source[groups])
        judged = np.ones(len(pairs), dtype=bool)
        if copies:
            edited, shared = self._copy_pairs(claims, embeddings, groups, source)
            pairs = _merge_pairs(pairs, edited, shared)
            claim_source = source[groups]
            judged = claim_source[pairs.rows] != claim_source[pairs.cols]
            judged[_members(pairs, edited)] = True
        # The later stages read the normalised texts the claims' spans index.
        read = [attrs.evolve(d, text=norms[d.id].text) if norms[d.id].changed else d for d in docs]
        result = self.clusterer.cluster(
            claims, groups, pairs, documents=read, embeddings=embeddings
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
        same = (labels[pairs.rows] == labels[pairs.cols]) & judged
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
        if any(norm.changed for norm in norms.values()):
            claims, skipped, relations = _restored(claims, skipped, relations, norms)
        return Report(
            documents=docs,
            claims=claims,
            skipped=skipped,
            clusters=clusters,
            relations=relations,
            copies=copies,
        )

    def _copy_pairs(
        self,
        claims: list[Claim],
        embeddings: npt.NDArray[np.float32],
        groups: IntArray,
        source: IntArray,
    ) -> tuple[PairSet, PairSet]:
        """Pairs between copies: ``(edited, shared)``.

        ``edited`` are the candidate pairs of claims neither of whose words the
        other copy has (an edited sentence, a changed figure): they are judged.
        ``shared`` link each claim of a copy to the claim with the same words
        in the group's first document that has it: they keep copies' claims
        in one event and are never judged.
        """
        keys = [matching_key(c.text) for c in claims]
        first_with: dict[tuple[int, str], int] = {}
        shared_rows: list[int] = []
        shared_cols: list[int] = []
        claim_sources = source[groups].tolist()
        for i, (key, s) in enumerate(zip(keys, claim_sources, strict=True)):
            j = first_with.setdefault((s, key), i)
            if j != i and groups[j] != groups[i]:
                shared_rows.append(j)
                shared_cols.append(i)
        rows_s = np.asarray(shared_rows, dtype=np.int64)
        cols_s = np.asarray(shared_cols, dtype=np.int64)
        scores_s = np.einsum("ij,ij->i", embeddings[rows_s], embeddings[cols_s]).astype(np.float32)
        shared = PairSet(rows=rows_s, cols=cols_s, scores=scores_s)
        return self._edited_copy_pairs(keys, embeddings, groups, source), shared

    def _edited_copy_pairs(
        self,
        keys: list[str],
        embeddings: npt.NDArray[np.float32],
        groups: IntArray,
        source: IntArray,
    ) -> PairSet:
        """Candidate pairs between copies of claims neither of whose words the other has."""
        words_of: dict[int, set[str]] = {}
        for key, g in zip(keys, groups.tolist(), strict=True):
            words_of.setdefault(g, set()).add(key)
        members: dict[int, list[int]] = {}
        for d, s in enumerate(source.tolist()):
            members.setdefault(s, []).append(d)
        claim_source = source[groups]
        candidates: list[int] = []
        for i, (key, g) in enumerate(zip(keys, groups.tolist(), strict=True)):
            others = members[int(claim_source[i])]
            if len(others) > 1 and any(
                d != g and key not in words_of.get(d, set()) for d in others
            ):
                candidates.append(i)
        empty = np.empty(0, dtype=np.int64)
        if len(candidates) < 2:
            return PairSet(rows=empty, cols=empty, scores=np.empty(0, dtype=np.float32))
        index = np.asarray(candidates, dtype=np.int64)
        found = self.candidate_pairs(embeddings[index], groups[index])
        rows, cols = index[found.rows], index[found.cols]
        keep = np.fromiter(
            (
                claim_source[i] == claim_source[j]
                and keys[i] not in words_of.get(int(groups[j]), set())
                and keys[j] not in words_of.get(int(groups[i]), set())
                for i, j in zip(rows.tolist(), cols.tolist(), strict=True)
            ),
            dtype=bool,
            count=len(rows),
        )
        return PairSet(rows=rows[keep], cols=cols[keep], scores=found.scores[keep])


def _merge_pairs(*sets: PairSet) -> PairSet:
    """The union of disjoint pair sets, sorted by (row, col)."""
    rows = np.concatenate([p.rows for p in sets])
    cols = np.concatenate([p.cols for p in sets])
    scores = np.concatenate([p.scores for p in sets])
    order = np.lexsort((cols, rows))
    return PairSet(rows=rows[order], cols=cols[order], scores=scores[order])


def _members(pairs: PairSet, subset: PairSet) -> npt.NDArray[np.bool_]:
    """Which pairs of ``pairs`` are in ``subset``."""
    if not len(subset):
        return np.zeros(len(pairs), dtype=bool)
    width = np.int64(max(int(pairs.cols.max(initial=0)), int(subset.cols.max(initial=0))) + 1)
    return np.isin(pairs.rows * width + pairs.cols, subset.rows * width + subset.cols)


def _restored(
    claims: list[Claim],
    skipped: list[Skipped],
    relations: list[Relation],
    norms: dict[str, NormalisedText],
) -> tuple[list[Claim], list[Skipped], list[Relation]]:
    """Claims, skipped records and relations of the normalised texts, on the original texts."""
    by_doc: dict[str, tuple[list[Claim], list[Skipped]]] = {d: ([], []) for d in norms}
    for c in claims:
        by_doc[c.document][0].append(c)
    for sk in skipped:
        by_doc[sk.document][1].append(sk)
    out_claims: list[Claim] = []
    out_skipped: list[Skipped] = []
    for doc_id, (doc_claims, doc_skipped) in by_doc.items():
        restored_claims, restored_skipped = norms[doc_id].restore_claims(
            doc_claims, doc_skipped, document=doc_id
        )
        out_claims += restored_claims
        out_skipped += restored_skipped
    document_of = {c.id: c.document for c in claims}
    out_relations = []
    for r in relations:
        a, b = (norms[document_of[cid]] for cid in r.claims)
        if a.changed or b.changed:
            r = attrs.evolve(r, evidence=[a.restore_evidence(e, b, side=0) for e in r.evidence])
        out_relations.append(r)
    return out_claims, out_skipped, out_relations


@validation.checked
def check(documents: Iterable[Document | str | os.PathLike[str]], **config: object) -> Report:
    """Check documents against each other with a :class:`Checker` built from ``config``.

    ``check(docs, embedder=...)`` is ``Checker(embedder=...).check(docs)``.
    """
    return Checker(**config).check(documents)  # type: ignore[arg-type]
