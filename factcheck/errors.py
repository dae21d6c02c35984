"""The one error hierarchy of factcheck.

Every error that factcheck raises on purpose is a :class:`FactcheckError`, so a
caller can catch one type. Errors about one input name that input's document id
or path in their message.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "DocumentError",
    "FactcheckError",
    "FactcheckWarning",
    "ModelError",
]


class FactcheckError(Exception):
    """Base class of every error factcheck raises on purpose."""


class DocumentError(FactcheckError, ValueError):
    """An input document is unusable; the message names the document and why.

    Parameters
    ----------
    document : str
        The document id, or the path when no id is known yet.
    problem : str
        What is wrong with it, in words a user can act on.
    """

    def __init__(self, document: str, problem: str) -> None:
        self.document = document
        self.problem = problem
        super().__init__(f"document {document!r}: {problem}")


class ModelError(FactcheckError, RuntimeError):
    """An embedding model could not be found or loaded."""


class ConfigError(FactcheckError, ValueError):
    """A configuration value is out of range or of the wrong type."""


class FactcheckWarning(UserWarning):
    """Base class of every warning factcheck gives (input it had to cut, a cache it
    could not use); the command line prints them as one line each, or not at all
    with ``--quiet``."""
