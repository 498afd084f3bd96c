"""Merge request routes: merge requests, their notes, and award emoji on both."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse, Response

from tests.gitlab_sim.http import FORBIDDEN, ApiError, Ctx, RouteSpec, not_found, paginate
from tests.gitlab_sim.http import route as r
from tests.gitlab_sim.model import DEVELOPER, Award, MergeRequest, Note, Project, now_iso

MAX_NOTE_CHARS = 1_000_000
DUPLICATE_MR = "Another open merge request already exists for this source branch: !{}"
EMOJI_TAKEN = "404 Award Emoji Name has already been taken Not Found"


def _user(ctx: Ctx, user_id: int) -> dict[str, Any]:
    return ctx.sim.users[user_id].as_json(ctx.sim.base_url)


def mr_json(ctx: Ctx, project: Project, mr: MergeRequest) -> dict[str, Any]:
    web = f"{ctx.sim.base_url}/{project.path_with_namespace}/-/merge_requests/{mr.iid}"
    return {
        "id": mr.id,
        "iid": mr.iid,
        "project_id": project.id,
        "source_project_id": project.id,
        "target_project_id": project.id,
        "title": mr.title,
        "description": mr.description,
        "state": mr.state,
        "source_branch": mr.source_branch,
        "target_branch": mr.target_branch,
        "author": _user(ctx, mr.author_id),
        "labels": list(mr.labels),
        "reviewers": [_user(ctx, r) for r in mr.reviewer_ids if r in ctx.sim.users],
        "sha": project.branches.get(mr.source_branch),
        "draft": mr.title.lower().startswith(("draft:", "[draft]")),
        "merge_status": "can_be_merged",
        "references": {"short": f"!{mr.iid}", "full": f"{project.path_with_namespace}!{mr.iid}"},
        "web_url": web,
        "created_at": mr.created_at,
        "updated_at": mr.updated_at,
    } | mr.extra


def note_json(ctx: Ctx, project: Project, note: Note) -> dict[str, Any]:
    return {
        "id": note.id,
        "type": note.type,
        "body": note.body,
        "attachment": None,
        "author": _user(ctx, note.author_id),
        "created_at": note.created_at,
        "updated_at": note.updated_at,
        "system": note.system,
        "noteable_id": note.noteable_id,
        "noteable_type": "MergeRequest",
        "noteable_iid": note.noteable_iid,
        "project_id": project.id,
        "resolvable": False,
        "confidential": False,
        "internal": False,
    }


def award_json(ctx: Ctx, award: Award) -> dict[str, Any]:
    return {
        "id": award.id,
        "name": award.name,
        "user": _user(ctx, award.user_id),
        "created_at": award.created_at,
        "updated_at": award.created_at,
        "awardable_id": award.awardable_id,
        "awardable_type": award.awardable_type,
    }


def _mr(ctx: Ctx, project: Project) -> MergeRequest:
    iid = ctx.params["iid"]
    mr = project.merge_requests.get(int(iid)) if iid.isdigit() else None
    if mr is None:
        raise not_found("Merge Request")
    return mr


def _note(ctx: Ctx, mr: MergeRequest) -> Note:
    note = next((n for n in mr.notes if str(n.id) == ctx.params["note_id"]), None)
    if note is None:
        raise not_found("Note")
    return note


def _check_open_conflict(project: Project, mr: MergeRequest) -> None:
    for other in project.merge_requests.values():
        same = (other.source_branch, other.target_branch) == (mr.source_branch, mr.target_branch)
        if other.id != mr.id and other.state == "opened" and same:
            raise ApiError(409, [DUPLICATE_MR.format(other.iid)])


def _label_list(value: Any) -> list[str]:
    """GitLab takes labels as a comma-separated string or an array."""
    items = value if isinstance(value, list) else str(value).split(",")
    return [str(item).strip() for item in items if str(item).strip()]


def _labels_and_reviewers(ctx: Ctx, mr: MergeRequest) -> None:
    """`labels` (replace), `add_labels`, `remove_labels`, `reviewer_ids` as GitLab reads them."""
    if ctx.arg("labels") is not None:
        mr.labels = _label_list(ctx.arg("labels"))
    for label in _label_list(ctx.arg("add_labels") or []):
        if label not in mr.labels:
            mr.labels.append(label)
    for label in _label_list(ctx.arg("remove_labels") or []):
        if label in mr.labels:
            mr.labels.remove(label)
    reviewers = ctx.arg("reviewer_ids")
    if reviewers is not None:
        ids = reviewers if isinstance(reviewers, list) else str(reviewers).split(",")
        try:
            mr.reviewer_ids = [int(i) for i in ids if str(i).strip()]
        except ValueError:
            raise ApiError(400, "reviewer_ids is invalid") from None


async def list_mrs(ctx: Ctx) -> Response:
    project = ctx.project()
    state = ctx.query.get("state", "all")
    found = [
        mr
        for mr in sorted(project.merge_requests.values(), key=lambda m: m.id, reverse=True)
        if state in ("all", mr.state)
        and ctx.query.get("source_branch", mr.source_branch) == mr.source_branch
        and ctx.query.get("target_branch", mr.target_branch) == mr.target_branch
    ]
    return paginate(ctx, [mr_json(ctx, project, mr) for mr in found])


async def get_mr(ctx: Ctx) -> Response:
    project = ctx.project()
    return JSONResponse(mr_json(ctx, project, _mr(ctx, project)))


async def create_mr(ctx: Ctx) -> Response:
    project = ctx.project(DEVELOPER)
    source, target, title = ctx.required("source_branch", "target_branch", "title")
    if source == target:
        raise ApiError(422, ["You can't use same project/branch for source and target"])
    for label, branch in (("Source", source), ("Target", target)):
        if branch not in project.branches:
            raise ApiError(422, [f'{label} branch "{branch}" does not exist'])
    iid = max(project.merge_requests, default=0) + 1
    description = ctx.arg("description") or ""
    mr = MergeRequest(ctx.sim.next_id(), iid, project.id, title, description, source, target, 0)
    mr.author_id = ctx.user.id
    _labels_and_reviewers(ctx, mr)
    _check_open_conflict(project, mr)
    project.merge_requests[iid] = mr
    if ctx.arg("remove_source_branch") is not None:
        mr.extra["force_remove_source_branch"] = ctx.flag("remove_source_branch")
    return JSONResponse(mr_json(ctx, project, mr), status_code=201)


async def update_mr(ctx: Ctx) -> Response:
    project = ctx.project(DEVELOPER)
    mr = _mr(ctx, project)
    for name in ("title", "description", "target_branch"):
        if ctx.arg(name) is not None:
            setattr(mr, name, str(ctx.arg(name)))
    _labels_and_reviewers(ctx, mr)
    event = ctx.arg("state_event")
    if event == "close" and mr.state == "opened":
        mr.state = "closed"
    elif event == "reopen" and mr.state == "closed":
        _check_open_conflict(project, mr)
        mr.state = "opened"
    elif event not in (None, "close", "reopen"):
        raise ApiError(400, "state_event does not have a valid value")
    mr.updated_at = now_iso()
    return JSONResponse(mr_json(ctx, project, mr))


async def list_notes(ctx: Ctx) -> Response:
    project = ctx.project()
    order_by = ctx.query.get("order_by", "created_at")
    if order_by not in ("created_at", "updated_at"):
        raise ApiError(400, "order_by does not have a valid value")
    descending = ctx.query.get("sort", "desc") == "desc"
    notes = sorted(
        _mr(ctx, project).notes,
        key=lambda n: (getattr(n, order_by), n.id),
        reverse=descending,
    )
    return paginate(ctx, [note_json(ctx, project, n) for n in notes])


def _body(ctx: Ctx) -> str:
    (body,) = ctx.required("body")
    if len(str(body)) > MAX_NOTE_CHARS:
        raise ApiError(400, {"note": [f"is too long (maximum is {MAX_NOTE_CHARS} characters)"]})
    return str(body)


async def create_note(ctx: Ctx) -> Response:
    project = ctx.project()
    mr = _mr(ctx, project)
    note = Note(ctx.sim.next_id(), _body(ctx), ctx.user.id, mr.id, mr.iid)
    mr.notes.append(note)
    return JSONResponse(note_json(ctx, project, note), status_code=201)


async def get_note(ctx: Ctx) -> Response:
    project = ctx.project()
    return JSONResponse(note_json(ctx, project, _note(ctx, _mr(ctx, project))))


async def update_note(ctx: Ctx) -> Response:
    project = ctx.project()
    note = _note(ctx, _mr(ctx, project))
    if note.author_id != ctx.user.id or note.system:
        raise FORBIDDEN
    note.body, note.updated_at = _body(ctx), now_iso()
    return JSONResponse(note_json(ctx, project, note))


def _thread(ctx: Ctx, mr: MergeRequest) -> list[Note]:
    thread = [n for n in mr.notes if n.discussion_id == ctx.params["discussion_id"]]
    if not thread:
        raise not_found("Discussion")
    return thread


def discussion_json(ctx: Ctx, project: Project, thread: list[Note]) -> dict[str, Any]:
    return {
        "id": thread[0].discussion_id,
        "individual_note": thread[0].type is None,
        "notes": [note_json(ctx, project, n) for n in thread],
    }


async def list_discussions(ctx: Ctx) -> Response:
    project = ctx.project()
    threads: dict[str, list[Note]] = {}
    for note in sorted(_mr(ctx, project).notes, key=lambda n: n.id):
        threads.setdefault(note.discussion_id, []).append(note)
    return paginate(ctx, [discussion_json(ctx, project, t) for t in threads.values()])


async def get_discussion(ctx: Ctx) -> Response:
    project = ctx.project()
    return JSONResponse(discussion_json(ctx, project, _thread(ctx, _mr(ctx, project))))


async def reply_to_discussion(ctx: Ctx) -> Response:
    """A reply in a thread; replying to a single comment turns it into a thread (as GitLab)."""
    project = ctx.project()
    mr = _mr(ctx, project)
    thread = _thread(ctx, mr)
    note = Note(ctx.sim.next_id(), _body(ctx), ctx.user.id, mr.id, mr.iid)
    note.discussion_id, note.type = thread[0].discussion_id, "DiscussionNote"
    for earlier in thread:
        earlier.type = "DiscussionNote"
    mr.notes.append(note)
    return JSONResponse(note_json(ctx, project, note), status_code=201)


def _awards(ctx: Ctx) -> tuple[Project, list[Award], int, str]:
    project = ctx.project()
    mr = _mr(ctx, project)
    if "note_id" in ctx.params:
        note = _note(ctx, mr)
        return project, note.awards, note.id, "Note"
    return project, mr.awards, mr.id, "MergeRequest"


async def list_awards(ctx: Ctx) -> Response:
    _, awards, _, _ = _awards(ctx)
    return paginate(ctx, [award_json(ctx, award) for award in awards])


async def create_award(ctx: Ctx) -> Response:
    _, awards, awardable_id, awardable_type = _awards(ctx)
    (name,) = ctx.required("name")
    if any(a.name == name and a.user_id == ctx.user.id for a in awards):
        raise ApiError(404, EMOJI_TAKEN)
    award = Award(ctx.sim.next_id(), str(name), ctx.user.id, awardable_id, awardable_type)
    awards.append(award)
    return JSONResponse(award_json(ctx, award), status_code=201)


_MR = "/projects/:project/merge_requests/:iid"
ROUTES: list[RouteSpec] = [
    r("GET", "/projects/:project/merge_requests", list_mrs),
    r("POST", "/projects/:project/merge_requests", create_mr),
    r("GET", _MR, get_mr),
    r("PUT", _MR, update_mr),
    r("GET", f"{_MR}/notes", list_notes),
    r("POST", f"{_MR}/notes", create_note),
    r("GET", f"{_MR}/notes/:note_id", get_note),
    r("PUT", f"{_MR}/notes/:note_id", update_note),
    r("GET", f"{_MR}/discussions", list_discussions),
    r("GET", f"{_MR}/discussions/:discussion_id", get_discussion),
    r("POST", f"{_MR}/discussions/:discussion_id/notes", reply_to_discussion),
    r("GET", f"{_MR}/award_emoji", list_awards),
    r("POST", f"{_MR}/award_emoji", create_award),
    r("GET", f"{_MR}/notes/:note_id/award_emoji", list_awards),
    r("POST", f"{_MR}/notes/:note_id/award_emoji", create_award),
]
