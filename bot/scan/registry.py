"""The scanner families the inventory runs, in a fixed order."""

from __future__ import annotations

import importlib

from bot.scan.family import ScannerFamily

# module:attribute of each family; a module not written yet is skipped, never guessed at.
_FAMILIES = (
    "bot.scan.python:FAMILY",
    "bot.scan.javascript:FAMILY",
    "bot.scan.java:FAMILY",
    "bot.scan.openapi:FAMILY",
    "bot.scan.hints:FAMILY",
)


def families() -> list[ScannerFamily]:
    found: list[ScannerFamily] = []
    for spec in _FAMILIES:
        module_name, attribute = spec.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue
        found.append(getattr(module, attribute))
    return found
