"""The generated security suite passes on the reference API and kills each security mutant."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.generate.security_harness import write_kind
from tests.reference_api.app import SECURITY_MUTANTS, TOKEN_2, make_app
from tests.reference_api.harness import run_suite
from tests.support.uvicorn_thread import serve_in_thread

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def suite_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("security_suite")
    write_kind(folder, "security")
    return folder


def test_security_suite_passes_against_the_reference_api(
    suite_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("API_TOKEN_2", TOKEN_2)
    with serve_in_thread(make_app()) as base_url:
        result = run_suite(suite_dir, base_url)
    assert result.failed == 0, result.output
    assert result.passed >= 40


def test_without_a_second_credential_the_object_level_tests_are_skipped_with_the_reason(
    suite_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("API_TOKEN_2", raising=False)
    with serve_in_thread(make_app()) as base_url:
        result = run_suite(suite_dir, base_url)
    assert result.failed == 0, result.output
    report = ET.parse(suite_dir / ".report.xml").getroot()
    skipped = {
        case.get("name", ""): (case.find("skipped").get("message") or "")  # type: ignore[union-attr]
        for case in report.iter("testcase")
        if case.find("skipped") is not None
    }
    assert skipped and all("api1_other_user" in name for name in skipped), skipped
    assert all("API_TOKEN_2 is not set" in why for why in skipped.values()), skipped


@pytest.mark.parametrize("mutant", sorted(SECURITY_MUTANTS))
def test_security_suite_kills_the_mutant(
    suite_dir: Path, mutant: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("API_TOKEN_2", TOKEN_2)
    with serve_in_thread(make_app(mutant)) as base_url:
        result = run_suite(suite_dir, base_url, stop_early=True)
    assert result.failed >= 1, f"{mutant} ({SECURITY_MUTANTS[mutant]}) survived:\n{result.output}"
