"""Polarity and quantifiers: negation cues and quantifiers with what they quantify."""

from __future__ import annotations

import re

from factcheck.facts import lexicon
from factcheck.facts.base import _NUMBER_WORD, _Hit, _Spans
from factcheck.facts.numbers import _find_unit
from factcheck.records import FactKind, QuantifierValue

_NEGATION_RE = re.compile(
    r"(?i)(?<![A-Za-z])(?:"
    r"(?P<nt>[a-z]+n[’']t)"
    r"|(?P<cannot>cannot)"
    r"|(?P<not>(?:(?:do|does|did|is|are|was|were|has|have|had|can|could|will|would|shall"
    r"|should|must|may|might|need)[ \t]+)?not)(?![A-Za-z])(?![ \t]+(?:only|just)(?![A-Za-z]))"
    r"|(?P<never>never)"
    r"|(?P<none>no[ \t]+one|nobody|nothing|none)"
    r"|(?P<no>no)(?=[ \t]+[A-Za-z])"
    r"|(?P<deny>den(?:y|ies|ied|ying))"
    r"|(?P<decline>declin(?:e|es|ed|ing)[ \t]+to)"
    r"|(?P<refuse>refus(?:e|es|ed|ing)[ \t]+to)"
    r")(?![A-Za-z])"
)


_NEGATION_VALUES = {
    "nt": "not", "cannot": "not", "not": "not", "never": "never", "none": "no", "no": "no",
    "deny": "denied", "decline": "declined", "refuse": "refused",
}  # fmt: skip


def _negations(claim: str) -> list[_Hit]:
    hits: list[_Hit] = []
    for m in _NEGATION_RE.finditer(claim):
        group = m.lastgroup
        if group is not None:
            hits.append(_Hit(m.start(), m.end(), FactKind.NEGATION, _NEGATION_VALUES[group]))
    return hits


_QUANTIFIER_RE = re.compile(
    r"(?i)(?<![\w-])(?:(?P<all>all)|(?P<most>most)|(?P<none>none|no[ \t]+one|nobody|nothing)"
    r"|(?P<every>every|each)|(?P<many>many)|(?P<several>several)|(?P<some>some)"
    r"|(?P<few>(?:a[ \t]+)?few)|(?P<both>both)|(?P<half>half)(?=[ \t]+(?:of|the)[ \t])"
    r"|(?P<most_>(?:the|a)[ \t]+majority))(?![\w-])"
)


_QUANTIFIER_SKIP_BEFORE = {
    "all": re.compile(r"(?i)(?<![A-Za-z])(?:at|after|above|for|once[ \t]+and[ \t]+for)[ \t]+$"),
    "most": re.compile(r"(?i)(?<![A-Za-z])(?:the|at|at[ \t]+the)[ \t]+$"),
    "many": re.compile(r"(?i)(?<![A-Za-z])(?:as|so|too)[ \t]+$"),
}


_QUANTIFIER_SKIP_AFTER = {
    "all": re.compile(r"(?i)[ \t]+but(?![A-Za-z])"),
    "some": re.compile(rf"(?i)[ \t]+(?:\d|(?:{_NUMBER_WORD})(?![A-Za-z]))"),
    "every": re.compile(r"(?i)[ \t]+other(?![A-Za-z])"),
    "few": re.compile(r"(?i)[ \t]+(?:more|less|than)(?![A-Za-z])"),
}


_QUANTIFIED_RE = re.compile(
    r"(?i)[ \t]+(?:of[ \t]+(?:(?:the|their|its|his|her|our|these|those)[ \t]+)?)?([^\W\d_])"
)


_OF_AFTER_RE = re.compile(r"(?i)[ \t]+of(?![A-Za-z])")


_NO_SPANS = _Spans([])


def _quantifiers(claim: str) -> list[_Hit]:
    hits: list[_Hit] = []
    for m in _QUANTIFIER_RE.finditer(claim):
        group = m.lastgroup
        if group is None:
            continue
        value = group.rstrip("_")
        before = _QUANTIFIER_SKIP_BEFORE.get(value)
        if before is not None and before.search(claim, max(0, m.start() - 20), m.start()):
            continue
        after = _QUANTIFIER_SKIP_AFTER.get(value)
        if after is not None and after.match(claim, m.end()):
            continue
        target, _ = _find_unit(claim, m.end(), _NO_SPANS, allow_of=True)
        first = _QUANTIFIED_RE.match(claim, m.end())
        if first is not None and first.group(1)[0].isupper():
            target = None  # "All Tim Cook offered": not a noun the quantifier takes
        if value == "most" and target is None and not _OF_AFTER_RE.match(claim, m.end()):
            continue  # "most" before an adjective is a superlative
        hits.append(_Hit(m.start(), m.end(), FactKind.QUANTIFIER, QuantifierValue(value, target)))
    return hits


# Gates: a claim must hold one of these words for the extractor to be run.
_NEGATION_WORDS = lexicon.words("polarity", "negation_gate")


_QUANTIFIER_WORDS = lexicon.words("polarity", "quantifier_gate")
