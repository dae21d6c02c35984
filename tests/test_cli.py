"""The command line: formats, exit statuses, errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from factcheck.cli import EXIT_CONTRADICTION, EXIT_ERROR, EXIT_OK, main

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
    assert result.returncode == EXIT_OK, result.stderr
    assert json.loads(result.stdout) == json.loads(seed_report.to_json())


@pytest.mark.model
def test_markdown_is_the_default(seed_report, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["check", str(ROOT / "seeds")])
    assert status == EXIT_OK
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
