"""Issue events: a ticked checkbox on the dashboard issue asks for tests of that endpoint."""

from __future__ import annotations

import hashlib

from gidgetlab.routing import Router
from gidgetlab.sansio import Event

from bot.analysis.dashboard import MARKER, requested
from bot.deps import HandlerDeps

router = Router()


@router.register("Issue Hook", action="update")
async def dashboard_request(event: Event, deps: HandlerDeps) -> None:
    """Someone (not the bot redrawing it) ticked endpoints on the dashboard issue."""
    if (event.data.get("user") or {}).get("id") == deps.bot_user_id:
        return
    description = event.object_attributes.get("description") or ""
    if MARKER not in description or not requested(description):
        return
    project_id = int(event.data["project"]["id"])
    digest = hashlib.sha256(description.encode()).hexdigest()[:16]
    await deps.enqueue(
        "dashboard_requests",
        project_id,
        description,
        _job_id=f"dashboard-request:{project_id}:{digest}",
    )
