"""Cheap traversal of libcst nodes: child fields that can hold code, whitespace skipped."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import libcst as cst

# fields that only ever hold whitespace, punctuation or operators
_SKIPPED = frozenset(
    {
        "lpar", "rpar", "comma", "semicolon", "leading_lines", "header", "footer",
        "lines_after_decorators", "equal", "colon", "operator", "star", "dot", "asynchronous",
        "newline", "trailing_whitespace", "default_indent", "default_newline", "encoding",
        "quote", "prefix", "start", "end", "string_prefix",
    }
)  # fmt: skip
# leaves whose `value` field is a plain string
_LEAVES = (cst.Name, cst.SimpleString, cst.Integer, cst.Float, cst.Imaginary)
_FIELDS: dict[type[cst.CSTNode], tuple[str, ...]] = {}


def _fields(node_type: type[cst.CSTNode]) -> tuple[str, ...]:
    names = _FIELDS.get(node_type)
    if names is None:
        if issubclass(node_type, _LEAVES) or node_type is cst.FormattedStringText:
            names = ()
        else:
            names = tuple(
                field.name
                for field in dataclasses.fields(node_type)
                if field.name not in _SKIPPED and "whitespace" not in field.name
            )
        _FIELDS[node_type] = names
    return names


_IS_NODE: dict[type, bool] = {}


def _is_node(value_type: type) -> bool:
    # libcst's classes use ABCMeta, so `isinstance` is slow; a cached type check is not
    known = _IS_NODE.get(value_type)
    if known is None:
        known = _IS_NODE[value_type] = issubclass(value_type, cst.CSTNode)
    return known


def child_list(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The child nodes of `node` that can contain code, in source order."""
    found: list[cst.CSTNode] = []
    for name in _FIELDS.get(type(node)) or _fields(type(node)):
        value = getattr(node, name)
        value_type = type(value)
        if value_type is tuple or value_type is list:
            found.extend(item for item in value if _is_node(type(item)))
        elif _is_node(value_type):
            found.append(value)
    return found


def children(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The child nodes of `node` that can contain code, in source order."""
    yield from child_list(node)


def descendants(root: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """`root` and everything below it that can contain code (pre-order, not source order)."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(children(node))
