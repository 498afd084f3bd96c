"""Every GitLab call is counted and timed by route template, and DEBUG-logged without a token."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from prometheus_client import REGISTRY

from bot._gitlab_routes import route_template
from bot.gitlab import GitLab, NotFound
from tests.conftest import REPO_ROOT
from tests.gitlab_sim import Simulator
from tests.support.worker import comment, run_burst, worker_settings


@pytest.fixture
async def gl(gitlab_sim: Simulator) -> AsyncIterator[GitLab]:
    async with httpx.AsyncClient() as client:
        yield GitLab(client, url=gitlab_sim.base_url, token=gitlab_sim.bot.token)


def calls(method: str, route: str, status: str) -> float:
    labels = {"method": method, "route": route, "status": status}
    return REGISTRY.get_sample_value("testgen_gitlab_requests_total", labels) or 0.0


def timed(method: str, route: str) -> float:
    labels = {"method": method, "route": route}
    return REGISTRY.get_sample_value("testgen_gitlab_request_duration_seconds_count", labels) or 0


API = "http://h/api/v4/projects"
TEMPLATES = [
    (f"{API}/grp%2Fapp/merge_requests/7/notes?page=2", "/projects/:id/merge_requests/:iid/notes"),
    (f"{API}/5/repository/files/a%2Fb.py/raw", "/projects/:id/repository/files/:file_path/raw"),
    (f"{API}/5/members/all/9", "/projects/:id/members/all/:user_id"),
    (f"{API}/5/repository/branches/notes", "/projects/:id/repository/branches/:branch"),
    (
        f"{API}/5/merge_requests/1/discussions/ab12/notes",
        "/projects/:id/merge_requests/:iid/discussions/:discussion_id/notes",
    ),
]


@pytest.mark.parametrize(("url", "template"), TEMPLATES)
def test_route_templates_hold_no_values(url: str, template: str) -> None:
    assert route_template(url) == template


async def test_each_call_is_counted_by_method_route_and_status(
    gitlab_sim: Simulator, gl: GitLab
) -> None:
    project = gitlab_sim.create_project("grp/app", files={"a.py": "x = 1\n"})
    route = "/projects/:id/repository/files/:file_path/raw"
    ok, missing = calls("GET", route, "200"), calls("GET", route, "404")
    seen = timed("GET", route)

    await gl.raw_file(project.id, "a.py", "main")
    with pytest.raises(NotFound) as raised:
        await gl.raw_file(project.id, "nope.py", "main")

    assert calls("GET", route, "200") == ok + 1
    assert calls("GET", route, "404") == missing + 1
    assert timed("GET", route) == seen + 2
    assert (raised.value.method, raised.value.route) == ("GET", route)  # for plain-words replies


async def test_each_command_is_counted_with_its_outcome(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project = gitlab_sim.create_project("qa/shop", files={"app.py": "x = 1\n"})
    gitlab_sim.create_branch(project.id, "feature", "main")
    mr = gitlab_sim.add_merge_request(project.id, "feature")
    labels = {"command": "help", "outcome": "help"}
    before = REGISTRY.get_sample_value("testgen_commands_total", labels) or 0.0
    timed_before = (
        REGISTRY.get_sample_value("testgen_command_duration_seconds_count", {"command": "help"})
        or 0.0
    )
    await comment(gitlab_sim, redis_url, project.id, mr.iid, "/testgen help")

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    assert REGISTRY.get_sample_value("testgen_commands_total", labels) == before + 1
    count = REGISTRY.get_sample_value("testgen_command_duration_seconds_count", {"command": "help"})
    assert count == timed_before + 1


DEBUG_PROGRAM = """
import asyncio, httpx, structlog
from pydantic import SecretStr
from bot.gitlab import GitLab
from bot.logs import configure_logging
from bot.settings import Settings

configure_logging(
    Settings(gitlab_token=SecretStr("{token}"), log_level="{level}", log_format="json")
)

async def main():
    async with httpx.AsyncClient() as client:
        await GitLab(client, url="{url}", token="{token}").current_user()

asyncio.run(main())
"""


@pytest.mark.parametrize("level", ["DEBUG", "INFO"])
def test_debug_logs_each_call_without_the_token(gitlab_sim: Simulator, level: str) -> None:
    program = DEBUG_PROGRAM.format(token=gitlab_sim.bot.token, url=gitlab_sim.base_url, level=level)
    result = subprocess.run(
        [sys.executable, "-c", program], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stderr.splitlines()]
    logged = [e for e in events if e["event"] == "gitlab_call"]
    if level == "INFO":
        assert logged == []
        return
    [call] = logged
    assert (call["method"], call["path"], call["status"]) == ("GET", "/api/v4/user", "200")
    assert isinstance(call["ms"], float)
    assert gitlab_sim.bot.token not in result.stderr
