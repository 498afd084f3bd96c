"""`testgen doctor --project ID_OR_PATH`: check the bot's set-up, one ✓/✗ line per check."""

from __future__ import annotations

import argparse
import asyncio
from dataclasses import dataclass
from pathlib import Path

import httpx
from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.gitlab import GitLab, GitLabError, Unauthorized, User
from bot.install_hook import HOOK_EVENTS
from bot.logs import configure_logging
from bot.settings import Settings, load_settings
from bot.startup import CHECK_TIMEOUT_SECONDS, client_for

DEVELOPER, MAINTAINER = 30, 40
LEVELS = {10: "Guest", 20: "Reporter", 30: "Developer", 40: "Maintainer", 50: "Owner"}
WANTED_EVENTS = sorted(name for name, on in HOOK_EVENTS.items() if on)


@dataclass(frozen=True)
class Check:
    ok: bool
    what: str
    fix: str = ""

    def line(self) -> str:
        if self.ok:
            return f"✓ {self.what}"
        return f"✗ {self.what}" + (f"\n    fix: {self.fix}" if self.fix else "")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--project", required=True, help="project id or path (grp/sub/proj)")
    parser.add_argument(
        "--url", help="the bot's webhook URL the project's hook should point at (optional)"
    )


async def _token(gitlab: GitLab, settings: Settings) -> tuple[Check, User | None]:
    try:
        user = await gitlab.current_user()
    except Unauthorized:
        fix = "create an access token for the bot user with scope `api`; set GITLAB_TOKEN to it"
        return Check(False, f"GITLAB_TOKEN rejected by {settings.gitlab_url} (401)", fix), None
    except GitLabError as error:
        fix = "check GITLAB_URL and that this machine can reach GitLab"
        return Check(False, f"GitLab at {settings.gitlab_url} unreachable: {error}", fix), None
    return Check(True, f"token accepted: the bot is @{user.username} (user {user.id})"), user


async def _access(gitlab: GitLab, project: str, user: User) -> Check:
    try:
        level = await gitlab.member_access_level(project, user.id)
    except GitLabError as error:
        fix = f"check the project path or id, and add @{user.username} to the project"
        return Check(False, f"project {project}: {error}", fix)
    name = LEVELS.get(level, f"level {level}" if level else "no access")
    what = f"@{user.username} has {name} access to {project}"
    if level < DEVELOPER:
        fix = f"give @{user.username} Developer access (Maintainer to let it install the hook)"
        return Check(False, what + ": it needs Developer to push follow-up branches", fix)
    return Check(True, what)


async def _hook(gitlab: GitLab, project: str, url: str | None) -> Check:
    install = f"testgen install-hook --project {project} --url {url or 'https://…/webhook'}"
    try:
        hooks = await gitlab.list_project_hooks(project)
    except GitLabError as error:
        fix = "run doctor with a Maintainer's token, or check Settings → Webhooks by hand"
        return Check(False, f"cannot list the hooks of {project} ({error.status})", fix)
    candidates = [h for h in hooks if url is None or str(h.get("url", "")).rstrip("/") == url]
    if not candidates:
        where = f" pointing at {url}" if url else ""
        return Check(False, f"no webhook{where} on {project}", install)
    for hook in candidates:
        missing = [name for name in WANTED_EVENTS if not hook.get(name)]
        if not missing:
            secret = "" if hook.get("token_present", True) else " (but without a secret token)"
            ok = hook.get("token_present", True)
            return Check(bool(ok), f"webhook {hook['id']} → {hook.get('url')}{secret}", install)
    hook = candidates[0]
    missing = [name for name in WANTED_EVENTS if not hook.get(name)]
    return Check(
        False, f"webhook {hook['id']} → {hook.get('url')} lacks {', '.join(missing)}", install
    )


def _writable(data: Path) -> str | None:
    """None when the folder can be created and written; else why not."""
    try:
        data.mkdir(parents=True, exist_ok=True)
        probe = data / ".doctor"
        probe.write_text("ok")
        probe.unlink()
    except OSError as error:
        return error.strerror or type(error).__name__
    return None


async def _redis(settings: Settings) -> Check:
    if settings.redis_url is None:
        data = Path(settings.data_dir)
        problem = await asyncio.to_thread(_writable, data)
        if problem is not None:
            fix = "point TESTGEN_DATA_DIR at a writable folder, or set REDIS_URL"
            return Check(False, f"embedded Redis: {data} not writable ({problem})", fix)
        return Check(True, f"embedded Redis (REDIS_URL unset), data in {data}")
    client: Redis = Redis.from_url(settings.redis_url, socket_connect_timeout=2)
    try:
        await client.ping()
    except (RedisError, OSError) as error:
        fix = "start Redis or correct REDIS_URL"
        return Check(False, f"Redis at REDIS_URL not reachable: {type(error).__name__}", fix)
    finally:
        await client.aclose()
    return Check(True, "Redis at REDIS_URL answers")


async def _llm(settings: Settings, http: httpx.AsyncClient) -> Check:
    if not settings.llm_enabled or settings.openai_api_key is None:
        return Check(True, "LLM not configured: generation is deterministic (optional)")
    base = (settings.openai_base_url or "https://api.openai.com/v1").rstrip("/")
    key = settings.openai_api_key.get_secret_value()
    try:
        answer = await http.get(f"{base}/models", headers={"Authorization": f"Bearer {key}"})
    except httpx.HTTPError as error:
        fix = "check OPENAI_BASE_URL and that this machine can reach it"
        return Check(False, f"LLM endpoint {base} unreachable ({type(error).__name__})", fix)
    if answer.status_code in (401, 403):
        return Check(False, f"LLM endpoint {base} rejects OPENAI_API_KEY", "renew OPENAI_API_KEY")
    if answer.status_code >= 400:
        return Check(False, f"LLM endpoint {base} answered {answer.status_code}", "check it")
    return Check(True, f"LLM endpoint {base} answers (model {settings.llm_model})")


async def diagnose(settings: Settings, project: str, url: str | None) -> list[Check]:
    async with httpx.AsyncClient(timeout=httpx.Timeout(CHECK_TIMEOUT_SECONDS * 2)) as http:
        gitlab = client_for(settings, http)
        token, user = await _token(gitlab, settings)
        checks = [token]
        if user is not None:
            checks += [await _access(gitlab, project, user), await _hook(gitlab, project, url)]
        checks += [await _redis(settings), await _llm(settings, http)]
    return checks


def run(args: argparse.Namespace) -> int:
    settings = load_settings(["GITLAB_TOKEN"])
    configure_logging(settings)  # logs on stderr; the checks on stdout
    url = args.url.rstrip("/") if args.url else None
    checks = asyncio.run(diagnose(settings, args.project, url))
    for check in checks:
        print(check.line())
    failed = sum(not c.ok for c in checks)
    print(f"{len(checks) - failed} of {len(checks)} checks passed.")
    return 1 if failed else 0
