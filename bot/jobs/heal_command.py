"""Healed tests as a follow-up MR: `/testgen heal`, a push that breaks tests, a red pipeline."""

from __future__ import annotations

import asyncio
import posixpath

import structlog

from bot import metrics
from bot.followup import FollowUp, Outcome, propose
from bot.heal.engine import HealResult, heal
from bot.heal.store import HealStore
from bot.inventory_store import InventoryStore
from bot.jobs.analysis_inputs import test_code_paths
from bot.jobs.context import JobContext
from bot.jobs.repo_files import read_files, repo_config
from bot.jobs.rescan import scan_branch
from bot.jobs.runner import job
from bot.markdown import code, plain
from bot.replies_text import ThreadOnly, config_error_markdown
from bot.scan.model import Inventory
from bot.validate.config import ConfigError

log = structlog.get_logger("bot.jobs.heal")
HEADING = "### Test healing"
KIND = "heal"
BASE_BRANCH = "testgen-heal-base/{branch}"  # inventory key of a branch's earlier commit
MAX_FILES = 500
MAX_ROWS = 60
OWN_MR = "{heading}\n\nThis is testgen-bot's own merge request: run the command on {target}'s.\n"
FROM_FORK = (
    "{heading}\n\nThis merge request comes from a fork, and the bot cannot push a follow-up "
    "branch there. Run `testgen heal` locally (see the README).\n"
)
NOTHING = "No test of {branch} calls an endpoint that changed against {base}."


async def suite_files(
    ctx: JobContext, project_id: int, branch: str, sha: str, tests_dir: str
) -> dict[str, str]:
    """The branch's test code at `sha` (scanned before), by repository path: the same files
    coverage and generation read (`tests_dir`, every test module and its folder's helpers)."""
    paths = await InventoryStore(ctx["redis"]).paths(project_id, branch)
    chosen = test_code_paths(paths, tests_dir)[:MAX_FILES]
    raw = await read_files(ctx["gitlab"], project_id, chosen, sha)
    return {path: content.decode("utf-8", errors="replace") for path, content in raw.items()}


def describe(result: HealResult, branch: str, sha: str, why: str) -> str:
    """The heal MR's description: why, the healing rate, and the log."""
    lines = [
        f"Tests healed by testgen-bot for {code(branch)} at {sha[:12]}: {why}.",
        "",
        f"{len(result.healed)} of {len(result.broken)} broken test(s) healed "
        f"(healing rate {round(result.rate * 100)} %).",
    ]
    return "\n".join(lines) + log_markdown(result)


def log_markdown(result: HealResult) -> str:
    """The healing log as markdown: what was rewritten, proposed, and left for review."""
    lines: list[str] = []
    if result.actions:
        lines += ["", "| File | Line | Rule | Old → new | Confidence | Applied |",
                  "| --- | --- | --- | --- | --- | --- |"]  # fmt: skip
        for a in result.actions[:MAX_ROWS]:
            lines.append(
                f"| {code(a.file, in_table=True)} | {a.line} | {a.rule} | "
                f"{code(a.old, in_table=True)} → {code(a.new, in_table=True)} | "
                f"{round(a.confidence * 100)} % | {'yes' if a.applied else '**proposed**'} |"
            )
        if len(result.actions) > MAX_ROWS:
            lines.append(f"\n_…and {len(result.actions) - MAX_ROWS} more._")
    if result.unhealable:
        lines += ["", "Needs a person (not healed, or skipped):"]
        lines += [
            f"- {code(f'{u.file}:{u.line}')} {code(u.test)}: {plain(u.reason, limit=500)}"
            for u in result.unhealable
        ]
    return "\n".join(lines)


async def heal_followup(
    ctx: JobContext,
    project_id: int,
    branch: str,
    sha: str,
    before: Inventory,
    why: str,
    trigger: str,
) -> tuple[Outcome | None, HealResult | None, str | None]:
    """Heal `branch`'s tests written for `before` to fit the branch at `sha`; propose them."""
    gitlab = ctx["gitlab"]
    try:
        config = await repo_config(gitlab, project_id, sha)
    except ConfigError as error:
        return None, None, config_error_markdown(branch, error)
    head, _ = await scan_branch(ctx, project_id, branch, sha)
    files = await suite_files(ctx, project_id, branch, sha, config.tests_dir)
    result = await asyncio.to_thread(heal, files, before, head.inventory)
    await HealStore(ctx["redis"]).record(project_id, branch, sha, trigger, result)
    metrics.HEAL_TESTS.labels("broken").inc(len(result.broken))
    metrics.HEAL_TESTS.labels("healed").inc(len(result.healed))
    if result.broken:
        metrics.HEAL_RATE.set(result.rate)
    log.info("heal planned", broken=len(result.broken), healed=len(result.healed))
    if not result.files:
        return None, result, None
    proposal = FollowUp(
        kind=KIND,
        source_branch=branch,
        source_sha=sha,
        files=dict(result.files),
        title=f"testgen: heal {len(result.broken)} test(s) broken by API changes on {branch}",
        description=describe(result, branch, sha, why),
        root=posixpath.commonpath([posixpath.dirname(path) for path in result.files]),
    )
    base = {path: text for path, text in files.items() if path in result.files}
    outcome = await propose(
        gitlab, project_id, proposal, base, max_open=ctx["settings"].max_open_bot_mrs
    )
    return outcome, result, None


def report(
    outcome: Outcome | None, result: HealResult | None, message: str | None, branch: str, base: str
) -> str:
    """The command's answer (markdown)."""
    if message is not None or result is None:
        return ThreadOnly(f"{HEADING}\n\n{message}\n")  # nothing ran: no state to keep
    if outcome is None:
        text = NOTHING.format(branch=code(branch), base=base)
        if result.unhealable:
            text += "\n" + log_markdown(result)
        return f"{HEADING}\n\n{text}\n"
    mr = outcome.mr
    link = f"[!{mr.iid}]({mr.web_url})" if mr is not None else code(outcome.branch)
    texts = {
        "opened": f"Opened {link}",
        "updated": f"Updated {link}",
        "unchanged": f"{link} is already up to date",
        "up-to-date": f"{code(outcome.branch)} is not needed: the tests are already healed",
        "hands-off": f"Someone pushed to {code(outcome.branch)}, so the bot leaves {link} alone",
        "closed": f"{link} with these same changes was closed, so it is not opened again",
        "capped": "Not opened: too many open testgen-bot merge requests (`TESTGEN_MAX_OPEN_MRS`)",
    }
    summary = (
        f"{len(result.healed)} of {len(result.broken)} broken test(s) healed, "
        f"{len(result.unhealable)} left for review"
    )
    details = f"\n<details><summary>Healing log</summary>\n{log_markdown(result)}\n\n</details>\n"
    return f"{HEADING}\n\n{texts[outcome.status]}: {summary}.\n{details}"


async def run(ctx: JobContext, project_id: int, mr_iid: int, args: list[str]) -> str:
    """`/testgen heal`: heal the MR's tests against the API of its target branch."""
    gitlab = ctx["gitlab"]
    mr = await gitlab.get_merge_request(project_id, mr_iid)
    if mr.source_branch.startswith("testgen/"):
        return OWN_MR.format(heading=HEADING, target=code(mr.target_branch))
    if mr.from_fork:
        return FROM_FORK.format(heading=HEADING)
    target = await gitlab.get_branch(project_id, mr.target_branch)
    if target is None:
        return f"{HEADING}\n\nThe target branch {code(mr.target_branch)} no longer exists.\n"
    base, _ = await scan_branch(ctx, project_id, mr.target_branch, target.commit.id)
    sha = mr.sha or mr.source_branch
    found = await heal_followup(
        ctx, project_id, mr.source_branch, sha, base.inventory,
        f"requested in !{mr.iid}, against {code(mr.target_branch)}", "command",
    )  # fmt: skip
    return report(*found, mr.source_branch, code(mr.target_branch))


@job
async def heal_on_push(
    ctx: JobContext, project_id: int, branch: str, before_sha: str, sha: str
) -> str:
    """A push changed endpoints: heal the tests written for the branch as it was before."""
    structlog.contextvars.bind_contextvars(project_id=project_id, branch=branch, sha=sha)
    base, _ = await scan_branch(ctx, project_id, BASE_BRANCH.format(branch=branch), before_sha)
    outcome, result, message = await heal_followup(
        ctx, project_id, branch, sha, base.inventory, f"the push after {before_sha[:12]}", "push"
    )
    if outcome is not None:
        return outcome.status
    return message or ("nothing to heal" if result is None or not result.broken else "no edit")
