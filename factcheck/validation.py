"""Checks of configuration values and record fields, with errors that name both.

Every value factcheck refuses is refused with a :class:`~factcheck.errors.FactcheckError`
subclass whose message names the field (or parameter) and shows the value
received (``threshold must lie in [0.0, 1.0], got 1.5``):
:class:`~factcheck.errors.ConfigError` for configuration and function
arguments, :class:`~factcheck.errors.RecordError` for records. This module holds
the pieces, so each stage states a constraint once:

- :func:`typed`, an attrs ``field_transformer``: every field of the class is
  checked against its type annotation (:func:`matches`), a plain string is
  refused for a collection field (``"abc"`` is not three claim ids), and the
  field's own validator and converter are restated in the contract's terms.
  :func:`typed_as` does the same with another error type.
- :func:`checked`, a decorator that checks the annotated arguments of a function.
- Validators (:func:`in_range`, :func:`positive_int`, :func:`non_negative_int`,
  :func:`non_empty_str`, :func:`instance_of`, :func:`one_of`, :func:`optional`):
  each is a :class:`Validator`, usable as an attrs validator or on a plain
  value with :meth:`Validator.check`, which says what it accepts (``bounds``,
  ``types``) so that tests can derive bad values from it.
- Converters (:func:`to_float`, :func:`to_path`, :func:`to_optional_path`) that
  raise :class:`Refused`, which :func:`typed` restates with the field's name.

Examples
--------
>>> import attrs
>>> from factcheck import validation
>>> @attrs.frozen(slots=True, kw_only=True, field_transformer=validation.typed)
... class Settings:
...     threshold: float = attrs.field(default=0.5, validator=validation.in_range(0.0, 1.0))
...     rounds: int = attrs.field(default=3, validator=validation.positive_int())
...     name: str | None = None
>>> Settings(threshold=0.25).threshold
0.25
>>> Settings(threshold=1.5)
Traceback (most recent call last):
...
factcheck.errors.ConfigError: threshold must lie in [0.0, 1.0], got 1.5
>>> Settings(rounds="3")
Traceback (most recent call last):
...
factcheck.errors.ConfigError: rounds must be int, got '3' (str)
>>> Settings(name=7)
Traceback (most recent call last):
...
factcheck.errors.ConfigError: name must be str or None, got 7
>>> validation.positive_int().check("workers", 0)
Traceback (most recent call last):
...
factcheck.errors.ConfigError: workers must be a positive integer, got 0
"""

from __future__ import annotations

import collections.abc as cabc
import functools
import inspect
import itertools
import math
import numbers
import os
import threading
import types
import typing
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import numpy as np
import numpy.typing as npt

from factcheck.errors import ConfigError, FactcheckError

__all__ = [
    "Refused",
    "Validator",
    "checked",
    "describe",
    "in_range",
    "instance_of",
    "matches",
    "non_empty_str",
    "non_negative_int",
    "one_of",
    "optional",
    "positive_int",
    "shown",
    "to_float",
    "to_optional_path",
    "to_path",
    "typed",
    "typed_as",
]

if TYPE_CHECKING:
    Field = attrs.Attribute[Any]
else:  # attrs.Attribute takes no type argument at run time
    Field = attrs.Attribute

T = TypeVar("T")
ErrorType = type[FactcheckError]

_SHOWN = 80


def shown(value: object) -> str:
    """``repr(value)``, cut to 80 characters, with its type unless the repr shows it.

    Examples
    --------
    >>> shown("3"), shown(1.5), shown(None), shown("x" * 100)[-9:]
    ("'3' (str)", '1.5', 'None', '... (str)')
    """
    try:
        text = repr(value)
    except Exception:  # a broken __repr__ must not hide the real error
        text = f"<{type(value).__name__} object>"
    if len(text) > _SHOWN:
        text = text[: _SHOWN - 3] + "..."
    kind = type(value)
    if value is None or kind in (int, float, bool) or text.startswith(f"{kind.__name__}("):
        return text
    return f"{text} ({kind.__qualname__})"


def _bad(error: ErrorType, name: str, rule: str, value: object) -> FactcheckError:
    """``error("NAME must RULE, got VALUE")``; ``rule`` is a verb phrase (``be an int``)."""
    return error(f"{name} must {rule}, got {shown(value)}")


# ---------------------------------------------------------------------------
# Matching values against annotations

Predicate = Callable[[object], bool]
_ARRAY_LIKE: Any = npt.ArrayLike
_STRINGS = (str, bytes, bytearray)


def _protocol_members(cls: type) -> list[str]:
    names: list[str] = []
    for base in cls.__mro__:
        if base in (object, typing.Generic) or getattr(base, "_is_protocol", False) is False:
            continue
        if base.__name__ == "Protocol":
            continue
        for name in [*vars(base), *getattr(base, "__annotations__", {})]:
            if not name.startswith("_") and name not in names:
                names.append(name)
    return names


_INTS: tuple[type, ...] = (int, np.integer)
_REALS: tuple[type, ...] = (int, float, np.integer, np.floating)
_BOOLS: tuple[type, ...] = (bool, np.bool_)


def _simple(tp: Any) -> tuple[tuple[type, ...], bool] | None:
    """``(classes, refuse_bool)`` when ``isinstance(v, classes)`` (and, if
    ``refuse_bool``, not a ``bool``) is exactly the check of ``tp``; else None.

    That is the fast path for the plain classes, numbers, enums and optional
    forms of them that most fields are annotated with.
    """
    if tp is None or tp is type(None):
        return (type(None),), False
    if tp is bool:
        return _BOOLS, False
    if tp is int:
        return _INTS, True
    if tp is float:
        return _REALS, True
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        parts = [_simple(a) for a in typing.get_args(tp)]
        if any(p is None for p in parts):
            return None
        found = [p for p in parts if p is not None]
        classes = tuple(dict.fromkeys(c for p, _ in found for c in p))
        takes_bool = any(p is _BOOLS for p, _ in found)
        return classes, any(no for _, no in found) and not takes_bool
    if (
        origin is None
        and isinstance(tp, type)
        and not getattr(tp, "_is_protocol", False)
        and tp not in (cabc.Iterable, cabc.Sequence, cabc.Collection, object)
    ):
        return (tp,), False
    return None


def _of_classes(classes: tuple[type, ...], refuse_bool: bool) -> Predicate:
    if refuse_bool:
        return lambda v: isinstance(v, classes) and v.__class__ is not bool
    return lambda v: isinstance(v, classes)


def _compile(tp: Any) -> Predicate | None:
    """A predicate for ``isinstance``-like matching of ``tp``; ``None`` means anything goes."""
    if tp is Any or tp is object or tp == _ARRAY_LIKE or isinstance(tp, TypeVar | str):
        return None
    simple = _simple(tp)
    if simple is not None:
        return _of_classes(*simple)
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Union or origin is types.UnionType:
        plain = [a for a in args if _simple(a) is not None]
        parts = [_compile(a) for a in args if _simple(a) is None]
        if any(p is None for p in parts):
            return None
        checks = [p for p in parts if p is not None]
        if plain and len(checks) == 1:
            classes, refuse_bool = _simple(typing.Union[tuple(plain)]) or ((), False)  # noqa: UP007
            rest = checks[0]
            if refuse_bool:
                return lambda v: (isinstance(v, classes) and v.__class__ is not bool) or rest(v)
            return lambda v: isinstance(v, classes) or rest(v)
        if plain:
            checks.append(_of_classes(*(_simple(typing.Union[tuple(plain)]) or ((), False))))  # noqa: UP007
        return lambda v: any(check(v) for check in checks)
    if origin is typing.Literal:
        allowed = args
        return lambda v: any(type(v) is type(a) and v == a for a in allowed)
    if origin is typing.Annotated:
        return _compile(args[0])
    if origin is type:
        target = args[0] if args and isinstance(args[0], type) else object
        return lambda v: isinstance(v, type) and issubclass(v, target)
    if origin is not None and origin in (cabc.Callable, Callable):
        return callable
    if tp is bool:
        return lambda v: isinstance(v, bool | np.bool_)
    if tp is int:
        return lambda v: isinstance(v, numbers.Integral) and not isinstance(v, bool | np.bool_)
    if tp is float:
        return lambda v: isinstance(v, numbers.Real) and not isinstance(v, bool | np.bool_)
    if origin is np.ndarray:
        dtype = typing.get_args(args[1])[0] if len(args) == 2 and typing.get_args(args[1]) else Any
        if isinstance(dtype, type) and issubclass(dtype, np.generic):
            wanted = np.dtype(dtype)
            return lambda v: isinstance(v, np.ndarray) and v.dtype == wanted
        return lambda v: isinstance(v, np.ndarray)
    if origin is tuple:
        if not args or args == ((),):
            return lambda v: isinstance(v, tuple)
        if len(args) == 2 and args[1] is Ellipsis:
            simple_item = _simple(args[0])
            if simple_item is not None:
                item_classes, item_no_bool = simple_item

                def fits_items(v: object) -> bool:
                    return (
                        isinstance(v, tuple)
                        and all(map(isinstance, v, itertools.repeat(item_classes)))
                        and not (item_no_bool and bool in map(type, v))
                    )

                return fits_items
            item = _compile(args[0])
            if item is None:
                return lambda v: isinstance(v, tuple)
            every: Predicate = item
            return lambda v: isinstance(v, tuple) and all(every(x) for x in v)
        simple_parts = [_simple(a) for a in args]
        if all(p is not None for p in simple_parts):
            size = len(args)
            pairs = [p for p in simple_parts if p is not None]

            part_classes = [classes for classes, _ in pairs]
            no_bool_at = [k for k, (_, no_bool) in enumerate(pairs) if no_bool]

            if len(no_bool_at) == size:  # (int, int) spans and the like

                def fits_all_numbers(v: Any) -> bool:
                    return (
                        isinstance(v, tuple)
                        and len(v) == size
                        and all(map(isinstance, v, part_classes))
                        and bool not in map(type, v)
                    )

                return fits_all_numbers

            def fits_simple_fixed(v: Any) -> bool:
                return (
                    isinstance(v, tuple)
                    and len(v) == size
                    and all(map(isinstance, v, part_classes))
                    and all(v[k].__class__ is not bool for k in no_bool_at)
                )

            return fits_simple_fixed
        fixed = [_compile(a) for a in args]

        def fits_fixed(v: object) -> bool:
            return (
                isinstance(v, tuple)
                and len(v) == len(fixed)
                and all(p is None or p(x) for p, x in zip(fixed, v, strict=True))
            )

        return fits_fixed
    if origin is not None and isinstance(origin, type):
        container = origin
        if issubclass(container, cabc.Mapping):
            keys = _compile(args[0]) if args else None
            values = _compile(args[1]) if len(args) > 1 else None
            return lambda v: (
                isinstance(v, container)
                and all(
                    (keys is None or keys(k)) and (values is None or values(x))
                    for k, x in v.items()
                )
            )
        each = _compile(args[0]) if args else None
        sized = issubclass(container, cabc.Collection) and not issubclass(container, cabc.Iterator)
        if each is None or not sized:
            return lambda v: isinstance(v, container) and not isinstance(v, _STRINGS)
        element = each

        def fits_collection(v: Any) -> bool:
            if not isinstance(v, container) or isinstance(v, _STRINGS):
                return False
            items = typing.cast(Iterable[Any], v)
            return all(element(x) for x in items)

        return fits_collection
    if isinstance(tp, type):
        if getattr(tp, "_is_protocol", False):
            if getattr(tp, "_is_runtime_protocol", False):
                return lambda v: isinstance(v, tp)
            members = _protocol_members(tp)
            return lambda v: all(hasattr(v, name) for name in members)
        if tp in (cabc.Iterable, cabc.Sequence, cabc.Collection):
            return lambda v: isinstance(v, tp) and not isinstance(v, _STRINGS)
        return lambda v: isinstance(v, tp)
    return None


@functools.cache
def _cached_predicate(tp: Any) -> Predicate | None:
    return _compile(tp)


def _predicate(tp: Any) -> Predicate | None:
    try:
        return _cached_predicate(tp)
    except TypeError:  # unhashable annotation
        return _compile(tp)


def matches(value: object, annotation: Any) -> bool:
    """Whether ``value`` fits a type annotation, as factcheck checks it at run time.

    ``bool`` is not an ``int`` here, ``int`` is a ``float``, a plain string is
    not a collection of strings, elements of tuples, lists, sets and mappings
    are checked, a protocol is matched by its members, ``npt.NDArray[X]`` by
    dtype, and ``npt.ArrayLike`` accepts anything (functions taking it check
    shapes and values themselves).

    Examples
    --------
    >>> matches(3, float), matches(True, int), matches(("a", "b"), tuple[str, ...])
    (True, False, True)
    >>> matches("ab", tuple[str, ...]), matches(None, int | None)
    (False, True)
    """
    check = _predicate(annotation)
    return check is None or check(value)


def describe(annotation: Any) -> str:
    """An annotation in words, for messages: ``str or None``, ``tuple of Fact``.

    Examples
    --------
    >>> describe(int | None), describe(tuple[str, ...]), describe(tuple[int, int])
    ('int or None', 'tuple of str', 'tuple (int, int)')
    """
    if annotation is None or annotation is type(None):
        return "None"
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Union or origin is types.UnionType:
        named = [describe(a) for a in args if a is not type(None)]
        if type(None) in args:
            named.append("None")
        return " or ".join(named)
    if origin is typing.Literal:
        return "one of " + ", ".join(repr(a) for a in args)
    if origin is tuple and args:
        if len(args) == 2 and args[1] is Ellipsis:
            return f"tuple of {describe(args[0])}"
        return "tuple (" + ", ".join(describe(a) for a in args) + ")"
    if origin is np.ndarray:
        dtype = typing.get_args(args[1])[0] if len(args) == 2 and typing.get_args(args[1]) else Any
        name = getattr(dtype, "__name__", None)
        return f"numpy array of {name}" if name and dtype is not Any else "numpy array"
    if origin is not None:
        name = str(getattr(origin, "__name__", origin))
        if args:
            return f"{name} of " + ", ".join(describe(a) for a in args)
        return name
    return str(getattr(annotation, "__qualname__", None) or annotation)


# ---------------------------------------------------------------------------
# Validators


class Validator:
    """An attrs validator ``(instance, attribute, value)`` that raises a named error.

    ``rule`` is what a value must do, as a verb phrase (``"be a positive
    integer"``, ``"lie in [0, 1]"``); the error reads ``NAME must RULE, got
    VALUE``. ``bounds`` is ``(low, high, low_inclusive, high_inclusive)`` for a
    number range (``None`` for an open side) and ``types`` the accepted types
    where the validator restricts them: both are there for introspection
    (tests derive bad values from them). :meth:`check` validates a plain value
    under a name, for function arguments.
    """

    __slots__ = ("_test", "bounds", "error", "rule", "types")

    def __init__(
        self,
        test: Callable[[object], bool],
        rule: str,
        *,
        error: ErrorType = ConfigError,
        bounds: tuple[float | None, float | None, bool, bool] | None = None,
        types: tuple[type, ...] | None = None,
    ) -> None:
        self._test = test
        self.rule = rule
        self.error = error
        self.bounds = bounds
        self.types = types

    def __call__(self, instance: object, attribute: Field, value: object) -> None:
        self.check(attribute.name, value)

    def accepts(self, value: object) -> bool:
        """Whether ``value`` passes (never raises)."""
        try:
            return bool(self._test(value))
        except (TypeError, ValueError, ArithmeticError):
            return False

    def check(self, name: str, value: T) -> T:
        """Return ``value`` if it passes, else raise ``error`` naming ``name`` and the value."""
        if not self.accepts(value):
            raise _bad(self.error, name, self.rule, value)
        return value

    def __repr__(self) -> str:
        return f"<factcheck validator: must {self.rule}>"


def _real(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def _integer(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool | np.bool_)


def in_range(
    low: float | None = None,
    high: float | None = None,
    *,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
    integer: bool = False,
    error: ErrorType = ConfigError,
) -> Validator:
    """A real number (not a bool, not NaN) in ``[low, high]``; ``None`` leaves a side open.

    ``integer=True`` asks for an integer. Open ends are written ``(`` / ``)``.

    Examples
    --------
    >>> in_range(0.0, 1.0, high_inclusive=False).check("approximate", 1.0)
    Traceback (most recent call last):
    ...
    factcheck.errors.ConfigError: approximate must lie in [0.0, 1.0), got 1.0
    >>> in_range(0, None, integer=True).check("start", 4)
    4
    """
    for side, bound in (("low", low), ("high", high)):
        if bound is not None and (not _real(bound) or math.isnan(bound)):
            raise _bad(ConfigError, side, "be a real number or None", bound)
    for side, flag in (("low_inclusive", low_inclusive), ("high_inclusive", high_inclusive)):
        if not isinstance(flag, bool):
            raise _bad(ConfigError, side, "be a bool", flag)
    kind = _integer if integer else _real

    def test(value: object) -> bool:
        if not kind(value):
            return False
        number = float(value)  # type: ignore[arg-type]
        if math.isnan(number):
            return False
        if low is not None and (number < low or (number == low and not low_inclusive)):
            return False
        return not (high is not None and (number > high or (number == high and not high_inclusive)))

    what = "an integer" if integer else "a number"
    if low is not None and high is not None:
        interval = f"{'[' if low_inclusive else '('}{low}, {high}{']' if high_inclusive else ')'}"
        rule = f"be an integer in {interval}" if integer else f"lie in {interval}"
    elif low is not None:
        rule = f"be {what} {'>=' if low_inclusive else '>'} {low}"
    elif high is not None:
        rule = f"be {what} {'<=' if high_inclusive else '<'} {high}"
    else:
        rule = f"be {what} (not NaN)"
    return Validator(
        test,
        rule,
        error=error,
        bounds=(low, high, low_inclusive, high_inclusive),
        types=(int,) if integer else (int, float),
    )


def positive_int(*, error: ErrorType = ConfigError) -> Validator:
    """An ``int`` (not a bool) ``>= 1``."""
    return Validator(
        lambda v: _integer(v) and v >= 1,  # type: ignore[operator]
        "be a positive integer",
        error=error,
        bounds=(1, None, True, True),
        types=(int,),
    )


def non_negative_int(*, error: ErrorType = ConfigError) -> Validator:
    """An ``int`` (not a bool) ``>= 0``."""
    return Validator(
        lambda v: _integer(v) and v >= 0,  # type: ignore[operator]
        "be an integer >= 0",
        error=error,
        bounds=(0, None, True, True),
        types=(int,),
    )


def non_empty_str(*, strip: bool = False, error: ErrorType = ConfigError) -> Validator:
    """A ``str`` with at least one character (``strip=True``: one that is not whitespace)."""
    if strip:
        return Validator(
            lambda v: isinstance(v, str) and bool(v.strip()),
            "be a non-blank string",
            error=error,
            types=(str,),
        )
    return Validator(
        lambda v: isinstance(v, str) and bool(v),
        "be a non-empty string",
        error=error,
        types=(str,),
    )


def instance_of(*classes: type, error: ErrorType = ConfigError) -> Validator:
    """An instance of one of ``classes`` (``bool`` does not pass for ``int``)."""
    if not classes or not all(isinstance(c, type) for c in classes):
        raise _bad(ConfigError, "classes", "be one or more types", classes)
    annotation: Any = classes[0] if len(classes) == 1 else typing.Union[classes]  # noqa: UP007
    check = _predicate(annotation) or (lambda v: True)
    return Validator(check, f"be {describe(annotation)}", error=error, types=tuple(classes))


def one_of(choices: Iterable[object], *, error: ErrorType = ConfigError) -> Validator:
    """One of a fixed set of values (compared by type and value)."""
    allowed = tuple(choices)
    if not allowed:
        raise _bad(ConfigError, "choices", "be a non-empty collection", allowed)
    return Validator(
        lambda v: any(type(v) is type(a) and v == a for a in allowed),
        "be one of " + ", ".join(repr(a) for a in allowed),
        error=error,
    )


def optional(validator: Validator) -> Validator:
    """``None``, or a value ``validator`` accepts."""
    if not isinstance(validator, Validator):
        raise _bad(ConfigError, "validator", "be a factcheck.validation.Validator", validator)
    inner = validator
    return Validator(
        lambda v: v is None or inner.accepts(v),
        f"be None or {inner.rule.removeprefix('be ')}",
        error=inner.error,
        bounds=inner.bounds,
        types=inner.types,
    )


# ---------------------------------------------------------------------------
# Converters


class Refused(ConfigError):
    """A converter refused a value; a class checked by :func:`typed` restates it
    as ``FIELD must RULE, got VALUE`` in the class's error type."""

    def __init__(self, rule: str, value: object) -> None:
        self.rule = rule
        self.value = value
        super().__init__(f"value must {rule}, got {shown(value)}")


def to_float(value: object) -> float:
    """An attrs converter: a real number (not a bool, not a string) as ``float``."""
    if not _real(value):
        raise Refused("be a real number", value)
    return float(value)  # type: ignore[arg-type]


def to_path(value: object) -> Path:
    """An attrs converter: a ``str`` or ``os.PathLike`` as :class:`pathlib.Path`."""
    if isinstance(value, str | os.PathLike):
        try:
            return Path(value)
        except TypeError:  # a PathLike whose __fspath__ returns bytes
            pass
    raise Refused("be a path (str or os.PathLike)", value)


def to_optional_path(value: object) -> Path | None:
    """:func:`to_path`, passing ``None`` through."""
    if value is None:
        return None
    try:
        return to_path(value)
    except Refused:
        raise Refused("be a path (str or os.PathLike) or None", value) from None


# ---------------------------------------------------------------------------
# Classes and functions that check their annotations


class _Hints:
    """Type hints of one class or function, resolved on first use (after the
    module that defines it has finished importing)."""

    __slots__ = ("_lock", "_owner", "_resolved")

    def __init__(self, owner: Any) -> None:
        self._owner = owner
        self._resolved: dict[str, Any] | None = None
        self._lock = threading.Lock()

    def get(self, name: str) -> Any:
        resolved = self._resolved
        if resolved is None:
            with self._lock:
                if self._resolved is None:
                    try:
                        self._resolved = typing.get_type_hints(self._owner)
                    except Exception:  # an annotation that cannot be evaluated: no check
                        self._resolved = {}
                resolved = self._resolved
        return resolved.get(name, Any)


def _is_collection(annotation: Any) -> bool:
    origin = typing.get_origin(annotation) or annotation
    if origin is typing.Union or origin is types.UnionType:
        return any(_is_collection(a) for a in typing.get_args(annotation))
    return (
        isinstance(origin, type)
        and issubclass(origin, cabc.Iterable)
        and not issubclass(origin, _STRINGS)
        and origin is not np.ndarray
    )


def _restated(error: ErrorType, name: str, value: object, exc: BaseException) -> FactcheckError:
    if isinstance(exc, Refused):
        return _bad(error, name, exc.rule, value)
    message = str(exc)
    if name not in message:
        message = f"{name}: {message}"
    if shown(value) not in message and repr(value) not in message:
        message += f" (got {shown(value)})"
    return error(message)


_PENDING: Any = object()


class _FieldCheck:
    """The validator :func:`typed` puts on a field: its annotation, then its own validator.

    Most annotations are plain classes (or optional ones); those are checked
    with one inline ``isinstance``, the rest with a compiled predicate. This
    runs for every field of every record the pipeline makes, so it is kept
    to a few attribute loads on the common path.
    """

    __slots__ = (
        "_check",
        "_classes",
        "_no_bool",
        "_optional",
        "_test",
        "error",
        "hints",
        "inner",
        "name",
    )

    def __init__(self, hints: _Hints, name: str, inner: Any, error: ErrorType) -> None:
        self.hints = hints
        self.name = name
        self.inner = inner
        self.error = error
        self._check: Predicate | None = _PENDING
        self._classes: tuple[type, ...] = ()
        self._no_bool = False
        self._optional = False
        # A factcheck Validator's test runs inline; any other validator is called.
        self._test: Callable[[object], bool] | None = (
            inner._test if isinstance(inner, Validator) else None
        )

    def _compile(self) -> None:
        annotation = self.hints.get(self.name)
        simple = None if annotation is Any else _simple(annotation)
        self._check = _predicate(annotation)
        if simple is not None:
            self._classes, self._no_bool = simple
            self._check = None
            return
        args = typing.get_args(annotation)
        if typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(None) in args:
            # X | None: None passes inline, the rest goes to X's predicate.
            others = [a for a in args if a is not type(None)]
            rest = others[0] if len(others) == 1 else typing.Union[tuple(others)]  # noqa: UP007
            self._check = _predicate(rest)
            self._optional = True

    def _fail(self, value: object) -> FactcheckError:
        return _bad(self.error, self.name, f"be {describe(self.hints.get(self.name))}", value)

    def annotation(self, value: object) -> None:
        """Check ``value`` against the annotation only."""
        if self._check is _PENDING:
            self._compile()
        if self._classes:
            if not isinstance(value, self._classes) or (self._no_bool and value.__class__ is bool):
                raise self._fail(value)
            return
        if value is None and self._optional:
            return
        check = self._check
        if check is not None and not check(value):
            raise self._fail(value)

    def validator(self) -> Callable[[object, Field, object], None]:
        """The attrs validator: a closure, since attrs calls it for every field of
        every record made (a closure call costs half a method call)."""
        holder = self
        classes: tuple[type, ...] = ()
        no_bool = optional = False
        check: Predicate | None = None
        compiled = False
        test = self._test
        inner = self.inner

        def validate(instance: object, attribute: Field, value: object) -> None:
            nonlocal classes, no_bool, optional, check, compiled
            if classes:
                if not isinstance(value, classes) or (no_bool and value.__class__ is bool):
                    raise holder._fail(value)
            elif check is not None:
                if not (optional and value is None) and not check(value):
                    raise holder._fail(value)
            elif not compiled:
                holder.annotation(value)  # compiles; raises on a wrong type
                classes, no_bool = holder._classes, holder._no_bool
                optional, check, compiled = holder._optional, holder._check, True
            if test is not None:
                try:
                    good = test(value)
                except (TypeError, ValueError, ArithmeticError):
                    good = False
                if not good:
                    raise _bad(holder.error, attribute.name, inner.rule, value)
                return
            if inner is None:
                return
            try:
                inner(instance, attribute, value)
            except FactcheckError:
                raise
            except (TypeError, ValueError, ArithmeticError) as exc:
                raise _restated(holder.error, attribute.name, value, exc) from None

        # For introspection (tests read the field's own validator from here).
        setattr(validate, "field_check", self)  # noqa: B010
        return validate


def _checked_converter(converter: Any, check: _FieldCheck) -> attrs.Converter:  # type: ignore[type-arg]
    """Wrap a field's converter: refuse strings for collections, restate its errors,
    and check what it made against the annotation while the value given is known."""
    inner = converter
    takes_self = takes_field = False
    if isinstance(converter, attrs.Converter):
        inner = converter.converter  # type: ignore[attr-defined]
        takes_self = converter.takes_self  # type: ignore[attr-defined]
        takes_field = converter.takes_field  # type: ignore[attr-defined]
    collection: list[bool] = []
    name, error = check.name, check.error

    def convert(value: object, instance: object, field: Field) -> object:
        if not collection:
            collection.append(_is_collection(check.hints.get(name)))
        if collection[0] and isinstance(value, _STRINGS):
            raise _bad(error, name, f"be {describe(check.hints.get(name))}", value)
        args: list[object] = [value]
        if takes_self:
            args.append(instance)
        if takes_field:
            args.append(field)
        try:
            made = inner(*args)
        except Refused as exc:
            raise _bad(error, name, exc.rule, value) from None
        except FactcheckError:
            raise
        except (TypeError, ValueError, ArithmeticError) as exc:
            raise _restated(error, name, value, exc) from None
        try:
            check.annotation(made)
        except FactcheckError:
            raise _bad(error, name, f"be {describe(check.hints.get(name))}", value) from None
        return made

    return attrs.Converter(convert, takes_self=True, takes_field=True)


FieldTransformer = Callable[[type, list[Field]], list[Field]]


def typed_as(error: ErrorType) -> FieldTransformer:
    """:func:`typed`, raising ``error`` (a :class:`FactcheckError` subclass) instead of ConfigError.

    Records use ``typed_as(RecordError)``.
    """
    if not (isinstance(error, type) and issubclass(error, FactcheckError)):
        raise _bad(ConfigError, "error", "be a FactcheckError subclass", error)

    def transform(cls: type, fields: list[Field]) -> list[Field]:
        hints = _Hints(cls)
        out = []
        for field in fields:
            if not field.init:
                out.append(field)
                continue
            check = _FieldCheck(hints, field.name, field.validator, error)
            converter = field.converter
            if converter is not None:
                converter = _checked_converter(converter, check)
            out.append(field.evolve(validator=check.validator(), converter=converter))
        return out

    return transform


def typed(cls: type, fields: list[Field]) -> list[Field]:
    """An attrs ``field_transformer`` that checks every field against its annotation.

    Use it as ``@attrs.frozen(slots=True, field_transformer=validation.typed)``.
    Every ``init`` field then gets, before its own validator, a check of its
    type annotation (see :func:`matches`): a value of the wrong type raises
    :class:`ConfigError` naming the field and the value. The field's own
    validator and converter run as before; a :class:`Validator` that refuses,
    a converter that raises :class:`Refused`, and a ``ValueError`` /
    ``TypeError`` of any other validator or converter are restated as
    ``FIELD must RULE, got VALUE``. A plain string given for a collection field
    is refused before any converter runs, and what a converter made is checked
    against the annotation. Validators also run on assignment for mutable
    (``attrs.define``) classes.
    """
    return _TYPED(cls, fields)


_TYPED = typed_as(ConfigError)


F = TypeVar("F", bound=Callable[..., Any])


def checked(function: F) -> F:
    """Check a function's annotated arguments on every call; wrong types raise :class:`ConfigError`.

    Arguments annotated ``Any``, ``object`` or ``npt.ArrayLike`` and ``*args`` /
    ``**kwargs`` are not checked (the function checks those itself). The
    check costs about a microsecond a call.

    Examples
    --------
    >>> @checked
    ... def scale(values: list[float], *, factor: float = 2.0) -> list[float]:
    ...     return [v * factor for v in values]
    >>> scale([1.0], factor=3)
    [3.0]
    >>> scale([1.0], factor="3")
    Traceback (most recent call last):
    ...
    factcheck.errors.ConfigError: factor must be float, got '3' (str)
    """
    if not callable(function):
        raise _bad(ConfigError, "function", "be a function", function)
    signature = inspect.signature(function)
    names = [
        p.name
        for p in signature.parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    checkable = {
        p.name
        for p in signature.parameters.values()
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    }
    hints = _Hints(function)
    compiled: dict[str, Predicate | None] = {}
    lock = threading.Lock()

    def predicates() -> dict[str, Predicate | None]:
        if not compiled:
            with lock:
                if not compiled:
                    found = {name: _predicate(hints.get(name)) for name in checkable}
                    compiled.update(found)
        return compiled

    def fail(name: str, value: object) -> FactcheckError:
        return _bad(ConfigError, name, f"be {describe(hints.get(name))}", value)

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        checks = compiled or predicates()
        for name, value in zip(names, args, strict=False):
            check = checks.get(name)
            if check is not None and not check(value):
                raise fail(name, value)
        for name, value in kwargs.items():
            check = checks.get(name)
            if check is not None and not check(value):
                raise fail(name, value)
        return function(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
