"""Webhook bodies and headers for a seeded project, built on GitLab's documented examples."""

from __future__ import annotations

import copy
import json
import uuid
from functools import cache
from pathlib import Path
from typing import Any

from tests.gitlab_sim.git import ancestors
from tests.gitlab_sim.model import Project, User
from tests.gitlab_sim.simulator import ProjectRef, Simulator

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "gitlab"
ZERO_SHA = "0" * 40


@cache
def _example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    return data


def headers(event: str, secret: str | None, *, delivery: str | None = None) -> dict[str, str]:
    """Delivery headers as GitLab 17.4+ sends them; `event` like "Note Hook"."""
    key = delivery or str(uuid.uuid4())
    out = {
        "Content-Type": "application/json",
        "User-Agent": "GitLab/17.4.0",
        "X-Gitlab-Event": event,
        "X-Gitlab-Event-UUID": key,
        "X-Gitlab-Webhook-UUID": str(uuid.uuid5(uuid.NAMESPACE_URL, event)),
        "X-Gitlab-Instance": "https://gitlab.example.com",
        "Idempotency-Key": key,
    }
    if secret is not None:
        out["X-Gitlab-Token"] = secret
    return out


def _project(sim: Simulator, project: Project) -> dict[str, Any]:
    web = f"{sim.base_url}/{project.path_with_namespace}"
    documented: dict[str, Any] = _example("push.json")["project"]
    return documented | {
        "id": project.id,
        "name": project.path,
        "web_url": web,
        "path_with_namespace": project.path_with_namespace,
        "default_branch": project.default_branch,
        "git_http_url": f"{web}.git",
        "http_url": f"{web}.git",
        "homepage": web,
    }


def _user(user: User) -> dict[str, Any]:
    return {"id": user.id, "name": user.name, "username": user.username, "avatar_url": None}


def _mr(sim: Simulator, project: Project, iid: int) -> dict[str, Any]:
    mr = project.merge_requests[iid]
    head = project.branches.get(mr.source_branch)
    return {
        "id": mr.id,
        "iid": mr.iid,
        "title": mr.title,
        "description": mr.description,
        "state": mr.state,
        "source_branch": mr.source_branch,
        "target_branch": mr.target_branch,
        "source_project_id": project.id,
        "target_project_id": project.id,
        "author_id": mr.author_id,
        "url": f"{sim.base_url}/{project.path_with_namespace}/-/merge_requests/{iid}",
        "last_commit": {"id": head} if head else None,
        "updated_at": mr.updated_at,
    }


def note_payload(sim: Simulator, project: ProjectRef, mr_iid: int, note_id: int) -> dict[str, Any]:
    """A "Note Hook" body for an existing MR note (seed it with `sim.add_note`)."""
    with sim.lock:
        record = sim.project(project)
        note = sim.note(record, mr_iid, note_id)
        body = copy.deepcopy(_example("note_merge_request.json"))
        body["user"] = _user(sim.users[note.author_id])
        body["project_id"], body["project"] = record.id, _project(sim, record)
        body["object_attributes"] |= {
            "id": note.id,
            "note": note.body,
            "noteable_type": "MergeRequest",
            "author_id": note.author_id,
            "project_id": record.id,
            "noteable_id": note.noteable_id,
            "system": note.system,
            "action": "create",
            "created_at": note.created_at,
            "updated_at": note.updated_at,
            # in NoteBuilder's SAFE_HOOK_ATTRIBUTES (see the _DERIVED fixture's SOURCES entry)
            "discussion_id": note.discussion_id,
            "type": note.type,
        }
        body["merge_request"] = body["merge_request"] | _mr(sim, record, mr_iid)
        return body


def merge_request_payload(
    sim: Simulator,
    project: ProjectRef,
    mr_iid: int,
    action: str = "open",
    *,
    user: User | None = None,
    changes: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A "Merge Request Hook" body; action open/update/close/reopen/merge; `changes` as GitLab
    lists them (`{"description": {"previous": …, "current": …}}`)."""
    with sim.lock:
        record = sim.project(project)
        body = copy.deepcopy(_example("merge_request_open.json"))
        body["user"] = _user(user or sim.users[record.merge_requests[mr_iid].author_id])
        body["project"] = _project(sim, record)
        body["object_attributes"] |= _mr(sim, record, mr_iid) | {"action": action}
        body["changes"] = changes or {}
        return body


def push_payload(
    sim: Simulator, project: ProjectRef, branch: str, before: str, *, user: User | None = None
) -> dict[str, Any]:
    """A "Push Hook" body for `before`..head of `branch` (`before` = 40 zeros: new branch)."""
    with sim.lock:
        record = sim.project(project)
        after = record.branches[branch]
        store = sim.store
        old = {c.id for c in ancestors(store.commits, before)} if before != ZERO_SHA else set()
        new = [c for c in ancestors(store.commits, after) if c.id not in old][::-1]
        commits = []
        for commit in new[-20:]:
            parent = store.commits[commit.parent_ids[0]].files if commit.parent_ids else {}
            changed = [p for p in commit.files if p in parent and parent[p] != commit.files[p]]
            commits.append(
                {
                    "id": commit.id,
                    "message": commit.message,
                    "title": commit.title,
                    "timestamp": commit.created_at,
                    "url": f"{sim.base_url}/{record.path_with_namespace}/-/commit/{commit.id}",
                    "author": {"name": commit.author_name, "email": commit.author_email},
                    "added": sorted(p for p in commit.files if p not in parent),
                    "modified": sorted(changed),
                    "removed": sorted(p for p in parent if p not in commit.files),
                }
            )
        who = user or sim.bot
        body = copy.deepcopy(_example("push.json"))
        body |= {
            "before": before,
            "after": after,
            "ref": f"refs/heads/{branch}",
            "checkout_sha": after,
            "user_id": who.id,
            "user_name": who.name,
            "user_username": who.username,
            "project_id": record.id,
            "project": _project(sim, record),
            "commits": commits,
            "total_commits_count": len(new),
        }
        return body
