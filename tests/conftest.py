"""Shared fixtures: the seed articles, and one real-model report of them per session."""

from __future__ import annotations

from pathlib import Path

import pytest

import factcheck

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


@pytest.fixture(scope="session")
def seed_documents(seed_paths: list[Path]) -> list[factcheck.Document]:
    return [factcheck.Document.from_path(p) for p in seed_paths]


@pytest.fixture(scope="session")
def seed_report(seed_documents: list[factcheck.Document]) -> factcheck.Report:
    """The seeds checked with the real default model (all-MiniLM-L6-v2)."""
    return factcheck.check(seed_documents)


_GAPS = Path(__file__).resolve().parent / "error_contract_gaps.txt"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Known error-contract gaps (``error_contract_gaps.txt``) run as strict xfail."""
    known = {
        line.strip()
        for line in _GAPS.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    for item in items:
        if item.nodeid in known:
            item.add_marker(
                pytest.mark.xfail(
                    strict=True, reason="known error-contract gap (tests/error_contract_gaps.txt)"
                )
            )
