"""The bot's async GitLab facade: the REST calls the jobs make, with typed results and errors."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from typing import Any

import httpx

from bot._gitlab_errors import (
    BadRequest,
    Conflict,
    Forbidden,
    GitLabError,
    NotFound,
    RateLimited,
    ServerError,
    TransportError,
    Unauthorized,
    Unprocessable,
    is_transient,
)
from bot._gitlab_issues import Issue, IssueCalls
from bot._gitlab_models import (
    AwardEmoji,
    Branch,
    Commit,
    CommitAction,
    CommitStatus,
    Compare,
    Diff,
    MergeRequest,
    Note,
    Project,
    StatusState,
    TreeEntry,
    User,
)
from bot._gitlab_repo import ProjectRef, RepositoryCalls, seg
from bot._gitlab_transport import RetryingGitLabAPI, RetryPolicy, Sleep
from bot.scrub import Scrubber

EMOJI_TAKEN = "has already been taken"
STATUS_UNCHANGED = "Cannot transition status"


class GitLab(RepositoryCalls, IssueCalls):
    """One instance per process (or job context), sharing the caller's httpx client.
    Repository calls (tree, raw files, compare, branches, commits) live in `RepositoryCalls`."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        url: str,
        token: str,
        requester: str = "testgen-bot",
        policy: RetryPolicy | None = None,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.api = RetryingGitLabAPI(
            client,
            requester,
            access_token=token,
            url=url,
            policy=policy or RetryPolicy(),
            sleep=sleep,
            clock=clock,
        )
        # every note body passes this before it is posted (the worker adds all its secrets)
        self.scrub: Callable[[str], str] = Scrubber([token]).text

    def __repr__(self) -> str:  # the token must never show up in logs or tracebacks
        return f"GitLab(url={self.api.api_url!r})"

    # --- users and projects ----------------------------------------------------------------
    async def current_user(self) -> User:
        return User.model_validate(await self.api.getitem("user"))

    async def get_project(self, project: ProjectRef) -> Project:
        return Project.model_validate(await self.api.getitem(self._p(project)))

    async def member_access_level(self, project: ProjectRef, user_id: int) -> int:
        """Effective access level (inherited from groups included); 0 when not a member."""
        try:
            data = await self.api.getitem(f"{self._p(project)}/members/all/{user_id}")
        except NotFound as error:
            if "Project" in error.message:
                raise
            return 0
        return int(data.get("access_level", 0))

    async def list_project_hooks(self, project: ProjectRef) -> list[dict[str, Any]]:
        """The project's webhooks as GitLab lists them (Maintainer access needed)."""
        return await self._list(f"{self._p(project)}/hooks")

    async def pipeline_test_report(self, project: ProjectRef, pipeline_id: int) -> dict[str, Any]:
        """The pipeline's JUnit test report as GitLab keeps it (suites with their test cases)."""
        data = await self.api.getitem(f"{self._p(project)}/pipelines/{pipeline_id}/test_report")
        return dict(data) if isinstance(data, dict) else {}

    # --- notes and emoji -------------------------------------------------------------------
    def _mr(self, project: ProjectRef, iid: int) -> str:
        return f"{self._p(project)}/merge_requests/{iid}"

    async def list_mr_notes(self, project: ProjectRef, mr_iid: int) -> list[Note]:
        """All notes, oldest first."""
        items = await self._list(f"{self._mr(project, mr_iid)}/notes", sort="asc")
        return [Note.model_validate(item) for item in items]

    async def create_mr_note(self, project: ProjectRef, mr_iid: int, body: str) -> Note:
        url = f"{self._mr(project, mr_iid)}/notes"
        data = await self.api.post(url, data={"body": self.scrub(body)})
        return Note.model_validate(data)

    async def update_mr_note(
        self, project: ProjectRef, mr_iid: int, note_id: int, body: str
    ) -> Note:
        url = f"{self._mr(project, mr_iid)}/notes/{note_id}"
        return Note.model_validate(await self.api.put(url, data={"body": self.scrub(body)}))

    async def reply_in_discussion(
        self, project: ProjectRef, mr_iid: int, discussion_id: str, body: str
    ) -> Note:
        """A reply in the thread `discussion_id` (a single comment becomes a thread)."""
        url = f"{self._mr(project, mr_iid)}/discussions/{seg(discussion_id)}/notes"
        return Note.model_validate(await self.api.post(url, data={"body": self.scrub(body)}))

    async def _award(self, url: str, name: str) -> bool:
        try:
            await self.api.post(url, data={"name": name})
        except NotFound as error:
            if EMOJI_TAKEN in error.message:
                return False
            raise
        return True

    async def award_note_emoji(
        self, project: ProjectRef, mr_iid: int, note_id: int, name: str
    ) -> bool:
        """Idempotent: True when awarded now, False when this user had already awarded it."""
        return await self._award(f"{self._mr(project, mr_iid)}/notes/{note_id}/award_emoji", name)

    async def award_mr_emoji(self, project: ProjectRef, mr_iid: int, name: str) -> bool:
        return await self._award(f"{self._mr(project, mr_iid)}/award_emoji", name)

    async def list_note_emoji(
        self, project: ProjectRef, mr_iid: int, note_id: int
    ) -> list[AwardEmoji]:
        items = await self._list(f"{self._mr(project, mr_iid)}/notes/{note_id}/award_emoji")
        return [AwardEmoji.model_validate(item) for item in items]

    # --- merge requests and statuses ---------------------------------------------------------
    async def list_merge_requests(
        self,
        project: ProjectRef,
        *,
        source_branch: str | None = None,
        target_branch: str | None = None,
        state: str = "opened",
    ) -> list[MergeRequest]:
        params = {"state": state}
        if source_branch is not None:
            params["source_branch"] = source_branch
        if target_branch is not None:
            params["target_branch"] = target_branch
        items = await self._list(f"{self._p(project)}/merge_requests", **params)
        return [MergeRequest.model_validate(item) for item in items]

    async def get_merge_request(self, project: ProjectRef, iid: int) -> MergeRequest:
        return MergeRequest.model_validate(await self.api.getitem(self._mr(project, iid)))

    async def create_merge_request(
        self,
        project: ProjectRef,
        *,
        source_branch: str,
        target_branch: str,
        title: str,
        description: str = "",
        remove_source_branch: bool = True,
        labels: Sequence[str] = (),
        reviewer_ids: Sequence[int] = (),
    ) -> MergeRequest:
        """Conflict (409) when an open MR already joins these branches: list first."""
        body: dict[str, Any] = {"source_branch": source_branch, "target_branch": target_branch}
        body["title"] = title
        body["description"] = self.scrub(description)
        body["remove_source_branch"] = remove_source_branch
        if labels:
            body["labels"] = ",".join(labels)
        if reviewer_ids:
            body["reviewer_ids"] = list(reviewer_ids)
        data = await self.api.post(f"{self._p(project)}/merge_requests", data=body)
        return MergeRequest.model_validate(data)

    async def update_merge_request(
        self, project: ProjectRef, iid: int, **fields: str | int | bool | list[int] | None
    ) -> MergeRequest:
        """PUT the given fields (`title`, `description`, `state_event="close"|"reopen"`,
        `add_labels="a,b"`, `reviewer_ids=[…]`, …)."""
        body = {key: value for key, value in fields.items() if value is not None}
        if isinstance(body.get("description"), str):
            body["description"] = self.scrub(str(body["description"]))
        return MergeRequest.model_validate(await self.api.put(self._mr(project, iid), data=body))

    async def set_commit_status(
        self,
        project: ProjectRef,
        sha: str,
        state: StatusState,
        name: str,
        description: str,
        target_url: str | None = None,
    ) -> CommitStatus | None:
        """Idempotent: setting the state a status already has returns None."""
        body = {"state": state, "name": name, "description": description[:255]}
        if target_url:
            body["target_url"] = target_url
        try:
            data = await self.api.post(f"{self._p(project)}/statuses/{sha}", data=body)
        except BadRequest as error:
            if STATUS_UNCHANGED in error.message:
                return None
            raise
        return CommitStatus.model_validate(data)


__all__ = [
    "AwardEmoji",
    "BadRequest",
    "Branch",
    "Commit",
    "CommitAction",
    "CommitStatus",
    "Compare",
    "Conflict",
    "Diff",
    "Forbidden",
    "GitLab",
    "GitLabError",
    "Issue",
    "MergeRequest",
    "NotFound",
    "Note",
    "Project",
    "RateLimited",
    "RetryPolicy",
    "ServerError",
    "TransportError",
    "TreeEntry",
    "Unauthorized",
    "Unprocessable",
    "User",
    "is_transient",
]
