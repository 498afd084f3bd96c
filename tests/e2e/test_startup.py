"""`testgen serve` checks its set-up before it starts: every problem at once, exit code 2."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO_ROOT
from tests.gitlab_sim.simulator import Simulator
from tests.support.bot_process import BotProcess, clean_env, wait_for
from tests.support.redis_server import free_port

pytestmark = pytest.mark.e2e
SECRET = "startup-secret-0123456789"


def run_testgen(
    args: list[str], env: dict[str, str], timeout: float = 30
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_a_wrong_token_stops_serve_within_10_s_with_one_line_and_exit_code_2(
    gitlab_sim: Simulator, tmp_path: Path
) -> None:
    env = clean_env(
        GITLAB_URL=gitlab_sim.base_url,
        GITLAB_TOKEN="glpat-wrong-token-0123",
        WEBHOOK_SECRET=SECRET,
        TESTGEN_DATA_DIR=str(tmp_path / "data"),
        LOG_LEVEL="info",
    )
    started = time.monotonic()
    result = run_testgen(["serve", "--host", "127.0.0.1", "--port", str(free_port())], env)
    elapsed = time.monotonic() - started

    assert result.returncode == 2
    assert elapsed < 10
    [line] = (result.stdout + result.stderr).strip().splitlines()
    assert "GITLAB_TOKEN" in line and "401" in line
    assert "glpat-wrong-token-0123" not in line
    assert gitlab_sim.requests("GET", path=r"/user$")[0].status == 401


def test_every_missing_or_invalid_variable_is_named_at_once(tmp_path: Path) -> None:
    env = clean_env(
        GITLAB_URL="gitlab.example.com",
        WEBHOOK_SECRET="short",
        TESTGEN_PORT="eighty",
        TESTGEN_DATA_DIR=str(tmp_path / "data"),
    )
    result = run_testgen(["serve"], env)

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "testgen: cannot start, fix the environment:"
    named = sorted(line.strip().split(":", 1)[0] for line in lines[1:])
    assert named == ["GITLAB_TOKEN", "GITLAB_URL", "TESTGEN_PORT", "WEBHOOK_SECRET"]
    assert "short" not in result.stderr  # a secret's value is never echoed


def test_a_blank_webhook_secret_is_refused(tmp_path: Path) -> None:
    env = clean_env(GITLAB_TOKEN="t", WEBHOOK_SECRET=" " * 20, TESTGEN_DATA_DIR=str(tmp_path))
    result = run_testgen(["serve"], env)
    assert result.returncode == 2
    assert "WEBHOOK_SECRET: must have at least 16 non-blank characters" in result.stderr


def test_serve_without_worker_refuses_the_embedded_redis(tmp_path: Path) -> None:
    env = clean_env(WEBHOOK_SECRET=SECRET, TESTGEN_DATA_DIR=str(tmp_path / "data"))
    result = run_testgen(["serve", "--no-worker"], env)

    assert result.returncode == 2
    assert "REDIS_URL: not set" in result.stderr
    assert not (tmp_path / "data" / "redis").exists()  # nothing was started


def test_an_unreachable_gitlab_is_shown_as_not_ready_with_the_reason(tmp_path: Path) -> None:
    gitlab = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    port = free_port()
    env = clean_env(
        GITLAB_URL=gitlab,
        GITLAB_TOKEN="glpat-any-token-0123",
        WEBHOOK_SECRET=SECRET,
        TESTGEN_DATA_DIR=str(tmp_path / "data"),
    )
    bot = BotProcess(["serve", "--host", "127.0.0.1", "--port", str(port)], env, tmp_path / "log")
    bot.start()
    try:

        def ready_answer() -> httpx.Response | None:
            assert bot.process is not None and bot.process.poll() is None, bot.output()
            try:
                return httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=1)
            except httpx.HTTPError:
                return None

        answer = wait_for(ready_answer, 30, "the receiver to answer")
        assert answer.status_code == 503
        assert answer.json()["status"] == "unavailable"
        assert "unreachable" in answer.json()["reason"] and gitlab in answer.json()["reason"]
        assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200
    finally:
        assert bot.stop() == 0
