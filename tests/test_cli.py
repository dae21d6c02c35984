"""The command line: inputs, dates, formats, exit statuses, progress, errors without tracebacks."""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from factcheck import cli
from factcheck.cli import (
    EXIT_CONTRADICTION,
    EXIT_ERROR,
    EXIT_NOTHING_COMPARED,
    EXIT_OK,
    main,
)
from factcheck.embedding import HashingEmbedder
from factcheck.pipeline import Checker

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "factcheck", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )


@pytest.mark.model
def test_json_output_is_the_report_dict(seed_report) -> None:
    result = _run("check", "seeds/", "--format", "json")
    expected = EXIT_CONTRADICTION if seed_report.contradictions else EXIT_OK
    assert result.returncode == expected, result.stderr
    assert json.loads(result.stdout) == json.loads(seed_report.to_json())


@pytest.mark.model
def test_markdown_is_the_default(seed_report, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["check", str(ROOT / "seeds")])
    assert status == (EXIT_CONTRADICTION if seed_report.contradictions else EXIT_OK)
    assert capsys.readouterr().out == seed_report.to_markdown()


@pytest.mark.model
def test_a_contradiction_gives_its_own_exit_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.txt").write_text(
        "At least 63,500 Israelis were evacuated from the north on Oct. 8, 2023.\n"
    )
    (tmp_path / "b.txt").write_text(
        "Some 12,000 Israelis were evacuated from the north on Oct. 8, 2023.\n"
    )
    status = main(["check", str(tmp_path), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert status == EXIT_CONTRADICTION
    assert [r["label"] for r in data["relations"]] == ["contradict"]
    assert data["relations"][0]["evidence"][0]["kind"] == "number"


def test_a_missing_file_is_one_line_on_stderr_and_exit_2(tmp_path: Path) -> None:
    result = _run("check", str(tmp_path / "nope.txt"))
    assert result.returncode == EXIT_ERROR
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "nope.txt" in lines[0]
    assert "no such file" in lines[0]
    assert "Traceback" not in result.stderr


def test_a_folder_without_text_files_is_an_error(tmp_path: Path) -> None:
    result = _run("check", str(tmp_path))
    assert result.returncode == EXIT_ERROR
    assert "holds no .txt files" in result.stderr


def test_help_explains_the_options() -> None:
    result = _run("check", "--help")
    assert result.returncode == 0
    assert "--format" in result.stdout
    assert "Example" in result.stdout


# ---------------------------------------------------------------------------
# Model-free tests of the options: the CLI's checker gets the hashing embedder.

EVACUATED_A = "At least 63,500 Israelis were evacuated from the north on Oct. 8, 2023.\n"
EVACUATED_B = "Some 12,000 Israelis were evacuated from the north on Oct. 8, 2023.\n"
TUESDAY = "Iran launched 180 missiles at Israel on Tuesday.\n"


@pytest.fixture
def hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "Checker", functools.partial(Checker, embedder=HashingEmbedder()))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    (tmp_path / "a.txt").write_text(EVACUATED_A)
    (tmp_path / "b.txt").write_text(EVACUATED_B)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.txt").write_text(TUESDAY)
    (tmp_path / "notes.md").write_text("not an article")
    return tmp_path


def _one_error_line(err: str, *needles: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("factcheck: error: ")
    for needle in needles:
        assert needle in lines[0]
    assert "Traceback" not in err


ONE_DOCUMENT = (
    "factcheck: warning: nothing was compared: only 1 of 1 document has claims; a check "
    "needs two independent documents with claims (exit status 4)\n"
)


def _json_run(capsys: pytest.CaptureFixture[str], *args: str, err: str = "") -> tuple[int, dict]:
    status = main(["check", *args, "--format", "json"])
    captured = capsys.readouterr()
    assert captured.err == err
    return status, json.loads(captured.out)


@pytest.mark.usefixtures("hashing")
def test_html_output_goes_to_the_file_and_the_status_still_says_contradiction(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = corpus / "report.html"
    status = main(["check", str(corpus), "--format", "html", "--output", str(out)])
    captured = capsys.readouterr()
    assert status == EXIT_CONTRADICTION
    assert captured.out == ""
    assert captured.err == ""
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert 'data-start="0" data-end="24"' in page


@pytest.mark.usefixtures("hashing")
@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("r.csv", "cluster,label,score,"),
        ("r.jsonl", '{"cluster": '),
        ("r.json", '{\n  "documents"'),
        ("r.html", "<!DOCTYPE html>"),
        ("r.md", "# factcheck report"),
        ("r.txt", "# factcheck report"),
    ],
)
def test_the_output_extension_picks_the_format(
    corpus: Path, capsys: pytest.CaptureFixture[str], name: str, start: str
) -> None:
    out = corpus / name
    assert main(["check", str(corpus), "-o", str(out)]) == EXIT_CONTRADICTION
    assert out.read_text(encoding="utf-8").startswith(start)
    assert capsys.readouterr().out == ""


@pytest.mark.usefixtures("hashing")
def test_csv_and_jsonl_formats_print_one_row_per_relation(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["check", str(corpus), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    main(["check", str(corpus), "--format", "jsonl"])
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [r["label"] for r in rows] == ["contradict"]
    assert [(r["claim_a"], r["claim_b"]) for r in lines] == [("a:0", "b:0")]
    assert rows[0]["score"] == str(lines[0]["score"])


@pytest.mark.usefixtures("hashing")
def test_min_score_drops_weaker_relations_and_sets_the_status(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, data = _json_run(capsys, str(corpus))
    score = data["relations"][0]["score"]
    assert status == EXIT_CONTRADICTION
    status, data = _json_run(capsys, str(corpus), "--min-score", str(score))
    assert status == EXIT_CONTRADICTION
    assert len(data["relations"]) == 1
    status, data = _json_run(capsys, str(corpus), "--min-score", str(min(1.0, score + 0.01)))
    assert status == EXIT_OK
    assert data["relations"] == []


@pytest.mark.parametrize("bad", ["1.5", "-0.1", "nan", "high"])
def test_a_min_score_outside_0_1_is_an_error(
    corpus: Path, capsys: pytest.CaptureFixture[str], bad: str
) -> None:
    try:
        status = main(["check", str(corpus), "--min-score", bad])
    except SystemExit as stop:  # argparse refuses what is not a number
        status = int(stop.code or 0)
    assert status == EXIT_ERROR
    _one_error_line(capsys.readouterr().err, "min-score")


@pytest.mark.usefixtures("hashing")
def test_paths_may_be_files_folders_and_globs_each_file_once(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, data = _json_run(capsys, str(corpus), str(corpus / "a.txt"), str(corpus / "**" / "*.txt"))
    assert [d["id"] for d in data["documents"]] == ["a", "b", "c"]
    _, data = _json_run(capsys, str(corpus / "[ab].txt"))
    assert [d["id"] for d in data["documents"]] == ["a", "b"]


def test_a_glob_that_matches_nothing_is_an_error(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(corpus / "*.pdf")]) == EXIT_ERROR
    _one_error_line(capsys.readouterr().err, "no file matches", "*.pdf")


@pytest.mark.usefixtures("hashing")
def test_published_places_relative_dates_on_the_calendar(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(corpus / "sub" / "c.txt")
    status, data = _json_run(capsys, path, err=ONE_DOCUMENT)
    assert status == EXIT_NOTHING_COMPARED  # one document: nothing to compare it with
    date = next(f for f in data["claims"][0]["facts"] if f["kind"] == "date")
    assert date["value"]["first"] is None
    _, data = _json_run(capsys, path, "--published", "c=2024-10-03", err=ONE_DOCUMENT)
    assert data["documents"][0]["published"] == "2024-10-03"
    date = next(f for f in data["claims"][0]["facts"] if f["kind"] == "date")
    assert date["value"]["first"] == "2024-10-01"  # the Tuesday before


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        ("c=2024-02-30", "not a calendar date"),
        ("c=03/10/2024", "YYYY-MM-DD"),
        ("c", "ID=YYYY-MM-DD"),
        ("=2024-10-03", "ID=YYYY-MM-DD"),
        ("zz=2024-10-03", "not among the inputs"),
    ],
)
def test_a_bad_published_option_is_one_error_line(
    corpus: Path, capsys: pytest.CaptureFixture[str], value: str, needle: str
) -> None:
    assert main(["check", str(corpus / "sub"), "--published", value]) == EXIT_ERROR
    _one_error_line(capsys.readouterr().err, needle)


@pytest.mark.usefixtures("hashing")
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("published.csv", "id,published\nc,2024-10-03\na,2023-10-09\n"),
        ("published.tsv", "id\tpublished\nc\t2024-10-03\n"),
        ("dates.csv", "\ufeffpublished , id\n2024-10-03,c\n\n"),
        ("dates.json", '{"c": "2024-10-03", "a": "2023-10-09"}'),
    ],
)
def test_a_dates_file_gives_publication_dates(
    corpus: Path, capsys: pytest.CaptureFixture[str], name: str, content: str
) -> None:
    dates = corpus / name
    dates.write_text(content, encoding="utf-8")
    _, data = _json_run(capsys, str(corpus / "sub"), "--dates", str(dates), "--quiet")
    assert data["documents"][0]["published"] == "2024-10-03"
    # --published wins over the file.
    _, data = _json_run(
        capsys, str(corpus / "sub"), "--dates", str(dates), "--published", "c=2024-10-10", "-q"
    )
    assert data["documents"][0]["published"] == "2024-10-10"


@pytest.mark.usefixtures("hashing")
def test_ids_in_the_dates_file_that_are_not_inputs_are_a_warning(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dates = corpus / "published.csv"
    dates.write_text("id,published\nc,2024-10-03\nzz,2024-10-03\n")
    assert main(["check", str(corpus / "sub"), "--dates", str(dates)]) == EXIT_NOTHING_COMPARED
    err = capsys.readouterr().err
    assert err == (
        f"factcheck: warning: dates file {str(dates)!r} names 1 id(s) that are not among "
        "the inputs: zz\n" + ONE_DOCUMENT
    )
    main(["check", str(corpus / "sub"), "--dates", str(dates), "--quiet"])
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    ("name", "content", "needles"),
    [
        ("d.csv", "doc,date\nc,2024-10-03\n", ["must name the columns id and published"]),
        ("d.csv", "id,published\nc,yesterday\n", ["line 2", "YYYY-MM-DD"]),
        ("d.csv", "id,published\n,2024-10-03\n", ["line 2", "the id is empty"]),
        ("d.csv", "id,published\nc,2024-10-03\nc,2024-10-04\n", ["line 3", "two dates"]),
        ("d.json", '{"c": 20241003}', ["JSON object"]),
        ("d.json", '["c", "2024-10-03"]', ["JSON object"]),
        ("d.json", '{"c": "2024-10-03",}', ["invalid JSON", "line 1"]),
        ("d.json", '{"c": "2024-13-03"}', ["'c'", "not a calendar date"]),
    ],
)
def test_a_bad_dates_file_is_one_error_line(
    corpus: Path, capsys: pytest.CaptureFixture[str], name: str, content: str, needles: list[str]
) -> None:
    dates = corpus / name
    dates.write_text(content)
    assert main(["check", str(corpus / "sub"), "--dates", str(dates)]) == EXIT_ERROR
    _one_error_line(capsys.readouterr().err, str(dates), *needles)


def test_a_missing_or_binary_dates_file_is_one_error_line(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(corpus), "--dates", str(corpus / "nope.csv")]) == EXIT_ERROR
    _one_error_line(capsys.readouterr().err, "nope.csv", "no such file")
    (corpus / "bin.csv").write_bytes(b"id,published\n\xff\xfe\n")
    assert main(["check", str(corpus), "--dates", str(corpus / "bin.csv")]) == EXIT_ERROR
    _one_error_line(capsys.readouterr().err, "bin.csv", "UTF-8")


@pytest.mark.usefixtures("hashing")
def test_an_unwritable_output_is_one_error_line(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = corpus / "no" / "such" / "dir" / "r.html"
    assert main(["check", str(corpus), "--output", str(out)]) == EXIT_ERROR
    _one_error_line(capsys.readouterr().err, "cannot write", "r.html")


def test_usage_errors_are_one_line_too() -> None:
    result = _run("check", "seeds/", "--no-such-option")
    assert result.returncode == EXIT_ERROR
    assert result.stdout == ""
    _one_error_line(result.stderr, "--no-such-option", "--help")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.usefixtures("hashing")
def test_a_progress_bar_is_shown_on_a_terminal_only(
    corpus: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["check", str(corpus)]) == EXIT_CONTRADICTION
    shown = terminal.getvalue()
    for stage in ("reading files", "finding claims", "embedding claims", "judging claim pairs"):
        assert stage in shown
    assert capsys.readouterr().out.startswith("# factcheck report")

    quiet = _Terminal()
    monkeypatch.setattr(sys, "stderr", quiet)
    main(["check", str(corpus), "--quiet"])
    assert quiet.getvalue() == ""

    pipe = io.StringIO()  # not a terminal
    monkeypatch.setattr(sys, "stderr", pipe)
    main(["check", str(corpus)])
    assert pipe.getvalue() == ""


@pytest.mark.usefixtures("hashing")
def test_a_progress_bar_leaves_the_report_unchanged(
    corpus: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["check", str(corpus), "--format", "json"])
    plain = capsys.readouterr().out
    monkeypatch.setattr(sys, "stderr", _Terminal())
    main(["check", str(corpus), "--format", "json"])
    assert capsys.readouterr().out == plain


@pytest.mark.usefixtures("hashing")
def test_a_closed_pipe_is_not_an_error(
    corpus: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    sink = (tmp_path / "sink").open("w")

    class _ClosedPipe(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError

        def fileno(self) -> int:
            return sink.fileno()

    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    assert main(["check", str(corpus)]) == EXIT_CONTRADICTION
    sink.close()


def test_help_gives_every_option_an_example() -> None:
    text = _run("check", "--help").stdout
    options = re.findall(r"^  (--[a-z-]+)", text, flags=re.M)
    assert options == [
        "--format",
        "--output",
        "--min-score",
        "--published",
        "--dates",
        "--cache-dir",
        "--max-document-chars",
        "--quiet",
        "--debug",
    ]
    blocks = re.split(r"\n  (?=-)", text.split("options:", 1)[1].split("examples:", 1)[0])
    for block in blocks[2:]:  # after -h/--help
        assert "e.g." in block, block
    for needle in ("examples:", "factcheck check seeds/", "exit status:", "id,published"):
        assert needle in text
