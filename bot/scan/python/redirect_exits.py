"""A handler's exits read with `ast`: the redirect status codes when every `return` redirects.

Recognised (by the called name, never by running anything): `redirect(...)` (Flask `code=`, 302;
Django `permanent=True`, 301), `RedirectResponse(...)` (Starlette/FastAPI `status_code=`, 307),
`HttpResponseRedirect` (302) and `HttpResponsePermanentRedirect` (301), optionally wrapped in
`make_response(...)` (a status given as a constant or a named `status.HTTP_3xx_…`); a variable
assigned only such values; a response whose `Location` header and a constant 3xx `status_code`
are set in the function; and a call of a plain function name (a helper, resolved later by the
scanner). The summary is `[codes, helpers]`, or None.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

_DEFAULTS = {
    "redirect": 302,
    "RedirectResponse": 307,
    "HttpResponseRedirect": 302,
    "HttpResponsePermanentRedirect": 301,
}
# the positional index and keyword of an explicit status, per callable
_STATUS_ARG = {"redirect": (1, "code"), "RedirectResponse": (1, "status_code")}
_WRAPPERS = frozenset({"make_response"})
_NAMED = re.compile(r"HTTP_(\d{3})(?:_[A-Z_]+)?")

Summary = list[list[int] | list[str]]


_NESTED = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda


def own_nodes(body: list[ast.stmt]) -> Iterator[ast.AST]:
    """Every node of a function body, not descending into nested functions, classes or lambdas
    (a nested definition's own statements are its own, even at the top of the body)."""
    stack: list[ast.AST] = [node for node in reversed(body) if not isinstance(node, _NESTED)]
    while stack:
        node = stack.pop()
        yield node
        for child in reversed(list(ast.iter_child_nodes(node))):
            if not isinstance(child, _NESTED):
                stack.append(child)


def _called(node: ast.expr) -> str | None:
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _redirect_code(node: ast.expr) -> int | None:
    """The status a redirect call answers; None when it is not one or the status is not known."""
    name = _called(node)
    if name in _WRAPPERS and isinstance(node, ast.Call) and node.args:
        return _redirect_code(node.args[0])
    if name not in _DEFAULTS or not isinstance(node, ast.Call):
        return None
    code: ast.expr | None = None
    if name in _STATUS_ARG:
        index, keyword = _STATUS_ARG[name]
        code = node.args[index] if len(node.args) > index else None
        code = next((k.value for k in node.keywords if k.arg == keyword), code)
    if name == "redirect":
        permanent = next((k.value for k in node.keywords if k.arg == "permanent"), None)
        if isinstance(permanent, ast.Constant) and permanent.value is True:
            return 301
    if code is None:
        return _DEFAULTS[name]
    value = _status_value(code)
    return value if value is not None and 300 <= value < 400 else None


def _status_value(node: ast.expr) -> int | None:
    """A constant status: `303`, or a named one (`status.HTTP_303_SEE_OTHER`)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return node.value
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
    found = _NAMED.fullmatch(str(name))
    return int(found.group(1)) if found else None


def summary(node: ast.FunctionDef | ast.AsyncFunctionDef) -> Summary | None:
    """`[codes, helpers]` when every `return` of the function redirects (or calls a helper)."""
    nodes = list(own_nodes(node.body))
    returns = [n for n in nodes if isinstance(n, ast.Return)]
    if not returns:
        return None
    assigned: dict[str, list[ast.expr]] = {}
    statuses: dict[str, list[ast.expr]] = {}
    located: set[str] = set()
    for n in nodes:
        if not isinstance(n, ast.Assign):
            continue
        for target in n.targets:
            if isinstance(target, ast.Name):
                assigned.setdefault(target.id, []).append(n.value)
            elif (
                isinstance(target, ast.Attribute)
                and target.attr == "status_code"
                and isinstance(target.value, ast.Name)
            ):
                statuses.setdefault(target.value.id, []).append(n.value)
            elif (
                isinstance(target, ast.Subscript)
                and isinstance(target.value, ast.Attribute)
                and target.value.attr == "headers"
                and isinstance(target.value.value, ast.Name)
                and isinstance(target.slice, ast.Constant)
                and str(target.slice.value).lower() == "location"
            ):
                located.add(target.value.value.id)
    codes: list[int] = []
    helpers: list[str] = []
    for ret in returns:
        value = ret.value
        if value is None:
            return None
        found = _exit(value, assigned, statuses, located, helpers)
        if found is None:
            return None
        codes.extend(c for c in found if c not in codes)
    return [sorted(codes), helpers]


def _exit(
    value: ast.expr,
    assigned: dict[str, list[ast.expr]],
    statuses: dict[str, list[ast.expr]],
    located: set[str],
    helpers: list[str],
) -> list[int] | None:
    """The codes one returned expression redirects with (a helper call adds to `helpers`)."""
    code = _redirect_code(value)
    if code is not None:
        return [code]
    if isinstance(value, ast.Name):
        name = value.id
        if name in located and name in statuses:  # `r.status_code = 302; r.headers["Location"]`
            # a status computed at run time is ignored; the constants must all be 3xx
            consts = [s.value for s in statuses[name] if isinstance(s, ast.Constant)]
            if consts and all(isinstance(c, int) and 300 <= c < 400 for c in consts):
                return sorted({int(c) for c in consts if isinstance(c, int)})
            return None
        values = assigned.get(name, [])
        codes = [_redirect_code(item) for item in values]
        if values and all(c is not None for c in codes):
            return sorted({c for c in codes if c is not None})
        return None
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id:
        if value.func.id not in helpers:
            helpers.append(value.func.id)
        return []
    return None
