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
