"""`testgen scan`: JSON and table output, cache options, usage errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main


def test_json_output_lists_endpoints_and_warnings(
    fixtures: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["scan", str(fixtures / "flask_app"), "--cache-dir", str(tmp_path / "c")])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["warnings"] == []
    first = data["endpoints"][0]
    assert {k: first[k] for k in ("method", "path", "framework", "file", "line", "handler")} == {
        "method": "GET",
        "path": "/api/v2/orders/",
        "framework": "flask",
        "file": "shop/api/orders.py",
        "line": 7,
        "handler": "orders",
    }
    assert len(data["endpoints"]) == 13
    assert any((tmp_path / "c").rglob("snapshots"))


def test_table_output_without_cache(
    fixtures: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    code = main(["scan", str(fixtures / "fastapi_app"), "--format", "table", "--no-cache"])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out[0].split() == ["METHOD", "PATH", "FRAMEWORK", "HANDLER", "LOCATION"]
    assert out[1].split() == ["GET", "/", "fastapi", "root", "backend/app/main.py:14"]
    assert "11 endpoints, 1 warnings" in out
    assert not (tmp_path / ".testgen-cache").exists()


def test_bad_path_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", str(tmp_path / "missing"), "--no-cache"]) == 2
    assert "is not a directory" in capsys.readouterr().err


def test_cache_options_are_exclusive(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["scan", ".", "--no-cache", "--cache-dir", "x"])
    assert raised.value.code == 2


def test_subprocess_run(fixtures: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "scan", str(fixtures / "django_app"), "--no-cache"],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["endpoints"]) == 24
