"""Which files `validate` reads: named files as given, test modules under folders."""

from pathlib import Path

from bot.validate.paths import collect_paths


def test_folders_yield_pytest_test_modules_only(tmp_path: Path) -> None:
    for name in ("test_a.py", "b_test.py", "conftest.py", "helpers.py", "test_c.txt"):
        (tmp_path / name).write_text("")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "test_d.py").write_text("")
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "test_hidden.py").write_text("")
    found = [p.relative_to(tmp_path).as_posix() for p in collect_paths([tmp_path])]
    assert found == ["b_test.py", "sub/test_d.py", "test_a.py"]


def test_named_files_are_kept_and_duplicates_dropped(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text("")
    (tmp_path / "test_a.py").write_text("")
    found = collect_paths([tmp_path / "conftest.py", tmp_path, tmp_path / "test_a.py"])
    assert [p.name for p in found] == ["conftest.py", "test_a.py"]
