"""One error contract, enforced on the whole public surface.

Every public attrs class and every public function of every public factcheck
module (found by walking the package, so classes and functions added later are
covered without editing this file) is driven, one parameter at a time, with

- values of the wrong type, drawn by hypothesis from strategies derived from
  the parameter's annotation (scalars of other types, containers of the wrong
  element type, a plain string where a collection is expected);
- values out of range, derived from the parameter's validator where it says
  its bounds (``factcheck.validation`` validators do), and extreme numbers
  (NaN, infinities, negatives, large values) for every numeric parameter.

A refused value must raise a :class:`factcheck.FactcheckError` subclass whose
message names the parameter and shows the value received. A value an attrs
class accepts must have been stored with the annotated type (a converter may
turn a ``str`` into a ``Path``, never leave an ``int`` where a ``Path`` is
promised); a function must refuse a value its annotation does not allow.

Parameters that legitimately accept anything are listed in ``ACCEPTS_ANYTHING``
with the reason; a parameter annotated ``Any`` or ``object`` that is not listed
fails ``test_every_parameter_is_typed_or_exempt``.
"""

from __future__ import annotations

import collections.abc as cabc
import datetime as dt
import enum
import importlib
import inspect
import math
import numbers
import os
import pkgutil
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import factcheck
import factcheck.events
from factcheck import validation
from factcheck.errors import FactcheckError

# ---------------------------------------------------------------------------
# The public surface


# Modules not driven here, and why. Keep this short.
NOT_DRIVEN = {
    # The contract's own machinery: its functions take annotations, validators
    # and classes from factcheck's source, and its converters and matchers
    # accept any value by design. Its behaviour is tested in test_validation.py,
    # and every class and function below that uses it is driven here.
    "factcheck.validation",
    # Issue #15 phase 1 (branch judge), written before this contract landed and
    # not yet brought under it: their own tests check their refusals (bad cue
    # files, missing data files, blank claims, out-of-range folds), but not
    # every parameter's type. To do before phase 2: validation.typed on their
    # records, validation.checked on their functions, base values here.
    "factcheck.assertion",
    "factcheck.stance",
    "factcheck.training",
    "factcheck.training.data",
    "factcheck.training.perturb",
    "factcheck.training.stance",
}


def public_modules() -> list[types.ModuleType]:
    """factcheck and every submodule without a leading underscore in its path."""
    found = [factcheck]
    for info in pkgutil.walk_packages(factcheck.__path__, "factcheck."):
        if any(part.startswith("_") for part in info.name.split(".")[1:]):
            continue
        if info.name in NOT_DRIVEN:
            continue
        found.append(importlib.import_module(info.name))
    return found


def _is_protocol(obj: object) -> bool:
    return bool(getattr(obj, "_is_protocol", False))


@attrs.frozen
class Param:
    name: str  # the keyword a caller passes
    annotation: Any
    required: bool
    validator: Any = None  # an attrs field's validator, unwrapped


@attrs.frozen
class Target:
    qualname: str
    call: Callable[..., Any]
    params: tuple[Param, ...]
    is_class: bool


def _unwrap(validator: Any) -> list[Any]:
    """The validators inside attrs' and factcheck's combinators."""
    if validator is None:
        return []
    check = getattr(validator, "field_check", None)  # factcheck.validation.typed's
    if check is not None:
        return _unwrap(check.inner)
    nested = getattr(validator, "_validators", None)  # attrs.validators.and_
    if nested is not None:
        return [v for part in nested for v in _unwrap(part)]
    optional = getattr(validator, "validator", None)  # attrs.validators.optional
    if type(validator).__name__ == "_OptionalValidator" and optional is not None:
        return _unwrap(optional)
    return [validator]


def _hints(qualname: str, obj: object) -> dict[str, Any]:
    try:
        return typing.get_type_hints(obj)
    except Exception as exc:  # the annotations must be checkable at run time
        raise AssertionError(f"cannot evaluate the annotations of {qualname}: {exc}") from exc


def _class_target(qualname: str, cls: type) -> Target:
    hints = _hints(qualname, cls)
    params = []
    for field in attrs.fields(cls):
        if not field.init:
            continue
        required = field.default is attrs.NOTHING
        validators = _unwrap(field.validator)
        bounded = next((v for v in validators if getattr(v, "bounds", None)), None)
        params.append(Param(field.alias, hints.get(field.name, Any), required, bounded))
    return Target(qualname, cls, tuple(params), True)


def _function_target(qualname: str, function: Callable[..., Any]) -> Target:
    hints = _hints(qualname, function)
    params = []
    for p in inspect.signature(function).parameters.values():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) or p.name == "self":
            continue
        params.append(Param(p.name, hints.get(p.name, Any), p.default is p.empty))
    return Target(qualname, function, tuple(params), False)


def public_targets() -> list[Target]:
    seen: dict[int, Target] = {}
    for module in public_modules():
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if id(obj) in seen:
                continue
            qualname = f"{getattr(obj, '__module__', module.__name__)}.{name}"
            if isinstance(obj, type):
                if issubclass(obj, enum.Enum | BaseException) or _is_protocol(obj):
                    continue
                if attrs.has(obj):
                    seen[id(obj)] = _class_target(qualname, obj)
                elif obj.__init__ is not object.__init__:
                    seen[id(obj)] = _function_target(qualname, obj)
            elif inspect.isfunction(obj):
                seen[id(obj)] = _function_target(qualname, obj)
    return sorted(seen.values(), key=lambda t: t.qualname)


TARGETS = public_targets()

# Parameters that take anything, and why. Keep this short.
ACCEPTS_ANYTHING = {
    # Any fitted scikit-learn estimator; from_estimator inspects it and raises
    # ModelError for an unsupported one (tested in test_modelfile.py).
    "factcheck.modelfile.from_estimator.estimator",
}

# Targets that are not called with their defaults: cli.main() with no argv reads
# the test runner's own sys.argv. They are still driven with wrong types.
NO_BASE_CALL = {"factcheck.cli.main"}


# ---------------------------------------------------------------------------
# Valid values, to call a target with everything but the parameter under test


def _claim(text: str = "Iran launched 180 missiles.", doc: str = "a") -> factcheck.Claim:
    return factcheck.Claim(
        id=f"{doc}:0", document=doc, sentence=0, start=0, end=len(text), text=text
    )


def _model_file_kwargs() -> dict[str, Any]:
    return {
        "name": "test",
        "features": ("f",),
        "classes": (0, 1),
        "kind": "logistic",
        "params": {"mean": [0.0], "scale": [1.0], "coef": [[1.0]], "intercept": [0.0]},
        "metadata": {},
    }


def _estimator() -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression().fit([[0.0], [1.0], [0.1], [0.9]], [0, 1, 0, 1])


def _model_file_path(tmp: Path) -> Path:
    from factcheck.modelfile import ModelFile

    path = tmp / "model.json"
    ModelFile(**_model_file_kwargs()).save(path)
    return path


# Arguments for the required parameters a value of their type alone cannot
# satisfy (spans that must match their text, two distinct ids, ...). A target
# missing here is called with values built from its annotations.
EXAMPLES: dict[str, Callable[[Path], dict[str, Any]]] = {
    "factcheck.facts.lexicon.phrases": lambda tmp: {"topic": "actions", "name": "verbs"},
    "factcheck.facts.lexicon.table": lambda tmp: {"topic": "roles", "name": "roles"},
    "factcheck.records.Claim": lambda tmp: {
        "id": "a:0",
        "document": "a",
        "sentence": 0,
        "start": 0,
        "end": 4,
        "text": "Iran",
    },
    "factcheck.records.Sentence": lambda tmp: {
        "document": "a",
        "index": 0,
        "start": 0,
        "end": 4,
        "text": "Iran",
    },
    "factcheck.records.Skipped": lambda tmp: {
        "document": "a",
        "start": 0,
        "end": 4,
        "text": "Menu",
        "reason": factcheck.records.SkipReason.NAVIGATION,
    },
    "factcheck.records.Fact": lambda tmp: {
        "kind": factcheck.FactKind.ENTITY,
        "start": 0,
        "end": 4,
        "text": "Iran",
        "value": "iran",
    },
    "factcheck.records.Relation": lambda tmp: {
        "label": factcheck.Label.AGREE,
        "claims": ("a:0", "b:0"),
        "score": 0.5,
    },
    "factcheck.reporting.Report": lambda tmp: {
        "documents": (),
        "claims": (),
        "skipped": (),
        "clusters": (),
        "relations": (),
    },
    "factcheck.modelfile.ModelFile": lambda tmp: _model_file_kwargs(),
    "factcheck.events.EventModel": lambda tmp: {
        "file": factcheck.events.load_event_model().file,
    },
    "factcheck.modelfile.from_estimator": lambda tmp: {
        "estimator": _estimator(),
        "name": "test",
        "features": ["f"],
        "metadata": {},
    },
    "factcheck.modelfile.load": lambda tmp: {"path": _model_file_path(tmp), "name": "test"},
    "factcheck.modelfile.loads": lambda tmp: {
        "text": _model_file_path(tmp).read_text(encoding="utf-8"),
        "name": "test",
    },
    "factcheck.modelfile.digest_rows": lambda tmp: {"X": [[0.0]], "y": [0]},
    "factcheck.modelfile.digest_files": lambda tmp: {"paths": [_model_file_path(tmp)]},
    "factcheck.judging.CrossEncoderNLI": lambda tmp: {"model": str(tmp)},
    "factcheck.records.CopyGroup": lambda tmp: {
        "documents": ("a", "b"),
        "identical": True,
        "similarity": 1.0,
    },
    "factcheck.normalising.NormalisedText": lambda tmp: {"original": "a", "text": "a"},
    "factcheck.embedding_cache.CachedEmbedder": lambda tmp: {
        "inner": factcheck.embedding.HashingEmbedder(),
        "directory": tmp,
    },
    "factcheck.clustering.event_link_weights": lambda tmp: {
        "claims": [_claim(), _claim(doc="b")],
        "pairs": factcheck.similarity.PairSet(
            rows=np.array([0]), cols=np.array([1]), scores=np.array([0.5], dtype=np.float32)
        ),
    },
    "factcheck.similarity.cross_document_pairs": lambda tmp: {
        "embeddings": np.eye(3, dtype=np.float32),
        "groups": np.array([0, 1, 1]),
        "threshold": 0.5,
    },
    "factcheck.similarity.cross_document_topk": lambda tmp: {
        "embeddings": np.eye(3, dtype=np.float32),
        "groups": np.array([0, 1, 1]),
        "k": 2,
    },
    "factcheck.similarity.cross_document_neighbor_pairs": lambda tmp: {
        "embeddings": np.eye(3, dtype=np.float32),
        "groups": np.array([0, 1, 1]),
        "k": 2,
        "threshold": 0.5,
    },
    "factcheck.similarity.normalize_rows": lambda tmp: {"matrix": np.eye(2)},
    "factcheck.pipeline.check": lambda tmp: {
        "documents": [factcheck.Document(id="a", text="Iran launched 180 missiles.")],
        "embedder": factcheck.embedding.HashingEmbedder(),
    },
}


def _default_instance(protocol: type) -> object:
    """A public factcheck class that implements ``protocol`` and needs no arguments."""
    for target in TARGETS:
        cls = target.call
        if target.is_class and not any(p.required for p in target.params):
            try:
                instance = cls()
            except FactcheckError:
                continue
            if validation.matches(instance, protocol):
                return instance
    raise LookupError(f"no default implementation of {protocol.__qualname__}")


def valid_value(annotation: Any, tmp: Path) -> object:
    """A value of the annotated type, good enough to call a target with."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if annotation in (Any, object) or annotation == npt.ArrayLike:
        return [[1.0]]
    if origin in (typing.Union, types.UnionType):
        others = [a for a in args if a is not type(None)]
        return valid_value(others[0], tmp) if others else None
    if annotation is bool:
        return False
    if annotation is int:
        return 1
    if annotation is float:
        return 0.5
    if annotation is str:
        return "a"
    if annotation is Path or annotation is os.PathLike or origin is os.PathLike:
        return tmp
    if annotation is dt.date:
        return dt.date(2024, 1, 1)
    if origin is typing.Literal:
        return args[0]
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return (valid_value(args[0], tmp),)
        return tuple(valid_value(a, tmp) for a in args)
    if origin is np.ndarray:
        dtype = typing.get_args(args[1])[0] if len(args) == 2 else np.float64
        return np.zeros(0, dtype=dtype if isinstance(dtype, type) else np.float64)
    if origin is not None and isinstance(origin, type):
        if issubclass(origin, cabc.Mapping):
            return {}
        if issubclass(origin, cabc.Set):
            return frozenset()
        return [valid_value(args[0], tmp)] if args else []
    if isinstance(annotation, type):
        if issubclass(annotation, enum.Enum):
            return next(iter(annotation))
        if _is_protocol(annotation):
            return _default_instance(annotation)
        for target in TARGETS:
            if target.call is annotation:
                return target.call(**base_kwargs(target, tmp))
        return annotation()
    raise LookupError(f"cannot make a value of {annotation!r}")


def base_kwargs(target: Target, tmp: Path) -> dict[str, Any]:
    example = EXAMPLES.get(target.qualname)
    if example is not None:
        return example(tmp)
    return {p.name: valid_value(p.annotation, tmp) for p in target.params if p.required}


# ---------------------------------------------------------------------------
# What fits an annotation: written here independently of factcheck.validation


def fits(value: object, annotation: Any) -> bool:
    """Whether a value has the annotated type (bool is not an int; a str is not
    a collection of str; elements are checked; protocols by their members)."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if annotation in (Any, object) or annotation == npt.ArrayLike:
        return True
    if annotation is None or annotation is type(None):
        return value is None
    if origin in (typing.Union, types.UnionType):
        return any(fits(value, a) for a in args)
    if origin is typing.Literal:
        return value in args
    if annotation is bool:
        return isinstance(value, bool | np.bool_)
    if annotation is int:
        return isinstance(value, numbers.Integral) and not isinstance(value, bool | np.bool_)
    if annotation is float:
        return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)
    if origin is np.ndarray:
        return isinstance(value, np.ndarray)
    if origin is tuple:
        if not isinstance(value, tuple):
            return False
        if len(args) == 2 and args[1] is Ellipsis:
            return all(fits(x, args[0]) for x in value)
        return len(value) == len(args) and all(fits(x, a) for x, a in zip(value, args, strict=True))
    if origin in (cabc.Callable,):
        return callable(value)
    if origin is not None and isinstance(origin, type):
        if not isinstance(value, origin) or isinstance(value, str | bytes):
            return False
        if issubclass(origin, cabc.Mapping):
            return all(fits(k, args[0]) and fits(v, args[1]) for k, v in value.items())
        if args and isinstance(value, cabc.Collection):
            return all(fits(x, args[0]) for x in value)
        return True
    if isinstance(annotation, type):
        if _is_protocol(annotation):
            members = [
                n
                for base in annotation.__mro__
                if _is_protocol(base) and base.__name__ != "Protocol"
                for n in vars(base)
                if not n.startswith("_")
            ]
            return all(hasattr(value, n) for n in members)
        if annotation in (cabc.Iterable, cabc.Sequence, cabc.Collection) and isinstance(
            value, str | bytes
        ):
            return False
        return isinstance(value, annotation)
    return True


# ---------------------------------------------------------------------------
# Strategies: wrong types, derived from the annotation


class _Opaque:
    """An object of no type any parameter asks for."""

    def __repr__(self) -> str:
        return "<opaque>"


SCALARS = st.sampled_from(
    [
        None,
        True,
        0,
        1,
        -1,
        0.5,
        "x",
        "",
        b"x",
        dt.date(2024, 1, 1),
        Path("x"),
        factcheck.Label.AGREE,
        _Opaque(),
        np.float32(0.5),
        np.int64(3),
    ]
)
CONTAINERS = st.sampled_from([[], ["x"], [1], ("x",), (1, 2), {"x": 1}, frozenset({"x"})])


def wrong_values(annotation: Any) -> st.SearchStrategy[object]:
    """Values that do not fit ``annotation``: other scalars and containers, and
    containers of the right kind holding elements of a wrong type."""
    candidates = [SCALARS, CONTAINERS, st.builds(_Opaque)]
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        parts = [a for a in args if a is not type(None)]
        candidates += [wrong_values(a) for a in parts if typing.get_origin(a) is not None]
    elif origin is tuple and args:
        element = args[0]
        candidates.append(st.tuples(wrong_values(element)).map(lambda t: t))
        if len(args) == 2 and args[1] is Ellipsis:
            candidates.append(st.lists(wrong_values(element), min_size=1, max_size=2).map(tuple))
        candidates.append(st.just("ab"))  # a string is not a tuple of anything
    elif origin is not None and isinstance(origin, type) and args:
        if issubclass(origin, cabc.Mapping):
            keys = wrong_values(args[0]).filter(lambda k: isinstance(k, cabc.Hashable))
            candidates.append(st.dictionaries(keys, st.none(), min_size=1))
        elif issubclass(origin, cabc.Iterable):
            candidates.append(st.lists(wrong_values(args[0]), min_size=1, max_size=2))
            candidates.append(st.just("ab"))
    return st.one_of(candidates).filter(lambda v: not fits(v, annotation))


# ---------------------------------------------------------------------------
# Strategies: out of range


def _numeric_kind(annotation: Any) -> type | None:
    """``int`` or ``float`` if the annotation allows that number, else None."""
    for kind in (float, int):
        if fits(kind(1), annotation) and not fits("1", annotation):
            return kind
    return None


def extreme_numbers(kind: type) -> st.SearchStrategy[object]:
    if kind is int:
        return st.integers(-(10**4), 10**4) | st.sampled_from([-1, 0, 1, -(2**31)])
    return st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(
        [math.nan, math.inf, -math.inf, -1.0, 0.0, 1.0, 1e300, -1e-300]
    )


def outside(validator: Any, kind: type) -> st.SearchStrategy[object] | None:
    """Numbers a bounded validator must refuse."""
    low, high, low_inclusive, high_inclusive = validator.bounds
    parts: list[st.SearchStrategy[object]] = []
    if kind is int:
        if low is not None:
            parts.append(st.integers(max_value=math.ceil(low) - (1 if low_inclusive else 0)))
        if high is not None:
            parts.append(st.integers(min_value=math.floor(high) + (1 if high_inclusive else 0)))
    else:
        parts.append(st.just(math.nan))
        if low is not None:
            parts.append(st.floats(max_value=low, exclude_max=low_inclusive, allow_nan=False))
        if high is not None:
            parts.append(st.floats(min_value=high, exclude_min=high_inclusive, allow_nan=False))
    if not parts:
        return None
    strategy = st.one_of(parts)
    return strategy.filter(lambda v: not validator.accepts(v))


# ---------------------------------------------------------------------------
# The checks


def _names(error: BaseException, param: str, value: object) -> str | None:
    """What is missing from an error message, or None."""
    message = str(error)
    if param not in message:
        return f"the message does not name {param!r}: {message!r}"
    # The value itself, or (for a collection) the collection as the record
    # keeps it, or the element that is wrong.
    shown = [repr(value)[:30]]
    if isinstance(value, list | tuple | set | frozenset):
        shown += [repr(tuple(value))[:30], *(repr(x)[:30] for x in value)]
    if isinstance(value, dict):
        shown += [repr(k)[:30] for k in value] + [repr(v)[:30] for v in value.values()]
    if not any(text in message for text in shown):
        return f"the message does not show the value {shown[0]!r}: {message!r}"
    return None


def _is_collection(annotation: Any) -> bool:
    """A container annotation (a str given for one is a mistake, whatever converts it)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_is_collection(a) for a in typing.get_args(annotation))
    target = origin or annotation
    return (
        isinstance(target, type)
        and issubclass(target, cabc.Iterable)
        and not issubclass(target, str | bytes)
    )


def _call(target: Target, kwargs: dict[str, Any]) -> object:
    return target.call(**kwargs)


def _refused_properly(target: Target, param: Param, value: object, tmp: Path) -> None:
    """``value`` does not fit ``param``: it is refused with a named FactcheckError, or
    (an attrs class with a converter) stored with the annotated type."""
    kwargs = base_kwargs(target, tmp) if target.qualname not in NO_BASE_CALL else {}
    kwargs[param.name] = value
    where = f"{target.qualname}({param.name}={value!r})"
    try:
        made = _call(target, kwargs)
    except FactcheckError as error:
        problem = _names(error, param.name, value)
        assert problem is None, f"{where}: {problem}"
        return
    except Exception as error:
        pytest.fail(f"{where} raised {type(error).__name__}, not a FactcheckError: {error}")
    assert target.is_class, f"{where} was accepted by a function whose annotation refuses it"
    stored = getattr(made, param.name, getattr(made, f"_{param.name}", None))
    assert fits(stored, param.annotation), f"{where} stored {stored!r}"
    assert not (isinstance(value, str) and _is_collection(param.annotation)), (
        f"{where}: a string was taken for a collection"
    )


def _accepted_or_refused_properly(target: Target, param: Param, value: object, tmp: Path) -> None:
    kwargs = base_kwargs(target, tmp) if target.qualname not in NO_BASE_CALL else {}
    kwargs[param.name] = value
    where = f"{target.qualname}({param.name}={value!r})"
    try:
        _call(target, kwargs)
    except FactcheckError as error:
        if str(error).find(param.name) < 0:
            pytest.fail(f"{where}: the message does not name {param.name!r}: {error}")
    except Exception as error:
        pytest.fail(f"{where} raised {type(error).__name__}, not a FactcheckError: {error}")


def _takes_anything(annotation: Any) -> bool:
    return fits(_Opaque(), annotation)


CASES = [
    pytest.param(target, param, id=f"{target.qualname}.{param.name}")
    for target in TARGETS
    for param in target.params
    if f"{target.qualname}.{param.name}" not in ACCEPTS_ANYTHING
]
TYPED = [case for case in CASES if not _takes_anything(case.values[1].annotation)]
NUMERIC = [
    case
    for case in CASES
    if _numeric_kind(case.values[1].annotation) is not None
    and case.values[0].qualname not in NO_BASE_CALL
]
BOUNDED = [case for case in NUMERIC if case.values[1].validator is not None]
ARRAY_LIKE = [
    case
    for case in CASES
    if case.values[1].annotation == npt.ArrayLike and case.values[0].qualname not in NO_BASE_CALL
]
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture],
)


def test_the_surface_is_found() -> None:
    names = {t.qualname for t in TARGETS}
    assert {
        "factcheck.pipeline.Checker",
        "factcheck.records.Claim",
        "factcheck.pipeline.check",
    } <= names
    assert len(CASES) > 100
    assert len(BOUNDED) > 10


def test_every_parameter_is_typed_or_exempt() -> None:
    untyped = [
        f"{t.qualname}.{p.name}"
        for t in TARGETS
        for p in t.params
        if p.annotation in (Any, object) and f"{t.qualname}.{p.name}" not in ACCEPTS_ANYTHING
    ]
    assert untyped == []
    stale = ACCEPTS_ANYTHING - {f"{t.qualname}.{p.name}" for t in TARGETS for p in t.params}
    assert stale == set()


@pytest.mark.parametrize(
    "target",
    [pytest.param(t, id=t.qualname) for t in TARGETS if t.qualname not in NO_BASE_CALL],
)
def test_each_target_accepts_its_base_arguments(target: Target, tmp_path: Path) -> None:
    """The arguments the other tests start from are valid, so a refusal they see
    is about the parameter under test."""
    _call(target, base_kwargs(target, tmp_path))


@pytest.mark.parametrize(("target", "param"), TYPED)
def test_wrong_types_raise_a_named_factcheck_error(
    target: Target, param: Param, tmp_path: Path
) -> None:
    @SETTINGS
    @given(value=wrong_values(param.annotation))
    def check(value: object) -> None:
        _refused_properly(target, param, value, tmp_path)

    check()


@pytest.mark.parametrize(("target", "param"), BOUNDED)
def test_values_out_of_range_raise_a_named_factcheck_error(
    target: Target, param: Param, tmp_path: Path
) -> None:
    kind = _numeric_kind(param.annotation)
    assert kind is not None
    strategy = outside(param.validator, kind)
    if strategy is None:
        pytest.skip("the validator bounds nothing")

    @SETTINGS
    @given(value=strategy)
    def check(value: object) -> None:
        kwargs = base_kwargs(target, tmp_path)
        kwargs[param.name] = value
        with pytest.raises(FactcheckError) as info:
            _call(target, kwargs)
        problem = _names(info.value, param.name, value)
        assert problem is None, f"{target.qualname}({param.name}={value!r}): {problem}"

    check()


@pytest.mark.parametrize(("target", "param"), NUMERIC)
def test_extreme_numbers_are_taken_or_refused_with_a_named_factcheck_error(
    target: Target, param: Param, tmp_path: Path
) -> None:
    kind = _numeric_kind(param.annotation)
    assert kind is not None

    @SETTINGS
    @given(value=extreme_numbers(kind))
    def check(value: object) -> None:
        _accepted_or_refused_properly(target, param, value, tmp_path)

    check()


JUNK_ARRAYS = st.sampled_from(
    ["x", _Opaque(), [[1.0, "a"]], [[math.nan]], [[math.inf, 0.0]], {"a": 1}, [[[1.0]]], []]
)


@pytest.mark.parametrize(("target", "param"), ARRAY_LIKE)
def test_array_arguments_of_the_wrong_shape_or_kind_raise_a_named_factcheck_error(
    target: Target, param: Param, tmp_path: Path
) -> None:
    @SETTINGS
    @given(value=JUNK_ARRAYS)
    def check(value: object) -> None:
        _accepted_or_refused_properly(target, param, value, tmp_path)

    check()


def test_the_checks_here_catch_a_plain_value_error(tmp_path: Path) -> None:
    """The contract checks can fail: a class raising plain ValueError, or naming
    neither the field nor the value, is caught."""

    def bad(instance: object, attribute: Any, value: float) -> None:
        if isinstance(value, float) and value > 1:
            raise ValueError("too large")

    @attrs.frozen(kw_only=True)
    class Plain:
        level: float = attrs.field(default=0.5, validator=bad)

    target = _class_target("tests.Plain", Plain)
    param = target.params[0]
    with pytest.raises(pytest.fail.Exception, match="not a FactcheckError"):
        _accepted_or_refused_properly(target, param, 2.0, tmp_path)
    with pytest.raises(AssertionError, match="stored 'x'"):
        _refused_properly(target, param, "x", tmp_path)

    @attrs.frozen(kw_only=True, field_transformer=validation.typed)
    class Typed:
        level: float = attrs.field(default=0.5, validator=validation.in_range(0.0, 1.0))

    typed = _class_target("tests.Typed", Typed)
    _refused_properly(typed, typed.params[0], "x", tmp_path)
    _accepted_or_refused_properly(typed, typed.params[0], 2.0, tmp_path)
    with pytest.raises(factcheck.ConfigError, match=r"level must lie in \[0.0, 1.0\], got 2.0"):
        Typed(level=2.0)
