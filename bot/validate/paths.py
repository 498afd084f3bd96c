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


def skipped(directory: str) -> bool:
    """A folder never searched for tests: hidden, virtualenv, build and vendored ones."""
    return directory.startswith(".") or directory in _SKIPPED_DIRS


def is_test_file(name: str) -> bool:
    """pytest's default `python_files`: `test_*.py` and `*_test.py`."""
    return any(fnmatch(name, pattern) for pattern in TEST_FILE_PATTERNS)


def _walk(root: Path) -> list[Path]:
    found: list[Path] = []
    for entry in sorted(root.iterdir()):
        if entry.is_dir() and not entry.is_symlink():
            if not skipped(entry.name):
                found.extend(_walk(entry))
        elif entry.is_file() and is_test_file(entry.name):
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
