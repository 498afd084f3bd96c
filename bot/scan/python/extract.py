"""Per-file facts of a Python module, read with `ast` (never imported): bindings, routes, classes.

Expressions are kept in a compact JSON encoding that `bot.scan.python.values` evaluates later:
`["c", v]` constant, `["n", id]` name, `["a", obj, attr]` attribute, `["call", f, args, kw]`,
`["l", items]` list/tuple/set, `["d", [[k, v], ...]]`, `["+", l, r]`, `["|", l, r]`,
`["f", parts]` f-string, `["s", obj, index]` subscript, `["e"]` Ellipsis, `["*", expr]` starred
item, `["lc", item, target, iterable]` one-loop comprehension (`target`: a name or a list of
names), `["?", kind]` other.

Syntax newer than the running Python (PEP 695 `type X = ...`, `def f[T]()`, `class C[T]`, PEP 758
`except A, B:`) is read by a tolerant second parse: when `ast.parse` fails, those constructs are
rewritten on their own lines into their older equivalents (same line numbers) and the file is
parsed again. Only a file that still fails is reported as not parsed.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from bot.scan.python import redirect_exits, request_inputs

Expr = list[Any]

# Method names whose expression-statement calls can declare or wire routes.
_CALLS = frozenset(
    {
        "include_router",
        "register_blueprint",
        "add_url_rule",
        "add_api_route",
        "add_route",
        "api_route",
        "register",
        "mount",
        "add_resource",
        "route",
        "get",
        "post",
        "put",
        "patch",
        "delete",
        "head",
        "options",
        "trace",
        "append",
        "extend",
        "insert",
    }
)
_CONSTS = (str, int, float, bool, type(None))
# Builtins never worth following as a route-wiring helper.
_BUILTINS = frozenset({"print", "len", "isinstance", "setattr", "getattr", "super", "exec"})


def module_name(path: str) -> tuple[str, bool]:
    """`src/app/api/__init__.py` → (`src.app.api`, True): the dotted name the path spells."""
    parts = path[:-3].split("/") if path.endswith(".py") else path.split("/")
    is_package = parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    return ".".join(parts), is_package


def encode(node: ast.expr | None) -> Expr:
    """The JSON encoding of an expression (see the module docstring)."""
    if node is None:
        return ["c", None]
    kind = type(node)
    if kind is ast.Constant:
        value = node.value  # type: ignore[attr-defined]
        if value is Ellipsis:
            return ["e"]
        return ["c", value] if isinstance(value, _CONSTS) else ["?", "bytes"]
    if kind is ast.Name:
        return ["n", node.id]  # type: ignore[attr-defined]
    if kind is ast.Attribute:
        return ["a", encode(node.value), node.attr]  # type: ignore[attr-defined]
    if kind is ast.Call:
        assert isinstance(node, ast.Call)
        args = [encode(a) for a in node.args if not isinstance(a, ast.Starred)]
        kw = {k.arg: encode(k.value) for k in node.keywords if k.arg is not None}
        return ["call", encode(node.func), args, kw]
    if kind in (ast.List, ast.Tuple, ast.Set):
        return ["l", [encode(e) for e in node.elts]]  # type: ignore[attr-defined]
    if kind is ast.Starred:
        return ["*", encode(node.value)]  # type: ignore[attr-defined]
    if kind in (ast.ListComp, ast.GeneratorExp, ast.SetComp):
        assert isinstance(node, ast.ListComp | ast.GeneratorExp | ast.SetComp)
        if len(node.generators) == 1 and not node.generators[0].ifs:
            loop = node.generators[0]
            target = loop_target(loop.target)
            if target is not None:
                return ["lc", encode(node.elt), target, encode(loop.iter)]
        return ["?", "comprehension"]
    if kind is ast.Dict:
        assert isinstance(node, ast.Dict)
        return ["d", [[encode(k), encode(v)] for k, v in zip(node.keys, node.values, strict=True)]]
    if kind is ast.BinOp:
        assert isinstance(node, ast.BinOp)
        if isinstance(node.op, ast.Add):
            return ["+", encode(node.left), encode(node.right)]
        if isinstance(node.op, ast.BitOr):
            return ["|", encode(node.left), encode(node.right)]
        return ["?", "operation"]
    if kind is ast.JoinedStr:
        parts: list[Expr] = []
        for value in node.values:  # type: ignore[attr-defined]
            inner = value.value if isinstance(value, ast.FormattedValue) else value
            parts.append(encode(inner))
        return ["f", parts]
    if kind is ast.Subscript:
        return ["s", encode(node.value), encode(node.slice)]  # type: ignore[attr-defined]
    return ["?", kind.__name__.lower()]


def _mentions(expr: Any, name: str) -> bool:
    """Whether an encoded expression (or a list or dict of them) reads the variable `name`."""
    if isinstance(expr, dict):
        return any(_mentions(x, name) for x in expr.values())
    if not isinstance(expr, list) or not expr:
        return False
    if isinstance(expr[0], str):
        if expr[0] == "n":
            return bool(expr[1] == name)
        return expr[0] != "c" and any(_mentions(x, name) for x in expr[1:])
    return any(_mentions(x, name) for x in expr)


def loop_target(node: ast.expr) -> str | list[str] | None:
    """`x` → "x"; `k, x` → ["k", "x"]; anything else (attributes, nesting) → None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Tuple | ast.List) and all(isinstance(e, ast.Name) for e in node.elts):
        return [e.id for e in node.elts]  # type: ignore[attr-defined]
    return None


class _Scope:
    """Bindings, wiring calls, functions and classes of one module or function body."""

    def __init__(self) -> None:
        self.bind: dict[str, list[Any]] = {}
        self.aug: dict[str, list[list[Any]]] = {}
        self.calls: list[list[Any]] = []
        # routes declared as data: `[name or returned expression, line]` of `X(routes=...)`
        self.objs: list[list[Any]] = []
        # `helper(app, "name")`: calls of plain functions, followed when they wire routes
        self.invokes: list[list[Any]] = []
        self.funcs: dict[str, dict[str, Any]] = {}
        self.classes: dict[str, dict[str, Any]] = {}
        # enclosing `for` loops of the statement being read: `[target, iterable]` each
        self.loops: list[list[Any]] = []

    def relevant(self) -> bool:
        return (
            bool(self.calls or self.objs or self.invokes)
            or any(f.get("routes") for f in self.funcs.values())
            or any("dec" in c for c in self.classes.values())
        )

    def dump(self) -> dict[str, Any]:
        out: dict[str, Any] = {"bind": self.bind}
        if self.aug:
            out["aug"] = self.aug
        if self.calls:
            out["calls"] = self.calls
        if self.objs:
            out["objs"] = self.objs
        if self.invokes:
            out["invokes"] = self.invokes
        if self.funcs:
            out["funcs"] = self.funcs
        if self.classes:
            out["classes"] = self.classes
        return out


class _Extractor:
    def __init__(self, module: str, is_package: bool) -> None:
        self.package = module if is_package else module.rpartition(".")[0]
        self.top = _Scope()

    def absolute(self, target: str | None, level: int) -> str:
        if not level:
            return target or ""
        base = self.package.split(".") if self.package else []
        if level > 1:
            base = base[: len(base) - (level - 1)]
        return ".".join([*base, target] if target else base)

    def body(self, statements: list[ast.stmt], scope: _Scope, fallback: bool = False) -> None:
        for stmt in statements:
            self.statement(stmt, scope, fallback)

    def bind(self, scope: _Scope, name: str, value: list[Any], fallback: bool) -> None:
        before = scope.bind.get(name)
        if before is not None and before[0] == "=" and value[0] == "=":
            expr = value[1]
            if expr[0] == "+" and expr[1] == ["n", name]:  # `urls = urls + more`: as `+=`
                scope.aug.setdefault(name, []).append(["+=", expr[2], value[2]])
                return
            if _mentions(expr, name):  # `app = wrap(app)`: the object wired so far stays
                return
        if not fallback or before is None:
            scope.bind[name] = value

    def statement(self, stmt: ast.stmt, scope: _Scope, fallback: bool) -> None:
        kind = type(stmt)
        if kind is ast.Assign:
            assert isinstance(stmt, ast.Assign)
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    self.bind(scope, target.id, ["=", encode(stmt.value), stmt.lineno], fallback)
                    if _declares_routes(stmt.value):
                        scope.objs.append([["n", target.id], stmt.lineno])
        elif kind is ast.AnnAssign:
            assert isinstance(stmt, ast.AnnAssign)
            if isinstance(stmt.target, ast.Name) and stmt.value is not None:
                self.bind(scope, stmt.target.id, ["=", encode(stmt.value), stmt.lineno], fallback)
                if _declares_routes(stmt.value):
                    scope.objs.append([["n", stmt.target.id], stmt.lineno])
        elif kind is ast.AugAssign:
            assert isinstance(stmt, ast.AugAssign)
            if isinstance(stmt.target, ast.Name) and isinstance(stmt.op, ast.Add):
                entry = ["+=", encode(stmt.value), stmt.lineno]
                scope.aug.setdefault(stmt.target.id, []).append(entry)
        elif kind is ast.Import:
            assert isinstance(stmt, ast.Import)
            for alias in stmt.names:
                if alias.asname:
                    self.bind(scope, alias.asname, ["mod", alias.name, stmt.lineno], fallback)
                else:
                    top = alias.name.split(".")[0]
                    self.bind(scope, top, ["mod", top, stmt.lineno], fallback)
        elif kind is ast.ImportFrom:
            assert isinstance(stmt, ast.ImportFrom)
            source = self.absolute(stmt.module, stmt.level)
            for alias in stmt.names:
                if alias.name != "*":
                    entry = ["from", source, alias.name, stmt.lineno]
                    self.bind(scope, alias.asname or alias.name, entry, fallback)
        elif kind is ast.Expr:
            self.call(stmt.value, scope, stmt.lineno)  # type: ignore[attr-defined]
        elif kind is ast.Return:
            assert isinstance(stmt, ast.Return)
            if stmt.value is not None and _declares_routes(stmt.value):
                scope.objs.append([encode(stmt.value), stmt.lineno])
        elif kind in (ast.FunctionDef, ast.AsyncFunctionDef):
            self.function(stmt, scope)  # type: ignore[arg-type]
        elif kind is ast.ClassDef:
            assert isinstance(stmt, ast.ClassDef)
            scope.classes[stmt.name] = self.klass(stmt)
        elif kind is ast.If:
            assert isinstance(stmt, ast.If)
            self.body(stmt.body, scope, fallback)
            self.body(stmt.orelse, scope, True)
        elif kind in (ast.Try, ast.TryStar):
            self.body(stmt.body, scope, fallback)  # type: ignore[attr-defined]
            for handler in stmt.handlers:  # type: ignore[attr-defined]
                self.body(handler.body, scope, True)
            self.body(stmt.orelse + stmt.finalbody, scope, fallback)  # type: ignore[attr-defined]
        elif kind in (ast.For, ast.AsyncFor):
            assert isinstance(stmt, ast.For | ast.AsyncFor)
            names = loop_target(stmt.target)
            if names is not None:
                scope.loops.append([names, encode(stmt.iter)])
            try:
                self.body(stmt.body, scope, fallback)
            finally:
                if names is not None:
                    scope.loops.pop()
        elif kind in (ast.With, ast.AsyncWith, ast.While):
            self.body(stmt.body, scope, fallback)  # type: ignore[attr-defined]

    def call(self, node: ast.expr, scope: _Scope, line: int) -> None:
        if not isinstance(node, ast.Call):
            return
        func = node.func
        if isinstance(func, ast.Call):  # app.route("/x")(view)
            func = func.func
        if isinstance(func, ast.Attribute) and func.attr in _CALLS:
            entry = [encode(node), line]
            if scope.loops:  # `for r in ROUTERS: app.include_router(r)`: once per item
                entry.append([list(loop) for loop in scope.loops])
            scope.calls.append(entry)
        elif (
            isinstance(func, ast.Name)
            and self.helper(func.id, scope)
            and any(isinstance(a, ast.Name | ast.Attribute) for a in node.args)
        ):
            scope.invokes.append([encode(node), line])

    def helper(self, name: str, scope: _Scope) -> bool:
        """Whether `name(...)` may call a route-wiring function defined or imported here."""
        if name in _BUILTINS:
            return False
        found = scope.funcs.get(name) or self.top.funcs.get(name)
        if found is not None:
            return bool(found.get("routes"))
        binding = scope.bind.get(name) or self.top.bind.get(name)
        return binding is not None and binding[0] == "from"

    def function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, scope: _Scope) -> None:
        decorators = [[encode(d), d.lineno] for d in node.decorator_list]
        info: dict[str, Any] = {"line": node.lineno}
        routed = any(isinstance(d, ast.Call) for d in node.decorator_list)
        if decorators:
            info["dec"] = decorators
            info["routes"] = routed
        params = _params(node.args, everything=routed)
        if params:
            info["params"] = params
        if routed and node.returns is not None:
            info["ret"] = encode(node.returns)
        last = node.body[-1] if node.body else None
        if isinstance(last, ast.Return) and last.value is not None:
            info["returns"] = encode(last.value)
            if isinstance(node.returns, ast.Name | ast.Attribute):
                info["ret"] = encode(node.returns)  # the fallback when the value is not known
        exits = redirect_exits.summary(node)
        if exits is not None:
            info["redirect"] = exits
        inputs = request_inputs.summary(node) if routed else None
        if inputs is not None:
            info["inputs"] = inputs
        inner = _Scope()
        self.body(node.body, inner)
        # a factory returning a class it defines (`def router_class(): class R(APIRouter): ...`)
        makes_class = (
            isinstance(last, ast.Return)
            and isinstance(last.value, ast.Name)
            and last.value.id in inner.classes
        )
        if inner.relevant() or makes_class:
            # a parameter's default is its value when no followed call passes it
            positional = [*node.args.posonlyargs, *node.args.args]
            pairs = [
                *zip(
                    positional[len(positional) - len(node.args.defaults) :],
                    node.args.defaults,
                    strict=True,
                ),
                *zip(node.args.kwonlyargs, node.args.kw_defaults, strict=True),
            ]
            for arg, default in pairs:
                if default is not None and arg.arg not in inner.bind:
                    inner.bind[arg.arg] = ["=", encode(default), node.lineno]
            info["scope"] = inner.dump()
            info["routes"] = True
            every = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
            info["args"] = [a.arg for a in every]
        scope.funcs[node.name] = info

    def klass(self, node: ast.ClassDef) -> dict[str, Any]:
        attrs: dict[str, list[Any]] = {}
        fields: list[list[Any]] = []
        methods: dict[str, dict[str, Any]] = {}
        for stmt in node.body:
            if isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    if isinstance(target, ast.Name):
                        attrs[target.id] = [encode(stmt.value), stmt.lineno]
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                default = None if stmt.value is None else encode(stmt.value)
                fields.append([stmt.target.id, encode(stmt.annotation), default, stmt.lineno])
            elif isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
                method: dict[str, Any] = {"line": stmt.lineno}
                if stmt.decorator_list:
                    method["dec"] = [[encode(d), d.lineno] for d in stmt.decorator_list]
                methods[stmt.name] = method
                if stmt.name == "__init__":
                    updates = _route_updates(stmt)
                    if updates:
                        attrs["routes.update"] = [updates, stmt.lineno]
                    for name, value in _self_constants(stmt).items():
                        attrs.setdefault(name, value)
        info: dict[str, Any] = {"line": node.lineno, "bases": [encode(b) for b in node.bases]}
        if attrs:
            info["attrs"] = attrs
        if fields:
            info["fields"] = fields
        if methods:
            info["methods"] = methods
        if node.decorator_list:
            info["dec"] = [[encode(d), d.lineno] for d in node.decorator_list]
        return info


def _params(args: ast.arguments, everything: bool) -> list[list[Any]]:
    """Parameters as `[name, annotation, default]`; only dependency-like unless `everything`."""
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    defaults += args.defaults
    pairs = [
        *zip(positional, defaults, strict=True),
        *zip(args.kwonlyargs, args.kw_defaults, strict=False),
    ]
    out: list[list[Any]] = []
    for arg, default in pairs:
        interesting = everything or isinstance(default, ast.Call)
        if not interesting and isinstance(arg.annotation, ast.Subscript):
            interesting = "Annotated" in ast.dump(arg.annotation.value)
        if interesting:
            ann = encode(arg.annotation) if arg.annotation is not None else None
            out.append([arg.arg, ann, None if default is None else encode(default)])
    return out


def _route_updates(init: ast.FunctionDef | ast.AsyncFunctionDef) -> list[Any]:
    """`self.routes[0].mapping.update({...})` in a DRF router's `__init__`: `[[0, dict], ...]`."""
    found: list[Any] = []
    for stmt in init.body:
        call = stmt.value if isinstance(stmt, ast.Expr) else None
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)):
            continue
        mapping = call.func.value
        if (
            call.func.attr == "update"
            and call.args
            and isinstance(mapping, ast.Attribute)
            and mapping.attr == "mapping"
            and isinstance(mapping.value, ast.Subscript)
            and ast.unparse(mapping.value.value) == "self.routes"
            and isinstance(mapping.value.slice, ast.Constant)
        ):
            found.append([mapping.value.slice.value, encode(call.args[0])])
    return found


def _self_constants(init: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, list[Any]]:
    """`self.trailing_slash = "/?"` in `__init__`: constant instance attributes, as class ones."""
    found: dict[str, list[Any]] = {}
    for stmt in init.body:
        if (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Attribute)
            and isinstance(stmt.targets[0].value, ast.Name)
            and stmt.targets[0].value.id == "self"
            and isinstance(stmt.value, ast.Constant)
        ):
            found[stmt.targets[0].attr] = [encode(stmt.value), stmt.lineno]
    return found


def _declares_routes(node: ast.expr) -> bool:
    """`Starlette(routes=[...])`, `APIRouter(routes=...)`: an app or router built from data."""
    return isinstance(node, ast.Call) and any(k.arg == "routes" for k in node.keywords)


_TYPE_ALIAS = re.compile(rb"^(\s*)type\s+([A-Za-z_]\w*)\s*(\[[^=]*\])?\s*=", re.MULTILINE)
_GENERIC_DEF = re.compile(rb"^(\s*(?:async\s+)?(?:def|class)\s+[A-Za-z_]\w*)\[", re.MULTILINE)
_BARE_EXCEPT = re.compile(rb"^(\s*except\*?\s+)(?!\()([^:#\n]+,[^:#\n]+?)(\s*:)", re.MULTILINE)


def _parse(source: bytes, path: str) -> ast.Module:
    """`ast.parse`, then once more with newer syntax rewritten (see the module docstring)."""
    try:
        return ast.parse(source, filename=path)
    except SyntaxError as error:
        older = downgrade_syntax(source)
        if older == source:
            raise
        try:
            return ast.parse(older, filename=path)
        except SyntaxError:
            raise error from None


def downgrade_syntax(source: bytes) -> bytes:
    """PEP 695 aliases and type parameters, PEP 758 unparenthesised `except`: older spelling."""
    text = _TYPE_ALIAS.sub(rb"\1\2 =", source)
    text = _BARE_EXCEPT.sub(rb"\1(\2)\3", text)
    out = bytearray()
    last = 0
    for match in _GENERIC_DEF.finditer(text):
        if match.start() < last:
            continue
        end = _closing_bracket(text, match.end() - 1)
        if end is None:
            continue
        out += text[last : match.end() - 1]
        last = end + 1
    out += text[last:]
    return bytes(out)


def _closing_bracket(text: bytes, start: int) -> int | None:
    depth = 0
    for index in range(start, min(len(text), start + 2000)):
        char = text[index]
        if char == ord("["):
            depth += 1
        elif char == ord("]"):
            depth -= 1
            if depth == 0:
                return index
    return None


def extract_module(path: str, source: bytes) -> dict[str, Any]:
    """Facts of one Python file; a file that does not parse yields a warning, not an exception."""
    name, is_package = module_name(path)
    try:
        tree = _parse(source, path)
    except (SyntaxError, ValueError, UnicodeDecodeError, MemoryError, RecursionError) as error:
        line = getattr(error, "lineno", None)
        message = f"not parsed as Python: {type(error).__name__}: {getattr(error, 'msg', error)}"
        return {"module": name, "warnings": [[message, line]]}
    extractor = _Extractor(name, is_package)
    scope = extractor.top
    try:
        extractor.body(tree.body, scope)
    except RecursionError:
        return {"module": name, "warnings": [["too deeply nested to read", None]]}
    return {"module": name, "package": is_package, **scope.dump()}
