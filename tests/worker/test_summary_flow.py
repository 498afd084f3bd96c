"""The MR summary's coverage and duplicates: one comment and a coverage status when an MR
opens; quick pushes coalesced into one job that edits that same comment once."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from bot.analysis.coverage_render import NEW_UNTESTED, STATUS_NAME
from bot.replies import MARKER
from tests.gitlab_sim import payloads
from tests.gitlab_sim.simulator import Simulator
from tests.support.worker import comment, deliver, run_burst, worker_settings

APP = """from fastapi import FastAPI

app = FastAPI()


@app.get("/pets")
def list_pets():
    return []


@app.get("/pets/{pet_id}")
def get_pet(pet_id: int):
    return {}
"""
TESTS = """import httpx

BASE_URL = "http://localhost:8000"


def test_list_pets():
    assert httpx.get(BASE_URL + "/pets").status_code == 200


def test_list_pets_again():
    assert httpx.get(BASE_URL + "/pets").status_code == 200
"""
OWNERS = '\n\n@app.get("/owners")\ndef list_owners():\n    return []\n'


def seed(sim: Simulator) -> tuple[int, int]:
    project = sim.create_project("qa/pets", files={"app.py": APP, "tests/api/test_pets.py": TESTS})
    sim.create_branch(project.id, "feature", "main")
    sim.commit_files(project.id, "feature", {"app.py": APP + OWNERS}, "Owners")
    return project.id, sim.add_merge_request(project.id, "feature").iid


def bot_notes(sim: Simulator, project_id: int, iid: int) -> list[str]:
    return [n.body for n in sim.notes(project_id, iid) if MARKER in n.body]


async def send(redis_url: str, body: dict[str, Any], key: str) -> None:
    assert await deliver(redis_url, "Merge Request Hook", json.dumps(body), key=key)


async def test_an_opened_mr_gets_one_summary_comment_and_a_coverage_status(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, iid = seed(gitlab_sim)
    await send(redis_url, payloads.merge_request_payload(gitlab_sim, project_id, iid), "open")

    await run_burst(worker_settings(gitlab_sim, tmp_path, summary_debounce_seconds=0.2), redis_url)

    [note] = bot_notes(gitlab_sim, project_id, iid)
    assert "**33.3 %** of endpoints have tests (1 of 3) · ▼ 16.7 points against `main`" in note
    assert NEW_UNTESTED.format(n=1) in note and "- `GET /owners`" in note
    assert "**1 group(s)** of near-identical tests" in note
    head = gitlab_sim.branches(project_id)["feature"]
    [status] = [s for s in gitlab_sim.statuses(project_id) if s.name == STATUS_NAME]
    assert (status.sha, status.state) == (head, "success")
    assert (status.description or "").startswith("33.3 % of 3 endpoints tested (−16.7 vs main)")


async def test_quick_pushes_edit_the_same_comment_once(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, iid = seed(gitlab_sim)
    settings = worker_settings(gitlab_sim, tmp_path, summary_debounce_seconds=0.5)
    await send(redis_url, payloads.merge_request_payload(gitlab_sim, project_id, iid), "open")
    await run_burst(settings, redis_url)
    [note] = gitlab_sim.notes(project_id, iid)
    gitlab_sim.clear_requests()

    tests = TESTS.replace("def test_list_pets_again", "def _helper")
    for n, extra in enumerate(
        [{"README.md": "1"}, {"README.md": "2"}, {"tests/api/test_pets.py": tests}]
    ):
        old = gitlab_sim.branches(project_id)["feature"]
        gitlab_sim.commit_files(project_id, "feature", extra, f"push {n}")
        pushed = payloads.merge_request_payload(gitlab_sim, project_id, iid, "update")
        pushed["object_attributes"]["oldrev"] = old
        await send(redis_url, pushed, f"push-{n}")
    await run_burst(settings, redis_url)

    assert len(gitlab_sim.requests("POST", path=r"/notes$")) == 0
    assert len(gitlab_sim.requests("PUT", path=rf"/notes/{note.id}$")) == 1
    [body] = bot_notes(gitlab_sim, project_id, iid)
    assert "No near-identical tests" in body  # the last push's state, not the first's
    head = gitlab_sim.branches(project_id)["feature"]
    assert any(s.sha == head for s in gitlab_sim.statuses(project_id) if s.name == STATUS_NAME)


async def test_a_push_while_the_refresh_runs_is_caught_up(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    """The push's own job id is taken by the running job, so that job runs once more at the
    new head: the comment ends with the last push's state."""
    project_id, iid = seed(gitlab_sim)
    settings = worker_settings(gitlab_sim, tmp_path, summary_debounce_seconds=0.2)
    gitlab_sim.slow_next(1, delay=2.0, path=r"/statuses/", method="POST")
    await send(redis_url, payloads.merge_request_payload(gitlab_sim, project_id, iid), "open")

    async def push_while_it_runs() -> None:
        for _ in range(600):  # the comment is written just before the (slowed) status
            if bot_notes(gitlab_sim, project_id, iid):
                break
            await asyncio.sleep(0.05)
        old = gitlab_sim.branches(project_id)["feature"]
        tests = TESTS.replace("def test_list_pets_again", "def _helper")
        gitlab_sim.commit_files(project_id, "feature", {"tests/api/test_pets.py": tests}, "dedupe")
        pushed = payloads.merge_request_payload(gitlab_sim, project_id, iid, "update")
        pushed["object_attributes"]["oldrev"] = old
        await send(redis_url, pushed, "during")

    await asyncio.gather(run_burst(settings, redis_url), push_while_it_runs())

    [body] = bot_notes(gitlab_sim, project_id, iid)
    assert "No near-identical tests" in body
    head = gitlab_sim.branches(project_id)["feature"]
    assert any(s.sha == head for s in gitlab_sim.statuses(project_id) if s.name == STATUS_NAME)


async def test_new_commits_bring_the_summarys_api_changes_up_to_date(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, iid = seed(gitlab_sim)
    settings = worker_settings(gitlab_sim, tmp_path, summary_debounce_seconds=0.2)
    await comment(gitlab_sim, redis_url, project_id, iid, "/testgen report")
    await run_burst(settings, redis_url)
    [before] = bot_notes(gitlab_sim, project_id, iid)
    assert "| `GET` | `/owners` | added |" in before

    old = gitlab_sim.branches(project_id)["feature"]
    renamed = (APP + OWNERS).replace('"/owners"', '"/people"')
    gitlab_sim.commit_files(project_id, "feature", {"app.py": renamed}, "Owners are people")
    pushed = payloads.merge_request_payload(gitlab_sim, project_id, iid, "update")
    pushed["object_attributes"]["oldrev"] = old
    await send(redis_url, pushed, "rename")
    await run_burst(settings, redis_url)

    [after] = bot_notes(gitlab_sim, project_id, iid)
    assert "| `GET` | `/people` | added |" in after and "/owners" not in after
    assert after.count("### API changes") == 1
