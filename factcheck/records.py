"""The records every pipeline stage reads and writes.

All records are small frozen, slotted attrs classes, validated at construction.
Every record that points into a document carries the document id and a
character span ``[start, end)`` into that document's ``text``; the record's own
``text`` is always exactly ``document.text[start:end]``.

Embeddings are not stored on records: they live in a separate ``float32``
matrix whose rows are aligned with a sequence of claims.
"""

from __future__ import annotations

import codecs
import datetime as dt
import enum
import math
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs

from factcheck import validation
from factcheck.errors import DocumentError, RecordError

__all__ = [
    "ActionValue",
    "AssertionMode",
    "Claim",
    "Cluster",
    "CopyGroup",
    "DateValue",
    "Document",
    "Evidence",
    "EvidenceKind",
    "Fact",
    "FactKind",
    "Label",
    "LinkReason",
    "NumberValue",
    "QuantifierValue",
    "Relation",
    "RoleValue",
    "Sentence",
    "SkipReason",
    "Skipped",
    "SourceValue",
    "Stance",
    "StanceLabel",
]

# Every record checks its fields against their annotations and raises
# RecordError (a ValueError) naming the field and the value received.
_TYPED = validation.typed_as(RecordError)
_non_negative = validation.non_negative_int(error=RecordError)
_non_empty = validation.non_empty_str(error=RecordError)
_str_field = _non_empty
_optional_str = validation.optional(_non_empty)


def _check_span(instance: Any, text: str) -> None:
    if instance.end < instance.start:
        raise RecordError(
            f"end must be >= start, got start={instance.start!r} end={instance.end!r}"
        )
    if len(text) != instance.end - instance.start:
        raise RecordError(
            f"text has length {len(text)} but the span start={instance.start!r} "
            f"end={instance.end!r} has length {instance.end - instance.start}"
        )


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _str_pair(values: Iterable[str]) -> tuple[str, str]:
    pair = tuple(values)
    if len(pair) != 2:
        raise validation.Refused("be two claim ids", pair)
    return (pair[0], pair[1])


# ---------------------------------------------------------------------------
# Documents


_valid_id = validation.Validator(
    lambda v: isinstance(v, str) and bool(v.strip()) and v == v.strip(),
    "be a non-blank string that does not start or end with whitespace",
    error=RecordError,
    types=(str,),
)


@attrs.frozen(slots=True, field_transformer=_TYPED)
class Document:
    """One input article.

    Parameters
    ----------
    id : str
        A unique, non-blank identifier; claim ids are built from it.
    text : str
        The full text. Every span in the output indexes this string.
    title : str or None
        An optional title, shown in reports.
    published : datetime.date or None
        The publication date, used to resolve relative dates such as
        ``last week``.

    Examples
    --------
    >>> from factcheck import Document
    >>> doc = Document(id="a", text="Kenya launched 180 rockets.")
    >>> doc.id, len(doc.text)
    ('a', 27)
    """

    id: str = attrs.field(validator=_valid_id)
    text: str
    title: str | None = None
    published: dt.date | None = None

    @classmethod
    def from_path(
        cls,
        path: str | Path,
        *,
        id: str | None = None,
        title: str | None = None,
        published: dt.date | None = None,
        max_bytes: int | None = None,
    ) -> Document:
        """Read a text file; the id defaults to the file's stem.

        The file must be UTF-8 (a UTF-8 byte-order mark is dropped). A file that
        starts with a UTF-16 or UTF-32 byte-order mark is decoded as such, since
        the mark says so unambiguously; any other encoding is refused rather
        than guessed.

        Parameters
        ----------
        max_bytes : int or None
            Refuse files larger than this many bytes before reading them.

        Raises
        ------
        DocumentError
            If the file is missing, not a regular file, too large, binary, or
            not valid text in its encoding.
        """
        path = Path(path)
        name = str(path)
        if not path.exists():
            raise DocumentError(name, "no such file")
        if not path.is_file():
            raise DocumentError(name, "not a regular file")
        try:
            size = path.stat().st_size
            if max_bytes is not None and size > max_bytes:
                raise DocumentError(
                    name, f"is {size:,} bytes, over the limit of {max_bytes:,} bytes"
                )
            raw = path.read_bytes()
        except OSError as exc:
            raise DocumentError(name, f"cannot be read ({exc.strerror})") from None
        text = _decode(name, raw)
        return cls(
            id=id if id is not None else path.stem, text=text, title=title, published=published
        )


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _decode(name: str, raw: bytes) -> str:
    """Decode file bytes as UTF-8, or as the UTF-16/32 its byte-order mark names."""
    encoding = next((enc for bom, enc in _BOMS if raw.startswith(bom)), "utf-8")
    if encoding == "utf-8" and b"\x00" in raw:
        raise DocumentError(
            name, f"looks like a binary file (NUL byte at offset {raw.index(0)}), not text"
        )
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DocumentError(
            name,
            f"is not valid {encoding.replace('-sig', '').upper()} (bad byte at offset "
            f"{exc.start}); convert it to UTF-8, e.g. `iconv -f latin1 -t utf-8`",
        ) from None


# ---------------------------------------------------------------------------
# Segments


class SkipReason(enum.Enum):
    """Why a stretch of text was kept out of the claims."""

    NAVIGATION = "navigation"
    SHARE_PROMPT = "share prompt"
    IMAGE_CREDIT = "image credit"
    REPUBLISHING_NOTICE = "republishing notice"
    BYLINE = "byline"
    NO_WORDS = "no words"
    TOO_LONG = "too long"


@attrs.frozen(slots=True, field_transformer=_TYPED)
class Sentence:
    """A sentence of a document, with its character span."""

    document: str = attrs.field(validator=_non_empty)
    index: int = attrs.field(validator=_non_negative)
    start: int = attrs.field(validator=_non_negative)
    end: int = attrs.field(validator=_non_negative)
    text: str = attrs.field(validator=_non_empty)

    def __attrs_post_init__(self) -> None:
        _check_span(self, self.text)


@attrs.frozen(slots=True, field_transformer=_TYPED)
class Skipped:
    """A stretch of a document that is not a claim, with the reason."""

    document: str = attrs.field(validator=_non_empty)
    start: int = attrs.field(validator=_non_negative)
    end: int = attrs.field(validator=_non_negative)
    text: str = attrs.field(validator=_non_empty)
    reason: SkipReason

    def __attrs_post_init__(self) -> None:
        _check_span(self, self.text)


# ---------------------------------------------------------------------------
# Facts


class FactKind(enum.Enum):
    """The type of a value found inside a claim."""

    NUMBER = "number"
    DATE = "date"
    NEGATION = "negation"
    ENTITY = "entity"
    ROLE = "role"
    HEDGE = "hedge"
    QUANTIFIER = "quantifier"
    ATTRIBUTION = "attribution"
    ACTION = "action"


@attrs.frozen(slots=True, field_transformer=_TYPED)
class NumberValue:
    """A quantity as a closed interval ``[low, high]`` with what is counted.

    Examples
    --------
    >>> NumberValue(low=63500.0, high=math.inf, unit="residents").overlaps(
    ...     NumberValue(low=12000.0, high=12000.0, unit="residents"))
    False
    """

    low: float = attrs.field(converter=validation.to_float)
    high: float = attrs.field(converter=validation.to_float)
    unit: str | None = None

    def __attrs_post_init__(self) -> None:
        if math.isnan(self.low) or math.isnan(self.high) or self.high < self.low:
            raise RecordError(f"need low <= high, got low={self.low!r} high={self.high!r}")

    def overlaps(self, other: NumberValue) -> bool:
        """Whether the two intervals share at least one value."""
        return self.low <= other.high and other.low <= self.high


@attrs.frozen(slots=True, field_transformer=_TYPED)
class DateValue:
    """A calendar interval ``[first, last]`` (inclusive), or unresolved.

    ``first`` and ``last`` are both set or both ``None``; when ``None``,
    ``reason`` says why the expression could not be placed on the calendar.
    ``relative`` is True when the interval was resolved against a reference
    date (``last week``, ``on Wednesday``, ``April 13`` without a year) rather
    than stated in full in the text; ``anchor`` then says which reference it
    was: ``"published"`` (the document's publication date given by the
    caller), ``"dateline"`` (a dateline at the top of the article, such as
    ``WASHINGTON, Oct. 1, 2024 (Reuters) -``) or ``"publication line"`` (a
    ``Published: ...``/``Updated ...`` line at the top). A relative expression
    with no such anchor is never guessed: it stays unresolved, with a reason.
    """

    first: dt.date | None
    last: dt.date | None
    reason: str | None = None
    relative: bool = False
    anchor: str | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if (self.first is None) != (self.last is None):
            raise RecordError(
                f"first and last must both be set or both None, got "
                f"first={self.first!r} last={self.last!r}"
            )
        if self.first is not None and self.last is not None and self.last < self.first:
            raise RecordError(f"need first <= last, got first={self.first} last={self.last}")
        if self.first is None and not self.reason:
            raise RecordError(f"an unresolved date needs a reason, got reason={self.reason!r}")

    @property
    def resolved(self) -> bool:
        return self.first is not None

    def overlaps(self, other: DateValue) -> bool:
        """Whether two resolved intervals share a day (False if either is unresolved)."""
        if self.first is None or self.last is None or other.first is None or other.last is None:
            return False
        return self.first <= other.last and other.first <= self.last


@attrs.frozen(slots=True, field_transformer=_TYPED)
class RoleValue:
    """A title or role held by someone, as canonical keys.

    ``role`` is the canonical role (``"defense minister"`` for ``Defense
    Minister``, ``Minister of Defence`` ...), ``country`` and
    ``organization`` the canonical entity keys it belongs to where the text
    says so, ``holder`` the canonical key of the person holding it where the
    document names them, and ``qualifier`` a time qualifier such as
    ``"former"`` or ``"acting"``.

    Examples
    --------
    >>> RoleValue("finance minister", "france", "bruno le maire").to_dict()["holder"]
    'bruno le maire'
    """

    role: str = attrs.field(validator=_str_field)
    country: str | None = attrs.field(default=None, validator=_optional_str)
    holder: str | None = attrs.field(default=None, validator=_optional_str)
    organization: str | None = attrs.field(default=None, validator=_optional_str)
    qualifier: str | None = attrs.field(default=None, validator=_optional_str)

    def to_dict(self) -> dict[str, str | None]:
        """The value as JSON-ready data."""
        return {
            "role": self.role,
            "country": self.country,
            "holder": self.holder,
            "organization": self.organization,
            "qualifier": self.qualifier,
        }


@attrs.frozen(slots=True, field_transformer=_TYPED)
class QuantifierValue:
    """A quantifier (``"all"``, ``"most"``, ``"none"`` ...) and the noun it quantifies, if stated.

    Examples
    --------
    >>> QuantifierValue("all", "articles").to_dict()
    {'quantifier': 'all', 'target': 'articles'}
    """

    quantifier: str = attrs.field(validator=_str_field)
    target: str | None = attrs.field(default=None, validator=_optional_str)

    def to_dict(self) -> dict[str, str | None]:
        """The value as JSON-ready data."""
        return {"quantifier": self.quantifier, "target": self.target}


@attrs.frozen(slots=True, field_transformer=_TYPED)
class SourceValue:
    """Who a claim is attributed to.

    ``source`` is a canonical key of the speaker (``"financial times"``,
    ``"france official"``, ``"amara okafor office"``), ``verb`` the
    attribution verb's lemma (``"say"``, ``"tell"``, ``"report"``,
    ``"according to"``), and ``via`` the outlet the speaker told, if stated
    (``French officials told the FT``: source ``"france official"``, via
    ``"ft"``).

    Examples
    --------
    >>> SourceValue("financial times", "report").to_dict()
    {'source': 'financial times', 'verb': 'report', 'via': None}
    """

    source: str = attrs.field(validator=_str_field)
    verb: str = attrs.field(validator=_str_field)
    via: str | None = attrs.field(default=None, validator=_optional_str)

    def to_dict(self) -> dict[str, str | None]:
        """The value as JSON-ready data."""
        return {"source": self.source, "verb": self.verb, "via": self.via}


@attrs.frozen(slots=True, field_transformer=_TYPED)
class ActionValue:
    """Who did what to whom: ``agent`` and ``patient`` are canonical entity keys.

    ``Okafor briefed Mensah`` is ``ActionValue("amara okafor", "brief",
    "kofi mensah")``; the swapped sentence gives the swapped value.

    Examples
    --------
    >>> ActionValue("amara okafor", "brief", "kofi mensah").to_dict()
    {'agent': 'amara okafor', 'verb': 'brief', 'patient': 'kofi mensah'}
    """

    agent: str | None = attrs.field(validator=_optional_str)
    verb: str = attrs.field(validator=_str_field)
    patient: str | None = attrs.field(validator=_optional_str)

    def to_dict(self) -> dict[str, str | None]:
        """The value as JSON-ready data."""
        return {"agent": self.agent, "verb": self.verb, "patient": self.patient}


FactValue = NumberValue | DateValue | RoleValue | QuantifierValue | SourceValue | ActionValue | str

# The type of the value of each kind of fact.
_VALUE_TYPES: dict[FactKind, type] = {
    FactKind.NUMBER: NumberValue,
    FactKind.DATE: DateValue,
    FactKind.NEGATION: str,
    FactKind.ENTITY: str,
    FactKind.ROLE: RoleValue,
    FactKind.HEDGE: str,
    FactKind.QUANTIFIER: QuantifierValue,
    FactKind.ATTRIBUTION: SourceValue,
    FactKind.ACTION: ActionValue,
}


@attrs.frozen(slots=True, field_transformer=_TYPED)
class Fact:
    """A typed value inside a claim, with its span in the document.

    ``value`` is a :class:`NumberValue` for numbers, a :class:`DateValue` for
    dates, a :class:`RoleValue` for roles, a :class:`QuantifierValue` for
    quantifiers, a :class:`SourceValue` for attributions, an
    :class:`ActionValue` for who-did-what-to-whom, and a canonical lower-case
    string for entities, negations and hedges (the string is the key two facts
    are compared by).
    """

    kind: FactKind
    start: int = attrs.field(validator=_non_negative)
    end: int = attrs.field(validator=_non_negative)
    text: str = attrs.field(validator=_non_empty)
    value: FactValue

    def __attrs_post_init__(self) -> None:
        _check_span(self, self.text)
        expected = _VALUE_TYPES[self.kind]
        if not isinstance(self.value, expected):
            raise RecordError(
                f"value of a {self.kind.value} fact must be {expected.__name__}, "
                f"got {validation.shown(self.value)}"
            )


def _fact_tuple(values: Iterable[Fact]) -> tuple[Fact, ...]:
    return tuple(values)


# ---------------------------------------------------------------------------
# Claims, clusters, relations


class AssertionMode(enum.Enum):
    """How a sentence puts its content forward (see :mod:`factcheck.assertion`).

    ``ASSERTED``: stated as fact by the writer; ``HEDGED``: softened (``may``,
    ``reportedly``, ``allegedly``); ``ATTRIBUTED``: reported as someone's word
    (``according to X``, ``X said``); ``DENIED``: reported as denied or
    refuted (``X denied that ...``); ``QUESTION``: asked, not stated;
    ``QUOTED``: a direct quotation.
    """

    ASSERTED = "asserted"
    HEDGED = "hedged"
    ATTRIBUTED = "attributed"
    DENIED = "denied"
    QUESTION = "question"
    QUOTED = "quoted"


@attrs.frozen(slots=True, field_transformer=_TYPED)
class Claim:
    """A checkable statement: a sentence, or one clause of a sentence.

    ``id`` is ``"<document>:<n>"`` with ``n`` the claim's position in its
    document, so ids do not depend on the order documents are given in.
    ``mode`` is how the sentence puts the claim forward (asserted, hedged,
    attributed ...; :class:`AssertionMode`).
    """

    id: str = attrs.field(validator=_non_empty)
    document: str = attrs.field(validator=_non_empty)
    sentence: int = attrs.field(validator=_non_negative)
    start: int = attrs.field(validator=_non_negative)
    end: int = attrs.field(validator=_non_negative)
    text: str = attrs.field(validator=_non_empty)
    facts: tuple[Fact, ...] = attrs.field(default=(), converter=_fact_tuple)
    mode: AssertionMode = AssertionMode.ASSERTED

    def __attrs_post_init__(self) -> None:
        _check_span(self, self.text)
        for fact in self.facts:
            if fact.start < self.start or fact.end > self.end:
                raise RecordError(
                    f"fact span [{fact.start}, {fact.end}) lies outside claim "
                    f"{self.id!r} span [{self.start}, {self.end})"
                )

    def facts_of(self, kind: FactKind) -> Iterator[Fact]:
        """The claim's facts of one kind, in text order."""
        return (fact for fact in self.facts if fact.kind is kind)

    def stated_dates(self) -> list[tuple[Fact, DateValue]]:
        """Dates the claim states in full (resolved, not relative to a reference)."""
        return [
            (fact, fact.value)
            for fact in self.facts
            if isinstance(fact.value, DateValue) and fact.value.resolved and not fact.value.relative
        ]

    def entity_keys(self) -> frozenset[str]:
        """Canonical keys of the entities the claim names."""
        return frozenset(str(fact.value) for fact in self.facts_of(FactKind.ENTITY))


def _finite(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not math.isfinite(value):
        raise RecordError(f"{attribute.name} must be a finite number, got {value!r}")


@attrs.frozen(slots=True)
class LinkReason:
    """One reason why a cluster's claims are taken as one event.

    ``feature`` names a feature of the event model
    (:data:`factcheck.events.FEATURES`), ``description`` says it in words,
    ``value`` is its mean over the cluster's linked claim pairs and ``weight``
    its mean share of the log-odds of "same event" (positive: for).

    Examples
    --------
    >>> LinkReason("article_names", "the articles name the same people", 0.61, 1.9).weight
    1.9
    """

    feature: str = attrs.field(validator=_non_empty)
    description: str = attrs.field(validator=_non_empty)
    value: float = attrs.field(converter=float, validator=_finite)
    weight: float = attrs.field(converter=float, validator=_finite)

    def to_dict(self) -> dict[str, str | float]:
        """The reason as JSON-ready data (numbers rounded to 4 decimals)."""
        return {
            "feature": self.feature,
            "description": self.description,
            "value": round(self.value, 4),
            "weight": round(self.weight, 4),
        }


def _optional_unit(
    instance: object, attribute: attrs.Attribute[float | None], value: object
) -> None:
    if value is not None and not (isinstance(value, float) and 0.0 <= value <= 1.0):
        raise RecordError(f"{attribute.name} must be None or a float in [0, 1], got {value!r}")


def _reason_tuple(values: Iterable[LinkReason]) -> tuple[LinkReason, ...]:
    return tuple(values)


@attrs.frozen(slots=True, field_transformer=_TYPED)
class Cluster:
    """Claims judged to report one real-world event.

    ``probability`` is the mean same-event probability over the cluster's
    linked claim pairs (the candidate pairs inside it), ``links`` their
    number, and ``reasons`` the features that linked them most, strongest
    first; they are empty for a single claim or a clusterer without a model.
    """

    id: str = attrs.field(validator=_non_empty)
    claims: tuple[str, ...] = attrs.field(converter=_str_tuple)
    probability: float | None = attrs.field(default=None, validator=_optional_unit)
    links: int = attrs.field(default=0, validator=_non_negative)
    reasons: tuple[LinkReason, ...] = attrs.field(default=(), converter=_reason_tuple)

    def __attrs_post_init__(self) -> None:
        if not self.claims:
            raise RecordError(f"cluster {self.id!r} must hold at least one claim, got claims=()")


_copy_share = validation.in_range(0.0, 1.0, error=RecordError)


def _copy_documents(values: Iterable[str]) -> tuple[str, ...]:
    ids = tuple(sorted(set(values)))
    if len(ids) < 2:
        raise validation.Refused("name at least two distinct documents", ids)
    return ids


@attrs.frozen(slots=True, field_transformer=_TYPED)
class CopyGroup:
    """Documents that are copies of one text: one source, never corroborating each other.

    ``documents`` are the ids, sorted; ``identical`` says whether their words
    are the same (whatever the spacing, invisible characters, line wrapping
    or letter case); ``similarity`` is the lowest share of shared word
    sequences (5-word shingles, Jaccard) between two copies that were linked.

    Examples
    --------
    >>> CopyGroup(documents=["b", "a"], identical=True, similarity=1.0).documents
    ('a', 'b')
    """

    documents: tuple[str, ...] = attrs.field(converter=_copy_documents)
    identical: bool
    similarity: float = attrs.field(converter=validation.to_float, validator=_copy_share)


class Label(enum.Enum):
    """How two claims from different documents relate."""

    AGREE = "agree"
    CONTRADICT = "contradict"


class EvidenceKind(enum.Enum):
    """What a piece of evidence compares."""

    NUMBER = "number"
    DATE = "date"
    POLARITY = "polarity"
    ENTITY = "entity"
    WORDING = "wording"
    PLACE = "place"
    ROLE = "role"
    ACTOR = "actor"
    QUANTIFIER = "quantifier"
    HEDGE = "hedge"
    ATTRIBUTION = "attribution"


@attrs.frozen(slots=True, field_transformer=_TYPED)
class Evidence:
    """One compared value: what claim ``a`` says and what claim ``b`` says.

    ``a`` and ``b`` are the exact texts from the two claims' documents (an
    empty string where one side has no such value, e.g. a negation present in
    only one claim); ``a_span`` and ``b_span`` are their character spans, or
    ``None`` for an empty side.
    """

    kind: EvidenceKind
    a: str
    b: str
    a_span: tuple[int, int] | None = None
    b_span: tuple[int, int] | None = None
    same: bool = True

    @property
    def is_conflict(self) -> bool:
        """A value the two claims give differently. A hedge or an attribution
        present on one side only is context for the score, not a conflict."""
        return not self.same and self.kind not in (EvidenceKind.HEDGE, EvidenceKind.ATTRIBUTION)


_unit_interval = validation.in_range(0.0, 1.0, error=RecordError)


def _evidence_tuple(values: Iterable[Evidence]) -> tuple[Evidence, ...]:
    return tuple(values)


@attrs.frozen(slots=True, field_transformer=_TYPED)
class Relation:
    """A judged relation between two claims of different documents."""

    label: Label
    claims: tuple[str, str] = attrs.field(converter=_str_pair)
    score: float = attrs.field(converter=validation.to_float, validator=_unit_interval)
    evidence: tuple[Evidence, ...] = attrs.field(default=(), converter=_evidence_tuple)

    def __attrs_post_init__(self) -> None:
        if self.claims[0] == self.claims[1]:
            raise RecordError(f"claims must be two distinct claim ids, got {self.claims!r}")


# ---------------------------------------------------------------------------
# Stance of a document towards a claim


class StanceLabel(enum.Enum):
    """What a document does with a claim (the labels of FNC-1 and Emergent).

    ``FOR``: it states or supports the claim; ``AGAINST``: it disputes or
    refutes it; ``OBSERVING``: it reports the claim without taking a side
    (hedged, attributed, discussed); ``UNRELATED``: it is about something else.
    """

    FOR = "for"
    AGAINST = "against"
    OBSERVING = "observing"
    UNRELATED = "unrelated"


def _probabilities(
    values: Iterable[tuple[StanceLabel, float]],
) -> tuple[tuple[StanceLabel, float], ...]:
    return tuple((StanceLabel(label), float(p)) for label, p in values)


def _sentence_tuple(values: Iterable[Sentence]) -> tuple[Sentence, ...]:
    return tuple(values)


@attrs.frozen(slots=True, field_transformer=_TYPED)
class Stance:
    """The stance of one document towards one claim (see :func:`factcheck.stance`).

    Parameters
    ----------
    document : str
        The id of the document judged.
    label : StanceLabel
        The most probable stance.
    probability : float
        Its probability, in ``[0, 1]``.
    probabilities : tuple of (StanceLabel, float)
        Every label's probability, in the order of :class:`StanceLabel`.
    evidence : tuple of Sentence
        The document's sentences that match the claim best, best first, with
        their spans in the document (empty for an unrelated document).

    Examples
    --------
    >>> s = Stance(document="d", label=StanceLabel.FOR, probability=0.8)
    >>> s.label.value, s.probability
    ('for', 0.8)
    """

    document: str = attrs.field(validator=_non_empty)
    label: StanceLabel = attrs.field(validator=attrs.validators.instance_of(StanceLabel))
    probability: float = attrs.field(converter=validation.to_float, validator=_unit_interval)
    probabilities: tuple[tuple[StanceLabel, float], ...] = attrs.field(
        default=(), converter=_probabilities
    )
    evidence: tuple[Sentence, ...] = attrs.field(default=(), converter=_sentence_tuple)

    def __attrs_post_init__(self) -> None:
        for label, p in self.probabilities:
            if not 0.0 <= p <= 1.0:
                raise RecordError(f"probabilities must lie in [0, 1], got {p!r} for {label.value}")
        for sentence in self.evidence:
            if sentence.document != self.document:
                raise RecordError(
                    f"evidence sentence of document {sentence.document!r} given for "
                    f"document {self.document!r}"
                )

    def to_dict(self) -> dict[str, Any]:
        """The stance as JSON-ready data."""
        return {
            "document": self.document,
            "label": self.label.value,
            "probability": round(self.probability, 4),
            "probabilities": {label.value: round(p, 4) for label, p in self.probabilities},
            "evidence": [
                {"text": s.text, "start": s.start, "end": s.end, "sentence": s.index}
                for s in self.evidence
            ],
        }
