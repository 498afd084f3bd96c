"""What event handlers get besides the event: how to enqueue jobs and who the bot is."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis

from bot.gitlab import GitLab
from bot.settings import Settings

Enqueue = Callable[..., Awaitable[Any]]


@dataclass(frozen=True)
class HandlerDeps:
    """Handlers decide, jobs do: a handler enqueues with a deterministic `_job_id`."""

    settings: Settings
    gitlab: GitLab
    bot_user_id: int
    enqueue: Enqueue
    redis: Redis | None = None  # rate limits; None in handlers' unit tests: no limits
