"""`--kind`, `.testgen.yml` suites and thresholds, and the functional suite's slow mark."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.generate import GenerateOptions, write_suite
from bot.generate.kinds import configured_kinds, plan_kinds, split_kind_args, suite_of
from bot.generate.spec import load_inventory
from bot.repo_config import parse_repo_config
from bot.validate.config import ConfigError
from tests.reference_api.app import make_app
from tests.reference_api.harness import SPEC, run_suite
from tests.support.uvicorn_thread import serve_in_thread


def test_kind_words_are_taken_out_of_the_command_arguments() -> None:
    assert split_kind_args(["--kind", "security", "GET", "/a"]) == (["security"], ["GET", "/a"])
    assert split_kind_args(["--kind=ALL"]) == (["all"], [])
    assert split_kind_args(["--kind", "chaos"]) == ([], ["--kind chaos"])


def test_testgen_yml_kinds_name_suites_or_functional_case_kinds() -> None:
    assert configured_kinds(["happy", "negative"]) == ["functional"]
    assert configured_kinds(["security"]) == ["security"]
    assert configured_kinds(["happy", "performance"]) == ["functional", "performance"]
    assert configured_kinds(["all"]) == ["functional", "security", "performance"]


def test_testgen_yml_reads_thresholds_and_refuses_an_impossible_error_rate() -> None:
    text = "performance:\n  p95_ms: 300\n  slow_ms: 800\nsecurity:\n  inventory_tests: true\n"
    config = parse_repo_config(text)
    assert (config.performance.p95_ms, config.performance.error_rate) == (300, 0.01)
    assert config.performance.slow_ms == 800 and config.security.inventory_tests
    with pytest.raises(ConfigError):
        parse_repo_config("performance:\n  error_rate: 2\n")


def test_each_generated_file_belongs_to_one_suite() -> None:
    assert suite_of("security/test_pets_security.py") == "security"
    assert suite_of("generated/performance/locustfile_pets.py") == "performance"
    assert suite_of("test_pets.py") == "functional"


def test_cli_kind_all_writes_every_suite_byte_identically(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    for out in (first, second):
        assert main(["generate", str(SPEC), "--out", str(out), "--kind", "all"]) == 0
    capsys.readouterr()
    written = sorted(p.relative_to(first).as_posix() for p in first.rglob("*.py"))
    assert "security/conftest.py" in written and "performance/locustfile_pets.py" in written
    assert "test_pets.py" in written and "conftest.py" in written
    for relative in written:
        assert (first / relative).read_bytes() == (second / relative).read_bytes(), relative


def test_cli_default_kind_is_the_functional_suite_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate", str(SPEC), "--out", str(tmp_path)]) == 0
    capsys.readouterr()
    assert not (tmp_path / "security").exists() and not (tmp_path / "performance").exists()


@pytest.mark.e2e
def test_a_slow_response_is_an_allure_warning_not_a_failure(tmp_path: Path) -> None:
    inventory = load_inventory(SPEC)
    options = GenerateOptions(only=[("GET", "/pets")], kinds=["happy"])
    result = plan_kinds(inventory, options, {}, ["functional"], slow_ms=1)
    write_suite(result.files, tmp_path)
    with serve_in_thread(make_app()) as base_url:
        outcome = run_suite(tmp_path, base_url)
    assert outcome.failed == 0 and outcome.passed >= 1, outcome.output
    results = [json.loads(p.read_text()) for p in (tmp_path / ".allure").glob("*-result.json")]
    assert results and all(r["status"] == "passed" for r in results)
    assert "warning: slow response" in _attachment_names(results)


def _attachment_names(node: object) -> list[str]:
    """Names of every attachment in Allure results, the ones inside steps included."""
    if isinstance(node, list):
        return [name for item in node for name in _attachment_names(item)]
    if not isinstance(node, dict):
        return []
    own = [str(a["name"]) for a in node.get("attachments", [])]
    return own + _attachment_names(node.get("steps", []))
