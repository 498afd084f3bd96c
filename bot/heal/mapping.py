"""The hits healing works from: the one test→endpoint map (bot.analysis), read on the old API."""

from __future__ import annotations

from collections.abc import Mapping

from bot.analysis.model import Hit
from bot.analysis.testmap import build_test_map
from bot.scan.model import Inventory


def hits_for(files: Mapping[str, str], before: Inventory) -> list[Hit]:
    """Every request of the suite (fixtures' included) that reaches an endpoint of `before`."""
    return list(build_test_map(files, before.endpoints).hits)
