"""The command line's contract: exit statuses, limits checked before work, ids, warnings."""

from __future__ import annotations

import functools
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import factcheck
from factcheck import cli
from factcheck.cli import (
    EXIT_CONTRADICTION,
    EXIT_ERROR,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_NOTHING_COMPARED,
    EXIT_OK,
    main,
)
from factcheck.embedding import HashingEmbedder
from factcheck.errors import FactcheckWarning
from factcheck.pipeline import Checker

ROOT = Path(__file__).resolve().parents[1]
EVACUATED_A = "At least 63,500 Israelis were evacuated from the north on Oct. 8, 2023.\n"
EVACUATED_B = "Some 12,000 Israelis were evacuated from the north on Oct. 8, 2023.\n"
AGREE_A = "Iran launched 180 missiles at Israel on Oct. 1, 2024.\n"
AGREE_B = "Iran fired 180 missiles at Israel on Oct. 1, 2024.\n"


@pytest.fixture
def hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "Checker", functools.partial(Checker, embedder=HashingEmbedder()))


def _files(folder: Path, **texts: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def _one_line(err: str, prefix: str, *needles: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(prefix), err
    for needle in needles:
        assert needle in lines[0], (needle, err)
    assert "Traceback" not in err
    return lines[0]


# ---------------------------------------------------------------------------
# Exit statuses


@pytest.mark.usefixtures("hashing")
@pytest.mark.parametrize(
    ("texts", "status"),
    [
        ({"a": AGREE_A, "b": AGREE_B}, EXIT_OK),
        ({"a": EVACUATED_A, "b": EVACUATED_B}, EXIT_CONTRADICTION),
        ({"a": EVACUATED_A}, EXIT_NOTHING_COMPARED),
        ({"a": EVACUATED_A, "empty": "", "blank": " \n\t\n"}, EXIT_NOTHING_COMPARED),
        ({"empty": "", "blank": "  "}, EXIT_NOTHING_COMPARED),
        ({"a": EVACUATED_A, "a-copy": EVACUATED_A}, EXIT_NOTHING_COMPARED),
    ],
    ids=["consistent", "contradiction", "one", "one-and-empty", "all-empty", "copies"],
)
def test_the_exit_status_says_what_was_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], texts: dict[str, str], status: int
) -> None:
    folder = _files(tmp_path / "in", **texts)
    assert main(["check", str(folder), "--format", "json"]) == status
    captured = capsys.readouterr()
    json.loads(captured.out)  # the report is written in every case
    if status == EXIT_NOTHING_COMPARED:
        _one_line(captured.err, "factcheck: warning: nothing was compared: ", "exit status 4")
        assert main(["check", str(folder), "--quiet"]) == status
        assert capsys.readouterr().err == ""
    else:
        assert captured.err == ""


@pytest.mark.usefixtures("hashing")
def test_an_internal_error_is_exit_3_with_one_line_and_debug_shows_the_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _files(tmp_path / "in", a=EVACUATED_A, b=EVACUATED_B)

    def broken(self: Checker, docs: object) -> object:
        raise RuntimeError("the judge fell over")

    monkeypatch.setattr(Checker, "check", broken)
    assert main(["check", str(folder)]) == EXIT_INTERNAL
    line = _one_line(
        capsys.readouterr().err,
        "factcheck: internal error: RuntimeError: the judge fell over",
        "rerun with --debug",
    )
    assert line.endswith("for the traceback)")
    assert main(["check", str(folder), "--debug"]) == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err
    assert err.strip().splitlines()[-1].startswith("factcheck: internal error: RuntimeError")


@pytest.mark.usefixtures("hashing")
def test_ctrl_c_is_exit_130_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _files(tmp_path / "in", a=EVACUATED_A, b=EVACUATED_B)

    def interrupted(self: Checker, docs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(Checker, "check", interrupted)
    assert main(["check", str(folder)]) == EXIT_INTERRUPTED
    assert capsys.readouterr().err == "factcheck: interrupted\n"


@pytest.mark.model
def test_a_real_sigint_exits_130_with_one_line() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "factcheck", "check", "seeds/"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Past the libraries' import (under a second on an idle machine; a Ctrl-C
    # during it is Python's own) and inside the model's loading or the check,
    # which take well over ten seconds on the seeds.
    time.sleep(6.0)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert process.returncode == EXIT_INTERRUPTED, (out, err)
    assert err == "factcheck: interrupted\n"


def test_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "factcheck", "--version"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0
    assert result.stdout.startswith(f"factcheck {factcheck.__version__}")


# ---------------------------------------------------------------------------
# Limits and the output, checked before any work


@pytest.fixture
def no_work(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records (and refuses) every file read and every check run."""
    calls: list[str] = []

    def refuse_read(*args: object, **kwargs: object) -> object:
        calls.append("read")
        raise AssertionError("a file was read")

    def refuse_check(*args: object, **kwargs: object) -> object:
        calls.append("check")
        raise AssertionError("the check ran")

    monkeypatch.setattr(factcheck.Document, "from_path", refuse_read)
    monkeypatch.setattr(Checker, "check", refuse_check)
    return calls


def test_a_huge_file_is_refused_from_its_size_before_it_is_read(
    tmp_path: Path, no_work: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _files(tmp_path / "in", small=EVACUATED_A)
    with (folder / "huge.txt").open("wb") as handle:
        handle.truncate(400 * 1024 * 1024)  # a sparse 400 MB file
    assert main(["check", str(folder)]) == EXIT_ERROR
    _one_line(
        capsys.readouterr().err,
        "factcheck: error: document ",
        "huge.txt",
        "419,430,400 bytes",
        "--max-document-chars 2,000,000",
        "raise --max-document-chars",
    )
    assert no_work == []


@pytest.mark.usefixtures("hashing")
def test_max_document_chars_is_an_option_and_its_hint_names_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _files(tmp_path / "in", a=EVACUATED_A * 3, b=EVACUATED_B)
    assert main(["check", str(folder), "--max-document-chars", "100"]) == EXIT_ERROR
    _one_line(
        capsys.readouterr().err,
        "factcheck: error: document ",
        "a.txt",
        "216 characters, over the limit of 100",
        "raise --max-document-chars",
    )
    assert main(["check", str(folder), "--max-document-chars", "1000", "-q"]) == (
        EXIT_CONTRADICTION
    )
    try:
        status = main(["check", str(folder), "--max-document-chars", "zero"])
    except SystemExit as stop:
        status = int(stop.code or 0)
    assert status == EXIT_ERROR
    _one_line(capsys.readouterr().err, "factcheck: error: ", "--max-document-chars")


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["-o", "/nonexistent/dir/x.html"], ["cannot write", "no such folder", "/nonexistent"]),
        (["-o", "r.pdf"], ["cannot tell the format", "'.pdf'", "--format"]),
        (["-o", "report"], ["cannot tell the format", "(none)"]),
        (["--format", "json", "-o", "r.html"], ["--format json does not match", "html"]),
        (["-o", "."], ["cannot write", "folder"]),
    ],
)
def test_a_bad_output_fails_before_any_work(
    tmp_path: Path,
    no_work: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    needles: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = _files(tmp_path / "in", a=EVACUATED_A, b=EVACUATED_B)
    assert main(["check", str(folder), *args]) == EXIT_ERROR
    _one_line(capsys.readouterr().err, "factcheck: error: ", *needles)
    assert no_work == []


@pytest.mark.usefixtures("hashing")
def test_an_explicit_format_writes_any_unknown_extension(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _files(tmp_path / "in", a=EVACUATED_A, b=EVACUATED_B)
    out = tmp_path / "report.pdf"
    assert main(["check", str(folder), "--format", "html", "-o", str(out)]) == EXIT_CONTRADICTION
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# ---------------------------------------------------------------------------
# Ids and warnings


@pytest.mark.usefixtures("hashing")
def test_the_same_file_name_in_two_folders_gives_two_readable_ids(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _files(tmp_path / "d1", a=EVACUATED_A, c=AGREE_A)
    _files(tmp_path / "d2", a=EVACUATED_B)
    status = main(
        [
            "check",
            str(tmp_path / "d1"),
            str(tmp_path / "d2"),
            "--format",
            "json",
            "--published",
            "d2/a=2023-10-09",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert status == EXIT_CONTRADICTION
    assert [d["id"] for d in data["documents"]] == ["c", "d1/a", "d2/a"]
    assert [r["claims"] for r in data["relations"] if r["label"] == "contradict"] == [
        ["d1/a:0", "d2/a:0"]
    ]
    assert data["documents"][2]["published"] == "2023-10-09"


def test_document_ids_use_the_shortest_distinct_tail(tmp_path: Path) -> None:
    paths = [
        tmp_path / "x" / "same" / "a.txt",
        tmp_path / "y" / "same" / "a.txt",
        tmp_path / "b.txt",
    ]
    assert cli._document_ids(paths) == ["x/same/a", "y/same/a", "b"]


@pytest.mark.usefixtures("hashing")
def test_warnings_are_one_line_each_and_quiet_drops_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long_line = " ".join(["word"] * 1000) + ".\n"
    folder = _files(tmp_path / "in", a=long_line + EVACUATED_A, b=EVACUATED_B)
    assert main(["check", str(folder)]) == EXIT_CONTRADICTION
    err = capsys.readouterr().err
    assert err == (
        "factcheck: warning: document 'a': 1 sentence(s) over 2,000 characters were cut at "
        "clause or word boundaries (raise max_sentence_chars to keep them whole)\n"
    )
    assert main(["check", str(folder), "--quiet"]) == EXIT_CONTRADICTION
    assert capsys.readouterr().err == ""


def test_warnings_of_other_libraries_are_hidden_unless_debug(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import warnings

    notes = cli._Warnings(quiet=False, debug=False)
    with notes.installed():
        warnings.warn("a library's deprecation", FutureWarning, stacklevel=1)
        warnings.warn("input cut", FactcheckWarning, stacklevel=1)
    assert capsys.readouterr().err == "factcheck: warning: input cut\n"
    notes = cli._Warnings(quiet=False, debug=True)
    with notes.installed():
        warnings.warn("a library's deprecation", FutureWarning, stacklevel=1)
    assert capsys.readouterr().err == "factcheck: warning: a library's deprecation\n"


# ---------------------------------------------------------------------------
# Progress per batch


class _Recorder:
    enabled = True

    def __init__(self) -> None:
        self.advances: list[int] = []

    def stage(self, *args: object, **kwargs: object) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        self.advances.append(n)


def test_the_embedding_progress_advances_per_chunk_and_keeps_every_vector() -> None:
    texts = [f"Official {k} said talks in city {k % 7} went well." for k in range(600)]
    recorder = _Recorder()
    wrapped = cli._EmbedderProgress(inner=HashingEmbedder(), progress=recorder)  # type: ignore[arg-type]
    out = wrapped.embed(texts)
    assert recorder.advances == [256, 256, 88]
    assert np.array_equal(out, HashingEmbedder().embed(texts))


@pytest.mark.model
def test_the_embedding_progress_leaves_the_real_models_vectors_bit_for_bit() -> None:
    from factcheck.embedding import SentenceTransformerEmbedder

    texts = [
        f"Officials said {k} people were evacuated from town {k % 13} on day {k % 5}."
        + " More followed." * (k % 4)
        for k in range(1100)
    ]
    recorder = _Recorder()
    embedder = SentenceTransformerEmbedder()
    wrapped = cli._EmbedderProgress(inner=embedder, progress=recorder)  # type: ignore[arg-type]
    out = wrapped.embed(texts)
    assert recorder.advances == [512, 512, 76]
    assert np.array_equal(out, embedder.embed(texts))
