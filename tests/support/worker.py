"""Run the real arq worker in burst mode: queued jobs (and jobs they queue) run, then it stops."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import SecretStr

from bot.intake import Delivery, Intake
from bot.settings import Settings
from bot.worker import build_worker
from tests.gitlab_sim.simulator import Simulator

SECRET = "hook-secret"


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
