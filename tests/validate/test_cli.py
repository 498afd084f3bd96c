"""`testgen validate`: exit codes 0/1/2 and every output format."""

import argparse
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from bot.validate import cli

CLEAN = """\
import allure


@allure.feature("Users")
@allure.story("GET /users")
@allure.title("List users")
def test_list(api):
    with allure.step("Act: GET /users"):
        response = api.get("/users")
    with allure.step("Assert: ok"):
        assert response.status_code == 200
"""
DIRTY = """\
def test_list(api):
    response = api.get("/users")
    assert response.status_code == 200
"""


def _run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="testgen validate")
    cli.add_arguments(parser)
    return cli.run(parser.parse_args(list(argv)))


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_clean.py").write_text(CLEAN)
    return tmp_path


def test_clean_tree_exits_0(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("tests") == 0
    assert capsys.readouterr().out == ""


def test_findings_exit_1_in_text(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "tests" / "test_dirty.py").write_text(DIRTY)
    assert _run("tests") == 1
    out = capsys.readouterr().out.splitlines()
    assert (
        out[0]
        == "tests/test_dirty.py:1:5 missing-label test `test_list` has no Allure `feature` label"
    )
    assert len(out) == 4


@pytest.mark.parametrize("fmt", ["json", "codequality", "junit"])
def test_each_format_parses(repo: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    (repo / "tests" / "test_dirty.py").write_text(DIRTY)
    assert _run("tests", "--format", fmt) == 1
    out = capsys.readouterr().out
    if fmt == "json":
        assert json.loads(out)["files"] == 2
    elif fmt == "codequality":
        assert {issue["location"]["path"] for issue in json.loads(out)} == {"tests/test_dirty.py"}
    else:
        assert ET.fromstring(out).find("testsuite").get("failures") == "1"  # type: ignore[union-attr]


def test_fix_rewrites_files_and_then_validates(repo: Path) -> None:
    (repo / "tests" / "test_dirty.py").write_text(DIRTY)
    assert _run("tests", "--fix") == 0
    assert '@allure.story("GET /users")' in (repo / "tests" / "test_dirty.py").read_text()
    assert (repo / "tests" / "test_clean.py").read_text() == CLEAN


def test_default_config_file_is_read(repo: Path) -> None:
    (repo / "tests" / "test_dirty.py").write_text(DIRTY)
    (repo / ".testgen.yml").write_text(
        "validate:\n  rules:\n    missing-label: false\n    missing-step: false\n"
    )
    assert _run("tests") == 0


def test_bad_config_exits_2(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "bad.yml").write_text("validate:\n  rules:\n    no-such-rule: true\n")
    assert _run("tests", "--config", "bad.yml") == 2
    assert "no-such-rule" in capsys.readouterr().err


def test_missing_path_exits_2(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("nowhere") == 2
    assert "nowhere" in capsys.readouterr().err


def test_unknown_format_is_a_usage_error(repo: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        _run("tests", "--format", "yaml")
    assert exit_info.value.code == 2


def test_a_summary_line_ends_every_run(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "tests" / "test_dirty.py").write_text(DIRTY)  # fixable
    (repo / "tests" / "test_no_assert.py").write_text("def test_x(api):\n    api.get('/x')\n")
    assert _run("tests", "--fix", "--format", "json") == 1
    captured = capsys.readouterr()
    findings = len(json.loads(captured.out)["findings"])
    assert findings >= 1
    summary = f"testgen validate: 3 file(s) checked, {findings} finding(s), 2 fixed"
    assert captured.err.splitlines()[-1] == summary


def test_a_folder_without_test_files_is_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty"
    (empty / "pkg").mkdir(parents=True)
    (empty / "pkg" / "helpers.py").write_text("X = 1\n")
    assert _run(str(empty)) == 0
    err = capsys.readouterr().err
    assert f"no test files in {empty}" in err
    assert err.splitlines()[-1] == "testgen validate: 0 file(s) checked, 0 finding(s)"


def test_progress_is_shown_on_a_terminal_only(tmp_path: Path) -> None:
    import os
    import pty
    import subprocess
    import sys

    from tests.conftest import REPO_ROOT

    for n in range(cli.PROGRESS_FROM + 5):
        (tmp_path / f"test_{n}.py").write_text(CLEAN)
    command = [sys.executable, "-m", "bot.cli", "validate", str(tmp_path)]
    piped = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert "checked 1/" not in piped.stderr

    leader, follower = pty.openpty()
    with subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=follower) as p:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert p.wait(timeout=120) == 0
    os.close(leader)
    shown = b"".join(chunks).decode()
    total = cli.PROGRESS_FROM + 5
    assert f"checked 1/{total}" in shown and f"checked {total - 1}/{total}" in shown
    assert shown.rstrip().endswith(f"{total} file(s) checked, 0 finding(s)")
