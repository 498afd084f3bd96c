"""Reading a branch's files for jobs: `.testgen.yml`, test modules, changed paths."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from fnmatch import fnmatch
from pathlib import PurePosixPath

from bot.gitlab import GitLab, NotFound
from bot.repo_config import FILE_NAME, RepoConfig, parse_repo_config
from bot.validate.paths import TEST_FILE_PATTERNS

FETCH_CONCURRENCY = 8
_SKIPPED_PARTS = frozenset({"node_modules", "site-packages", "venv", "build", "dist"})


def is_test_module(path: str) -> bool:
    """pytest's default discovery (`test_*.py`, `*_test.py`) outside hidden and vendored folders."""
    parts = PurePosixPath(path).parts
    if any(p.startswith(".") or p in _SKIPPED_PARTS for p in parts[:-1]):
        return False
    return any(fnmatch(parts[-1], pattern) for pattern in TEST_FILE_PATTERNS)


async def repo_config(gitlab: GitLab, project_id: int, ref: str) -> RepoConfig:
    """The branch's `.testgen.yml` (defaults when absent); `ConfigError` when it is broken."""
    try:
        raw = await gitlab.raw_file(project_id, FILE_NAME, ref)
    except NotFound as error:
        if "Project" in error.message:
            raise
        return RepoConfig()
    return parse_repo_config(raw.decode("utf-8", errors="replace"))


async def changed_paths(gitlab: GitLab, project_id: int, target: str, source_sha: str) -> list[str]:
    """Paths added or modified on the MR's source (compared with its merge base on the target)."""
    compare = await gitlab.compare(project_id, target, source_sha)
    return sorted({d.new_path for d in compare.diffs if not d.deleted_file})


async def read_files(
    gitlab: GitLab, project_id: int, paths: Iterable[str], ref: str
) -> dict[str, bytes]:
    """Contents of `paths` at `ref`; paths that do not exist there are left out."""
    limit = asyncio.Semaphore(FETCH_CONCURRENCY)

    async def one(path: str) -> bytes | None:
        async with limit:
            try:
                return await gitlab.raw_file(project_id, path, ref)
            except NotFound as error:
                if "Project" in error.message:
                    raise
                return None

    chosen = sorted(set(paths))
    found = await asyncio.gather(*(one(p) for p in chosen))
    return {p: c for p, c in zip(chosen, found, strict=True) if c is not None}


def blob_url(project_web_url: str, sha: str, path: str, line: int | None = None) -> str:
    anchor = f"#L{line}" if line else ""
    return f"{project_web_url}/-/blob/{sha}/{path}{anchor}"
