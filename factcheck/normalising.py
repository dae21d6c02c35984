"""Text normalisation before segmentation, with a map back to the original offsets.

Text arrives from scrapers, e-mail and wire feeds with characters a reader
never sees and line breaks that are not sentence breaks. Before a document is
segmented, :class:`TextNormaliser` turns its text into the text the later
stages (segmenter, fact extractor, embedder, judge) work on:

* **Unicode spaces** (no-break, narrow no-break, thin, figure, ideographic and
  the other ``Zs`` spaces), **control characters** (BEL, NUL, ESC and the
  other C0/C1 controls except tab, line feed, carriage return, form feed and
  the file/group/record separators) and the **line separators inside a
  sentence** (vertical tab, NEL ``U+0085``, ``U+2028``) become a plain space.
* **Invisible format characters** (zero-width space, zero-width (non-)joiner,
  word joiner, soft hyphen, a byte-order mark inside the text, the bidi marks
  and embeddings) are removed for matching: ``180\\u200bmissiles`` reads as a
  reader sees it, ``180missiles``, and ``63,\\u00ad500`` as ``63,500``.
* **Hard-wrapped paragraphs** (e-mail and plain-text wires wrapped at 70 or 30
  columns) are joined: a line break becomes a space where the line is *full*
  (the next line's first word would not have fitted on it, measured against
  the document's wrap width) in a document with at least three full lines,
  most of its lines full and many of them ending mid-sentence. In
  any document, a line break is also joined where the line cannot end a
  sentence: it ends without terminal punctuation and either the next line
  starts with a lower-case letter or the line ends with a comma, a dash, an
  opening bracket, a function word (``the``, ``of`` ...) or a number after a
  word that asks for one (``at least 63,500``, ``more than 12``).

Paragraph breaks (blank lines, form feed, ``U+2029``) always stay breaks, and
a headline line (short, followed by a capitalised sentence) stays a line of
its own.

Replacing a character by a space keeps the length; removing one does not, so a
:class:`NormalisedText` keeps the map from its offsets to the original text's.
:meth:`NormalisedText.restore_claims` and :meth:`NormalisedText.restore_evidence`
map records built on the normalised text back, so every span of a report
indexes the original text and every record's ``text`` is the exact original
slice (with the invisible characters it contains).

Examples
--------
>>> norm = TextNormaliser().normalise("The flood killed 12\\u00a0people.\\u200b")
>>> norm.text
'The flood killed 12 people.'
>>> norm.original[slice(*norm.span(17, 26))]
'12\\xa0people'
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from typing import Protocol, runtime_checkable

import attrs
import numpy as np
import numpy.typing as npt

from factcheck import validation
from factcheck.records import Claim, Evidence, Fact, Skipped, SkipReason

__all__ = ["NormalisedText", "Normaliser", "TextNormaliser", "matching_key"]

IntArray = npt.NDArray[np.int64]

# Characters that become a plain space (length kept).
_SPACES = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u2028"
_CONTROLS = "\x00-\x08\x0b\x0e-\x1b\x7f-\x9f"  # includes VT (\x0b) and NEL (\x85)
# Invisible format characters (Unicode category Cf) that are removed for matching.
_INVISIBLE = (
    "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
    "\ufff9-\ufffb\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
_SPECIAL = re.compile(f"[{_SPACES}{_CONTROLS}{_INVISIBLE}]")
_SPACE_LIKE = re.compile(f"[{_SPACES}{_CONTROLS}]")
_DELETE = re.compile(f"[{_INVISIBLE}]")
_BREAK = re.compile(r"\r\n|\r|\n")
_WORD = re.compile(r"[^\W_]+")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_TERMINAL_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]\u00bb]*$")
_CONTINUING_END = re.compile(r"[,;(\[\u2013\u2014-]$")
# Words a sentence cannot end on: a line ending with one goes on.
_FUNCTION_WORDS = _words(
    "the a an of in on at to for from by with and or but nor than as into onto over under "
    "about after before between during per via that which who whose whom is are was were be "
    "been has have had will would could should may might must can its their his her our your "
    "least some nearly almost roughly around approximately more less"
)

# Words after which a number still needs the noun it counts.
_QUANTITY_WORDS = _words(
    "least some about nearly almost roughly around approximately than over under up to of only "
    "just exactly estimated the"
)
_NUMBER = re.compile(r"\d[\d,.]*")

# Widths at which a document can be hard-wrapped.
_MIN_WRAP = 20
_MAX_WRAP = 160
# A wrapped document has at least this many full lines, at least this share of
# its inner lines full, and at least a third of its full lines ending mid-sentence.
_MIN_FULL_LINES = 3
_WRAPPED_SHARE = 0.6


@validation.checked
def matching_key(text: str) -> str:
    """The words of ``text``, case-folded and joined by one space: what copies share.

    Examples
    --------
    >>> matching_key("Flood  KILLED\\n12 people!")
    'flood killed 12 people'
    """
    return " ".join(_WORD.findall(text.casefold()))


@attrs.frozen(slots=True, eq=False, field_transformer=validation.typed)
class NormalisedText:
    """A document's text as the pipeline reads it, with the way back to the original.

    Parameters
    ----------
    original : str
        The text as given.
    text : str
        The normalised text.
    to_original : numpy.ndarray or None
        ``(len(text) + 1,)`` int64: the original offset of each normalised
        character, then ``len(original)``. ``None`` when no character was
        removed (the offsets are the same).
    invisible : tuple of int
        Sorted original offsets of the characters that are neither kept as
        they are nor whitespace (removed format characters, controls turned
        into spaces); :meth:`restore_claims` gives each of them to a record.
    """

    original: str
    text: str
    to_original: IntArray | None = None
    invisible: tuple[int, ...] = ()

    @property
    def changed(self) -> bool:
        """Whether the normalised text differs from the original."""
        return self.text != self.original

    def offset(self, k: int) -> int:
        """The original offset of normalised offset ``k`` (``0 <= k <= len(text)``)."""
        return k if self.to_original is None else int(self.to_original[k])

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the normalised span ``[start, end)``, tight.

        Removed characters inside the span are inside the result; those at its
        edges are not.
        """
        if self.to_original is None:
            return start, end
        if end <= start:
            k = self.offset(start)
            return k, k
        return int(self.to_original[start]), int(self.to_original[end - 1]) + 1

    # -- restoring records -----------------------------------------------------

    def _fact(self, fact: Fact) -> Fact:
        s, e = self.span(fact.start, fact.end)
        return Fact(kind=fact.kind, start=s, end=e, text=self.original[s:e], value=fact.value)

    def restore_claims(
        self, claims: Sequence[Claim], skipped: Sequence[Skipped], *, document: str
    ) -> tuple[list[Claim], list[Skipped]]:
        """Claims and skipped records of the normalised text, as records of the original.

        Spans and texts index the original text; facts keep their values.
        Every character that is neither whitespace nor in a record (an
        invisible character between two sentences, a control character at a
        sentence's edge) joins the record it touches, else becomes a skipped
        record of its own (reason ``no words``, in document ``document``), so
        the records still cover every non-whitespace character exactly once.
        """
        if not self.changed:
            return list(claims), list(skipped)
        spans: list[list[int]] = []
        kinds: list[Claim | Skipped] = []
        records: list[Claim | Skipped] = [*claims, *skipped]
        for record in sorted(records, key=lambda r: r.start):
            s, e = self.span(record.start, record.end)
            spans.append([s, e])
            kinds.append(record)
        orphans: list[tuple[int, int]] = []
        starts = [s for s, _ in spans]
        for run_start, run_end in _runs(self.invisible):
            k = bisect.bisect_right(starts, run_start) - 1
            if k >= 0 and spans[k][0] <= run_start < spans[k][1]:
                continue  # inside a record already
            if k >= 0 and spans[k][1] == run_start:
                spans[k][1] = run_end
            elif k + 1 < len(spans) and spans[k + 1][0] == run_end:
                spans[k + 1][0] = run_start
                starts[k + 1] = run_start
            else:
                orphans.append((run_start, run_end))
        out_claims: list[Claim] = []
        out_skipped: list[Skipped] = []
        for (s, e), record in zip(spans, kinds, strict=True):
            text = self.original[s:e]
            if isinstance(record, Claim):
                out_claims.append(
                    attrs.evolve(
                        record,
                        start=s,
                        end=e,
                        text=text,
                        facts=tuple(self._fact(f) for f in record.facts),
                    )
                )
            else:
                out_skipped.append(attrs.evolve(record, start=s, end=e, text=text))
        for s, e in orphans:
            out_skipped.append(
                Skipped(
                    document=document,
                    start=s,
                    end=e,
                    text=self.original[s:e],
                    reason=SkipReason.NO_WORDS,
                )
            )
        out_skipped.sort(key=lambda r: r.start)
        return out_claims, out_skipped

    def restore_evidence_side(
        self, text: str, span: tuple[int, int] | None
    ) -> tuple[str, tuple[int, int] | None]:
        """One side of a piece of evidence, as text and span of the original.

        A value that is the normalised slice of its span becomes the original
        slice; any other value (a composed description) is kept.
        """
        if span is None or not self.changed:
            return text, span
        s, e = self.span(*span)
        if text == self.text[span[0] : span[1]]:
            text = self.original[s:e]
        return text, (s, e)

    def restore_evidence(self, evidence: Evidence, other: NormalisedText, *, side: int) -> Evidence:
        """Evidence whose side ``side`` (0 for ``a``) is in this text and the other in ``other``."""
        mine, theirs = (self, other) if side == 0 else (other, self)
        a, a_span = mine.restore_evidence_side(evidence.a, evidence.a_span)
        b, b_span = theirs.restore_evidence_side(evidence.b, evidence.b_span)
        return attrs.evolve(evidence, a=a, b=b, a_span=a_span, b_span=b_span)


def _runs(positions: Iterable[int]) -> list[tuple[int, int]]:
    """Maximal runs ``[start, end)`` of consecutive positions."""
    runs: list[tuple[int, int]] = []
    for p in positions:
        if runs and runs[-1][1] == p:
            runs[-1] = (runs[-1][0], p + 1)
        else:
            runs.append((p, p + 1))
    return runs


@runtime_checkable
class Normaliser(Protocol):
    """Anything that turns a document's text into the text the pipeline reads."""

    def normalise(self, text: str) -> NormalisedText:
        """The normalised text with its map back to ``text``."""
        ...


@attrs.frozen(slots=True, kw_only=True, field_transformer=validation.typed)
class TextNormaliser:
    """The default :class:`Normaliser` (see the module docstring for the rules).

    Parameters
    ----------
    join_lines : bool
        Join hard-wrapped lines and lines that end mid-sentence (default
        True). With False, only characters are normalised and every line
        break stays a break.

    Examples
    --------
    >>> wrapped = "At least 2,500 residents were\\nevacuated from the valley on\\nMarch 3, 2021."
    >>> TextNormaliser().normalise(wrapped).text
    'At least 2,500 residents were evacuated from the valley on March 3, 2021.'
    >>> TextNormaliser().normalise("Flood kills 12\\nThe mayor said 25 died.").text
    'Flood kills 12\\nThe mayor said 25 died.'
    """

    join_lines: bool = True

    def normalise(self, text: str) -> NormalisedText:
        """Normalise ``text``; never raises on any string, time linear in its length."""
        special = _SPECIAL.search(text) is not None
        if not special and not (self.join_lines and ("\n" in text or "\r" in text)):
            return NormalisedText(original=text, text=text)
        out = text
        to_original: IntArray | None = None
        invisible: tuple[int, ...] = ()
        if special:
            invisible = tuple(
                m.start() for m in _SPECIAL.finditer(text) if not text[m.start()].isspace()
            )
            out = _SPACE_LIKE.sub(" ", text)
            removed = [m.start() for m in _DELETE.finditer(out)]
            if removed:
                keep = np.ones(len(text), dtype=bool)
                keep[removed] = False
                to_original = np.append(np.flatnonzero(keep), len(text)).astype(np.int64)
                out = _DELETE.sub("", out)
        if self.join_lines:
            out = _join_lines(out)
        return NormalisedText(original=text, text=out, to_original=to_original, invisible=invisible)


# ---------------------------------------------------------------------------
# Joining lines


def _first_word_length(line: str) -> int:
    stripped = line.lstrip()
    cut = stripped.find(" ")
    return len(stripped) if cut < 0 else cut


def _goes_on(line: str, following: str) -> bool:
    """Whether a sentence cannot end at the end of ``line`` (``following`` comes next)."""
    body = line.rstrip()
    if not body or _TERMINAL_END.search(body):
        return False
    nxt = following.lstrip()
    if nxt[:1].islower():
        return True
    if _CONTINUING_END.search(body):
        return True
    words = body.rsplit(None, 2)
    if words[-1].casefold() in _FUNCTION_WORDS:
        return True
    # "At least 2,500 / residents": a number after a word that asks for one waits for its noun.
    return (
        len(words) >= 2
        and _NUMBER.fullmatch(words[-1]) is not None
        and words[-2].casefold() in _QUANTITY_WORDS
    )


def _wrap_width(lengths: Sequence[int]) -> int | None:
    """The column a hard-wrapped text was wrapped at, from its line lengths, or None."""
    if len(lengths) < 3:
        return None
    ordered = sorted(lengths)
    width = ordered[-1]
    p90 = ordered[(9 * (len(ordered) - 1)) // 10]
    if width > 1.5 * p90:
        width = p90  # one outlying long line (a URL) does not set the width
    if not _MIN_WRAP <= width <= _MAX_WRAP:
        return None
    return width


def _join_lines(text: str) -> str:
    """``text`` with the line breaks inside paragraphs replaced by spaces (length kept)."""
    breaks = [(m.start(), m.end()) for m in _BREAK.finditer(text)]
    if not breaks:
        return text
    bounds = [0, *(e for _, e in breaks)]
    ends = [s for s, _ in breaks] + [len(text)]
    lines = [text[b:e] for b, e in zip(bounds, ends, strict=True)]
    lengths = [len(line.rstrip()) for line in lines]
    # Inner lines: a non-blank line followed by a non-blank one.
    inner = [
        i
        for i in range(len(lines) - 1)
        if lines[i].strip() and lines[i + 1].strip() and not lines[i + 1][:1].isspace()
    ]
    width = _wrap_width([n for n in lengths if n])
    full: set[int] = set()
    if width is not None and inner:
        full = {i for i in inner if lengths[i] + 1 + _first_word_length(lines[i + 1]) > width}
        mid_sentence = sum(1 for i in full if not _TERMINAL_END.search(lines[i].rstrip()))
        if (
            len(full) < _MIN_FULL_LINES
            or len(full) < _WRAPPED_SHARE * len(inner)
            or 3 * mid_sentence < len(full)
        ):
            full = set()
    joined = [i for i in inner if i in full or _goes_on(lines[i], lines[i + 1])]
    if not joined:
        return text
    parts: list[str] = []
    pos = 0
    for i in joined:
        s, e = breaks[i]
        parts.append(text[pos:s])
        parts.append(" " * (e - s))
        pos = e
    parts.append(text[pos:])
    return "".join(parts)
