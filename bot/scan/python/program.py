"""Name resolution across a repository's modules: evaluates encoded expressions to `Value`s."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from bot.scan.python import values as v
from bot.scan.python.values import Value

# (top package, class name) → kind of framework object a call to it creates
_CONSTRUCTORS: dict[tuple[str, str], str] = {
    ("fastapi", "FastAPI"): "fastapi.app",
    ("fastapi", "APIRouter"): "fastapi.router",
    # Starlette, FastAPI's base: same routing model, so the same kinds (reported as "starlette")
    ("starlette", "Starlette"): "fastapi.app",
    ("starlette", "Router"): "fastapi.router",
    ("flask", "Flask"): "flask.app",
    ("flask", "Blueprint"): "flask.bp",
    ("apiflask", "APIFlask"): "flask.app",
    ("apiflask", "APIBlueprint"): "flask.bp",
    ("flask_smorest", "Blueprint"): "flask.bp",
    ("rest_framework", "DefaultRouter"): "drf.router",
    ("rest_framework", "SimpleRouter"): "drf.router",
    # third-party DRF routers (drf-extensions, drf-nested-routers): DRF routers themselves
    ("rest_framework_extensions", "ExtendedDefaultRouter"): "drf.router",
    ("rest_framework_extensions", "ExtendedSimpleRouter"): "drf.router",
    ("rest_framework_nested", "DefaultRouter"): "drf.router",
    ("rest_framework_nested", "SimpleRouter"): "drf.router",
    ("rest_framework_nested", "NestedSimpleRouter"): "drf.router",
    ("rest_framework_nested", "NestedDefaultRouter"): "drf.router",
    ("rest_framework_bulk", "BulkRouter"): "drf.router",
}
_SECURITY = frozenset(
    {
        "OAuth2PasswordBearer",
        "OAuth2AuthorizationCodeBearer",
        "OAuth2",
        "OpenIdConnect",
        "HTTPBearer",
        "HTTPBasic",
        "HTTPDigest",
        "APIKeyHeader",
        "APIKeyQuery",
        "APIKeyCookie",
    }
)
# Never resolved to a same-named folder inside the repository.
_EXTERNAL = frozenset(
    {
        "fastapi",
        "starlette",
        "flask",
        "django",
        "rest_framework",
        "pydantic",
        "pydantic_settings",
        "os",
        "functools",
    }
)
# FastAPI app attributes that hold URLs, with FastAPI's defaults (used in docs-UI routes).
_APP_URLS = {
    "openapi_url": "/openapi.json",
    "docs_url": "/docs",
    "redoc_url": "/redoc",
    "swagger_ui_oauth2_redirect_url": "/docs/oauth2-redirect",
    "root_path": "",
}
_GETTEXT = frozenset({"gettext", "gettext_lazy", "ugettext", "ugettext_lazy"})
_ENV_READERS = frozenset({"os.getenv", "os.environ.get", "os.environ.setdefault"})
_DJANGO_SETTINGS = "django.conf.settings"


def constructor_kind(ext: v.Ext) -> str | None:
    if ext.root == "fastapi" and ext.last in _SECURITY:
        return "fastapi.security"
    return _CONSTRUCTORS.get((ext.root, ext.last))


Ctx = tuple[str, tuple[str, ...]]  # (module, function path)
_EMPTY: dict[str, Any] = {"funcs": {}}


class Program:
    """All modules' facts, with memoised evaluation of names and expressions."""

    def __init__(self, modules: Mapping[str, dict[str, Any]], files: Mapping[str, str]) -> None:
        self.modules = modules  # dotted name → facts
        self.files = files  # dotted name → file path
        self._suffix: dict[str, list[str]] = {}
        for name in modules:
            parts = name.split(".")
            for i in range(len(parts)):
                self._suffix.setdefault(".".join(parts[i:]), []).append(name)
        self._memo: dict[tuple[str, tuple[str, ...], str], Value] = {}
        self._busy: set[object] = set()
        # function context → its parameters' values while one call of it is followed
        self._frames: dict[Ctx, dict[str, Value]] = {}
        self._scopes: list[tuple[Ctx, dict[str, Any]]] | None = None
        self._settings: list[str] | None = None

    # -- modules and scopes -------------------------------------------------------------------
    def find_module(self, dotted: str, near: str = "") -> str | None:
        # Framework packages are always the installed ones, even where the repository has a
        # same-named folder (a vendored copy, the framework's own source, an examples tree).
        if not dotted or dotted.split(".")[0] in _EXTERNAL:
            return None
        if dotted in self.modules:
            return dotted
        found = self._suffix.get(dotted, [])
        if not found:
            return None
        same_root = [m for m in found if near.startswith(m[: len(m) - len(dotted)])]
        return min(same_root or found, key=len)

    def scope(self, ctx: Ctx) -> dict[str, Any]:
        scope = self.modules[ctx[0]]
        for name in ctx[1]:
            scope = scope["funcs"][name].get("scope", _EMPTY)
        return scope

    def scopes(self) -> list[tuple[Ctx, dict[str, Any]]]:
        """Every module scope and every function scope that may wire routes."""
        if self._scopes is None:
            self._scopes = []
            for module in sorted(self.modules):
                stack: list[tuple[Ctx, dict[str, Any]]] = [((module, ()), self.modules[module])]
                while stack:
                    ctx, scope = stack.pop()
                    self._scopes.append((ctx, scope))
                    for name, func in sorted(scope.get("funcs", {}).items()):
                        if "scope" in func:
                            stack.append(((ctx[0], (*ctx[1], name)), func["scope"]))
        return self._scopes

    def file(self, module: str) -> str:
        return self.files.get(module, module)

    def klass(self, ref: v.ClassRef) -> dict[str, Any]:
        info: dict[str, Any] = self.scope((ref.module, ref.scope))["classes"][ref.name]
        return info

    def func(self, ref: v.FuncRef) -> dict[str, Any]:
        info: dict[str, Any] = self.scope((ref.module, ref.scope))["funcs"][ref.name]
        return info

    # -- names --------------------------------------------------------------------------------
    @contextmanager
    def frame(self, ctx: Ctx, params: dict[str, Value]) -> Iterator[None]:
        """Evaluate inside function `ctx` with its parameters bound (one call followed)."""
        before = self._frames.get(ctx)
        self._frames[ctx] = {**before, **params} if before else params
        try:
            yield
        finally:
            if before is None:
                del self._frames[ctx]
            else:
                self._frames[ctx] = before

    def each(self, loops: list[Any], ctx: Ctx) -> Iterator[None]:
        """Once per item of nested `for` loops (`[[target, iterable], ...]`), the targets bound."""
        if not loops:
            yield
            return
        (target, iterable), rest = loops[0], loops[1:]
        for item in self.items(self.eval(iterable, ctx)):
            with self.frame(ctx, unpack(target, item)):
                yield from self.each(rest, ctx)

    def items(self, value: Value) -> tuple[Value, ...]:
        """What iterating over `value` yields, when statically known (lists and dict views)."""
        if isinstance(value, v.ListV):
            return value.items
        if isinstance(value, v.DictV):
            return tuple(k for k, _x in value.items)
        if isinstance(value, v.CallV) and isinstance(value.func, v.Bound) and not value.args:
            owner = value.func.owner
            if isinstance(owner, v.DictV) and value.func.attr == "items":
                return tuple(v.ListV((k, x)) for k, x in owner.items)
            if isinstance(owner, v.DictV) and value.func.attr == "values":
                return tuple(x for _k, x in owner.items)
            if isinstance(owner, v.DictV) and value.func.attr == "keys":
                return tuple(k for k, _x in owner.items)
        return ()

    def _framed(self, ctx: Ctx) -> bool:
        return any(ctx[0] == m and ctx[1][: len(p)] == p for m, p in self._frames)

    def lookup(self, name: str, ctx: Ctx) -> Value:
        module, path = ctx
        for depth in range(len(path), -1, -1):
            here = (module, path[:depth])
            if here in self._frames and name in self._frames[here]:
                return self._frames[here][name]
            scope = self.scope(here)
            if name in scope.get("bind", {}):
                return self._binding(name, here, scope["bind"][name])
            if name in scope.get("classes", {}):
                return v.ClassRef(module, here[1], name)
            if name in scope.get("funcs", {}):
                return v.FuncRef(module, here[1], name)
        return v.Unknown(name)

    def definition(self, name: str, ctx: Ctx, depth: int = 0) -> tuple[list[Any], Ctx] | None:
        """The expression assigned to `name` (following imports) and the context it lives in."""
        module, path = ctx
        for level in range(len(path), -1, -1):
            here = (module, path[:level])
            binding = self.scope(here).get("bind", {}).get(name)
            if binding is None:
                continue
            if binding[0] == "=":
                return binding[1], here
            if binding[0] == "from" and depth < 8:
                found = self.find_module(binding[1], module) or self.own_package(binding[1], name)
                if found is not None:
                    return self.definition(binding[2], (found, ()), depth + 1)
            return None
        return None

    def member(self, module: str, name: str) -> Value:
        """`module.name`: a top-level name, else a submodule."""
        top = self.modules[module]
        if any(name in top.get(k, {}) for k in ("bind", "classes", "funcs")):
            return self.lookup(name, (module, ()))
        sub = f"{module}.{name}"
        if sub in self.modules:
            return v.ModRef(sub)
        return v.Unknown(f"{module}.{name}")

    def module_value(self, dotted: str, near: str) -> Value:
        found = self.find_module(dotted, near) or self.own_package(dotted)
        return v.ModRef(found) if found else v.Ext(dotted)

    def own_package(self, dotted: str, attr: str | None = None) -> str | None:
        """`mypkg.server.utils` when the scan root *is* `mypkg/`: the module `server.utils`.

        Only a name whose first part is no module here and whose rest is exactly a module (that
        defines `attr`, when given) counts, so `requests.adapters` never turns into a local file.
        """
        head, _, rest = dotted.partition(".")
        if not rest or head in _EXTERNAL or head in self._suffix or rest not in self.modules:
            return None
        if attr is not None:
            top = self.modules[rest]
            known = any(attr in top.get(k, {}) for k in ("bind", "classes", "funcs"))
            if not known and f"{rest}.{attr}" not in self.modules:
                return None
        return rest

    def _binding(self, name: str, ctx: Ctx, binding: list[Any]) -> Value:
        key = (ctx[0], ctx[1], name)
        framed = bool(self._frames) and self._framed(ctx)
        if key in self._memo and not framed:
            return self._memo[key]
        if key in self._busy:
            return v.Unknown(name)
        self._busy.add(key)
        try:
            kind = binding[0]
            if kind == "=":
                value = self.eval(binding[1], ctx, name=name, line=binding[2])
                for _op, expr, line in self.scope(ctx).get("aug", {}).get(name, []):
                    if line > binding[2]:  # `names = []` then `names += more`
                        value = v.concat(value, self.eval(expr, ctx), name)
            elif kind == "mod":
                value = self.module_value(binding[1], ctx[0])
            else:
                source, attr = binding[1], binding[2]
                found = self.find_module(source, ctx[0]) or self.own_package(source, attr)
                if found is not None and found == ctx[0] and f"{found}.{attr}" in self.modules:
                    value = v.ModRef(f"{found}.{attr}")  # `from pkg import sub` in pkg itself
                elif found is None:
                    sub = self.find_module(f"{source}.{attr}", ctx[0]) if source else None
                    value = v.ModRef(sub) if sub else v.Ext(f"{source}.{attr}")
                else:
                    value = self.member(found, attr)
        finally:
            self._busy.discard(key)
        if not framed:
            self._memo[key] = value
        return value

    # -- expressions --------------------------------------------------------------------------
    def eval(self, expr: list[Any] | None, ctx: Ctx, name: str = "", line: int = 0) -> Value:
        if not expr:
            return v.Const(None)
        tag = expr[0]
        if tag == "c":
            return v.Const(expr[1])
        if tag == "n":
            return self.lookup(expr[1], ctx)
        if tag == "a":
            return self.attribute(self.eval(expr[1], ctx), expr[2], v.render(expr))
        if tag == "call":
            return self.call(expr, ctx, name, line)
        if tag == "l":
            items: list[Value] = []
            for item in expr[1]:
                if item[0] == "*":  # `[*router.urls, path(...)]`, `[*[... for u in urls]]`
                    inner = self.eval(item[1], ctx)
                    items.extend(inner.items if isinstance(inner, v.ListV) else (inner,))
                else:
                    items.append(self.eval(item, ctx))
            return v.ListV(tuple(items))
        if tag == "lc":
            out: list[Value] = []
            for each in self.items(self.eval(expr[3], ctx)):
                with self.frame(ctx, unpack(expr[2], each)):
                    out.append(self.eval(expr[1], ctx))
            return v.ListV(tuple(out))
        if tag == "d":
            return v.DictV(tuple((self.eval(k, ctx), self.eval(x, ctx)) for k, x in expr[1]))
        if tag == "+":
            return v.concat(self.eval(expr[1], ctx), self.eval(expr[2], ctx), v.render(expr))
        if tag == "f":
            parts = [self.eval(p, ctx) for p in expr[1]]
            return v.fstring(parts, [v.render(p) for p in expr[1]])
        if tag == "e":
            return v.Const(Ellipsis)
        if tag == "s":
            base = self.eval(expr[1], ctx)
            index = self.eval(expr[2], ctx)
            position = index.value if isinstance(index, v.Const) else None
            if (
                isinstance(base, v.ListV)
                and type(position) is int
                and -len(base.items) <= position < len(base.items)
            ):
                return base.items[position]
            if isinstance(base, v.DictV) and isinstance(index, v.Const):
                found = next((x for k, x in base.items if k == index), None)
                if found is not None:
                    return found
            return v.Typed(expr, ctx[0], ctx[1], v.render(expr))
        return v.Unknown(v.render(expr))

    def attribute(self, owner: Value, attr: str, text: str) -> Value:
        if isinstance(owner, v.ModRef):
            return self.member(owner.module, attr)
        if isinstance(owner, v.Ext):
            if owner.name == _DJANGO_SETTINGS:
                known = self.django_setting(attr)
                if known is not None:
                    return known
            return v.Ext(f"{owner.name}.{attr}")
        if isinstance(owner, v.Inst):
            return self.instance_attribute(owner.cls, attr, text)
        if isinstance(owner, v.Obj) and owner.kind == "fastapi.app":
            if attr == "router":  # `app.router.add_api_route(...)` routes on the app itself
                return owner
            if attr in _APP_URLS:
                return owner.kw(attr) or v.Const(_APP_URLS[attr])
        if isinstance(owner, v.ClassRef | v.Obj | v.DictV):
            return v.Bound(owner, attr)
        return v.Unknown(text)

    def django_setting(self, name: str) -> Value | None:
        """`settings.NAME`: its value in the settings module(s) (those setting ROOT_URLCONF)."""
        if self._settings is None:
            self._settings = [
                m for m, facts in sorted(self.modules.items()) if "ROOT_URLCONF" in facts["bind"]
            ]
        for module in self._settings:
            if name in self.modules[module]["bind"]:
                value = self.lookup(name, (module, ()))
                if not isinstance(value, v.Unknown):
                    return value
        return None

    def instance_attribute(self, cls: v.ClassRef, attr: str, text: str) -> Value:
        """A settings-like attribute: the class field's default (what runs without overrides)."""
        for ref in self.mro(cls):
            info = self.klass(ref)
            ctx = (ref.module, ref.scope)
            for field_name, _ann, default, line in info.get("fields", []):
                if field_name == attr:
                    return self._default(default, ctx, line, text)
            if attr in info.get("attrs", {}):
                expr, line = info["attrs"][attr]
                return self._default(expr, ctx, line, text)
        return v.Unknown(text)

    def _default(self, expr: list[Any] | None, ctx: Ctx, line: int, text: str) -> Value:
        if expr is None:
            return v.Unknown(text)
        value = self.eval(expr, ctx, line=line)
        if _is_field(value):
            assert isinstance(value, v.CallV)
            inner = value.arg(0, "default")
            if inner is None or (isinstance(inner, v.Const) and inner.value is Ellipsis):
                return v.Unknown(text)
            return inner
        return value

    def mro(self, cls: v.ClassRef) -> list[v.ClassRef]:
        """The class and its in-repository bases, depth first, each once."""
        order: list[v.ClassRef] = []
        stack = [cls]
        while stack:
            ref = stack.pop(0)
            if ref in order:
                continue
            order.append(ref)
            for base in self.bases(ref):
                if isinstance(base, v.ClassRef):
                    stack.append(base)
        return order

    def bases(self, ref: v.ClassRef) -> list[Value]:
        ctx = (ref.module, ref.scope)
        return [self.eval(b, ctx) for b in self.klass(ref).get("bases", [])]

    def external_bases(self, cls: v.ClassRef) -> list[v.Ext]:
        found: list[v.Ext] = []
        for ref in self.mro(cls):
            found.extend(b for b in self.bases(ref) if isinstance(b, v.Ext))
        return found

    def call(self, expr: list[Any], ctx: Ctx, name: str, line: int) -> Value:
        func = self.eval(expr[1], ctx)
        args = tuple(self.eval(a, ctx) for a in expr[2])
        kwargs = tuple((k, self.eval(x, ctx)) for k, x in expr[3].items())
        text = v.render(expr)
        if func == v.Unknown("getattr") and len(args) == 3 and isinstance(args[1], v.Const):
            # `getattr(configuration, "BASE_PATH", "")`: the attribute if known, else the default
            found = self.attribute(args[0], str(args[1].value), text)
            return args[2] if isinstance(found, v.Unknown | v.Ext) else found
        if (
            isinstance(func, v.CallV)
            and isinstance(func.func, v.Ext)
            and func.func.name == "functools.partial"  # `partial(APIRouter, route_class=...)`
            and func.args
        ):
            partial = func
            func, args = partial.args[0], partial.args[1:] + args
            kwargs = partial.kwargs + kwargs
        if isinstance(func, v.Ext):
            kind = constructor_kind(func)
            if kind:
                ident = f"{ctx[0]}:{'.'.join(ctx[1])}:{name or text}:{line}"
                return v.Obj(kind, ident, name or text, ctx[0], line, func, args, kwargs)
            if func.root == "django" and func.last in _GETTEXT and args:
                return args[0]  # a translated route: the untranslated text is the default
            if func.name in _ENV_READERS or (func.root == "os" and func.last == "getenv"):
                default = args[1] if len(args) > 1 else dict(kwargs).get("default")
                return default if default is not None else v.Unknown(text)
        if isinstance(func, v.ClassRef):
            for base in self.external_bases(func):
                kind = constructor_kind(base)
                if kind:
                    ident = f"{ctx[0]}:{'.'.join(ctx[1])}:{name or text}:{line}"
                    return v.Obj(kind, ident, name or text, ctx[0], line, base, args, kwargs, func)
            return v.Inst(func)
        if isinstance(func, v.FuncRef):
            key = ("call", func)
            info = self.func(func)
            inner = (func.module, (*func.scope, func.name))
            if "returns" in info and key not in self._busy:
                self._busy.add(key)
                try:
                    value = self.eval(info["returns"], inner)
                finally:
                    self._busy.discard(key)
                if isinstance(value, v.Unknown | v.CallV | v.Typed) and "ret" in info:
                    # not pinned down (`return environments[name]()`): the declared return type
                    declared = self.eval(info["ret"], (func.module, func.scope))
                    if isinstance(declared, v.ClassRef):
                        return v.Inst(declared)
                return value
            return v.Unknown(text)
        return v.CallV(func, args, kwargs, text)


def unpack(target: str | list[str], item: Value) -> dict[str, Value]:
    """Loop-target bindings: `x` gets the item; `k, x` unpacks a known pair."""
    if isinstance(target, str):
        return {target: item}
    if isinstance(item, v.ListV) and len(item.items) == len(target):
        return dict(zip(target, item.items, strict=True))
    return {name: v.Unknown(name) for name in target}


def _is_field(value: Value) -> bool:
    """A pydantic `Field(...)` call."""
    return (
        isinstance(value, v.CallV) and isinstance(value.func, v.Ext) and value.func.last == "Field"
    )
