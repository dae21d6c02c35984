"""Attribution (who a claim rests on) and hedging cues."""

from __future__ import annotations

import re

from factcheck.facts import lexicon
from factcheck.facts.base import _Hit, _skip_blanks
from factcheck.facts.entities import _COUNTRIES, _NO_MENTION, _Index, _Mention
from factcheck.records import FactKind, SourceValue

_HEDGE_RE = re.compile(
    r"(?i)(?<![\w-])(?:"
    r"(?P<reportedly>reportedly|purportedly|supposedly|said[ \t]+to[ \t]+(?:be|have))"
    r"|(?P<alleged>allegedly|alleged)"
    r"|(?P<suspected>suspected)"
    r"|(?P<apparent>apparently|apparent|seemingly|(?:appears?|appeared|seems?|seemed)[ \t]+to)"
    r"|(?P<expected>expected[ \t]+to)"
    r"|(?P<likely>likely|probably)"
    r"|(?P<possible>possibly|perhaps|maybe)"
    r"|(?P<believed>(?:believed|thought)[ \t]+to)"
    r"|(?P<unconfirmed>unconfirmed|unverified)"
    r")(?![\w-])"
)


def _hedges(claim: str) -> list[_Hit]:
    hits: list[_Hit] = []
    for m in _HEDGE_RE.finditer(claim):
        if m.lastgroup is not None:
            hits.append(_Hit(m.start(), m.end(), FactKind.HEDGE, m.lastgroup))
    return hits


_SAY_VERBS: dict[str, str] = lexicon.table("attribution", "say_verbs")


_SOURCE_HEADS: dict[str, str] = lexicon.table("attribution", "source_heads")


# Heads that name a document: its issuer is the source ("a Pentagon readout" is "pentagon").
_DOCUMENT_HEADS = lexicon.words("attribution", "document_heads")


_MEDIA_WORDS = lexicon.words("attribution", "media_words")


_THE_BEFORE_RE = re.compile(r"(?i)(?<![A-Za-z])the[ \t]+$")


_PRONOUNS = lexicon.words("attribution", "possessive_pronouns")


_SAY_RE = re.compile(
    r"(?<![\w-])(?P<verb>" + "|".join(sorted(_SAY_VERBS, key=len, reverse=True)) + r")(?![\w-])"
)


_ACCORDING_RE = re.compile(r"(?i)(?<![\w-])according[ \t]+to[ \t]+")


_SOURCE_ADJ = (
    r"(?:(?:top|senior|other|two|three|several|some|many|anonymous|unnamed|unidentified|military"
    r"|intelligence|administration|defense|defence|government|security|western|regional"
    r"|local)[ \t]+)*"
)


# "(top) (U.S.) officials (familiar with the matter)": a source phrase, used on its
# own and as the words just before an attribution verb.
_SOURCE_PHRASE = (
    rf"(?P<adj>{_SOURCE_ADJ})(?P<head>"
    + "|".join(sorted(_SOURCE_HEADS, key=len, reverse=True))
    + r")(?P<post>[ \t]+(?:familiar[ \t]+with[ \t]+the[ \t]+\w+"
    r"|with[ \t]+(?:direct[ \t]+)?knowledge[ \t]+of[ \t]+the[ \t]+\w+"
    r"|speaking[ \t]+on[ \t]+(?:the[ \t]+)?condition[ \t]+of[ \t]+anonymity"
    r"|briefed[ \t]+on[ \t]+the[ \t]+\w+|close[ \t]+to[ \t]+the[ \t]+\w+))?"
)


_SOURCE_HEAD_RE = re.compile(r"(?i)" + _SOURCE_PHRASE)


_SOURCE_BEFORE_RE = re.compile(r"(?i)(?<![\w-])" + _SOURCE_PHRASE + r"[ \t]+$")


_DET_RE = re.compile(r"(?i)(?:the|a|an|his|her|its|their)[ \t]+")


_PRONOUN_BEFORE_RE = re.compile(r"(?i)(?<![A-Za-z])(?P<pron>his|her|its|their)[ \t]+$")


_VIA_RE = re.compile(
    r"(?i)[ \t]+(?:(?:who|that)[ \t]+)?(?:spoke|speaking|talked|talking)[ \t]+(?:to|with)[ \t]+"
    r"(?:the[ \t]+)?"
)


_BY_RE = re.compile(
    r"(?i)(?:[ \t]+of[ \t]+the[ \t]+\w+)?[ \t]+(?:released|issued|published|put[ \t]+out)[ \t]+"
    r"by[ \t]+(?:the[ \t]+)?"
)


_INVERTED_GAP_RE = re.compile(
    r"(?:(?:[A-Z][\w.’'-]*|spokesman|spokeswoman|spokesperson|official|minister|secretary"
    r"|adviser|advisor|director|chief|leader|president|press|defense|defence|foreign|prime"
    r"|deputy|senior|top|general|ambassador|envoy|commander)[ \t]+)*"
)


_END_OF_CLAUSE_RE = re.compile(r"[ \t]*(?:[.,;:!?”\"’)]|$)")


_NOUN_LIKE_VERBS = lexicon.words("attribution", "noun_like_verbs")


_CLAUSE_AFTER_RE = re.compile(r"(?i)[ \t]*(?:that(?![\w-])|[.,;:!?”\"’]|$)")


_ACCORDING_BEFORE_RE = re.compile(r"(?i)(?<![A-Za-z])according[ \t]+to[ \t]+(?:the[ \t]+)?$")


_SAID_TO_RE = re.compile(r"[ \t]+to[ \t]+(?:be|have)(?![\w-])")


_REPORTERS_RE = re.compile(r"(?i)(?:reporters|journalists|the[ \t]+press)(?![\w-])")


def _source_key(
    claim: str,
    mentions: _Index,
    head: re.Match[str] | None,
    start: int,
) -> tuple[str | None, int]:
    """The key of a source noun phrase whose head (if any) is ``head``, and its start.

    ``start`` is where the head phrase (its adjectives) starts; a mention or a
    possessive pronoun just before it is the source's owner.
    """
    owner, _ = mentions.ending(claim, start)
    owner_key: str | None = None
    if owner is not _NO_MENTION:
        owner_key, start = owner.key, owner.start
    else:
        pron = _PRONOUN_BEFORE_RE.search(claim, max(0, start - 8), start)
        if pron is not None:
            owner_key = mentions.first_person if pron["pron"].lower() != "its" else None
            start = pron.start()
    if head is None:
        return owner_key, start
    noun = _SOURCE_HEADS[head["head"].lower()]
    if owner_key is not None and noun in _DOCUMENT_HEADS:
        return owner_key, start
    return (f"{owner_key} {noun}" if owner_key else noun), start


def _is_outlet(claim: str, mention: _Mention) -> bool:
    """Whether a mention that was told something is a news outlet.

    A known outlet, an acronym (``MTV``), a name with a media word (``Business
    Insider``, ``Epoch Times``) or an organisation named with ``the`` (``the
    Mirror``); never a person, a country or a nationality.
    """
    if mention.person or mention.demonym or mention.key in _COUNTRIES or mention.end < 0:
        return False
    raw = claim[mention.start : mention.end].replace(".", "")
    if len(raw) > 1 and raw.isupper():
        return True
    if not _MEDIA_WORDS.isdisjoint(mention.key.split()):
        return True
    return _THE_BEFORE_RE.search(claim, max(0, mention.start - 6), mention.start) is not None


def _via(claim: str, mentions: _Index, pos: int) -> tuple[str | None, int]:
    """An outlet told (``told the FT``, ``told The Telegraph``) at ``pos``, and where it ends."""
    det = _DET_RE.match(claim, pos)
    at = det.end() if det is not None else pos
    outlet = mentions.at(at)
    if _is_outlet(claim, outlet):
        return outlet.key, outlet.end
    reporters = _REPORTERS_RE.match(claim, at)
    if reporters is not None:
        return "reporters", reporters.end()
    return None, pos


def _attributions(claim: str, mentions: _Index) -> list[_Hit]:
    hits: list[_Hit] = []
    for m in _SAY_RE.finditer(claim):
        verb = _SAY_VERBS[m["verb"]]
        if _SAID_TO_RE.match(claim, m.end()):
            continue  # "said to be" is a hedge
        if m["verb"] in _NOUN_LIKE_VERBS and not _CLAUSE_AFTER_RE.match(claim, m.end()):
            continue  # "US reports", "initial reports suggested"
        source: str | None = None
        start = m.start()
        speaker, _ = mentions.ending(claim, m.start())
        gap = claim[speaker.end : m.start()] if speaker is not _NO_MENTION else ""
        if speaker is not _NO_MENTION and gap.strip(" \t\xa0") == "" and not speaker.demonym:
            if _ACCORDING_BEFORE_RE.search(claim, max(0, speaker.start - 24), speaker.start):
                continue  # "according to US reports" is read below
            source, start = speaker.key, speaker.start
        else:
            head = _SOURCE_BEFORE_RE.search(claim, max(0, m.start() - 120), m.start())
            if head is not None:
                source, start = _source_key(claim, mentions, head, head.start())
        end = m.end()
        via: str | None = None
        if verb == "tell":
            via, end = _via(claim, mentions, _skip_blanks(claim, m.end()))
            if via is None:
                continue  # "Austin told Gallant" is an action, not an attribution
        elif source is None and claim[: m.start()].rstrip(" \t\xa0")[-1:] in (",", "”", '"'):
            # Inverted: `..., said a Pentagon official`, `," said Pentagon spokesman John Kirby`
            pos = _skip_blanks(claim, m.end())
            det = _DET_RE.match(claim, pos)
            pos = det.end() if det is not None else pos
            named = mentions.at(pos)
            person = next((x for x in mentions.after(pos, 47) if x.person), None)
            head = _SOURCE_HEAD_RE.match(claim, _skip_blanks(claim, named.end))
            if person is not None and _INVERTED_GAP_RE.fullmatch(claim, pos, person.start):
                source, end = person.key, person.end
            elif named is not _NO_MENTION and head is not None:
                source = f"{named.key} {_SOURCE_HEADS[head['head'].lower()]}"
                end = head.end("head")
            elif named is not _NO_MENTION and not named.demonym:
                source, end = named.key, named.end
            if source is not None and not _END_OF_CLAUSE_RE.match(claim, end):
                source = None  # "..., said ISIS terrorists were planning"
        if source is None:
            continue
        hits.append(_Hit(start, end, FactKind.ATTRIBUTION, SourceValue(source, verb, via)))
    for m in _ACCORDING_RE.finditer(claim):
        pos = m.end()
        det = _DET_RE.match(claim, pos)
        pos = det.end() if det is not None else pos
        named = mentions.at(pos)
        head_at = _skip_blanks(claim, named.end) if named is not _NO_MENTION else pos
        head = _SOURCE_HEAD_RE.match(claim, head_at)
        end = pos
        source = None
        if head is not None:
            source, _ = _source_key(claim, mentions, head, head_at)
            end = head.end("head")
            noun = _SOURCE_HEADS[head["head"].lower()]
            issuer = _BY_RE.match(claim, head.end())
            if issuer is not None and noun in _DOCUMENT_HEADS and named is _NO_MENTION:
                by = mentions.at(issuer.end())
                if by is not _NO_MENTION:
                    source, end = by.key, by.end
        elif named is not _NO_MENTION and not named.demonym:
            source, end = named.key, named.end
        if source is None:
            continue
        via = None
        spoke = _VIA_RE.match(claim, head.end() if head is not None else end)
        if spoke is not None:
            outlet = mentions.at(spoke.end())
            if outlet is not _NO_MENTION and _is_outlet(claim, outlet):
                via, end = outlet.key, outlet.end
        hits.append(
            _Hit(m.start(), end, FactKind.ATTRIBUTION, SourceValue(source, "according to", via))
        )
    return hits


_HEDGE_WORDS = lexicon.words("attribution", "hedge_gate")


_SOURCE_WORDS = frozenset([*_SAY_VERBS, "according"])
