"""Helpers for scanner tests: fixture app paths and (method, path) lists."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from bot.scan.engine import extract_file, link
from bot.scan.model import Inventory

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "scan"


def scan_sources(files: dict[str, str]) -> Inventory:
    """Scan an in-memory tree: repository-relative path → (dedented) source."""
    return link({path: extract_file(path, dedent(text).encode()) for path, text in files.items()})


def routes(inventory: Inventory) -> list[tuple[str, str]]:
    return [(e.method, e.path) for e in inventory.endpoints]


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
