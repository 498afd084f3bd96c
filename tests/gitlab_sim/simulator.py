"""The simulator's state and the Python API tests use to seed and inspect it (thread-safe)."""

from __future__ import annotations

import base64
import copy
import itertools
import re
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from tests.gitlab_sim.faults import Fault, FaultBook, LoggedRequest
from tests.gitlab_sim.git import Commit, ancestors
from tests.gitlab_sim.model import (
    MAINTAINER,
    Award,
    CommitStatus,
    Hook,
    MergeRequest,
    Note,
    Project,
    User,
)
from tests.gitlab_sim.repo import ActionError, ObjectStore

ProjectRef = Project | int | str
FileMap = Mapping[str, str | bytes | None]


class Simulator:
    """In-memory GitLab. Every public method takes the lock; returned records are copies."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.store = ObjectStore()
        self.users: dict[int, User] = {}
        self.projects: dict[int, Project] = {}
        self.faults = FaultBook()
        self.pipelines: dict[int, Any] = {}  # id → tests.gitlab_sim.pipelines.Pipeline
        self.issues: dict[int, Any] = {}  # id → tests.gitlab_sim.issues.Issue
        self.base_url = "http://gitlab.invalid"
        self._ids = itertools.count(1)
        self.bot = self.add_user("testgen-bot", token="bot-token", name="Testgen Bot")

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/v4"

    def next_id(self) -> int:
        with self.lock:
            return next(self._ids)

    # --- seeding -------------------------------------------------------------------------
    def add_user(self, username: str, *, token: str | None = None, name: str = "") -> User:
        with self.lock:
            user_id = self.next_id()
            user = User(user_id, username, name or username, token or f"token-{username}")
            self.users[user_id] = user
            return user

    def create_project(
        self,
        path_with_namespace: str,
        *,
        files: FileMap | None = None,
        default_branch: str = "main",
        visibility: str = "private",
        bot_access: int | None = MAINTAINER,
    ) -> Project:
        """A project; with `files`, an initial commit on `default_branch`. The bot user gets
        `bot_access` (None: not a member)."""
        with self.lock:
            project = Project(self.next_id(), path_with_namespace, default_branch, visibility)
            self.projects[project.id] = project
            if bot_access is not None:
                project.members[self.bot.id] = bot_access
            if files:
                self.commit_files(project, default_branch, files, "Initial commit")
            return project

    def add_member(
        self, project: ProjectRef, user: User, access_level: int, *, inherited: bool = False
    ) -> None:
        with self.lock:
            record = self.project(project)
            (record.inherited_members if inherited else record.members)[user.id] = access_level

    def commit_files(
        self,
        project: ProjectRef,
        branch: str,
        files: FileMap,
        message: str = "Update files",
        *,
        start_branch: str | None = None,
    ) -> str:
        """Commit `files` (None deletes a path) onto `branch`; returns the new commit id."""
        with self.lock:
            record = self.project(project)
            head = record.branches.get(start_branch or branch)
            snapshot = dict(self.store.commits[head].files) if head else {}
            actions: list[dict[str, Any]] = []
            for path, content in files.items():
                if content is None:
                    actions.append({"action": "delete", "file_path": path})
                    continue
                raw = content.encode() if isinstance(content, str) else content
                kind = "update" if path in snapshot else "create"
                encoded = base64.b64encode(raw).decode()
                actions.append(
                    {"action": kind, "file_path": path, "content": encoded, "encoding": "base64"}
                )
            return self.apply_commit(record, branch, message, actions, start=head).id

    def create_branch(self, project: ProjectRef, name: str, ref: str) -> str:
        with self.lock:
            record = self.project(project)
            sha = self.resolve(record, ref)
            if sha is None:
                raise KeyError(ref)
            record.branches[name] = sha
            return sha

    def add_merge_request(
        self,
        project: ProjectRef,
        source_branch: str,
        target_branch: str | None = None,
        *,
        title: str = "A change",
        description: str = "",
        author: User | None = None,
        labels: Sequence[str] = (),
    ) -> MergeRequest:
        with self.lock:
            record = self.project(project)
            iid = max(record.merge_requests, default=0) + 1
            mr = MergeRequest(
                self.next_id(),
                iid,
                record.id,
                title,
                description,
                source_branch,
                target_branch or record.default_branch,
                (author or self.bot).id,
            )
            mr.labels = list(labels)
            record.merge_requests[iid] = mr
            return copy.deepcopy(mr)

    def add_note(
        self, project: ProjectRef, mr_iid: int, author: User, body: str, *, system: bool = False
    ) -> Note:
        with self.lock:
            mr = self.project(project).merge_requests[mr_iid]
            note = Note(self.next_id(), body, author.id, mr.id, mr.iid, system)
            mr.notes.append(note)
            return copy.deepcopy(note)

    def add_note_emoji(
        self, project: ProjectRef, mr_iid: int, note_id: int, user: User, name: str
    ) -> None:
        with self.lock:
            note = self.note(self.project(project), mr_iid, note_id)
            note.awards.append(Award(self.next_id(), name, user.id, note.id, "Note"))

    # --- inspection ----------------------------------------------------------------------
    def notes(self, project: ProjectRef, mr_iid: int) -> list[Note]:
        with self.lock:
            return copy.deepcopy(self.project(project).merge_requests[mr_iid].notes)

    def thread(self, project: ProjectRef, mr_iid: int, note_id: int) -> list[Note]:
        """The notes of the discussion `note_id` belongs to, oldest first."""
        with self.lock:
            notes = self.project(project).merge_requests[mr_iid].notes
            discussion = next(n.discussion_id for n in notes if n.id == note_id)
            return copy.deepcopy([n for n in notes if n.discussion_id == discussion])

    def note_emoji(self, project: ProjectRef, mr_iid: int, note_id: int) -> list[Award]:
        with self.lock:
            return copy.deepcopy(self.note(self.project(project), mr_iid, note_id).awards)

    def mr_emoji(self, project: ProjectRef, mr_iid: int) -> list[Award]:
        with self.lock:
            return copy.deepcopy(self.project(project).merge_requests[mr_iid].awards)

    def merge_requests(self, project: ProjectRef) -> list[MergeRequest]:
        with self.lock:
            return copy.deepcopy(list(self.project(project).merge_requests.values()))

    def commits(self, project: ProjectRef, ref: str) -> list[Commit]:
        """Commits reachable from `ref`, newest first."""
        with self.lock:
            sha = self.resolve(self.project(project), ref)
            return copy.deepcopy(list(ancestors(self.store.commits, sha))) if sha else []

    def files(self, project: ProjectRef, ref: str) -> dict[str, bytes]:
        """The snapshot at `ref`: path → content."""
        with self.lock:
            sha = self.resolve(self.project(project), ref)
            if sha is None:
                raise KeyError(ref)
            snapshot = self.store.commits[sha].files
            return {path: self.store.blobs[entry.sha] for path, entry in snapshot.items()}

    def branches(self, project: ProjectRef) -> dict[str, str]:
        with self.lock:
            return dict(self.project(project).branches)

    def hooks(self, project: ProjectRef) -> list[Hook]:
        with self.lock:
            return copy.deepcopy(list(self.project(project).hooks.values()))

    def statuses(self, project: ProjectRef) -> list[CommitStatus]:
        with self.lock:
            return copy.deepcopy(self.project(project).statuses)

    # --- request log and faults ----------------------------------------------------------
    def requests(self, method: str | None = None, path: str | None = None) -> list[LoggedRequest]:
        """Logged requests, optionally filtered by method and a regex searched in the path."""
        pattern = re.compile(path) if path else None
        return [
            entry
            for entry in self.faults.log()
            if (method is None or entry.method == method.upper())
            and (pattern is None or pattern.search(entry.path))
        ]

    def clear_requests(self) -> None:
        self.faults.clear_log()

    def fail_next(
        self,
        count: int = 1,
        *,
        status: int = 500,
        path: str | None = None,
        method: str | None = None,
        retry_after: int | None = 1,
        reset_in: int | None = None,
    ) -> None:
        """The next `count` requests (matching `path` regex / `method`) answer `status`;
        a 429 carries `Retry-After: retry_after` (None: omitted) and `RateLimit-Reset`."""
        pattern = re.compile(path) if path else None
        self.faults.add(Fault(count, status, 0.0, pattern, method, retry_after, reset_in))

    def slow_next(
        self, count: int = 1, *, delay: float, path: str | None = None, method: str | None = None
    ) -> None:
        """The next `count` matching requests are answered (normally) after `delay` seconds."""
        pattern = re.compile(path) if path else None
        self.faults.add(Fault(count, None, delay, pattern, method))

    def clear_faults(self) -> None:
        self.faults.clear()

    # --- lookups used by the routes (callers hold the lock) ------------------------------
    def project(self, ref: ProjectRef) -> Project:
        if isinstance(ref, Project):
            return self.projects[ref.id]
        if isinstance(ref, int) or ref.isdigit():
            return self.projects[int(ref)]
        for project in self.projects.values():
            if project.path_with_namespace == ref:
                return project
        raise KeyError(ref)

    def user_for_token(self, token: str) -> User | None:
        with self.lock:
            return next((u for u in self.users.values() if u.token == token), None)

    def note(self, project: Project, mr_iid: int, note_id: int) -> Note:
        notes = project.merge_requests[mr_iid].notes
        return next(note for note in notes if note.id == note_id)

    def resolve(self, project: Project, ref: str | None) -> str | None:
        """A branch name or (full or short) commit id → commit id in this project."""
        ref = ref or project.default_branch
        if ref in project.branches:
            return project.branches[ref]
        reachable = {c.id for head in project.branches.values() for c in self._walk(head)}
        return next((sha for sha in reachable if len(ref) >= 7 and sha.startswith(ref)), None)

    def _walk(self, head: str) -> list[Commit]:
        return list(ancestors(self.store.commits, head))

    def apply_commit(
        self,
        project: Project,
        branch: str,
        message: str,
        actions: Sequence[Any],
        *,
        start: str | None,
        author: User | None = None,
    ) -> Commit:
        """Apply actions on top of commit `start` and point `branch` at the result."""
        files = self.store.commits[start].files if start else {}
        new_files = self.store.apply_actions(start, files, actions)
        who = author or self.bot
        commit = self.store.commit(
            [start] if start else [], new_files, message, who.name, f"{who.username}@example.com"
        )
        project.branches[branch] = commit.id
        return commit


__all__ = ["ActionError", "Simulator"]
