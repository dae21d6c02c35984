"""The project's promises about itself: README commands, CI script, docs examples."""

from __future__ import annotations

import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _shell_blocks(markdown: str) -> list[str]:
    return [b.strip() for b in re.findall(r"```sh\n(.*?)```", markdown, flags=re.S)]


def test_readme_opens_with_exactly_two_setup_commands_that_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text()
    setup = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = _shell_blocks(setup)
    assert len(commands) == 2
    install, tests = commands
    assert "torch==2.13.0" in install
    assert "factcheck check seeds/" in install
    ci = (ROOT / ".ci" / "run").read_text()
    assert install in ci.splitlines()
    assert tests in ci.splitlines()


def test_the_readme_says_what_the_library_does_to_the_process() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Use it from Python", 1)[1].split("\n## ", 1)[0]
    for promise in (
        "thread-safe",
        "free of\nprocess-wide side effects",
        "BLAS",
        "torch",
        "os.environ",
        "FactcheckError",
    ):
        assert promise in section, promise


# What the library may not do to the process it runs in, as source patterns;
# tests/test_concurrency.py checks the behaviour, this keeps the calls out.
_PROCESS_WIDE = {
    "writes os.environ": re.compile(
        r"os\.environ\s*\[[^\]]*\]\s*=|os\.environ\.(?:setdefault|update|pop|clear|__setitem__)"
        r"|os\.putenv|os\.unsetenv"
    ),
    "sets torch's process-wide thread counts": re.compile(r"torch\.set_num(?:_interop)?_threads"),
    "uses threadpoolctl's limits, which overlapping calls restore in the wrong order": (
        re.compile(r"threadpool_limits|\.limit\(")
    ),
}
# The command line is a process of its own; it hides the model loader's
# progress bars there.
_ALLOWED = {("factcheck/cli.py", "writes os.environ")}


def _code(path: Path) -> str:
    """The file's source without its comments and strings (docstrings may name
    the calls they avoid)."""
    with path.open("rb") as handle:
        tokens = [
            token.string
            for token in tokenize.tokenize(handle.readline)
            if token.type not in (tokenize.COMMENT, tokenize.STRING, tokenize.ENCODING)
        ]
    return " ".join(tokens).replace(" . ", ".").replace(" (", "(").replace(" [", "[")


def test_the_library_changes_no_process_wide_setting_in_its_source() -> None:
    found = []
    for path in sorted((ROOT / "factcheck").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        text = _code(path)
        for what, pattern in _PROCESS_WIDE.items():
            if (name, what) not in _ALLOWED and pattern.search(text):
                found.append(f"{name} {what}")
    assert found == []
