"""Compatibility module: the fact extractor now lives in :mod:`factcheck.facts`.

``from factcheck.extracting import FactExtractor, RuleFactExtractor`` keeps working.
"""

from __future__ import annotations

from factcheck.facts.extractor import FactExtractor, RuleFactExtractor, reference_date

__all__ = ["FactExtractor", "RuleFactExtractor", "reference_date"]
