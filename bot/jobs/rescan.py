"""The job behind a push: rescan the branch's endpoints (placeholder until the inventory lands)."""

from __future__ import annotations

from bot.jobs.context import JobContext
from bot.jobs.runner import job


@job
async def rescan(
    ctx: JobContext,
    project_id: int,
    branch: str,
    sha: str,
    before: str | None,
    touched: list[str] | None,
) -> str:
    return "pending"
