"""The hits healing works from: the one test→endpoint map (bot.analysis), read on the old API.

`read_map` is `bot.analysis.testmap.build_test_map` keeping the parsed suite, so the codemods
reuse the map's libcst trees and positions instead of parsing every file again.
"""

from __future__ import annotations

from collections.abc import Mapping

import libcst as cst
from libcst.metadata import CodeRange

from bot.analysis.model import Hit
from bot.analysis.request_reader import Reader
from bot.analysis.suite_modules import Suite
from bot.analysis.testmap import is_test_path, match_tests
from bot.scan.model import Inventory

Parsed = tuple[cst.Module, Mapping[cst.CSTNode, CodeRange]]


def read_map(files: Mapping[str, str], before: Inventory) -> tuple[list[Hit], dict[str, Parsed]]:
    """Every request of the suite (fixtures' included) that reaches an endpoint of `before`,
    and the trees the map parsed (path → module and node positions)."""
    suite = Suite(files)
    reader = Reader(suite)
    tests = [t for path in sorted(files) if is_test_path(path) for t in reader.tests(path)]
    hits = list(match_tests(tests, before.endpoints).hits)
    parsed: dict[str, Parsed] = {}
    for path in files:
        module = suite.get(path) if path.endswith(".py") else None
        if module is not None:
            parsed[path] = (module.module, module.positions)
    return hits, parsed


def hits_for(files: Mapping[str, str], before: Inventory) -> list[Hit]:
    return read_map(files, before)[0]
