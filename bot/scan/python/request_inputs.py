"""The inputs a Flask handler reads from `request`, read with `ast` (never by running it).

Flask routes declare only path parameters; the query string, headers and cookies a view uses
are read in its body. Recognised, on the name `request` (Flask's context-local):
- `request.args.get("q")`, `request.args.get("q", type=int)`, `request.args.getlist("q")` →
  an optional query parameter (`type=int|float|bool` gives its type, `getlist` an array);
- `request.args["q"]` → a required one (Flask answers 400 when it is missing);
- `request.headers.get("X-Key")` / `request.headers["X-Key"]` → a header, optional / required;
- `request.authorization` → the `Authorization` header (optional: the view decides);
- `request.cookies.get("session")` / `request.cookies["session"]` → a cookie.

The summary is a list of `[location, name, required, type]` in the order first read.
"""

from __future__ import annotations

import ast

from bot.scan.python.redirect_exits import own_nodes

Input = list[str | bool]

_LOCATIONS = {"args": "query", "headers": "header", "cookies": "cookie"}
_TYPES = {"int": "integer", "float": "number", "bool": "boolean", "str": "string"}


def _source(node: ast.AST) -> str | None:
    """`request.args` → "query" (and headers, cookies); None for anything else."""
    if (
        isinstance(node, ast.Attribute)
        and node.attr in _LOCATIONS
        and isinstance(node.value, ast.Name)
        and node.value.id == "request"
    ):
        return _LOCATIONS[node.attr]
    return None


def _read(node: ast.AST) -> Input | None:
    if isinstance(node, ast.Attribute) and node.attr == "authorization":
        if isinstance(node.value, ast.Name) and node.value.id == "request":
            return ["header", "Authorization", False, "string"]
        return None
    if isinstance(node, ast.Subscript):
        where = _source(node.value)
        key = node.slice
        if where and isinstance(key, ast.Constant) and isinstance(key.value, str):
            return [where, key.value, True, "string"]
        return None
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return None
    where = _source(node.func.value)
    method = node.func.attr
    if where is None or method not in ("get", "getlist") or not node.args:
        return None
    key = node.args[0]
    if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
        return None
    kind = "string"
    for keyword in node.keywords:
        if keyword.arg == "type" and isinstance(keyword.value, ast.Name):
            kind = _TYPES.get(keyword.value.id, "string")
    if method == "getlist":
        kind = f"array:{kind}"
    return [where, key.value, False, kind]


def summary(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[Input] | None:
    """What the function reads from `request`, each input once (required wins), or None."""
    found: dict[tuple[str, str], Input] = {}
    for child in own_nodes(node.body):
        read = _read(child)
        if read is None:
            continue
        key = (str(read[0]), str(read[1]).lower() if read[0] == "header" else str(read[1]))
        if key in found:
            found[key][2] = bool(found[key][2]) or bool(read[2])
        else:
            found[key] = read
    return list(found.values()) or None
