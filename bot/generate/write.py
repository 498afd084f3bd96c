"""Writing generated files into the tests folder, and nowhere else."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bot.generate.model import GeneratedFile
from bot.safe_path import UnsafePath, inside

UnsafePathError = UnsafePath  # a generated file's path is absolute or leads out of the folder


def _target(root: Path, relative: str) -> Path:
    return inside(root, relative)


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
