"""The one error hierarchy of factcheck.

Every error that factcheck raises on bad input or configuration is a
:class:`FactcheckError`, so a caller can catch one type. Errors about one input
name that input's document id or path in their message; errors about a value
name the parameter or field and show the value received
(``threshold must lie in [-1, 1], got 1.5``). The subclasses that are about a
wrong value also derive from ``ValueError``, so ``except ValueError`` keeps
working.

>>> import factcheck
>>> try:
...     factcheck.Checker(neighbors=0)
... except factcheck.FactcheckError as error:
...     print(type(error).__name__, error)
ConfigError neighbors must be a positive integer, got 0
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "DocumentError",
    "FactcheckError",
    "ModelError",
    "RecordError",
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
    """A configuration value or function argument is out of range or of the wrong type."""


class RecordError(FactcheckError, ValueError):
    """A record (:class:`~factcheck.records.Claim`, :class:`~factcheck.records.Fact`, ...)
    was built with a field of the wrong type or out of range, or with fields that
    contradict each other (a span whose length is not its text's)."""
