"""The healing scenario: a QA engineer's suite for API v1, healed by `testgen heal` to fit v2.

v2 renames a collection path, renames a path parameter, renames a response field (the same
name stays in a query parameter and the request body), adds a required request field and
removes an endpoint. The expected rewrite is written by hand in `expected.diff`: it is the
specification, every other byte of every file stays as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.cli import main
from tests.heal.shop_api import create_app
from tests.support.uvicorn_thread import serve_in_thread

HEAL = Path(__file__).resolve().parents[1] / "fixtures" / "heal"
V1, V2 = HEAL / "api_v1.yaml", HEAL / "api_v2.yaml"
REMOVED = "testgen heal: DELETE /pets/{petId} was removed from the API"


@dataclass(frozen=True)
class Outcome:
    passed: list[str]
    failed: list[str]
    skipped: dict[str, str]  # test → reason
    output: str


def run_suite(suite: Path, version: int) -> Outcome:
    """Run the suite with pytest in a fresh interpreter against the API served on loopback."""
    report = suite.parent / f"report-{version}.xml"
    with serve_in_thread(create_app(version)) as url:
        done = subprocess.run(
            [sys.executable, "-m", "pytest", str(suite), "-q", "-p", "no:cacheprovider",
             "--rootdir", str(suite), "-o", "addopts=", "--junitxml", str(report),
             "-W", "ignore::DeprecationWarning"],
            env={**os.environ, "API_BASE_URL": url}, capture_output=True, text=True,
            timeout=120, check=False,
        )  # fmt: skip
    passed, failed, skipped = [], [], {}
    for case in ET.parse(report).getroot().iter("testcase"):
        name = case.get("name", "")
        if case.find("skipped") is not None:
            skipped[name] = case.find("skipped").get("message", "")  # type: ignore[union-attr]
        elif case.find("failure") is not None or case.find("error") is not None:
            failed.append(name)
        else:
            passed.append(name)
    return Outcome(passed, failed, skipped, done.stdout + done.stderr)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.py"))}


def heal(suite: Path, *extra: str) -> int:
    return main(["heal", "--tests", str(suite), "--old", str(V1), "--new", str(V2), *extra])


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    folder = tmp_path / "suite"
    shutil.copytree(HEAL / "suite", folder)
    return folder


def test_the_suite_passes_on_v1_and_breaks_on_v2(suite: Path) -> None:
    on_v1 = run_suite(suite, 1)
    assert len(on_v1.passed) == 8 and not on_v1.failed, on_v1.output
    on_v2 = run_suite(suite, 2)
    assert len(on_v2.failed) == 7, on_v2.output


def test_after_heal_every_healable_test_passes_on_v2_and_the_removed_one_is_skipped(
    suite: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert heal(suite, "--format", "json") == 0
    log = json.loads(capsys.readouterr().out)
    outcome = run_suite(suite, 2)
    assert outcome.failed == [], outcome.output
    assert len(outcome.passed) == 7
    assert outcome.skipped == {"test_delete_pet": REMOVED}
    assert [u["test"] for u in log["unhealable"]] == ["test_delete_pet"]
    assert log["unhealable"][0]["reason"] == REMOVED
    assert {"file", "line", "rule", "old", "new", "confidence", "applied"} <= set(log["actions"][0])
    assert all(a["applied"] for a in log["actions"])


def test_the_rewrite_is_exactly_the_expected_diff(
    suite: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(suite)
    assert heal(suite, "--dry-run") == 0
    printed = capsys.readouterr().out
    assert snapshot(suite) == before, "--dry-run wrote to the tests"
    expected = (HEAL / "expected.diff").read_text()
    assert printed.startswith(expected)
    assert printed[len(expected) :].startswith("conftest.py:")  # then the log, no more diff


def test_healing_twice_changes_nothing(suite: Path) -> None:
    heal(suite)
    healed = snapshot(suite)
    heal(suite)
    assert snapshot(suite) == healed
    assert healed != snapshot(HEAL / "suite")
