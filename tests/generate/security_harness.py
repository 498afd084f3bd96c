"""Generate the security or performance suite of the reference API (its code and its spec)."""

from __future__ import annotations

from pathlib import Path

from bot.generate import GenerateOptions, write_suite
from bot.generate.kinds import plan_kinds
from bot.scan.engine import scan_path
from tests.reference_api.harness import SPEC


def write_kind(out_dir: Path, kind: str, inventory_tests: bool = True) -> list[Path]:
    """Scan the reference API's folder (app.py and openapi.yaml) and write one kind's suite."""
    inventory = scan_path(SPEC.parent)
    result = plan_kinds(inventory, GenerateOptions(), {}, [kind], inventory_tests=inventory_tests)
    return write_suite(result.files, out_dir)
