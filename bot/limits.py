"""Bounded work per comment and per person: which of a comment's commands are run.

A comment runs at most N distinct commands (the rest are answered once, "ignored"); each
command takes a token from its author's bucket and from the project's (answered once per
minute when empty). Projects may lower the bot's limits in `.testgen.yml` (`limits:`); the
file is read from the default branch at most every few minutes.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import structlog
from redis.asyncio import Redis

from bot import metrics
from bot.commands import Command
from bot.gitlab import GitLab, GitLabError
from bot.ratelimit import CommandBuckets, Verdict
from bot.repo_config import FILE_NAME, parse_repo_config
from bot.settings import Settings
from bot.validate.config import ConfigError

log = structlog.get_logger("bot.limits")
TOO_MANY = (
    "ignored: at most {limit} commands per comment; this comment's commands after the first "
    "{limit} were not run."
)
USER_LIMITED = (
    "ignored: at most {limit} commands per minute per person. Comment the command again in a "
    "minute."
)
PROJECT_LIMITED = (
    "ignored: at most {limit} commands per minute in this project. Comment the command again "
    "in a minute."
)
CONFIG_CACHE_SECONDS = 300
Notify = Callable[[str, str], Awaitable[None]]  # (kind, text) → answered in the MR


@dataclass(frozen=True)
class Limits:
    commands_per_comment: int
    user_commands_per_minute: int
    project_commands_per_minute: int


def bot_limits(settings: Settings) -> Limits:
    return Limits(
        settings.max_commands_per_note,
        settings.user_commands_per_minute,
        settings.project_commands_per_minute,
    )


async def project_limits(
    redis: Redis, gitlab: GitLab, settings: Settings, project_id: int, branch: str
) -> Limits:
    """The bot's limits, lowered by the project's `.testgen.yml` where it says so."""
    ceiling = bot_limits(settings)
    key = f"testgen:limits:{project_id}"
    cached = await redis.get(key)
    if cached is not None:
        return Limits(**json.loads(cached))
    own: dict[str, Any] = {}
    try:
        raw = await gitlab.raw_file_or_none(project_id, FILE_NAME, branch)
        if raw is not None:
            config = parse_repo_config(raw.decode("utf-8", errors="replace"))
            own = config.limits.model_dump(exclude_none=True)
    except (GitLabError, ConfigError) as error:  # a broken file is reported by the commands
        log.info("project limits not read, using the bot's", error=str(error))
    limits = Limits(
        **{name: min(value, own.get(name, value)) for name, value in asdict(ceiling).items()}
    )
    await redis.set(key, json.dumps(asdict(limits)), ex=CONFIG_CACHE_SECONDS)
    return limits


async def admit(
    commands: Sequence[Command],
    limits: Limits,
    buckets: CommandBuckets,
    *,
    user_id: int,
    project_id: int,
    notify: Notify,
) -> list[Command]:
    """The commands to run, in order; what is left out is answered once through `notify`.
    (`commands` holds one command past the per-comment limit when the comment has more.)"""
    chosen = list(commands[: limits.commands_per_comment])
    if len(commands) > len(chosen):
        metrics.COMMANDS_REFUSED.labels("per_comment").inc()
        await notify("too-many", TOO_MANY.format(limit=limits.commands_per_comment))
    admitted: list[Command] = []
    for command in chosen:
        verdict = await buckets.take(
            user_id,
            project_id,
            per_user=limits.user_commands_per_minute,
            per_project=limits.project_commands_per_minute,
        )
        if verdict is Verdict.ALLOWED:
            admitted.append(command)
            continue
        metrics.COMMANDS_REFUSED.labels(verdict.name.lower()).inc()
        if verdict is Verdict.USER_LIMITED:
            scope, text = (
                f"user:{user_id}",
                USER_LIMITED.format(limit=limits.user_commands_per_minute),
            )
        else:
            scope, text = (
                f"project:{project_id}",
                PROJECT_LIMITED.format(limit=limits.project_commands_per_minute),
            )
        if await buckets.first_notice(scope):
            await notify(verdict.name.lower(), text)
        log.info("command over the rate limit", command=command.name, limit=verdict.name)
    return admitted
