"""Facts of one JavaScript/TypeScript file: router/app/plugin objects, routes, mounts, modules."""

from __future__ import annotations

from typing import Any

from tree_sitter import Node

from bot.scan.javascript import modules
from bot.scan.javascript.loops import describe, loop_key, loop_of, loop_vars
from bot.scan.javascript.routes import RouteReader
from bot.scan.javascript.values import Values, object_pairs, string_value, unwrap
from bot.scan.treesitter import field, line_of, text, walk, warning

_FUNCTIONS = {
    "function_declaration",
    "function_expression",
    "function",
    "arrow_function",
    "generator_function_declaration",
    "generator_function",
    "method_definition",
}
_DECLARATIONS = {"lexical_declaration", "variable_declaration"}
_CLASSES = {"class_declaration", "abstract_class_declaration", "class"}
_FIELDS = {"public_field_definition", "field_definition"}
# Parameter types that make a function's first parameter an Express app or router.
_EXPRESS_TYPES = {"Application", "Express", "Router", "IRouter"}
_MAX_ELEMENTS = 200  # arrays described for loops over them; longer ones are data, not routes


class FileReader(RouteReader):
    """One pass over a file's tree, tracking which names are apps, routers or plugin instances."""

    def __init__(self, root: Node) -> None:
        consts: dict[str, Node] = {}
        imports: dict[str, modules.Binding] = {}
        self._prepass(root, consts, imports)
        super().__init__(Values(consts, set(imports)), imports)
        for name, value in consts.items():
            if self.env_schema_call(value) is not None:
                self.values.env_objects.add(name)
        self.exports: dict[str, Any] = {}
        self.star_exports: list[str] = []
        self.top: dict[str, str] = {}

    def _prepass(self, root: Node, consts: dict[str, Node], imports: dict[str, Any]) -> None:
        for statement in root.named_children:
            if statement.type == "export_statement":
                statement = field(statement, "declaration") or statement
            if statement.type == "import_statement":
                imports.update(modules.import_statement(statement))
            if statement.type not in _DECLARATIONS:
                continue
            for declarator in statement.named_children:
                name, value = field(declarator, "name"), field(declarator, "value")
                if name is None or value is None:
                    continue
                source = modules.require_source(value)
                if source is not None:
                    imports.update(modules.require_pattern(name, source))
                elif name.type == "identifier":
                    consts[text(name)] = value

    def facts(self) -> dict[str, Any]:
        return {
            "imports": self.imports,
            "exports": self.exports,
            "star_exports": self.star_exports,
            "consts": self.exported_consts(),
            "containers": self.containers,
            "top": self.top,
            "routes": self.routes,
            "mounts": self.mounts,
            "nest_app": self.nest_app,
            "arrays": self.arrays,
            "env_defaults": self.env_defaults,
            "env_exports": sorted(
                {key for key, entry in self.exports.items() if self._is_env_object(entry)}
            ),
            "warnings": self.warnings,
        }

    def _is_env_object(self, entry: dict[str, Any]) -> bool:
        return entry.get("local") in self.values.env_objects or entry.get("env") is True

    def exported_consts(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, node in self.values.consts.items():
            if "." in name:
                continue
            parts = self.values.parts(node)
            if parts is not None and all(isinstance(part, str) for part in parts):
                out[name] = "".join(str(part) for part in parts)
            elif unwrap(node).type == "object":
                value = self.values.literal(node)
                strings = {k: v for k, v in value.items() if isinstance(v, str)}
                if strings:
                    out[name] = strings
        return out

    def read(self, root: Node) -> None:
        scope: dict[str, str] = {}
        _hoist(root, scope)
        self.visit(root, scope, None)
        for name, cid in self.top.items():
            self.containers[cid].setdefault("name", name)

    # --- traversal -------------------------------------------------------------------------
    def visit(self, node: Node, scope: dict[str, str], fn: str | None) -> None:
        kind = node.type
        if kind in _FUNCTIONS:
            self._function(node, scope, None)
            return
        if kind in _DECLARATIONS:
            for declarator in node.named_children:
                if declarator.type == "variable_declarator":
                    self._declarator(declarator, scope, fn)
            return
        if kind == "export_statement":
            self._export(node, scope, fn)
            return
        if kind in _CLASSES:
            self._class(node, scope, fn)
            return
        if kind == "assignment_expression":
            self._assignment(node, scope, fn)
            return
        if kind == "return_statement" and fn is not None and node.named_children:
            cid = self.container_of(node.named_children[0], scope)
            if cid is not None:
                self.containers[fn]["returns"] = cid
        if kind in {"for_in_statement", "call_expression"}:
            loop = loop_of(node, self.values, self.imports)
            if loop is not None:
                self._loop(*loop, scope, fn)
                return
        if kind == "call_expression":
            self.call(node, scope)
        for child in node.named_children:
            self.visit(child, scope, fn)

    def _loop(
        self, array: Node, pattern: Node, body: Node, scope: dict[str, str], fn: str | None
    ) -> None:
        """The body once, its loop variable standing for every element (see `loops`)."""
        key = loop_key(array, self.imports)
        if array.type == "array":
            self.describe_array(key["local"], array, scope)
        self.visit(array, scope, fn)
        saved = dict(self.values.loop_vars)
        self.values.loop_vars.update(loop_vars(pattern, key))
        inner = {k: v for k, v in scope.items() if k not in self.values.loop_vars}
        try:
            self.visit(body, inner, fn)
        finally:
            self.values.loop_vars = saved

    def describe_array(self, name: str, array: Node, scope: dict[str, str]) -> None:
        elements = array.named_children[:_MAX_ELEMENTS]
        self.arrays[name] = [
            describe(element, self.values, lambda node: self.target(node, scope))
            for element in elements
            if element.type != "comment"
        ]

    def _class(self, node: Node, scope: dict[str, str], fn: str | None) -> None:
        """`this.router = Router()` / `router = Router()` members and `path = '/x'` fields."""
        body = field(node, "body")
        if body is None:
            return
        label = text(field(node, "name")) or "class"
        inner = dict(scope)
        consts = self.values.consts
        saved = {key: consts.pop(key) for key in [k for k in consts if k.startswith("this.")]}
        shape = self._class_shape(node, body, label, scope)
        for member, value in _class_members(body):
            created = self.creation(value)
            if created is None:
                consts.setdefault(f"this.{member}", value)
                continue
            row, col = value.start_point
            cid = f"{label}.{member}@{row + 1}:{col}"
            name = f"{label}.{member}"
            self.containers[cid] = {"kind": created, "line": row + 1, "name": name}
            self.created.setdefault(self.chain_start(value).id, cid)
            inner[f"this.{member}"] = cid
            shape["members"][member] = cid
        for member, value in _class_members(body):
            parts = self.values.parts(value) if f"this.{member}" in consts else None
            if parts is not None and unwrap(value).type != "identifier":
                shape["fields"][member] = parts
        try:
            self.visit(body, inner, fn)
        finally:
            for key in [k for k in consts if k.startswith("this.")]:
                del consts[key]
            consts.update(saved)
        for member, function in _class_functions(body):
            if function.id in self.fn_ids:
                shape["methods"][member] = self.fn_ids[function.id]

    def _express_type(self, annotation: str) -> bool:
        """`Application`/`Router` imported from express, or `express.Application`."""
        if annotation.startswith("express."):
            return annotation.removeprefix("express.") in _EXPRESS_TYPES
        bound = self.imports.get(annotation)
        return annotation in _EXPRESS_TYPES and bound is not None and bound["source"] == "express"

    def _class_shape(
        self, node: Node, body: Node, label: str, scope: dict[str, str]
    ) -> dict[str, Any]:
        """The class as a container: what `new Label(…)` gives a loop over instances.

        `fields` are string members (`path = '/users'`), `members` router members, `methods`
        the function containers of its methods; `param_fields` members set from constructor
        parameters (`this.path = path`), `super_args` what it hands its base class.
        """
        row, col = node.start_point
        cid = f"class:{label}@{row + 1}:{col}"
        shape: dict[str, Any] = {
            "kind": "class",
            "line": row + 1,
            "name": label,
            "fields": {},
            "members": {},
            "methods": {},
            "param_fields": {},
            "super_args": [],
        }
        heritage = next((c for c in node.named_children if c.type == "class_heritage"), None)
        if heritage is not None and heritage.named_children:
            clause = heritage.named_children[0]
            base = field(clause, "value") if clause.type == "extends_clause" else clause
            if base is None and clause.named_children:
                base = clause.named_children[0]
            target = self.target(base, scope) if base is not None else None
            if target is not None:
                shape["extends"] = target
        ctor = next(
            (
                m
                for m in body.named_children
                if m.type == "method_definition" and text(field(m, "name")) == "constructor"
            ),
            None,
        )
        params = [p[0] if p else None for p in _params(ctor)] if ctor is not None else []
        for statement in walk(ctor) if ctor is not None else []:
            if (
                statement.type == "call_expression"
                and text(field(statement, "function")) == "super"
            ):
                for arg in _call_args(statement):
                    name = text(unwrap(arg))
                    if unwrap(arg).type == "identifier" and name in params:
                        shape["super_args"].append({"param": params.index(name)})
                    else:
                        shape["super_args"].append({"parts": self.values.parts(arg) or []})
            elif statement.type == "assignment_expression":
                left, right = field(statement, "left"), field(statement, "right")
                obj = field(left, "object") if left is not None else None
                if obj is None or obj.type != "this" or right is None:
                    continue
                if unwrap(right).type == "identifier" and text(unwrap(right)) in params:
                    member = text(field(left, "property"))  # type: ignore[arg-type]
                    shape["param_fields"][member] = params.index(text(unwrap(right)))
        self.containers[cid] = shape
        declared = field(node, "name")
        if declared is not None and node.type != "class":
            scope[text(declared)] = cid
            if node.parent is not None and node.parent.type in {"program", "export_statement"}:
                self.top[text(declared)] = cid
        return shape

    def _function(self, node: Node, scope: dict[str, str], name: str | None, **flags: Any) -> str:
        if node.id in self.fn_ids:
            return self.fn_ids[node.id]
        row, col = node.start_point
        cid = f"fn@{row + 1}:{col}"
        self.fn_ids[node.id] = cid
        declared = field(node, "name")
        label = name or (text(declared) if declared is not None else None)
        info: dict[str, Any] = {"kind": "function", "line": row + 1, **flags}
        if label:
            info["name"] = label
        inner = dict(scope)
        params = _params(node)
        if params and params[0] is not None:
            pattern, annotation = params[0]
            inner[pattern] = cid
            info["param"] = pattern
            if "Fastify" in annotation:
                info["known"] = "fastify"
            elif self._express_type(annotation.lstrip(": ")):
                info["known"] = "express"
        if "Fastify" in text(field(node, "return_type")):
            info["known"] = "fastify"
        self.containers[cid] = info
        for index, param in enumerate(params[1:], start=1):
            if param is not None:  # `mount(app, router)`: a router handed in as a later argument
                inner[param[0]] = f"{cid}#{index}"
                self.containers[f"{cid}#{index}"] = {
                    "kind": "function",
                    "line": row + 1,
                    "name": f"{label or 'function'}({param[0]})",
                    "param": param[0],
                }
        if declared is not None and node.type.endswith("declaration"):
            scope[text(declared)] = cid
            if node.parent is not None and node.parent.type in {"program", "export_statement"}:
                self.top[text(declared)] = cid
        body = field(node, "body")
        options = params[1][0] if len(params) > 1 and params[1] is not None else None
        saved = set(self.values.option_params)
        if options is not None:
            self.values.option_params.add(options)
        try:
            if body is not None:
                _hoist(body, inner)
                self.visit(body, inner, cid)
        finally:
            self.values.option_params = saved
        return cid

    def _declarator(self, node: Node, scope: dict[str, str], fn: str | None) -> None:
        name, value = field(node, "name"), field(node, "value")
        if value is None:
            return
        if name is None or name.type != "identifier":
            self.visit(value, scope, fn)
            return
        cid = self.bind(text(name), value, scope, fn, field(node, "type"))
        if cid is not None:
            scope[text(name)] = cid
            if fn is None:
                self.top[text(name)] = cid

    def bind(
        self, name: str, value: Node, scope: dict[str, str], fn: str | None, annotation: Node | None
    ) -> str | None:
        """The container a name is bound to by `name = value`, visiting `value` as needed."""
        value = unwrap(value)
        flags: dict[str, Any] = {}
        if "Fastify" in text(annotation):
            flags["known"] = "fastify"
        wrapped = self.plugin_wrapper(value)
        if wrapped is not None:
            value, flags["fp"], flags["known"] = wrapped, True, "fastify"
        if value.type in _FUNCTIONS:
            return self._function(value, scope, name, **flags)
        if value.type == "array":
            self.describe_array(name, value, scope)
        created = self.creation(value)
        if created is not None:
            start = self.chain_start(value)
            row, col = start.start_point
            cid = name if fn is None else f"{name}@{row + 1}:{col}"
            self.containers[cid] = {"kind": created, "line": row + 1, "name": name}
            self.created.setdefault(start.id, cid)
            self.visit(value, scope, fn)
            return self.created[start.id]
        self.visit(value, scope, fn)
        if value.type == "identifier" and text(value) in scope:
            return scope[text(value)]
        target = self.target(value, scope)
        if target is not None and ("call" in target or ("import" in target and "member" in target)):
            row, col = value.start_point
            cid = f"{name}@{row + 1}:{col}"
            self.containers[cid] = {"kind": "alias", "line": row + 1, "target": target}
            return cid
        return None

    def _export(self, node: Node, scope: dict[str, str], fn: str | None) -> None:
        source_node = field(node, "source")
        source = string_value(source_node) if source_node is not None else None
        declaration, value = field(node, "declaration"), field(node, "value")
        if source is not None and not any(c.type == "export_clause" for c in node.named_children):
            self.star_exports.append(source)
        self.exports.update(modules.export_clause(node, source))
        if declaration is not None:
            self.visit(declaration, scope, fn)
            for name in _declared_names(declaration):
                self.exports[name] = {"local": name}
            if any(child.type == "default" for child in node.children):
                names = _declared_names(declaration)
                if names:
                    self.exports["default"] = {"local": names[0]}
        elif value is not None:
            self._default_export(value, scope, fn)

    def _default_export(self, value: Node, scope: dict[str, str], fn: str | None) -> None:
        if self.env_schema_call(value) is not None:
            self.exports["default"] = {"env": True}
            self.visit(value, scope, fn)
            return
        cid = self.bind("default", value, scope, fn, None)
        if cid is not None:
            self.top.setdefault("<default>", cid)
            self.exports["default"] = {"container": cid}
        elif unwrap(value).type == "identifier":
            self.exports["default"] = {"local": text(unwrap(value))}

    def _assignment(self, node: Node, scope: dict[str, str], fn: str | None) -> None:
        left, right = field(node, "left"), field(node, "right")
        if left is None or right is None:
            return
        target = text(left)
        if target in {"module.exports", "exports"} and unwrap(right).type == "object":
            for key, value in object_pairs(right).items():
                self._export_value(key, value, scope, fn)
            return
        if target == "module.exports":
            self._export_value("default", right, scope, fn)
        elif (
            target.startswith(("module.exports.", "exports.")) and left.type == "member_expression"
        ):
            self._export_value(text(field(left, "property")), right, scope, fn)
        elif left.type == "identifier" and self.creation(right) is not None:
            # `let app; … app = express()`: the name is bound from here on.
            cid = self.bind(target, right, scope, fn, None)
            if cid is not None:
                scope[target] = cid
                if fn is None:
                    self.top[target] = cid
        else:
            self.visit(right, scope, fn)

    def _export_value(self, key: str, value: Node, scope: dict[str, str], fn: str | None) -> None:
        if key == "default":
            self._default_export(value, scope, fn)
            return
        cid = self.bind(key, value, scope, fn, None)
        if cid is not None:
            self.exports[key] = {"container": cid}
        elif unwrap(value).type in {"identifier", "shorthand_property_identifier"}:
            self.exports[key] = {"local": text(unwrap(value))}
        else:
            target = self.target(value, scope)
            if target is not None and "import" in target:
                self.exports[key] = target["import"]


def _hoist(body: Node, scope: dict[str, str]) -> None:
    """Function declarations are visible in their whole block: `register(plugin)` may come first.

    The container id is the one `_function` gives the declaration when the walk reaches it.
    """
    for statement in body.named_children:
        name = field(statement, "name")
        if statement.type in {"function_declaration", "generator_function_declaration"} and name:
            row, col = statement.start_point
            scope.setdefault(text(name), f"fn@{row + 1}:{col}")


def _class_functions(body: Node) -> list[tuple[str, Node]]:
    """(name, function node) of a class's methods and function-valued fields."""
    out: list[tuple[str, Node]] = []
    for member in body.named_children:
        if member.type == "method_definition":
            out.append((text(field(member, "name")), member))
        elif member.type in _FIELDS:
            key, value = field(member, "name") or field(member, "property"), field(member, "value")
            if key is not None and value is not None and unwrap(value).type in _FUNCTIONS:
                out.append((text(key), unwrap(value)))
    return out


def _call_args(node: Node) -> list[Node]:
    args = field(node, "arguments")
    return [c for c in args.named_children if c.type != "comment"] if args is not None else []


def _class_members(body: Node) -> list[tuple[str, Node]]:
    """(member, value) of field definitions and of `this.member = value` in methods."""
    out: list[tuple[str, Node]] = []
    for member in body.named_children:
        if member.type in _FIELDS:
            key, value = field(member, "name") or field(member, "property"), field(member, "value")
            if key is not None and value is not None:
                out.append((text(key), value))
        elif member.type == "method_definition":
            for node in walk(member):
                if node.type != "assignment_expression":
                    continue
                left, right = field(node, "left"), field(node, "right")
                obj = field(left, "object") if left is not None else None
                if obj is not None and obj.type == "this" and right is not None:
                    out.append((text(field(left, "property")), right))  # type: ignore[arg-type]
    return out


def _params(node: Node) -> list[tuple[str, str] | None]:
    """(name, type annotation) of each parameter in order; None for a destructured one."""
    params = field(node, "parameters") or field(node, "parameter")
    if params is None:
        return []
    if params.type == "identifier":
        return [(text(params), "")]
    out: list[tuple[str, str] | None] = []
    for param in params.named_children:
        if param.type == "comment":
            continue
        pattern = field(param, "pattern") if param.type.endswith("_parameter") else param
        if pattern is not None and pattern.type == "assignment_pattern":
            pattern = field(pattern, "left")
        if pattern is None or pattern.type == "this":
            continue
        if pattern.type != "identifier":
            out.append(None)
            continue
        out.append((text(pattern), text(field(param, "type"))))
    return out


def _declared_names(node: Node) -> list[str]:
    name = field(node, "name")
    if name is not None:
        return [text(name)]
    names = []
    for declarator in node.named_children:
        inner = field(declarator, "name")
        if declarator.type == "variable_declarator" and inner is not None:
            names.append(text(inner))
    return names


def extract_routes(root: Node) -> dict[str, Any]:
    reader = FileReader(root)
    try:
        reader.read(root)
    except RecursionError:
        reader.warnings.append(warning("file nested too deeply to read fully", line_of(root)))
    return reader.facts()
