"""`/testgen manual`: Allure manual test cases from the MR description, as a follow-up MR."""

from __future__ import annotations

from bot.followup import FollowUp, Outcome, propose
from bot.generate import MARKER, is_generated
from bot.generate.llm_cache import RedisCompletionCache
from bot.generate.llm_client import LLMClient
from bot.generate.manual import manual_cases
from bot.jobs.context import JobContext
from bot.jobs.line_length import repo_line_length
from bot.jobs.repo_files import read_files, repo_config
from bot.markdown import code
from bot.replies_text import ThreadOnly, config_error_markdown
from bot.validate.config import ConfigError

HEADING = "### Manual test cases"
FORK = "This merge request comes from a fork, and the bot cannot push a follow-up branch there."
HOW = (
    "Write the requirements in the description as a list (`- …`, `1. …`, `- [ ] …`), under "
    "an *Acceptance criteria* heading if you like, or as Given/When/Then lines, then comment "
    "`/testgen manual` again."
)


def _path(tests_dir: str, mr_iid: int, base: dict[str, str]) -> str:
    """`<tests>/manual/test_mr<iid>_manual.py`, unless a person owns that file."""
    path = f"{tests_dir}/manual/test_mr{mr_iid}_manual.py"
    n = 2
    while path in base and not is_generated(base[path]):
        path = f"{tests_dir}/manual/test_mr{mr_iid}_manual_{n}.py"
        n += 1
    return path


async def run(ctx: JobContext, project_id: int, mr_iid: int, args: list[str]) -> str:
    return await propose_manual(ctx, project_id, mr_iid)


async def propose_manual(
    ctx: JobContext, project_id: int, mr_iid: int, *, force: bool = False
) -> str:
    """Manual cases of MR `mr_iid` as a follow-up MR; `force` regenerates over edits."""
    gitlab, settings = ctx["gitlab"], ctx["settings"]
    mr = await gitlab.get_merge_request(project_id, mr_iid)
    if mr.from_fork:
        return ThreadOnly(f"{HEADING}\n\n{FORK}\n")
    sha = mr.sha or mr.source_branch
    try:
        config = await repo_config(gitlab, project_id, sha)
    except ConfigError as error:
        return ThreadOnly(f"{HEADING}\n\n{config_error_markdown(mr.source_branch, error)}")
    candidates = [f"{config.tests_dir}/manual/test_mr{mr_iid}_manual{s}.py" for s in ("", "_2")]
    raw = await read_files(gitlab, project_id, candidates, sha)
    base = {p: c.decode("utf-8", errors="replace") for p, c in raw.items()}
    path = _path(config.tests_dir, mr_iid, base)
    client = None
    if settings.llm_enabled and config.generate.llm != "off":
        client = LLMClient(settings, cache=RedisCompletionCache(ctx["redis"]))
    try:
        result = await manual_cases(
            mr.title,
            mr.description or "",
            client,
            path=path,
            config=config.validate_,
            labels=mr.labels,
            line_length=await repo_line_length(gitlab, project_id, sha),
        )
    finally:
        if client is not None:
            await client.aclose()
    if result.source is None:
        return ThreadOnly(f"{HEADING}\n\nNo test cases: {result.reason}. {HOW}\n")
    source = result.source if is_generated(result.source) else f"{MARKER}\n{result.source}"
    count = source.count("\ndef test_")
    proposal = FollowUp(
        kind="manual",
        source_branch=mr.source_branch,
        source_sha=sha,
        files={path: source},
        title=f"testgen: manual test cases for !{mr.iid}",
        description=(
            f"{count} Allure manual test case(s) from the requirements in !{mr.iid} "
            f"({'written with the LLM' if result.used_llm else result.reason}). Each is marked "
            "`@allure.manual`, so Allure TestOps lists it as a manual case and pytest skips it."
        ),
        root=config.tests_dir,
        labels=tuple(config.followup.labels),
        reviewer_ids=(ctx["asker_id"],) if ctx.get("asker_id") else (),
        origin_iid=mr.iid,
    )
    outcome = await propose(
        gitlab, project_id, proposal, base, max_open=settings.max_open_bot_mrs, force=force
    )
    return f"{HEADING}\n\n{_say(outcome, count)}\n"


def _say(outcome: Outcome, count: int) -> str:
    link = f"[!{outcome.mr.iid}]({outcome.mr.web_url})" if outcome.mr is not None else ""
    return {
        "opened": f"Opened {link} with {count} manual test case(s).",
        "updated": f"Updated {link}: {count} manual test case(s).",
        "unchanged": f"{link} is already up to date.",
        "up-to-date": "The source branch already has these test cases.",
        "hands-off": f"Someone pushed to {code(outcome.branch)}, so the bot leaves "
        + (f"{link} alone." if link else "that branch alone."),
        "closed": f"{link} with these same cases was closed, so it is not opened again.",
        "capped": (
            f"Not opened: the project already has {outcome.open_count} open testgen-bot merge "
            "requests (`TESTGEN_MAX_OPEN_MRS`)."
        ),
    }[outcome.status]
