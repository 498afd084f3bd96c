"""The typed arq `ctx` our jobs read, and the clients created once per worker."""

from __future__ import annotations

from typing import Any, TypedDict

import httpx
from arq.connections import ArqRedis

from bot import __version__
from bot.breaker import Breaker
from bot.gitlab import GitLab, RetryPolicy
from bot.scrub import Scrubber, settings_secrets
from bot.settings import Settings

BOT_USER_KEY = "testgen:bot-user-id"


class JobContext(TypedDict, total=False):
    settings: Settings
    redis: ArqRedis
    http: httpx.AsyncClient
    gitlab: GitLab
    bot_user_id: int
    job_id: str
    job_try: int
    asker_id: int  # who gave the command being run (a follow-up MR's reviewer)
    enqueue_time: Any


async def startup(ctx: JobContext) -> None:
    settings = ctx["settings"]
    ctx["http"] = httpx.AsyncClient(timeout=httpx.Timeout(30.0, connect=10.0))
    ctx["gitlab"] = GitLab(
        ctx["http"],
        url=settings.gitlab_url,
        token=settings.gitlab_token.get_secret_value(),
        requester=f"testgen-bot/{__version__}",
        policy=RetryPolicy(
            max_total_wait=settings.gitlab_call_max_wait_seconds,
            max_retry_after=settings.gitlab_call_max_wait_seconds,
        ),
    )
    ctx["gitlab"].scrub = Scrubber(settings_secrets(settings)).text
    ctx["gitlab"].api.breaker = Breaker(
        ctx["redis"], base=settings.retry_backoff_seconds, cap=settings.retry_backoff_max_seconds
    )


async def shutdown(ctx: JobContext) -> None:
    if "http" in ctx:
        await ctx["http"].aclose()


async def bot_user_id(ctx: JobContext) -> int:
    """The bot's own GitLab user id: `GET /user` once, then from the worker and Redis."""
    if "bot_user_id" not in ctx:
        key = f"{BOT_USER_KEY}:{ctx['settings'].gitlab_url}"
        cached = await ctx["redis"].get(key)
        if cached is None:
            user = await ctx["gitlab"].current_user()
            await ctx["redis"].set(key, str(user.id), ex=24 * 3600)
            ctx["bot_user_id"] = int(user.id)
        else:
            ctx["bot_user_id"] = int(cached)
    return ctx["bot_user_id"]
