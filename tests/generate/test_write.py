"""write_suite writes inside its folder only."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.generate import GeneratedFile, UnsafePathError, write_suite


def test_writes_files_under_the_folder(tmp_path: Path) -> None:
    written = write_suite([GeneratedFile("sub/test_a.py", "x = 1\n")], tmp_path)
    assert written == [tmp_path.resolve() / "sub" / "test_a.py"]
    assert written[0].read_text() == "x = 1\n"


@pytest.mark.parametrize("path", ["../escape.py", "/etc/passwd", "a/../../b.py", "", "a\\..\\b"])
def test_refuses_paths_leaving_the_folder(tmp_path: Path, path: str) -> None:
    files = [GeneratedFile("fine.py", ""), GeneratedFile(path, "boom")]
    with pytest.raises(UnsafePathError):
        write_suite(files, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_refuses_a_symlink_out_of_the_folder(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "link").symlink_to(tmp_path)
    with pytest.raises(UnsafePathError):
        write_suite([GeneratedFile("link/evil.py", "")], tmp_path / "out")
