"""Spring functional routing (`RouterFunctions.route(…)`, `route().GET(…)` builders) read as facts.

A method returning `RouterFunction<…>` is evaluated statically: each route becomes
{"verbs": [...] | None, "path": [expr, ...], "handler": str, "line": int}, the path pieces
(nest/path prefixes, then the route's own pattern) resolved and joined in `link`. A call to
another method of the class (`.add(userRoutes())`) is kept as {"include": name, "path": [...]}.
`verbs` None means a predicate without a method (`path("/x")`): every method, as for a bare
`@RequestMapping`. WebClient/RestTemplate/Security calls never reach this code: only methods
returning `RouterFunction` are read, and only the routing names below count inside them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tree_sitter import Node

from bot.scan.java.extract import annotations_of, expr, type_desc
from bot.scan.treesitter import field, line_of, text, walk

_VERBS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}
_HOLDERS = {"RouterFunctions", "RequestPredicates", "RouterFunction"}
_CODE = {"method_invocation", "lambda_expression", "method_reference", "object_creation_expression"}
_MAX_DEPTH = 40

Alt = tuple[list[str] | None, list[Any]]  # (verbs or None for any, path pieces)


class _Reader:
    def __init__(self, owner: str, method: str, scope: dict[str, str]) -> None:
        self.owner, self.method, self.scope = owner, method, scope

    def routes(self, node: Node | None, prefix: list[Any], depth: int = 0) -> list[dict[str, Any]]:
        node = _unwrap(node)
        if node is None or depth > _MAX_DEPTH:
            return []
        if node.type == "lambda_expression":  # builder `b -> b.GET(…)` or supplier `() -> route…`
            body = field(node, "body")
            if body is not None and body.type == "block":
                return [
                    route
                    for statement in body.named_children
                    if statement.type in {"expression_statement", "return_statement"}
                    for child in statement.named_children
                    for route in self.routes(child, prefix, depth + 1)
                ]
            return self.routes(body, prefix, depth + 1)
        if node.type != "method_invocation":
            return []
        name, obj, args = _call(node)
        obj = None if obj is not None and obj.type == "this" else obj
        chained = obj is not None and text(obj).rsplit(".", 1)[-1] not in _HOLDERS
        out = self.routes(obj, prefix, depth + 1) if chained else []
        if name in {"route", "andRoute"} and len(args) == 2:
            for verbs, path in self.predicate(args[0]):
                out.append(self._route(verbs, prefix + path, args[1], node))
        elif name in {"nest", "andNest"} and len(args) >= 2:  # springdoc adds an ops consumer
            for _, path in self.predicate(args[0]):
                out += self.routes(args[1], prefix + path, depth + 1)
        elif name == "path" and chained and len(args) >= 2:
            out += self.routes(args[1], [*prefix, expr(args[0])], depth + 1)
        elif name in _VERBS and chained and args:
            # GET(handler), GET(pattern, handler), GET(predicate, handler), GET(pattern, pred, h)
            # springdoc's SpringdocRouteBuilder adds an operations consumer after the handler
            pattern = [expr(args[0])] if len(args) > 1 and args[0].type not in _CODE else []
            handlers = [a for a in args[len(pattern) :] if a.type == "method_reference"]
            out.append(self._route([name], prefix + pattern, (handlers or args)[-1], node))
        elif name in {"add", "and", "andOther"} and len(args) == 1:
            out += self.routes(args[0], prefix, depth + 1)
        elif obj is None and name not in {"route", "nest"} and name[:1].islower():
            out.append({"include": name, "path": prefix, "line": line_of(node)})
        return out

    def predicate(self, node: Node | None, depth: int = 0) -> list[Alt]:
        node = _unwrap(node)
        if node is None or node.type != "method_invocation" or depth > _MAX_DEPTH:
            return [(None, [])]
        name, obj, args = _call(node)
        chained = obj is not None and text(obj).rsplit(".", 1)[-1] not in _HOLDERS
        if name in {"and", "or"} and chained and len(args) == 1:
            left, right = self.predicate(obj, depth + 1), self.predicate(args[0], depth + 1)
            if name == "or":
                return left + right
            return [
                (_both(lv, rv), lp or rp)  # both paths must match the same request path
                for lv, lp in left
                for rv, rp in right
            ]
        if chained:  # `.negate()` and friends keep what they wrap
            return self.predicate(obj, depth + 1)
        if name in _VERBS:
            return [([name], [expr(args[0])] if args else [])]
        if name == "path" and args:
            return [(None, [expr(args[0])])]
        if name == "method" and args:
            return [([text(a).rsplit(".", 1)[-1].upper() for a in args], [])]
        return [(None, [])]  # accept(…), contentType(…), headers(…), all()

    def _route(
        self, verbs: list[str] | None, path: list[Any], handler: Node, call: Node
    ) -> dict[str, Any]:
        line = line_of(call)
        return {"verbs": verbs, "path": path, "handler": self.handler(handler), "line": line}

    def handler(self, node: Node) -> str:
        node = _unwrap(node) or node
        if node.type == "method_reference" and node.named_children:
            receiver = text(node.named_children[0])
            name = text(node.named_children[-1])
            if receiver == "this":
                receiver = self.owner
            return f"{self.scope.get(receiver, receiver)}.{name}"
        return f"{self.owner}.{self.method}"


def _unwrap(node: Node | None) -> Node | None:
    while node is not None and node.type in {"parenthesized_expression", "cast_expression"}:
        node = node.named_children[-1] if node.named_children else None
    return node


def _call(node: Node) -> tuple[str, Node | None, list[Node]]:
    arguments = field(node, "arguments")
    args = [c for c in arguments.named_children if c.type != "comment"] if arguments else []
    return text(field(node, "name")), field(node, "object"), args


def _both(left: list[str] | None, right: list[str] | None) -> list[str] | None:
    if left is None or right is None:
        return left if right is None else right
    return [v for v in left if v in right]


def routers(body: Node, owner: str, fields: dict[str, str]) -> list[dict[str, Any]]:
    """Router facts of a class body: each method returning `RouterFunction`, evaluated."""
    out = []
    for member in body.named_children:
        if member.type != "method_declaration":
            continue
        if type_desc(field(member, "type")).get("name") != "RouterFunction":
            continue
        name = text(field(member, "name"))
        scope = dict(fields)
        parameters = field(member, "parameters")
        for param in parameters.named_children if parameters is not None else []:
            if param.type == "formal_parameter":
                scope[text(field(param, "name"))] = type_desc(field(param, "type")).get("name", "")
        reader = _Reader(owner, name, scope)
        routes: list[dict[str, Any]] = []
        code = field(member, "body")
        for statement in code.named_children if code is not None else []:
            if statement.type == "return_statement" and statement.named_children:
                routes += reader.routes(statement.named_children[0], [])
        out.append(
            {
                "name": name,
                "bean": any(a["name"] == "Bean" for a in annotations_of(member)),
                "routes": routes,
            }
        )
    return out


def add_routers(root: Node, facts: dict[str, Any]) -> None:
    """Attach `routers` to each class of `facts` that declares `RouterFunction` methods, and
    `group_nests` to each class that nests routers under a computed `path(…)`."""
    for node in walk(root):
        if node.type != "class_declaration":
            continue
        name, body = text(field(node, "name")), field(node, "body")
        info = facts["types"].get(name)
        if info is None or body is None or "routers" in info:
            continue
        fields = {f["name"]: f["type"].get("name", "") for f in info["fields"]}
        found = routers(body, name, fields)
        if found:
            info["routers"] = found
        nests = group_nests(body)
        if nests:
            info["group_nests"] = nests


def group_nests(body: Node) -> list[dict[str, Any]]:
    """`nest(path("/apis/" + gv), …)` where the path is computed: its literal lead, and the
    methods the class calls (the endpoint interface's methods, when it collects them)."""
    leads: list[str] = []
    calls: set[str] = set()
    for node in walk(body):
        if node.type == "method_reference" and node.named_children:
            calls.add(text(node.named_children[-1]))  # `m::routes` calls `routes()` too
        if node.type != "method_invocation":
            continue
        name, _, args = _call(node)
        calls.add(name)
        if name != "path" or len(args) != 1:
            continue
        arg = _unwrap(args[0])
        if arg is None:
            continue
        if arg.type in {"method_invocation", "identifier"}:
            leads.append("")
        elif arg.type == "binary_expression" and text(field(arg, "operator")) == "+":
            left = field(arg, "left")
            right = field(arg, "right")
            if left is not None and left.type == "string_literal" and right is not None:
                leads.append(expr(left)["s"])
    return [{"lead": lead, "calls": sorted(calls)} for lead in dict.fromkeys(leads)]


def bean_routes(
    info: dict[str, Any], served: Mapping[str, list[Any]] | None = None
) -> list[dict[str, Any]]:
    """The routes of a class's `@Bean` router methods, calls to its other router methods inlined.

    `served` names other router methods that are served (a component's implementation of an
    endpoint interface), each with the path pieces its routes are nested under.
    """
    served = served or {}
    by_name = {r["name"]: r for r in info.get("routers", [])}

    def expand(routes: list[dict[str, Any]], prefix: list[Any], seen: tuple[str, ...]) -> list[Any]:
        out: list[dict[str, Any]] = []
        for route in routes:
            if "include" not in route:
                out.append({**route, "path": prefix + route["path"]})
            elif route["include"] in by_name and route["include"] not in seen:
                inner = by_name[route["include"]]
                out += expand(inner["routes"], prefix + route["path"], (*seen, inner["name"]))
        return out

    return [
        route
        for router in by_name.values()
        if router["bean"] or router["name"] in served
        for route in expand(router["routes"], served.get(router["name"], []), (router["name"],))
    ]
