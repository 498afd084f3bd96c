"""Calls on framework objects found anywhere in the repository: route declarations and includes.

Only decorators and calls whose receiver evaluates to a framework object created in the
repository (`FastAPI()`, `APIRouter()`, `Flask()`, `Blueprint()`, a DRF router) count, so
outbound HTTP clients (`requests.get("/x")`, `client.get(...)` in tests) never produce routes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.scan.python import values as v
from bot.scan.python.program import Ctx, Program

_DECORATOR_ATTRS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "trace", "route", "api_route"}
)


@dataclass(frozen=True)
class Use:
    """`obj.method(...)` at a file and line; `handler` set for decorators and `(view)` calls."""

    obj: v.Obj
    method: str
    call: v.CallV
    file: str
    line: int
    ctx: Ctx
    handler: v.Value | None = None
    handler_name: str | None = None


def collect(program: Program) -> list[Use]:
    uses: list[Use] = []
    followed = _followed_calls(program)
    for ctx, scope in program.scopes():
        caller = next((c for c in _enclosing(ctx) if c in followed), None)
        if caller is None:
            uses += _scope_uses(program, ctx, scope)
            continue
        found: list[Use] = []
        for params in followed[caller]:
            with program.frame(caller, params):
                found += _scope_uses(program, ctx, scope)
        # no call reached a framework object: read the body as written (names resolve outward)
        uses += found or _scope_uses(program, ctx, scope)
    return uses


def _enclosing(ctx: Ctx) -> list[Ctx]:
    """The function contexts enclosing `ctx`, innermost first (itself included)."""
    return [(ctx[0], ctx[1][:depth]) for depth in range(len(ctx[1]), 0, -1)]


def _followed_calls(program: Program) -> dict[Ctx, list[dict[str, v.Value]]]:
    """Route-wiring helpers called as `helper(app, "name")` → their parameters at each call."""
    found: dict[Ctx, list[dict[str, v.Value]]] = {}
    # only functions with a body of their own can wire routes: skip every other call unevaluated
    helpers = {ctx[1][-1] for ctx, _ in program.scopes() if ctx[1]}
    for ctx, scope in program.scopes():
        for expr, _line in scope.get("invokes", []):
            if _called_name(expr[1]) not in helpers:
                continue
            callee = program.eval(expr[1], ctx)
            if not isinstance(callee, v.FuncRef):
                continue
            info = program.func(callee)
            names = info.get("args")
            if "scope" not in info or names is None:
                continue
            params = dict(zip(names, (program.eval(a, ctx) for a in expr[2]), strict=False))
            params.update({k: program.eval(x, ctx) for k, x in expr[3].items() if k in names})
            target = (callee.module, (*callee.scope, callee.name))
            found.setdefault(target, []).append(params)
    return found


def _called_name(func: list[Any]) -> str | None:
    """The name a call expression calls: `helper` in `helper(...)` and `mod.helper(...)`."""
    if func[0] == "n":
        return str(func[1])
    if func[0] == "a":
        return str(func[2])
    return None


def _scope_uses(program: Program, ctx: Ctx, scope: dict[str, Any]) -> list[Use]:
    if not (scope.get("calls") or scope.get("funcs") or scope.get("classes")):
        return []
    uses: list[Use] = []
    file = program.file(ctx[0])
    for expr, line, *loops in scope.get("calls", []):
        if loops:  # inside `for` loops: one use per item the loops go over
            if not _may_wire(program, expr, ctx, loops[0]):
                continue
            for _ in program.each(loops[0], ctx):
                use = _call(program, expr, ctx, file, line)
                if use is not None:
                    uses.append(use)
            continue
        use = _call(program, expr, ctx, file, line)
        if use is not None:
            uses.append(use)
    decorated: list[tuple[str, dict[str, Any], v.Value]] = [
        (name, func, v.FuncRef(ctx[0], ctx[1], name))
        for name, func in sorted(scope.get("funcs", {}).items())
        if func.get("routes")
    ]
    decorated += [  # Starlette's `@app.route("/")` on an `HTTPEndpoint` class
        (name, cls, v.ClassRef(ctx[0], ctx[1], name))
        for name, cls in sorted(scope.get("classes", {}).items())
        if "dec" in cls
    ]
    for name, info, ref in decorated:
        for dec, line in info.get("dec", []):
            if not (dec[0] == "call" and dec[1][0] == "a" and dec[1][2] in _DECORATOR_ATTRS):
                continue
            value = program.eval(dec, ctx, line=line)
            if isinstance(value, v.CallV) and isinstance(value.func, v.Bound):
                owner = value.func.owner
                if isinstance(owner, v.Obj):
                    uses.append(Use(owner, value.func.attr, value, file, line, ctx, ref, name))
    return uses


def _registering_router(value: v.Value) -> v.Obj | None:
    """The DRF router at the start of a chain of `.register(...)` calls."""
    for _ in range(8):
        if not (isinstance(value, v.CallV) and isinstance(value.func, v.Bound)):
            return None
        if value.func.attr != "register":
            return None
        owner = value.func.owner
        if isinstance(owner, v.Obj):
            return owner if owner.kind == "drf.router" else None
        value = owner
    return None


def _may_wire(program: Program, expr: list[Any], ctx: Ctx, loops: list[Any]) -> bool:
    """Whether a call inside loops may be on a framework object: the loops' items are only
    looked at when its receiver is one, or is a loop variable."""
    func = expr[1][1] if expr[1][0] == "call" else expr[1]
    if func[0] != "a":
        return False
    receiver = func[1]
    while receiver[0] == "a":
        receiver = receiver[1]
    targets = {
        n for target, _iter in loops for n in ([target] if isinstance(target, str) else target)
    }
    if receiver[0] == "n" and receiver[1] in targets:
        return True
    return isinstance(program.eval(func[1], ctx), v.Obj | v.Bound)


def _call(program: Program, expr: list[Any], ctx: Ctx, file: str, line: int) -> Use | None:
    func = expr[1][1] if expr[1][0] == "call" else expr[1]
    if func[0] != "a":
        return None
    receiver = program.eval(func[1], ctx)
    if (
        isinstance(receiver, v.Bound)
        and isinstance(receiver.owner, v.Obj)
        and receiver.attr == "registry"
        and func[2] == "extend"
    ):  # DRF `router.registry.extend(other_router.registry)`
        call = program.eval(expr, ctx, line=line)
        if isinstance(call, v.CallV):
            return Use(receiver.owner, "registry.extend", call, file, line, ctx)
    if isinstance(receiver, v.CallV) and func[2] == "register":
        # drf-extensions: `router.register("users", A).register("groups", B, ...)` nests B
        root = _registering_router(receiver)
        if root is not None:
            args = tuple(program.eval(a, ctx) for a in expr[2])
            kwargs = tuple((k, program.eval(x, ctx)) for k, x in expr[3].items())
            call = v.CallV(v.Bound(receiver, "register"), args, kwargs, v.render(expr))
            return Use(root, "register", call, file, line, ctx)
    if not isinstance(receiver, v.Obj):
        return None  # only calls on framework objects matter; skip evaluating the rest
    value = program.eval(expr, ctx, line=line)
    if not isinstance(value, v.CallV):
        return None
    if isinstance(value.func, v.CallV):  # app.route("/x")(view)
        inner = value.func
        if isinstance(inner.func, v.Bound) and isinstance(inner.func.owner, v.Obj):
            handler = value.args[0] if value.args else None
            name = v.render(expr[2][0]) if expr[2] else None
            return Use(inner.func.owner, inner.func.attr, inner, file, line, ctx, handler, name)
        return None
    if isinstance(value.func, v.Bound) and isinstance(value.func.owner, v.Obj):
        return Use(value.func.owner, value.func.attr, value, file, line, ctx)
    return None


def handler_name(value: v.Value | None) -> str | None:
    if isinstance(value, v.FuncRef | v.ClassRef):
        return value.name
    if isinstance(value, v.CallV) and isinstance(value.func, v.Bound):
        owner = value.func.owner
        if isinstance(owner, v.ClassRef):
            return owner.name
    return None
