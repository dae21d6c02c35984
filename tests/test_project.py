"""The project's promises about itself: README commands, CI script, docs examples."""

from __future__ import annotations

import re
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
