"""Text normalisation: invisible characters, Unicode spaces, wrapped lines; offsets stay exact."""

from __future__ import annotations

import textwrap
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import factcheck
from factcheck import Checker, Document
from factcheck.embedding import HashingEmbedder
from factcheck.normalising import _INVISIBLE, TextNormaliser, matching_key

ROOT = Path(__file__).resolve().parents[1]
FAST = Checker(embedder=HashingEmbedder())
NORTH_A = (ROOT / "docs" / "examples" / "north-a.txt").read_text(encoding="utf-8")
NORTH_B = (ROOT / "docs" / "examples" / "north-b.txt").read_text(encoding="utf-8")

SPACES = ["\u00a0", "\u202f", "\u2009", "\u3000", "\u2007", "\x07", "\x0b", "\x85", "\u2028"]
INVISIBLE = ["\u200b", "\u00ad", "\u200e", "\u200f", "\ufeff", "\u2060", "\u202a", "\u2066"]


def labels(report: factcheck.Report) -> list[tuple[str, tuple[str, str]]]:
    return [(r.label.value, r.claims) for r in report.relations]


def _covered_exactly_once(text: str, spans: list[tuple[int, int]]) -> None:
    owner = [0] * len(text)
    for start, end in spans:
        for k in range(start, end):
            owner[k] += 1
    for k, ch in enumerate(text):
        assert owner[k] <= 1
        if not ch.isspace():
            assert owner[k] == 1, (k, ch, text)


def _check_spans(report: factcheck.Report) -> None:
    texts = {d.id: d.text for d in report.documents}
    for claim in report.claims:
        assert texts[claim.document][claim.start : claim.end] == claim.text
        for fact in claim.facts:
            assert texts[claim.document][fact.start : fact.end] == fact.text
    for r in report.relations:
        a, b = (report.claim(c) for c in r.claims)
        for e in r.evidence:
            for claim, value, span in ((a, e.a, e.a_span), (b, e.b, e.b_span)):
                if span is not None:
                    assert claim.start <= span[0] <= span[1] <= claim.end
                    if e.kind.value != "wording":
                        assert texts[claim.document][span[0] : span[1]] == value
    for doc in report.documents:
        spans = [(c.start, c.end) for c in report.claims if c.document == doc.id]
        spans += [(s.start, s.end) for s in report.skipped if s.document == doc.id]
        _covered_exactly_once(doc.text, spans)


# ---------------------------------------------------------------------------
# Characters


def test_every_removed_character_is_an_invisible_format_character() -> None:
    import re

    removed = [chr(c) for c in range(0x110000) if re.fullmatch(f"[{_INVISIBLE}]", chr(c))]
    assert len(removed) > 30
    assert {unicodedata.category(ch) for ch in removed} == {"Cf"}
    assert not any(ch.isspace() for ch in removed)


@pytest.mark.parametrize("space", SPACES)
def test_unicode_spaces_and_controls_become_a_plain_space(space: str) -> None:
    norm = TextNormaliser().normalise(f"Iran fired 180{space}missiles.")
    assert norm.text == "Iran fired 180 missiles."
    assert norm.to_original is None  # the length is kept


@pytest.mark.parametrize("mark", INVISIBLE)
def test_invisible_characters_are_removed_and_mapped_back(mark: str) -> None:
    original = f"At least 63,{mark}500 Israelis{mark} fled."
    norm = TextNormaliser().normalise(original)
    assert norm.text == "At least 63,500 Israelis fled."
    start = norm.text.index("63,500")
    s, e = norm.span(start, start + len("63,500 Israelis"))
    assert original[s:e] == f"63,{mark}500 Israelis"


def test_paragraph_breaks_stay_breaks() -> None:
    for text in ("One line.\n\nAnother line.", "Page one.\fPage two.", "A.\u2029B."):
        assert TextNormaliser().normalise(text).text == text


@pytest.mark.parametrize("width", [30, 45, 70])
def test_a_hard_wrapped_paragraph_is_joined(width: int) -> None:
    paragraph = (
        "At least 63,500 Israelis were evacuated from the north on Oct. 8, 2023, the army "
        "said. Hezbollah fired rockets at northern Israel on Tuesday and the army said that "
        "nobody was hurt in the attack on the border towns. Schools in Kiryat Shmona stayed "
        "closed for a third day while officials counted the damage to homes and roads near "
        "the border fence."
    )
    text = "Israel evacuates the north\n\n" + textwrap.fill(
        paragraph, width, break_on_hyphens=False
    )
    assert TextNormaliser().normalise(text).text == "Israel evacuates the north\n\n" + paragraph


def test_unwrapped_lines_of_an_article_stay_lines() -> None:
    # A headline, then one sentence per line: nothing is joined.
    assert TextNormaliser().normalise(NORTH_A).text == NORTH_A
    lines = "Flood kills 12 in river town\nThe mayor said 25 people died.\nBy Jane Doe\n"
    assert TextNormaliser().normalise(lines).text == lines


@pytest.mark.parametrize(
    ("text", "joined"),
    [
        ("evacuated from the north on\nOct. 8, 2023.", True),
        ("Israelis were evacuated\nfrom the north.", True),
        ("At least 63,500\nIsraelis were evacuated.", True),
        ("The army said,\nHezbollah fired.", True),
        ("Flood kills 12\nThe mayor said 25 died.", False),
        ("The army said so.\nthe end", False),
        ("Israel evacuates the north\nAt least 63,500 Israelis fled.", False),
    ],
)
def test_a_single_line_break_is_joined_only_mid_sentence(text: str, joined: bool) -> None:
    out = TextNormaliser().normalise(text).text
    assert ("\n" not in out) == joined


def test_join_lines_can_be_turned_off() -> None:
    text = "Israelis were evacuated\nfrom the north."
    assert TextNormaliser(join_lines=False).normalise(text).text == text
    with pytest.raises(factcheck.ConfigError, match="join_lines"):
        TextNormaliser(join_lines="yes")  # type: ignore[arg-type]


def test_matching_key_ignores_case_spacing_and_punctuation() -> None:
    plain = matching_key("iran fired 180 missiles")
    assert matching_key("Iran FIRED\n 180\u00a0missiles!") == plain


# ---------------------------------------------------------------------------
# Through the pipeline


@pytest.mark.parametrize("odd", [*SPACES, "\n"])
def test_the_readme_example_with_an_odd_space_still_contradicts(odd: str) -> None:
    text = NORTH_A.replace("63,500 Israelis", f"63,500{odd}Israelis")
    report = FAST.check([Document(id="north-a", text=text), Document(id="north-b", text=NORTH_B)])
    assert [r.claims for r in report.contradictions] == [("north-a:1", "north-b:1")]
    number = next(e for e in report.contradictions[0].evidence if e.kind.value == "number")
    assert number.a == f"At least 63,500{odd}Israelis"
    _check_spans(report)


@pytest.mark.parametrize("mark", INVISIBLE)
def test_the_readme_example_with_an_invisible_character_still_contradicts(mark: str) -> None:
    text = NORTH_A.replace("63,500", f"63,{mark}500").replace("Oct.", f"{mark}Oct.")
    report = FAST.check([Document(id="north-a", text=text), Document(id="north-b", text=NORTH_B)])
    assert [r.claims for r in report.contradictions] == [("north-a:1", "north-b:1")]
    _check_spans(report)


def test_claims_of_returns_spans_of_the_original_text() -> None:
    text = "\u200bIran fired 180\u00a0missiles.\u200b \x07 \u200fIsrael said so.\x07"
    claims, skipped = FAST.claims_of(Document(id="d", text=text))
    assert [c.text for c in claims] == [
        "\u200bIran fired 180\u00a0missiles.\u200b",
        "\u200fIsrael said so.\x07",
    ]
    assert [(s.text, s.reason.value) for s in skipped] == [("\x07", "no words")]


# ---------------------------------------------------------------------------
# Properties: such characters and re-wrapping never change the labels

SENTENCES = [
    "Iran launched roughly 180 missiles at Israel on Oct. 1, 2024.",
    "Iran launched more than 300 drones at Israel on April 13, 2024.",
    "At least 63,500 Israelis were evacuated from the north on Oct. 8, 2023.",
    "Some 12,000 Israelis were evacuated from the north on Oct. 8, 2023.",
    "The Pentagon did not respond to a request for comment on Tuesday.",
    "The Pentagon responded to a request for comment on Tuesday.",
    "Austin spoke with Gallant by phone on Dec. 18, 2023, the ministry said.",
    "Austin met Gallant in Tel Aviv on Dec. 18, 2023, the ministry said.",
]
ARTICLES = st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=5).map(" ".join)


@st.composite
def disguised(draw: st.DrawFn, text: str) -> str:
    """``text`` with some spaces made odd and invisible characters put anywhere."""
    out = []
    for ch in text:
        if draw(st.integers(0, 9)) == 0:
            out.append(draw(st.sampled_from(INVISIBLE)))
        if ch == " " and draw(st.booleans()):
            out.append(draw(st.sampled_from(SPACES)))
        else:
            out.append(ch)
    return "".join(out)


@settings(max_examples=40, deadline=None)
@given(st.data(), st.lists(ARTICLES, min_size=2, max_size=3))
def test_odd_spaces_and_invisible_characters_never_change_the_labels(data, texts) -> None:
    docs = [Document(id=f"d{k}", text=t) for k, t in enumerate(texts)]
    plain = FAST.check(docs)
    odd = [Document(id=d.id, text=data.draw(disguised(d.text))) for d in docs]
    report = FAST.check(odd)
    assert labels(report) == labels(plain)
    _check_spans(report)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(SENTENCES), min_size=4, max_size=7), min_size=2, max_size=3),
    st.integers(30, 80),
)
def test_rewrapping_a_paragraph_never_changes_the_labels(paragraphs, width) -> None:
    texts = ["Headline of the day\n\n" + " ".join(p) for p in paragraphs]
    docs = [Document(id=f"d{k}", text=t) for k, t in enumerate(texts)]
    plain = FAST.check(docs)
    wrapped = [
        Document(
            id=d.id,
            text=d.text.split("\n\n")[0]
            + "\n\n"
            + textwrap.fill(d.text.split("\n\n")[1], width, break_on_hyphens=False),
        )
        for d in docs
    ]
    report = FAST.check(wrapped)
    assert labels(report) == labels(plain)
    _check_spans(report)


@pytest.mark.model
def test_the_real_model_gives_the_same_labels_for_odd_and_wrapped_text() -> None:
    plain = factcheck.check(
        [Document(id="north-a", text=NORTH_A), Document(id="north-b", text=NORTH_B)]
    )
    odd_a = NORTH_A.replace("63,500 Israelis", "63,500\u202fIsraelis").replace(
        "Hezbollah", "\u200bHezbollah\u00ad"
    )
    body = textwrap.fill(" ".join(NORTH_B.splitlines()[1:]), 30)
    wrapped_b = NORTH_B.splitlines()[0] + "\n\n" + body
    report = factcheck.check(
        [Document(id="north-a", text=odd_a), Document(id="north-b", text=wrapped_b)]
    )
    assert labels(report) == labels(plain)
    assert [r.claims for r in report.contradictions] == [("north-a:1", "north-b:1")]
    _check_spans(report)
