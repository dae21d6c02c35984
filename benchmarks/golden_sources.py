"""Source texts of the golden fact table, read from ``../shared/data``.

The golden table (``benchmarks/golden/facts.jsonl``) stores no sentence text,
only where each sentence lies in its source document. This module rebuilds the
documents exactly as the table's offsets expect them:

FNC-1
    A document is one article body of ``fnc1/train_bodies.csv`` (columns
    ``Body ID`` and ``articleBody``), character for character; its id is
    ``fnc1-<Body ID>``.

ECB+
    A document is one XML file of ``ecbplus/ECB+/<topic>/``; its id is the file
    name. The corpus gives tokens only, so the text is rebuilt by
    :func:`detokenize`, one line per sentence (``sentence`` attribute), lines
    joined with ``"\\n"``. Sentence 0 of an ``*ecbplus.xml`` file is the URL the
    text was found at, not article text, and is left out.

The detokeniser joins tokens with one space, except:

* no space before ``, . ; : ! ? ) ] } % ...`` and the clitics ``'s 'S n't 're
  've 'll 'd 'm`` (and their ``’`` forms), nor before a closing quote;
* no space after ``( [ { $ £ € #`` nor after an opening quote;
* quotes: ````` and ``''`` become ``"``, curly quotes keep their direction,
  and a straight ``"`` is closing after ``, . ! ? ;``, before ``, . ; : ! ? )``
  or at the end of the sentence, opening at its start or after ``( : — -- -``,
  else closing when a quote is open in the sentence and opening otherwise;
  a straight ``'`` (or ``’`` not followed by a clitic) is closing; two ``'``
  tokens in a row are one ``"``;
* digits: ``5 : 03``, ``8 . 1``, ``$2 . 5`` and ``05 / 02`` are glued (a token ending
  in a digit, the mark, a token starting with one), and ``63 , 500`` when both
  parts are digits and the part after the comma has exactly three;
* initialisms: a ``.`` between two one-letter tokens is glued on both sides
  (``U . S . Navy`` -> ``U.S. Navy``, ``a . m .`` -> ``a.m.``);
* in ``*ecbplus.xml`` files only (whose tokeniser split words at every
  hyphen, slash and apostrophe): ``-`` between two word tokens, ``/`` and
  ``_`` are glued on both sides (``in - house`` -> ``in-house``), and ``’``
  before a clitic (``s t re ve ll d m``) is glued on both sides (``Lohan ’ s``
  -> ``Lohan’s``). In the older ``*ecb.xml`` files a ``-`` token is a dash and
  keeps its spaces.

This is one fixed reconstruction, not the original page: a sentence's
``sha1`` in the table is the SHA-1 of the UTF-8 text this module produces.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"

__all__ = ["DATA", "detokenize", "ecbplus_document", "fnc1_bodies", "sentence_sha1"]

_NO_SPACE_BEFORE = frozenset(
    [
        ",",
        ".",
        ";",
        ":",
        "!",
        "?",
        ")",
        "]",
        "}",
        "%",
        "...",
        "'s",
        "'S",
        "n't",
        "N'T",
        "'re",
        "'ve",
        "'ll",
        "'d",
        "'m",
        "’s",
        "’re",
        "’ve",
        "’ll",
        "’d",
        "’m",
    ]
)
_NO_SPACE_AFTER = frozenset(["(", "[", "{", "$", "£", "€", "#"])
_CLITICS = frozenset(["s", "t", "re", "ve", "ll", "d", "m", "S", "T"])
_OPEN_AFTER = frozenset(["(", ":", "—", "--", "-", "–", "["])
_CLOSE_AFTER = frozenset([",", ".", "!", "?", ";"])
_CLOSE_BEFORE = frozenset([",", ".", ";", ":", "!", "?", ")"])
_DIGITS = re.compile(r"^\d+$")
_WORD_END = re.compile(r"\w$")
_WORD_START = re.compile(r"^\w")


def _letter(token: str | None) -> bool:
    return token is not None and len(token) == 1 and token.isalpha()


def detokenize(tokens: Sequence[str], *, split_hyphens: bool = False) -> str:
    """Put tokens back into normal spacing (see the module notes for the rules).

    ``split_hyphens`` turns on the rules for the ``*ecbplus.xml`` files, whose
    tokeniser split hyphenated words and ``’s``.

    Examples
    --------
    >>> detokenize(["He", "said", "``", "no", "''", "to", "the", "U", ".", "S", ".", "."])
    'He said "no" to the U.S..'
    >>> detokenize(["a", "90", "-", "day", "stay", "at", "5", ":", "03pm"], split_hyphens=True)
    'a 90-day stay at 5:03pm'
    >>> detokenize(["Lohan", "’", "s", "$", "63", ",", "500", "(", "est", ".", ")"],
    ...            split_hyphens=True)
    'Lohan’s $63,500 (est.)'
    """
    toks = list(tokens)
    # Two straight apostrophes in a row are one closing double quote.
    merged: list[str] = []
    for tok in toks:
        if tok == "'" and merged and merged[-1] == "'":
            merged[-1] = "''"
        else:
            merged.append(tok)
    toks = merged
    n = len(toks)
    # glue_before[i]: no space between token i-1 and token i.
    glue = [False] * n
    out_tokens = list(toks)
    quote_open = False
    for i, tok in enumerate(toks):
        prev = toks[i - 1] if i > 0 else None
        nxt = toks[i + 1] if i + 1 < n else None
        if tok in ("``", "“", "‘"):
            out_tokens[i] = '"' if tok == "``" else tok
            if i + 1 < n:
                glue[i + 1] = True
            continue
        if tok in ("''", "”"):
            out_tokens[i] = '"' if tok == "''" else tok
            glue[i] = True
            continue
        if tok == '"':
            if prev is None:
                opening = True
            elif prev in _CLOSE_AFTER or nxt is None or nxt in _CLOSE_BEFORE:
                opening = False
            elif prev in _OPEN_AFTER:
                opening = True
            else:
                opening = not quote_open
            quote_open = opening
            if opening:
                if i + 1 < n:
                    glue[i + 1] = True
            else:
                glue[i] = True
            continue
        if tok == "’" and split_hyphens and nxt in _CLITICS and prev is not None:
            glue[i] = True
            glue[i + 1] = True
            continue
        if tok in ("'", "’"):
            glue[i] = True
            continue
        if tok in _NO_SPACE_BEFORE:
            glue[i] = True
        if tok in _NO_SPACE_AFTER and i + 1 < n:
            glue[i + 1] = True
        between_digits = (
            prev is not None and nxt is not None and prev[-1:].isdigit() and nxt[:1].isdigit()
        )
        thousands = (
            tok == ","
            and prev is not None
            and nxt is not None
            and _DIGITS.match(prev) is not None
            and _DIGITS.match(nxt) is not None
            and len(nxt) == 3
            and len(prev) <= 3
        )
        if between_digits and (tok in (":", ".", "/") or thousands):
            glue[i] = True
            glue[i + 1] = True
        if tok == "." and _letter(prev) and _letter(nxt):
            glue[i] = True
            glue[i + 1] = True
        if (
            split_hyphens
            and prev is not None
            and nxt is not None
            and (
                tok in ("/", "_")
                or (tok == "-" and _WORD_END.search(prev) and _WORD_START.search(nxt))
            )
        ):
            glue[i] = True
            glue[i + 1] = True
    parts: list[str] = []
    for i, tok in enumerate(out_tokens):
        if i > 0 and not glue[i]:
            parts.append(" ")
        parts.append(tok)
    return "".join(parts)


def sentence_sha1(text: str) -> str:
    """The SHA-1 (hex) of a sentence's UTF-8 text, as the table stores it."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def fnc1_bodies(data: Path = DATA) -> dict[str, str]:
    """FNC-1 article bodies by ``Body ID`` (as a string)."""
    csv.field_size_limit(1 << 30)
    path = data / "fnc1" / "train_bodies.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["Body ID"]: row["articleBody"] for row in csv.DictReader(handle)}


@cache
def ecbplus_document(name: str, data: Path = DATA) -> tuple[str, dict[int, tuple[int, int]]]:
    """An ECB+ file's rebuilt text and each sentence's ``(start, end)`` in it.

    ``name`` is the file name, e.g. ``"20_3ecbplus.xml"``; its topic is the
    number before the underscore.
    """
    topic = name.split("_", 1)[0]
    path = data / "ecbplus" / "ECB+" / topic / name
    root = ElementTree.parse(path).getroot()
    sentences: dict[int, list[str]] = {}
    for token in root.iter("token"):
        sentences.setdefault(int(token.attrib["sentence"]), []).append(token.text or "")
    plus = name.endswith("ecbplus.xml")
    text_parts: list[str] = []
    spans: dict[int, tuple[int, int]] = {}
    pos = 0
    for number in sorted(sentences):
        if plus and number == 0:
            continue
        line = detokenize(sentences[number], split_hyphens=plus)
        if text_parts:
            text_parts.append("\n")
            pos += 1
        spans[number] = (pos, pos + len(line))
        text_parts.append(line)
        pos += len(line)
    return "".join(text_parts), spans
