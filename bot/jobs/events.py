"""The job behind every accepted delivery: route the event to its handlers."""

from __future__ import annotations

import json
from typing import Any

import structlog
from gidgetlab.sansio import Event

from bot.deps import HandlerDeps
from bot.jobs.context import JobContext, bot_user_id
from bot.jobs.runner import job
from handlers import router

log = structlog.get_logger("bot.jobs.events")


@job
async def handle_event(ctx: JobContext, event_name: str, body: str, delivery_key: str) -> str:
    """Dispatch one delivery through the handlers' router; they enqueue the real work."""
    data: dict[str, Any] = json.loads(body)
    structlog.contextvars.bind_contextvars(
        delivery_id=delivery_key,
        gitlab_event=event_name,
        project_id=(data.get("project") or {}).get("id", data.get("project_id")),
    )

    async def enqueue(
        function: str, *args: Any, _job_id: str, _defer_by: float | None = None
    ) -> None:
        job = await ctx["redis"].enqueue_job(
            function, *args, _job_id=_job_id, _defer_by=_defer_by or None
        )
        log.info(
            "job queued", queued_function=function, queued_job_id=_job_id, duplicate=job is None
        )

    deps = HandlerDeps(
        settings=ctx["settings"],
        gitlab=ctx["gitlab"],
        bot_user_id=await bot_user_id(ctx),
        enqueue=enqueue,
        redis=ctx["redis"],
    )
    await router.dispatch(Event(data, event=event_name), deps)
    return "dispatched"
