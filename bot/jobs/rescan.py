"""The job behind a push: bring the branch's endpoint inventory up to date, incrementally.

The first scan of a branch lists the repository tree (with blob SHAs) and fetches only files no
earlier scan has seen; later scans fetch only the files the push touched — from the payload when
it lists every commit and starts where the last scan ended, else from the compare API.
"""

from __future__ import annotations

import asyncio
import io
import tarfile
import zlib
from collections.abc import Iterable

import structlog

from bot.gitlab import GitLab, GitLabError, NotFound, is_transient
from bot.inventory_store import Head, InventoryStore, summary
from bot.jobs.context import JobContext
from bot.jobs.repo_files import read_files
from bot.jobs.runner import job
from bot.scan.diff import diff_inventories
from bot.scan.engine import FileEntry, extract_file, link, wanted

log = structlog.get_logger("bot.jobs.rescan")
FETCH_CONCURRENCY = 8
ARCHIVE_FROM_FILES = 40  # missing files from which one archive beats one request per file
MAX_ARCHIVE_MEMBER_BYTES = 2 * 1024 * 1024  # larger files are not scanned anyway


@job
async def rescan(
    ctx: JobContext,
    project_id: int,
    branch: str,
    sha: str,
    before: str | None,
    touched: list[str] | None,
) -> str:
    structlog.contextvars.bind_contextvars(project_id=project_id, branch=branch, sha=sha)
    head, diff_is_new = await scan_branch(ctx, project_id, branch, sha, before, touched)
    if diff_is_new and head.diff is not None and not head.diff.empty:
        await on_inventory_change(ctx, project_id, branch, head)
    return f"{len(head.inventory.endpoints)} endpoints"


async def scan_branch(
    ctx: JobContext,
    project_id: int,
    branch: str,
    sha: str,
    before: str | None = None,
    touched: list[str] | None = None,
) -> tuple[Head, bool]:
    """The branch's inventory at `sha`, scanning only what changed since the last scan.

    Returns the stored head and whether this call computed it (False: it was already there).
    """
    store = InventoryStore(ctx["redis"])
    timeout = ctx["settings"].job_timeout_seconds
    lock = ctx["redis"].lock(
        f"testgen:scan-lock:{project_id}:{branch}", timeout=timeout, blocking_timeout=timeout
    )
    async with lock:
        head = await store.head(project_id, branch)
        if head is not None and head.sha == sha:
            return head, False
        scan = BranchScan(ctx["gitlab"], store, project_id, sha)
        removed: list[str] = []
        if head is None:
            files = await scan.full()
            changed, replace = files, True
        else:
            paths = await _touched_since(ctx["gitlab"], project_id, head.sha, sha, before, touched)
            if paths is None:
                files = await scan.full()
                changed, replace = files, True
            else:
                changed, removed = await scan.paths(paths)
                files = await store.files(project_id, branch)
                files.update(changed)
                for path in removed:
                    files.pop(path, None)
                replace = False
        inventory = await asyncio.to_thread(link, files)
        diff = diff_inventories(head.inventory, inventory) if head is not None else None
        new_head = Head(sha=sha, inventory=inventory, diff=diff)
        await store.save(
            project_id, branch, head=new_head, changed=changed, removed=removed, replace=replace
        )
    log.info(
        "inventory stored",
        endpoints=len(inventory.endpoints),
        warnings=len(inventory.warnings),
        fetched=scan.fetched,
        diff=summary(diff) if diff is not None else None,
    )
    return new_head, True


async def on_inventory_change(ctx: JobContext, project_id: int, branch: str, head: Head) -> None:
    """React to new endpoints on the default branch: queue generation when the repo wants it."""
    if head.diff is None or not head.diff.added:
        return
    project = await ctx["gitlab"].get_project(project_id)
    if branch != project.default_branch:
        return
    await ctx["redis"].enqueue_job(
        "generate_on_push",
        project_id,
        branch,
        head.sha,
        [[e.method, e.path] for e in head.diff.added],
        _job_id=f"generate:{project_id}:{head.sha}",
    )


async def _touched_since(
    gitlab: GitLab,
    project_id: int,
    scanned: str,
    sha: str,
    before: str | None,
    touched: list[str] | None,
) -> list[str] | None:
    """Paths changed between the last scanned commit and `sha`; None: scan the whole tree."""
    if touched is not None and before == scanned:
        return touched
    try:
        compare = await gitlab.compare(project_id, scanned, sha)
    except NotFound:  # the scanned commit is gone (force push, deleted history)
        return None
    paths: set[str] = set()
    for diff in compare.diffs:
        paths.update((diff.old_path, diff.new_path))
    return sorted(paths)


class BranchScan:
    """Fetch and extract files of one commit, counting what it fetched."""

    def __init__(self, gitlab: GitLab, store: InventoryStore, project_id: int, sha: str) -> None:
        self._gitlab = gitlab
        self._store = store
        self._project_id = project_id
        self._sha = sha
        self._limit = asyncio.Semaphore(FETCH_CONCURRENCY)
        self.fetched = 0

    async def full(self) -> dict[str, FileEntry]:
        """Every wanted file: known blobs from the cache, the rest from GitLab — one archive
        download when many are missing (GitLab rate-limits per-file calls), else file by file."""
        tree = await self._gitlab.repository_tree(self._project_id, self._sha)
        blobs = {entry.path: entry.sha for entry in tree if wanted(entry.path)}
        known = await self._store.blobs(blobs)
        missing = sorted(set(blobs) - set(known))
        found: dict[str, FileEntry] = {}
        if len(missing) >= ARCHIVE_FROM_FILES:
            found = await self._from_archive({path: blobs[path] for path in missing})
        rest = [path for path in missing if path not in found]
        fetched = await asyncio.gather(*(self._blob(path, blobs[path]) for path in rest))
        return known | found | dict(zip(rest, fetched, strict=True))

    async def _from_archive(self, wanted_blobs: dict[str, str]) -> dict[str, FileEntry]:
        """Entries of the wanted files found in the commit's archive (read in memory only)."""
        try:
            archive = await self._gitlab.archive(self._project_id, self._sha)
        except GitLabError as error:
            if is_transient(error):
                raise
            log.warning("archive unavailable, fetching files one by one", error=str(error))
            return {}
        self.fetched += 1
        contents = await asyncio.to_thread(read_archive, archive, set(wanted_blobs))
        return {
            path: extract_file(path, content, sha=wanted_blobs[path])
            for path, content in contents.items()
        }

    async def paths(self, paths: Iterable[str]) -> tuple[dict[str, FileEntry], list[str]]:
        """Entries of the given paths at the commit, and which of them no longer exist."""
        chosen = sorted({p for p in paths if wanted(p)})
        contents = await read_files(self._gitlab, self._project_id, chosen, self._sha)
        self.fetched += len(contents)
        changed = {
            path: await asyncio.to_thread(extract_file, path, content)
            for path, content in contents.items()
        }
        return changed, [p for p in chosen if p not in contents]

    async def _blob(self, path: str, blob_sha: str) -> FileEntry:
        async with self._limit:
            content = await self._gitlab.raw_blob(self._project_id, blob_sha)
            self.fetched += 1
        return await asyncio.to_thread(extract_file, path, content, sha=blob_sha)


def read_archive(archive: bytes, paths: set[str]) -> dict[str, bytes]:
    """The wanted regular files of a GitLab `.tar.gz` archive (top folder stripped), read into
    memory: nothing is extracted to disk, links and oversized members are passed over."""
    found: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
            for member in tar:
                if not member.isfile() or member.size > MAX_ARCHIVE_MEMBER_BYTES:
                    continue
                path = member.name.split("/", 1)[1] if "/" in member.name else ""
                if path.startswith("/") or ".." in path.split("/"):
                    continue
                if path in paths:
                    handle = tar.extractfile(member)
                    if handle is not None:
                        found[path] = handle.read()
    except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
        log.warning("archive unreadable, fetching files one by one", error=str(error))
    return found
