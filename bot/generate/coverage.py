"""Which endpoints hand-written tests already call, read statically from their source."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from urllib.parse import urlparse

from bot.scan.model import Endpoint

HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})
_STORY = re.compile(r"^\s*(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(/\S*)\s*$", re.I)
_HOLE = "{}"

Call = tuple[str, str]  # (METHOD, path shape with `{}` for unknown parts)


def _shape(node: ast.expr) -> str | None:
    """The path a URL expression stands for, unknown parts as `{}`; None if not a string."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else _HOLE
            for v in node.values
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _shape(node.left), _shape(node.right)
        if left is None and right is None:
            return None
        return (left if left is not None else _HOLE) + (right if right is not None else _HOLE)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and isinstance(node.func.value, ast.Constant)
    ):
        text = node.func.value.value
        return re.sub(r"\{[^{}]*\}", _HOLE, text) if isinstance(text, str) else None
    return None


def _clean(shape: str) -> str | None:
    if "://" in shape:
        shape = urlparse(shape.replace(_HOLE, "HOLE")).path.replace("HOLE", _HOLE)
    shape = shape.split("?", 1)[0].split("#", 1)[0]
    while shape.startswith(_HOLE):
        shape = shape[len(_HOLE) :]  # a base URL variable before the path
    if not shape.startswith("/"):
        return None
    return shape.rstrip("/") or "/"


def _call_of(node: ast.Call) -> Call | None:
    func = node.func
    if not isinstance(func, ast.Attribute):
        return None
    args = list(node.args)
    url = next((k.value for k in node.keywords if k.arg == "url"), None)
    if func.attr in HTTP_METHODS:
        target, method = (args[0] if args else url), func.attr
    elif func.attr == "request" and args and isinstance(args[0], ast.Constant):
        method = str(args[0].value).lower()
        target = args[1] if len(args) > 1 else url
        if method not in HTTP_METHODS:
            return None
    elif func.attr == "story" and args:
        text = args[0].value if isinstance(args[0], ast.Constant) else None
        match = _STORY.match(text) if isinstance(text, str) else None
        if match is None:
            return None
        story_path = re.sub(r"\{[^{}]*\}", _HOLE, match.group(2))
        return match.group(1).upper(), story_path.rstrip("/") or "/"
    else:
        return None
    shape = _shape(target) if target is not None else None
    path = _clean(shape) if shape is not None else None
    return (method.upper(), path) if path is not None else None


def calls_in_source(source: str) -> set[Call]:
    """Every (method, path shape) a test module calls or names in an Allure story."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError):
        return set()
    found: set[Call] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            call = _call_of(node)
            if call is not None:
                found.add(call)
    return found


def _segments(path: str) -> list[str]:
    return [s for s in path.strip("/").split("/") if s]


def _segment_matches(template: str, called: str) -> bool:
    if template.startswith("{") and template.endswith("}"):
        return bool(called)
    return template == called


def matches(endpoint: Endpoint, call: Call) -> bool:
    """Whether a call hits the endpoint; the call may omit a static prefix (a base path)."""
    method, path = call
    if method != endpoint.method:
        return False
    template, called = _segments(endpoint.path), _segments(path)
    if not called:
        return not template
    if len(called) > len(template):
        return False
    prefix = template[: len(template) - len(called)]
    if any(s.startswith("{") for s in prefix):
        return False
    tail = template[len(template) - len(called) :]
    return all(_segment_matches(t, c) for t, c in zip(tail, called, strict=True))


def covered(
    endpoints: Iterable[Endpoint], sources: Mapping[str, str]
) -> dict[tuple[str, str], str]:
    """Endpoint (method, path) → the first file (by name) whose tests already call it."""
    calls = {name: calls_in_source(sources[name]) for name in sorted(sources)}
    out: dict[tuple[str, str], str] = {}
    for endpoint in endpoints:
        for name, found in calls.items():
            if any(matches(endpoint, call) for call in found):
                out[(endpoint.method, endpoint.path)] = name
                break
    return out
