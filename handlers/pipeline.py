"""Pipeline events: a red pipeline is sorted into tests to heal and likely regressions."""

from __future__ import annotations

import structlog
from gidgetlab.routing import Router
from gidgetlab.sansio import Event

from bot.deps import HandlerDeps

router = Router()
log = structlog.get_logger("handlers.pipeline")
BOT_BRANCHES = "testgen/"


@router.register("Pipeline Hook")
async def sort_failures(event: Event, deps: HandlerDeps) -> None:
    """`failed`: queue the CI heal job; `success`: remember the commit as the branch's last
    green one. Tag pipelines and the bot's own branches are left alone."""
    attributes = event.object_attributes
    status = attributes.get("status")
    if status not in ("failed", "success") or attributes.get("tag"):
        return
    project_id = int(event.data["project"]["id"])
    pipeline_id = int(attributes["id"])
    sha = str(attributes.get("sha") or "")
    mr = event.data.get("merge_request") or {}
    branch = str(mr.get("source_branch") or attributes.get("ref") or "")
    if not sha or not branch or branch.startswith(BOT_BRANCHES):
        return
    if status == "success":
        await deps.enqueue(
            "pipeline_green", project_id, branch, sha, _job_id=f"green:{project_id}:{pipeline_id}"
        )
        return
    mr_iid = int(mr["iid"]) if mr.get("iid") else None
    before = str(attributes.get("before_sha") or "")
    log.info("failed pipeline queued", project_id=project_id, pipeline_id=pipeline_id)
    await deps.enqueue(
        "heal_on_pipeline",
        project_id,
        pipeline_id,
        branch,
        sha,
        before,
        mr_iid,
        _job_id=f"heal-ci:{project_id}:{pipeline_id}",
    )
