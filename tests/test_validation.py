"""factcheck.validation: the validators, the annotation checks, and their messages."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, Protocol

import attrs
import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcheck import validation
from factcheck.errors import ConfigError, FactcheckError, RecordError


class _Speaker(Protocol):
    def speak(self) -> str: ...


class _Loud:
    def speak(self) -> str:
        return "!"


@pytest.mark.parametrize(
    ("value", "annotation", "expected"),
    [
        (1, int, True),
        (True, int, False),
        (np.int64(3), int, True),
        (1, float, True),
        (np.float32(0.5), float, True),
        ("1", float, False),
        (None, int | None, True),
        ("a", str | None, True),
        (("a", "b"), tuple[str, ...], True),
        (("a", 1), tuple[str, ...], False),
        ("ab", tuple[str, ...], False),
        ((1, 2), tuple[int, int], True),
        ((1, 2, 3), tuple[int, int], False),
        (["a"], Sequence[str], True),
        ("a", Sequence[str], False),
        ({"a": 1}, Mapping[str, int], True),
        ({1: 1}, Mapping[str, int], False),
        ((x for x in "ab"), Iterable[str], True),  # not consumed
        ("ab", Iterable[str], False),
        (frozenset({"a"}), frozenset[str], True),
        (np.zeros(2, dtype=np.int64), npt.NDArray[np.int64], True),
        (np.zeros(2), npt.NDArray[np.int64], False),
        ("anything", npt.ArrayLike, True),
        (_Loud(), _Speaker, True),
        (object(), _Speaker, False),
        ("x", Literal["x", "y"], True),
        ("z", Literal["x", "y"], False),
        (dt.date(2024, 1, 1), dt.date, True),
        (Path("a"), Path, True),
        ("a", Path, False),
        (object(), Any, True),
    ],
)
def test_matches(value: object, annotation: Any, expected: bool) -> None:
    assert validation.matches(value, annotation) is expected


def test_messages_name_the_field_and_show_the_value() -> None:
    assert validation.shown("x" * 200).endswith("... (str)")
    assert len(validation.shown("x" * 200)) < 100
    with pytest.raises(ConfigError, match=r"^k must be a positive integer, got True$"):
        validation.positive_int().check("k", True)
    with pytest.raises(RecordError, match=r"^start must be an integer >= 0, got -1$"):
        validation.non_negative_int(error=RecordError).check("start", -1)
    with pytest.raises(ConfigError, match=r"^x must lie in \(0, 1\], got 0$"):
        validation.in_range(0, 1, low_inclusive=False).check("x", 0)
    with pytest.raises(ConfigError, match=r"^x must be a number >= 2, got nan$"):
        validation.in_range(2).check("x", math.nan)
    with pytest.raises(ConfigError, match=r"^mode must be one of 'a', 'b', got 'c' \(str\)$"):
        validation.one_of(["a", "b"]).check("mode", "c")
    with pytest.raises(ConfigError, match=r"^name must be None or a non-empty string, got ''"):
        validation.optional(validation.non_empty_str()).check("name", "")
    with pytest.raises(ConfigError, match=r"^low must be a real number or None, got 'a'"):
        validation.in_range("a")  # type: ignore[arg-type]


@given(st.floats(allow_nan=True) | st.integers() | st.booleans() | st.text(max_size=3))
def test_in_range_accepts_exactly_the_interval(value: object) -> None:
    check = validation.in_range(-1.0, 1.0, high_inclusive=False)
    inside = (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and not math.isnan(value)
        and -1.0 <= value < 1.0
    )
    assert check.accepts(value) is inside
    assert check.bounds == (-1.0, 1.0, True, False)


@attrs.frozen(slots=True, kw_only=True, field_transformer=validation.typed)
class _Settings:
    level: float = attrs.field(default=0.5, validator=validation.in_range(0.0, 1.0))
    names: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    folder: Path | None = attrs.field(default=None, converter=validation.to_optional_path)
    legacy: int = attrs.field(default=1, validator=lambda i, a, v: _legacy(v))


def _legacy(value: int) -> None:
    if value > 5:
        raise ValueError("is too large")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"level": "0.5"}, r"^level must be float, got '0.5' \(str\)$"),
        ({"level": 2.0}, r"^level must lie in \[0.0, 1.0\], got 2.0$"),
        ({"names": "ab"}, r"^names must be tuple of str, got 'ab' \(str\)$"),
        ({"names": [1]}, r"^names must be tuple of str, got \[1\] \(list\)$"),
        ({"folder": 3}, r"^folder must be a path \(str or os.PathLike\) or None, got 3$"),
        ({"legacy": 9}, r"^legacy: is too large \(got 9\)$"),
    ],
)
def test_typed_classes_refuse_with_named_config_errors(
    kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        _Settings(**kwargs)


def test_typed_classes_still_convert() -> None:
    made = _Settings(level=1, names=["a"], folder="x")
    assert made == _Settings(level=1, names=("a",), folder=Path("x"))


def test_typed_as_raises_the_given_error() -> None:
    @attrs.frozen(slots=True, field_transformer=validation.typed_as(RecordError))
    class Span:
        start: int = attrs.field(validator=validation.non_negative_int())

    with pytest.raises(RecordError, match=r"^start must be an integer >= 0, got -2$"):
        Span(-2)
    with pytest.raises(ConfigError, match="error must be a FactcheckError subclass"):
        validation.typed_as(ValueError)  # type: ignore[arg-type]


def test_mutable_classes_check_on_assignment() -> None:
    @attrs.define(slots=True, field_transformer=validation.typed)
    class Counter:
        hits: int = 0

    counter = Counter()
    counter.hits += 1
    with pytest.raises(ConfigError, match="hits must be int"):
        counter.hits = "2"  # type: ignore[assignment]


def test_checked_functions() -> None:
    @validation.checked
    def scale(values: Sequence[float], *, factor: float = 2.0, note: Any = None) -> list[float]:
        return [v * factor for v in values]

    assert scale([1.0], factor=3, note=object()) == [3.0]
    assert scale.__name__ == "scale"
    with pytest.raises(ConfigError, match=r"^values must be Sequence of float, got '12'"):
        scale("12")
    with pytest.raises(ConfigError, match=r"^factor must be float, got None$"):
        scale([1.0], factor=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):  # an unknown keyword is Python's own error
        scale([1.0], size=2)  # type: ignore[call-arg]


def test_refused_is_a_config_error() -> None:
    with pytest.raises(FactcheckError, match="value must be a real number, got '1'"):
        validation.to_float("1")
    assert validation.to_float(np.float32(2.0)) == 2.0
    assert validation.to_path("a") == Path("a")
    assert validation.to_optional_path(None) is None
