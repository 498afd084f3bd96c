"""Heal from CI: a failed pipeline's JUnit report sorted into tests to heal and likely regressions.

Each failing test is mapped (the one test→endpoint map, read against the API of the branch's
last green commit) to the endpoints it calls. An endpoint that changed since that commit: the
test is healed like after a push (same follow-up MR). None changed: a likely regression, listed
in one MR comment — on the default branch only in the log and the metrics.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import structlog

from bot import metrics
from bot.analysis.model import TestCase
from bot.analysis.testmap import TestMap, build_test_map
from bot.heal.changes import change_set
from bot.heal.store import HealStore
from bot.jobs.commands import replies_for
from bot.jobs.context import JobContext, bot_user_id
from bot.jobs.heal_command import BASE_BRANCH, HEADING, heal_followup, report, suite_files
from bot.jobs.repo_files import repo_config
from bot.jobs.rescan import scan_branch
from bot.jobs.runner import job
from bot.markdown import code
from bot.scan.model import normalise_template
from bot.validate.config import ConfigError

log = structlog.get_logger("bot.jobs.heal_ci")
ZERO_SHA = "0" * 40
FAILED = frozenset({"failed", "error"})
SECTION = "heal"
NO_GREEN = "no earlier green pipeline of `{branch}` is known, so nothing tells a change apart"
REGRESSIONS = (
    "Likely regressions: these tests fail on endpoints that did not change since the last "
    "green pipeline ({green}):"
)
UNMAPPED = "Failing tests the bot could not map to an endpoint:"


@dataclass
class Sorted:
    """Failing tests by cause: an endpoint changed, a likely regression, or not mapped."""

    changed: list[str] = field(default_factory=list)
    regressions: list[tuple[str, list[str]]] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)


def failing_cases(test_report: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(classname, name) of every failed or erroring test case of a GitLab test report."""
    found = []
    for suite in test_report.get("test_suites") or []:
        for case in suite.get("test_cases") or []:
            if case.get("status") in FAILED:
                found.append((str(case.get("classname") or ""), str(case.get("name") or "")))
    return found


def find_tests(tests: Iterable[TestCase], classname: str, name: str) -> list[TestCase]:
    """The map's tests a JUnit case names: `classname` is pytest's dotted module (and class)."""
    bare = re.sub(r"\[.*\]$", "", name)
    parts = classname.split(".")
    found = []
    for test in tests:
        *owner, function = test.name.split("::")
        if function != bare:
            continue
        module = test.file.removesuffix(".py").replace("/", ".")
        dotted = ".".join([module, *owner])
        named = classname in ("", dotted) or classname.endswith("." + dotted)
        if named or module.rsplit(".", 1)[-1] in parts:
            found.append(test)
    return found


def sort_failures(
    failing: list[tuple[str, str]], test_map: TestMap, changed: set[tuple[str, str]]
) -> Sorted:
    result = Sorted()
    for classname, name in failing:
        tests = find_tests(test_map.tests, classname, name)
        label = f"{classname}::{name}" if classname else name
        endpoints = [
            key for t in tests for key in test_map.endpoints_of(t.id, roles=("test", "fixture"))
        ]
        if not endpoints:
            result.unmapped.append(label)
        elif any((m, normalise_template(p)) in changed for m, p in endpoints):
            result.changed.append(label)
        else:
            result.regressions.append((label, [f"{m} {p}" for m, p in dict.fromkeys(endpoints)]))
    return result


def render(sorted_: Sorted, healed: str | None, green: str, pipeline_id: int) -> str:
    lines = [f"{HEADING} (pipeline #{pipeline_id})", ""]
    if healed:
        lines += [healed.split("\n\n", 1)[-1].strip(), ""]
    if sorted_.regressions:
        lines += [REGRESSIONS.format(green=green), ""]
        lines += [
            f"- {code(t)} → {', '.join(code(e) for e in es)}" for t, es in sorted_.regressions
        ]
        lines.append("")
    if sorted_.unmapped:
        lines += [UNMAPPED, ""] + [f"- {code(t)}" for t in sorted_.unmapped]
    return "\n".join(lines).rstrip() + "\n"


@job
async def pipeline_green(ctx: JobContext, project_id: int, branch: str, sha: str) -> str:
    await HealStore(ctx["redis"]).set_green(project_id, branch, sha)
    return "recorded"


async def _mr_of(ctx: JobContext, project_id: int, branch: str, mr_iid: int | None) -> int | None:
    if mr_iid is not None:
        return mr_iid
    found = await ctx["gitlab"].list_merge_requests(project_id, source_branch=branch)
    return found[0].iid if found else None


@job
async def heal_on_pipeline(
    ctx: JobContext,
    project_id: int,
    pipeline_id: int,
    branch: str,
    sha: str,
    before_sha: str,
    mr_iid: int | None,
) -> str:
    """Sort a failed pipeline's failing tests; heal those whose endpoint changed."""
    structlog.contextvars.bind_contextvars(
        project_id=project_id, branch=branch, sha=sha, pipeline_id=pipeline_id
    )
    gitlab = ctx["gitlab"]
    current = await gitlab.get_branch(project_id, branch)
    if current is None or current.commit.id != sha:
        log.info("pipeline of an older commit: the branch head's own pipeline decides")
        return "stale"
    failing = failing_cases(await gitlab.pipeline_test_report(project_id, pipeline_id))
    if not failing:
        return "no failing tests"
    store = HealStore(ctx["redis"])
    green = await store.green(project_id, branch)
    if green is None and before_sha and before_sha != ZERO_SHA:
        green = before_sha
    try:
        config = await repo_config(gitlab, project_id, sha)
    except ConfigError as error:
        log.warning("bad .testgen.yml, failures not sorted", error=str(error))
        return "bad config"
    if green is None:
        log.info(NO_GREEN.format(branch=branch), failing=len(failing))
        return "no green"
    base, _ = await scan_branch(ctx, project_id, BASE_BRANCH.format(branch=branch), green)
    head, _ = await scan_branch(ctx, project_id, branch, sha)
    files = await suite_files(ctx, project_id, branch, sha, config.tests_dir)
    changes = change_set(base.inventory, head.inventory)
    changed = {(c.method, normalise_template(c.path)) for c in changes.changes}
    sorted_ = sort_failures(failing, build_test_map(files, base.inventory.endpoints), changed)
    for kind, items in (
        ("changed", sorted_.changed),
        ("regression", sorted_.regressions),
        ("unmapped", sorted_.unmapped),
    ):
        metrics.HEAL_FAILURES.labels(kind).inc(len(items))
    healed = None
    if sorted_.changed:
        why = f"pipeline #{pipeline_id} failed on endpoints changed since {green[:12]}"
        found = await heal_followup(ctx, project_id, branch, sha, base.inventory, why, "pipeline")
        healed = report(*found, branch, f"`{green[:12]}`")
    log.info(
        "pipeline failures sorted",
        changed=len(sorted_.changed),
        regressions=[t for t, _ in sorted_.regressions],
        unmapped=len(sorted_.unmapped),
    )
    project = await gitlab.get_project(project_id)
    if branch == project.default_branch:
        return "sorted (default branch: log only)"
    target = await _mr_of(ctx, project_id, branch, mr_iid)
    if target is not None and (healed or sorted_.regressions or sorted_.unmapped):
        replies = replies_for(ctx, await bot_user_id(ctx))
        markdown = render(sorted_, healed, green[:12], pipeline_id)
        await replies.set_section(project_id, target, SECTION, markdown)
    return "sorted"
