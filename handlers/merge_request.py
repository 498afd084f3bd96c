"""Merge request events: keep the source branch's inventory current when code arrives."""

from __future__ import annotations

import structlog
from gidgetlab.routing import Router
from gidgetlab.sansio import Event

from bot.deps import HandlerDeps
from bot.followup import regenerate_requested

router = Router()
BOT_BRANCHES = "testgen/"
log = structlog.get_logger("handlers.merge_request")


@router.register("Merge Request Hook", action="open")
@router.register("Merge Request Hook", action="reopen")
@router.register("Merge Request Hook", action="update")
async def rescan_source_branch(event: Event, deps: HandlerDeps) -> None:
    """Open, reopen, or new commits (`update` with `oldrev`): rescan the MR's source branch.

    Same-project MRs only: a fork's branch is not ours to read with the bot's token. The job id
    matches the push handler's, so the push event for the same commit does not scan twice.
    """
    attributes = event.object_attributes
    if attributes.get("action") == "update" and "oldrev" not in attributes:
        return
    project_id = int(event.data["project"]["id"])
    if attributes.get("source_project_id") not in (None, project_id):
        log.info("fork merge request ignored", project_id=project_id, mr_iid=attributes.get("iid"))
        return
    sha = (attributes.get("last_commit") or {}).get("id")
    branch = attributes.get("source_branch")
    if not sha or not branch:
        return
    if branch.startswith(BOT_BRANCHES):  # the bot's own follow-up MRs hold only tests
        return
    await deps.enqueue(
        "rescan", project_id, branch, sha, None, None, _job_id=f"rescan:{project_id}:{sha}"
    )


@router.register("Merge Request Hook", action="update")
async def regenerate_when_ticked(event: Event, deps: HandlerDeps) -> None:
    """A person ticked the regenerate checkbox in a follow-up MR's description: queue it.

    GitLab sends the edit as `update` with `changes.description`; the previous text must have
    had the box unticked (another edit while it stays ticked is not a new request)."""
    attributes = event.object_attributes
    if not str(attributes.get("source_branch") or "").startswith(BOT_BRANCHES):
        return
    user = event.data.get("user") or {}
    if user.get("id") == deps.bot_user_id or not regenerate_requested(
        attributes.get("description")
    ):
        return
    change = (event.data.get("changes") or {}).get("description")
    if isinstance(change, dict) and regenerate_requested(change.get("previous")):
        return
    project_id, iid = int(event.data["project"]["id"]), int(attributes["iid"])
    stamp = attributes.get("updated_at") or ""
    await deps.enqueue(
        "regenerate_followup",
        project_id,
        iid,
        int(user.get("id") or 0),
        str(user.get("username") or ""),
        _job_id=f"regenerate:{project_id}:{iid}:{stamp}",
    )
    log.info("regenerate requested", project_id=project_id, mr_iid=iid)


@router.register("Merge Request Hook", action="open")
@router.register("Merge Request Hook", action="reopen")
@router.register("Merge Request Hook", action="update")
async def refresh_summary(event: Event, deps: HandlerDeps) -> None:
    """Open, reopen, or new commits: refresh the summary's coverage and duplicates, once per
    burst of pushes (one deferred job id per MR; see `bot.jobs.mr_summary`)."""
    attributes = event.object_attributes
    if attributes.get("action") == "update" and "oldrev" not in attributes:
        return
    project_id = int(event.data["project"]["id"])
    iid = attributes.get("iid")
    branch = attributes.get("source_branch") or ""
    if iid is None or branch.startswith(BOT_BRANCHES):
        return
    if attributes.get("source_project_id") not in (None, project_id):
        return
    await deps.enqueue(
        "refresh_summary",
        project_id,
        int(iid),
        _job_id=f"summary:{project_id}:{iid}",
        _defer_by=deps.settings.summary_debounce_seconds,
    )
