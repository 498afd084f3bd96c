"""`/testgen validate [all]`: check the MR's test modules and answer with linked findings."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

import structlog

from bot._gitlab_models import StatusState
from bot.gitlab import GitLabError
from bot.jobs.context import JobContext
from bot.jobs.repo_files import (
    blob_url,
    changed_paths,
    is_test_module,
    read_files,
    repo_config,
)
from bot.replies_text import ThreadOnly, config_error_markdown
from bot.safe_path import UnsafePath, inside
from bot.validate.api import Finding, ValidationReport, validate_paths
from bot.validate.config import ConfigError, ValidateConfig
from bot.validate.formats.codequality import codequality_issues
from bot.validate.formats.markdown import HEADING, render_markdown

log = structlog.get_logger("bot.jobs.validate")
NEW_ONES = (
    "\n{added} of these {total} finding(s) are new against `{target}`; the commit status "
    "counts only those.\n"
)
STATUS_NAME = "testgen: allure validation"
BLOCKING = frozenset({"major", "critical", "blocker"})
MAX_FILES = 500
NOTHING = (
    f"{HEADING}\n\nThis merge request changes no test modules (`test_*.py`, `*_test.py`). "
    "Comment `/testgen validate all` to check the whole suite.\n"
)


async def run(ctx: JobContext, project_id: int, mr_iid: int, args: list[str]) -> str:
    gitlab = ctx["gitlab"]
    mr = await gitlab.get_merge_request(project_id, mr_iid)
    sha = mr.sha or mr.source_branch
    try:
        config = await repo_config(gitlab, project_id, sha)
    except ConfigError as error:
        return ThreadOnly(f"{HEADING}\n\n{config_error_markdown(mr.source_branch, error)}")
    whole_suite = [a.lower() for a in args] == ["all"]
    if whole_suite:
        tree = await gitlab.repository_tree(project_id, sha)
        paths = [entry.path for entry in tree if is_test_module(entry.path)]
    else:
        changed = await changed_paths(gitlab, project_id, mr.target_branch, sha)
        paths = [p for p in changed if is_test_module(p)]
    if not paths:
        return ThreadOnly(NOTHING)
    truncated = len(paths) > MAX_FILES
    contents = await read_files(gitlab, project_id, paths[:MAX_FILES], sha)
    project = await gitlab.get_project(project_id)
    report = _validate(contents, config.validate_)
    # what the target branch already had is not this MR's doing (as GitLab's Code Quality)
    target = await gitlab.get_branch(project_id, mr.target_branch)
    before = (
        _validate(
            await read_files(gitlab, project_id, sorted(contents), target.commit.id),
            config.validate_,
        )
        if target is not None
        else None
    )
    added = new_findings(report, before)
    log.info(
        "validated",
        files=report.files,
        findings=len(report.findings),
        added=len(added),
        all=whole_suite,
    )
    await _status(ctx, project_id, mr.sha, report, added, mr.target_branch, mr.web_url)
    markdown = render_markdown(
        report, lambda file, line: blob_url(project.web_url, sha, file, line)
    )
    if report.findings:
        markdown += NEW_ONES.format(
            added=len(added), target=mr.target_branch, total=len(report.findings)
        )
    if truncated:
        markdown += f"\n_Only the first {MAX_FILES} of {len(paths)} test modules were checked._\n"
    return markdown


def _scratch_copy(folder: str, contents: dict[str, bytes]) -> tuple[Path, list[Path]]:
    """Write the files under `folder`, each path checked first; (the folder, files written)."""
    root = Path(folder).resolve()  # as inside() names its files
    written = []
    for path, content in sorted(contents.items()):
        try:
            target = inside(root, path)
        except UnsafePath as error:  # GitLab gave a path no checkout could have
            log.warning("repository path refused", error=str(error))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        written.append(target)
    return root, written


def _relative(report: ValidationReport, root: Path) -> ValidationReport:
    """Findings named by repository path instead of the scratch folder's."""
    prefix = root.as_posix().rstrip("/") + "/"
    findings = [dataclasses.replace(f, file=f.file.removeprefix(prefix)) for f in report.findings]
    paths = tuple(p.removeprefix(prefix) for p in report.paths)
    return dataclasses.replace(report, findings=findings, paths=paths)


def _validate(contents: dict[str, bytes], config: ValidateConfig) -> ValidationReport:
    """Validate files given by content in a scratch folder; findings named by repository path."""
    with tempfile.TemporaryDirectory(prefix="testgen-validate-") as tmp:
        root, written = _scratch_copy(tmp, contents)
        report = validate_paths(written, config)
    return _relative(report, root)


def new_findings(report: ValidationReport, before: ValidationReport | None) -> list[Finding]:
    """The findings of `report` that `before` (the target branch) did not have, matched by
    Code Quality fingerprint (rule, file, test, message, rank): moved lines are not new."""
    if before is None:
        return list(report.findings)
    old = {issue["fingerprint"] for issue in codequality_issues(list(before.findings))}
    issues = codequality_issues(list(report.findings))
    return [
        f
        for f, issue in zip(report.findings, issues, strict=True)
        if issue["fingerprint"] not in old
    ]


async def _status(
    ctx: JobContext,
    project_id: int,
    sha: str | None,
    report: ValidationReport,
    added: list[Finding],
    target: str,
    url: str,
) -> None:
    """A commit status on the MR's head: failed when the MR adds a finding of severity major or
    above; findings the target branch already had do not fail it."""
    if not sha:
        return
    blocking = [f for f in added if f.severity in BLOCKING]
    state: StatusState = "failed" if blocking else "success"
    found, files = len(report.findings), report.files
    description = (
        f"{len(added)} new finding(s) against {target}, {len(blocking)} major or worse; "
        f"{found} in {files} file(s) in all"
    )
    try:
        await ctx["gitlab"].set_commit_status(
            project_id, sha, state, STATUS_NAME, description, target_url=url or None
        )
    except GitLabError as error:  # the comment carries the findings; the status is a bonus
        log.warning("commit status not set", error=str(error))
