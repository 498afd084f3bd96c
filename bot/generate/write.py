"""Writing generated files into the tests folder, and nowhere else."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from bot.generate.model import GeneratedFile


class UnsafePathError(ValueError):
    """A generated file's path is absolute or leads out of the output folder."""


def _target(root: Path, relative: str) -> Path:
    pure = PurePosixPath(relative)
    if not relative or pure.is_absolute() or "\\" in relative or ".." in pure.parts:
        raise UnsafePathError(f"refusing to write {relative!r}: not a plain relative path")
    target = (root / pure).resolve()
    if not target.is_relative_to(root):
        raise UnsafePathError(f"refusing to write {relative!r}: it leads out of {root}")
    return target


def write_suite(files: Sequence[GeneratedFile], out_dir: Path) -> list[Path]:
    """Write every file under `out_dir` (checked all before any is written); return the paths."""
    root = out_dir.resolve()
    targets = [(_target(root, f.path), f) for f in files]
    written = []
    for target, file in targets:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(file.content, encoding="utf-8", newline="\n")
        written.append(target)
    return written
