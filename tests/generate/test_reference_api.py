"""The generated suite passes against the reference API and fails against every mutant."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reference_api.app import MUTANTS, make_app
from tests.reference_api.harness import run_suite, write_generated_suite
from tests.support.uvicorn_thread import serve_in_thread

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def suite_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated_suite")
    write_generated_suite(folder)
    return folder


def test_generated_suite_passes_against_the_reference_api(suite_dir: Path) -> None:
    with serve_in_thread(make_app()) as base_url:
        result = run_suite(suite_dir, base_url)
    assert result.failed == 0, result.output
    assert result.passed >= 40
    assert any((suite_dir / ".allure").iterdir())


@pytest.mark.parametrize("mutant", sorted(MUTANTS))
def test_generated_suite_kills_the_mutant(suite_dir: Path, mutant: str) -> None:
    with serve_in_thread(make_app(mutant)) as base_url:
        result = run_suite(suite_dir, base_url, stop_early=True)
    assert result.failed >= 1, f"{mutant} ({MUTANTS[mutant]}) survived:\n{result.output}"
