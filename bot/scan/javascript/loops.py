"""Loops over arrays of routers or route options: `routes.forEach(r => app.use(r.path, r.router))`.

A loop variable is not evaluated in the file: its uses become `{"each": array, "field": f}`
parts and targets, and `array` (a local or an imported name) is described element by element
in the facts of the file declaring it; `link` pairs each element with the loop's mounts.
"""

from __future__ import annotations

from typing import Any

from tree_sitter import Node

from bot.scan.javascript.values import UNKNOWN, Values, object_pairs, property_key, unwrap
from bot.scan.treesitter import field, text

_CALLBACKS = {"arrow_function", "function_expression", "function"}


def loop_of(node: Node, values: Values, imports: dict[str, Any]) -> tuple[Node, Node, Node] | None:
    """(array, loop variable pattern, body) of `X.forEach(fn)` or `for (… of X)`, X known."""
    if node.type == "for_in_statement":
        if text(field(node, "operator")) != "of":
            return None
        array, pattern, body = field(node, "right"), field(node, "left"), field(node, "body")
    elif node.type == "call_expression":
        callee = field(node, "function")
        args = field(node, "arguments")
        if callee is None or callee.type != "member_expression" or args is None:
            return None
        if text(field(callee, "property")) not in {"forEach", "map"} or not args.named_children:
            return None
        callback = unwrap(args.named_children[0])
        if callback.type not in _CALLBACKS:
            return None
        params = field(callback, "parameters") or field(callback, "parameter")
        pattern = params if params is not None and params.type == "identifier" else None
        if params is not None and pattern is None and params.named_children:
            first = params.named_children[0]
            pattern = field(first, "pattern") if first.type.endswith("_parameter") else first
        array, body = field(callee, "object"), field(callback, "body")
    else:
        return None
    if array is None or pattern is None or body is None:
        return None
    array = unwrap(array)
    member = values.consts.get(text(array)) if text(array).startswith("this.") else None
    if member is not None and unwrap(member).type == "array":
        array = unwrap(member)  # `this.routers = [new A(), new B()]` set in the constructor
    known = array.type == "array" or (
        array.type == "identifier" and (text(array) in values.consts or text(array) in imports)
    )
    return (array, pattern, body) if known or _imported_member(array, imports) else None


def loop_key(array: Node, imports: dict[str, Any]) -> dict[str, Any]:
    """What `link` looks the array up by: a name of this file, or an import binding."""
    member = _imported_member(array, imports)
    if member is not None:
        return {"import": member}
    if array.type == "identifier" and text(array) in imports:
        return {"import": imports[text(array)]}
    if array.type == "identifier":
        return {"local": text(array)}
    row, col = array.start_point
    return {"local": f"@{row + 1}:{col}"}


def _imported_member(node: Node, imports: dict[str, Any]) -> dict[str, str] | None:
    """`routes.list` where `routes` is a whole imported module: the binding of its `list`."""
    obj = field(node, "object") if node.type == "member_expression" else None
    bound = imports.get(text(obj)) if obj is not None and obj.type == "identifier" else None
    if bound is None or bound["name"] not in {"default", "*"}:
        return None
    return {"source": bound["source"], "name": text(field(node, "property"))}


def loop_vars(pattern: Node, key: dict[str, Any]) -> dict[str, tuple[dict[str, Any], str | None]]:
    """Names a loop variable pattern binds: `r` → the element, `{ path, router: r }` → fields."""
    if pattern.type == "identifier":
        return {text(pattern): (key, None)}
    out: dict[str, tuple[dict[str, Any], str | None]] = {}
    if pattern.type == "object_pattern":
        for child in pattern.named_children:
            if child.type == "shorthand_property_identifier_pattern":
                out[text(child)] = (key, text(child))
            elif child.type == "pair_pattern":
                name, value = property_key(field(child, "key")), field(child, "value")
                if name is not None and value is not None and value.type == "identifier":
                    out[text(value)] = (key, name)
    return out


def describe(node: Node, values: Values, target: Any) -> dict[str, Any]:
    """One array element for `link`: its fields' path parts and mount targets, route options.

    `target` is the reader's `target(node)` (what a mount argument refers to).
    """
    node = unwrap(node)
    if node.type == "identifier" and text(node) in values.consts:
        const = unwrap(values.consts[text(node)])
        if const.type == "object":
            node = const
    if node.type == "new_expression":
        constructor = field(node, "constructor")
        arguments = field(node, "arguments")
        args = [c for c in arguments.named_children if c.type != "comment"] if arguments else []
        built = target(constructor) if constructor is not None else None
        if built is not None:
            return {"new": built, "args": [values.parts(arg) or [] for arg in args]}
    if node.type != "object":
        return {"target": target(node), "parts": values.parts(node)}
    fields: dict[str, Any] = {}
    for key, value in object_pairs(node).items():
        fields[key] = {"parts": values.parts(value), "target": target(value)}
    out: dict[str, Any] = {"fields": fields}
    literal = values.literal(node)
    if isinstance(literal, dict) and literal is not UNKNOWN:
        out["literal"] = {k: v for k, v in literal.items() if k in {"method", "schema"}}
    handler = object_pairs(node).get("handler")
    if handler is not None and unwrap(handler).type in {"identifier", "member_expression"}:
        out["handler"] = text(unwrap(handler))
    return out
