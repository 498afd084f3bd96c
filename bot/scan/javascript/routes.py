"""Reading route, mount and plugin-registration calls on known Express/Fastify objects."""

from __future__ import annotations

from typing import Any

from tree_sitter import Node

from bot.scan.javascript.env import SCHEMA_PACKAGES, schema_defaults
from bot.scan.javascript.modules import Binding, require_source
from bot.scan.javascript.nest import versions
from bot.scan.javascript.values import UNKNOWN, Part, Values, object_pairs, unwrap
from bot.scan.treesitter import field, line_of, text, warning

ROUTE_METHODS = {"get", "post", "put", "patch", "delete", "del", "options", "head", "all"}
# Instance methods documented to return the instance, so routes can be chained after them.
_CHAINABLE = {
    "use",
    "register",
    "param",  # Express app/router
    "engine",
    "enable",
    "disable",
    "addHook",  # Fastify instance
    "addSchema",
    "decorate",
    "decorateRequest",
    "decorateReply",
    "setErrorHandler",
    "setNotFoundHandler",
    "addContentTypeParser",
    "setValidatorCompiler",
    "setSerializerCompiler",
    "setReplySerializer",
    "setSchemaErrorFormatter",
}
# INestApplication methods documented to return `this` (`enableCors`, `useLogger` return void).
_NEST_CHAINABLE = {
    "use",
    "useGlobalPipes",
    "useGlobalFilters",
    "useGlobalInterceptors",
    "useGlobalGuards",
    "useWebSocketAdapter",
    "setGlobalPrefix",
    "enableVersioning",
    "enableShutdownHooks",
    "useStaticAssets",  # NestExpressApplication
    "setBaseViewsDir",
    "setViewEngine",
    "useBodyParser",
    "set",
    "enable",
    "disable",
}
# `app.all('*', notFound)`: every method on every path is a fallback (a 404 or an SPA page).
_CATCH_ALL = {"*", "/*", "(.*)", "/(.*)", "*splat", "/*splat", "/{*splat}"}
CATCH_ALL_SKIPPED = "catch-all route `all('*')` is a fallback for unmatched requests; not listed"
_CREATORS = {
    ("express", "default"): "express_app",
    ("express", "*"): "express_app",
    ("express", "Router"): "express_router",
    ("fastify", "default"): "fastify",
    ("fastify", "*"): "fastify",
    ("fastify", "fastify"): "fastify",
    ("fastify", "Fastify"): "fastify",
}


class RouteReader:
    """State and call handlers shared by the file walker (see `extract.FileReader`)."""

    def __init__(self, values: Values, imports: dict[str, Binding]) -> None:
        self.values = values
        self.imports = imports
        self.containers: dict[str, dict[str, Any]] = {}
        self.routes: list[dict[str, Any]] = []
        self.mounts: list[dict[str, Any]] = []
        self.warnings: list[dict[str, Any]] = []
        self.nest_app: dict[str, Any] | None = None
        self.fn_ids: dict[int, str] = {}
        self.arrays: dict[str, list[dict[str, Any]]] = {}
        # creation calls (`Router()`, `express()`) → their container, for chains that start there
        self.created: dict[int, str] = {}
        self.env_defaults: dict[str, str] = {}

    def _function(self, node: Node, scope: dict[str, str], name: str | None, **flags: Any) -> str:
        raise NotImplementedError

    # --- what names are -----------------------------------------------------------------------
    def _binding(self, node: Node) -> tuple[str, str] | None:
        node = unwrap(node)
        if node.type == "identifier" and text(node) in self.imports:
            bound = self.imports[text(node)]
            return bound["source"], bound["name"]
        source = require_source(node)
        return (source, "default") if source is not None else None

    def creation(self, value: Node) -> str | None:
        """The kind of object `value` creates: express app/router, fastify or Nest app.

        A chain that starts at a creation, `Router().use(a).get('/x', h)`, creates it too.
        """
        value = self.chain_start(value)
        if value.type not in {"call_expression", "new_expression"}:
            return None
        callee = field(value, "function") or field(value, "constructor")
        if callee is None:
            return None
        binding = self._binding(callee)
        if binding is not None:
            return _CREATORS.get(binding)
        if callee.type == "member_expression":
            obj, prop = field(callee, "object"), text(field(callee, "property"))
            owner = self._binding(obj) if obj is not None else None
            if owner is not None and owner[0] == "express" and prop == "Router":
                return "express_router"
            if owner == ("@nestjs/core", "NestFactory") and prop == "create":
                return "nest_app"
        return None

    def chain_start(self, value: Node) -> Node:
        """The call a chain of instance-returning methods starts at (the value itself if none)."""
        value = unwrap(value)
        start = value
        while value.type == "call_expression":
            callee = field(value, "function")
            if callee is None or callee.type != "member_expression":
                return value
            prop, obj = text(field(callee, "property")), field(callee, "object")
            if obj is None or prop not in _CHAINABLE | ROUTE_METHODS | _NEST_CHAINABLE:
                return start
            value = unwrap(obj)
        return value if value.type in {"call_expression", "new_expression"} else start

    def created_container(self, node: Node, name: str | None = None) -> str | None:
        """The container made by a creation call, registered once per call node."""
        node = unwrap(node)
        if node.id in self.created:
            return self.created[node.id]
        kind = self.creation(node) if node.type in {"call_expression", "new_expression"} else None
        if kind is None or self.chain_start(node) is not node:
            return None
        row, col = node.start_point
        cid = f"{name or kind}@{row + 1}:{col}"
        self.containers[cid] = {"kind": kind, "line": row + 1, "name": name or kind}
        self.created[node.id] = cid
        return cid

    def env_schema_call(self, value: Node) -> Node | None:
        """The options of `envSchema({ schema, dotenv })` (`env-schema`), else None."""
        value = unwrap(value)
        if value.type != "call_expression":
            return None
        binding = self._binding(field(value, "function") or value)
        args = _args(value)
        if binding is None or binding[0] not in SCHEMA_PACKAGES or not args:
            return None
        return args[0]

    def _env_schema(self, options: Node) -> None:
        options_node = self.options_node(options)
        pairs = object_pairs(options_node) if options_node is not None else {}
        if "schema" in pairs:
            for name, value in schema_defaults(self.values.literal(pairs["schema"])).items():
                self.env_defaults.setdefault(name, value)

    def plugin_wrapper(self, value: Node) -> Node | None:
        """The function inside `fp(fn, …)` (fastify-plugin), else None."""
        value = unwrap(value)
        if value.type != "call_expression":
            return None
        binding = self._binding(field(value, "function") or value)
        args = _args(value)
        if binding is None or binding[0] != "fastify-plugin" or not args:
            return None
        return unwrap(args[0])

    def chain_of(self, node: Node, scope: dict[str, str]) -> tuple[str, list[Part] | None] | None:
        """(container, route path) for `router`, `router.route('/x')`, `…route('/x').get(h)`."""
        node = unwrap(node)
        if node.type == "identifier" or _is_this_member(node):
            cid = scope.get(_scope_key(node))
            return (cid, None) if cid is not None else None
        if node.type not in {"call_expression", "new_expression"}:
            return None
        created = self.created_container(node)
        if created is not None:
            return created, None
        callee = field(node, "function")
        if callee is None or callee.type != "member_expression":
            return None
        obj, prop = field(callee, "object"), text(field(callee, "property"))
        inner = self.chain_of(obj, scope) if obj is not None else None
        if inner is None:
            return None
        args = _args(node)
        if prop == "route" and inner[1] is None and args and self.options_node(args[0]) is None:
            return inner[0], self.values.parts(args[0])
        if prop in ROUTE_METHODS or (prop in _CHAINABLE and inner[1] is None):
            return inner
        if prop in _NEST_CHAINABLE and self.containers.get(inner[0], {}).get("kind") == "nest_app":
            return inner
        return None

    def container_of(self, node: Node, scope: dict[str, str]) -> str | None:
        chain = self.chain_of(node, scope)
        return chain[0] if chain is not None and chain[1] is None else None

    def target(self, node: Node, scope: dict[str, str]) -> dict[str, Any] | None:
        """What a mount/register argument refers to, for `link` to resolve."""
        node = unwrap(node)
        kind = node.type
        element = self._element(node)
        if element is not None:
            return element
        if _is_this_member(node) and _scope_key(node) in scope:
            return {"container": scope[_scope_key(node)]}
        if kind == "identifier":
            name = text(node)
            if name in scope:
                return {"container": scope[name]}
            if name in self.imports:
                return {"import": self.imports[name]}
            return {"local": name}
        if kind in {"function_expression", "arrow_function", "function"}:
            return {"container": self._function(node, scope, None)}
        wrapped = self.plugin_wrapper(node)
        if wrapped is not None:
            inner = self.target(wrapped, scope)
            return None if inner is None else {**inner, "fp": True}
        source = require_source(node)
        if source is not None:
            return {"import": {"source": source, "name": "default"}}
        if kind == "member_expression":
            obj, prop = field(node, "object"), text(field(node, "property"))
            base = self.target(obj, scope) if obj is not None else None
            return None if base is None or "member" in base else {**base, "member": prop}
        if kind == "new_expression":  # `new Api(…).register(app)`: a method of an instance
            constructor = field(node, "constructor")
            built = self.target(constructor, scope) if constructor is not None else None
            return None if built is None else {"new": built}
        if kind == "call_expression":
            chained = self.container_of(node, scope)
            if chained is not None:
                return {"container": chained}
            callee = field(node, "function")
            inner = self.target(callee, scope) if callee is not None else None
            return None if inner is None else {"call": inner}
        return None

    def _element(self, node: Node) -> dict[str, Any] | None:
        """`r` / `r.router` / a destructured `router` inside a loop over an array."""
        node = unwrap(node)
        if node.type not in {"identifier", "member_expression"} or not self.values.loop_vars:
            return None
        parts = self.values.parts(node)
        if parts and len(parts) == 1 and isinstance(parts[0], dict) and "each" in parts[0]:
            return {"each": parts[0]["each"], "field": parts[0]["field"]}
        return None

    # --- calls ----------------------------------------------------------------------------
    def call(self, node: Node, scope: dict[str, str]) -> None:
        if node.has_error:
            return
        callee = field(node, "function")
        if callee is None:
            return
        env_options = self.env_schema_call(node)
        if env_options is not None:
            self._env_schema(env_options)
        chain = None
        if callee.type == "member_expression" and field(callee, "object") is not None:
            chain = self.chain_of(field(callee, "object"), scope)  # type: ignore[arg-type]
        if chain is None:
            self._plain_call(node, callee, scope)
            return
        cid, path = chain
        prop_node = field(callee, "property")
        prop, line = text(prop_node), line_of(prop_node or node)
        args = _args(node)
        if prop in ROUTE_METHODS:
            self._shorthand(cid, prop, path, args, line)
        elif prop == "route" and path is None and args and self.options_node(args[0]) is not None:
            self._route_options(cid, self.options_node(args[0]), line)  # type: ignore[arg-type]
        elif prop == "route" and path is None and args and self._element(args[0]) is not None:
            each = self._element(args[0])
            self.routes.append(
                {"container": cid, "each": each, "line": line, "methods": [], "path": []}
            )
        elif prop == "use" and path is None:
            self._use(cid, args, scope, line)
        elif prop == "register" and path is None and args:
            self._register(cid, args, scope, line)
        elif self.containers.get(cid, {}).get("kind") == "nest_app":
            self._nest_app(prop, args, line)

    def _shorthand(
        self, cid: str, prop: str, path: list[Part] | None, args: list[Node], line: int
    ) -> None:
        method = "delete" if prop == "del" else prop
        if path is None:
            if len(args) < 2:
                return  # `app.get('env')` reads a setting
            paths = self._paths(args[0], line)
            handlers = args[1:]
        else:
            paths, handlers = [path], args
        options: dict[str, Node] = {}
        options_node = self.options_node(handlers[0]) if handlers else None
        if options_node is not None:
            options = object_pairs(options_node)
        handler = options.get("handler") or (handlers[-1] if handlers else None)
        schema = self._schema(options.get("schema"))
        for parts in paths:
            if method == "all" and len(parts) == 1 and parts[0] in _CATCH_ALL:
                self.warnings.append(warning(CATCH_ALL_SKIPPED, line))
                continue
            self._add_route(cid, [method], parts, line, handler, schema)

    def _route_options(self, cid: str, options_node: Node, line: int) -> None:
        options = object_pairs(options_node)
        method_node, url = options.get("method"), options.get("url") or options.get("path")
        if method_node is None or url is None:
            return
        methods = self.values.literal(method_node)
        methods = [methods] if isinstance(methods, str) else methods
        if not isinstance(methods, list) or not methods:
            self.warnings.append(warning("route method is not a literal; route skipped", line))
            return
        schema = self._schema(options.get("schema"))
        for parts in self._paths(url, line):
            self._add_route(
                cid, [str(m).lower() for m in methods], parts, line, options.get("handler"), schema
            )

    def options_node(self, node: Node) -> Node | None:
        """An options object literal, written inline or as a constant of this file."""
        node = unwrap(node)
        if node.type == "identifier" and text(node) in self.values.consts:
            node = unwrap(self.values.consts[text(node)])
        return node if node.type == "object" else None

    def _paths(self, node: Node, line: int) -> list[list[Part]]:
        node = unwrap(node)
        if node.type == "array":
            return [p for child in node.named_children for p in self._paths(child, line)]
        parts = self.values.parts(node)
        if parts is None:
            what = "a regular expression" if node.type == "regex" else "not a string"
            self.warnings.append(warning(f"route path is {what}; route skipped", line))
            return []
        return [parts]

    def _schema(self, node: Node | None) -> dict[str, Any] | None:
        if node is None:
            return None
        value = self.values.literal(node)
        return value if isinstance(value, dict) and value is not UNKNOWN else None

    def _add_route(
        self,
        cid: str,
        methods: list[str],
        path: list[Part],
        line: int,
        handler: Node | None,
        schema: dict[str, Any] | None,
    ) -> None:
        self.routes.append(
            {
                "container": cid,
                "methods": methods,
                "path": path,
                "line": line,
                "handler": handler_name(handler),
                "schema": schema,
            }
        )

    def _use(self, cid: str, args: list[Node], scope: dict[str, str], line: int) -> None:
        prefixes: list[list[Part]] = [[]]
        if args and self._is_path(args[0], len(args)):
            prefixes = self._paths(args[0], line)
            args = args[1:]
        flat = [
            c
            for a in args
            for c in (unwrap(a).named_children if unwrap(a).type == "array" else [a])
        ]
        for arg in flat:
            ref = self.target(arg, scope)
            if ref is None:
                continue
            for prefix in prefixes:
                self.mounts.append(
                    {"container": cid, "prefix": prefix, "target": ref, "line": line, "via": "use"}
                )

    def _is_path(self, node: Node, count: int) -> bool:
        """Whether the first `use` argument is a mount path rather than a middleware/router."""
        node = unwrap(node)
        if node.type in {"string", "template_string", "binary_expression"}:
            return True
        if self._element(node) is not None:
            return count > 1  # `use(r.path, r.router)`: a loop element's field before a router
        if node.type == "array":
            return all(self._is_path(child, count) for child in node.named_children)
        if node.type == "identifier" and node.text is not None:
            name = text(node)
            if name in self.values.consts:
                return self.values.string(node) is not None
            # An imported UPPER_CASE name before a router is a path constant by convention.
            return count > 1 and name in self.imports and name.isupper()
        if node.type == "member_expression":
            parts = self.values.parts(node) or [{}]
            return (
                isinstance(parts[0], str)
                or "env" in parts[0]
                or (count > 1 and text(field(node, "property")).isupper())
            )
        return False

    def _register(self, cid: str, args: list[Node], scope: dict[str, str], line: int) -> None:
        ref = self.target(args[0], scope)
        if ref is None:
            return
        prefix: list[Part] = []
        options_node: Node | None = self.options_node(args[1]) if len(args) > 1 else None
        if options_node is not None:
            options = object_pairs(options_node)
            if "prefix" in options:
                prefix = self.values.parts(options["prefix"]) or []
        if self.containers.get(cid, {}).get("kind") == "function":
            self.containers[cid].setdefault("known", "fastify")  # only Fastify has `register`
        imported = ref.get("import", {}).get("source", "")
        if imported in {"@fastify/autoload", "fastify-autoload"}:
            self._autoload(cid, options_node, line)
            return
        if imported in SCHEMA_PACKAGES and options_node is not None:
            self._env_schema(options_node)
            return
        self.mounts.append(
            {
                "container": cid,
                "prefix": prefix,
                "target": ref,
                "line": line,
                "via": "register",
                "options": self._option_parts(options_node),
            }
        )

    def _option_parts(self, options_node: Node | None) -> dict[str, list[Part]]:
        """String-valued plugin options, for `opts.<key>` in the plugin's paths."""
        pairs = object_pairs(options_node) if options_node is not None else {}
        out: dict[str, list[Part]] = {}
        for key, value in pairs.items():
            parts = self.values.parts(value)
            if parts is not None:
                out[key] = parts
        return out

    def _autoload(self, cid: str, options_node: Node | None, line: int) -> None:
        """`register(AutoLoad, { dir: path.join(__dirname, 'routes'), options: { prefix } })`."""
        options = object_pairs(options_node) if options_node is not None else {}
        folder = _dirname_join(options["dir"], self.values) if "dir" in options else None
        if folder is None:
            self.warnings.append(warning("@fastify/autoload directory not read statically", line))
            return
        inner = self.options_node(options["options"]) if "options" in options else None
        prefix_node = object_pairs(inner).get("prefix") if inner is not None else None
        flags = {key: self.values.literal(options[key]) for key in options}
        target = {
            "autoload": folder,
            "dir_prefix": flags.get("dirNameRoutePrefix") is not False,
            "route_params": flags.get("routeParams") is True,
        }
        prefix = (self.values.parts(prefix_node) or []) if prefix_node is not None else []
        self.mounts.append(
            {
                "container": cid,
                "prefix": prefix,
                "target": target,
                "line": line,
                "via": "register",
                "options": self._option_parts(inner),
            }
        )

    def _plain_call(self, node: Node, callee: Node, scope: dict[str, str]) -> None:
        """`require('./routes')(app)` / `mount(app, router)`: each parameter gets its container.

        The function's first parameter is the function's own container; a later one, the
        container `<function>#<index>` (`link` picks it by the mount's `param`).
        """
        if self.creation(node) is not None:
            return
        ref: dict[str, Any] | None = None
        for index, arg in enumerate(_args(node)):
            cid = self.container_of(arg, scope)
            if cid is None:
                continue
            ref = ref or self.target(callee, scope)
            if ref is None:
                return
            if ref.get("container") in {cid, cid.split("#")[0]}:
                continue
            self.mounts.append(
                {
                    "container": cid,
                    "prefix": [],
                    "target": {**ref, "param": index} if index else ref,
                    "line": line_of(node),
                    "via": "call",
                }
            )

    def _nest_app(self, prop: str, args: list[Node], line: int) -> None:
        if prop == "setGlobalPrefix" and args:
            exclude: list[dict[str, Any]] = []
            if len(args) > 1 and unwrap(args[1]).type == "object":
                excluded = object_pairs(args[1]).get("exclude")
                items = unwrap(excluded).named_children if excluded is not None else []
                for item in items:
                    entry = self._exclusion(item)
                    if entry is None:
                        self.warnings.append(warning("global prefix exclusion not read", line))
                    else:
                        exclude.append(entry)
            self.nest_app = {
                **(self.nest_app or {}),
                "prefix": self.values.parts(args[0]) or [],
                "line": line,
                "exclude": exclude,
            }
        elif prop == "enableVersioning":
            self.nest_app = {**(self.nest_app or {}), "versioning": self._versioning(args, line)}

    def _versioning(self, args: list[Node], line: int) -> dict[str, Any]:
        """`enableVersioning({ type, prefix, defaultVersion })`; only URI versioning moves paths."""
        options = object_pairs(args[0]) if args and unwrap(args[0]).type == "object" else {}
        kind = text(options.get("type")).rsplit(".", 1)[-1].upper() if args else "URI"
        if kind not in {"URI", "HEADER", "MEDIA_TYPE", "CUSTOM"}:
            self.warnings.append(warning("Nest versioning type not read; paths unversioned", line))
        prefix = options.get("prefix")
        return {
            "type": kind,
            "prefix": "v" if prefix is None else (self.values.string(prefix) or ""),
            "default": (
                versions(self.values, options["defaultVersion"])
                if "defaultVersion" in options
                else None
            ),
        }

    def _exclusion(self, item: Node) -> dict[str, Any] | None:
        """`'health'` or `{ path: 'x', method: RequestMethod.GET }` → {"path", "method"}."""
        if unwrap(item).type == "object":
            pairs = object_pairs(item)
            path = self.values.string(pairs["path"]) if "path" in pairs else None
            method = text(pairs.get("method")).rsplit(".", 1)[-1].upper() or "ALL"
            return None if path is None else {"path": path, "method": method}
        path = self.values.string(item)
        return None if path is None else {"path": path, "method": "ALL"}


def handler_name(node: Node | None) -> str | None:
    """`usersController.list`, `getUser`, `asyncHandler(getUser)` → a name; inline → None."""
    node = unwrap(node) if node is not None else None
    while node is not None and node.type == "call_expression":
        args = _args(node)
        node = unwrap(args[0]) if args else None
    if node is not None and node.type in {"identifier", "member_expression"}:
        return text(node)
    return None


def _dirname_join(node: Node, values: Values) -> str | None:
    """`path.join(__dirname, 'routes')` / `resolve(__dirname, 'a', 'b')` → 'routes', 'a/b'."""
    node = unwrap(node)
    if node.type in {"identifier", "shorthand_property_identifier"} and text(node) in values.consts:
        node = unwrap(values.consts[text(node)])
    callee = field(node, "function") if node.type == "call_expression" else None
    args = _args(node)
    if callee is None or text(callee).rsplit(".", 1)[-1] not in {"join", "resolve"} or not args:
        return None
    if text(args[0]) not in {"__dirname", "import.meta.dirname"}:
        return None
    rest = [values.string(arg) for arg in args[1:]]
    return "/".join(part for part in rest if part) or "." if None not in rest else None


def _is_this_member(node: Node) -> bool:
    obj = field(node, "object") if node.type == "member_expression" else None
    return obj is not None and obj.type == "this"


def _scope_key(node: Node) -> str:
    """The scope name of `router` or `this.router` (class members, see `extract._class`)."""
    return (
        f"this.{text(field(node, 'property'))}" if node.type == "member_expression" else text(node)
    )


def _args(node: Node) -> list[Node]:
    args = field(node, "arguments")
    if args is None:
        return []
    return [child for child in args.named_children if child.type != "comment"]
