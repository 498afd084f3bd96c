"""The job behind one `/testgen` command in a merge request."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import structlog

from bot.commands import NOT_AVAILABLE, help_text
from bot.gitlab import GitLabError, is_transient
from bot.jobs import (
    analysis_command,
    generate_command,
    heal_command,
    manual_command,
    report_command,
    validate_command,
)
from bot.jobs.context import JobContext, bot_user_id
from bot.jobs.runner import job
from bot.replies import Replies

log = structlog.get_logger("bot.jobs.commands")
DEVELOPER = 30
# commands that push branches or open merge requests need Developer access or more
PUSHING = frozenset({"generate", "heal", "manual"})
NEEDS_DEVELOPER = (
    "@{user} `/testgen {name}` pushes to this project: it needs Developer access or more."
)
FAILED = "`/testgen {name}` failed: {error}. Fix the cause and comment the command again."
INTERNAL = (
    "`/testgen {name}` failed with an internal error; the bot's logs have the details under "
    "job id `{job_id}`. Comment the command again to retry."
)

# name → (ctx, project_id, mr_iid, args) → markdown for the command's section
Runner = Callable[[JobContext, int, int, list[str]], Awaitable[str]]
RUNNERS: dict[str, Runner] = {
    "validate": validate_command.run,
    "generate": generate_command.run,
    "manual": manual_command.run,
    "report": report_command.run,
    "heal": heal_command.run,
    "coverage": analysis_command.run_coverage,
    "duplicates": analysis_command.run_duplicates,
}


def replies_for(ctx: JobContext, bot_user: int) -> Replies:
    lock_seconds = min(60, ctx["settings"].job_timeout_seconds)
    return Replies(ctx["gitlab"], ctx["redis"], bot_user, lock_seconds=lock_seconds)


@job
async def run_command(
    ctx: JobContext,
    project_id: int,
    mr_iid: int,
    note_id: int,
    name: str,
    args: list[str],
    unknown: str | None,
    author_id: int,
    author_username: str = "",
) -> str:
    structlog.contextvars.bind_contextvars(
        project_id=project_id, mr_iid=mr_iid, note_id=note_id, command=name
    )
    replies = replies_for(ctx, await bot_user_id(ctx))
    if name == "help":
        await replies.set_section(project_id, mr_iid, "help", help_text(unknown))
        return "help"
    runner = RUNNERS.get(name)
    if runner is None:
        await replies.set_section(project_id, mr_iid, name, NOT_AVAILABLE.format(name=name))
        return "not available"
    if name in PUSHING:
        level = await ctx["gitlab"].member_access_level(project_id, author_id)
        if level < DEVELOPER:
            user = author_username or f"user {author_id}"
            await replies.set_section(
                project_id, mr_iid, name, NEEDS_DEVELOPER.format(user=user, name=name)
            )
            return "refused"
    try:
        markdown = await runner(ctx, project_id, mr_iid, args)
    except GitLabError as error:
        last_try = ctx.get("job_try", 1) >= ctx["settings"].job_max_tries
        if is_transient(error) and not last_try:
            raise
        await replies.set_section(project_id, mr_iid, name, FAILED.format(name=name, error=error))
        return "failed"
    except Exception:
        log.exception("command failed")
        job_id = ctx.get("job_id", "")
        message = INTERNAL.format(name=name, job_id=job_id)
        await replies.set_section(project_id, mr_iid, name, message)
        return "failed"
    await replies.set_section(project_id, mr_iid, name, markdown)
    return "done"
