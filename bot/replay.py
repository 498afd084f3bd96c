"""`testgen replay`: list the dead-letter list, or queue its jobs again."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import sys

from redis.asyncio import Redis

from bot import deadletter
from bot.settings import load_settings

NEEDS_REDIS = (
    "testgen replay: set REDIS_URL to the bot's Redis (with the embedded Redis: stop "
    "`testgen serve` and pass --embedded)"
)
NOTHING_DEAD = "No dead jobs."
NOT_DEAD = "testgen replay: {job_id} is not on the dead-letter list"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    which = parser.add_mutually_exclusive_group()
    which.add_argument("job_id", nargs="?", help="the dead job to run again")
    which.add_argument("--all", action="store_true", help="run every dead job again")
    parser.add_argument(
        "--embedded",
        action="store_true",
        help="the embedded Redis under TESTGEN_DATA_DIR (only while `testgen serve` is stopped)",
    )


def _when(epoch: float) -> str:
    return datetime.datetime.fromtimestamp(epoch, datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


async def replay(redis_url: str, job_id: str | None, every: bool) -> int:
    """Print the dead jobs (no `job_id`, no `every`), or queue them again; exit code."""
    client = Redis.from_url(redis_url)
    try:
        dead = await deadletter.list_dead(client)
        if not job_id and not every:
            if not dead:
                print(NOTHING_DEAD)
            for entry in dead:
                print(f"{entry.job_id}\t{_when(entry.died_at)}\t{entry.tries} tries\t{entry.error}")
            return 0
        chosen = dead if every else [d for d in dead if d.job_id == job_id]
        if job_id and not chosen:
            print(NOT_DEAD.format(job_id=job_id), file=sys.stderr)
            return 1
        replayed = 0
        for entry in chosen:
            if await deadletter.replay(client, entry):
                replayed += 1
                print(f"queued again: {entry.job_id}")
        if every and not chosen:
            print(NOTHING_DEAD)
        return 0 if replayed == len(chosen) else 1
    finally:
        await client.aclose()


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    with contextlib.ExitStack() as stack:
        redis_url = settings.redis_url
        if redis_url is None:
            if not args.embedded:
                print(NEEDS_REDIS, file=sys.stderr)
                return 2
            from bot.embedded_redis import embedded_redis

            redis_url = stack.enter_context(embedded_redis(settings.data_dir / "redis"))
        return asyncio.run(replay(redis_url, args.job_id, args.all))
