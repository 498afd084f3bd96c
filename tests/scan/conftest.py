"""Helpers for scanner tests: fixture app paths and (method, path) lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.scan.model import Inventory

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "scan"


def routes(inventory: Inventory) -> list[tuple[str, str]]:
    return [(e.method, e.path) for e in inventory.endpoints]


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
