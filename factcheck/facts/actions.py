"""Actions: who did what to whom."""

from __future__ import annotations

import re

from factcheck.facts import lexicon
from factcheck.facts.attribution import _is_outlet
from factcheck.facts.base import _FUNCTION_WORDS, _VERBS, _Hit, _skip_blanks
from factcheck.facts.entities import _NO_MENTION, _POSSESSIVE, _Index, _Mention
from factcheck.records import ActionValue, FactKind

# Verbs whose patient follows a preposition: "spoke with Gallant".
_PREPOSITIONS: dict[str, tuple[str, ...]] = {
    k: tuple(v) for k, v in lexicon.table("actions", "prepositions").items()
}


_INTRANSITIVE = lexicon.words("actions", "intransitive")


_VERB_LEMMAS = lexicon.phrases("actions", "verbs")


def _verb_forms(lemmas: tuple[str, ...]) -> dict[str, str]:
    """Every finite form of the action verbs (base, ``-s``, past, participle), from
    simplemma's English dictionary: form -> lemma. ``-ing`` forms are left out
    (``the killing of``), and so are adjectival comparatives (``briefer``)."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    wanted = frozenset(lemmas)
    forms: dict[str, str] = {lemma: lemma for lemma in lemmas}
    dictionary = DefaultDictionaryFactory().get_dictionary(lexicon.LANGUAGE)
    for form, lemma in dictionary.items():
        lemma = str(lemma)
        if lemma in wanted and not form.endswith(("ing", "er", "est")) and form.isalpha():
            forms.setdefault(str(form), lemma)
    for lemma in lemmas:  # regular forms the dictionary may lack
        for form in (lemma + "s", lemma + "ed", lemma + "d", lemma + "es"):
            if form in forms:
                continue
            if _lemmatize(form) in (lemma, form) and form.endswith(("s", "ed")):
                forms[form] = lemma
    for lemma, extra in lexicon.table("actions", "extra_forms").items():
        for form in extra:
            forms.setdefault(form, lemma)
    return forms


def _lemmatize(word: str) -> str:
    import simplemma

    return str(simplemma.lemmatize(word, lang=lexicon.LANGUAGE))


_ACTION_VERBS: dict[str, str] = _verb_forms(_VERB_LEMMAS)


_ACTION_RE = re.compile(
    r"(?<![\w-])(?P<verb>"
    + "|".join(sorted(_ACTION_VERBS, key=len, reverse=True))
    + r")(?![\w-])(?:[ \t]+(?P<prep>with|to|against|at|on|by)(?![\w-]))?"
)


_AGENT_GAP_RE = re.compile(
    r"(?i)(?:[ \t]+(?:(?:has|have|had|will|would|also|again|then|later|reportedly|previously"
    r"|repeatedly|once|did|does|do|not|never|already|personally|just|to|allegedly|could|may"
    r"|might|must|should|can|cannot)(?![\w-])))*[ \t]+"
)


_PASSIVE_GAP_RE = re.compile(
    r"(?i)[ \t]+(?:(?:was|were|is|are|has[ \t]+been|have[ \t]+been|had[ \t]+been|being"
    r"|will[ \t]+be|been)(?![\w-]))(?:[ \t]+(?:also|again|reportedly|allegedly|never|not))*[ \t]+"
)


_GROUP_NOUNS = lexicon.words("actions", "group_nouns")


_PREPOSITION_BEFORE_RE = re.compile(
    r"(?i)(?<![A-Za-z])(?:in|at|of|from|for|with|on|into|across|near|by|about|against|to"
    r"|toward|towards|outside|inside|over|under|between|among|during|through|throughout"
    r"|within|without|around|behind|beyond|via|per)[ \t]+(?:the[ \t]+)?$"
)


_NEXT_WORD_RE = re.compile(r"[ \t]+([a-z][\w-]*)")


_ADVERBS = lexicon.words("actions", "adverbs")


_GROUP_AFTER_RE = re.compile(
    r"[ \t]+(?:(?P<counterpart>counterparts?),?[ \t]+|(?P<noun>"
    + "|".join(sorted(_GROUP_NOUNS))
    + r")(?![\w-]))"
)


_CHAIN_RE = re.compile(r"(?:[ \t]+(?:[A-Z][\w.’'-]*|of))*[ \t]+")


_OBJECT_DET_RE = re.compile(r"(?i)(?:the|his|her|its|their)[ \t]+")


def _agent(claim: str, mentions: _Index, pos: int) -> _Mention:
    """The subject entity of a verb at ``pos`` (across auxiliaries and a group noun)."""
    for m in mentions.before(pos, pos + 1):
        if _PREPOSITION_BEFORE_RE.search(claim, max(0, m.start - 24), m.start):
            return _NO_MENTION  # "a staff member at the hospital contacted ..."
        between = claim[m.end : pos]
        if _AGENT_GAP_RE.fullmatch(between):
            return _NO_MENTION if m.demonym else m
        words = between.split()
        if words and words[0].lower() in _GROUP_NOUNS:
            rest = between[between.lower().index(words[0].lower()) + len(words[0]) :]
            if _AGENT_GAP_RE.fullmatch(rest) and not m.person:
                return m
        return _NO_MENTION
    return _NO_MENTION


def _patient(claim: str, mentions: _Index, pos: int) -> _Mention:
    """The object entity of a verb that ends at ``pos``."""
    pos = _skip_blanks(claim, pos)
    det = _OBJECT_DET_RE.match(claim, pos)
    if det is not None:
        pos = det.end()
    first = mentions.at(pos)
    if first is _NO_MENTION:
        return _NO_MENTION
    target = first
    group = _GROUP_AFTER_RE.match(claim, first.end)
    if first.demonym and group is not None:
        if group["counterpart"]:
            # "his Israeli counterpart, Yoav Gallant"
            other = mentions.at(group.end())
            return other if other.person else _NO_MENTION
        return _Mention(first.start, group.end("noun"), first.key, False, False)
    if first.demonym or not first.person:
        # "Israeli Defense Minister Yoav Gallant": the person at the end of the title chain
        for m in mentions.after(first.end + 1, 80):
            if _CHAIN_RE.fullmatch(claim, first.end, m.start):
                if m.person:
                    target = m
                break
    if target.demonym:
        return _NO_MENTION
    if not target.person and mentions.at(_skip_blanks(claim, target.end)).end > 0:
        return _NO_MENTION  # "Iraq Survey Group": part of a longer name
    after = claim[target.end : target.end + 20]
    if after[:2] in _POSSESSIVE:
        return _NO_MENTION
    word = _NEXT_WORD_RE.match(after)
    if word is not None and not target.person:
        w = word.group(1)
        ordinary = w in _FUNCTION_WORDS or w in _VERBS or w in _ADVERBS
        if not ordinary and not w.endswith(("ed", "ly")):
            return _NO_MENTION  # "US support": the entity modifies a noun
    return target


def _actions(claim: str, mentions: _Index) -> list[_Hit]:
    hits: list[_Hit] = []
    if len(mentions) < 2:
        return hits
    for m in _ACTION_RE.finditer(claim):
        lemma = _ACTION_VERBS[m["verb"]]
        prep = m["prep"]
        passive = _PASSIVE_GAP_RE
        subject_end = m.start()
        before_subject = mentions.last_ending_by(subject_end)
        is_passive = (
            prep == "by"
            and before_subject is not _NO_MENTION
            and passive.fullmatch(claim, before_subject.end, m.start()) is not None
        )
        if is_passive:
            agent = _patient(claim, mentions, m.end())
            patient = before_subject if not before_subject.demonym else _NO_MENTION
            start, end = patient.start, agent.end
        else:
            agent = _agent(claim, mentions, m.start())
            if prep is not None and prep in _PREPOSITIONS.get(lemma, ()):
                patient = _patient(claim, mentions, m.end())
            elif lemma in _INTRANSITIVE:
                continue
            else:
                patient = _patient(claim, mentions, m.end("verb"))
            start, end = agent.start, patient.end
        if agent is _NO_MENTION or patient is _NO_MENTION or agent.key == patient.key:
            continue
        if lemma == "tell" and _is_outlet(claim, patient):
            continue  # "officials told the WSJ" is an attribution
        hits.append(_Hit(start, end, FactKind.ACTION, ActionValue(agent.key, lemma, patient.key)))
    return hits


_ACTION_WORDS = frozenset(_ACTION_VERBS)
