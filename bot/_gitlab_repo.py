"""Repository calls of the GitLab facade: tree, raw files and blobs, compare, branches, commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from urllib.parse import quote

from bot._gitlab_errors import NotFound
from bot._gitlab_models import Branch, Commit, CommitAction, Compare, Diff, TreeEntry
from bot._gitlab_transport import RetryingGitLabAPI

ProjectRef = int | str


def seg(value: ProjectRef) -> str:
    """One URL path segment: `grp/sub/proj` → `grp%2Fsub%2Fproj`, `a/b.py` → `a%2Fb.py`."""
    return quote(str(value), safe="")


class RepositoryCalls:
    """The repository half of `bot.gitlab.GitLab` (which sets `api`)."""

    api: RetryingGitLabAPI

    def _p(self, project: ProjectRef) -> str:
        return f"projects/{seg(project)}"

    async def _list(self, url: str, **params: str) -> list[Any]:
        return [item async for item in self.api.iterate(url, {"per_page": "100", **params})]

    async def repository_tree(
        self, project: ProjectRef, ref: str, path: str = ""
    ) -> list[TreeEntry]:
        """Every blob under `path` at `ref`, recursively; [] when the path does not exist."""
        params = {"ref": ref, "recursive": "true", "pagination": "keyset"}
        if path:
            params["path"] = path
        try:
            items = await self._list(f"{self._p(project)}/repository/tree", **params)
        except NotFound as error:
            if "Tree" in error.message and path:
                return []
            raise
        return [TreeEntry.model_validate(item) for item in items if item.get("type") == "blob"]

    async def raw_file(self, project: ProjectRef, path: str, ref: str) -> bytes:
        url = f"{self._p(project)}/repository/files/{seg(path)}/raw"
        return await self.api.get_bytes(url, {"ref": ref})

    async def raw_file_or_none(self, project: ProjectRef, path: str, ref: str) -> bytes | None:
        """The file's content, or None when `ref` has no such file (a missing project raises)."""
        try:
            return await self.raw_file(project, path, ref)
        except NotFound as error:
            if "Project" in error.message:
                raise
            return None

    async def raw_blob(self, project: ProjectRef, sha: str) -> bytes:
        return await self.api.get_bytes(f"{self._p(project)}/repository/blobs/{sha}/raw", {})

    async def archive(self, project: ProjectRef, sha: str) -> bytes:
        """The commit's files as a `.tar.gz` (one request instead of one per file)."""
        return await self.api.get_bytes(
            f"{self._p(project)}/repository/archive.tar.gz", {"sha": sha}
        )

    async def compare(
        self, project: ProjectRef, from_: str, to: str, *, straight: bool = False
    ) -> Compare:
        params: dict[str, str | bool] = {"from": from_, "to": to}
        params["straight"] = "true" if straight else "false"
        data = await self.api.getitem(f"{self._p(project)}/repository/compare", params)
        commits = [Commit.model_validate(c) for c in data.get("commits") or []]
        return Compare(commits=commits, diffs=[Diff.model_validate(d) for d in data["diffs"]])

    async def get_branch(self, project: ProjectRef, branch: str) -> Branch | None:
        try:
            data = await self.api.getitem(f"{self._p(project)}/repository/branches/{seg(branch)}")
        except NotFound as error:
            if "Branch" in error.message:
                return None
            raise
        return Branch.model_validate(data)

    async def create_branch(self, project: ProjectRef, branch: str, ref: str) -> Branch:
        url = f"{self._p(project)}/repository/branches"
        return Branch.model_validate(await self.api.post(url, data={"branch": branch, "ref": ref}))

    async def list_commits(
        self, project: ProjectRef, ref: str, since: datetime | str | None = None
    ) -> list[Commit]:
        params = {"ref_name": ref}
        if since is not None:
            params["since"] = since.isoformat() if isinstance(since, datetime) else since
        items = await self._list(f"{self._p(project)}/repository/commits", **params)
        return [Commit.model_validate(item) for item in items]

    async def create_commit(
        self,
        project: ProjectRef,
        branch: str,
        message: str,
        actions: Sequence[CommitAction],
        *,
        start_branch: str | None = None,
        start_sha: str | None = None,
        force: bool = False,
    ) -> Commit:
        """One commit of `actions`; `start_sha`/`start_branch` (with `force`) rebuild `branch`."""
        body: dict[str, Any] = {"branch": branch, "commit_message": message}
        body["actions"] = [dict(action) for action in actions]
        if start_branch is not None:
            body["start_branch"] = start_branch
        if start_sha is not None:
            body["start_sha"] = start_sha
        if force:
            body["force"] = True
        data = await self.api.post(f"{self._p(project)}/repository/commits", data=body)
        return Commit.model_validate(data)
