"""Facts of NestJS controllers, modules, DTO classes and enums in one TypeScript file."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from tree_sitter import Node

from bot.scan.javascript.modules import Binding
from bot.scan.javascript.values import Values, object_pairs, property_key, string_value, unwrap
from bot.scan.treesitter import field, line_of, text, walk

HTTP_DECORATORS = {"Get", "Post", "Put", "Patch", "Delete", "Options", "Head", "All"}
# @nestjs/swagger's default security scheme names.
_SCHEMES = {"ApiBearerAuth": "bearer", "ApiBasicAuth": "basic", "ApiOAuth2": "oauth2"}
_PARAM_DECORATORS = {"Param": "path", "Query": "query", "Body": "body", "Headers": "header"}


def decorators(node: Node) -> list[tuple[str, list[Node], int]]:
    """(name, argument nodes, line) of each decorator on `node` (and its export statement)."""
    found = [child for child in node.children if child.type == "decorator"]
    if node.parent is not None and node.parent.type == "export_statement":
        found = [c for c in node.parent.children if c.type == "decorator"] + found
    sibling = node.prev_sibling
    while sibling is not None and sibling.type in {"decorator", "comment"}:
        if sibling.type == "decorator":
            found.insert(0, sibling)  # method decorators are siblings in a class body
        sibling = sibling.prev_sibling
    out = []
    for decorator in found:
        inner = decorator.named_children[0] if decorator.named_children else None
        if inner is None:
            continue
        args: list[Node] = []
        if inner.type == "call_expression":
            arguments = field(inner, "arguments")
            args = list(arguments.named_children) if arguments is not None else []
            inner = field(inner, "function") or inner
        name = text(inner).rsplit(".", 1)[-1]
        out.append((name, args, line_of(decorator)))
    return out


def ts_type(node: Node | None) -> dict[str, Any]:
    """A JSON-able description of a TypeScript type annotation; `link` turns it into a schema."""
    if node is None:
        return {}
    if node.type == "type_annotation" and node.named_children:
        node = node.named_children[0]
    kind = node.type
    if kind == "predefined_type":
        return {"name": text(node)}
    if kind == "type_identifier":
        return {"name": text(node)}
    if kind == "array_type" and node.named_children:
        return {"array": ts_type(node.named_children[0])}
    if kind == "generic_type":
        name = text(field(node, "name"))
        args = field(node, "type_arguments")
        first = ts_type(args.named_children[0]) if args is not None and args.named_children else {}
        if name in {"Array", "ReadonlyArray", "Set"}:
            return {"array": first}
        if name in {"Promise", "Observable", "Partial", "Readonly"}:
            return first
        return {"name": name}
    if kind == "union_type":
        members = [m for m in node.named_children if text(m) not in {"null", "undefined"}]
        literals = [m for m in members if m.type == "literal_type"]
        if members and len(literals) == len(members):
            return {
                "enum": [
                    string_value(m.named_children[0])
                    for m in literals
                    if m.named_children and m.named_children[0].type == "string"
                ]
            }
        return ts_type(members[0]) if len(members) == 1 else {}
    if kind == "literal_type" and node.named_children and node.named_children[0].type == "string":
        return {"enum": [string_value(node.named_children[0])]}
    if kind == "parenthesized_type" and node.named_children:
        return ts_type(node.named_children[0])
    return {}


_EXCLUDE = frozenset({"ApiExcludeController", "ApiExcludeEndpoint"})


class NestReader:
    """Controllers, DTO classes and enums of one file, with import-aware decorator names."""

    def __init__(self, values: Values, imports: dict[str, Binding]) -> None:
        self.values = values
        self.imports = imports
        self.opaque = False
        self.controllers: list[dict[str, Any]] = []
        self.classes: dict[str, dict[str, Any]] = {}
        self.enums: dict[str, list[Any]] = {}
        self.modules: dict[str, list[str]] = {}
        self.router: list[dict[str, Any]] = []

    def _nest(self, name: str) -> str | None:
        """The @nestjs/common export a local decorator name refers to, if it is one."""
        bound = self.imports.get(name)
        return bound["name"] if bound and bound["source"] == "@nestjs/common" else None

    def read(self, root: Node) -> dict[str, Any]:
        for node in walk(root):
            if node.type in {"class_declaration", "abstract_class_declaration"}:
                self._class(node)
            elif node.type == "enum_declaration":
                self.enums[text(field(node, "name"))] = self._enum(node)
            elif node.type == "call_expression" and self._is_router_register(node):
                args = field(node, "arguments")
                if args is not None and args.named_children:
                    self.router += self._route_trees(args.named_children[0])
        return {
            "controllers": self.controllers,
            "classes": self.classes,
            "enums": self.enums,
            "modules": self.modules,
            "router": self.router,
            "opaque_modules": self.opaque,
        }

    def _is_router_register(self, node: Node) -> bool:
        callee = field(node, "function")
        if callee is None or callee.type != "member_expression":
            return False
        obj = field(callee, "object")
        bound = self.imports.get(text(obj)) if obj is not None else None
        return (
            bound is not None
            and bound == {"source": "@nestjs/core", "name": "RouterModule"}
            and text(field(callee, "property")) == "register"
        )

    def _route_trees(self, node: Node, depth: int = 0) -> list[dict[str, Any]]:
        """`RouterModule.register([{ path, module, children }])` → the same tree, names as text."""
        node = self._const(node)
        if node.type != "array" or depth > 8:
            return []
        out: list[dict[str, Any]] = []
        for item in map(self._const, node.named_children):
            if item.type == "identifier":  # a child given as a bare module: the parent's path
                out.append({"path": None, "module": text(item), "children": []})
                continue
            if item.type != "object":
                continue
            pairs = object_pairs(item)
            path = self.values.parts(pairs["path"]) if "path" in pairs else None
            module = pairs.get("module")
            children = pairs.get("children")
            out.append(
                {
                    "path": path or [],
                    "module": text(unwrap(module)) if module is not None else None,
                    "children": self._route_trees(children, depth + 1) if children else [],
                }
            )
        return out

    def _const(self, node: Node) -> Node:
        node = unwrap(node)
        if node.type == "identifier" and text(node) in self.values.consts:
            return unwrap(self.values.consts[text(node)])
        return node

    def _enum(self, node: Node) -> list[Any]:
        body = field(node, "body")
        values: list[Any] = []
        for index, member in enumerate(body.named_children if body is not None else []):
            value = field(member, "value") if member.type == "enum_assignment" else None
            values.append(index if value is None else self.values.literal(value))
        return values

    def _class(self, node: Node) -> None:
        name = text(field(node, "name"))
        marks = decorators(node)
        self.classes[name] = {
            "line": line_of(node),
            "extends": _extends(node),
            "props": self._props(node),
        }
        module = next((d for d in marks if self._nest(d[0]) == "Module"), None)
        if module is not None and module[1] and unwrap(module[1][0]).type == "object":
            listed = object_pairs(module[1][0]).get("controllers")
            value = self._const(listed) if listed is not None else None
            items = value.named_children if value is not None else []
            self.modules[name] = [text(item) for item in items if item.type == "identifier"]
            if value is not None and (
                value.type != "array" or len(self.modules[name]) < len(items)
            ):
                self.opaque = True  # a list we cannot read: every controller may be in it
        controller = next((d for d in marks if self._nest(d[0]) == "Controller"), None)
        if controller is None:
            return
        self.controllers.append(
            {
                "name": name,
                "line": line_of(node),
                "paths": self._controller_paths(controller[1]),
                "version": self._controller_version(controller[1]),
                **self._meta(marks),
                "methods": self._methods(node),
            }
        )

    def _controller_paths(self, args: list[Node]) -> list[Any]:
        if not args:
            return [[]]
        first = unwrap(args[0])
        if first.type == "object":
            path = object_pairs(first).get("path")
            return self._paths(path) if path is not None else [[]]
        return self._paths(first)

    def _controller_version(self, args: list[Node]) -> list[Any] | None:
        """`@Controller({ path, version })`: the versions, None when not given (`host` ignored)."""
        if not args or unwrap(args[0]).type != "object":
            return None
        version = object_pairs(args[0]).get("version")
        return versions(self.values, version) if version is not None else None

    def _paths(self, node: Node | None) -> list[Any]:
        if node is None:
            return [[]]
        node = unwrap(node)
        if node.type == "array":
            return [p for child in node.named_children for p in self._paths(child)]
        return [self.values.parts(node) or []]

    def _meta(self, marks: list[tuple[str, list[Node], int]]) -> dict[str, Any]:
        tags: list[str] = []
        security: list[str] = []
        statuses: list[int] = []
        status = None
        hidden = False
        for name, args, _line in marks:
            if name in _EXCLUDE:  # @nestjs/swagger: served, left out of the document
                hidden = not args or self.values.literal(args[0]) is not False
            elif name == "ApiTags":
                tags += [v for a in args if isinstance(v := self.values.string(a), str)]
            elif name == "UseGuards":
                security += [_guard_name(arg) for arg in args]
            elif name in {"ApiBearerAuth", "ApiSecurity", "ApiBasicAuth", "ApiOAuth2"}:
                scheme = self.values.string(args[0]) if args else None
                security.append(scheme or _SCHEMES.get(name, name))
            elif self._nest(name) == "HttpCode" and args:
                value = self.values.literal(args[0])
                status = value if isinstance(value, int) else _http_status(text(args[0]))
            elif name == "ApiResponse" and args and unwrap(args[0]).type == "object":
                value = self.values.literal(object_pairs(args[0]).get("status", args[0]))
                if isinstance(value, int):
                    statuses.append(value)
        return {
            "tags": tags,
            "security": security,
            "status": status,
            "statuses": statuses,
            "hidden": hidden,
        }

    def _methods(self, node: Node) -> list[dict[str, Any]]:
        body = field(node, "body")
        out: list[dict[str, Any]] = []
        for member in body.named_children if body is not None else []:
            if member.type != "method_definition":
                continue
            marks = decorators(member)
            verbs = [(self._nest(n), a) for n, a, _ in marks if self._nest(n) in HTTP_DECORATORS]
            if not verbs:
                continue
            out.append(
                {
                    "name": text(field(member, "name")),
                    "line": line_of(member),
                    "routes": [
                        {
                            "method": str(verb).lower(),
                            "paths": self._paths(args[0]) if args else [[]],
                        }
                        for verb, args in verbs
                    ],
                    "version": next(
                        (
                            versions(self.values, args[0])
                            for n, args, _ in marks
                            if self._nest(n) == "Version" and args
                        ),
                        None,
                    ),
                    "params": self._params(member),
                    "returns": ts_type(field(member, "return_type")),
                    **self._meta(marks),
                }
            )
        return out

    def _params(self, method: Node) -> list[dict[str, Any]]:
        params = field(method, "parameters")
        out = []
        for param in params.named_children if params is not None else []:
            for name, args, _line in decorators(param):
                kind = _PARAM_DECORATORS.get(self._nest(name) or "")
                if kind is None:
                    continue
                key = self.values.string(args[0]) if args else None
                pipes = [text(a) for a in args[1 if key is not None else 0 :]]
                out.append(
                    {
                        "kind": kind,
                        "name": key,
                        "type": ts_type(field(param, "type")),
                        "pipes": pipes,
                        "optional": param.type == "optional_parameter",
                    }
                )
        return out

    def _props(self, node: Node) -> list[dict[str, Any]]:
        body = field(node, "body")
        props = []
        for member in body.named_children if body is not None else []:
            if member.type != "public_field_definition":
                continue
            if any(
                c.type in {"static", "accessibility_modifier"} and text(c) != "public"
                for c in member.children
            ):
                continue
            marks = decorators(member)
            props.append(
                {
                    "name": property_key(field(member, "name")) or text(field(member, "name")),
                    "type": ts_type(field(member, "type")),
                    "optional": any(c.type == "?" for c in member.children),
                    "decorators": [n for n, _, _ in marks],
                    "each": any("each" in text(a) for _, args, _ in marks for a in args),
                }
            )
        return props


def versions(values: Values, node: Node) -> list[Any]:
    """Nest version values: `'1'`, `['1', '2']`, `VERSION_NEUTRAL` → path parts, None = neutral."""
    node = unwrap(node)
    if node.type == "array":
        return [v for child in node.named_children for v in versions(values, child)]
    if text(node).rsplit(".", 1)[-1] == "VERSION_NEUTRAL":
        return [None]
    if node.type == "number":
        return [[text(node)]]
    return [values.parts(node) or [{"unknown": text(node)[:80], "line": line_of(node)}]]


def _extends(node: Node) -> dict[str, Any] | None:
    for heritage in node.named_children:
        if heritage.type != "class_heritage":
            continue
        for clause in heritage.named_children:
            value = field(clause, "value") if clause.type == "extends_clause" else None
            if value is None:
                continue
            if value.type == "call_expression":
                args = field(value, "arguments")
                inner = args.named_children[0] if args is not None and args.named_children else None
                return {"name": text(inner), "wrapper": text(field(value, "function"))}
            return {"name": text(value), "wrapper": None}
    return None


def _guard_name(node: Node) -> str:
    """`JwtAuthGuard` → "JwtAuthGuard"; `AuthGuard('jwt')` → "AuthGuard:jwt"."""
    node = unwrap(node)
    if node.type == "new_expression":
        node = field(node, "constructor") or node
    if node.type == "call_expression":
        args = field(node, "arguments")
        first = args.named_children[0] if args is not None and args.named_children else None
        callee = text(field(node, "function"))
        return (
            f"{callee}:{string_value(first)}"
            if first is not None and first.type == "string"
            else callee
        )
    return text(node)


def _http_status(source: str) -> int | None:
    name = source.rsplit(".", 1)[-1]
    return HTTPStatus[name].value if name in HTTPStatus.__members__ else None
