"""Write docs/api.md from the code: declarations from ``inspect``, text from the docstrings.

Run ``python3 docs/make_api.py`` after changing a public name, a signature or
a docstring summary; ``docs/test_docs.py`` fails until the reference matches
the code again.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_docs import API, MODULES, members, public_api

ORDER = (
    "factcheck.pipeline",
    "factcheck.reporting",
    "factcheck.records",
    "factcheck.errors",
    "factcheck.normalising",
    "factcheck.validation",
    "factcheck.segmenting",
    "factcheck.extracting",
    "factcheck.facts.dates",
    "factcheck.facts.places",
    "factcheck.facts.lexicon",
    "factcheck.embedding",
    "factcheck.embedding_cache",
    "factcheck.copies",
    "factcheck.similarity",
    "factcheck.events",
    "factcheck.clustering",
    "factcheck.judging",
    "factcheck.modelfile",
    "factcheck.assertion",
    "factcheck.stance",
    "factcheck.training.data",
    "factcheck.training.stance",
    "factcheck.training.perturb",
    "factcheck.training.events",
    "factcheck.cli",
)

HEADER = """\
# API reference

Every public name of `factcheck`: the package itself, then one section per
module in pipeline order. Each entry shows the declaration as
`inspect.signature` gives it (annotations as written in the source; `X()` for
a default built fresh for each instance) and the first lines of its
docstring; `help(name)` in Python has the whole docstring with runnable
examples.

This page is written by `python3 docs/make_api.py` and checked by
`docs/test_docs.py`: a public name (in a module's `__all__`, or a public
method or property of a class there) that is missing here, a name here that
is not public, or a declaration that differs from the code fails the test
suite.

All classes are frozen attrs classes unless said otherwise: build a changed
copy with `attrs.evolve(obj, field=value)`. Configuration is keyword-only.
"""

# Text for names whose docstring says nothing (constants, inherited docs).
TEXT = {
    "factcheck.reporting.RELATION_COLUMNS": "The columns of `Report.relation_rows`, "
    "`Report.to_csv` and `Report.to_jsonl`, in order. `_a` and `_b` name the two claims of "
    "a relation; offsets index each side's document text.",
    "DateValue.resolved": "Whether the date was placed on the calendar (`first` and `last` set).",
    "factcheck.segmenting.DEFAULT_ABBREVIATIONS": "The lower-case abbreviations (`dec.`, "
    "`u.s.`, `gen.` ...) after which a period does not end a sentence unless a typical "
    "sentence starter follows; `RuleSegmenter(abbreviations=...)` takes another set.",
    "factcheck.embedding.DEFAULT_MODEL_PACKAGE": "The pip package that bundles the default "
    "model (all-MiniLM-L6-v2); it is installed with factcheck and nothing is downloaded at "
    "run time.",
    "HashingEmbedder.identity": "A string naming the embedder and its settings, e.g. "
    "`hashing:dim=384:ngrams=3-4`.",
    "HashingEmbedder.embed": "Embed `texts`; returns a `(len(texts), dim)` float32 matrix "
    "of unit rows.",
    "SentenceTransformerEmbedder.identity": "A string naming the model, e.g. "
    "`sentence-transformers:all-MiniLM-L6-v2`.",
    "SentenceTransformerEmbedder.embed": "Embed `texts` with the model (loaded on the first "
    "call, then shared by the process); returns a float32 matrix of unit rows aligned with "
    "`texts`.",
    "HandSetEventClusterer.cluster": "One cluster label per claim (see `Clusterer.cluster`): "
    "event-link weights from the candidate pairs, then average linkage.",
    "RuleJudge.judge": "The relation of `a` and `b` by the rules of the module, or `None` "
    "when they are not evidently one event. Raises `ConfigError` for two claims of one "
    "document.",
}

MODULE_TEXT = {
    "factcheck.judging": "Judging stage: do two claims from different documents agree or "
    "contradict? `compare` finds the typed values the two claims give alike or differently "
    "(number, date, place, role, actor, polarity, quantifier, hedge, attribution); "
    "`RuleJudge` turns them into a relation: disjoint stated dates are two events (no "
    "relation) unless the date is the one edit between the sentences; a conflicting value "
    "with a calibrated P(contradict) of at least `min_contradict` contradicts; no conflict "
    "and P(agree) of at least `min_agree` agrees. The probabilities come from logistic "
    "models fitted on labelled pairs (`benchmarks/bench_judge.py --fit`) and stored in "
    "`factcheck/calibration.json`; an optional NLI cross-encoder can be plugged in.",
    "factcheck.reporting": "Reporting stage: the `Report` and its views: `to_dict`/`to_json` "
    "(everything, as data), `to_markdown` (for reading), `to_html` (one self-contained "
    "page), `relation_rows`/`to_csv`/`to_jsonl` (one row per relation, for spreadsheets and "
    "pandas) and `corroboration` (per claim, the documents that agree and contradict).",
}

_ROLE = re.compile(r":(?:class|func|meth|mod|data|attr|exc):`~?([\w.]+)`")


def _plain(text: str) -> str:
    """reStructuredText roles and literals as Markdown code."""
    return _ROLE.sub(lambda m: f"`{m.group(1).split('.')[-1]}`", text).replace("``", "`")


def wrapped(declaration: str, width: int = 88) -> str:
    """A declaration with one parameter per line when its line is too long."""
    out = []
    for line in declaration.split("\n"):
        if len(line) <= width or "(" not in line:
            out.append(line)
            continue
        open_at = line.index("(")
        depth, parts, current, close_at = 0, [], "", len(line)
        for k in range(open_at + 1, len(line)):
            ch = line[k]
            if ch in ")]}" and depth == 0:
                parts.append(current)
                close_at = k
                break
            depth += (ch in "([{") - (ch in ")]}")
            if ch == "," and depth == 0:
                parts.append(current)
                current = ""
            else:
                current += ch
        params = "".join(f"    {p.strip()},\n" for p in parts if p.strip())
        out.append(f"{line[: open_at + 1]}\n{params}{line[close_at:]}")
    return "\n".join(out)


def summary(obj: Any) -> str:
    """The first paragraph of the docstring, on one line."""
    doc = inspect.getdoc(obj) or ""
    return " ".join(_plain(doc.split("\n\n")[0]).split())


def parameters(obj: Any) -> str:
    """The NumPy-style Parameters section of the docstring as a Markdown list."""
    doc = inspect.getdoc(obj) or ""
    found = re.search(r"^Parameters\n-+\n(.*?)(?:\n\n[A-Z][a-z]+\n-+\n|\Z)", doc, flags=re.S | re.M)
    if not found:
        return ""
    items: list[list[str]] = []
    for line in found.group(1).splitlines():
        if not line.strip():
            continue
        if not line.startswith(" "):
            name, _, kind = line.partition(" : ")
            items.append([name.strip(), kind.strip(), ""])
        elif items:
            items[-1][2] += " " + line.strip()
    return "".join(f"- `{name}` ({kind}):{_plain(text)}\n" for name, kind, text in items)


def _entry(level: str, name: str, declaration: str, obj: Any) -> str:
    documented = callable(obj) or isinstance(obj, type | property | classmethod | staticmethod)
    target = obj.fget if isinstance(obj, property) else getattr(obj, "__func__", obj)
    text = (summary(target) if documented else "") or TEXT.get(name, "")
    params = parameters(target) if documented else ""
    return f"{level} `{name}`\n\n```python\n{wrapped(declaration)}\n```\n\n{text}\n" + (
        f"\n{params}" if params else ""
    )


def api_markdown() -> str:
    import factcheck

    assert sorted(ORDER) == sorted(MODULES)
    api = public_api()
    out = [HEADER]
    out.append(
        "## `factcheck`\n\nThe package re-exports the names most programs need:\n\n"
        "| name | documented as |\n|---|---|"
    )
    for name in factcheck.__all__:
        home = f"{getattr(factcheck, name).__module__}.{name}"
        anchor = re.sub(r"[^a-z0-9_-]", "", home.lower())
        out.append(f"| `factcheck.{name}` | [`{home}`](#{anchor}) |")
    out.append("")
    for module_name in ORDER:
        module = importlib.import_module(module_name)
        intro = MODULE_TEXT.get(module_name) or summary(module)
        out.append(f"## `{module_name}`\n\n{intro}\n")
        for name in module.__all__:
            obj = getattr(module, name)
            qualified = f"{module_name}.{name}"
            out.append(_entry("###", qualified, api[qualified], obj))
            if isinstance(obj, type) and not issubclass(obj, enum.Enum | BaseException):
                for member, value in members(obj).items():
                    key = f"{name}.{member}"
                    out.append(_entry("####", key, api[key], value))
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    API.write_text(api_markdown(), encoding="utf-8")
    # `ruff format --check .` also formats the Python blocks of Markdown files.
    subprocess.run([sys.executable, "-m", "ruff", "format", "--quiet", str(API)], check=True)
    print(f"wrote {API}")
