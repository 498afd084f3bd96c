"""Issues in the simulator: list (`state`, `search` in title and description), create, get,
edit (`PUT …/issues/:issue_iid`), and the "Issue Hook" body GitLab sends on an edit.

Shapes follow GitLab's Issues API (`doc/api/issues.md`): `id`, `iid`, `project_id`, `title`,
`description`, `state` (`opened`/`closed`), `author`, `web_url`; a description over 1,048,576
characters is refused with 400. The hook body follows the documented "Issue events" payload.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.responses import JSONResponse, Response

from tests.gitlab_sim.http import ApiError, Ctx, RouteSpec, not_found, paginate
from tests.gitlab_sim.http import route as r
from tests.gitlab_sim.model import REPORTER, User, now_iso
from tests.gitlab_sim.payloads import _project, _user
from tests.gitlab_sim.simulator import ProjectRef, Simulator

MAX_DESCRIPTION = 1_048_576


@dataclass
class Issue:
    id: int
    iid: int
    project_id: int
    title: str
    description: str
    author_id: int
    state: str = "opened"
    updated_at: str = ""


def issues(sim: Simulator, project: ProjectRef) -> list[Issue]:
    with sim.lock:
        record = sim.project(project)
        return [i for i in sim.issues.values() if i.project_id == record.id]


def edit_issue(sim: Simulator, project: ProjectRef, iid: int, description: str) -> Issue:
    """A person edits the description (ticks a box) in the web UI."""
    with sim.lock:
        record = sim.project(project)
        issue: Issue = next(
            i for i in sim.issues.values() if i.project_id == record.id and i.iid == iid
        )
        issue.description, issue.updated_at = description, now_iso()
        return issue


def _json(ctx: Ctx, issue: Issue) -> dict[str, Any]:
    project = ctx.sim.project(issue.project_id)
    return {
        "id": issue.id,
        "iid": issue.iid,
        "project_id": issue.project_id,
        "title": issue.title,
        "description": issue.description,
        "state": issue.state,
        "author": ctx.sim.users[issue.author_id].as_json(ctx.sim.base_url),
        "updated_at": issue.updated_at,
        "web_url": f"{ctx.sim.base_url}/{project.path_with_namespace}/-/issues/{issue.iid}",
    }


def _description(ctx: Ctx) -> str:
    text = str(ctx.arg("description", ""))
    if len(text) > MAX_DESCRIPTION:
        raise ApiError(400, {"description": ["is too long (maximum is 1048576 characters)"]})
    return text


async def list_issues(ctx: Ctx) -> Response:
    project = ctx.project()
    state, search = ctx.query.get("state", "all"), ctx.query.get("search", "").lower()
    found = [
        _json(ctx, i)
        for i in sorted(issues(ctx.sim, project.id), key=lambda i: i.id, reverse=True)
        if state in ("all", i.state) and search in (i.title + "\n" + i.description).lower()
    ]
    return paginate(ctx, found)


async def create_issue(ctx: Ctx) -> Response:
    project = ctx.project(REPORTER)
    (title,) = ctx.required("title")
    description = _description(ctx)
    with ctx.sim.lock:
        iid = 1 + sum(1 for i in ctx.sim.issues.values() if i.project_id == project.id)
        issue = Issue(ctx.sim.next_id(), iid, project.id, title, description, ctx.user.id,
                      updated_at=now_iso())  # fmt: skip
        ctx.sim.issues[issue.id] = issue
    return JSONResponse(_json(ctx, issue), status_code=201)


def _issue(ctx: Ctx) -> Issue:
    project = ctx.project()
    iid = int(ctx.params["issue_iid"])
    found = [i for i in issues(ctx.sim, project.id) if i.iid == iid]
    if not found:
        raise not_found("Issue")
    return found[0]


async def get_issue(ctx: Ctx) -> Response:
    return JSONResponse(_json(ctx, _issue(ctx)))


async def update_issue(ctx: Ctx) -> Response:
    issue = _issue(ctx)
    ctx.project(REPORTER)
    with ctx.sim.lock:
        if ctx.arg("description") is not None:
            issue.description = _description(ctx)
        if ctx.arg("title"):
            issue.title = str(ctx.arg("title"))
        event = ctx.arg("state_event")
        if event in ("close", "reopen"):
            issue.state = "closed" if event == "close" else "opened"
        issue.updated_at = now_iso()
    return JSONResponse(_json(ctx, issue))


def issue_payload(
    sim: Simulator, project: ProjectRef, iid: int, user: User, previous: str
) -> dict[str, Any]:
    """An "Issue Hook" body for an edit of the description by `user`."""
    with sim.lock:
        record = sim.project(project)
        issue = next(i for i in sim.issues.values() if i.project_id == record.id and i.iid == iid)
        return {
            "object_kind": "issue",
            "event_type": "issue",
            "user": _user(user),
            "project": _project(sim, record),
            "object_attributes": {
                "id": issue.id,
                "iid": issue.iid,
                "title": issue.title,
                "description": issue.description,
                "state": issue.state,
                "author_id": issue.author_id,
                "project_id": record.id,
                "updated_at": issue.updated_at,
                "action": "update",
                "url": f"{sim.base_url}/{record.path_with_namespace}/-/issues/{issue.iid}",
            },
            "changes": {"description": {"previous": previous, "current": issue.description}},
        }


ROUTES: list[RouteSpec] = [
    r("GET", "/projects/:project/issues", list_issues),
    r("POST", "/projects/:project/issues", create_issue),
    r("GET", "/projects/:project/issues/:issue_iid", get_issue),
    r("PUT", "/projects/:project/issues/:issue_iid", update_issue),
]
