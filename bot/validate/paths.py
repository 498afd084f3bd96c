"""Which files to validate: explicit files as given, test modules found under directories."""

from __future__ import annotations

from collections.abc import Sequence
from fnmatch import fnmatch
from pathlib import Path

# pytest's default `python_files`
TEST_FILE_PATTERNS = ("test_*.py", "*_test.py")
_SKIPPED_DIRS = frozenset(
    {"__pycache__", "node_modules", "site-packages", "venv", "build", "dist", "allure-results"}
)


def _skipped(directory: str) -> bool:
    return directory.startswith(".") or directory in _SKIPPED_DIRS


def _walk(root: Path) -> list[Path]:
    found: list[Path] = []
    for entry in sorted(root.iterdir()):
        if entry.is_dir() and not entry.is_symlink():
            if not _skipped(entry.name):
                found.extend(_walk(entry))
        elif entry.is_file() and any(fnmatch(entry.name, p) for p in TEST_FILE_PATTERNS):
            found.append(entry)
    return found


def collect_paths(paths: Sequence[Path]) -> list[Path]:
    """Files named explicitly are kept whatever their name; directories are searched for
    `test_*.py` and `*_test.py` (pytest's defaults; `conftest.py` holds fixtures, not tests).
    Hidden, virtualenv and build directories are skipped. Order is stable, duplicates dropped."""
    seen: set[Path] = set()
    result: list[Path] = []
    for path in paths:
        for file in _walk(path) if path.is_dir() else [path]:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                result.append(file)
    return result
