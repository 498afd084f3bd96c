"""Push events: rescan the pushed branch's endpoints."""

from __future__ import annotations

import structlog
from gidgetlab.routing import Router
from gidgetlab.sansio import Event

from bot.deps import HandlerDeps

router = Router()
log = structlog.get_logger("handlers.push")
ZERO_SHA = "0" * 40


@router.register("Push Hook")
async def rescan_on_push(event: Event, deps: HandlerDeps) -> None:
    data = event.data
    ref: str = data.get("ref", "")
    after: str = data.get("after") or ZERO_SHA
    if not ref.startswith("refs/heads/") or after == ZERO_SHA:
        log.info("push ignored", ref=ref, reason="not a branch update")
        return
    project_id = int(data["project_id"])
    if data.get("user_id") == deps.bot_user_id:
        log.info("push ignored", ref=ref, reason="pushed by the bot")
        return
    branch = ref.removeprefix("refs/heads/")
    changes = _changed_files(data)
    await deps.enqueue(
        "rescan",
        project_id,
        branch,
        after,
        data.get("before") or ZERO_SHA,
        changes,
        _job_id=f"rescan:{project_id}:{after}",
    )


@router.register("Push Hook")
async def refresh_dashboard(event: Event, deps: HandlerDeps) -> None:
    """A push to the default branch: redraw the dashboard issue (the job checks that
    `.testgen.yml` asks for one); a burst of pushes shares one deferred job."""
    data = event.data
    project = data.get("project") or {}
    after: str = data.get("after") or ZERO_SHA
    default = project.get("default_branch")
    if not default or data.get("ref") != f"refs/heads/{default}" or after == ZERO_SHA:
        return
    if data.get("user_id") == deps.bot_user_id:
        return
    project_id = int(data["project_id"])
    await deps.enqueue(
        "refresh_dashboard",
        project_id,
        default,
        after,
        _job_id=f"dashboard:{project_id}",
        _defer_by=deps.settings.summary_debounce_seconds,
    )


def _changed_files(data: dict[str, object]) -> list[str] | None:
    """Every path the push touched, or None when the payload cannot be trusted to list them all.

    GitLab lists at most 20 commits; a new branch (`before` all zeros) has no usable range. A
    touched path may have been added, changed or removed: the rescan job reads each at `after`.
    """
    commits = data.get("commits")
    total = data.get("total_commits_count")
    if not isinstance(commits, list) or data.get("before") in (None, ZERO_SHA):
        return None
    if not isinstance(total, int) or total > len(commits):
        return None
    touched: set[str] = set()
    for commit in commits:
        if not isinstance(commit, dict):
            return None
        for kind in ("added", "modified", "removed"):
            touched.update(path for path in commit.get(kind) or [] if isinstance(path, str))
    return sorted(touched)
