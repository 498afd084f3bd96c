"""Git object ids and history walks for the simulator, computed exactly as git computes them."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

BLOB_MODE = "100644"
EXEC_MODE = "100755"
TREE_MODE = "040000"


def blob_sha(content: bytes) -> str:
    """The git object id of a blob: sha1 over `blob <size>\\0<content>`."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


@dataclass(frozen=True)
class FileEntry:
    """One file of a snapshot: its blob id and mode."""

    sha: str
    mode: str = BLOB_MODE


@dataclass(frozen=True)
class TreeItem:
    """One entry of a recursive tree listing, as GitLab's tree API returns it."""

    id: str
    name: str
    type: str
    path: str
    mode: str


@dataclass
class Commit:
    """A commit: a full snapshot of paths → files, plus metadata."""

    id: str
    parent_ids: list[str]
    files: dict[str, FileEntry]
    message: str
    author_name: str
    author_email: str
    created_at: str
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.message.splitlines()[0] if self.message else ""


def _tree_sha(files: Mapping[str, FileEntry], prefix: str, cache: dict[str, str]) -> str:
    """The git object id of the tree at `prefix` ('' for the root)."""
    entries: dict[str, tuple[str, str]] = {}  # name → (mode, sha)
    for path, entry in files.items():
        if not path.startswith(prefix):
            continue
        rest = path[len(prefix) :]
        name, sep, _ = rest.partition("/")
        if sep:
            if name not in entries:
                entries[name] = (TREE_MODE, _tree_sha(files, f"{prefix}{name}/", cache))
        else:
            entries[name] = (entry.mode, entry.sha)

    def sort_key(name: str) -> bytes:  # git sorts trees as if their name ended with "/"
        return (name + "/" if entries[name][0] == TREE_MODE else name).encode()

    body = b"".join(
        b"%s %s\0%s" % (mode.lstrip("0").encode(), name.encode(), bytes.fromhex(sha))
        for name in sorted(entries, key=sort_key)
        for mode, sha in [entries[name]]
    )
    sha = hashlib.sha1(b"tree %d\0" % len(body) + body).hexdigest()
    cache[prefix] = sha
    return sha


def tree_listing(files: Mapping[str, FileEntry], path: str, recursive: bool) -> list[TreeItem]:
    """Entries under `path`: trees first, then blobs (GitLab's `sorted_entries`), by path."""
    cache: dict[str, str] = {}
    _tree_sha(files, "", cache)
    prefix = f"{path.strip('/')}/" if path.strip("/") else ""
    trees: dict[str, TreeItem] = {}
    blobs: list[TreeItem] = []
    for file_path, entry in sorted(files.items()):
        if not file_path.startswith(prefix):
            continue
        parts = file_path[len(prefix) :].split("/")
        depth = len(parts) if recursive else 1
        for index in range(min(depth, len(parts) - 1)):
            dir_path = prefix + "/".join(parts[: index + 1])
            sha = cache[dir_path + "/"]
            trees.setdefault(dir_path, TreeItem(sha, parts[index], "tree", dir_path, TREE_MODE))
        if recursive or len(parts) == 1:
            name = parts[-1]
            blobs.append(TreeItem(entry.sha, name, "blob", file_path, entry.mode))
    return [trees[key] for key in sorted(trees)] + blobs


def root_tree_sha(files: Mapping[str, FileEntry]) -> str:
    return _tree_sha(files, "", {})


def commit_sha(tree: str, parents: list[str], message: str, author: str, stamp: int) -> str:
    """The git object id of a commit with these fields (fixed +0000 time zone)."""
    lines = [f"tree {tree}", *[f"parent {parent}" for parent in parents]]
    lines += [f"author {author} {stamp} +0000", f"committer {author} {stamp} +0000", "", message]
    body = "\n".join(lines).encode()
    return hashlib.sha1(b"commit %d\0" % len(body) + body).hexdigest()


def ancestors(commits: Mapping[str, Commit], start: str) -> Iterator[Commit]:
    """`start` and every commit reachable from it, newest first (breadth first on parents)."""
    seen: set[str] = set()
    queue = [start]
    while queue:
        sha = queue.pop(0)
        if sha in seen or sha not in commits:
            continue
        seen.add(sha)
        commit = commits[sha]
        yield commit
        queue.extend(commit.parent_ids)


def merge_base(commits: Mapping[str, Commit], left: str, right: str) -> str | None:
    left_set = {commit.id for commit in ancestors(commits, left)}
    return next((c.id for c in ancestors(commits, right) if c.id in left_set), None)
