"""The inventory to generate from: a scanned directory, or one spec file and the files it refs."""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any

from bot.scan.engine import MAX_FILE_BYTES, FileEntry, extract_file, git_blob_sha, link, scan_path
from bot.scan.model import Inventory
from bot.scan.openapi import FAMILY

_MAX_FILES = 200
_MAX_SPEC_BYTES = 16 * 1024 * 1024


class SpecError(ValueError):
    """The source is neither a directory nor a readable OpenAPI/Swagger file."""


def _external_refs(node: Any, found: set[str]) -> None:
    if isinstance(node, list):
        for item in node:
            _external_refs(item, found)
    elif isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#") and "://" not in ref:
            found.add(ref.split("#", 1)[0])
        for value in node.values():
            _external_refs(value, found)


def _extract(rel: str, content: bytes) -> FileEntry:
    """`extract_file`, with the larger size limit of a file named explicitly (a whole-repo
    scan skips files over 2 MiB; kubernetes' spec is 3.8 MB)."""
    if MAX_FILE_BYTES < len(content) <= _MAX_SPEC_BYTES:
        entry = FileEntry(sha=git_blob_sha(content))
        entry.facts[FAMILY.name] = FAMILY.extract(rel, content)
        return entry
    return extract_file(rel, content, families=[FAMILY])


def _spec_inventory(spec: Path) -> Inventory:
    root = spec.parent
    entries: dict[str, FileEntry] = {}
    queue = [spec.name]
    while queue and len(entries) < _MAX_FILES:
        rel = queue.pop()
        if rel in entries:
            continue
        try:
            content = (root / rel).read_bytes()
        except OSError:
            continue  # the resolver reports the dangling ref with the file that holds it
        entry = _extract(rel, content)
        entries[rel] = entry
        refs: set[str] = set()
        _external_refs(entry.facts.get(FAMILY.name, {}).get("doc"), refs)
        folder = posixpath.dirname(rel)
        queue += sorted(posixpath.normpath(posixpath.join(folder, r)) for r in refs)
    facts = entries[spec.name].facts.get(FAMILY.name, {})
    if facts.get("kind") not in ("openapi", "swagger"):
        problems = "; ".join(w.message for w in entries[spec.name].warnings)
        if problems.startswith("skipped:"):
            raise SpecError(f"{spec}: {problems}")
        raise SpecError(f"{spec}: not an OpenAPI 3 or Swagger 2 document {problems}".strip())
    return link(entries, families=[FAMILY])


def spec_document(source: Path) -> dict[str, Any] | None:
    """The parsed spec when `source` is one OpenAPI/Swagger file (refs not followed), else None."""
    if not source.is_file():
        return None
    try:
        entry = _extract(source.name, source.read_bytes())
    except OSError:
        return None
    facts = entry.facts.get(FAMILY.name, {})
    doc = facts.get("doc")
    return doc if facts.get("kind") in ("openapi", "swagger") and isinstance(doc, dict) else None


def load_inventory(source: Path) -> Inventory:
    """`scan_path` for a directory; for a YAML/JSON file, that spec alone (refs followed)."""
    if source.is_dir():
        return scan_path(source)
    if not source.is_file():
        raise SpecError(f"{source}: no such file or directory")
    return _spec_inventory(source)
