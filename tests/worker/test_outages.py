"""GitLab rate-limited, failing or slow for a while: every event is answered exactly once after.

The timelines are the issue's (429 with `Retry-After: 120` for 100 s; 500 on everything for
100 s; 5 s per answer), scaled by TESTGEN_FAULT_SCALE (default 0.02, so CI runs them in
seconds; `TESTGEN_FAULT_SCALE=1` plays them in full). The bot's retry horizon is short but
longer than the outage; a GitLab call waits in line at most 0.2 s, so the job-level retries and
the shared breaker are what carry each event through.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from bot import deadletter
from bot.cli import main
from bot.jobs.dead import FAILED_EMOJI
from tests.gitlab_sim.simulator import Simulator
from tests.support.fault_proxy import Phase, fault_proxy
from tests.support.worker import bot_notes, comment, run_burst, worker_settings

SCALE = float(os.environ.get("TESTGEN_FAULT_SCALE", "0.02"))
OUTAGES = {
    "rate limited, Retry-After 120": Phase(100 * SCALE, status=429, retry_after=120 * SCALE),
    "500 on everything": Phase(100 * SCALE, status=500),
    "5 s per answer": Phase(100 * SCALE, delay=5 * SCALE),
}
EVENTS = 4


def seed(sim: Simulator, count: int) -> list[tuple[int, int]]:
    project = sim.create_project("qa/shop", files={"app.py": "print('hi')\n"})
    mrs = []
    for n in range(count):
        sim.create_branch(project.id, f"feature-{n}", "main")
        mrs.append((project.id, sim.add_merge_request(project.id, f"feature-{n}").iid))
    return mrs


def short_retries(horizon: float) -> dict[str, object]:
    return {
        "retry_horizon_seconds": horizon,
        "retry_backoff_seconds": 0.1,
        "retry_backoff_max_seconds": 0.5,
        "gitlab_call_max_wait_seconds": 0.2,
    }


@pytest.mark.parametrize("outage", list(OUTAGES))
async def test_every_event_is_answered_exactly_once_after_the_outage(
    outage: str, gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    mrs = seed(gitlab_sim, EVENTS)
    notes = [
        await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen help")
        for project_id, mr_iid in mrs
    ]
    with fault_proxy(gitlab_sim.base_url) as (proxy, url):
        settings = worker_settings(gitlab_sim, tmp_path).model_copy(
            update={"gitlab_url": url, **short_retries(300 * SCALE)}
        )
        proxy.play(OUTAGES[outage])
        await run_burst(settings, redis_url)
        if OUTAGES[outage].status is not None:
            assert proxy.over(), "the worker finished before GitLab recovered"
            assert proxy.faulted > 0

    for (project_id, mr_iid), note_id in zip(mrs, notes, strict=True):
        assert len(bot_notes(gitlab_sim, project_id, mr_iid)) == 1
        awards = [e.name for e in gitlab_sim.note_emoji(project_id, mr_iid, note_id)]
        # reactions are best effort (one GitLab refuses mid-outage is not retried: README);
        # what the asker sees is 👀 and/or ✅, each at most once, never ❌
        assert awards and set(awards) <= {"eyes", "white_check_mark"}
        assert len(awards) == len(set(awards))
    assert (
        len(gitlab_sim.requests("POST", path=r"/merge_requests/\d+/(discussions/\w+/)?notes$"))
        == EVENTS
    )
    async with _redis(redis_url) as client:
        assert await deadletter.list_dead(client) == []


async def test_an_outage_past_the_horizon_dead_letters_the_job_and_replay_answers_once(
    gitlab_sim: Simulator,
    redis_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    [(project_id, mr_iid)] = seed(gitlab_sim, 1)
    note_id = await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen help")
    with fault_proxy(gitlab_sim.base_url) as (proxy, url):
        horizon = 20 * SCALE
        settings = worker_settings(gitlab_sim, tmp_path).model_copy(
            update={"gitlab_url": url, **short_retries(horizon)}
        )
        proxy.play(Phase(100 * SCALE, status=500))
        await run_burst(settings, redis_url)  # dies at the horizon, announced after recovery
        assert proxy.over()

        async with _redis(redis_url) as client:
            [dead] = await deadletter.list_dead(client)
        [announcement] = bot_notes(gitlab_sim, project_id, mr_iid)
        assert f"testgen replay {dead.job_id}" in announcement
        awards = {e.name for e in gitlab_sim.note_emoji(project_id, mr_iid, note_id)}
        assert FAILED_EMOJI in awards

        monkeypatch.setenv("REDIS_URL", redis_url)
        monkeypatch.setenv("WEBHOOK_SECRET", "a-secret-of-16-characters")
        assert await asyncio.to_thread(main, ["replay", "--all"]) == 0
        await run_burst(settings, redis_url)

    [_, answer] = bot_notes(gitlab_sim, project_id, mr_iid)
    assert "/testgen generate" in answer  # the help table: the command ran
    async with _redis(redis_url) as client:
        assert await deadletter.list_dead(client) == []
    await run_burst(settings, redis_url)  # nothing left to do: no second answer
    assert len(bot_notes(gitlab_sim, project_id, mr_iid)) == 2
    assert f"queued again: {dead.job_id}" in capsys.readouterr().out


def _redis(url: str):  # type: ignore[no-untyped-def]
    from redis.asyncio import Redis

    return Redis.from_url(url)
