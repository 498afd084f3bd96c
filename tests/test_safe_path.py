"""Repository paths before they touch the disk: plain, relative, inside, and not through links."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.safe_path import UnsafePath, inside, repo_path

REFUSED = [
    "",
    "/etc/passwd",
    "../escape.py",
    "tests/../../escape.py",
    "tests\\..\\escape.py",
    "C:/windows/x.py",
    "a\x00b.py",
    ".",
    "./",
]


@pytest.mark.parametrize("path", REFUSED)
def test_paths_that_are_not_plain_and_relative_are_refused(path: str) -> None:
    with pytest.raises(UnsafePath):
        repo_path(path)


def test_paths_are_normalised() -> None:
    assert repo_path("tests//api/./test_a.py") == "tests/api/test_a.py"


def test_a_path_lands_inside_the_folder(tmp_path: Path) -> None:
    assert inside(tmp_path, "tests/test_a.py") == tmp_path.resolve() / "tests" / "test_a.py"


def test_a_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    os.symlink(outside, root / "tests")
    with pytest.raises(UnsafePath, match="is a link"):
        inside(root, "tests/test_a.py")


def test_a_link_to_a_file_inside_is_refused_too(tmp_path: Path) -> None:
    (tmp_path / "real.py").write_text("x = 1\n")
    os.symlink(tmp_path / "real.py", tmp_path / "alias.py")
    with pytest.raises(UnsafePath):
        inside(tmp_path, "alias.py")
