"""Follow-up merge requests: the bot's branch `testgen/<kind>/<source>` and its one MR.

Rules, as well-behaved dependency bots keep them:
- one branch and one open MR per kind and source branch; running again updates both;
- each bot commit carries the trailer `Testgen-Bot: <kind>`; once the branch head is a commit
  without it, a person has pushed there and the bot stops rewriting the branch (and says so);
- a closed MR is not reopened, nor opened again, for the same content (its fingerprint is in
  the description);
- at most `TESTGEN_MAX_OPEN_MRS` open bot MRs per project;
- nothing is committed when the source branch already has exactly these files, nor when the
  bot's own branch already holds them on top of the same source commit (its head commit names
  the content's fingerprint), so a job re-run after a crash makes no second commit; and the
  MR a crashed run of the same job opened is reported as opened (the commit names the run);
- each MR carries the configured labels and the person who asked as reviewer, and a
  Renovate-style checkbox: ticking it regenerates the MR, discarding changes made to it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Literal

import structlog

from bot.gitlab import CommitAction, Conflict, GitLab, MergeRequest, Note
from bot.markdown import code
from bot.safe_path import UnsafePath, repo_path

log = structlog.get_logger("bot.followup")
TRAILER = "Testgen-Bot"
FINGERPRINT_TRAILER = "Testgen-Fingerprint"
RUN_TRAILER = "Testgen-Run"
BRANCH_PREFIX = "testgen/"
FINGERPRINT = "<!-- testgen-bot:fingerprint={} -->"
HANDS_OFF = "<!-- testgen-bot:hands-off -->"
HANDS_OFF_NOTE = (
    "Someone pushed to {branch}, so testgen-bot no longer rewrites it: the changes here are "
    "yours now. To have the bot regenerate it, discarding those changes, tick the checkbox in "
    "the description.\n\n" + HANDS_OFF
)
REGENERATE_MARK = "<!-- testgen-bot:regenerate -->"
REGENERATE_BOX = (
    f"- [ ] {REGENERATE_MARK} **Regenerate this merge request**, discarding every change made "
    "to it (tick the box; the bot acts on it)"
)
ORIGIN = "<!-- testgen-bot:origin={} -->"
_TICKED = re.compile(r"^\s*[-*+]\s+\[[xX]\]\s+" + re.escape(REGENERATE_MARK), re.MULTILINE)
_ORIGIN = re.compile(r"<!-- testgen-bot:origin=([a-z]+):(\d+) -->")


def regenerate_requested(description: str | None) -> bool:
    """Whether someone ticked the regenerate checkbox in a follow-up MR's description."""
    return bool(_TICKED.search(description or ""))


def origin_of(description: str | None) -> tuple[str, int] | None:
    """(kind, iid of the MR it was asked in; 0: a push) recorded in a follow-up's description."""
    found = _ORIGIN.search(description or "")
    return (found.group(1), int(found.group(2))) if found else None


Status = Literal["opened", "updated", "unchanged", "up-to-date", "hands-off", "closed", "capped"]


@dataclass(frozen=True)
class FollowUp:
    """What to propose: repository paths → new content (None deletes), and the words for it."""

    kind: str
    source_branch: str
    source_sha: str
    files: Mapping[str, str | None]
    title: str
    description: str
    root: str  # every path must lie inside this folder (the repository's tests folder)
    labels: tuple[str, ...] = ()
    reviewer_ids: tuple[int, ...] = ()  # who asked: they review the follow-up
    origin_iid: int = 0  # the MR the command was given in (0: a push)
    run_id: str = ""  # the same for every run of one job (a crashed run and its re-run)

    def __post_init__(self) -> None:
        for path in self.files:
            try:
                normal = repo_path(path)
            except UnsafePath:
                normal = ""
            parts = PurePosixPath(path).parts
            root = self.root.rstrip("/")  # "": the repository's top folder
            inside = normal == path and (not root or path.startswith(root + "/"))
            if not inside or ".." in parts:
                raise ValueError(f"{path!r} is outside the tests folder {self.root!r}")


@dataclass(frozen=True)
class Outcome:
    status: Status
    branch: str
    mr: MergeRequest | None = None
    open_count: int = 0


def branch_for(kind: str, source_branch: str) -> str:
    return f"{BRANCH_PREFIX}{kind}/{source_branch}"


def fingerprint(files: Mapping[str, str | None]) -> str:
    canonical = json.dumps(sorted(files.items()), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:20]


def is_bot_commit(message: str) -> bool:
    return any(line.startswith(f"{TRAILER}:") for line in message.splitlines())


def _actions(files: Mapping[str, str | None], base: Mapping[str, str]) -> list[CommitAction]:
    """Commit actions turning `base` (the source's current files) into `files`."""
    actions: list[CommitAction] = []
    for path in sorted(files):
        content = files[path]
        if content is None:
            if path in base:
                actions.append({"action": "delete", "file_path": path})
        elif path not in base:
            actions.append({"action": "create", "file_path": path, "content": content})
        elif base[path] != content:
            actions.append({"action": "update", "file_path": path, "content": content})
    return actions


async def propose(
    gitlab: GitLab,
    project_id: int,
    proposal: FollowUp,
    base: Mapping[str, str],
    *,
    max_open: int,
    force: bool = False,
) -> Outcome:
    """Create or update the follow-up branch and MR for `proposal`.

    `base` holds the current content, at `proposal.source_sha`, of every path in
    `proposal.files` that exists there. `force` (the regenerate checkbox) rewrites the branch
    even when a person has pushed to it.
    """
    branch = branch_for(proposal.kind, proposal.source_branch)
    bound = log.bind(project_id=project_id, branch=branch)
    mark = FINGERPRINT.format(fingerprint(proposal.files))
    existing = await gitlab.get_branch(project_id, branch)
    open_mrs = await gitlab.list_merge_requests(
        project_id, source_branch=branch, target_branch=proposal.source_branch
    )
    mr = open_mrs[0] if open_mrs else None
    if existing is not None and not is_bot_commit(existing.commit.message) and not force:
        if mr is not None:
            await _say_hands_off(gitlab, project_id, mr, branch)
        bound.info("follow-up branch edited by a person; left alone")
        return Outcome("hands-off", branch, mr)
    actions = _actions(proposal.files, base)
    if not actions:
        return Outcome("up-to-date", branch, mr)
    head = existing.commit if existing is not None else None
    # the bot's branch already holds exactly these files on top of this source commit
    in_place = (
        head is not None
        and head.parent_ids == [proposal.source_sha]
        and f"{FINGERPRINT_TRAILER}: {fingerprint(proposal.files)}" in head.message
    )
    # ...put there by an earlier run of this same job, which crashed before it could answer
    rerun = (
        in_place
        and bool(proposal.run_id)
        and (head is not None and f"{RUN_TRAILER}: {proposal.run_id}" in head.message)
    )
    if mr is not None and rerun:
        return Outcome("opened", branch, mr)
    if mr is None and not rerun:
        closed = await gitlab.list_merge_requests(
            project_id, source_branch=branch, target_branch=proposal.source_branch, state="closed"
        )
        same = [c for c in closed if mark in (c.description or "")]
        if same:
            return Outcome("closed", branch, same[0])
        opened = await gitlab.list_merge_requests(project_id, state="opened")
        ours = [m for m in opened if m.source_branch.startswith(BRANCH_PREFIX)]
        if len(ours) >= max_open:
            return Outcome("capped", branch, None, len(ours))
    elif (
        mr is not None
        and existing is not None
        and not force
        and mark in (mr.description or "")
        and existing.commit.parent_ids == [proposal.source_sha]
    ):
        return Outcome("unchanged", branch, mr)
    if not in_place:
        trailers = [
            f"{TRAILER}: {proposal.kind}",
            f"{FINGERPRINT_TRAILER}: {fingerprint(proposal.files)}",
        ]
        if proposal.run_id:
            trailers.append(f"{RUN_TRAILER}: {proposal.run_id}")
        title = proposal.title
        subject = title if title.startswith("testgen:") else f"testgen: {title}"
        message = f"{subject}\n\n" + "\n".join(trailers) + "\n"
        await gitlab.create_commit(
            project_id,
            branch,
            message,
            actions,
            start_sha=proposal.source_sha,
            force=existing is not None,
        )
    origin = ORIGIN.format(f"{proposal.kind}:{proposal.origin_iid}")
    description = (
        f"{proposal.description.rstrip()}\n\n---\n\n{REGENERATE_BOX}\n\n{mark}\n{origin}\n"
    )
    if mr is not None:
        reviewers = sorted({r.id for r in mr.reviewers} | set(proposal.reviewer_ids))
        mr = await gitlab.update_merge_request(
            project_id,
            mr.iid,
            title=proposal.title,
            description=description,
            add_labels=",".join(proposal.labels) or None,
            reviewer_ids=reviewers or None,
        )
        bound.info("follow-up MR updated", mr_iid=mr.iid)
        return Outcome("updated", branch, mr)
    try:
        mr = await gitlab.create_merge_request(
            project_id,
            source_branch=branch,
            target_branch=proposal.source_branch,
            title=proposal.title,
            description=description,
            labels=proposal.labels,
            reviewer_ids=proposal.reviewer_ids,
        )
    except Conflict:  # opened meanwhile (a retried job): update that one
        [mr] = await gitlab.list_merge_requests(
            project_id, source_branch=branch, target_branch=proposal.source_branch
        )
        mr = await gitlab.update_merge_request(
            project_id, mr.iid, title=proposal.title, description=description
        )
        return Outcome("updated", branch, mr)
    bound.info("follow-up MR opened", mr_iid=mr.iid)
    return Outcome("opened", branch, mr)


async def _say_hands_off(gitlab: GitLab, project_id: int, mr: MergeRequest, branch: str) -> None:
    notes: list[Note] = await gitlab.list_mr_notes(project_id, mr.iid)
    if not any(HANDS_OFF in note.body for note in notes):
        await gitlab.create_mr_note(project_id, mr.iid, HANDS_OFF_NOTE.format(branch=code(branch)))
