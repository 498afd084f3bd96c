"""Shared tree-sitter plumbing for the JavaScript and Java scanners: parsing, guards, node text."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

import tree_sitter_java
import tree_sitter_javascript
import tree_sitter_typescript
from tree_sitter import Language, Node, Parser

# Files above this size are generated or vendored far more often than hand-written routes.
MAX_BYTES = 2_000_000
# The five methods a "match every method" mapping (`app.all`, bare `@RequestMapping`) expands to:
# HEAD and OPTIONS are answered implicitly by the frameworks for every route, so we list them
# only where a route declares them explicitly.
ALL_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

_GRAMMARS = {
    "javascript": tree_sitter_javascript.language,
    "typescript": tree_sitter_typescript.language_typescript,
    "tsx": tree_sitter_typescript.language_tsx,
    "java": tree_sitter_java.language,
}


@cache
def _parser(grammar: str) -> Parser:
    return Parser(Language(_GRAMMARS[grammar]()))


def warning(message: str, line: int | None = None) -> dict[str, Any]:
    """A warning in facts form; `link` adds the file name."""
    return {"message": message, "line": line}


def refuse(source: bytes) -> str | None:
    """Why a file should not be parsed at all (binary, huge), or None."""
    if len(source) > MAX_BYTES:
        return f"file skipped: {len(source)} bytes is over the {MAX_BYTES}-byte limit"
    if b"\x00" in source[:8192]:
        return "file skipped: looks binary (NUL bytes)"
    return None


def parse(grammar: str, source: bytes) -> tuple[Node, list[dict[str, Any]]]:
    """Parse `source`; the warnings name the first syntax error, if any."""
    root = _parser(grammar).parse(source).root_node
    warnings: list[dict[str, Any]] = []
    if root.has_error:
        bad = first_error(root)
        line = line_of(bad) if bad is not None else None
        warnings.append(
            warning("syntax error; only well-formed declarations were read from this file", line)
        )
    return root, warnings


def first_error(node: Node) -> Node | None:
    if node.is_error or node.is_missing:
        return node
    for child in node.children:
        if child.has_error or child.is_missing:
            found = first_error(child)
            if found is not None:
                return found
    return None


def text(node: Node | None) -> str:
    if node is None or node.text is None:
        return ""
    return node.text.decode("utf-8", errors="replace")


def line_of(node: Node) -> int:
    return node.start_point.row + 1


def walk(node: Node) -> Iterator[Node]:
    """Every named node below `node`, depth first, in source order (iterative)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.named_children))


def field(node: Node, name: str) -> Node | None:
    return node.child_by_field_name(name)


def join_paths(*parts: str) -> str:
    """Join mount prefixes and route paths: one slash between, none doubled, none trailing."""
    segments = [segment for part in parts for segment in part.split("/") if segment]
    return "/" + "/".join(segments)
