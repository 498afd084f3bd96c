"""`testgen install-hook`: create or update the project's webhook for the bot (python-gitlab)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import gitlab
import requests
from gitlab.exceptions import GitlabAuthenticationError, GitlabError

from bot.settings import MIN_SECRET_CHARS, load_settings

HOOK_EVENTS: dict[str, bool] = {
    "push_events": True,
    "merge_requests_events": True,
    "note_events": True,
    "pipeline_events": True,  # a failed pipeline is sorted into tests to heal and regressions
    "issues_events": True,  # a ticked box on the dashboard issue asks for tests
    "tag_push_events": False,
}
ERRORS = {
    401: "GitLab rejected the token (401): check --token / GITLAB_TOKEN",
    403: "the token may not manage hooks of {project} (403): it needs the Maintainer role",
    404: "project {project} not found (404), or not visible to the token's user",
}


@dataclass(frozen=True)
class HookResult:
    created: bool
    hook_id: int


def _same_url(left: str, right: str) -> bool:
    return left.rstrip("/") == right.rstrip("/")


def install_hook(
    gl: gitlab.Gitlab,
    project: str,
    url: str,
    secret: str,
    signing_token: str | None = None,
    *,
    verify_ssl: bool = True,
) -> HookResult:
    """Create the hook, or update the one already pointing at `url` (its token included).
    Extra hooks with the same URL, left by earlier runs, are deleted: one URL, one hook."""
    hooks = gl.projects.get(project, lazy=True).hooks
    attrs: dict[str, Any] = {"url": url, "token": secret, **HOOK_EVENTS}
    attrs["enable_ssl_verification"] = verify_ssl
    if signing_token:
        attrs["signing_token"] = signing_token  # ignored by GitLab without the feature flag
    existing = [hook for hook in hooks.list(get_all=True) if _same_url(str(hook.url), url)]
    if not existing:
        return HookResult(created=True, hook_id=int(hooks.create(attrs).id))
    keep, *extra = existing
    hooks.update(keep.id, attrs)
    for hook in extra:
        hooks.delete(hook.id)
    return HookResult(created=False, hook_id=int(keep.id))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--project", required=True, help="project id or path (grp/sub/proj)")
    parser.add_argument("--url", required=True, help="the bot's webhook URL")
    parser.add_argument("--gitlab-url", help="GitLab base URL (default: GITLAB_URL)")
    parser.add_argument("--token", help="API token of a Maintainer (default: GITLAB_TOKEN)")
    parser.add_argument("--secret", help="webhook secret token (default: WEBHOOK_SECRET)")
    parser.add_argument(
        "--signing-token", help="webhook signing token (default: WEBHOOK_SIGNING_TOKEN)"
    )
    parser.add_argument(
        "--insecure", action="store_true", help="turn off TLS verification of the webhook URL"
    )
    parser.add_argument(
        "--allow-http",
        action="store_true",
        help="accept an http:// webhook URL (the secret then travels unencrypted)",
    )


def url_problem(url: str, *, allow_http: bool) -> str | None:
    """Why GitLab should not be given `url` as the hook's address (None: fine)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"--url {url!r} is not an http(s) URL such as https://testgen.example.com/webhook"
    if parts.scheme == "http" and not allow_http:
        return (
            f"--url {url!r} is plain http: GitLab would send the secret unencrypted; use "
            "https, or pass --allow-http for a private network"
        )
    return None


def secret_problem(secret: str) -> str | None:
    if len("".join(secret.split())) < MIN_SECRET_CHARS:
        return (
            f"the webhook secret must have at least {MIN_SECRET_CHARS} non-blank characters "
            "(e.g. `openssl rand -hex 20`)"
        )
    return None


def _fail(message: str) -> int:
    print(f"testgen install-hook: {message}", file=sys.stderr)
    return 1


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    token = args.token or settings.gitlab_token.get_secret_value()
    secret = args.secret or settings.webhook_secret.get_secret_value()
    signing = args.signing_token or (
        settings.webhook_signing_token.get_secret_value()
        if settings.webhook_signing_token
        else None
    )
    if not token:
        return _fail("no GitLab token: pass --token or set GITLAB_TOKEN")
    if not secret:
        return _fail("no webhook secret: pass --secret or set WEBHOOK_SECRET")
    for problem in (url_problem(args.url, allow_http=args.allow_http), secret_problem(secret)):
        if problem is not None:
            return _fail(problem)
    gitlab_url = (args.gitlab_url or settings.gitlab_url).rstrip("/")
    gl = gitlab.Gitlab(gitlab_url, private_token=token, timeout=30, retry_transient_errors=True)
    try:
        result = install_hook(
            gl, args.project, args.url, secret, signing, verify_ssl=not args.insecure
        )
    except GitlabAuthenticationError:
        return _fail(ERRORS[401])
    except GitlabError as error:
        template = ERRORS.get(error.response_code or 0)
        detail = f"GitLab answered {error.response_code}: {error.error_message}"
        return _fail(template.format(project=args.project) if template else detail)
    except requests.RequestException as error:
        return _fail(f"cannot reach {gitlab_url}: {type(error).__name__}")
    verb = "created" if result.created else "updated"
    print(f"{verb} hook {result.hook_id} on {args.project} → {args.url}")
    return 0
