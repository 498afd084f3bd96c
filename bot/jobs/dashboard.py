"""The opt-in project dashboard issue: refreshed on pushes to the default branch, and ticked
checkboxes turned into a merge request with tests for those endpoints."""

from __future__ import annotations

import asyncio

import structlog

from bot.analysis.dashboard import MARKER, TITLE, OpenMergeRequest, dashboard_markdown, requested
from bot.heal.store import HealStore
from bot.jobs.analysis_inputs import read_branch
from bot.jobs.context import JobContext, bot_user_id
from bot.jobs.generate_command import generate_followup
from bot.jobs.repo_files import repo_config
from bot.jobs.runner import job
from bot.validate.config import ConfigError

log = structlog.get_logger("bot.jobs.dashboard")
BOT_BRANCHES = "testgen/"


def _key(project_id: int) -> str:
    return f"testgen:dashboard:{project_id}"


async def _find_issue(ctx: JobContext, project_id: int) -> int | None:
    stored = await ctx["redis"].get(_key(project_id))
    if stored is not None:
        return int(stored)
    me = await bot_user_id(ctx)
    for issue in await ctx["gitlab"].list_issues(project_id, search=TITLE):
        if MARKER in (issue.description or "") and (issue.author is None or issue.author.id == me):
            return issue.iid
    return None


@job
async def refresh_dashboard(ctx: JobContext, project_id: int, branch: str, sha: str) -> str:
    structlog.contextvars.bind_contextvars(project_id=project_id, branch=branch, sha=sha)
    head = await ctx["gitlab"].get_branch(project_id, branch)  # a burst's last push wins
    return await _refresh(ctx, project_id, branch, head.commit.id if head else sha)


async def _refresh(ctx: JobContext, project_id: int, branch: str, sha: str) -> str:
    try:  # read the switch first: a project without a dashboard costs one small read
        wanted = (await repo_config(ctx["gitlab"], project_id, sha)).dashboard
    except ConfigError:
        wanted = False
    if not wanted:
        return "off"
    analysis = await read_branch(ctx, project_id, branch, sha)
    report = await asyncio.to_thread(analysis.coverage)
    groups = await asyncio.to_thread(analysis.duplicates)
    gitlab = ctx["gitlab"]
    mrs = [
        OpenMergeRequest(m.iid, m.title, m.source_branch, m.web_url, m.state)
        for m in await gitlab.list_merge_requests(project_id, state="opened")
        if m.source_branch.startswith(BOT_BRANCHES)
    ]
    heal_log = await HealStore(ctx["redis"]).log(project_id, branch)
    body = dashboard_markdown(report, groups, mrs, heal_log, branch, sha)
    iid = await _find_issue(ctx, project_id)
    if iid is None:
        iid = (await gitlab.create_issue(project_id, TITLE, body)).iid
    else:
        await gitlab.update_issue(project_id, iid, body)
    await ctx["redis"].set(_key(project_id), str(iid))
    log.info("dashboard refreshed", issue_iid=iid, percent=report.percent)
    return f"issue {iid}"


@job
async def dashboard_requests(ctx: JobContext, project_id: int, description: str) -> str:
    """Ticked endpoints → one follow-up MR with their tests; then the dashboard is redrawn
    (its boxes unticked, the MR listed)."""
    wanted = requested(description)
    if not wanted:
        return "nothing ticked"
    gitlab = ctx["gitlab"]
    project = await gitlab.get_project(project_id)
    branch = project.default_branch or "main"
    head = await gitlab.get_branch(project_id, branch)
    if head is None:
        return "no default branch"
    outcome, _, message = await generate_followup(
        ctx, project_id, branch, head.commit.id, wanted, "requested on the dashboard"
    )
    await _refresh(ctx, project_id, branch, head.commit.id)
    return outcome.status if outcome is not None else (message or "nothing")
