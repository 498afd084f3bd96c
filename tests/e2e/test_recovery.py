"""Nothing is lost and nothing happens twice: a worker killed mid-job, Redis going away."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import pytest

from tests.gitlab_sim import payloads
from tests.gitlab_sim.model import DEVELOPER
from tests.gitlab_sim.simulator import Simulator
from tests.support.bot_process import BotProcess, clean_env, serving, wait_for
from tests.support.redis_server import RedisServer, free_port
from tests.support.worker import deliver

pytestmark = pytest.mark.e2e
SECRET = "e2e-secret-0123456789"


def help_comment(sim: Simulator) -> tuple[int, int, bytes]:
    project = sim.create_project("qa/shop", files={"README.md": "shop\n"})
    sim.create_branch(project.id, "feature", "main")
    mr = sim.add_merge_request(project.id, "feature")
    author = sim.add_user("alice")
    sim.add_member(project.id, author, DEVELOPER)
    note = sim.add_note(project.id, mr.iid, author, "/testgen help")
    body = json.dumps(payloads.note_payload(sim, project.id, mr.iid, note.id)).encode()
    return project.id, mr.iid, body


def bot_notes(sim: Simulator, project_id: int, mr_iid: int) -> list[str]:
    return [n.body for n in sim.notes(project_id, mr_iid) if n.author_id == sim.bot.id]


def test_a_worker_killed_mid_reply_replies_exactly_once_after_restart(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid, body = help_comment(gitlab_sim)
    metrics_port = free_port()
    env = clean_env(
        GITLAB_URL=gitlab_sim.base_url,
        GITLAB_TOKEN=gitlab_sim.bot.token,
        REDIS_URL=redis_url,
        TESTGEN_JOB_TIMEOUT="3",
        TESTGEN_WORKER_METRICS_PORT=str(metrics_port),
    )
    # the reply's POST reaches GitLab, which answers late: the worker dies before it hears back
    gitlab_sim.slow_next(1, delay=2.0, path=r"/discussions/\w+/notes$", method="POST")
    asyncio.run(deliver(redis_url, "Note Hook", body.decode(), key="note"))
    worker = BotProcess(["worker"], env, tmp_path / "worker.log")
    worker.start()
    try:
        wait_for(lambda: gitlab_sim.faults.pending() == 0, what="the reply to be on its way")
        worker.kill()
        wait_for(lambda: bot_notes(gitlab_sim, project_id, mr_iid), what="GitLab to keep it")

        worker.start()
        # arq hands the job to the new worker once the dead one's claim expires (timeout + 10 s)
        wait_for(
            lambda: '"outcome": "ok"' in worker.output(),
            timeout=40,
            what="the job to run again",
        )
        metrics = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics").text
        assert 'testgen_jobs_total{function="run_command",outcome="ok"} 1.0' in metrics
    finally:
        worker.stop()

    assert len(bot_notes(gitlab_sim, project_id, mr_iid)) == 1
    assert len(gitlab_sim.requests("POST", path=r"/notes$")) == 1
    # the rerun looked for its answer's marker among the MR's notes and found it
    assert gitlab_sim.requests("GET", path=r"/merge_requests/\d+/notes$")


def test_a_delivery_during_a_redis_outage_is_answered_and_processed_once_redis_is_back(
    gitlab_sim: Simulator, tmp_path: Path
) -> None:
    project_id, mr_iid, body = help_comment(gitlab_sim)
    redis = RedisServer(tmp_path / "redis")
    redis.start()
    env = clean_env(
        GITLAB_URL=gitlab_sim.base_url,
        GITLAB_TOKEN=gitlab_sim.bot.token,
        WEBHOOK_SECRET=SECRET,
        REDIS_URL=redis.url,
        TESTGEN_DATA_DIR=str(tmp_path / "data"),
        TESTGEN_SPOOL_DRAIN_INTERVAL="0.2",
    )
    try:
        with serving(env, tmp_path / "bot.log") as (_, base):
            redis.stop()
            headers = payloads.headers("Note Hook", SECRET, delivery="during-outage")
            answer = httpx.post(f"{base}/webhook", content=body, headers=headers, timeout=10)
            again = httpx.post(f"{base}/webhook", content=body, headers=headers, timeout=10)
            assert (answer.status_code, answer.json()["status"]) == (202, "spooled")
            assert again.status_code == 202
            assert bot_notes(gitlab_sim, project_id, mr_iid) == []

            redis.start()
            wait_for(
                lambda: bot_notes(gitlab_sim, project_id, mr_iid), 60, "the reply after the outage"
            )
            late = httpx.post(f"{base}/webhook", content=body, headers=headers, timeout=10)
            assert late.json()["status"] == "duplicate"
            wait_for(lambda: httpx.get(f"{base}/health/ready").status_code == 200, 10, "ready")
    finally:
        redis.stop()

    assert len(bot_notes(gitlab_sim, project_id, mr_iid)) == 1
    assert len(gitlab_sim.requests("POST", path=r"/notes$")) == 1
