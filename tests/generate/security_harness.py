"""Generate the security or performance suite of the reference API (its code and its spec)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from bot.generate import GenerateOptions, write_suite
from bot.generate.kinds import plan_kinds
from bot.scan.engine import scan_path
from bot.scan.model import Inventory
from tests.reference_api.harness import SPEC

# the pet store's code and spec (the folder holds other reference APIs too)
PET_STORE = ("app.py", "openapi.yaml")


def pet_store_inventory() -> Inventory:
    """The inventory of the pet store's code and spec, scanned together as the bot would."""
    with tempfile.TemporaryDirectory() as folder:
        for name in PET_STORE:
            shutil.copy(SPEC.parent / name, Path(folder) / name)
        return scan_path(Path(folder))


def write_kind(out_dir: Path, kind: str, inventory_tests: bool = True) -> list[Path]:
    """Scan the pet store (app.py and openapi.yaml) and write one kind's suite."""
    inventory = pet_store_inventory()
    result = plan_kinds(inventory, GenerateOptions(), {}, [kind], inventory_tests=inventory_tests)
    return write_suite(result.files, out_dir)
