"""Moving spooled deliveries into the queue, oldest first, once Redis answers again."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import structlog
from redis.exceptions import RedisError

from bot import metrics
from bot.intake import Intake
from bot.spool import Spool

log = structlog.get_logger("bot.drain")


async def drain_once(spool: Spool, intake: Intake) -> int:
    """Enqueue what the spool holds, in order; stop at the first Redis failure. Returns moved."""
    moved = 0
    for entry in spool.entries():
        try:
            delivery = spool.read(entry)
        except (OSError, ValueError, KeyError) as error:
            _quarantine(spool, entry, str(error))
            continue
        try:
            queued = await intake.enqueue(delivery)
        except (RedisError, OSError):
            break
        spool.remove(entry)
        moved += 1
        log.info("spooled delivery drained", delivery_id=delivery.key, duplicate=not queued)
    metrics.SPOOL_DEPTH.set(spool.pending)
    return moved


def _quarantine(spool: Spool, entry: Path, reason: str) -> None:
    bad = spool.folder / "unreadable"
    bad.mkdir(exist_ok=True)
    entry.rename(bad / entry.name)
    spool.remove(entry)
    log.error("unreadable spool entry set aside", file=str(bad / entry.name), reason=reason)


async def drain_forever(spool: Spool, intake: Intake, wake: asyncio.Event, interval: float) -> None:
    """Drain whenever woken or every `interval` seconds while anything is spooled."""
    while True:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wake.wait(), timeout=interval)
        wake.clear()
        if spool.pending or spool.entries():
            await drain_once(spool, intake)
