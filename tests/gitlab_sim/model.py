"""The simulator's in-memory records: users, projects, merge requests, notes, emoji, hooks."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

GUEST, REPORTER, DEVELOPER, MAINTAINER, OWNER = 10, 20, 30, 40, 50


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class User:
    id: int
    username: str
    name: str
    token: str

    def as_json(self, base_url: str = "") -> dict[str, Any]:
        return {
            "id": self.id,
            "username": self.username,
            "name": self.name,
            "state": "active",
            "avatar_url": None,
            "web_url": f"{base_url}/{self.username}",
        }


@dataclass
class Award:
    id: int
    name: str
    user_id: int
    awardable_id: int
    awardable_type: str  # "MergeRequest" | "Note"
    created_at: str = field(default_factory=now_iso)


@dataclass
class Note:
    id: int
    body: str
    author_id: int
    noteable_id: int
    noteable_iid: int
    system: bool = False
    created_at: str = field(default_factory=now_iso)
    updated_at: str = field(default_factory=now_iso)
    awards: list[Award] = field(default_factory=list)
    # every note opens a discussion of its own (40 hex); a reply joins its thread's
    discussion_id: str = field(default_factory=lambda: secrets.token_hex(20))
    type: str | None = None  # None (a single comment) | "DiscussionNote" (in a thread)


@dataclass
class MergeRequest:
    id: int
    iid: int
    project_id: int
    title: str
    description: str
    source_branch: str
    target_branch: str
    author_id: int
    state: str = "opened"  # opened | closed | merged | locked
    created_at: str = field(default_factory=now_iso)
    updated_at: str = field(default_factory=now_iso)
    notes: list[Note] = field(default_factory=list)
    awards: list[Award] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    labels: list[str] = field(default_factory=list)
    reviewer_ids: list[int] = field(default_factory=list)


@dataclass
class Hook:
    id: int
    project_id: int
    url: str
    token: str | None
    events: dict[str, Any]
    created_at: str = field(default_factory=now_iso)


@dataclass
class CommitStatus:
    id: int
    sha: str
    state: str
    name: str
    description: str | None
    target_url: str | None
    ref: str | None
    author_id: int
    created_at: str = field(default_factory=now_iso)


@dataclass
class Project:
    id: int
    path_with_namespace: str
    default_branch: str
    visibility: str = "private"
    branches: dict[str, str] = field(default_factory=dict)  # name → commit sha
    members: dict[int, int] = field(default_factory=dict)  # user id → access level
    inherited_members: dict[int, int] = field(default_factory=dict)  # from parent groups
    merge_requests: dict[int, MergeRequest] = field(default_factory=dict)
    hooks: dict[int, Hook] = field(default_factory=dict)
    statuses: list[CommitStatus] = field(default_factory=list)

    @property
    def path(self) -> str:
        return self.path_with_namespace.rsplit("/", 1)[-1]

    def access_level(self, user_id: int) -> int:
        """Effective access: the highest of direct and inherited membership."""
        return max(self.members.get(user_id, 0), self.inherited_members.get(user_id, 0))
