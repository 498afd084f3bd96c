"""Path moves applied to the text of one string piece: segments replaced where they stand whole.

A URL in a test is often cut into pieces (`BASE + "/pets"`, `f"/pets/{pet_id}"`, a constant
and an f-string); each piece is rewritten alone, so only the segments that moved are touched
and every expression between pieces is kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_BOUNDARY_AFTER = r"(?=$|[/?#{}\s\"'`]|\\)"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")


@dataclass(frozen=True)
class Move:
    """`method old` is now `new_method new` (either part may be unchanged)."""

    method: str
    old: str
    new: str
    new_method: str

    @property
    def replacements(self) -> list[tuple[str, str]] | None:
        """(old text, new text) pairs of whole segments; None when the shapes do not align."""
        old, new = _segments(self.old), _segments(self.new)
        if len(old) == len(new) and all(
            _is_param(a) == _is_param(b) for a, b in zip(old, new, strict=True)
        ):
            return [("/" + a, "/" + b) for a, b in zip(old, new, strict=True) if a != b]
        start = 0
        while start < min(len(old), len(new)) and old[start] == new[start]:
            start += 1
        end = 0
        while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
            end += 1
        old_mid, new_mid = old[start : len(old) - end], new[start : len(new) - end]
        if any(_is_param(s) for s in old_mid + new_mid):
            return None
        old_text = "".join("/" + s for s in old_mid)
        new_text = "".join("/" + s for s in new_mid)
        if not old_text:  # a segment was inserted: put it before the next old segment
            if end == 0 or _is_param(old[len(old) - end]):
                return None
            anchor = "/" + old[len(old) - end]
            return [(anchor, new_text + anchor)]
        return [(old_text, new_text)]


def _segments(template: str) -> list[str]:
    return [s for s in template.split("/") if s]


def _is_param(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("}")


def rewrite_piece(text: str, replacements: list[tuple[str, str]]) -> str:
    """`text` with each old segment run replaced where it stands whole (longest first)."""
    for old, new in sorted(replacements, key=lambda r: -len(r[0])):
        pattern = re.escape(old) + _BOUNDARY_AFTER
        text = re.sub(pattern, new.replace("\\", "\\\\"), text)
    return text


def rewrite_naming(text: str, moves: list[Move]) -> str:
    """A story or title naming endpoints: `GET /pets/{petId}` follows its endpoint's move;
    a path named without a method moves only when every move of that path agrees."""
    if not any(move.old in text for move in moves):
        return text
    by_path: dict[str, set[str]] = {}
    for move in moves:
        by_path.setdefault(move.old, set()).add(move.new)
    for move in sorted(moves, key=lambda m: -len(m.old)):
        with_method = re.compile(
            rf"\b{move.method}(\s+){re.escape(move.old)}{_BOUNDARY_AFTER}", re.IGNORECASE
        )
        text = with_method.sub(_named(move), text)
        if len(by_path[move.old]) == 1:
            bare = re.compile(rf"(?<![\w/]){re.escape(move.old)}{_BOUNDARY_AFTER}")
            text = bare.sub(_bare(move), text)
    return text


def _named(move: Move) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        return f"{move.new_method}{match.group(1)}{move.new}"

    return replace


def _bare(move: Move) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        return _unless_named(match, move.new)

    return replace


def _unless_named(match: re.Match[str], new: str) -> str:
    """The new path, unless a method word stands before the match (its own move decided)."""
    before = match.string[: match.start()].rstrip().rsplit(" ", 1)[-1].upper()
    return match.group(0) if before in METHODS else new
