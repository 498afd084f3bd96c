"""Shared fixtures of the generation tests: the reference spec's inventory."""

from __future__ import annotations

import pytest

from bot.generate.spec import load_inventory
from bot.scan.model import Inventory
from tests.reference_api.harness import SPEC


@pytest.fixture(scope="session")
def reference_inventory() -> Inventory:
    return load_inventory(SPEC)
