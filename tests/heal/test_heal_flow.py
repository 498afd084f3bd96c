"""Healing through GitLab (the simulator) and the real worker: a push, a red pipeline, a command."""

from __future__ import annotations

import json
from pathlib import Path

from redis.asyncio import Redis

from bot.followup import TRAILER
from bot.heal.changes import SAME_HANDLER
from bot.heal.store import HealStore
from bot.jobs.heal_ci import REGRESSIONS
from bot.replies import MARKER
from tests.gitlab_sim import payloads
from tests.gitlab_sim.pipelines import add_pipeline, pipeline_payload
from tests.gitlab_sim.simulator import Simulator
from tests.support.worker import (
    answer,
    bot_reply,
    comment,
    deliver,
    reactions,
    run_burst,
    worker_settings,
)

ZERO = "0" * 40
API_V1 = """from flask import Flask, jsonify

app = Flask(__name__)


@app.route("/owners")
def list_owners():
    return jsonify([])


@app.route("/owners/<int:owner_id>")
def get_owner(owner_id):
    return jsonify({"id": owner_id})


@app.route("/pets")
def list_pets():
    return jsonify([])
"""
API_V2 = API_V1.replace('"/owners"', '"/people"').replace('"/owners/<', '"/people/<')
CONFTEST = """import os

import httpx
import pytest


@pytest.fixture
def api():
    return httpx.Client(base_url=os.environ["API_BASE_URL"])
"""
TEST_OWNERS = """import allure


@allure.story("GET /owners")
def test_list_owners(api):
    response = api.get("/owners")
    assert response.status_code == 200


@allure.story("GET /owners/{owner_id}")
def test_get_owner(api):
    response = api.get(f"/owners/{1}")
    assert response.json()["id"] == 1
"""
# the rewrite, by hand: the two paths and the two stories, nothing else
TEST_OWNERS_HEALED = """import allure


@allure.story("GET /people")
def test_list_owners(api):
    response = api.get("/people")
    assert response.status_code == 200


@allure.story("GET /people/{owner_id}")
def test_get_owner(api):
    response = api.get(f"/people/{1}")
    assert response.json()["id"] == 1
"""
TEST_PETS = """def test_list_pets(api):
    response = api.get("/pets")
    assert response.status_code == 200
"""
FILES: dict[str, str | bytes | None] = {
    "app/api.py": API_V1,
    "tests/api/conftest.py": CONFTEST,
    "tests/api/test_owners.py": TEST_OWNERS,
    "tests/api/test_pets.py": TEST_PETS,
}


def heal_mrs(sim: Simulator, project_id: int) -> list:  # type: ignore[type-arg]
    return [
        m for m in sim.merge_requests(project_id) if m.source_branch.startswith("testgen/heal/")
    ]


async def push(sim: Simulator, redis_url: str, project_id: int, branch: str, before: str) -> None:
    body = payloads.push_payload(sim, project_id, branch, before, user=sim.add_user("dev"))
    assert await deliver(redis_url, "Push Hook", json.dumps(body), key=f"push-{body['after']}")


async def pipeline(
    sim: Simulator, redis_url: str, project_id: int, branch: str, status: str, **kwargs: object
) -> None:
    made = add_pipeline(sim, project_id, branch, status, **kwargs)  # type: ignore[arg-type]
    body = json.dumps(pipeline_payload(sim, made.id))
    assert await deliver(redis_url, "Pipeline Hook", body, key=f"pipeline-{made.id}")


def changed_files(sim: Simulator, project_id: int, branch: str, base: str) -> dict[str, str]:
    after, before = sim.files(project_id, branch), sim.files(project_id, base)
    return {p: c.decode() for p, c in after.items() if before.get(p) != c}


async def test_a_push_renaming_a_route_yields_one_heal_mr_whose_diff_is_the_rewrite(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project = gitlab_sim.create_project("qa/shop", files=FILES)
    settings = worker_settings(gitlab_sim, tmp_path)
    await push(gitlab_sim, redis_url, project.id, "main", ZERO)
    await run_burst(settings, redis_url)
    before = gitlab_sim.branches(project.id)["main"]
    gitlab_sim.commit_files(project.id, "main", {"app/api.py": API_V2}, "Owners are people")

    await push(gitlab_sim, redis_url, project.id, "main", before)
    await run_burst(settings, redis_url)

    [mr] = heal_mrs(gitlab_sim, project.id)
    assert (mr.source_branch, mr.target_branch) == ("testgen/heal/main", "main")
    changed = changed_files(gitlab_sim, project.id, mr.source_branch, "main")
    assert changed == {"tests/api/test_owners.py": TEST_OWNERS_HEALED}
    assert "`/owners` → `/people`" in mr.description
    [commit] = gitlab_sim.commits(project.id, mr.source_branch)[:1]
    assert f"{TRAILER}: heal" in commit.message
    client = Redis.from_url(redis_url)
    try:
        log = await HealStore(client).log(project.id, "main")
    finally:
        await client.aclose()
    moved = [e for e in log if e["kind"] == "action" and e["rule"] == "path-renamed"]
    assert [(e["file"], e["line"], e["old"], e["new"]) for e in moved] == [
        ("tests/api/test_owners.py", 6, "/owners", "/people"),
        ("tests/api/test_owners.py", 12, "/owners/", "/people/"),
    ]
    assert {"sha": gitlab_sim.branches(project.id)["main"], "trigger": "push"}.items() <= moved[
        0
    ].items()
    [run] = [e for e in log if e["kind"] == "run"]
    assert (run["broken"], run["healed"]) == (2, 2)


async def test_a_red_pipeline_heals_changed_endpoints_and_reports_a_likely_regression(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project = gitlab_sim.create_project("qa/shop", files=FILES)
    gitlab_sim.create_branch(project.id, "people", "main")
    feature = gitlab_sim.add_merge_request(project.id, "people", title="Owners are people")
    settings = worker_settings(gitlab_sim, tmp_path)
    await push(gitlab_sim, redis_url, project.id, "people", ZERO)
    await pipeline(gitlab_sim, redis_url, project.id, "people", "success")
    await run_burst(settings, redis_url)
    green = gitlab_sim.branches(project.id)["people"]
    gitlab_sim.commit_files(project.id, "people", {"app/api.py": API_V2}, "Rename")
    await push(gitlab_sim, redis_url, project.id, "people", green)
    await run_burst(settings, redis_url)
    [healed_by_push] = heal_mrs(gitlab_sim, project.id)

    failing = [
        ("failed", "tests.api.test_owners", "test_list_owners"),
        ("failed", "tests.api.test_pets", "test_list_pets"),
        ("success", "tests.api.test_owners", "test_get_owner"),
    ]
    await pipeline(gitlab_sim, redis_url, project.id, "people", "failed", cases=failing)
    await run_burst(settings, redis_url)

    [same] = heal_mrs(gitlab_sim, project.id)
    assert same.iid == healed_by_push.iid
    assert changed_files(gitlab_sim, project.id, same.source_branch, "people") == {
        "tests/api/test_owners.py": TEST_OWNERS_HEALED
    }
    said = bot_reply(gitlab_sim, project.id, feature.iid)
    assert REGRESSIONS.format(green=green[:12]) in said
    assert "`tests.api.test_pets::test_list_pets` → `GET /pets`" in said
    assert "test_list_owners` →" not in said
    assert f"!{same.iid}" in said


async def test_a_red_pipeline_on_the_default_branch_comments_nowhere(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project = gitlab_sim.create_project("qa/shop", files=FILES)
    settings = worker_settings(gitlab_sim, tmp_path)
    await push(gitlab_sim, redis_url, project.id, "main", ZERO)
    await pipeline(gitlab_sim, redis_url, project.id, "main", "success")
    await run_burst(settings, redis_url)
    failing = [("failed", "tests.api.test_pets", "test_list_pets")]
    await pipeline(gitlab_sim, redis_url, project.id, "main", "failed", cases=failing)
    await run_burst(settings, redis_url)
    assert heal_mrs(gitlab_sim, project.id) == []
    assert all(not m.notes for m in gitlab_sim.merge_requests(project.id))


async def test_the_heal_command_heals_against_the_target_branch(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project = gitlab_sim.create_project("qa/shop", files=FILES)
    gitlab_sim.create_branch(project.id, "people", "main")
    gitlab_sim.commit_files(project.id, "people", {"app/api.py": API_V2}, "Rename")
    feature = gitlab_sim.add_merge_request(project.id, "people", title="Owners are people")
    await comment(gitlab_sim, redis_url, project.id, feature.iid, "/testgen heal")
    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    [mr] = heal_mrs(gitlab_sim, project.id)
    assert mr.target_branch == "people"
    assert changed_files(gitlab_sim, project.id, mr.source_branch, "people") == {
        "tests/api/test_owners.py": TEST_OWNERS_HEALED
    }
    reply = bot_reply(gitlab_sim, project.id, feature.iid)
    assert f"Opened [!{mr.iid}]" in reply
    sure = round(SAME_HANDLER * 100)  # the route keeps its Flask view function
    assert (
        "| `tests/api/test_owners.py` | 6 | path-renamed | `/owners` → `/people` | "
        f"{sure} % | yes |" in reply
    )


async def test_hand_written_tests_outside_the_generated_folder_are_healed_too(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    # no .testgen.yml: generated tests would go to tests/api, the team's own live in tests/
    files = {
        "app/api.py": API_V1,
        "tests/conftest.py": CONFTEST,
        "tests/test_owners.py": TEST_OWNERS,
    }
    project = gitlab_sim.create_project("qa/shop", files=files)
    settings = worker_settings(gitlab_sim, tmp_path)
    await push(gitlab_sim, redis_url, project.id, "main", ZERO)
    await run_burst(settings, redis_url)
    before = gitlab_sim.branches(project.id)["main"]
    gitlab_sim.commit_files(project.id, "main", {"app/api.py": API_V2}, "Owners are people")

    await push(gitlab_sim, redis_url, project.id, "main", before)
    await run_burst(settings, redis_url)

    [mr] = heal_mrs(gitlab_sim, project.id)
    changed = changed_files(gitlab_sim, project.id, mr.source_branch, "main")
    assert changed == {"tests/test_owners.py": TEST_OWNERS_HEALED}


async def test_a_broken_testgen_yml_is_answered_in_the_thread_as_other_commands_do(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    broken = "tests_dir: [\n"
    project = gitlab_sim.create_project("qa/shop", files={**FILES, ".testgen.yml": broken})
    gitlab_sim.create_branch(project.id, "people", "main")
    gitlab_sim.commit_files(project.id, "people", {"app/api.py": API_V2}, "Rename")
    mr = gitlab_sim.add_merge_request(project.id, "people", title="Owners are people")

    note_id = await comment(gitlab_sim, redis_url, project.id, mr.iid, "/testgen heal")
    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    reply = answer(gitlab_sim, project.id, mr.iid, note_id)
    assert "is not valid YAML, so nothing ran" in reply and "```text\n" in reply
    assert reactions(gitlab_sim, project.id, mr.iid, note_id) == ["eyes", "x"]
    assert not [n for n in gitlab_sim.notes(project.id, mr.iid) if MARKER in n.body]
