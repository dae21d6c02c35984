"""The docs cannot rot: their examples run, and the API reference matches the code.

- ``pycon`` examples (``>>>``) in ``docs/*.md`` and ``README.md`` run as
  doctests (``--doctest-glob=*.md`` in pyproject.toml); this module checks that
  each of them asserts some output.
- ``console`` examples (``$ factcheck ...`` with the expected output below
  each command, ``...`` matching anything) run here, in-process, in a scratch
  folder that holds the repository's ``seeds/`` and ``docs/``; ``$ echo $?``
  prints the previous command's exit status.
- ``docs/api.md`` documents every public name of ``factcheck.__all__`` and of
  each module's ``__all__``, and every public method and property of the
  classes among them, with the signature ``inspect.signature`` gives.

``python3 docs/make_api.py`` rewrites ``docs/api.md`` from the code.
"""

from __future__ import annotations

import doctest
import enum
import importlib
import inspect
import re
import shlex
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
API = DOCS / "api.md"
MODULES = (
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
    "factcheck.reporting",
    "factcheck.pipeline",
    "factcheck.cli",
)
MARKDOWN = [*sorted(DOCS.glob("*.md")), ROOT / "README.md"]


def _blocks(path: Path, fence: str) -> list[tuple[int, str]]:
    """The ``fence`` code blocks of a Markdown file, with the line each starts on."""
    text = path.read_text(encoding="utf-8")
    return [
        (text.count("\n", 0, m.start()) + 1, m.group(1))
        for m in re.finditer(rf"^```{fence}\n(.*?)^```", text, flags=re.S | re.M)
    ]


# ---------------------------------------------------------------------------
# Examples


@pytest.mark.parametrize("path", MARKDOWN, ids=lambda p: p.name)
def test_python_examples_are_doctests_that_assert_output(path: Path) -> None:
    for line, block in _blocks(path, "pycon"):
        examples = doctest.DocTestParser().get_examples(block)
        assert examples, f"{path.name}:{line}: a pycon block without >>>"
        assert any(e.want for e in examples), f"{path.name}:{line}: asserts no output"
        assert block.endswith("\n\n"), f"{path.name}:{line}: needs a blank line before ```"
    for line, _ in _blocks(path, "python"):
        assert path == API, f"{path.name}:{line}: write examples as ```pycon doctests"


CONSOLE = [
    pytest.param(path, line, block, id=f"{path.name}:{line}")
    for path in MARKDOWN
    for line, block in _blocks(path, "console")
]


def _commands(block: str) -> list[tuple[str, str]]:
    """``(command, expected output)`` pairs of a console block."""
    pairs: list[tuple[str, str]] = []
    for line in block.splitlines(keepends=True):
        if line.startswith("$ "):
            pairs.append((line[2:].strip(), ""))
        else:
            assert pairs, f"output before the first command: {line!r}"
            pairs[-1] = (pairs[-1][0], pairs[-1][1] + line)
    return pairs


@pytest.mark.model
@pytest.mark.parametrize(("path", "line", "block"), CONSOLE)
def test_console_examples_print_what_they_show(
    path: Path,
    line: int,
    block: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from factcheck.cli import main

    (tmp_path / "seeds").symlink_to(ROOT / "seeds")
    (tmp_path / "docs").symlink_to(DOCS)
    monkeypatch.chdir(tmp_path)
    checker = doctest.OutputChecker()
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    status = 0
    for command, want in _commands(block):
        argv = shlex.split(command)
        if argv == ["echo", "$?"]:
            got = f"{status}\n"
        elif argv[0] == "factcheck":
            status = main(argv[1:])
            got = capsys.readouterr().out
        else:
            raise AssertionError(f"{path.name}:{line}: cannot run {command!r} in a console example")
        if not checker.check_output(want, got, flags):
            diff = checker.output_difference(doctest.Example(command, want), got, flags)
            raise AssertionError(f"{path.name}:{line}: $ {command}\n{diff}")


# ---------------------------------------------------------------------------
# API reference


class _Plain(str):
    """An annotation written as it is in the source, without quotes."""

    def __repr__(self) -> str:
        return str(self)


def _default_text(value: Any, constants: dict[int, str]) -> str:
    if id(value) in constants:
        return constants[id(value)]
    if isinstance(value, attrs.Factory):  # type: ignore[arg-type]
        return f"{getattr(value.factory, '__name__', 'factory')}()"
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    return repr(value)


def _signature(obj: Any, *, drop_return: bool = False) -> str:
    """``obj``'s signature with plain annotations and readable defaults."""
    signature = inspect.signature(obj)
    constants: dict[int, str] = {}
    module = sys.modules.get(getattr(obj, "__module__", "") or "")
    for name in getattr(module, "__all__", ()):
        value = getattr(module, name)
        if not callable(value):
            constants[id(value)] = name
    factories = {}
    if attrs.has(obj):
        factories = {
            f.alias or f.name: f.default
            for f in attrs.fields(obj)
            if isinstance(f.default, attrs.Factory)  # type: ignore[arg-type]
        }
    params = []
    for p in signature.parameters.values():
        annotation = p.annotation
        if annotation is not inspect.Parameter.empty:
            annotation = _Plain(
                annotation if isinstance(annotation, str) else inspect.formatannotation(annotation)
            )
        default = p.default
        if p.name in factories:
            default = factories[p.name]
        if default is not inspect.Parameter.empty:
            default = _Plain(_default_text(default, constants))
        params.append(p.replace(annotation=annotation, default=default))
    ret = signature.return_annotation
    if drop_return or ret is inspect.Signature.empty:
        ret = inspect.Signature.empty
    else:
        ret = _Plain(ret if isinstance(ret, str) else inspect.formatannotation(ret))
    return str(signature.replace(parameters=params, return_annotation=ret))


def _is_protocol(obj: Any) -> bool:
    return isinstance(obj, type) and bool(getattr(obj, "_is_protocol", False))


def members(cls: type) -> dict[str, Any]:
    """Public methods and properties defined on the class itself."""
    out = {}
    for name, value in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(value, property | classmethod | staticmethod) or inspect.isfunction(value):
            out[name] = value
    return out


def declaration(obj: Any, name: str) -> str:
    """The declaration docs/api.md shows for ``obj``, called ``name`` there."""
    short = name.rsplit(".", 1)[-1]
    if isinstance(obj, property):
        ret = inspect.signature(obj.fget).return_annotation  # type: ignore[arg-type]
        return f"@property\ndef {short}(self) -> {ret}"
    if isinstance(obj, classmethod):
        return f"@classmethod\ndef {short}{_signature(obj.__func__)}"
    if isinstance(obj, staticmethod):
        return f"@staticmethod\ndef {short}{_signature(obj.__func__)}"
    if isinstance(obj, type) and issubclass(obj, enum.Enum):
        members = "".join(f"\n    {m.name} = {m.value!r}" for m in obj)
        return f"class {short}(enum.Enum):{members}"
    if isinstance(obj, type) and issubclass(obj, BaseException):
        return f"class {short}({', '.join(b.__name__ for b in obj.__bases__)})"
    if isinstance(obj, type) and _is_protocol(obj):
        return f"class {short}(Protocol)"
    if isinstance(obj, type):
        return f"class {short}{_signature(obj, drop_return=True)}"
    if inspect.isfunction(obj):
        return f"def {short}{_signature(obj)}"
    if isinstance(obj, str | int | float | tuple):
        return f"{short} = {obj!r}"
    return f"{short}: {type(obj).__name__}"


def public_api() -> dict[str, str]:
    """Every name docs/api.md must document, with its declaration."""
    out: dict[str, str] = {}
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            qualified = f"{module_name}.{name}"
            out[qualified] = declaration(obj, qualified)
            if isinstance(obj, type) and not issubclass(obj, enum.Enum | BaseException):
                for member, value in members(obj).items():
                    out[f"{name}.{member}"] = declaration(value, member)
    return out


def documented() -> dict[str, str]:
    """Headings ``### `name``` of docs/api.md with the declaration in the block below."""
    text = API.read_text(encoding="utf-8")
    found = {}
    pattern = r"^#{3,4} `([\w.]+)`\n+```python\n(.*?)^```"
    for m in re.finditer(pattern, text, flags=re.S | re.M):
        assert m.group(1) not in found, f"{m.group(1)} is documented twice"
        found[m.group(1)] = m.group(2)
    return found


def _normal(text: str) -> str:
    """A declaration with whitespace and trailing commas taken out, quotes unified."""
    text = re.sub(r"\s+", "", text).replace('"', "'")
    return re.sub(r",([)\]])", r"\1", text)


def test_the_api_reference_documents_every_public_name() -> None:
    missing = sorted(set(public_api()) - set(documented()))
    assert not missing, "not in docs/api.md: " + ", ".join(missing)


def test_the_api_reference_documents_nothing_that_is_not_public() -> None:
    extra = sorted(set(documented()) - set(public_api()))
    assert not extra, "in docs/api.md but not public: " + ", ".join(extra)


def test_the_api_reference_shows_the_real_signatures() -> None:
    docs = documented()
    wrong = [
        f"{name}:\n  docs: {docs[name].strip()}\n  code: {decl}"
        for name, decl in public_api().items()
        if name in docs and _normal(docs[name]) != _normal(decl)
    ]
    assert not wrong, "docs/api.md is out of date:\n" + "\n".join(wrong)


def test_the_api_reference_lists_the_top_level_names() -> None:
    import factcheck

    text = API.read_text(encoding="utf-8")
    table = text.split("## `factcheck`", 1)[1].split("\n## ", 1)[0]
    for name in factcheck.__all__:
        obj = getattr(factcheck, name)
        home = f"{obj.__module__}.{name}"
        assert f"| `factcheck.{name}` | [`{home}`]" in table, name


def test_files_quoted_in_the_docs_are_the_files() -> None:
    # A ```text block right after "`docs/examples/NAME` is:" shows that file.
    quoted = 0
    for path in MARKDOWN:
        text = path.read_text(encoding="utf-8")
        pattern = r"`(docs/examples/[\w.-]+)` is:\n\n```text\n(.*?)^```"
        for m in re.finditer(pattern, text, re.S | re.M):
            assert (ROOT / m.group(1)).read_text(encoding="utf-8") == m.group(2), m.group(1)
            quoted += 1
    assert quoted
