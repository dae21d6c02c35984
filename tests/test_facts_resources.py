"""No story in the code: the hand-written resources and the package's string
literals name no entity of the seed articles, and the resources are well formed."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from factcheck.facts import lexicon

ROOT = Path(__file__).resolve().parents[1]
RESOURCES = ROOT / "factcheck" / "resources"
TOKEN_RE = re.compile(r"[A-Z][\w’'.-]*[\w]|[A-Z]")
WORD_RE = re.compile(r"[a-z][a-z’'-]*[a-z]|[a-z]")
CALENDAR = {
    *lexicon.table("dates", "months"),
    *lexicon.table("dates", "weekdays"),
}


def _english_words() -> frozenset[str]:
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    d = DefaultDictionaryFactory().get_dictionary("en")
    return frozenset(str(k) for k in d)  # type: ignore[union-attr]


LOWER: set[str] = set()  # words the seeds also use in lower case
# Names the seeds only write in capitals (``IDF``, ``IRGC``): matched in capitals
# only, so that ``idf`` (inverse document frequency) is not taken for one.
ACRONYMS: set[str] = set()
# Ordinary English words that the seeds only write capitalised, inside names
# (``Wall Street Journal``, ``White House``) or titles (``Prime Minister``): not
# names on their own. The names they are part of are checked as multi-word names.
NOT_NAMES = frozenset(
    [
        "army", "caller", "capture", "consulate", "coordinate", "corps", "credit", "department",
        "east", "foundation", "general", "house", "image", "journal", "maj", "major", "media",
        "middle", "moves", "president", "prime", "revolutionary", "staff", "states", "street",
        "united", "wall", "white", "islamic",
    ]
)  # fmt: skip


def seed_names() -> tuple[frozenset[str], frozenset[str]]:
    """Single-word and multi-word names of the seed articles (lower case).

    A name is a capitalised token that does not open a sentence or a line and
    is not a month or weekday; a single word that is also an ordinary English
    word (``Secretary``, ``Press``) is not a name by itself, but every run of
    two or more capitalised tokens (``Press Secretary`` included) is.
    """
    from simplemma import lemmatize

    singles: set[str] = set()
    multis: set[str] = set()
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    LOWER.update(w for text in texts for w in WORD_RE.findall(text))
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        run: list[str] = []
        last_end = -10
        for m in TOKEN_RE.finditer(text):
            before = text[max(0, m.start() - 3) : m.start()].rstrip(" \t")
            initial = not before or before[-1] in '.!?\n“"‘(—:'
            word = m.group().rstrip(".").replace("’s", "").replace("'s", "").lower()
            word = word.replace(".", "")
            if m.start() - last_end > 1 or text[last_end : m.start()].strip():
                if len(run) > 1:
                    multis.add(" ".join(run))
                run = []
            last_end = m.end()
            if word in CALENDAR or len(word) < 2:
                run = []
                continue
            run.append(word)
            if initial:
                continue
            if word in LOWER or word in NOT_NAMES or lemmatize(word, lang="en") in LOWER:
                continue
            singles.add(word)
            if m.group().rstrip(".").isupper():
                ACRONYMS.add(word)
        if len(run) > 1:
            multis.add(" ".join(run))
    # A run of words the seeds also use in lower case ("Press Secretary") is a title.
    multis = {m.removeprefix("the ") for m in multis}
    multis = {m for m in multis if not all(w in LOWER for w in m.split())}
    # Page furniture a seed writes in capitals ("Photo Credit: ..."): a cue of the
    # segmenter's skip rules, not a name.
    multis -= {"photo credit"}
    return frozenset(singles), frozenset(multis)


ENGLISH = _english_words()
SINGLES, MULTIS = seed_names()


def _strings(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return []


def _named(text: str) -> set[str]:
    low = text.lower().replace(".", "").replace("’", "'")
    words = set(WORD_RE.findall(low))
    capitals = set(re.findall(r"(?<![\w-])[A-Za-z]+(?![\w-])", text.replace(".", "")))
    found = {w for w in words if w in SINGLES and (w not in ACRONYMS or w.upper() in capitals)}
    found |= {m for m in MULTIS if re.search(rf"(?<![a-z]){re.escape(m)}(?![a-z])", low)}
    return found


def test_the_seed_names_are_found() -> None:
    # The test would be empty if it found no names: a sample it must find.
    assert {"nasrallah", "hezbollah", "isfahan"} <= SINGLES
    assert "yoav gallant" in MULTIS


def test_the_check_finds_a_seed_name_where_there_is_one() -> None:
    assert "wall street journal" in _named("as the Wall Street Journal reported")
    assert _named("a flood hit the river town, officials said") == set()
    assert "idf" in _named("the IDF said")
    assert "idf" in ACRONYMS
    assert _named("weights are tf * idf, TF-IDF") == set()


@pytest.mark.parametrize("path", sorted(RESOURCES.glob("*/*.json")), ids=lambda p: p.name)
def test_resources_name_no_seed_entity(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    assert isinstance(data.get("version"), int)
    found = {name for s in _strings(data) for name in _named(s)}
    assert found == set(), f"{path.name} names {sorted(found)} of the seed articles"


def _literals(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


# Files of other stages whose docstring examples still quote the seed story:
# known failures, visible, to be rewritten by the helpers who own them.
OTHERS = {"embedding.py", "pipeline.py"}
PY_FILES = [
    pytest.param(
        path,
        marks=pytest.mark.xfail(strict=True, reason="docstring examples quote the seed story")
        if path.parent.name == "factcheck" and path.name in OTHERS
        else (),
        id=str(path.relative_to(ROOT)),
    )
    for path in sorted((ROOT / "factcheck").rglob("*.py"))
]


@pytest.mark.parametrize("path", PY_FILES)
def test_string_literals_name_no_seed_entity(path: Path) -> None:
    found = {(line, name) for line, s in _literals(path) for name in _named(s)}
    assert found == set(), f"{path.relative_to(ROOT)} names seed entities: {sorted(found)}"
