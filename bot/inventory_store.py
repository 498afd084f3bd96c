"""Scan state in Redis: per project and branch, every file's entry and the last inventory.

Keys (all with a TTL, refreshed on every write):
- `testgen:scan:{project}:{branch}:files` — hash path → `FileEntry` JSON;
- `testgen:scan:{project}:{branch}:head` — JSON `{"sha", "inventory", "diff"}`;
- `testgen:blob:{scanners}:{sha}:{path}` — a `FileEntry` by scanner versions, git blob SHA and
  path (facts may depend on the path, e.g. a Python module's dotted name), shared by every branch
  and project, so a file met again (a new branch, a revert) is never fetched or parsed twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pydantic import BaseModel
from redis.asyncio import Redis

from bot.scan.diff import InventoryDiff
from bot.scan.engine import FileEntry
from bot.scan.model import Inventory
from bot.scan.registry import families as registered_families

STATE_TTL = 90 * 24 * 3600
BLOB_TTL = 30 * 24 * 3600


class Head(BaseModel):
    """The last scan of a branch: its commit, its inventory, the diff from the scan before."""

    sha: str
    inventory: Inventory
    diff: InventoryDiff | None = None


def _scanners() -> str:
    return ",".join(f"{f.name}-{f.version}" for f in registered_families())


def _blob_key(sha: str, path: str) -> str:
    return f"testgen:blob:{_scanners()}:{sha}:{path}"


def _prefix(project_id: int, branch: str) -> str:
    return f"testgen:scan:{project_id}:{branch}"


class InventoryStore:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def head(self, project_id: int, branch: str) -> Head | None:
        raw = await self._redis.get(_prefix(project_id, branch) + ":head")
        return None if raw is None else Head.model_validate_json(raw)

    async def files(self, project_id: int, branch: str) -> dict[str, FileEntry]:
        raw = await self._redis.hgetall(_prefix(project_id, branch) + ":files")  # type: ignore[misc]  # redis-py types sync|async as one union
        return {k.decode(): FileEntry.model_validate_json(v) for k, v in raw.items()}

    async def paths(self, project_id: int, branch: str) -> list[str]:
        """Every path the branch's last scan read (no contents)."""
        raw = await self._redis.hkeys(_prefix(project_id, branch) + ":files")  # type: ignore[misc]  # redis-py types sync|async as one union
        return sorted(k.decode() for k in raw)

    async def entries(self, project_id: int, branch: str, paths: list[str]) -> dict[str, FileEntry]:
        """The stored entries of some paths of the branch (those it has)."""
        if not paths:
            return {}
        found = await self._redis.hmget(_prefix(project_id, branch) + ":files", paths)  # type: ignore[misc]  # redis-py types sync|async as one union
        return {
            path: FileEntry.model_validate_json(raw)
            for path, raw in zip(paths, found, strict=True)
            if raw is not None
        }

    async def blobs(self, files: Mapping[str, str]) -> dict[str, FileEntry]:
        """Known entries for `{path: blob sha}`, by path."""
        paths = sorted(files)
        if not paths:
            return {}
        found = await self._redis.mget([_blob_key(files[p], p) for p in paths])
        return {
            path: FileEntry.model_validate_json(raw)
            for path, raw in zip(paths, found, strict=True)
            if raw is not None
        }

    async def save(
        self,
        project_id: int,
        branch: str,
        *,
        head: Head,
        changed: Mapping[str, FileEntry],
        removed: Iterable[str],
        replace: bool,
    ) -> None:
        """Write one scan atomically (MULTI/EXEC): readers see the old state or the new one."""
        prefix = _prefix(project_id, branch)
        gone = sorted(set(removed))
        async with self._redis.pipeline(transaction=True) as pipe:
            if replace:
                pipe.delete(prefix + ":files")
            if changed:
                pipe.hset(
                    prefix + ":files",
                    mapping={path: entry.model_dump_json() for path, entry in changed.items()},
                )
            if gone and not replace:
                pipe.hdel(prefix + ":files", *gone)
            pipe.expire(prefix + ":files", STATE_TTL)
            pipe.set(prefix + ":head", head.model_dump_json(by_alias=True), ex=STATE_TTL)
            for path, entry in changed.items():
                pipe.set(_blob_key(entry.sha, path), entry.model_dump_json(), ex=BLOB_TTL)
            await pipe.execute()


def summary(diff: InventoryDiff) -> dict[str, list[str]]:
    """A compact log view of a diff."""
    return {
        "added": [f"{e.method} {e.path}" for e in diff.added],
        "removed": [f"{e.method} {e.path}" for e in diff.removed],
        "changed": [f"{c.method} {c.path}" for c in diff.changed],
    }
