"""A test folder on disk as the map reads it: every Python file, keyed by its path inside."""

from __future__ import annotations

from pathlib import Path

from bot.validate.paths import skipped

MAX_FILE_BYTES = 2_000_000


def read_folder(root: Path) -> dict[str, str]:
    """`.py` files under `root` (hidden, virtualenv and build folders left out), by relative
    path; unreadable or oversized files are left out too."""
    found: dict[str, str] = {}
    if root.is_file():
        return {root.name: root.read_text(encoding="utf-8", errors="replace")}
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if any(skipped(part) for part in relative.parts[:-1]) or not path.is_file():
            continue
        try:
            if path.stat().st_size <= MAX_FILE_BYTES:
                found[relative.as_posix()] = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
    return found
