"""The regenerate checkbox of a follow-up MR: rebuild it from scratch, discarding edits."""

from __future__ import annotations

import structlog

from bot.followup import BRANCH_PREFIX, REGENERATE_MARK, origin_of, regenerate_requested
from bot.jobs.context import JobContext
from bot.jobs.generate_command import generate_followup
from bot.jobs.manual_command import propose_manual
from bot.jobs.runner import job

log = structlog.get_logger("bot.jobs.regenerate")
DONE = "@{user} regenerated this merge request from `{source}` as asked{how}."
UNKNOWN = (
    "@{user} the bot cannot tell what this merge request was generated from, so it cannot "
    "regenerate it: run the command again in the original merge request."
)


@job
async def regenerate_followup(
    ctx: JobContext, project_id: int, mr_iid: int, user_id: int, username: str = ""
) -> str:
    """Someone ticked the box: run the follow-up's command again with `force`, then untick."""
    structlog.contextvars.bind_contextvars(project_id=project_id, mr_iid=mr_iid)
    gitlab = ctx["gitlab"]
    mr = await gitlab.get_merge_request(project_id, mr_iid)
    if mr.state != "opened" or not regenerate_requested(mr.description):
        return "nothing to do"
    kind, _, source = mr.source_branch.removeprefix(BRANCH_PREFIX).partition("/")
    origin = origin_of(mr.description)
    ctx["asker_id"] = user_id
    user = username or f"user {user_id}"
    how = ""
    if kind == "generate":
        branch = await gitlab.get_branch(project_id, source)
        sha = branch.commit.id if branch is not None else source
        outcome, _, message = await generate_followup(
            ctx,
            project_id,
            source,
            sha,
            None,
            f"regenerated as asked in !{mr.iid}",
            origin_iid=origin[1] if origin else 0,
            force=True,
        )
        how = f" ({outcome.status})" if outcome is not None else f": {message}"
    elif kind == "manual" and origin is not None and origin[1]:
        await propose_manual(ctx, project_id, origin[1], force=True)
    else:
        await gitlab.create_mr_note(project_id, mr_iid, UNKNOWN.format(user=user))
        return "unknown origin"
    current = await gitlab.get_merge_request(project_id, mr_iid)
    if regenerate_requested(current.description):  # nothing was rewritten: untick it ourselves
        unticked = (current.description or "").replace(
            f"[x] {REGENERATE_MARK}", f"[ ] {REGENERATE_MARK}"
        )
        unticked = unticked.replace(f"[X] {REGENERATE_MARK}", f"[ ] {REGENERATE_MARK}")
        await gitlab.update_merge_request(project_id, mr_iid, description=unticked)
    await gitlab.create_mr_note(project_id, mr_iid, DONE.format(user=user, source=source, how=how))
    log.info("follow-up regenerated", kind=kind)
    return "regenerated"
