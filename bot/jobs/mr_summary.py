"""Refreshing the MR summary's analysis section (coverage against the target, duplicates), its
API changes when someone asked for them, and the `testgen: coverage` status when an MR opens,
reopens or gets commits.

Bursts of pushes are coalesced: the handler enqueues this job deferred by
`summary_debounce_seconds` under one id per MR (`summary:{project}:{iid}`), which arq refuses
to queue twice, and the job keeps no result (so the next burst can queue it again). It reads the
MR's head when it runs, so one run covers every push of the burst; a push that arrives while it
runs is caught up by one more run under the new head's id.
"""

from __future__ import annotations

import structlog

from bot.jobs import report_command
from bot.jobs.analysis_command import analyse, set_status
from bot.jobs.commands import replies_for
from bot.jobs.context import JobContext, bot_user_id
from bot.jobs.runner import job
from bot.replies_text import ThreadOnly

SECTION = "analysis"
REPORT = "report"  # the summary's `/testgen report` section
log = structlog.get_logger("bot.jobs.mr_summary")


def summary_job_id(project_id: int, mr_iid: int, sha: str | None = None) -> str:
    return f"summary:{project_id}:{mr_iid}" + (f":{sha}" if sha else "")


@job
async def refresh_summary(ctx: JobContext, project_id: int, mr_iid: int) -> str:
    structlog.contextvars.bind_contextvars(project_id=project_id, mr_iid=mr_iid)
    gitlab = ctx["gitlab"]
    mr = await gitlab.get_merge_request(project_id, mr_iid)
    if mr.state != "opened":
        return mr.state
    analysis = await analyse(ctx, project_id, mr_iid)
    replies = replies_for(ctx, await bot_user_id(ctx))
    if isinstance(analysis, str):
        await replies.set_section(project_id, mr_iid, SECTION, analysis)
        return "no analysis"
    markdown = analysis.coverage_section() + "\n" + analysis.duplicates_section()
    await replies.set_section(project_id, mr_iid, SECTION, markdown)
    if await replies.has_section(project_id, mr_iid, REPORT):
        # the API changes someone asked for: kept true for the MR's new head
        report = await report_command.run(ctx, project_id, mr_iid, [])
        if not isinstance(report, ThreadOnly):
            await replies.set_section(project_id, mr_iid, REPORT, report)
    await set_status(ctx, project_id, analysis)
    latest = await gitlab.get_merge_request(project_id, mr_iid)
    if latest.sha and latest.sha != analysis.sha and latest.state == "opened":
        log.info("head moved while the summary ran", sha=latest.sha)
        await ctx["redis"].enqueue_job(
            "refresh_summary",
            project_id,
            mr_iid,
            _job_id=summary_job_id(project_id, mr_iid, latest.sha),
            _defer_by=ctx["settings"].summary_debounce_seconds,
        )
    return f"{analysis.report.percent} %"
