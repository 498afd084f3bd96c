"""The incremental scan: per-file facts keyed by git blob SHA and path, linked into one inventory.

The bot keeps `{path: FileEntry}` per project and ref, calls `extract_file` for added or modified
files only and `link` over all entries. The CLI does the same through `scan_path` with a
`DirectoryCache`, which also remembers file stats so unchanged files are not even read.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, Field

from bot.scan.family import Facts, ScannerFamily
from bot.scan.hints import FAMILY as HINTS
from bot.scan.hints import mentioned_names
from bot.scan.merge import merge
from bot.scan.model import Inventory, ScanWarning
from bot.scan.registry import families as registered_families
from bot.scan.served import served, without_auxiliary
from bot.scan.skip import BUNDLE_SKIPPED, looks_bundled, skip_reason, summarise_bundles
from bot.scan.walk import walk

MAX_FILE_BYTES = 2 * 1024 * 1024
# Specs are data, and real generated ones are 3–5 MiB: read up to this size when they say so.
MAX_SPEC_BYTES = 16 * 1024 * 1024
_SPEC_SUFFIXES = (".json", ".yaml", ".yml")
_SPEC_MARKERS = (b"openapi", b"swagger")


def git_blob_sha(content: bytes) -> str:
    """The SHA git gives this content as a blob (`git hash-object`), as the GitLab tree lists it."""
    header = b"blob %d\0" % len(content)
    return hashlib.sha1(header + content, usedforsecurity=False).hexdigest()


class FileEntry(BaseModel):
    """One file's scan state: its blob SHA and, per family that wants it, that family's facts."""

    sha: str
    facts: dict[str, Facts] = Field(default_factory=dict)
    warnings: list[ScanWarning] = Field(default_factory=list)


class FactsCache(Protocol):
    """Facts by family, family version and `cache_key(sha, path)`."""

    def get(self, family: str, version: str, key: str) -> Facts | None: ...

    def put(self, family: str, version: str, key: str, facts: Facts) -> None: ...


@dataclass
class ScanStats:
    files: int = 0
    read: int = 0
    extracted: int = 0
    cache_hits: int = 0


def wanted(path: str, families: Sequence[ScannerFamily] | None = None) -> bool:
    """Whether the bot fetches the file at `path` for a scan (decided by name only): not build
    output, bundles, vendored copies or generated code. Test modules are fetched and listed (the
    generator reads them to skip endpoints they already test) but never scanned for routes."""
    return skip_reason(path) in (None, "test") and any(
        f.wants(path) for f in (families or registered_families())
    )


def size_limit(path: str) -> int:
    """The largest file read at `path`: specs may be larger than source files."""
    return MAX_SPEC_BYTES if path.lower().endswith(_SPEC_SUFFIXES) else MAX_FILE_BYTES


def _too_large(path: str, size: int) -> str:
    return f"skipped: larger than {size_limit(path) // (1024 * 1024)} MiB"


def _problem(path: str, content: bytes) -> str | None:
    if len(content) > size_limit(path):
        return _too_large(path, len(content))
    if len(content) > MAX_FILE_BYTES and not any(m in content[:65536] for m in _SPEC_MARKERS):
        return f"skipped: larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB and not a spec"
    if b"\0" in content[:8192]:
        return "skipped: binary content"
    try:
        content.decode("utf-8")
    except UnicodeDecodeError as error:
        return f"skipped: not valid UTF-8 at byte {error.start}"
    if looks_bundled(path, content):
        return BUNDLE_SKIPPED
    return None


def cache_key(sha: str, path: str) -> str:
    """What a file's facts are cached under: its content and its path, since facts depend on
    the path too (a Python module's dotted name, relative imports, `$ref` targets)."""
    return f"{sha}:{path}"


def extract_file(
    path: str,
    content: bytes,
    families: Sequence[ScannerFamily] | None = None,
    cache: FactsCache | None = None,
    sha: str | None = None,
    stats: ScanStats | None = None,
) -> FileEntry:
    """Facts of one file (repository-relative POSIX `path`) from every family that wants it."""
    sha = sha or git_blob_sha(content)
    entry = FileEntry(sha=sha)
    if skip_reason(path) is not None:  # e.g. a test module: listed, its routes not served
        return entry
    chosen = [f for f in (families or registered_families()) if f.wants(path)]
    problem = _problem(path, content) if chosen else None
    if problem is not None:
        entry.warnings.append(ScanWarning(file=path, message=problem))
        return entry
    key = cache_key(sha, path)
    parsed = False
    for family in chosen:
        facts = cache.get(family.name, family.version, key) if cache else None
        if facts is None:
            facts = family.extract(path, content)
            parsed = True
            if cache is not None:
                cache.put(family.name, family.version, key, facts)
        entry.facts[family.name] = facts
    if stats is not None:  # per file, whichever families read it
        if parsed:
            stats.extracted += 1
        else:
            stats.cache_hits += 1
    return entry


def link(
    entries: Mapping[str, FileEntry], families: Sequence[ScannerFamily] | None = None
) -> Inventory:
    """All families' endpoints over every entry, merged by (method, path shape) and sorted."""
    chosen = families or registered_families()
    warnings: list[ScanWarning] = []
    for path in sorted(entries):
        warnings += entries[path].warnings
    results = []
    components: dict[str, Any] = {}
    for family in chosen:
        facts = {p: e.facts[family.name] for p, e in entries.items() if family.name in e.facts}
        result = family.link(facts)
        results.append(result)
        components.update(result.components)
        warnings += result.warnings
    hints = {p: e.facts[HINTS.name] for p, e in entries.items() if HINTS.name in e.facts}
    declared, aside = without_auxiliary([e for r in results for e in r.endpoints])
    found, spec_warnings = served(declared, mentioned_names(hints))
    spec_warnings += aside
    endpoints = merge(found)
    warnings = summarise_bundles([*warnings, *spec_warnings])
    unique = sorted(set(warnings), key=lambda w: (w.file, w.line or 0, w.message))
    return Inventory(endpoints=endpoints, warnings=unique, components=components)


def _cached_entry(
    rel: str, known: list[Any], families: Sequence[ScannerFamily], cache: FactsCache | None
) -> FileEntry | None:
    """The entry a snapshot line `[stat key, sha, warnings]` stands for, if all facts are cached."""
    _stat, sha, warnings = known
    entry = FileEntry.model_construct(
        sha=sha, facts={}, warnings=[ScanWarning.model_validate(w) for w in warnings]
    )
    if entry.warnings:  # skipped files have no facts
        return entry
    for family in families:
        key = cache_key(sha, rel)
        facts = cache.get(family.name, family.version, key) if cache is not None else None
        if facts is None:
            return None
        entry.facts[family.name] = facts
    return entry


def scan_path(
    root: Path | str,
    cache: Any = None,
    *,
    families: Sequence[ScannerFamily] | None = None,
    reader: Callable[[Path], bytes] | None = None,
    stats: ScanStats | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Inventory:
    """Scan a directory tree; with a `DirectoryCache`, unchanged files are not read or parsed."""
    # Facts are millions of small acyclic containers: the cyclic collector would walk them all
    # again and again while they load, for nothing. It is paused for the scan only.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _scan(Path(root), cache, families, reader, stats, progress)
    finally:
        if was_enabled:
            gc.enable()


def _scan(
    root: Path,
    cache: Any,
    families: Sequence[ScannerFamily] | None,
    reader: Callable[[Path], bytes] | None,
    stats: ScanStats | None,
    progress: Callable[[int, int], None] | None,
) -> Inventory:
    chosen = families or registered_families()
    read = reader or Path.read_bytes
    stats = stats if stats is not None else ScanStats()
    wanted_by: dict[str, list[ScannerFamily]] = {}

    bundles: list[str] = []

    def wants(rel: str) -> bool:  # families decided once per file, during the walk
        reason = skip_reason(rel)
        if reason is not None:
            if reason == "bundle" and any(f.wants(rel) for f in chosen):
                bundles.append(rel)
            return False
        takers = [f for f in chosen if f.wants(rel)]
        if takers:
            wanted_by[rel] = takers
        return bool(takers)

    files, walk_warnings = walk(root, wants)
    snapshot: dict[str, Any] = cache.load_snapshot(root) if cache is not None else {}
    fresh: dict[str, Any] = {}
    entries: dict[str, FileEntry] = {}
    for index, (rel, full, stat_key) in enumerate(files):
        stats.files += 1
        if progress is not None:
            progress(index + 1, len(files))
        known = snapshot.get(rel)
        if known is not None and known[0] == stat_key:
            entry = _cached_entry(rel, known, wanted_by[rel], cache)
            if entry is not None:
                stats.cache_hits += 1
                entries[rel] = entry
                fresh[rel] = known
                continue
        size = int(stat_key.split(":")[0])
        if size > size_limit(rel):
            message = _too_large(rel, size)
            entries[rel] = FileEntry(sha="", warnings=[ScanWarning(file=rel, message=message)])
            continue
        try:
            content = read(Path(full))
        except OSError as error:
            walk_warnings.append(ScanWarning(file=rel, message=f"skipped: unreadable ({error})"))
            continue
        stats.read += 1
        entry = extract_file(rel, content, chosen, cache, stats=stats)
        entries[rel] = entry
        warnings = [w.model_dump(mode="json") for w in entry.warnings]
        fresh[rel] = [stat_key, entry.sha, warnings]
    for rel in bundles:  # not read: counted in the inventory's one bundle warning
        entries[rel] = FileEntry(sha="", warnings=[ScanWarning(file=rel, message=BUNDLE_SKIPPED)])
    if cache is not None and (stats.read or fresh.keys() != snapshot.keys()):
        cache.save_snapshot(root, fresh)
    inventory = link(entries, chosen)
    inventory.warnings = sorted(
        set(inventory.warnings) | set(walk_warnings), key=lambda w: (w.file, w.line or 0, w.message)
    )
    return inventory
