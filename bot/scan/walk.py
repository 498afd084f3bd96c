"""Walking a working tree: the files scanners want, minus VCS, dependency and build folders."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from bot.scan import skip
from bot.scan.model import ScanWarning

# Folders never scanned: build output, dependencies, tests, vendored copies (see `skip`).
SKIPPED_DIRS = skip.SKIPPED_DIRS

# (repository-relative POSIX path, absolute path, stat key "size:mtime_ns:inode")
WalkedFile = tuple[str, str, str]  # (relative POSIX path, full path, stat key)


def walk(root: Path, wants: Callable[[str], bool]) -> tuple[list[WalkedFile], list[ScanWarning]]:
    """Wanted files under `root`, sorted; symlinks leaving the tree are skipped with a warning."""
    base = str(root.resolve())
    cut = len(base) + 1
    files: list[WalkedFile] = []
    warnings: list[ScanWarning] = []
    stack = [base]
    while stack:
        folder = stack.pop()
        try:
            items = list(os.scandir(folder))
        except OSError as error:
            warnings.append(
                ScanWarning(file=folder[cut:] or ".", message=f"skipped folder: {error}")
            )
            continue
        for item in items:
            rel = item.path[cut:].replace(os.sep, "/")
            if item.is_symlink():
                target = os.path.realpath(item.path)
                if not (target + os.sep).startswith(base + os.sep):
                    warnings.append(
                        ScanWarning(file=rel, message="skipped: symlink points out of the tree")
                    )
                    continue
                if os.path.isdir(target):
                    continue  # its contents are scanned where they really live
            if item.is_dir(follow_symlinks=False):
                if item.name not in SKIPPED_DIRS and not item.name.endswith(".egg-info"):
                    stack.append(item.path)
                continue
            if not wants(rel):
                continue
            try:
                stat = item.stat()
            except OSError as error:
                warnings.append(ScanWarning(file=rel, message=f"skipped: {error}"))
                continue
            files.append((rel, item.path, f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ino}"))
    files.sort()
    return files, warnings
