"""`testgen doctor` against the GitLab simulator and a real Redis: one ✓/✗ line per check."""

from __future__ import annotations

import pytest

from bot.cli import main
from bot.install_hook import install_hook
from tests.gitlab_sim import REPORTER, Simulator
from tests.test_install_hook import client

HOOK_URL = "https://bot.example.com/webhook"
SECRET = "doctor-secret-0123456789"


@pytest.fixture
def env(gitlab_sim: Simulator, redis_url: str, monkeypatch: pytest.MonkeyPatch) -> Simulator:
    monkeypatch.setenv("GITLAB_URL", gitlab_sim.base_url)
    monkeypatch.setenv("GITLAB_TOKEN", gitlab_sim.bot.token)
    monkeypatch.setenv("REDIS_URL", redis_url)
    for name in ("WEBHOOK_SECRET", "OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return gitlab_sim


def test_a_sound_set_up_passes_every_check(
    env: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    env.create_project("grp/app")
    install_hook(client(env), "grp/app", HOOK_URL, SECRET)

    code = main(["doctor", "--project", "grp/app", "--url", HOOK_URL])

    lines = capsys.readouterr().out.splitlines()
    assert code == 0
    assert lines[0] == f"✓ token accepted: the bot is @{env.bot.username} (user {env.bot.id})"
    assert lines[1] == f"✓ @{env.bot.username} has Maintainer access to grp/app"
    assert lines[2].startswith("✓ webhook ") and HOOK_URL in lines[2]
    assert lines[3] == "✓ Redis at REDIS_URL answers"
    assert lines[4].startswith("✓ LLM not configured")
    assert lines[5] == "5 of 5 checks passed."


def test_each_problem_is_a_cross_with_its_fix(
    env: Simulator, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    env.create_project("grp/app", bot_access=REPORTER)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")

    code = main(["doctor", "--project", "grp/app"])

    out = capsys.readouterr().out
    assert code == 1
    crosses = [line for line in out.splitlines() if line.startswith("✗")]
    assert [c.split(" ", 2)[1] for c in crosses] == [f"@{env.bot.username}", "cannot", "Redis"]
    assert "has Reporter access to grp/app" in crosses[0]
    assert "fix: give @testgen-bot Developer access" in out
    assert "cannot list the hooks of grp/app (403)" in crosses[1]
    assert "fix: start Redis or correct REDIS_URL" in out
    assert out.rstrip().endswith("2 of 5 checks passed.")


def test_a_rejected_token_is_the_first_cross(
    env: Simulator, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    env.create_project("grp/app")
    monkeypatch.setenv("GITLAB_TOKEN", "glpat-not-a-real-token")

    assert main(["doctor", "--project", "grp/app"]) == 1

    out = capsys.readouterr().out
    assert out.startswith(f"✗ GITLAB_TOKEN rejected by {env.base_url} (401)")
    assert "fix: create an access token for the bot user" in out
    assert "glpat-not-a-real-token" not in out


def test_a_hook_without_comment_events_is_named(
    env: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    project = env.create_project("grp/app")
    install_hook(client(env), "grp/app", HOOK_URL, SECRET)
    with env.lock:
        next(iter(env.project(project).hooks.values())).events["note_events"] = False

    assert main(["doctor", "--project", "grp/app", "--url", HOOK_URL]) == 1

    out = capsys.readouterr().out
    assert "lacks note_events" in out
    assert f"fix: testgen install-hook --project grp/app --url {HOOK_URL}" in out
