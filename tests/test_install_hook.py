"""`testgen install-hook` against the GitLab simulator (python-gitlab speaks real HTTP)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

import gitlab
import pytest

from bot.install_hook import ERRORS, add_arguments, install_hook, run
from tests.gitlab_sim import DEVELOPER, Simulator, running_simulator

HOOK_URL = "https://bot.example.com/webhook"


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with running_simulator() as simulator:
        yield simulator


@pytest.fixture
def env(sim: Simulator, monkeypatch: pytest.MonkeyPatch) -> Simulator:
    """The process environment `testgen install-hook` reads its defaults from."""
    monkeypatch.setenv("GITLAB_URL", sim.base_url)
    monkeypatch.setenv("GITLAB_TOKEN", sim.bot.token)
    monkeypatch.setenv("WEBHOOK_SECRET", "s3cret-0123456789abcdef")
    monkeypatch.delenv("WEBHOOK_SIGNING_TOKEN", raising=False)
    return sim


def main(argv: list[str]) -> int:
    """`testgen install-hook …` as `bot.cli` dispatches it."""
    assert argv[0] == "install-hook"
    parser = argparse.ArgumentParser(prog="testgen install-hook")
    add_arguments(parser)
    return run(parser.parse_args(argv[1:]))


def client(sim: Simulator, token: str | None = None) -> gitlab.Gitlab:
    return gitlab.Gitlab(sim.base_url, private_token=token or sim.bot.token)


def test_creates_a_hook_for_push_mr_and_note_events(sim: Simulator) -> None:
    project = sim.create_project("grp/sub/app")
    result = install_hook(client(sim), "grp/sub/app", HOOK_URL, "s3cret")
    (hook,) = sim.hooks(project)
    assert result.created and result.hook_id == hook.id
    assert (hook.url, hook.token) == (HOOK_URL, "s3cret")
    events = hook.events
    assert events["push_events"] and events["merge_requests_events"] and events["note_events"]
    assert events["pipeline_events"]  # a failed pipeline is sorted and healed
    assert events["issues_events"]  # a ticked box on the dashboard issue asks for tests
    assert not events["tag_push_events"]
    assert events["enable_ssl_verification"]


def test_running_twice_leaves_one_hook_with_the_new_token(sim: Simulator) -> None:
    project = sim.create_project("grp/app")
    first = install_hook(client(sim), "grp/app", HOOK_URL, "old")
    second = install_hook(client(sim), str(project.id), HOOK_URL, "new", verify_ssl=False)
    (hook,) = sim.hooks(project)
    assert (first.created, second.created) == (True, False)
    assert second.hook_id == first.hook_id == hook.id
    assert hook.token == "new"
    assert hook.events["enable_ssl_verification"] is False


def test_hooks_for_other_urls_are_left_alone(sim: Simulator) -> None:
    project = sim.create_project("grp/app")
    install_hook(client(sim), "grp/app", "https://ci.example.com/hook", "ci")
    install_hook(client(sim), "grp/app", HOOK_URL, "s3cret")
    assert sorted(h.url for h in sim.hooks(project)) == [HOOK_URL, "https://ci.example.com/hook"]


def test_cli_uses_environment_defaults(env: Simulator, capsys: pytest.CaptureFixture[str]) -> None:
    project = env.create_project("grp/app")
    assert main(["install-hook", "--project", "grp/app", "--url", HOOK_URL, "--insecure"]) == 0
    assert main(["install-hook", "--project", "grp/app", "--url", HOOK_URL]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("created hook") and out[1].startswith("updated hook")
    (hook,) = env.hooks(project)
    assert (
        hook.token == "s3cret-0123456789abcdef" and hook.events["enable_ssl_verification"] is True
    )


def test_cli_reports_a_bad_token_in_one_line(
    env: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    env.create_project("grp/app")
    code = main(["install-hook", "--project", "grp/app", "--url", HOOK_URL, "--token", "nope"])
    err = capsys.readouterr().err
    assert code == 1
    assert err == f"testgen install-hook: {ERRORS[401]}\n"


def test_cli_reports_missing_rights_and_missing_projects(
    env: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    project = env.create_project("grp/app")
    developer = env.add_user("dev")
    env.add_member(project, developer, DEVELOPER)
    args = ["install-hook", "--url", HOOK_URL, "--token", developer.token]
    assert main([*args, "--project", "grp/app"]) == 1
    assert main([*args, "--project", "grp/missing"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "testgen install-hook: " + ERRORS[403].format(project="grp/app"),
        "testgen install-hook: " + ERRORS[404].format(project="grp/missing"),
    ]
    assert env.hooks(project) == []


def test_cli_without_a_secret_refuses(
    env: Simulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("WEBHOOK_SECRET", "")
    assert main(["install-hook", "--project", "grp/app", "--url", HOOK_URL]) == 1
    assert "WEBHOOK_SECRET" in capsys.readouterr().err
    assert env.requests() == []


@pytest.mark.parametrize(
    ("url", "extra", "said"),
    [
        ("ftp://bot.example.com/webhook", [], "is not an http(s) URL"),
        ("bot.example.com/webhook", [], "is not an http(s) URL"),
        ("http://bot.example.com/webhook", [], "plain http"),
    ],
)
def test_cli_refuses_a_url_gitlab_should_not_call(
    env: Simulator, capsys: pytest.CaptureFixture[str], url: str, extra: list[str], said: str
) -> None:
    env.create_project("grp/app")
    assert main(["install-hook", "--project", "grp/app", "--url", url, *extra]) == 1
    assert said in capsys.readouterr().err
    assert env.requests() == []


def test_cli_takes_plain_http_when_told(env: Simulator) -> None:
    project = env.create_project("grp/app")
    url = "http://10.0.0.5:8080/webhook"
    assert main(["install-hook", "--project", "grp/app", "--url", url, "--allow-http"]) == 0
    assert [h.url for h in env.hooks(project)] == [url]


def test_cli_refuses_a_short_secret(env: Simulator, capsys: pytest.CaptureFixture[str]) -> None:
    env.create_project("grp/app")
    args = ["install-hook", "--project", "grp/app", "--url", HOOK_URL]
    assert main([*args, "--secret", "short  secret   "]) == 1
    assert "at least 16 non-blank characters" in capsys.readouterr().err
    assert env.requests() == []
