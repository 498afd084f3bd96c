"""The simulator's object store: blobs, commits, commit actions and diffs, as GitLab does them."""

from __future__ import annotations

import base64
import difflib
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from tests.gitlab_sim.git import (
    BLOB_MODE,
    EXEC_MODE,
    Commit,
    FileEntry,
    blob_sha,
    commit_sha,
    root_tree_sha,
)

FILE_EXISTS = "A file with this name already exists"
FILE_MISSING = "A file with this name doesn't exist"
FILE_CHANGED = "You are attempting to update a file that has changed since you started editing it."


class ActionError(Exception):
    """A commit action GitLab refuses with 400 and this message."""


class ObjectStore:
    """Blobs and commits of every simulated project, keyed by git object id."""

    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}
        self.commits: dict[str, Commit] = {}
        self._last_stamp = 0

    def add_blob(self, content: bytes) -> str:
        sha = blob_sha(content)
        self.blobs[sha] = content
        return sha

    def commit(
        self,
        parents: Sequence[str],
        files: Mapping[str, FileEntry],
        message: str,
        author_name: str = "Sim User",
        author_email: str = "sim@example.com",
    ) -> Commit:
        stamp = self._last_stamp = max(int(time.time()), self._last_stamp + 1)
        author = f"{author_name} <{author_email}>"
        sha = commit_sha(root_tree_sha(files), list(parents), message, author, stamp)
        created = datetime.fromtimestamp(stamp, UTC).isoformat().replace("+00:00", "Z")
        commit = Commit(
            sha, list(parents), dict(files), message, author_name, author_email, created
        )
        self.commits[sha] = commit
        return commit

    def last_change(self, head: str, path: str) -> str | None:
        """The newest commit on the first-parent line of `head` that changed `path`."""
        commit = self.commits.get(head)
        while commit is not None:
            parent = self.commits.get(commit.parent_ids[0]) if commit.parent_ids else None
            before = parent.files.get(path) if parent else None
            if commit.files.get(path) != before:
                return commit.id
            commit = parent
        return None

    def apply_actions(
        self, head: str | None, files: Mapping[str, FileEntry], actions: Sequence[Any]
    ) -> dict[str, FileEntry]:
        """The snapshot after `actions`; ActionError for what GitLab refuses."""
        result = dict(files)
        for action in actions:
            if not isinstance(action, dict) or not action.get("file_path"):
                raise ActionError("actions is invalid")
            kind, path = action.get("action"), str(action["file_path"]).strip("/")
            last_commit_id = action.get("last_commit_id")
            if last_commit_id and kind in {"update", "move", "delete"} and head:
                checked = action.get("previous_path", path) if kind == "move" else path
                if self.last_change(head, str(checked)) != last_commit_id:
                    raise ActionError(FILE_CHANGED)
            if kind == "create":
                if path in result:
                    raise ActionError(FILE_EXISTS)
                result[path] = FileEntry(self.add_blob(_content(action)), _mode(None))
            elif kind == "update":
                if path not in result:
                    raise ActionError(FILE_MISSING)
                entry = result[path]
                result[path] = FileEntry(self.add_blob(_content(action)), _mode(entry))
            elif kind == "delete":
                if result.pop(path, None) is None:
                    raise ActionError(FILE_MISSING)
            elif kind == "move":
                previous = str(action.get("previous_path") or "").strip("/")
                if previous not in result:
                    raise ActionError(FILE_MISSING)
                if path in result and path != previous:
                    raise ActionError(FILE_EXISTS)
                entry = result.pop(previous)
                if action.get("content") is not None:
                    entry = FileEntry(self.add_blob(_content(action)), entry.mode)
                result[path] = entry
            elif kind == "chmod":
                if path not in result:
                    raise ActionError(FILE_MISSING)
                mode = EXEC_MODE if action.get("execute_filemode") else BLOB_MODE
                result[path] = FileEntry(result[path].sha, mode)
            else:
                raise ActionError("actions[action] does not have a valid value")
        return result

    def diffs(self, old: Mapping[str, FileEntry], new: Mapping[str, FileEntry]) -> list[Any]:
        """GitLab `diffs[]` between two snapshots; exact renames detected by blob id."""
        deleted = {p: e for p, e in old.items() if p not in new}
        added = {p: e for p, e in new.items() if p not in old}
        renames: dict[str, str] = {}  # new path → old path
        for new_path, entry in sorted(added.items()):
            match = next((p for p, e in sorted(deleted.items()) if e.sha == entry.sha), None)
            if match is not None and match not in renames.values():
                renames[new_path] = match
        out: list[Any] = []
        for path in sorted(set(old) | set(new)):
            if path in renames.values():
                continue
            before, after = old.get(path), new.get(path)
            if before == after:
                continue
            old_path = renames.get(path, path)
            before = before or old.get(old_path)
            out.append(
                {
                    "old_path": old_path,
                    "new_path": path,
                    "a_mode": before.mode if before else "0",
                    "b_mode": after.mode if after else "0",
                    "new_file": before is None,
                    "renamed_file": path in renames,
                    "deleted_file": after is None,
                    "generated_file": False,
                    "diff": self._unidiff(before, after),
                }
            )
        return out

    def _unidiff(self, before: FileEntry | None, after: FileEntry | None) -> str:
        texts = []
        for entry in (before, after):
            raw = self.blobs.get(entry.sha, b"") if entry else b""
            try:
                texts.append(raw.decode().splitlines(keepends=True))
            except UnicodeDecodeError:
                return ""
        return "".join(list(difflib.unified_diff(texts[0], texts[1], n=3))[2:])


def _content(action: Mapping[str, Any]) -> bytes:
    content = action.get("content")
    if content is None:
        raise ActionError("You must provide content.")
    if action.get("encoding") == "base64":
        return base64.b64decode(str(content))
    return str(content).encode()


def _mode(entry: FileEntry | None) -> str:
    return entry.mode if entry else BLOB_MODE
