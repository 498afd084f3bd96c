"""Routes declared as data: `routes=[Route(...), Mount(...)]` of Starlette and FastAPI objects.

Each `Route`/`APIRoute` becomes an `add_route`/`add_api_route` use on the object whose list
holds it, and each `Mount`/`Host` a `mount` use of the mounted app (or of an anonymous router
for `Mount(path, routes=[...])`), so prefixes chain exactly like `app.mount(...)`.
"""

from __future__ import annotations

from collections.abc import Iterator

from bot.scan.model import ScanWarning
from bot.scan.python import values as v
from bot.scan.python.program import Ctx, Program
from bot.scan.python.wiring import Use, handler_name

_ROUTE = {"Route": "add_route", "APIRoute": "add_api_route"}
_MOUNTS = frozenset({"Mount", "Host"})
_NOT_HTTP = frozenset({"WebSocketRoute", "APIWebSocketRoute"})
_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")


def data_uses(program: Program, uses: list[Use]) -> tuple[list[Use], list[ScanWarning]]:
    """Uses for every route list passed as `routes=` to an app, a router or a `Mount`."""
    expand = _Expand(program)
    for obj, ctx in _declared(program):
        expand.obj(obj, ctx)
    for use in list(uses):  # objects wired by calls may declare routes as data as well
        expand.obj(use.obj, use.ctx)
    return expand.uses, expand.warnings


def _declared(program: Program) -> Iterator[tuple[v.Obj, Ctx]]:
    for ctx, scope in program.scopes():
        for expr, line in scope.get("objs", []):
            value = program.eval(expr, ctx, line=line)
            if isinstance(value, v.Obj):
                yield value, ctx


class _Expand:
    def __init__(self, program: Program) -> None:
        self.program = program
        self.uses: list[Use] = []
        self.warnings: list[ScanWarning] = []
        self.seen: set[v.Obj] = set()

    def obj(self, obj: v.Obj, ctx: Ctx) -> None:
        if obj in self.seen or not obj.kind.startswith("fastapi."):
            return
        self.seen.add(obj)
        routes = obj.kw("routes")
        if routes is not None:
            self.routes(obj, routes, ctx, self.program.file(obj.module), obj.line)

    def routes(self, owner: v.Obj, routes: v.Value, ctx: Ctx, file: str, line: int) -> None:
        items = routes.items if isinstance(routes, v.ListV) else (routes,)
        for index, item in enumerate(items):
            kind = _kind(item)
            if isinstance(item, v.CallV) and kind in _ROUTE:
                self.route(owner, item, _ROUTE[kind], ctx, file, line)
            elif isinstance(item, v.CallV) and kind in _MOUNTS:
                self.mount(owner, item, kind, ctx, file, line, index)
            elif kind not in _NOT_HTTP:
                text = item.text if isinstance(item, v.CallV | v.Unknown) else type(item).__name__
                message = f"route `{text}` not understood; skipped"
                self.warnings.append(ScanWarning(file=file, line=line, message=message))

    def route(
        self, owner: v.Obj, call: v.CallV, method: str, ctx: Ctx, file: str, line: int
    ) -> None:
        handler = call.arg(1, "endpoint")
        where = _definition(self.program, handler)
        file, line = where or (file, line)
        self.uses.append(Use(owner, method, call, file, line, ctx, handler, handler_name(handler)))

    def mount(
        self, owner: v.Obj, call: v.CallV, kind: str, ctx: Ctx, file: str, line: int, index: int
    ) -> None:
        # `Host("api.example.com", app)` serves its app at the root of that host
        path = v.Const("") if kind == "Host" else call.arg(0, "path")
        child = call.arg(1, "app")
        nested = call.kw("routes")
        if child is None and nested is not None:
            child = v.Obj(
                "fastapi.router",
                f"{owner.id}>{index}",
                f"{owner.name}.routes[{index}]",
                owner.module,
                line,
                owner.ctor,
            )
            self.routes(child, nested, ctx, file, line)
        if child is None:
            return
        mount = v.CallV(v.Bound(owner, "mount"), (path or v.Const(""), child), (), call.text)
        self.uses.append(Use(owner, "mount", mount, file, line, ctx))
        if isinstance(child, v.Obj):
            self.obj(child, ctx)


def _kind(item: v.Value) -> str:
    """`Route`, `Mount`, ... for a call of a routing class from outside the repository."""
    if isinstance(item, v.CallV) and isinstance(item.func, v.Ext):
        return item.func.last
    return ""


def _definition(program: Program, handler: v.Value | None) -> tuple[str, int] | None:
    """Where a function or class endpoint is defined: the most useful place to point at."""
    if isinstance(handler, v.FuncRef):
        return program.file(handler.module), program.func(handler)["line"]
    if isinstance(handler, v.ClassRef):
        return program.file(handler.module), program.klass(handler)["line"]
    return None


def endpoint_methods(program: Program, cls: v.ClassRef) -> list[str]:
    """An `HTTPEndpoint` answers the methods it defines (own and inherited in the repository)."""
    defined = {m for ref in program.mro(cls) for m in program.klass(ref).get("methods", {})}
    return [m.upper() for m in _VERBS if m in defined] or ["GET"]
