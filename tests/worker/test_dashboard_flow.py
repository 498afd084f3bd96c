"""The opt-in dashboard issue: drawn on pushes to the default branch, one issue kept up to
date, and a ticked endpoint turned into a merge request with its tests."""

from __future__ import annotations

import json
from pathlib import Path

from bot.analysis.dashboard import MARKER, TITLE
from tests.gitlab_sim import payloads
from tests.gitlab_sim.issues import edit_issue, issue_payload, issues
from tests.gitlab_sim.model import DEVELOPER
from tests.gitlab_sim.simulator import Simulator
from tests.support.worker import deliver, run_burst, worker_settings

APP = """from fastapi import FastAPI

app = FastAPI()


@app.get("/pets")
def list_pets():
    return []


@app.get("/owners")
def list_owners():
    return []
"""
TESTS = """import httpx


def test_list_pets():
    assert httpx.get("http://localhost:8000/pets").status_code == 200
"""


def seed(sim: Simulator, dashboard: bool = True) -> int:
    files = {
        "app.py": APP,
        "tests/api/test_pets.py": TESTS,
        ".testgen.yml": f"dashboard: {str(dashboard).lower()}\n",
    }
    return sim.create_project("qa/pets", files=files).id


async def push(sim: Simulator, redis_url: str, project_id: int, files: dict[str, str]) -> None:
    before = sim.branches(project_id)["main"]
    sim.commit_files(project_id, "main", files, "change")
    person = next((u for u in sim.users.values() if u.username == "dev"), None)
    body = payloads.push_payload(
        sim, project_id, "main", before, user=person or sim.add_user("dev")
    )
    assert await deliver(redis_url, "Push Hook", json.dumps(body), key=f"push-{before}")


async def test_pushes_draw_one_dashboard_issue_and_keep_it_current(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id = seed(gitlab_sim)
    settings = worker_settings(gitlab_sim, tmp_path, summary_debounce_seconds=0.1)
    await push(gitlab_sim, redis_url, project_id, {"README.md": "1"})
    await run_burst(settings, redis_url)

    [issue] = issues(gitlab_sim, project_id)
    assert issue.title == TITLE and MARKER in issue.description
    assert "**50.0 %** (1 of 2 endpoints, 1 tests)" in issue.description
    assert "- [ ] `GET /owners` <!-- testgen:generate GET /owners -->" in issue.description
    assert "| `pets` | 1 | 1 | 100.0 |" in issue.description

    await push(
        gitlab_sim,
        redis_url,
        project_id,
        {"tests/api/test_owners.py": TESTS.replace("pets", "owners")},
    )
    await run_burst(settings, redis_url)

    [issue] = issues(gitlab_sim, project_id)
    assert "**100.0 %** (2 of 2 endpoints, 2 tests)" in issue.description


async def test_a_ticked_endpoint_gets_a_merge_request_with_its_tests(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id = seed(gitlab_sim)
    settings = worker_settings(gitlab_sim, tmp_path, summary_debounce_seconds=0.1)
    await push(gitlab_sim, redis_url, project_id, {"README.md": "1"})
    await run_burst(settings, redis_url)
    [issue] = issues(gitlab_sim, project_id)

    previous = issue.description
    edit_issue(
        gitlab_sim,
        project_id,
        issue.iid,
        previous.replace("- [ ] `GET /owners`", "- [x] `GET /owners`"),
    )
    person = gitlab_sim.add_user("qa-lead")
    gitlab_sim.add_member(project_id, person, DEVELOPER)
    body = issue_payload(gitlab_sim, project_id, issue.iid, person, previous)
    assert await deliver(redis_url, "Issue Hook", json.dumps(body), key="tick")
    await run_burst(settings, redis_url)

    [mr] = [
        m for m in gitlab_sim.merge_requests(project_id) if m.source_branch.startswith("testgen/")
    ]
    generated = gitlab_sim.files(project_id, mr.source_branch)
    new_tests = [
        p for p in generated if p.startswith("tests/api/") and p not in ("tests/api/test_pets.py",)
    ]
    assert any("/owners" in generated[p].decode() for p in new_tests)
    assert not any('api.get("/pets")' in generated[p].decode() for p in new_tests)
    [issue] = issues(gitlab_sim, project_id)
    assert f"!{mr.iid}" in issue.description and "- [ ] `GET /owners`" in issue.description


async def test_without_the_opt_in_there_is_no_dashboard(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id = seed(gitlab_sim, dashboard=False)
    await push(gitlab_sim, redis_url, project_id, {"README.md": "1"})
    await run_burst(worker_settings(gitlab_sim, tmp_path, summary_debounce_seconds=0.1), redis_url)
    assert issues(gitlab_sim, project_id) == []
