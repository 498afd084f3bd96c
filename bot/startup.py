"""Start-up checks against GitLab: a rejected token stops the process, an unreachable GitLab is
retried and shown by `/health/ready`."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from dataclasses import dataclass

import httpx
import structlog

from bot import __version__
from bot.gitlab import GitLab, GitLabError, RetryPolicy, Unauthorized, User
from bot.settings import EXIT_CONFIG, Settings

log = structlog.get_logger("bot.startup")
CHECK_TIMEOUT_SECONDS = 5.0
RECHECK_SECONDS = 10.0  # while GitLab is unreachable
HEALTHY_RECHECK_SECONDS = 300.0
TOKEN_REJECTED = (
    "testgen: GITLAB_TOKEN is not accepted by {url} (GET /user answered 401 Unauthorized): "
    "create a new access token for the bot user with scope `api` and set GITLAB_TOKEN to it"
)


@dataclass
class GitLabHealth:
    """What the last check found; `/health/ready` answers from it."""

    ok: bool = False
    reason: str = "GitLab not checked yet"
    username: str = ""


def client_for(settings: Settings, http: httpx.AsyncClient) -> GitLab:
    return GitLab(
        http,
        url=settings.gitlab_url,
        token=settings.gitlab_token.get_secret_value(),
        requester=f"testgen-bot/{__version__}",
        policy=RetryPolicy(max_attempts=1),
    )


async def whoami(settings: Settings) -> User:
    """`GET /user` once, quickly; raises `Unauthorized` or another `GitLabError`."""
    timeout = httpx.Timeout(CHECK_TIMEOUT_SECONDS)
    async with httpx.AsyncClient(timeout=timeout) as http:
        return await client_for(settings, http).current_user()


async def check(settings: Settings, health: GitLabHealth) -> None:
    """One check into `health`; `Unauthorized` propagates (the caller decides to stop)."""
    try:
        user = await whoami(settings)
    except Unauthorized:
        health.ok, health.reason = False, f"GITLAB_TOKEN rejected by {settings.gitlab_url} (401)"
        raise
    except GitLabError as error:
        reason = f"GitLab at {settings.gitlab_url} unreachable: {error}"
        if health.ok or health.reason != reason:
            log.warning("gitlab not reachable", reason=reason)
        health.ok, health.reason = False, reason
        return
    if not health.ok:
        log.info("gitlab reachable", bot_user=user.username)
    health.ok, health.reason, health.username = True, "", user.username


def first_check(settings: Settings) -> GitLabHealth | int:
    """Before anything starts: a rejected token → one line on stderr and exit code 2."""
    health = GitLabHealth()
    try:
        asyncio.run(check(settings, health))
    except Unauthorized:
        print(TOKEN_REJECTED.format(url=settings.gitlab_url), file=sys.stderr, flush=True)
        return EXIT_CONFIG
    return health


async def watch(settings: Settings, health: GitLabHealth, stop: asyncio.Event) -> None:
    """Re-check until `stop`: every 10 s while GitLab is unreachable, rarely once it answers."""
    while not stop.is_set():
        wait = HEALTHY_RECHECK_SECONDS if health.ok else RECHECK_SECONDS
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), wait)
        if stop.is_set():
            return
        try:
            await check(settings, health)
        except Unauthorized:
            log.error("GITLAB_TOKEN is no longer accepted", gitlab_url=settings.gitlab_url)
