"""Run the real arq worker in burst mode: queued jobs (and jobs they queue) run, then it stops."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from bot.intake import Delivery, Intake
from bot.settings import Settings
from bot.worker import build_worker
from tests.gitlab_sim import payloads
from tests.gitlab_sim.model import DEVELOPER, User
from tests.gitlab_sim.simulator import Simulator

SECRET = "hook-secret-0123456789"


def worker_settings(sim: Simulator, data_dir: Path, **extra: Any) -> Settings:
    return Settings(
        gitlab_url=sim.base_url,
        gitlab_token=SecretStr(sim.bot.token),
        webhook_secret=SecretStr(SECRET),
        data_dir=data_dir,
        **extra,
    )


async def run_burst(settings: Settings, redis_url: str) -> None:
    worker = build_worker(settings, redis_url, burst=True, handle_signals=False, poll_delay=0.05)
    try:
        await worker.main()
    finally:
        await worker.close()


async def deliver(redis_url: str, event: str, body: str, key: str) -> bool:
    """What the receiver does with an authenticated delivery: enqueue it once."""
    from redis.asyncio import Redis

    client = Redis.from_url(redis_url)
    try:
        return await Intake(client, 3600).enqueue(Delivery(key=key, event=event, body=body))
    finally:
        await client.aclose()


async def comment(
    sim: Simulator,
    redis_url: str,
    project_id: int,
    mr_iid: int,
    text: str,
    *,
    author: User | None = None,
    level: int = DEVELOPER,
) -> int:
    """A member (a new Developer unless told) comments `text`; GitLab delivers the Note Hook."""
    user = author or sim.add_user(f"member{sim.next_id()}")
    sim.add_member(project_id, user, level)
    note = sim.add_note(project_id, mr_iid, user, text)
    body = json.dumps(payloads.note_payload(sim, project_id, mr_iid, note.id))
    assert await deliver(redis_url, "Note Hook", body, key=f"note-{note.id}")
    return note.id


def bot_notes(sim: Simulator, project_id: int, mr_iid: int) -> list[str]:
    return [n.body for n in sim.notes(project_id, mr_iid) if n.author_id == sim.bot.id]


def bot_reply(sim: Simulator, project_id: int, mr_iid: int) -> str:
    """The bot's one summary comment on the MR (fails when there is none or more than one)."""
    from bot.replies import MARKER

    [note] = [body for body in bot_notes(sim, project_id, mr_iid) if MARKER in body]
    return note


def answer(sim: Simulator, project_id: int, mr_iid: int, note_id: int) -> str:
    """The bot's one answer in the thread of comment `note_id` (fails unless exactly one)."""
    thread = sim.thread(project_id, mr_iid, note_id)
    [reply] = [n.body for n in thread if n.author_id == sim.bot.id and n.id != note_id]
    return reply


def reactions(sim: Simulator, project_id: int, mr_iid: int, note_id: int) -> list[str]:
    """The bot's emoji on comment `note_id`, in the order awarded."""
    awards = sim.note_emoji(project_id, mr_iid, note_id)
    return [a.name for a in awards if a.user_id == sim.bot.id]
