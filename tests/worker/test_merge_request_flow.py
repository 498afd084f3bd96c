"""Merge request events keep the source branch's inventory current, and only then."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from redis.asyncio import Redis

from bot.inventory_store import InventoryStore
from tests.gitlab_sim import payloads
from tests.gitlab_sim.simulator import Simulator
from tests.support.worker import deliver, run_burst, worker_settings

APP = """from flask import Flask

app = Flask(__name__)


@app.get("/ping")
def ping():
    return {}
"""


async def scanned(redis_url: str, project_id: int, branch: str) -> list[str]:
    client = Redis.from_url(redis_url)
    try:
        head = await InventoryStore(client).head(project_id, branch)
    finally:
        await client.aclose()
    return [] if head is None else [f"{e.method} {e.path}" for e in head.inventory.endpoints]


async def send(sim: Simulator, redis_url: str, body: dict[str, Any], key: str) -> None:
    assert await deliver(redis_url, "Merge Request Hook", json.dumps(body), key=key)


def seed(sim: Simulator, branch: str = "feature") -> tuple[int, int]:
    project = sim.create_project("qa/svc", files={"README.md": "x"})
    sim.create_branch(project.id, branch, "main")
    sim.commit_files(project.id, branch, {"app.py": APP}, "Ping")
    return project.id, sim.add_merge_request(project.id, branch).iid


async def test_an_opened_mr_gets_its_source_branch_scanned(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, iid = seed(gitlab_sim)
    await send(
        gitlab_sim, redis_url, payloads.merge_request_payload(gitlab_sim, project_id, iid), "o"
    )

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    assert await scanned(redis_url, project_id, "feature") == ["GET /ping"]


async def test_an_update_rescans_only_when_it_brings_commits(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, iid = seed(gitlab_sim)
    retitled = payloads.merge_request_payload(gitlab_sim, project_id, iid, "update")
    await send(gitlab_sim, redis_url, retitled, "title")
    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)
    assert await scanned(redis_url, project_id, "feature") == []

    pushed = payloads.merge_request_payload(gitlab_sim, project_id, iid, "update")
    pushed["object_attributes"]["oldrev"] = "0" * 39 + "1"
    await send(gitlab_sim, redis_url, pushed, "commits")
    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)
    assert await scanned(redis_url, project_id, "feature") == ["GET /ping"]


async def test_fork_and_bot_merge_requests_are_not_scanned(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, iid = seed(gitlab_sim)
    fork = payloads.merge_request_payload(gitlab_sim, project_id, iid)
    fork["object_attributes"]["source_project_id"] = project_id + 1000
    await send(gitlab_sim, redis_url, fork, "fork")
    bot_project, bot_iid = seed(gitlab_sim, "testgen/generate/feature")
    own = payloads.merge_request_payload(gitlab_sim, bot_project, bot_iid)
    await send(gitlab_sim, redis_url, own, "own")

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    assert await scanned(redis_url, project_id, "feature") == []
    assert await scanned(redis_url, bot_project, "testgen/generate/feature") == []
    assert gitlab_sim.requests("GET", path=r"/repository/tree") == []
