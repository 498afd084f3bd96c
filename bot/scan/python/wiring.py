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
    for ctx, scope in program.scopes():
        file = program.file(ctx[0])
        for expr, line in scope.get("calls", []):
            use = _call(program, expr, ctx, file, line)
            if use is not None:
                uses.append(use)
        for name, func in sorted(scope.get("funcs", {}).items()):
            if not func.get("routes"):
                continue
            ref = v.FuncRef(ctx[0], ctx[1], name)
            for dec, line in func.get("dec", []):
                if not (dec[0] == "call" and dec[1][0] == "a" and dec[1][2] in _DECORATOR_ATTRS):
                    continue
                value = program.eval(dec, ctx, line=line)
                if isinstance(value, v.CallV) and isinstance(value.func, v.Bound):
                    owner = value.func.owner
                    if isinstance(owner, v.Obj):
                        uses.append(Use(owner, value.func.attr, value, file, line, ctx, ref, name))
    return uses


def _call(program: Program, expr: list[Any], ctx: Ctx, file: str, line: int) -> Use | None:
    func = expr[1][1] if expr[1][0] == "call" else expr[1]
    if func[0] != "a" or not isinstance(program.eval(func[1], ctx), v.Obj):
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
