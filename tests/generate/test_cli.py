"""`testgen generate`: a spec file or a directory in, a written suite out."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.generate import MARKER
from tests.reference_api.harness import SPEC


def test_generates_from_a_single_spec_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate", str(SPEC), "--out", str(tmp_path / "api")]) == 0
    names = sorted(p.name for p in (tmp_path / "api").iterdir())
    assert names == ["conftest.py", "test_orders.py", "test_owners.py", "test_pets.py"]
    assert "wrote" in capsys.readouterr().out


def test_generates_from_a_directory(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "docs").mkdir(parents=True)
    shutil.copy(SPEC, repo / "docs" / "openapi.yaml")
    assert main(["generate", str(repo), "--out", str(tmp_path / "api")]) == 0
    assert (tmp_path / "api" / "test_pets.py").read_text().startswith(MARKER)


def test_base_url_env_reaches_the_conftest(tmp_path: Path) -> None:
    out = tmp_path / "api"
    assert main(["generate", str(SPEC), "--out", str(out), "--base-url-env", "PETS_URL"]) == 0
    assert 'BASE_URL_ENV = "PETS_URL"' in (out / "conftest.py").read_text()


def test_keeps_hand_written_files_and_reports_skips(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "api"
    out.mkdir()
    hand = 'def test_orders(api):\n    assert api.post("/orders", json={}).status_code\n'
    (out / "test_orders.py").write_text(hand)
    assert main(["generate", str(SPEC), "--out", str(out)]) == 0
    assert (out / "test_orders.py").read_text() == hand
    skipped = f"skipped POST /orders: already tested in {(out / 'test_orders.py').as_posix()}"
    assert skipped in capsys.readouterr().out


def test_missing_source_is_a_usage_error(tmp_path: Path) -> None:
    assert main(["generate", str(tmp_path / "nope.yaml"), "--out", str(tmp_path)]) == 2


def test_a_file_that_is_not_a_spec_is_a_usage_error(tmp_path: Path) -> None:
    other = tmp_path / "values.yaml"
    other.write_text("replicas: 3\n")
    assert main(["generate", str(other), "--out", str(tmp_path / "api")]) == 2


def test_llm_on_without_a_key_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    assert main(["generate", str(SPEC), "--out", str(tmp_path), "--llm", "on"]) == 2
    assert "OPENAI_API_KEY" in capsys.readouterr().err


def test_llm_auto_without_a_key_stays_deterministic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    assert main(["generate", str(SPEC), "--out", str(tmp_path / "a"), "--llm", "auto"]) == 0
    assert main(["generate", str(SPEC), "--out", str(tmp_path / "b")]) == 0
    for name in ("test_pets.py", "conftest.py"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_auth_header_flags_override_the_spec(tmp_path: Path) -> None:
    out = tmp_path / "api"
    flags = ["--auth-header", "X-Token", "--auth-scheme", ""]
    assert main(["generate", str(SPEC), "--out", str(out), *flags]) == 0
    conftest = (out / "conftest.py").read_text()
    assert 'AUTH_HEADER_NAME = "X-Token"' in conftest
    assert 'AUTH_SCHEME = ""' in conftest


def test_a_query_key_in_the_spec_travels_as_a_client_parameter(tmp_path: Path) -> None:
    scheme = {"key": {"type": "apiKey", "in": "query", "name": "api_key"}}
    ok = {"security": [{"key": []}], "responses": {"200": {"description": "ok"}}}
    spec = {
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "components": {"securitySchemes": scheme},
        "paths": {"/things": {"get": ok}},
    }
    source = tmp_path / "openapi.json"
    source.write_text(json.dumps(spec), encoding="utf-8")
    assert main(["generate", str(source), "--out", str(tmp_path / "a")]) == 0
    assert 'AUTH_QUERY_NAME = "api_key"' in (tmp_path / "a" / "conftest.py").read_text()
    flags = ["--auth-header", "X-Token"]
    assert main(["generate", str(source), "--out", str(tmp_path / "b"), *flags]) == 0
    conftest = (tmp_path / "b" / "conftest.py").read_text()
    assert 'AUTH_HEADER_NAME = "X-Token"' in conftest
    assert 'AUTH_SCHEME = "Bearer"' in conftest
