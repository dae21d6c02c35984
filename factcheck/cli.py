"""Command line: ``factcheck check PATH... [options]``.

``PATH`` is a text file, a folder (its ``*.txt`` files) or a glob pattern
(``'corpus/**/*.txt'``, expanded by factcheck when the shell did not). See
``factcheck check --help`` for the options.

Exit status, a contract scripts and CI can rely on:

====  =====================================================================
0     the check ran and found no contradiction
1     the check found at least one contradiction (at or above ``--min-score``)
2     bad input or usage: one line per error on stderr, no traceback
3     an internal error (a bug): one line on stderr, ``--debug`` shows the traceback
4     nothing was compared: fewer than two independent documents have claims
      (empty files, a single document, only copies of one text); one warning line
130   interrupted (Ctrl-C): one line on stderr
====  =====================================================================

Everything that can be checked before the work starts is: the paths, the
dates, the ``--output`` file's folder and format, and every file's size (from
``stat``, before it is read, against ``--max-document-chars``).

Warnings (``factcheck: warning: ...``, one line each) go to stderr; ``--quiet``
drops them and the progress bar.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import glob
import io
import json
import logging
import os
import re
import sys
import textwrap
import threading
import traceback
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import attrs
import numpy as np
import numpy.typing as npt

from factcheck import validation
from factcheck.clustering import Clusterer, Clustering
from factcheck.embedding import Embedder, HashingEmbedder, SentenceTransformerEmbedder
from factcheck.errors import DocumentError, FactcheckError, FactcheckWarning
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
EXIT_INTERNAL = 3
EXIT_NOTHING_COMPARED = 4
EXIT_INTERRUPTED = 130

FORMATS = ("markdown", "json", "html", "csv", "jsonl")
_SUFFIX_FORMATS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "markdown",
    ".json": "json",
    ".html": "html",
    ".htm": "html",
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
_GLOB_CHARS = frozenset("*?[")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# UTF-8 spends at most 4 bytes a character.
_BYTES_PER_CHAR = 4
DEFAULT_MAX_DOCUMENT_CHARS = 2_000_000

_EPILOG = """\
examples:
  factcheck check seeds/
  factcheck check seeds/ --format html --output report.html
  factcheck check 'corpus/**/*.txt' --dates corpus/published.csv --min-score 0.7
  factcheck check a.txt b.txt --published a=2024-10-09 --format csv > relations.csv

document ids: a document's id is its file name without the extension; files
  with the same name in different folders get the shortest distinct tail of
  their paths (d1/a.txt and d2/a.txt are d1/a and d2/a).

dates file (--dates): a CSV or TSV file with a header line naming the columns
  id and published (YYYY-MM-DD), e.g.
      id,published
      000_4adc95cebb834265,2024-10-09
  or a JSON object {"000_4adc95cebb834265": "2024-10-09"} in a .json file.
  Ids in the file that are not among the inputs are ignored (with a warning).

text normalisation: Unicode spaces, invisible characters (zero-width, soft
  hyphen, bidi marks) and hard-wrapped lines are normalised before sentences
  are found; every offset in the report indexes the file's own text.

copies: identical and near-identical files (syndicated copies) are one
  source: they are listed as copies, never contradict or corroborate each
  other, and only the sentences one copy changed are compared.

exit status:
  0    the check ran and found no contradiction
  1    the check found at least one contradiction (at or above --min-score)
  2    bad input or usage; one line per error on stderr
  3    internal error (a bug); one line on stderr, --debug shows the traceback
  4    nothing was compared: fewer than two independent documents have claims
       (empty files, one document, or only copies of one text)
  130  interrupted (Ctrl-C)
"""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line on stderr."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_ERROR, f"factcheck: error: {message} (see `{self.prog} --help`)\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _version() -> str:
    from factcheck import __version__

    try:
        from importlib.metadata import PackageNotFoundError, version

        try:
            installed = version(DISTRIBUTION)
        except PackageNotFoundError:
            installed = None
    except ImportError:  # pragma: no cover
        installed = None
    where = "" if installed in (None, __version__) else f" (installed: {installed})"
    return f"factcheck {__version__}{where}"


#: The name factcheck is published under on the package index (the import
#: name is ``factcheck``).
DISTRIBUTION = "factcheck-news"


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="factcheck",
        description="Check news articles against each other, offline.",
        epilog="Run `factcheck check --help` for the options, examples and exit statuses.",
    )
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in COMMANDS:
        add(sub)
    return parser


def _add_check(sub: Any) -> None:
    """The ``check`` subcommand: its options, and :func:`_run_check` to run it."""
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
    check.set_defaults(run=_run_check)
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
        "extension (.md .txt .json .html .csv .jsonl) decides, and an extension that "
        "names another format is refused; e.g. --format html",
    )
    check.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        help="write the report to FILE instead of standard output (- for standard "
        "output); its folder must exist, and it is checked before the work starts; "
        "e.g. --output report.html",
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
        "'last week' or 'on Wednesday' on the calendar; ID is the document's id (the file "
        "name without its extension); repeat for several documents; overrides --dates; "
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
        "pickled, and a bad entry is computed again with a warning; "
        "e.g. --cache-dir ~/.cache/factcheck",
    )
    check.add_argument(
        "--max-document-chars",
        type=_positive_int,
        default=DEFAULT_MAX_DOCUMENT_CHARS,
        metavar="N",
        help=f"refuse a document longer than N characters (default "
        f"{DEFAULT_MAX_DOCUMENT_CHARS:,}); a file over {_BYTES_PER_CHAR} bytes a "
        "character is refused from its size, before it is read; "
        "e.g. --max-document-chars 5000000",
    )
    check.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="no progress bar and no warnings, only the report and errors; the progress "
        "bar is shown on a terminal only, never in a pipe; e.g. --quiet",
    )
    check.add_argument(
        "--debug",
        action="store_true",
        help="on an internal error (exit status 3), print the Python traceback too; e.g. --debug",
    )


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


def _document_ids(files: Sequence[Path]) -> list[str]:
    """One readable, unique id per file: its stem, or where stems clash the
    shortest tail of its folders that tells the files apart (``d1/a``, ``d2/a``)."""
    ids = [f.stem for f in files]
    clashes: dict[str, list[int]] = {}
    for k, stem in enumerate(ids):
        clashes.setdefault(stem, []).append(k)
    for members in clashes.values():
        if len(members) < 2:
            continue
        folders = [files[k].resolve().parent.parts for k in members]
        depth = 1
        while True:
            tails = ["/".join(parts[len(parts) - depth :]) for parts in folders]
            if len(set(tails)) == len(tails) or depth > max(len(p) for p in folders):
                break
            depth += 1
        for k, tail in zip(members, tails, strict=True):
            ids[k] = f"{tail}/{ids[k]}" if tail else ids[k]
    return ids


def _check_sizes(files: Sequence[Path], max_chars: int) -> None:
    """Refuse, from ``stat`` and before anything is read, a file that cannot fit the limit."""
    limit = _BYTES_PER_CHAR * max_chars
    for f in files:
        try:
            size = f.stat().st_size
        except FileNotFoundError:
            raise DocumentError(str(f), "no such file") from None
        except OSError as exc:
            raise DocumentError(str(f), f"cannot be read ({exc.strerror})") from None
        if f.is_file() and size > limit:
            raise DocumentError(
                str(f),
                f"is {size:,} bytes, more than --max-document-chars {max_chars:,} characters "
                f"can take ({limit:,} bytes); raise --max-document-chars to check it",
            )


def _documents(
    files: Sequence[Path],
    ids: Sequence[str],
    published: dict[str, dt.date],
    progress: _Progress,
    *,
    max_chars: int,
) -> list[Document]:
    progress.stage("reading files", total=len(files), unit="file")
    docs = []
    for f, doc_id in zip(files, ids, strict=True):
        doc = Document.from_path(
            f,
            id=doc_id,
            published=published.get(doc_id),
            max_bytes=_BYTES_PER_CHAR * max_chars,
        )
        if len(doc.text) > max_chars:
            raise DocumentError(
                str(f),
                f"has {len(doc.text):,} characters, over the limit of {max_chars:,}; "
                "raise --max-document-chars to check it",
            )
        docs.append(doc)
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


def _embedding_chunk(embedder: Embedder) -> int | None:
    """Texts per call that leave the embeddings unchanged, or None to embed in one call.

    :class:`~factcheck.embedding.SentenceTransformerEmbedder` sorts the texts
    by length and works through them in chunks of ``batch_size`` times
    ``_CHUNK_BATCHES`` (tokenized together, cut into batches): handing it the
    sorted texts one such chunk per call runs exactly the same batches, so the
    progress bar moves without changing a single float.
    """
    if isinstance(embedder, SentenceTransformerEmbedder):
        from factcheck import embedding

        return int(embedder.batch_size) * int(embedding._CHUNK_BATCHES)
    if isinstance(embedder, HashingEmbedder):
        return 256  # each text's vector depends on that text only
    return None


@attrs.frozen(slots=True, kw_only=True)
class _EmbedderProgress:
    inner: Embedder
    progress: _Progress

    @property
    def identity(self) -> str:
        return self.inner.identity

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.progress.stage("embedding claims", total=len(texts), unit="claim")
        chunk = _embedding_chunk(self.inner)
        if chunk is None or len(texts) <= chunk:
            out = self.inner.embed(texts)
            self.progress.advance(len(texts))
            return out
        order = sorted(range(len(texts)), key=lambda i: (len(texts[i]), texts[i], i))
        result: npt.NDArray[np.float32] | None = None
        for c0 in range(0, len(order), chunk):
            rows = order[c0 : c0 + chunk]
            part = np.asarray(self.inner.embed([texts[i] for i in rows]), dtype=np.float32)
            if result is None:
                result = np.zeros((len(texts), part.shape[1]), dtype=np.float32)
            result[rows] = part
            self.progress.advance(len(rows))
        assert result is not None
        return result


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


def _checker(
    progress: _Progress,
    cache_dir: Path | None = None,
    *,
    max_document_chars: int = DEFAULT_MAX_DOCUMENT_CHARS,
) -> Checker:
    """The default checker, its stages wrapped to report progress when it is shown."""
    checker = Checker(cache_dir=cache_dir, max_document_chars=max_document_chars)
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


def _output_format(fmt: str | None, output: str | None) -> str:
    """The format to write, checked against the ``--output`` file's extension.

    Raises :class:`FactcheckError` for an extension that names another format
    than ``--format``, or one that names no format when ``--format`` is not given.
    """
    if output is None or output == "-":
        return fmt or "markdown"
    suffix = Path(output).suffix.lower()
    implied = _SUFFIX_FORMATS.get(suffix)
    if fmt is None:
        if implied is None:
            known = " ".join(sorted(_SUFFIX_FORMATS))
            raise FactcheckError(
                f"cannot tell the format of --output {output!r} from its extension "
                f"{suffix or '(none)'!r}: use one of {known}, or give --format"
            )
        return implied
    if implied is not None and implied != fmt:
        raise FactcheckError(
            f"--format {fmt} does not match --output {output!r}, whose extension means "
            f"{implied}; change the extension or drop --format"
        )
    return fmt


def _check_output(output: str | None) -> None:
    """Refuse, before any work, an ``--output`` file that cannot be written."""
    if output is None or output == "-":
        return
    path = Path(output)
    if path.is_dir():
        raise FactcheckError(f"cannot write {output!r} (it is a folder)")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise FactcheckError(f"cannot write {output!r} (no such folder {str(folder)!r})")
    if not os.access(folder, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise FactcheckError(f"cannot write {output!r} (permission denied)")


# ---------------------------------------------------------------------------
# Warnings


class _Warnings:
    """Warnings and log records as one ``factcheck: warning:`` line each, or none at all."""

    def __init__(self, *, quiet: bool, debug: bool) -> None:
        self.quiet = quiet
        self.debug = debug

    def line(self, message: str) -> None:
        if not self.quiet:
            print(f"factcheck: warning: {_one_line(message)}", file=sys.stderr)

    def show(
        self,
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: Any = None,
        line: str | None = None,
    ) -> None:
        # factcheck's own warnings are for the user; other libraries' only with --debug.
        if issubclass(category, FactcheckWarning) or self.debug:
            self.line(str(message))

    @contextmanager
    def installed(self) -> Iterator[None]:
        handler = _LogHandler(self)
        root = logging.getLogger()
        old_level = root.level
        root.addHandler(handler)
        root.setLevel(logging.WARNING)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore" if self.quiet else "default")
                warnings.showwarning = self.show
                yield
        finally:
            root.removeHandler(handler)
            root.setLevel(old_level)


class _LogHandler(logging.Handler):
    def __init__(self, sink: _Warnings) -> None:
        super().__init__(level=logging.WARNING)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith("factcheck") or self.sink.debug:
            self.sink.line(record.getMessage())


def _one_line(text: str) -> str:
    """``text`` on one line, without control characters, for the terminal."""
    flat = " ".join(text.split())
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in flat)


# ---------------------------------------------------------------------------
# The check command


def _independent_with_claims(report: Report) -> int:
    """How many independent documents (copies counted once) have at least one claim."""
    original = report.copy_of()
    return len({original.get(c.document, c.document) for c in report.claims})


def _run_check(args: argparse.Namespace, progress: _Progress, notes: _Warnings) -> int:
    if not 0.0 <= args.min_score <= 1.0:
        raise FactcheckError(f"--min-score must lie in [0, 1], got {args.min_score}")
    _check_output(args.output)
    fmt = _output_format(args.format, args.output)
    files = _input_files(args.paths)
    ids = _document_ids(files)
    published = _dates_file(args.dates) if args.dates else {}
    known = set(ids)
    unknown = sorted(set(published) - known)
    if unknown:
        notes.line(
            f"dates file {args.dates!r} names {len(unknown)} id(s) that are not among the "
            f"inputs: {', '.join(unknown[:5])}{', …' if len(unknown) > 5 else ''}"
        )
    options = _published_options(args.published)
    for doc_id in sorted(options):
        if doc_id not in known:
            raise FactcheckError(
                f"--published names {doc_id!r}, which is not among the inputs "
                "(use the document's id: the file name without its extension)"
            )
    published.update(options)
    _check_sizes(files, args.max_document_chars)
    docs = _documents(files, ids, published, progress, max_chars=args.max_document_chars)
    progress.stage("finding claims", total=len(docs), unit="doc")
    checker = _checker(progress, args.cache_dir, max_document_chars=args.max_document_chars)
    report = checker.check(docs)
    progress.close()
    report = report.with_min_score(args.min_score)
    _write(_rendered(report, fmt), args.output)
    sources = _independent_with_claims(report)
    if sources < 2:
        with_claims = len({c.document for c in report.claims})
        why = (
            f"only copies of one text have claims ({with_claims} documents)"
            if with_claims > 1
            else f"only {with_claims} of {_count(len(docs), 'document')} "
            f"{'has' if with_claims == 1 else 'have'} claims"
        )
        notes.line(
            f"nothing was compared: {why}; a check needs two independent documents with "
            f"claims (exit status {EXIT_NOTHING_COMPARED})"
        )
        return EXIT_NOTHING_COMPARED
    return EXIT_CONTRADICTION if report.contradictions else EXIT_OK


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def run() -> NoReturn:
    """The ``factcheck`` command: :func:`main`, then exit with its status.

    After Ctrl-C the process ends at once with status 130: a library caught
    inside its own C code when the interrupt came (torch, tokenizers) can
    otherwise make the interpreter end itself by SIGINT after main has
    returned (status -2 instead of 130).
    """
    status = main()
    if status == EXIT_INTERRUPTED:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(EXIT_INTERRUPTED)
    sys.exit(status)


@validation.checked
def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (see the module docstring)."""
    args = _parser().parse_args(argv)
    # The command prints a report, not the model loader's progress bars.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    quiet = bool(getattr(args, "quiet", False))
    debug = bool(getattr(args, "debug", False))
    progress = _Progress(enabled=not quiet and sys.stderr.isatty())
    notes = _Warnings(quiet=quiet, debug=debug)
    try:
        with notes.installed():
            status: int = args.run(args, progress, notes)
    except FactcheckError as exc:
        progress.close()
        print(f"factcheck: error: {_one_line(str(exc))}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        progress.close()
        print("factcheck: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:
        progress.close()
        if debug:
            traceback.print_exc(file=sys.stderr)
        hint = "" if debug else "; rerun with --debug for the traceback"
        print(
            f"factcheck: internal error: {type(exc).__name__}: {_one_line(str(exc))} "
            f"(a bug in factcheck{hint})",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    finally:
        progress.close()
    return status


def _add_train_parser(sub: Any) -> None:
    """``factcheck train events PATH``: retrain the same-event model."""
    train = sub.add_parser(
        "train",
        help="retrain a learned part from labelled data",
        description="Retrain a learned part of factcheck from labelled data (docs/training.md).",
    )
    train.set_defaults(run=lambda args, progress, notes: _train(args))
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


#: The subcommands: each adds its parser to the subparsers and sets ``run``,
#: a function of the parsed arguments, the progress bar and the warnings
#: sink, returning the exit status.
COMMANDS: list[Callable[[Any], None]] = [_add_check, _add_train_parser]
