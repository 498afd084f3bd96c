"""A folder cache for the CLI: facts per (family, version, blob SHA), and a stat snapshot per tree."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from bot.scan.family import Facts

DEFAULT_CACHE_DIR = ".testgen-cache"


class DirectoryCache:
    """Content-addressed facts under `objects/`, plus `snapshots/<tree>.json`.

    The snapshot maps each file to its stat key and last `FileEntry`, so a rescan reads and
    parses only files whose size, mtime or inode changed (as git's index does). A damaged cache
    file is treated as missing.
    """

    def __init__(self, folder: Path | str = DEFAULT_CACHE_DIR) -> None:
        self.folder = Path(folder)

    def _object(self, family: str, version: str, sha: str) -> Path:
        return self.folder / "objects" / f"{family}-{version}" / sha[:2] / f"{sha}.json"

    def _snapshot(self, root: Path) -> Path:
        key = hashlib.sha1(str(root.resolve()).encode(), usedforsecurity=False).hexdigest()
        return self.folder / "snapshots" / f"{key}.json"

    def get(self, family: str, version: str, sha: str) -> Facts | None:
        found = _read_json(self._object(family, version, sha))
        return found if isinstance(found, dict) else None

    def put(self, family: str, version: str, sha: str, facts: Facts) -> None:
        _write_json(self._object(family, version, sha), facts)

    def load_snapshot(self, root: Path) -> dict[str, Any]:
        found = _read_json(self._snapshot(root))
        return found if isinstance(found, dict) else {}

    def save_snapshot(self, root: Path, snapshot: dict[str, Any]) -> None:
        _write_json(self._snapshot(root), snapshot)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream, separators=(",", ":"))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
