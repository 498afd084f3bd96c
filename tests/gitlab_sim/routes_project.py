"""Account and project-administration routes: current user, members, project hooks."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse, Response

from tests.gitlab_sim.http import ApiError, Ctx, RouteSpec, not_found, paginate
from tests.gitlab_sim.http import route as r
from tests.gitlab_sim.model import MAINTAINER, Hook, Project

# Project hook triggers and their defaults on create (GitLab: push on, the rest off).
HOOK_EVENTS: dict[str, bool] = {
    "push_events": True,
    "tag_push_events": False,
    "merge_requests_events": False,
    "note_events": False,
    "confidential_note_events": False,
    "issues_events": False,
    "confidential_issues_events": False,
    "job_events": False,
    "pipeline_events": False,
    "wiki_page_events": False,
    "deployment_events": False,
    "releases_events": False,
    "emoji_events": False,
    "enable_ssl_verification": True,
}
HOOK_TEXT = ("push_events_branch_filter", "branch_filter_strategy", "name", "description")


async def current_user(ctx: Ctx) -> Response:
    return JSONResponse(ctx.user.as_json(ctx.sim.base_url))


def _member(ctx: Ctx, project: Project, levels: dict[int, int]) -> Response:
    try:
        user = ctx.sim.users[int(ctx.params["user_id"])]
    except (KeyError, ValueError):
        raise ApiError(404, "404 Not found") from None
    if not levels.get(user.id):
        raise ApiError(404, "404 Not found")
    body = user.as_json(ctx.sim.base_url) | {"access_level": levels[user.id], "expires_at": None}
    return JSONResponse(body)


async def member(ctx: Ctx) -> Response:
    project = ctx.project()
    return _member(ctx, project, project.members)


async def member_all(ctx: Ctx) -> Response:
    project = ctx.project()
    levels = {uid: project.access_level(uid) for uid in ctx.sim.users}
    return _member(ctx, project, levels)


def hook_json(hook: Hook) -> dict[str, Any]:
    """The hook as the API shows it: the token itself is never returned."""
    return {
        "id": hook.id,
        "url": hook.url,
        "project_id": hook.project_id,
        "created_at": hook.created_at,
        "alert_status": "executable",
        "disabled_until": None,
        "token_present": bool(hook.token),
    } | hook.events


def _hook(ctx: Ctx, project: Project) -> Hook:
    try:
        return project.hooks[int(ctx.params["hook_id"])]
    except (KeyError, ValueError):
        raise not_found("Hook") from None


def _apply(ctx: Ctx, hook: Hook) -> None:
    for name in HOOK_EVENTS:
        if ctx.arg(name) is not None:
            hook.events[name] = ctx.flag(name)
    for name in HOOK_TEXT:
        if ctx.arg(name) is not None:
            hook.events[name] = str(ctx.arg(name))


async def list_hooks(ctx: Ctx) -> Response:
    project = ctx.project(MAINTAINER)
    return paginate(ctx, [hook_json(hook) for hook in project.hooks.values()])


async def get_hook(ctx: Ctx) -> Response:
    return JSONResponse(hook_json(_hook(ctx, ctx.project(MAINTAINER))))


async def create_hook(ctx: Ctx) -> Response:
    project = ctx.project(MAINTAINER)
    (url,) = ctx.required("url")
    hook = Hook(ctx.sim.next_id(), project.id, str(url), ctx.arg("token"), dict(HOOK_EVENTS))
    hook.events |= {"push_events_branch_filter": None, "branch_filter_strategy": "wildcard"}
    _apply(ctx, hook)
    project.hooks[hook.id] = hook
    return JSONResponse(hook_json(hook), status_code=201)


async def update_hook(ctx: Ctx) -> Response:
    project = ctx.project(MAINTAINER)
    hook = _hook(ctx, project)
    url = ctx.arg("url")
    if url is not None and url != hook.url:
        hook.url, hook.token = str(url), None  # GitLab resets the token when the URL changes
    if ctx.arg("token") is not None:
        hook.token = str(ctx.arg("token"))
    _apply(ctx, hook)
    return JSONResponse(hook_json(hook))


async def delete_hook(ctx: Ctx) -> Response:
    project = ctx.project(MAINTAINER)
    _hook(ctx, project)
    del project.hooks[int(ctx.params["hook_id"])]
    return Response(status_code=204)


ROUTES: list[RouteSpec] = [
    r("GET", "/user", current_user),
    r("GET", "/projects/:project/members/all/:user_id", member_all),
    r("GET", "/projects/:project/members/:user_id", member),
    r("GET", "/projects/:project/hooks", list_hooks),
    r("POST", "/projects/:project/hooks", create_hook),
    r("GET", "/projects/:project/hooks/:hook_id", get_hook),
    r("PUT", "/projects/:project/hooks/:hook_id", update_hook),
    r("DELETE", "/projects/:project/hooks/:hook_id", delete_hook),
]
