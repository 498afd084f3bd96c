"""The small typed views of GitLab API objects that the bot's callers use."""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class User(_Model):
    id: int
    username: str
    name: str = ""


class Project(_Model):
    id: int
    path_with_namespace: str
    default_branch: str | None = None
    web_url: str = ""


class Note(_Model):
    id: int
    body: str
    author: User
    system: bool = False
    created_at: str = ""
    updated_at: str = ""


class AwardEmoji(_Model):
    id: int
    name: str
    user: User


class TreeEntry(_Model):
    """One file of a repository tree; `sha` is the git blob id (content-addressed)."""

    path: str
    sha: str = Field(validation_alias="id")
    type: str
    mode: str


class Commit(_Model):
    id: str
    short_id: str = ""
    title: str = ""
    message: str = ""
    parent_ids: list[str] = []
    author_name: str = ""
    committed_date: str | None = None
    web_url: str = ""


class Diff(_Model):
    old_path: str
    new_path: str
    new_file: bool = False
    renamed_file: bool = False
    deleted_file: bool = False
    diff: str = ""


class Compare(_Model):
    commits: list[Commit]
    diffs: list[Diff]


class Branch(_Model):
    name: str
    commit: Commit
    protected: bool = False
    default: bool = False


class MergeRequest(_Model):
    id: int
    iid: int
    title: str
    description: str | None = None
    state: str
    source_branch: str
    target_branch: str
    sha: str | None = None
    web_url: str = ""
    author: User | None = None
    source_project_id: int | None = None
    target_project_id: int | None = None
    labels: list[str] = []
    reviewers: list[User] = []

    @property
    def from_fork(self) -> bool:
        return None not in (self.source_project_id, self.target_project_id) and (
            self.source_project_id != self.target_project_id
        )


class CommitStatus(_Model):
    id: int
    sha: str
    status: str
    name: str


class CommitAction(TypedDict):
    """One entry of `actions[]` for `POST /projects/:id/repository/commits`."""

    action: Literal["create", "update", "delete", "move", "chmod"]
    file_path: str
    content: NotRequired[str]
    encoding: NotRequired[Literal["text", "base64"]]
    previous_path: NotRequired[str]
    last_commit_id: NotRequired[str]
    execute_filemode: NotRequired[bool]


StatusState = Literal["pending", "running", "success", "failed", "canceled", "skipped"]
