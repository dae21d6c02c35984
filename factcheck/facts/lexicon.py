"""Language data of the fact plug-ins, read from ``factcheck/resources/<language>/``.

Hand-written cue words (negation, hedging, attribution, role titles, action
verbs, grammar words) live in versioned JSON files, one per topic, so that the
Python code holds no word list. Each file is an object whose ``"version"``
says which revision of the data it is; the other keys are the lists and tables
the plug-ins read. Files are read once per process.

Examples
--------
>>> from factcheck.facts import lexicon
>>> "never" in lexicon.words("polarity", "negation_gate")
True
>>> lexicon.table("numbers", "units")["seven"]
7
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

from factcheck import validation
from factcheck.errors import ConfigError

__all__ = ["LANGUAGE", "load", "phrases", "table", "words"]

#: The language whose resources the rule extractor reads.
LANGUAGE = "en"


@functools.cache
def load(topic: str, language: str = LANGUAGE) -> dict[str, Any]:
    """The parsed ``resources/<language>/<topic>.json`` (cached).

    Raises
    ------
    ConfigError
        If the file is missing or is not a JSON object with a ``version``.
    """
    path = resources.files("factcheck").joinpath("resources", language, f"{topic}.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"cannot read language resource {topic!r} for language {language!r}: {exc}"
        ) from None
    if not isinstance(data, dict) or "version" not in data:
        raise ConfigError(
            f"language resource {topic!r} ({language!r}) must be an object with a version"
        )
    return data


def _entry(topic: str, name: str, language: str) -> Any:
    data = load(topic, language)
    if name not in data:
        raise ConfigError(f"language resource {topic!r} ({language!r}) has no entry {name!r}")
    return data[name]


@functools.cache
def words(topic: str, name: str, language: str = LANGUAGE) -> frozenset[str]:
    """A word list of a resource file as a set."""
    return frozenset(_entry(topic, name, language))


@validation.checked
def phrases(topic: str, name: str, language: str = LANGUAGE) -> tuple[str, ...]:
    """A list of a resource file, in file order."""
    return tuple(_entry(topic, name, language))


@validation.checked
def table(topic: str, name: str, language: str = LANGUAGE) -> dict[str, Any]:
    """A mapping of a resource file (a fresh copy)."""
    return dict(_entry(topic, name, language))
