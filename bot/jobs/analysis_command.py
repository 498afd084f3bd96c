"""`/testgen coverage`, `/testgen duplicates` and the MR summary's analysis section: coverage of
the source branch against the target's, duplicate tests, and the `testgen: coverage` status."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import structlog

from bot.analysis.coverage import CoverageDelta, CoverageReport
from bot.analysis.coverage_render import STATUS_NAME, coverage_markdown, coverage_status
from bot.analysis.duplicates import DuplicateGroup
from bot.analysis.duplicates_render import duplicates_markdown
from bot.gitlab import MergeRequest
from bot.jobs.analysis_inputs import BranchAnalysis, read_branch
from bot.jobs.context import JobContext

log = structlog.get_logger("bot.jobs.analysis")
FROM_FORK = (
    "{heading}\n\nThis merge request comes from a fork: the bot reads only this project's "
    "branches. Run `testgen {command}` on a checkout (see the README).\n"
)
NO_TARGET = "{heading}\n\nThe target branch `{target}` no longer exists.\n"
BROKEN_CONFIG = "_`.testgen.yml` is broken ({error}); defaults were used._"


@dataclass(frozen=True)
class MrAnalysis:
    """What the MR's source branch is, against its target (None when the target is gone)."""

    mr: MergeRequest
    sha: str
    source: BranchAnalysis
    report: CoverageReport
    delta: CoverageDelta | None
    groups: list[DuplicateGroup]

    def coverage_section(self) -> str:
        text = coverage_markdown(self.report, self.delta, self.mr.target_branch)
        if self.source.config_error:
            text += "\n" + BROKEN_CONFIG.format(error=self.source.config_error) + "\n"
        return text

    def duplicates_section(self) -> str:
        threshold = self.source.config.duplicates.threshold
        return duplicates_markdown(self.groups, threshold, self.report.tests)

    def status(self) -> tuple[str, str]:
        cover = self.source.config.coverage
        return coverage_status(
            self.report, self.delta, cover.threshold, cover.fail_on_drop, self.mr.target_branch
        )


async def analyse(
    ctx: JobContext,
    project_id: int,
    mr_iid: int,
    *,
    compare: bool = True,
    duplicates: bool = True,
) -> MrAnalysis | str:
    """The MR's analysis (against the target when `compare`), or the reason there is none
    (markdown, already headed)."""
    gitlab = ctx["gitlab"]
    mr = await gitlab.get_merge_request(project_id, mr_iid)
    if mr.from_fork:
        return FROM_FORK.format(heading="#### Test coverage", command="coverage")
    sha = mr.sha or mr.source_branch
    source = await read_branch(ctx, project_id, mr.source_branch, sha)
    target = await gitlab.get_branch(project_id, mr.target_branch) if compare else None
    report = await asyncio.to_thread(source.coverage)
    groups = await asyncio.to_thread(source.duplicates) if duplicates else []
    delta = None
    if target is not None:
        # the target is judged by the MR's own .testgen.yml, so a changed threshold or prefix
        # does not read as a change in coverage
        base = await read_branch(ctx, project_id, mr.target_branch, target.commit.id, sha)
        before = await asyncio.to_thread(base.coverage)
        delta = CoverageDelta(before, report)
    return MrAnalysis(mr, sha, source, report, delta, groups)


async def set_status(ctx: JobContext, project_id: int, analysis: MrAnalysis) -> None:
    state, description = analysis.status()
    await ctx["gitlab"].set_commit_status(
        project_id,
        analysis.sha,
        "failed" if state == "failed" else "success",
        STATUS_NAME,
        description,
        analysis.mr.web_url or None,
    )
    log.info("coverage status", state=state, percent=analysis.report.percent)


async def run_coverage(ctx: JobContext, project_id: int, mr_iid: int, args: list[str]) -> str:
    """`/testgen coverage`: the coverage section; the commit status is set too."""
    analysis = await analyse(ctx, project_id, mr_iid, duplicates=False)
    if isinstance(analysis, str):
        return analysis
    await set_status(ctx, project_id, analysis)
    return analysis.coverage_section()


async def run_duplicates(ctx: JobContext, project_id: int, mr_iid: int, args: list[str]) -> str:
    """`/testgen duplicates`: groups of near-identical tests on the source branch."""
    analysis = await analyse(ctx, project_id, mr_iid, compare=False)
    if isinstance(analysis, str):
        return analysis.replace("#### Test coverage", "#### Duplicate tests").replace(
            "testgen coverage", "testgen duplicates"
        )
    return analysis.duplicates_section()
