"""Typed facts of claims: one plug-in module per fact kind.

See :mod:`factcheck.facts.extractor` for the extractor and docs/facts.md for
how to add a fact kind or a language.
"""

from __future__ import annotations

from factcheck.facts.extractor import FactExtractor, RuleFactExtractor, reference_date

__all__ = ["FactExtractor", "RuleFactExtractor", "reference_date"]
