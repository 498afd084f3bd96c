"""A folder cache for the CLI: facts per (family, version, blob SHA and path), a stat snapshot per
tree, kept in the user's cache directory unless told otherwise."""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from bot.scan.family import Facts

DEFAULT_CACHE_HELP = (
    "$TESTGEN_DATA_DIR/scan-cache when TESTGEN_DATA_DIR is set (the bot's data folder), "
    "else $XDG_CACHE_HOME/testgen, else ~/.cache/testgen"
)
# marshal's format belongs to the Python version that wrote it; v2: keys are "sha:path"
_MAX_SEGMENTS = 16
_FORMAT = f"v2-py{sys.version_info[0]}{sys.version_info[1]}"


def default_cache_dir() -> Path:
    """Where the CLI keeps scan results by default: never the current directory."""
    data_dir = os.environ.get("TESTGEN_DATA_DIR")
    if data_dir:
        return Path(data_dir) / "scan-cache"
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache"  # XDG: relative is unset
    return base / "testgen"


class DirectoryCache:
    """Facts per (family, version, `sha:path` key) in one pack per family, plus a snapshot per tree.

    The snapshot maps each file to its stat key and last `FileEntry`, so a rescan reads and
    parses only files whose size, mtime or inode changed (as git's index does); the packs let an
    identical blob at the same path (another checkout, a branch switch) skip parsing. A pack is
    a folder of append-only segments, so a rescan writes only what changed. Files are `marshal`
    data this module wrote itself; a damaged file is treated as missing. Call `flush` to write.
    """

    def __init__(self, folder: Path | str | None = None, max_objects: int = 50_000) -> None:
        self.folder = Path(folder) if folder is not None else default_cache_dir()
        self.max_objects = max_objects
        self._packs: dict[str, dict[str, Facts]] = {}
        self._new: dict[str, dict[str, Facts]] = {}

    def _pack_dir(self, name: str) -> Path:
        return self.folder / _FORMAT / "objects" / name

    def _pack(self, family: str, version: str) -> dict[str, Facts]:
        """All segments of a family's pack, oldest first (a later segment wins)."""
        name = f"{family}-{version}"
        if name not in self._packs:
            pack: dict[str, Facts] = {}
            for segment in _segments(self._pack_dir(name)):
                found = _read(segment)
                if isinstance(found, dict):
                    pack.update(found)
            self._packs[name] = pack
        return self._packs[name]

    def _snapshot(self, root: Path) -> Path:
        key = hashlib.sha1(str(root.resolve()).encode(), usedforsecurity=False).hexdigest()
        return self.folder / _FORMAT / "snapshots" / key

    def get(self, family: str, version: str, key: str) -> Facts | None:
        found = self._pack(family, version).get(key)
        return found if isinstance(found, dict) else None

    def put(self, family: str, version: str, key: str, facts: Facts) -> None:
        self._pack(family, version)[key] = facts
        self._new.setdefault(f"{family}-{version}", {})[key] = facts

    def load_snapshot(self, root: Path) -> dict[str, Any]:
        found = _read(self._snapshot(root))
        return found if isinstance(found, dict) else {}

    def save_snapshot(self, root: Path, snapshot: dict[str, Any]) -> None:
        _write(self._snapshot(root), snapshot, intern=False)  # paths and stats: all distinct
        self.flush()

    def flush(self) -> None:
        """Write new facts as one more segment; past `_MAX_SEGMENTS`, rewrite the pack as one."""
        for name, new in sorted(self._new.items()):
            folder = self._pack_dir(name)
            old = _segments(folder)
            number = int(old[-1].name) + 1 if old else 1
            if len(old) < _MAX_SEGMENTS:
                _write(folder / f"{number:08d}", new)
                continue
            pack = self._packs[name]
            for sha in list(pack)[: max(0, len(pack) - self.max_objects)]:
                del pack[sha]
            _write(folder / f"{number:08d}", pack)
            for segment in old:
                segment.unlink(missing_ok=True)
        self._new.clear()


def _segments(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.name.isdigit())
    except OSError:
        return []


def _read(path: Path) -> Any:
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None


def _interned(value: Any) -> Any:
    """`value` with every string interned: marshal then writes each distinct name once and
    refers back to it, so a pack loads about a third faster (facts repeat module names)."""
    if isinstance(value, str):
        return sys.intern(value)
    if isinstance(value, dict):
        return {_interned(k): _interned(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_interned(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_interned(v) for v in value)
    return value


def _write(path: Path, data: Any, *, intern: bool = True) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = marshal.dumps(_interned(data) if intern else data)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
