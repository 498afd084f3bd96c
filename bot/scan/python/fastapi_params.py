"""A FastAPI handler's signature: query/path/header/cookie params, body, security dependencies."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.scan.model import Param, ParamLocation
from bot.scan.python import values as v
from bot.scan.python.program import Ctx, Program
from bot.scan.python.schema import SchemaReader

_LOCATIONS: dict[str, ParamLocation] = {
    "Query": "query",
    "Path": "path",
    "Header": "header",
    "Cookie": "cookie",
}
_BODIES = {"Body": "application/json", "Form": "application/x-www-form-urlencoded"}
_FRAMEWORK_TYPES = frozenset(
    {"Request", "Response", "WebSocket", "BackgroundTasks", "SecurityScopes", "HTTPConnection"}
)


@dataclass
class Signature:
    params: list[Param] = field(default_factory=list)
    body: dict[str, Any] | None = None
    body_type: str | None = None
    body_required: bool = False
    # `name: type` parameters whose type names something not found (so no schema is known)
    unresolved: list[tuple[str, str]] = field(default_factory=list)
    security: list[str] = field(default_factory=list)


def _marker(value: v.Value | None) -> v.CallV | None:
    if not (isinstance(value, v.CallV) and isinstance(value.func, v.Ext)):
        return None
    if value.func.root == "fastapi" or value.func.last in ("Depends", "Security"):
        return value
    return None


def _split(
    program: Program, ann: list[Any] | None, default: list[Any] | None, ctx: Ctx
) -> tuple[list[Any] | None, v.CallV | None, v.Value | None, Ctx]:
    """(type expression, marker such as Query(...)/Depends(...), default, the type's context)."""
    value = program.eval(default, ctx) if default is not None else None
    marker = _marker(value)
    if ann is not None and ann[0] == "n":  # an alias such as `CurrentUser = Annotated[...]`
        found = program.definition(ann[1], ctx)
        if found is not None and found[0][0] == "s":
            ann, ctx = found
    if ann is not None and ann[0] == "s":
        head = program.eval(ann[1], ctx)
        if isinstance(head, v.Ext) and head.last == "Annotated" and ann[2][0] == "l":
            items = ann[2][1]
            ann = items[0]
            for meta in items[1:]:
                marker = marker or _marker(program.eval(meta, ctx))
    return ann, marker, value, ctx


def read_signature(program: Program, schemas: SchemaReader, handler: v.Value | None) -> Signature:
    sig = Signature()
    if not isinstance(handler, v.FuncRef):
        return sig
    ctx = (handler.module, handler.scope)
    bodies: list[tuple[str, dict[str, Any], bool]] = []
    for name, raw_ann, default in program.func(handler).get("params", []):
        if name in ("self", "cls"):
            continue
        ann, marker, value, type_ctx = _split(program, raw_ann, default, ctx)
        kind = marker.func.last if marker is not None and isinstance(marker.func, v.Ext) else None
        if kind in ("Depends", "Security") and marker is not None:
            for scheme in dependency_security(program, schemas, marker, set()):
                if scheme not in sig.security:
                    sig.security.append(scheme)
            continue
        is_name = ann is not None and ann[0] in ("n", "a")
        type_value = program.eval(ann, type_ctx) if is_name else None
        if isinstance(type_value, v.Ext) and type_value.last in _FRAMEWORK_TYPES:
            continue
        schema = schemas.annotation(ann, type_ctx) if ann is not None else {"type": "string"}
        required = _required(marker, value)
        is_model = schemas.is_model(type_value) if type_value is not None else False
        if schema is not None and schema.get("type") == "array":  # list[Model] is a body
            is_model = is_model or "properties" in schema.get("items", {})
        if schema is not None and schema.get("type") == "object":  # dict[...] is a body
            is_model = True
        if kind in _BODIES or kind == "File" or (kind is None and is_model):
            if kind == "File" or kind == "UploadFile":
                sig.body_type = "multipart/form-data"
            elif kind == "Form" and sig.body_type is None:
                sig.body_type = _BODIES["Form"]
            bodies.append((name, schema or {}, required))
            continue
        if isinstance(type_value, v.Ext) and type_value.last == "UploadFile":
            sig.body_type = "multipart/form-data"
            bodies.append((name, {"type": "string", "format": "binary"}, required))
            continue
        if schema is None:
            if isinstance(type_value, v.Unknown) and ann is not None:
                sig.unresolved.append((name, v.render(ann)))
            continue
        location: ParamLocation = _LOCATIONS.get(kind or "Query", "query")
        alias = v.as_text(marker.kw("alias")) if marker is not None else None
        if location == "header" and alias is None:
            alias = name.replace("_", "-")
        param = Param(name=alias or name, location=location, required=required, schema=schema)
        sig.params.append(param)
    if len(bodies) == 1 and sig.body_type is None:
        sig.body, sig.body_required = bodies[0][1], bodies[0][2]
        sig.body_type = "application/json"
    elif bodies:
        sig.body = {
            "type": "object",
            "properties": {n: s for n, s, _r in bodies},
            "required": [n for n, _s, r in bodies if r],
        }
        sig.body_required = any(r for _n, _s, r in bodies)
        sig.body_type = sig.body_type or "application/json"
    return sig


def _required(marker: v.CallV | None, value: v.Value | None) -> bool:
    if marker is not None:
        first = marker.arg(0, "default")
        if first is None:
            return marker.kw("default_factory") is None
        return isinstance(first, v.Const) and first.value is Ellipsis
    return value is None


def dependency_security(
    program: Program, schemas: SchemaReader, dep: v.Value, seen: set[v.Value]
) -> list[str]:
    """Security schemes behind a `Depends(x)`/`Security(x)`, following dependency functions."""
    if not isinstance(dep, v.CallV):
        return []
    target = dep.arg(0, "dependency")
    if target is None or target in seen:
        return []
    seen.add(target)
    if isinstance(target, v.Obj):
        return [target.name] if target.kind == "fastapi.security" else []
    if not isinstance(target, v.FuncRef):
        return []
    ctx = (target.module, target.scope)
    found: list[str] = []
    for _name, ann, default in program.func(target).get("params", []):
        _ann, marker, _value, _ctx = _split(program, ann, default, ctx)
        if (
            marker is not None
            and isinstance(marker.func, v.Ext)
            and marker.func.last in ("Depends", "Security")
        ):
            found.extend(
                s for s in dependency_security(program, schemas, marker, seen) if s not in found
            )
    return found
