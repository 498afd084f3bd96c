"""Reading a branch's files for jobs: `.testgen.yml`, test modules, changed paths."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from pathlib import PurePosixPath

from bot.gitlab import GitLab
from bot.repo_config import FILE_NAME, RepoConfig, parse_repo_config
from bot.validate.paths import is_test_file, skipped

FETCH_CONCURRENCY = 8


def is_test_module(path: str) -> bool:
    """What `testgen validate` finds in a folder: pytest's default test files outside hidden,
    virtualenv and build folders (the same rule, applied to a repository path)."""
    parts = PurePosixPath(path).parts
    return not any(skipped(p) for p in parts[:-1]) and is_test_file(parts[-1])


async def repo_config(gitlab: GitLab, project_id: int, ref: str) -> RepoConfig:
    """The branch's `.testgen.yml` (defaults when absent); `ConfigError` when it is broken."""
    raw = await gitlab.raw_file_or_none(project_id, FILE_NAME, ref)
    if raw is None:
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
            return await gitlab.raw_file_or_none(project_id, path, ref)

    chosen = sorted(set(paths))
    found = await asyncio.gather(*(one(p) for p in chosen))
    return {p: c for p, c in zip(chosen, found, strict=True) if c is not None}


def blob_url(project_web_url: str, sha: str, path: str, line: int | None = None) -> str:
    anchor = f"#L{line}" if line else ""
    return f"{project_web_url}/-/blob/{sha}/{path}{anchor}"
