"""Golden table: one row per case of issues #16 and #19, through the command line.

Each row gives the input files, the options, the expected exit status, the
labels of the relations (or ``None`` when they do not matter) and the exact
bytes of what must appear on stdout and stderr where that makes sense. The
rows run in-process with the model-free hashing embedder; the README example
rows also run once with the real model (``-m model``).
"""

from __future__ import annotations

import functools
import json
import textwrap
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest

import factcheck
from factcheck import cli
from factcheck.cli import (
    EXIT_CONTRADICTION,
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_NOTHING_COMPARED,
    EXIT_OK,
    main,
)
from factcheck.embedding import HashingEmbedder
from factcheck.pipeline import Checker

ROOT = Path(__file__).resolve().parents[1]
NORTH_A = (ROOT / "docs" / "examples" / "north-a.txt").read_text(encoding="utf-8")
NORTH_B = (ROOT / "docs" / "examples" / "north-b.txt").read_text(encoding="utf-8")
SEED_000 = next((ROOT / "seeds").glob("000_*.txt")).read_text(encoding="utf-8")
# The README example's contradiction: north-a:1 (63,500) against north-b:1 (12,000).
NORTH = [("agree", "north-a:0", "north-b:0"), ("contradict", "north-a:1", "north-b:1")]
PARAGRAPH = (
    "At least 63,500 Israelis were evacuated from the north on Oct. 8, 2023, the army said. "
    "Hezbollah fired rockets at northern Israel on Oct. 10, 2023, and the army said that "
    "nobody was hurt in the attack on the border towns near the fence."
)
OTHER = (
    "Some 12,000 Israelis were evacuated from the north on Oct. 8, 2023, the army said. "
    "Hezbollah fired rockets at northern Israel on Oct. 10, 2023, and the army said that "
    "nobody was hurt in the attack on the border towns near the fence."
)


@attrs.frozen
class Case:
    name: str
    issue: int
    files: dict[str, str]
    args: tuple[str, ...] = ()
    status: int = EXIT_OK
    # (label, claim, claim) of the contradictions, or None when not checked.
    contradictions: list[tuple[str, str, str]] | None = None
    stdout: tuple[str, ...] = ()  # exact pieces of stdout
    stderr: str | None = ""  # the exact stderr, or None when not checked
    check: Callable[[dict, Path], None] | None = None  # more checks on the JSON report


def _north(a: str, b: str = NORTH_B) -> dict[str, str]:
    return {"north-a.txt": a, "north-b.txt": b}


def _one_source(data: dict, folder: Path) -> None:
    assert data["relations"] == []
    assert len(data["copies"]) == 1


def _whole_sentence(data: dict, folder: Path) -> None:
    texts = [c["text"] for c in data["claims"] if c["document"] == "north-a"]
    assert any("63,500" in t and "Oct. 8, 2023." in t for t in texts), texts


def _no_fragment(data: dict, folder: Path) -> None:
    # After the headline, every claim is a whole sentence, not a wrapped line.
    body = [c["text"] for c in data["claims"] if not c["id"].endswith(":0")]
    assert len(body) == 4
    for text in body:
        assert text.rstrip().endswith("."), text


def _as_unwrapped(data: dict, folder: Path) -> None:
    _no_fragment(data, folder)
    unwrapped = factcheck.check(
        [
            factcheck.Document(id="a", text="Evacuations\n\n" + PARAGRAPH),
            factcheck.Document(id="b", text="Evacuations\n\n" + OTHER),
        ],
        embedder=HashingEmbedder(),
    )
    assert [(r["label"], *r["claims"]) for r in data["relations"]] == [
        (r.label.value, *r.claims) for r in unwrapped.relations
    ]
    # The sentence-level number contradiction is among them.
    assert ("contradict", "a:1", "b:1") in {(r["label"], *r["claims"]) for r in data["relations"]}


def _ids(data: dict, folder: Path) -> None:
    assert [d["id"] for d in data["documents"]] == ["d1/a", "d2/a"]


def _short_claims(data: dict, folder: Path) -> None:
    assert max(len(c["text"]) for c in data["claims"]) <= 2000
    assert len(data["claims"]) > 400


NOTHING_ONE = (
    "factcheck: warning: nothing was compared: only 1 of 1 document has claims; a check "
    "needs two independent documents with claims (exit status 4)\n"
)
LONG_LINE = ("word " * 200_000).strip() + "\n"  # a 1 MB line without punctuation

CASES = [
    # -- issue 19 ------------------------------------------------------------
    Case(
        "identical-copies-of-seed-000",
        19,
        {"seed.txt": SEED_000, "seed-copy.txt": SEED_000},
        ("--format", "json"),
        EXIT_NOTHING_COMPARED,
        [],
        stderr="factcheck: warning: nothing was compared: only copies of one text have claims "
        "(2 documents); a check needs two independent documents with claims (exit status 4)\n",
        check=_one_source,
    ),
    Case("readme-example", 19, _north(NORTH_A), ("--format", "json"), EXIT_CONTRADICTION, NORTH),
    *(
        Case(
            f"readme-example-{name}",
            19,
            _north(NORTH_A.replace("63,500 Israelis", f"63,500{char}Israelis")),
            ("--format", "json"),
            EXIT_CONTRADICTION,
            NORTH,
            check=_whole_sentence,
        )
        for name, char in (
            ("no-break-space", "\u00a0"),
            ("narrow-no-break-space", "\u202f"),
            ("thin-space", "\u2009"),
            ("ideographic-space", "\u3000"),
            ("bel", "\x07"),
            ("newline", "\n"),
            ("zero-width-space-and-space", "\u200b "),
            ("soft-hyphen-and-space", "\u00ad "),
            ("bidi-mark-and-space", "\u200e "),
        )
    ),
    Case(
        "readme-example-bom-inside-the-text",
        19,
        _north(NORTH_A.replace("Oct. 8", "\ufeffOct. 8")),
        ("--format", "json"),
        EXIT_CONTRADICTION,
        NORTH,
    ),
    *(
        Case(
            f"hard-wrapped-at-{width}",
            19,
            {
                "a.txt": "Evacuations\n\n" + textwrap.fill(PARAGRAPH, width),
                "b.txt": "Evacuations\n\n" + OTHER,
            },
            ("--format", "json"),
            EXIT_CONTRADICTION,
            None,  # the labels are those of the unwrapped text: see _as_unwrapped
            check=_as_unwrapped,
        )
        for width in (30, 70)
    ),
    Case(
        "a-file-too-large-is-refused-from-its-size",
        19,
        {"a.txt": NORTH_A, "b.txt": NORTH_B * 10},
        ("--max-document-chars", "100"),
        EXIT_ERROR,
        stderr=None,
    ),
    Case(
        "output-folder-missing",
        19,
        _north(NORTH_A),
        ("-o", "/nonexistent/dir/x.html"),
        EXIT_ERROR,
        stderr="factcheck: error: cannot write '/nonexistent/dir/x.html' (no such folder "
        "'/nonexistent/dir')\n",
    ),
    # -- issue 16 ------------------------------------------------------------
    Case(
        "csv-formula-is-neutralised",
        16,
        _north(
            NORTH_A.replace("At least", "=HYPERLINK(1) At least"),
            NORTH_B.replace("Some", "=HYPERLINK(1) Some"),
        ),
        ("--format", "csv", "--min-score", "0"),
        EXIT_CONTRADICTION,
        stdout=(",\"'=HYPERLINK(1) At least 63,500 Israelis were evacuated",),
    ),
    Case(
        "escape-characters-never-reach-the-terminal",
        16,
        _north(NORTH_A.replace("Hezbollah", "\x1b[2JHezbollah")),
        (),
        EXIT_CONTRADICTION,
        stdout=("␛[2JHezbollah",),
    ),
    *(
        Case(
            f"line-separator-{name}-inside-a-sentence",
            16,
            _north(NORTH_A.replace("evacuated from", f"evacuated{char}from")),
            ("--format", "json"),
            EXIT_CONTRADICTION,
            NORTH,
            check=_whole_sentence,
        )
        for name, char in (("vt", "\x0b"), ("nel", "\x85"), ("u2028", "\u2028"))
    ),
    Case(
        "empty-files",
        16,
        {"empty.txt": "", "blank.txt": " \n\t\n"},
        (),
        EXIT_NOTHING_COMPARED,
        stderr="factcheck: warning: nothing was compared: only 0 of 2 documents have claims; "
        "a check needs two independent documents with claims (exit status 4)\n",
    ),
    Case("one-document", 16, {"a.txt": NORTH_A}, (), EXIT_NOTHING_COMPARED, stderr=NOTHING_ONE),
    Case(
        "one-document-quiet",
        16,
        {"a.txt": NORTH_A},
        ("--quiet",),
        EXIT_NOTHING_COMPARED,
        stderr="",
    ),
    Case(
        "two-identical-files-are-copies-not-sources",
        16,
        {"wire.txt": NORTH_A, "wire-copy.txt": NORTH_A},
        ("--quiet",),
        EXIT_NOTHING_COMPARED,
        stdout=(
            "## Copies\n",
            "- `wire`, `wire-copy` — identical\n",
            "0 contradictions, 0 agreements.\n",
        ),
    ),
    Case(
        "same-file-name-in-two-folders",
        16,
        {"d1/a.txt": NORTH_A, "d2/a.txt": NORTH_B},
        ("--format", "json"),
        EXIT_CONTRADICTION,
        [("contradict", "d1/a:1", "d2/a:1")],
        check=_ids,
    ),
    Case(
        "pluralisation",
        16,
        {"a.txt": "Iran fired 180 missiles.\n", "b.txt": "\n"},
        ("--quiet",),
        EXIT_NOTHING_COMPARED,
        stdout=(
            "2 documents, 1 claim (0 lines skipped), 1 event cluster (0 reported by more than "
            "one document), 0 contradictions, 0 agreements.\n",
            "- `a`: 1 claim\n",
        ),
    ),
    Case(
        "contradiction-heading-names-only-the-conflict",
        16,
        _north(NORTH_A),
        (),
        EXIT_CONTRADICTION,
        stdout=("### `north-a:1` ↔ `north-b:1` — number (score ",),
    ),
    Case(
        "output-extension-names-no-format",
        16,
        _north(NORTH_A),
        ("-o", "r.pdf"),
        EXIT_ERROR,
        stderr="factcheck: error: cannot tell the format of --output 'r.pdf' from its "
        "extension '.pdf': use one of .csv .htm .html .json .jsonl .markdown .md .ndjson "
        ".txt, or give --format\n",
    ),
    Case(
        "a-1-mb-line-without-punctuation",
        16,
        {"long.txt": LONG_LINE, "b.txt": NORTH_B},
        ("--format", "json"),
        EXIT_OK,
        stderr="factcheck: warning: document 'long': 1 sentence(s) over 2,000 characters were "
        "cut at clause or word boundaries (raise max_sentence_chars to keep them whole)\n",
        check=_short_claims,
    ),
]


@pytest.fixture
def hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "Checker", functools.partial(Checker, embedder=HashingEmbedder()))


def _run(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    folder = tmp_path / "in"
    for name, text in case.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    paths = sorted({str((folder / n).parent) for n in case.files})
    status = main(["check", *paths, *case.args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _assert_case(case: Case, status: int, out: str, err: str, tmp_path: Path) -> None:
    assert status == case.status, (out[-2000:], err)
    if case.stderr is not None:
        assert err == case.stderr
    for piece in case.stdout:
        assert piece in out, (piece, out[:3000])
    if "--format" in case.args and case.args[case.args.index("--format") + 1] == "json":
        data = json.loads(out)
        if case.contradictions is not None:
            found = [
                (r["label"], *r["claims"]) for r in data["relations"] if r["label"] == "contradict"
            ]
            assert found == [c for c in case.contradictions if c[0] == "contradict"]
            agreements = [c for c in case.contradictions if c[0] == "agree"]
            present = {(r["label"], *r["claims"]) for r in data["relations"]}
            assert set(agreements) <= present
        if case.check is not None:
            case.check(data, tmp_path)


@pytest.mark.usefixtures("hashing")
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.issue}-{c.name}")
def test_golden(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    status, out, err = _run(case, tmp_path, capsys)
    _assert_case(case, status, out, err, tmp_path)


@pytest.mark.model
@pytest.mark.parametrize(
    "case",
    [c for c in CASES if c.name.startswith(("readme-example", "identical-copies"))],
    ids=lambda c: f"{c.issue}-{c.name}",
)
def test_golden_with_the_real_model(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = _run(case, tmp_path, capsys)
    _assert_case(case, status, out, err, tmp_path)


# -- rows that are not a plain run ---------------------------------------------


@pytest.mark.usefixtures("hashing")
def test_golden_19_ctrl_c(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(self: Checker, docs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(Checker, "check", interrupted)
    status, out, err = _run(Case("ctrl-c", 19, _north(NORTH_A)), tmp_path, capsys)
    assert (status, out, err) == (EXIT_INTERRUPTED, "", "factcheck: interrupted\n")


def test_golden_19_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out == f"factcheck {factcheck.__version__}\n"


def test_golden_16_check_reads_a_str_only_as_a_path() -> None:
    with pytest.raises(factcheck.DocumentError, match="looks like text, not a path"):
        factcheck.check(["Flood kills 12 in river town."], embedder=HashingEmbedder())
