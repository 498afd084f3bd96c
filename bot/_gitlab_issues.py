"""The issues half of `bot.gitlab.GitLab`: find, create and edit a project's issues (the
dashboard is one)."""

from __future__ import annotations

from collections.abc import Callable

from bot._gitlab_models import User, _Model
from bot._gitlab_repo import ProjectRef, seg
from bot._gitlab_transport import RetryingGitLabAPI

# GitLab refuses descriptions over 1,048,576 characters
MAX_DESCRIPTION = 1_048_576


class Issue(_Model):
    id: int
    iid: int
    title: str
    description: str | None = None
    state: str
    web_url: str = ""
    author: User | None = None


class IssueCalls:
    api: RetryingGitLabAPI
    scrub: Callable[[str], str]

    def _issues(self, project: ProjectRef) -> str:
        return f"projects/{seg(project)}/issues"

    async def list_issues(
        self, project: ProjectRef, *, search: str | None = None, state: str = "opened"
    ) -> list[Issue]:
        """`GET /projects/:id/issues` (`search` matches title and description)."""
        params = {"per_page": "100", "state": state}
        if search:
            params["search"] = search
        return [
            Issue.model_validate(i) async for i in self.api.iterate(self._issues(project), params)
        ]

    async def create_issue(
        self, project: ProjectRef, title: str, description: str, labels: str = ""
    ) -> Issue:
        body = {"title": title, "description": self.scrub(description)[:MAX_DESCRIPTION]}
        if labels:
            body["labels"] = labels
        return Issue.model_validate(await self.api.post(self._issues(project), data=body))

    async def update_issue(self, project: ProjectRef, iid: int, description: str) -> Issue:
        body = {"description": self.scrub(description)[:MAX_DESCRIPTION]}
        data = await self.api.put(f"{self._issues(project)}/{iid}", data=body)
        return Issue.model_validate(data)
