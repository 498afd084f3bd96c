"""Repository routes: project, branches, tree, raw files and blobs, commits, compare, statuses."""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile
from dataclasses import asdict
from typing import Any

from starlette.responses import JSONResponse, Response

from tests.gitlab_sim.git import Commit, ancestors, merge_base, tree_listing
from tests.gitlab_sim.http import ApiError, Ctx, RouteSpec, not_found, paginate, paginate_keyset
from tests.gitlab_sim.http import route as r
from tests.gitlab_sim.model import DEVELOPER, CommitStatus, Project
from tests.gitlab_sim.repo import ActionError

BRANCH_EXISTS = (
    "A branch called '{}' already exists. Switch to that branch in order to make changes"
)
NOT_ON_BRANCH = "You can only create or edit files when you are on a branch"
STATUS_VERBS = {
    "pending": "enqueue",
    "running": "run",
    "success": "success",
    "failed": "drop",
    "canceled": "cancel",
    "skipped": "skip",
}


def project_json(ctx: Ctx, project: Project) -> dict[str, Any]:
    web = f"{ctx.sim.base_url}/{project.path_with_namespace}"
    namespace = project.path_with_namespace.rsplit("/", 1)[0]
    return {
        "id": project.id,
        "name": project.path,
        "path": project.path,
        "path_with_namespace": project.path_with_namespace,
        "name_with_namespace": project.path_with_namespace.replace("/", " / "),
        "namespace": {"full_path": namespace, "path": namespace.rsplit("/", 1)[-1]},
        "default_branch": project.default_branch if project.branches else None,
        "visibility": project.visibility,
        "empty_repo": not project.branches,
        "web_url": web,
        "http_url_to_repo": f"{web}.git",
    }


def commit_json(ctx: Ctx, project: Project, commit: Commit) -> dict[str, Any]:
    return {
        "id": commit.id,
        "short_id": commit.id[:8],
        "title": commit.title,
        "message": commit.message,
        "author_name": commit.author_name,
        "author_email": commit.author_email,
        "authored_date": commit.created_at,
        "committer_name": commit.author_name,
        "committer_email": commit.author_email,
        "committed_date": commit.created_at,
        "created_at": commit.created_at,
        "parent_ids": commit.parent_ids,
        "web_url": f"{ctx.sim.base_url}/{project.path_with_namespace}/-/commit/{commit.id}",
    }


def _commit(ctx: Ctx, project: Project, ref: str | None, what: str = "Commit") -> Commit:
    sha = ctx.sim.resolve(project, ref)
    if sha is None:
        raise not_found(what)
    return ctx.sim.store.commits[sha]


def branch_json(ctx: Ctx, project: Project, name: str) -> dict[str, Any]:
    commit = ctx.sim.store.commits[project.branches[name]]
    return {
        "name": name,
        "commit": commit_json(ctx, project, commit),
        "merged": False,
        "protected": name == project.default_branch,
        "default": name == project.default_branch,
        "developers_can_push": False,
        "developers_can_merge": False,
        "can_push": True,
        "web_url": f"{ctx.sim.base_url}/{project.path_with_namespace}/-/tree/{name}",
    }


async def get_project(ctx: Ctx) -> Response:
    return JSONResponse(project_json(ctx, ctx.project()))


async def list_branches(ctx: Ctx) -> Response:
    project = ctx.project()
    return paginate(ctx, [branch_json(ctx, project, name) for name in sorted(project.branches)])


async def get_branch(ctx: Ctx) -> Response:
    project = ctx.project()
    if ctx.params["branch"] not in project.branches:
        raise not_found("Branch")
    return JSONResponse(branch_json(ctx, project, ctx.params["branch"]))


async def create_branch(ctx: Ctx) -> Response:
    project = ctx.project(DEVELOPER)
    branch, ref = ctx.required("branch", "ref")
    if branch in project.branches:
        raise ApiError(400, "Branch already exists")
    sha = ctx.sim.resolve(project, ref)
    if sha is None:
        raise ApiError(400, f"Invalid reference name: {ref}")
    project.branches[branch] = sha
    return JSONResponse(branch_json(ctx, project, branch), status_code=201)


async def tree(ctx: Ctx) -> Response:
    project = ctx.project()
    commit = _commit(ctx, project, ctx.query.get("ref"), "Tree")
    path = ctx.query.get("path", "")
    items = [asdict(item) for item in tree_listing(commit.files, path, ctx.flag("recursive"))]
    if path.strip("/") and not items:
        raise not_found("Tree")
    if ctx.query.get("pagination") == "keyset":
        return paginate_keyset(ctx, items, key=lambda item: str(item["path"]))
    return paginate(ctx, items)


def _file_content(ctx: Ctx) -> tuple[Project, Commit, str, bytes]:
    project = ctx.project()
    commit = _commit(ctx, project, ctx.query.get("ref"))
    entry = commit.files.get(ctx.params["file_path"])
    if entry is None:
        raise not_found("File")
    return project, commit, entry.sha, ctx.sim.store.blobs[entry.sha]


def _raw(content: bytes) -> Response:
    try:
        content.decode()
    except UnicodeDecodeError:
        return Response(content, media_type="application/octet-stream")
    return Response(content, media_type="text/plain; charset=utf-8")


async def raw_file(ctx: Ctx) -> Response:
    return _raw(_file_content(ctx)[3])


async def get_file(ctx: Ctx) -> Response:
    ctx.required("ref")
    _, commit, sha, content = _file_content(ctx)
    path = ctx.params["file_path"]
    return JSONResponse(
        {
            "file_name": path.rsplit("/", 1)[-1],
            "file_path": path,
            "size": len(content),
            "encoding": "base64",
            "content": base64.b64encode(content).decode(),
            "content_sha256": hashlib.sha256(content).hexdigest(),
            "ref": ctx.query["ref"],
            "blob_id": sha,
            "commit_id": commit.id,
            "last_commit_id": ctx.sim.store.last_change(commit.id, path),
        }
    )


async def raw_blob(ctx: Ctx) -> Response:
    ctx.project()
    content = ctx.sim.store.blobs.get(ctx.params["sha"])
    if content is None:
        raise not_found("Blob")
    return _raw(content)


async def archive(ctx: Ctx) -> Response:
    """`GET /repository/archive.tar.gz?sha=`: the commit's files under `<name>-<ref>-<sha>/`."""
    project = ctx.project()
    ref = ctx.query.get("sha") or project.default_branch
    commit = _commit(ctx, project, ref, "Commit")
    top = f"{project.path_with_namespace.rsplit('/', 1)[-1]}-{ref}-{commit.id}"
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for path in sorted(commit.files):
            content = ctx.sim.store.blobs[commit.files[path].sha]
            info = tarfile.TarInfo(f"{top}/{path}")
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return Response(buffer.getvalue(), media_type="application/x-gzip")


async def create_commit(ctx: Ctx) -> Response:
    project = ctx.project(DEVELOPER)
    branch, message, actions = ctx.required("branch", "commit_message", "actions")
    start_branch, start_sha = ctx.arg("start_branch"), ctx.arg("start_sha")
    head = project.branches.get(branch)
    if start_sha:
        start = ctx.sim.resolve(project, start_sha)
        if start is None:
            raise ApiError(400, f"Invalid start sha: {start_sha}")
    elif start_branch:
        start = project.branches.get(start_branch)
        if start is None and project.branches:
            raise ApiError(400, NOT_ON_BRANCH)
    else:
        start = head
        if start is None and project.branches:
            raise ApiError(400, NOT_ON_BRANCH)
    moving = (start_sha or start_branch) and start_branch != branch
    if moving and head is not None and not ctx.flag("force"):
        raise ApiError(400, BRANCH_EXISTS.format(branch))
    if not isinstance(actions, list) or not actions:
        raise ApiError(400, "actions is invalid")
    try:
        commit = ctx.sim.apply_commit(
            project, branch, message, actions, start=start, author=ctx.user
        )
    except ActionError as error:
        raise ApiError(400, str(error)) from None
    return JSONResponse(commit_json(ctx, project, commit), status_code=201)


async def list_commits(ctx: Ctx) -> Response:
    project = ctx.project()
    sha = ctx.sim.resolve(project, ctx.query.get("ref_name"))
    commits = list(ancestors(ctx.sim.store.commits, sha)) if sha else []
    since, until = ctx.query.get("since"), ctx.query.get("until")
    commits = [c for c in commits if (not since or c.created_at >= since)]
    commits = [c for c in commits if (not until or c.created_at <= until)]
    commits.sort(key=lambda c: c.created_at, reverse=True)
    return paginate(ctx, [commit_json(ctx, project, c) for c in commits])


async def get_commit(ctx: Ctx) -> Response:
    project = ctx.project()
    return JSONResponse(commit_json(ctx, project, _commit(ctx, project, ctx.params["sha"])))


async def compare(ctx: Ctx) -> Response:
    project = ctx.project()
    from_ref, to_ref = ctx.required("from", "to")
    old, new = _commit(ctx, project, from_ref, "Ref"), _commit(ctx, project, to_ref, "Ref")
    commits_map = ctx.sim.store.commits
    base = old.id if ctx.flag("straight") else merge_base(commits_map, old.id, new.id)
    seen_from_old = {c.id for c in ancestors(commits_map, old.id)}
    commits = [c for c in ancestors(commits_map, new.id) if c.id not in seen_from_old]
    base_files = commits_map[base].files if base else {}
    return JSONResponse(
        {
            "commit": commit_json(ctx, project, commits[0]) if commits else None,
            "commits": [commit_json(ctx, project, c) for c in reversed(commits)],
            "diffs": ctx.sim.store.diffs(base_files, new.files),
            "compare_timeout": False,
            "compare_same_ref": from_ref == to_ref,
            "web_url": f"{ctx.sim.base_url}/{project.path_with_namespace}/-/compare/"
            f"{old.id}...{new.id}",
        }
    )


async def set_status(ctx: Ctx) -> Response:
    project = ctx.project(DEVELOPER)
    (state,) = ctx.required("state")
    if state not in STATUS_VERBS:
        raise ApiError(400, "state does not have a valid value")
    sha = ctx.sim.resolve(project, ctx.params["sha"])
    if sha is None:
        raise not_found("Commit")
    name, ref = ctx.arg("name") or ctx.arg("context") or "default", ctx.arg("ref")
    live = [
        s
        for s in project.statuses
        if (s.sha, s.name, s.ref) == (sha, name, ref) and s.state in {"pending", "running"}
    ]
    if live:
        current = live[-1]
        if current.state == state or (current.state, state) == ("running", "pending"):
            verb = STATUS_VERBS[state]
            raise ApiError(400, f"Cannot transition status via :{verb} from :{current.state}")
        current.state = state
        record = current
    else:
        record = CommitStatus(
            ctx.sim.next_id(),
            sha,
            state,
            name,
            ctx.arg("description"),
            ctx.arg("target_url"),
            ref,
            ctx.user.id,
        )
        project.statuses.append(record)
    body = asdict(record) | {"status": record.state, "author": ctx.user.as_json()}
    return JSONResponse(body, status_code=201)


ROUTES: list[RouteSpec] = [
    r("GET", "/projects/:project", get_project),
    r("GET", "/projects/:project/repository/branches", list_branches),
    r("POST", "/projects/:project/repository/branches", create_branch),
    r("GET", "/projects/:project/repository/branches/:branch", get_branch),
    r("GET", "/projects/:project/repository/tree", tree),
    r("GET", "/projects/:project/repository/files/:file_path/raw", raw_file),
    r("GET", "/projects/:project/repository/files/:file_path", get_file),
    r("GET", "/projects/:project/repository/blobs/:sha/raw", raw_blob),
    r("GET", "/projects/:project/repository/archive.tar.gz", archive),
    r("POST", "/projects/:project/repository/commits", create_commit),
    r("GET", "/projects/:project/repository/commits", list_commits),
    r("GET", "/projects/:project/repository/commits/:sha", get_commit),
    r("GET", "/projects/:project/repository/compare", compare),
    r("POST", "/projects/:project/statuses/:sha", set_status),
]
