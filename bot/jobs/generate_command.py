"""Generated tests as follow-up MRs: `/testgen generate [METHOD PATH …]`, new endpoints on push."""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass

import structlog

from bot.followup import FollowUp, Outcome, branch_for, propose
from bot.generate import GenerateOptions, SuiteResult, is_generated
from bot.generate.auth import Credential, declares_security, spec_credential
from bot.generate.kinds import configured_kinds, plan_kinds, split_kind_args, suite_of
from bot.generate.llm import enrich_suite
from bot.generate.llm_cache import RedisCompletionCache
from bot.generate.llm_client import LLMClient
from bot.generate.model import ALL_KINDS
from bot.inventory_store import InventoryStore
from bot.jobs.context import JobContext
from bot.jobs.repo_files import is_test_module, read_files, repo_config
from bot.jobs.rescan import scan_branch
from bot.jobs.runner import job
from bot.markdown import code
from bot.replies_text import ThreadOnly, config_error_markdown, user_text
from bot.repo_config import RepoConfig
from bot.scan.model import Inventory
from bot.validate.config import ConfigError

log = structlog.get_logger("bot.jobs.generate")
HEADING = "### Test generation"
METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"})
MAX_EXISTING_FILES = 500
MAX_SPECS = 5
MAX_OTHER_TESTS = 200
MAX_WARNINGS = 20
SPEC_KINDS = frozenset({"openapi", "swagger"})
FROM_FORK = (
    "{heading}\n\nThis merge request comes from a fork, and the bot cannot push a follow-up "
    "branch there. Run `testgen generate` locally (see the README) or push the branch to this "
    "project.\n"
)
OWN_MR = "{heading}\n\nThis is testgen-bot's own merge request: run the command on `{target}`'s.\n"
USAGE = (
    f"{HEADING}\n\n`/testgen generate` takes nothing (every endpoint without a test) or pairs "
    "of method and path, e.g. `/testgen generate GET /pets/{{petId}} POST /pets`, and "
    "`--kind functional|security|performance|all` (default: `.testgen.yml`'s `generate.kinds`). "
    "Not understood: {args}.\n"
)


@dataclass(frozen=True)
class Plan:
    result: SuiteResult
    files: dict[str, str | None]  # repository path → content (None: delete a stale file)
    base: dict[str, str]  # current content at the source of every path already there
    llm_notes: list[str]
    options: GenerateOptions
    warnings: list[str]  # what the scan could not read or resolve, by file


def parse_only(args: Sequence[str]) -> list[tuple[str, str]] | str | None:
    """`[]` → None (everything); `GET /a POST /b` → pairs; anything else → the bad text."""
    if not args:
        return None
    if len(args) % 2 or any(
        m.upper() not in METHODS or not p.startswith("/")
        for m, p in zip(args[::2], args[1::2], strict=True)
    ):
        return " ".join(args)
    return [(m.upper(), p) for m, p in zip(args[::2], args[1::2], strict=True)]


def options_for(
    config: RepoConfig,
    only: list[tuple[str, str]] | None,
    credential: Credential | None = None,
    secured: bool = True,
) -> GenerateOptions:
    """Options from `.testgen.yml`; the credential travels the way the spec declares (header,
    query parameter or cookie) unless the file sets the header itself."""
    section = config.generate
    options = GenerateOptions(
        tests_dir=config.tests_dir,
        base_url_env=section.base_url_env,
        auth_env=section.auth_env,
        auth_header=section.auth_header,
        auth_scheme=section.auth_scheme,
        kinds=[k for k in ALL_KINDS if k in section.kinds] or list(ALL_KINDS),
        only=only,
    )
    chosen = section.model_fields_set & {"auth_header", "auth_scheme"}
    if credential is not None and not chosen:
        return credential.options(options)
    if not chosen and not secured:  # no scheme declared, none configured: send none
        return options.model_copy(update={"send_credential": False})
    return options


async def _spec_credential(
    ctx: JobContext, project_id: int, branch: str, inventory: Inventory
) -> Credential | None:
    """How the branch's specs say credentials travel (from their stored scan facts)."""
    files = sorted(
        {s.file for e in inventory.endpoints for s in e.sources if s.framework in SPEC_KINDS}
    )
    stored = await InventoryStore(ctx["redis"]).entries(project_id, branch, files[:MAX_SPECS])
    for entry in stored.values():
        facts = entry.facts.get("openapi") or {}
        doc = facts.get("doc") if facts.get("kind") in SPEC_KINDS else None
        found = spec_credential(doc, inventory) if isinstance(doc, dict) else None
        if found is not None:
            return found
    return None


async def _tests_elsewhere(
    ctx: JobContext, project_id: int, branch: str, sha: str, folder: str
) -> dict[str, str]:
    """Test modules outside the tests folder, keyed relative to it (`../test_users.py`): the
    generator reads them only to skip endpoints they already cover."""
    paths = await InventoryStore(ctx["redis"]).paths(project_id, branch)
    outside = [p for p in paths if is_test_module(p) and not p.startswith(folder + "/")]
    raw = await read_files(ctx["gitlab"], project_id, outside[:MAX_OTHER_TESTS], sha)
    return {
        posixpath.relpath(path, folder): content.decode("utf-8", errors="replace")
        for path, content in raw.items()
    }


async def plan(
    ctx: JobContext,
    project_id: int,
    branch: str,
    sha: str,
    inventory: Inventory,
    config: RepoConfig,
    only: list[tuple[str, str]] | None,
    named: bool = True,
    kinds: list[str] | None = None,
) -> Plan:
    """What the tests folder should hold: generated modules next to the hand-written ones.
    Endpoints `named` by a person are generated even when hand-written tests call them."""
    inventory = inventory.for_app(config.app)  # one app's endpoints, tests and coverage
    gitlab = ctx["gitlab"]
    folder = config.tests_dir
    tree = await gitlab.repository_tree(project_id, sha, folder)
    python = sorted(e.path for e in tree if e.path.endswith(".py"))[:MAX_EXISTING_FILES]
    raw = await read_files(gitlab, project_id, python, sha)
    current = {path: content.decode("utf-8", errors="replace") for path, content in raw.items()}
    existing = {path.removeprefix(folder + "/"): text for path, text in current.items()}
    existing |= await _tests_elsewhere(ctx, project_id, branch, sha, folder)
    credential = await _spec_credential(ctx, project_id, branch, inventory)
    options = options_for(config, only, credential, declares_security(credential, inventory))
    options = options.model_copy(update={"include_tested": named and only is not None})
    suites = configured_kinds(kinds or config.generate.kinds)
    result = plan_kinds(
        inventory, options, existing, suites,
        inventory_tests=config.security.inventory_tests, p95_ms=config.performance.p95_ms,
        error_rate=config.performance.error_rate, slow_ms=config.performance.slow_ms,
    )  # fmt: skip
    llm_notes: list[str] = []
    settings = ctx["settings"]
    if config.generate.llm != "off" and settings.llm_enabled and result.files:
        client = LLMClient(settings, cache=RedisCompletionCache(ctx["redis"]))
        functional = [f for f in result.files if suite_of(f.path) == "functional"]
        by_file = {
            f.path: [e for e in inventory.endpoints if (e.method, e.path) in f.endpoints]
            for f in functional
        }
        style = _style_sample(current)
        try:
            enriched = await enrich_suite(
                functional, by_file, client, style_sample=style, config=config.validate_
            )
        finally:
            await client.aclose()
        others = [f for f in result.files if suite_of(f.path) != "functional"]
        merged = sorted([*enriched.files, *others], key=lambda f: f.path)
        result = SuiteResult(merged, result.skipped, result.notes)
        llm_notes = [f"{code(path)}: {code(why)}" for path, why in enriched.reasons]
    elif config.generate.llm == "on" and not settings.llm_enabled:
        llm_notes = ["`.testgen.yml` asks for the LLM, but this bot has none configured"]
    files: dict[str, str | None] = {f"{folder}/{f.path}": f.content for f in result.files}
    if only is None:  # generated files no endpoint needs any more
        for path, text in current.items():
            kind = suite_of(path.removeprefix(folder + "/"))
            if path not in files and is_generated(text) and kind in suites:
                files[path] = None
    warnings = [
        f"{code(w.file)}{f':{w.line}' if w.line else ''}: {code(w.message)}"
        for w in inventory.warnings
    ]
    return Plan(result, files, current, llm_notes, options, warnings)


def _style_sample(current: dict[str, str], limit: int = 3) -> str | None:
    """A few of the team's own test modules (not the bot's), smallest first, for the prompt."""
    own = sorted(
        (len(text), path)
        for path, text in current.items()
        if not is_generated(text) and path.rsplit("/", 1)[-1].startswith("test_")
    )
    if not own:
        return None
    return "\n\n".join(f"# --- {path}\n{current[path]}" for _, path in own[:limit])


def describe(plan: Plan, source_branch: str, sha: str, why: str) -> str:
    result = plan.result
    lines = [
        f"Tests generated by testgen-bot for {code(source_branch)} at {sha[:12]}: {why}.",
        "",
        "| File | Endpoints |",
        "| --- | --- |",
    ]
    for file in result.files:
        covered = ", ".join(code(f"{m} {p}", in_table=True) for m, p in file.endpoints)
        lines.append(f"| {code(file.path, in_table=True)} | {covered or 'fixtures'} |")
    removed = [p for p, c in plan.files.items() if c is None]
    if removed:
        lines += ["", "Removed (no endpoint needs them any more): " + ", ".join(map(code, removed))]
    if result.skipped:
        lines += ["", "Skipped:"] + [
            f"- {code(f'{m} {p}')}: {code(w)}" for m, p, w in result.skipped
        ]
    notes = [*result.notes, *plan.llm_notes]
    if notes:
        lines += ["", "Notes:"] + [f"- {n}" for n in notes]
    if plan.warnings:
        shown = plan.warnings[:MAX_WARNINGS]
        more = len(plan.warnings) - len(shown)
        lines += ["", "<details><summary>Scan warnings</summary>", ""]
        lines += [f"- {w}" for w in shown] + ([f"- …and {more} more"] if more else [])
        lines += ["", "</details>"]
    options = plan.options
    lines += [
        "",
        "Every generated file starts with a marker line; delete that line to take a file over "
        f"and the bot will never rewrite it. Run the suite with {code(options.base_url_env)} (and "
        f"{code(options.auth_env)} where auth is needed) pointing at a running service.",
    ]
    return "\n".join(lines)


async def generate_followup(
    ctx: JobContext,
    project_id: int,
    source_branch: str,
    sha: str,
    only: list[tuple[str, str]] | None,
    why: str,
    *,
    origin_iid: int = 0,
    force: bool = False,
    named: bool = True,
    kinds: list[str] | None = None,
) -> tuple[Outcome | None, Plan | None, str | None]:
    """Scan, plan and propose; the third item is a message when there was nothing to do.
    The asker (`ctx["asker_id"]`) reviews the MR; `force` regenerates over a person's edits."""
    gitlab = ctx["gitlab"]
    try:
        config = await repo_config(gitlab, project_id, sha)
    except ConfigError as error:
        return None, None, config_error_markdown(source_branch, error)
    head, _ = await scan_branch(ctx, project_id, source_branch, sha)
    if not head.inventory.endpoints:
        return None, None, f"No HTTP endpoints were found on {code(source_branch)}."
    unknown = [user_text(f"{m} {p}") for m, p in only or [] if head.inventory.find(m, p) is None]
    if unknown:
        return None, None, f"Not endpoints of {code(source_branch)}: {', '.join(unknown)}."
    planned = await plan(
        ctx, project_id, source_branch, sha, head.inventory, config, only, named, kinds
    )
    if not planned.result.files:
        reasons = "; ".join(
            f"{code(f'{m} {p}')}: {code(w)}" for m, p, w in planned.result.skipped[:10]
        )
        return None, planned, f"Nothing to generate. {reasons}".rstrip()
    count = sum(len(f.endpoints) for f in planned.result.files)
    proposal = FollowUp(
        kind="generate",
        source_branch=source_branch,
        source_sha=sha,
        files=planned.files,
        title=f"testgen: API tests for {count} endpoint(s) of {source_branch}",
        description=describe(planned, source_branch, sha, why),
        root=config.tests_dir,
        labels=tuple(config.followup.labels),
        reviewer_ids=(ctx["asker_id"],) if ctx.get("asker_id") else (),
        origin_iid=origin_iid,
        run_id=run_id(ctx),
    )
    outcome = await propose(
        gitlab,
        project_id,
        proposal,
        planned.base,
        max_open=ctx["settings"].max_open_bot_mrs,
        force=force,
    )
    return outcome, planned, None


def run_id(ctx: JobContext) -> str:
    """The same for a job and its re-runs (arq keeps the job id), short and free of user text."""
    return hashlib.sha256(str(ctx.get("job_id", "")).encode()).hexdigest()[:16]


def report(outcome: Outcome | None, planned: Plan | None, message: str | None) -> str:
    if outcome is None or planned is None:
        return ThreadOnly(f"{HEADING}\n\n{message}\n")
    mr = outcome.mr
    link = f"[!{mr.iid}]({mr.web_url})" if mr is not None else ""
    count = sum(len(f.endpoints) for f in planned.result.files)
    texts = {
        "opened": f"Opened {link} with tests for {count} endpoint(s).",
        "updated": f"Updated {link}: tests for {count} endpoint(s).",
        "unchanged": f"{link} is already up to date.",
        "up-to-date": f"{code(outcome.branch)} is not needed: the tests are already on the branch.",
        "hands-off": f"Someone pushed to {code(outcome.branch)}, so the bot leaves "
        + (f"{link} alone." if link else "that branch alone."),
        "closed": f"{link} with these same tests was closed, so it is not opened again.",
        "capped": (
            f"Not opened: the project already has {outcome.open_count} open testgen-bot merge "
            "requests (`TESTGEN_MAX_OPEN_MRS`). Merge or close some first."
        ),
    }
    skipped = len(planned.result.skipped)
    extra = f" {skipped} endpoint(s) skipped (see the MR)." if skipped else ""
    return f"{HEADING}\n\n{texts[outcome.status]}{extra}\n"


async def run(ctx: JobContext, project_id: int, mr_iid: int, args: list[str]) -> str:
    kinds, args = split_kind_args(args)
    only = parse_only(args)
    if isinstance(only, str):
        return ThreadOnly(USAGE.format(args=user_text(only)))
    mr = await ctx["gitlab"].get_merge_request(project_id, mr_iid)
    if mr.source_branch.startswith("testgen/"):
        return ThreadOnly(OWN_MR.format(heading=HEADING, target=mr.target_branch))
    if mr.from_fork:
        return ThreadOnly(FROM_FORK.format(heading=HEADING))
    sha = mr.sha or mr.source_branch
    why = f"requested in !{mr.iid}" + (f" for {len(only)} endpoint(s)" if only else "")
    if kinds:
        why += f" ({', '.join(kinds)})"
    return report(
        *await generate_followup(
            ctx, project_id, mr.source_branch, sha, only, why, origin_iid=mr.iid, kinds=kinds
        )
    )


@job
async def generate_on_push(
    ctx: JobContext,
    project_id: int,
    branch: str,
    sha: str,
    added: list[list[str]] | None = None,
) -> str:
    """New endpoints reached the default branch: propose tests for those (`added`, as
    [method, path] pairs; hand-written tests still count) when `.testgen.yml` says so."""
    structlog.contextvars.bind_contextvars(project_id=project_id, branch=branch, sha=sha)
    try:
        config = await repo_config(ctx["gitlab"], project_id, sha)
    except ConfigError as error:
        log.warning("bad .testgen.yml, nothing generated", error=str(error))
        return "bad config"
    if not config.generate.on_push:
        return "off"
    only = [(m, p) for m, p in added] if added else None
    outcome, _, message = await generate_followup(
        ctx, project_id, branch, sha, only, "new endpoints were pushed", named=False
    )
    return outcome.status if outcome is not None else (message or "nothing")


__all__ = ["branch_for", "generate_on_push", "run"]
