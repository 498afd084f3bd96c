"""GitLab API paths reduced to route templates (bounded metric labels, plain-words errors)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# path segments that are part of the API's routes; anything else is a parameter
_LITERALS = frozenset(
    {
        "all",
        "archive",
        "archive.tar.gz",
        "archive.zip",
        "award_emoji",
        "blobs",
        "branches",
        "commits",
        "compare",
        "diffs",
        "discussions",
        "files",
        "hooks",
        "members",
        "merge_requests",
        "notes",
        "projects",
        "raw",
        "repository",
        "statuses",
        "tree",
        "user",
        "users",
    }
)
# the name of the parameter that follows a literal segment
_PARAM_AFTER = {
    "projects": ":id",
    "merge_requests": ":iid",
    "notes": ":note_id",
    "award_emoji": ":award_id",
    "discussions": ":discussion_id",
    "files": ":file_path",
    "blobs": ":sha",
    "commits": ":sha",
    "statuses": ":sha",
    "branches": ":branch",
    "hooks": ":hook_id",
    "all": ":user_id",
    "members": ":user_id",
    "users": ":user_id",
}
_PREFIX = re.compile(r"^.*?/api/v4(?=/|$)")


def route_template(url: str) -> str:
    """`https://h/api/v4/projects/g%2Fp/merge_requests/7/notes?x=1` →
    `/projects/:id/merge_requests/:iid/notes` (no query, no values)."""
    path = _PREFIX.sub("", urlsplit(url).path) or "/"
    out: list[str] = []
    previous = ""
    for segment in path.strip("/").split("/"):
        if not segment:
            continue
        literal = segment in _LITERALS
        expects_value = previous in _PARAM_AFTER and (previous, segment) != ("members", "all")
        if literal and not expects_value:
            out.append(segment)
        else:
            out.append(_PARAM_AFTER.get(previous, ":param"))
        previous = segment if literal and not expects_value else ""
    return "/" + "/".join(out)
