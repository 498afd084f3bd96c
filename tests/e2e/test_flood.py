"""One person's 300 KiB comment of 20,000 commands does not stall the bot for anyone else.

`testgen serve` runs as a real subprocess (receiver and worker) against the simulator.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest

from bot.limits import TOO_MANY
from tests.gitlab_sim import payloads
from tests.gitlab_sim.model import DEVELOPER
from tests.gitlab_sim.simulator import Simulator
from tests.support.bot_process import clean_env, serving, wait_for

pytestmark = pytest.mark.e2e
SECRET = "flood-secret-0123456789"
LINES = 20_000


def note_delivery(sim: Simulator, project_id: int, mr_iid: int, user: str, text: str) -> bytes:
    author = sim.add_user(user)
    sim.add_member(project_id, author, DEVELOPER)
    note = sim.add_note(project_id, mr_iid, author, text)
    return json.dumps(payloads.note_payload(sim, project_id, mr_iid, note.id)).encode()


def timed_post(client: httpx.Client, body: bytes, key: str) -> tuple[httpx.Response, float]:
    started = time.perf_counter()
    response = client.post(
        "/webhook", content=body, headers=payloads.headers("Note Hook", SECRET, delivery=key)
    )
    return response, time.perf_counter() - started


def job_seconds(log: str, delivery: str) -> float:
    for line in log.splitlines():
        if '"job finished"' in line and f'"delivery_id": "idem:{delivery}"' in line:
            return float(json.loads(line)["seconds"])
    raise AssertionError(f"no finished job for {delivery}")


def test_a_flood_comment_is_answered_once_and_stalls_no_one(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project = gitlab_sim.create_project("qa/shop", files={"app.py": "print('hi')\n"})
    for branch in ("flood", "other"):
        gitlab_sim.create_branch(project.id, branch, "main")
    flood_mr = gitlab_sim.add_merge_request(project.id, "flood").iid
    other_mr = gitlab_sim.add_merge_request(project.id, "other").iid
    text = "\n".join(f"/testgen help w{n}" for n in range(LINES))
    assert len(text.encode()) >= 300 * 1024
    flood = note_delivery(gitlab_sim, project.id, flood_mr, "mallory", text)
    help_ = note_delivery(gitlab_sim, project.id, other_mr, "bob", "/testgen help")
    env = clean_env(
        GITLAB_URL=gitlab_sim.base_url,
        GITLAB_TOKEN=gitlab_sim.bot.token,
        WEBHOOK_SECRET=SECRET,
        REDIS_URL=redis_url,
        TESTGEN_DATA_DIR=str(tmp_path / "data"),
    )
    with serving(env, tmp_path / "bot.log") as (bot, base), httpx.Client(base_url=base) as client:
        timed_post(client, b"{}", "warm-up")  # the first request pays for imports
        flooded, flood_latency = timed_post(client, flood, "flood")
        helped, help_latency = timed_post(client, help_, "help")
        asked = time.monotonic()
        assert (flooded.status_code, helped.status_code) == (202, 202)

        def bot_notes(mr_iid: int) -> list[str]:
            notes = gitlab_sim.notes(project.id, mr_iid)
            return [n.body for n in notes if n.author_id == gitlab_sim.bot.id]

        wait_for(lambda: bot_notes(other_mr), timeout=5, what="bob's answer")
        help_answered = time.monotonic() - asked
        ignored = TOO_MANY.format(limit=5)
        wait_for(lambda: any(ignored in n for n in bot_notes(flood_mr)), what="the flood notice")
        time.sleep(0.5)  # anything more would have come by now
        flood_notes = bot_notes(flood_mr)
        log = bot.output()

    assert sum(ignored in n for n in flood_notes) == 1
    assert flood_latency < 0.1 and help_latency < 0.1
    assert help_answered < 2.0
    assert job_seconds(log, "flood") < 1.0  # the worker is free again within a second
