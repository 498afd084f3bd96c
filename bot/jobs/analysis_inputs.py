"""What coverage and duplicates read from a branch: its inventory, `.testgen.yml`, and its
test code (the tests folder, test modules anywhere, and the conftests and helpers beside them)."""

from __future__ import annotations

import asyncio
import posixpath
from dataclasses import dataclass

from bot.analysis.coverage import CoverageReport, coverage_report
from bot.analysis.duplicates import DuplicateGroup, find_duplicates
from bot.analysis.testmap import build_test_map
from bot.inventory_store import InventoryStore
from bot.jobs.context import JobContext
from bot.jobs.repo_files import is_test_module, read_files, repo_config
from bot.jobs.rescan import scan_branch
from bot.repo_config import RepoConfig
from bot.scan.model import Inventory
from bot.validate.config import ConfigError

MAX_TEST_FILES = 3000


def test_code_paths(paths: list[str], tests_dir: str) -> list[str]:
    """Python files a suite is made of: everything under `tests_dir`; every test module; and
    the other Python files in the folders holding test modules (conftest, helpers, constants)."""
    folders = {posixpath.dirname(p) for p in paths if is_test_module(p)}
    chosen = [
        p
        for p in paths
        if p.endswith(".py")
        and (
            p.startswith(tests_dir + "/")
            or tests_dir == "."
            or is_test_module(p)
            or posixpath.dirname(p) in folders
        )
    ]
    return sorted(chosen)[:MAX_TEST_FILES]


@dataclass(frozen=True)
class BranchAnalysis:
    inventory: Inventory
    sources: dict[str, str]
    config: RepoConfig
    config_error: str | None

    def coverage(self) -> CoverageReport:
        cover = self.config.coverage
        endpoints = self.inventory.endpoints
        test_map = build_test_map(self.sources, endpoints, cover.base_paths, cover.hosts)
        return coverage_report(endpoints, test_map)

    def duplicates(self) -> list[DuplicateGroup]:
        cover = self.config.coverage
        return find_duplicates(
            self.sources,
            self.config.duplicates.threshold,
            self.inventory.endpoints,
            cover.base_paths,
            cover.hosts,
        )


async def read_branch(
    ctx: JobContext, project_id: int, branch: str, sha: str, config_ref: str | None = None
) -> BranchAnalysis:
    """The branch at `sha`, scanned incrementally, with its test code and `.testgen.yml` (read
    at `config_ref`, default `sha`; a broken one leaves defaults and says why)."""
    gitlab = ctx["gitlab"]
    try:
        config, error = await repo_config(gitlab, project_id, config_ref or sha), None
    except ConfigError as broken:
        config, error = RepoConfig(), str(broken)
    head, _ = await scan_branch(ctx, project_id, branch, sha)
    paths = await InventoryStore(ctx["redis"]).paths(project_id, branch)
    raw = await read_files(gitlab, project_id, test_code_paths(paths, config.tests_dir), sha)
    sources = {p: c.decode("utf-8", errors="replace") for p, c in raw.items()}
    return BranchAnalysis(head.inventory, sources, config, error)


async def in_thread(analysis: BranchAnalysis) -> tuple[CoverageReport, list[DuplicateGroup]]:
    """Coverage and duplicates off the event loop (libcst is CPU work)."""
    return await asyncio.to_thread(lambda: (analysis.coverage(), analysis.duplicates()))
