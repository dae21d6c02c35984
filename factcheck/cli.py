"""Command line: ``factcheck check FILE_OR_FOLDER... [--format markdown|json]``.

Exit status: 0 when the check ran and found no contradiction, 1 when it found
at least one, 2 for bad input or usage (one line on stderr, no traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from factcheck.errors import FactcheckError
from factcheck.pipeline import Checker
from factcheck.records import Document

__all__ = ["main"]

EXIT_OK = 0
EXIT_CONTRADICTION = 1
EXIT_ERROR = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="factcheck",
        description="Check news articles against each other, offline.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser(
        "check",
        help="cluster the claims of several articles into events and report "
        "agreements and contradictions",
        description="Check UTF-8 text files against each other. A folder stands for "
        "the *.txt files in it. Example: factcheck check seeds/ --format json",
    )
    check.add_argument("paths", nargs="+", metavar="PATH", help="text files or folders")
    check.add_argument(
        "--format",
        choices=("markdown", "json"),
        default="markdown",
        help="markdown (default) for reading, json for other tools",
    )
    return parser


def _expand(paths: Sequence[str]) -> list[Document]:
    docs: list[Document] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.glob("*.txt") if p.is_file())
            if not files:
                raise FactcheckError(f"folder {raw!r} holds no .txt files")
            docs += [Document.from_path(p) for p in files]
        else:
            docs.append(Document.from_path(path))
    return docs


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    # The command prints a report, not the model loader's progress bars.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        report = Checker().check(_expand(args.paths))
    except FactcheckError as exc:
        print(f"factcheck: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    out = report.to_json() if args.format == "json" else report.to_markdown()
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return EXIT_CONTRADICTION if report.contradictions else EXIT_OK
