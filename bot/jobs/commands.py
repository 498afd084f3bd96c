"""The job behind one `/testgen` command in a merge request.

Every command is answered in the thread of the comment that asked, mentioning the asker; the
summary comment keeps only state (what a command produced), so a refusal or an error never
replaces another person's result there. The asking comment gets ✅ or ❌ at the end.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Awaitable, Callable

import structlog

from bot import metrics
from bot.answers import DONE, FAILED, Answers
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
from bot.replies_text import ThreadOnly, explain_gitlab_error

log = structlog.get_logger("bot.jobs.commands")
DEVELOPER = 30
# commands that push branches or open merge requests need Developer access or more
PUSHING = frozenset({"generate", "heal", "manual"})
NEEDS_DEVELOPER = (
    "`/testgen {name}` pushes to this project, so it needs Developer access or more; you have "
    "less. Ask a Maintainer to run it, or to give you Developer access."
)
INTERNAL = (
    "`/testgen {name}` failed with an internal error of the bot; whoever runs it finds the "
    "details in its logs under job id `{job_id}`. Comment the command again to retry."
)
SUCCESSFUL = frozenset({"done", "help"})
# answered in the thread only: the summary's "analysis" section keeps their state, refreshed
# with the MR (a second copy there would go stale)
THREAD_ONLY = frozenset({"coverage", "duplicates"})

# name → (ctx, project_id, mr_iid, args) → markdown (ThreadOnly: not state for the summary)
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


def answer_key(note_id: int, name: str, args: list[str]) -> str:
    """A short id of one command of one comment (no user text: it goes into an HTML comment)."""
    digest = hashlib.sha256(f"{note_id}\0{name}\0{' '.join(args)}".encode()).hexdigest()[:16]
    return f"{note_id}-{digest}"


def with_mention(username: str, answer: str) -> str:
    """`@asker` first, so GitLab notifies them; on a line of its own before block markdown."""
    if not username:
        return answer
    block = answer.lstrip().startswith(("#", "|", "-", ">", "```", "<"))
    return f"@{username}{chr(10) * 2 if block else ' '}{answer}"


async def _outcome(
    ctx: JobContext,
    project_id: int,
    mr_iid: int,
    name: str,
    args: list[str],
    unknown: str | None,
    author_id: int,
) -> tuple[str, str, str | None]:
    """(outcome, the thread answer, state for the summary comment or None)."""
    if name == "help":
        return ("help" if unknown is None else "unknown"), help_text(unknown), None
    runner = RUNNERS.get(name)
    if runner is None:
        return "not available", NOT_AVAILABLE.format(name=name), None
    if name in PUSHING:
        level = await ctx["gitlab"].member_access_level(project_id, author_id)
        if level < DEVELOPER:
            return "refused", NEEDS_DEVELOPER.format(name=name), None
    ctx["asker_id"] = author_id
    markdown = await runner(ctx, project_id, mr_iid, args)
    if isinstance(markdown, ThreadOnly):
        return "not run", str(markdown), None
    return "done", markdown, (None if name in THREAD_ONLY else markdown)


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
    discussion_id: str = "",
) -> str:
    structlog.contextvars.bind_contextvars(
        project_id=project_id, mr_iid=mr_iid, note_id=note_id, command=name
    )
    started = time.perf_counter()
    last_try = ctx.get("job_try", 1) >= ctx["settings"].job_max_tries
    try:
        outcome, answer, state = await _outcome(
            ctx, project_id, mr_iid, name, args, unknown, author_id
        )
    except GitLabError as error:
        if is_transient(error) and not last_try:
            raise
        log.warning("command failed", error=str(error), method=error.method, route=error.route)
        outcome, answer, state = "failed", explain_gitlab_error(name, error), None
    except Exception:
        log.exception("command failed")
        outcome, answer, state = (
            "failed",
            INTERNAL.format(name=name, job_id=ctx.get("job_id")),
            None,
        )
    answers = Answers(ctx["gitlab"], ctx["redis"])
    emoji = DONE if outcome in SUCCESSFUL else FAILED
    try:
        if state is not None:
            await replies_for(ctx, await bot_user_id(ctx)).set_section(
                project_id, mr_iid, name, state
            )
        await answers.reply(
            project_id,
            mr_iid,
            discussion_id,
            answer_key(note_id, name, [*args, unknown] if unknown else args),
            with_mention(author_username, answer),
            retried=ctx.get("job_try", 1) > 1,
        )
    except GitLabError as error:
        if is_transient(error) and not last_try:
            raise
        log.warning("answer not posted", error=str(error), method=error.method, route=error.route)
        outcome, emoji = "failed", FAILED
    await answers.react(project_id, mr_iid, note_id, emoji)
    metrics.COMMANDS.labels(name, outcome).inc()
    metrics.COMMAND_DURATION.labels(name).observe(time.perf_counter() - started)
    return outcome
