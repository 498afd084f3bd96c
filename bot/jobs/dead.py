"""Telling the asker that a job ran out of retry horizon, once GitLab answers again."""

from __future__ import annotations

import structlog
from arq import Retry

from bot import deadletter
from bot.gitlab import NotFound, is_transient
from bot.jobs.context import JobContext
from bot.jobs.runner import job, job_age, retry_plan
from bot.markdown import code

log = structlog.get_logger("bot.jobs.dead")
FAILED_EMOJI = "x"
# answers are owed for a week; past that the dead-letter entry alone remains
ANNOUNCE_HORIZON_SECONDS = 7 * 24 * 3600
DEAD_REPLY = (
    "❌ {who}{what} could not run: GitLab kept failing for {duration} (last error: {error}). "
    "Nothing is lost: the bot's operator can run it again with `testgen replay {job_id}`."
)
ANNOUNCED_KEY = "testgen:dead-announced:"


def _duration(seconds: float) -> str:
    if seconds >= 120:
        return f"{seconds / 60:.0f} min"
    return f"{seconds:.0f} s"


def dead_reply(dead: deadletter.DeadJob, target: deadletter.Target) -> str:
    what = f"`/testgen {target.command}`" if target.command else "this event's processing"
    return DEAD_REPLY.format(
        who=f"@{target.username} " if target.username else "",
        what=what,
        duration=_duration(dead.died_at - dead.first_queued),
        error=code(dead.error),
        job_id=dead.job_id.replace("`", "'")[:200],
    )


async def _answer(ctx: JobContext, target: deadletter.Target, body: str) -> None:
    """In the asking comment's thread when there is one (GitLab notifies the asker)."""
    if target.discussion_id:
        try:
            await ctx["gitlab"].reply_in_discussion(
                target.project_id, target.mr_iid, target.discussion_id, body
            )
            return
        except NotFound:
            pass  # the thread is gone: a new comment
    await ctx["gitlab"].create_mr_note(target.project_id, target.mr_iid, body)


@job
async def announce_dead(ctx: JobContext, job_id: str, died_at: float) -> str:
    """❌ on the comment that asked, and a reply saying what happened and how to replay it.

    Retries for as long as GitLab stays away (up to a week), through the shared breaker."""
    dead = next((d for d in await deadletter.list_dead(ctx["redis"]) if d.job_id == job_id), None)
    if dead is None or dead.died_at != died_at:
        return "replayed"  # replayed before GitLab came back: the replay answers
    target = dead.target()
    if target is None:
        return "no conversation"
    try:
        if target.note_id is not None:
            await ctx["gitlab"].award_note_emoji(
                target.project_id, target.mr_iid, target.note_id, FAILED_EMOJI
            )
        marker = f"{ANNOUNCED_KEY}{job_id}:{died_at}"
        if await ctx["redis"].set(marker, "1", nx=True, ex=ANNOUNCE_HORIZON_SECONDS):
            try:
                await _answer(ctx, target, dead_reply(dead, target))
            except BaseException:
                await ctx["redis"].delete(marker)
                raise
    except Exception as error:
        if not is_transient(error) or job_age(ctx) > ANNOUNCE_HORIZON_SECONDS:
            raise
        plan = retry_plan(ctx)
        delay = plan.delay(ctx.get("job_try", 1), getattr(error, "retry_after", None))
        raise Retry(defer=delay) from error
    return "announced"
