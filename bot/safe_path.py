"""The one check every repository path passes before it touches the disk."""

from __future__ import annotations

from pathlib import Path, PurePosixPath


class UnsafePath(ValueError):
    """A repository path that is absolute, climbs out, or leads through a link out of the folder."""


def repo_path(relative: str) -> str:
    """`relative` normalised (`a//b/./c` → `a/b/c`); UnsafePath unless it is a plain path
    inside the repository: not empty, not absolute, no `..`, no backslash, no NUL."""
    if not relative or "\x00" in relative or "\\" in relative:
        raise UnsafePath(f"refusing {relative!r}: not a plain relative path")
    pure = PurePosixPath(relative)
    if pure.is_absolute() or ".." in pure.parts or (pure.parts[:1] and ":" in pure.parts[0]):
        raise UnsafePath(f"refusing {relative!r}: not a plain relative path")
    parts = [part for part in pure.parts if part != "."]
    if not parts:
        raise UnsafePath(f"refusing {relative!r}: it names the folder itself")
    return "/".join(parts)


def inside(root: Path, relative: str) -> Path:
    """Where `relative` lives under `root`, checked: normalised, inside `root`, and no part of
    the way there (file included) is a symbolic link — nor leads out of `root` by one."""
    base = root.resolve()
    target = base.joinpath(*repo_path(relative).split("/"))
    step = base
    for part in target.relative_to(base).parts:
        step = step / part
        if step.is_symlink():
            raise UnsafePath(f"refusing {relative!r}: {step.relative_to(base)} is a link")
    if not target.resolve().is_relative_to(base):
        raise UnsafePath(f"refusing {relative!r}: it leads out of {base}")
    return target
