"""Command line: ``factcheck check PATH... [options]``.

``PATH`` is a text file, a folder (its ``*.txt`` files) or a glob pattern
(``'corpus/**/*.txt'``, expanded by factcheck when the shell did not). See
``factcheck check --help`` for the options.

Exit status: 0 when the check ran and found no contradiction, 1 when it found
at least one (at or above ``--min-score``), 2 for bad input or usage (one line
per error on stderr, no traceback).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import glob
import io
import json
import os
import re
import sys
import textwrap
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import attrs
import numpy as np
import numpy.typing as npt

from factcheck import validation
from factcheck.clustering import Clusterer, Clustering
from factcheck.embedding import Embedder
from factcheck.errors import FactcheckError
from factcheck.extracting import FactExtractor
from factcheck.judging import Judge
from factcheck.pipeline import Checker
from factcheck.records import Claim, Document, Fact, Relation
from factcheck.reporting import Report
from factcheck.similarity import PairSet

__all__ = ["main"]

EXIT_OK = 0
EXIT_CONTRADICTION = 1
EXIT_ERROR = 2

FORMATS = ("markdown", "json", "html", "csv", "jsonl")
_SUFFIX_FORMATS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
    ".html": "html",
    ".htm": "html",
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
_GLOB_CHARS = frozenset("*?[")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

_EPILOG = """\
examples:
  factcheck check seeds/
  factcheck check seeds/ --format html --output report.html
  factcheck check 'corpus/**/*.txt' --dates corpus/published.csv --min-score 0.7
  factcheck check a.txt b.txt --published a=2024-10-09 --format csv > relations.csv

dates file (--dates): a CSV or TSV file with a header line naming the columns
  id and published (YYYY-MM-DD), e.g.
      id,published
      000_4adc95cebb834265,2024-10-09
  or a JSON object {"000_4adc95cebb834265": "2024-10-09"} in a .json file.
  A document's id is its file name without the extension. Ids in the file
  that are not among the inputs are ignored (with a warning).

exit status:
  0  the check ran and found no contradiction
  1  the check found at least one contradiction (at or above --min-score)
  2  bad input or usage; one line per error on stderr
"""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line on stderr."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_ERROR, f"factcheck: error: {message} (see `{self.prog} --help`)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="factcheck",
        description="Check news articles against each other, offline.",
        epilog="Run `factcheck check --help` for the options and examples.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = sub.add_parser(
        "check",
        help="cluster the claims of several articles into events and report "
        "agreements and contradictions",
        description=textwrap.fill(
            "Check UTF-8 text articles against each other: split them into claims, group "
            "the claims that report one event, and report which claims of different "
            "articles agree and which contradict, with the compared values. Nothing is "
            "downloaded. Example: factcheck check seeds/",
            width=80,
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="a text file, a folder (stands for the *.txt files in it) or a quoted glob "
        "pattern, where ** matches any depth; e.g. seeds/ or 'corpus/**/*.txt'",
    )
    check.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="markdown for reading (the default), json for the whole report as data, "
        "html for one self-contained page to open in a browser, csv or jsonl for one "
        "row per relation (spreadsheets, pandas); without --format the --output file's "
        "extension (.md .json .html .csv .jsonl) decides; e.g. --format html",
    )
    check.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        help="write the report to FILE instead of standard output (- for standard "
        "output); e.g. --output report.html",
    )
    check.add_argument(
        "--min-score",
        type=float,
        default=0.0,
        metavar="X",
        help="keep only relations whose score is at least X (0 to 1, default 0); the "
        "exit status counts only the contradictions kept; e.g. --min-score 0.7",
    )
    check.add_argument(
        "--published",
        action="append",
        default=[],
        metavar="ID=YYYY-MM-DD",
        help="the publication date of one document, used to place relative dates such as "
        "'last week' or 'on Wednesday' on the calendar; ID is the file name without its "
        "extension; repeat for several documents; overrides --dates; "
        "e.g. --published 000_4adc95cebb834265=2024-10-09",
    )
    check.add_argument(
        "--dates",
        metavar="FILE",
        help="read publication dates from a small CSV, TSV or JSON file (format below); "
        "e.g. --dates corpus/published.csv",
    )
    check.add_argument(
        "--cache-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="keep claim embeddings in DIR, so checking the same articles again (or with "
        "one new article) embeds only what is new; files are checksummed and never "
        "pickled; e.g. --cache-dir ~/.cache/factcheck",
    )
    check.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="no progress bar and no warnings, only the report and errors; the progress "
        "bar is shown on a terminal only, never in a pipe; e.g. --quiet",
    )
    _add_train_parser(sub)
    return parser


# ---------------------------------------------------------------------------
# Inputs


def _input_files(paths: Sequence[str]) -> list[Path]:
    """The files the PATH arguments stand for, in order, each once."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.glob("*.txt") if p.is_file())
            if not found:
                raise FactcheckError(f"folder {raw!r} holds no .txt files")
        elif not path.exists() and _GLOB_CHARS & set(raw):
            found = sorted(Path(p) for p in glob.glob(raw, recursive=True) if Path(p).is_file())
            if not found:
                raise FactcheckError(f"no file matches the pattern {raw!r}")
        else:
            found = [path]  # Document.from_path names a missing or unreadable file
        files += found
    seen: set[Path] = set()
    unique: list[Path] = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def _date(text: str, where: str) -> dt.date:
    value = text.strip()
    if not _ISO_DATE.fullmatch(value):
        raise FactcheckError(f"{where}: {text!r} is not a date in the form YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise FactcheckError(f"{where}: {text!r} is not a calendar date") from None


def _published_options(values: Sequence[str]) -> dict[str, dt.date]:
    dates: dict[str, dt.date] = {}
    for value in values:
        doc_id, sep, date = value.rpartition("=")
        if not sep or not doc_id.strip():
            raise FactcheckError(f"--published {value!r}: expected ID=YYYY-MM-DD")
        dates[doc_id.strip()] = _date(date, f"--published {value!r}")
    return dates


def _dates_file(name: str) -> dict[str, dt.date]:
    """Publication dates from a CSV/TSV (columns id, published) or JSON (id -> date) file."""
    path = Path(name)
    where = f"dates file {name!r}"
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise FactcheckError(f"{where}: no such file") from None
    except OSError as exc:
        raise FactcheckError(f"{where}: cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise FactcheckError(
            f"{where}: is not valid UTF-8 (bad byte at offset {exc.start})"
        ) from None
    dates: dict[str, dt.date] = {}
    if path.suffix.lower() == ".json":
        try:
            data: Any = json.loads(text)
        except json.JSONDecodeError as exc:
            raise FactcheckError(f"{where}: invalid JSON at line {exc.lineno}: {exc.msg}") from None
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise FactcheckError(
                f'{where}: expected a JSON object of id to "YYYY-MM-DD", e.g. {{"a": "2024-10-09"}}'
            )
        for doc_id, value in data.items():
            dates[doc_id.strip()] = _date(value, f"{where}, id {doc_id!r}")
        return dates
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    columns = [c.strip() for c in reader.fieldnames or ()]
    if "id" not in columns or "published" not in columns:
        raise FactcheckError(
            f"{where}: the header line must name the columns id and published, got {first!r}"
        )
    reader.fieldnames = columns
    for row in reader:
        line = reader.line_num
        doc_id = (row.get("id") or "").strip()
        value = (row.get("published") or "").strip()
        if not doc_id and not value:
            continue
        if not doc_id:
            raise FactcheckError(f"{where}, line {line}: the id is empty")
        date = _date(value, f"{where}, line {line}")
        if dates.get(doc_id, date) != date:
            raise FactcheckError(f"{where}, line {line}: {doc_id!r} is given two dates")
        dates[doc_id] = date
    return dates


def _documents(
    files: Sequence[Path],
    published: dict[str, dt.date],
    progress: _Progress,
) -> list[Document]:
    progress.stage("reading files", total=len(files), unit="file")
    docs = []
    for f in files:
        docs.append(Document.from_path(f, published=published.get(f.stem)))
        progress.advance()
    return docs


# ---------------------------------------------------------------------------
# Progress


class _Progress:
    """One progress bar per pipeline stage on stderr, or nothing at all when disabled.

    While a stage runs, a background thread redraws its bar twice a second,
    so a long single step (embedding all claims) still shows time passing.
    """

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self._bar: Any = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def stage(self, name: str, *, total: int | None, unit: str = "it") -> None:
        if not self.enabled:
            return
        from tqdm import tqdm  # type: ignore[import-untyped]

        with self._lock:
            if self._bar is not None:
                self._bar.close()
            self._bar = tqdm(
                total=total, desc=name, unit=unit, leave=False, file=sys.stderr, dynamic_ncols=True
            )
        if self._thread is None:
            self._thread = threading.Thread(target=self._refresh, daemon=True)
            self._thread.start()

    def advance(self, n: int = 1) -> None:
        with self._lock:
            if self._bar is not None:
                self._bar.update(n)

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        with self._lock:
            if self._bar is not None:
                self._bar.close()
                self._bar = None

    def _refresh(self) -> None:
        while not self._stop.wait(0.5):
            with self._lock:
                if self._bar is not None:
                    self._bar.refresh()


@attrs.frozen(slots=True, kw_only=True)
class _ExtractorProgress:
    inner: FactExtractor
    progress: _Progress

    def extract(
        self, document: Document, spans: Sequence[tuple[int, int]]
    ) -> tuple[tuple[Fact, ...], ...]:
        facts = self.inner.extract(document, spans)
        self.progress.advance()
        return facts


@attrs.frozen(slots=True, kw_only=True)
class _EmbedderProgress:
    inner: Embedder
    progress: _Progress

    @property
    def identity(self) -> str:
        return self.inner.identity

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.progress.stage("embedding claims", total=len(texts), unit="claim")
        out = self.inner.embed(texts)
        self.progress.advance(len(texts))
        return out


@attrs.frozen(slots=True, kw_only=True)
class _ClustererProgress:
    inner: Clusterer
    progress: _Progress

    def cluster(
        self,
        claims: Sequence[Claim],
        groups: npt.NDArray[np.int64],
        pairs: PairSet,
        **context: Any,
    ) -> npt.NDArray[np.int64] | Clustering:
        self.progress.stage("clustering events", total=len(claims), unit="claim")
        labels = self.inner.cluster(claims, groups, pairs, **context)
        self.progress.advance(len(claims))
        self.progress.stage("judging claim pairs", total=None, unit="pair")
        return labels


@attrs.frozen(slots=True, kw_only=True)
class _JudgeProgress:
    inner: Judge
    progress: _Progress

    def judge(self, a: Claim, b: Claim, *, similarity: float) -> Relation | None:
        relation = self.inner.judge(a, b, similarity=similarity)
        self.progress.advance()
        return relation


def _checker(progress: _Progress, cache_dir: Path | None = None) -> Checker:
    """The default checker, its stages wrapped to report progress when it is shown."""
    checker = Checker(cache_dir=cache_dir)
    if not progress.enabled:
        return checker
    return attrs.evolve(
        checker,
        extractor=_ExtractorProgress(inner=checker.extractor, progress=progress),
        embedder=_EmbedderProgress(inner=checker.embedder, progress=progress),
        clusterer=_ClustererProgress(inner=checker.clusterer, progress=progress),
        judge=_JudgeProgress(inner=checker.judge, progress=progress),
    )


# ---------------------------------------------------------------------------
# Output


def _rendered(report: Report, fmt: str) -> str:
    if fmt == "json":
        return report.to_json()
    if fmt == "html":
        return report.to_html()
    if fmt == "csv":
        return report.to_csv()
    if fmt == "jsonl":
        return report.to_jsonl()
    return report.to_markdown()


def _write(text: str, output: str | None) -> None:
    if not text.endswith("\n"):
        text += "\n"
    if output is None or output == "-":
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:
            # The reader (`| head`) has gone; that is not an error of the check.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise FactcheckError(f"cannot write {output!r} ({exc.strerror})") from None


def _format_of(fmt: str | None, output: str | None) -> str:
    if fmt is not None:
        return fmt
    if output is not None and output != "-":
        return _SUFFIX_FORMATS.get(Path(output).suffix.lower(), "markdown")
    return "markdown"


def _warn(message: str, *, quiet: bool) -> None:
    if not quiet:
        print(f"factcheck: warning: {message}", file=sys.stderr)


@validation.checked
def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    if args.command == "train":
        return _train(args)
    # The command prints a report, not the model loader's progress bars.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    progress = _Progress(enabled=not args.quiet and sys.stderr.isatty())
    try:
        if not 0.0 <= args.min_score <= 1.0:
            raise FactcheckError(f"--min-score must lie in [0, 1], got {args.min_score}")
        files = _input_files(args.paths)
        published = _dates_file(args.dates) if args.dates else {}
        ids = {f.stem for f in files}
        unknown = sorted(set(published) - ids)
        if unknown:
            _warn(
                f"dates file {args.dates!r} names {len(unknown)} id(s) that are not among the "
                f"inputs: {', '.join(unknown[:5])}{', …' if len(unknown) > 5 else ''}",
                quiet=args.quiet,
            )
        options = _published_options(args.published)
        for doc_id in sorted(options):
            if doc_id not in ids:
                raise FactcheckError(
                    f"--published names {doc_id!r}, which is not among the inputs "
                    "(use the file name without its extension)"
                )
        published.update(options)
        docs = _documents(files, published, progress)
        progress.stage("finding claims", total=len(docs), unit="doc")
        report = _checker(progress, args.cache_dir).check(docs)
        progress.close()
        report = report.with_min_score(args.min_score)
        _write(_rendered(report, _format_of(args.format, args.output)), args.output)
    except FactcheckError as exc:
        progress.close()
        print(f"factcheck: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        progress.close()
    return EXIT_CONTRADICTION if report.contradictions else EXIT_OK


def _add_train_parser(sub: Any) -> None:
    """``factcheck train events PATH``: retrain the same-event model."""
    train = sub.add_parser(
        "train",
        help="retrain a learned part from labelled data",
        description="Retrain a learned part of factcheck from labelled data (docs/training.md).",
    )
    what = train.add_subparsers(dest="model", required=True, metavar="MODEL")
    events = what.add_parser(
        "events",
        help="the same-event model (which claims report one event)",
        description=(
            "Train the same-event model from an ECB+ folder (ECB+/ and "
            "ECBplus_coreference_sentences.csv) or a CSV of labelled sentence pairs (columns "
            "group, document_a, text_a, document_b, text_b, same_event), cross-validated by "
            "group. Example: factcheck train events ../shared/data/ecbplus "
            "--output factcheck/trained/events.json"
        ),
    )
    events.add_argument("path", metavar="PATH", help="an ECB+ folder or a .csv of labelled pairs")
    events.add_argument(
        "--output", "-o", metavar="FILE", required=True, help="where to write the model file"
    )
    events.add_argument("--cache-dir", metavar="DIR", help="an embedding cache folder")
    events.add_argument("--folds", type=int, default=5, help="cross-validation folds (default 5)")
    events.add_argument("--quiet", action="store_true", help="print nothing but errors")


def _train(args: argparse.Namespace) -> int:
    from factcheck.training.events import _metadata_summary, fit_event_model

    def log(message: str) -> None:
        if not args.quiet:
            print(message, file=sys.stderr)

    try:
        model = fit_event_model(
            args.path, output=args.output, cache_dir=args.cache_dir, folds=args.folds, log=log
        )
    except FactcheckError as exc:
        print(f"factcheck: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if not args.quiet:
        print(_metadata_summary(model.metadata), file=sys.stderr)
    return EXIT_OK
