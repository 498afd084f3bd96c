"""JSON schemas from Python type annotations and Pydantic models, where statically resolvable."""

from __future__ import annotations

from typing import Any

from bot.scan.python import values as v
from bot.scan.python.program import Ctx, Program

Schema = dict[str, Any]

_SCALARS: dict[str, Schema] = {
    "str": {"type": "string"},
    "int": {"type": "integer"},
    "float": {"type": "number"},
    "Decimal": {"type": "number"},
    "bool": {"type": "boolean"},
    "bytes": {"type": "string", "format": "binary"},
    "dict": {"type": "object"},
    "Dict": {"type": "object"},
    "Mapping": {"type": "object"},
    "list": {"type": "array"},
    "List": {"type": "array"},
    "Any": {},
    "UUID": {"type": "string", "format": "uuid"},
    "datetime": {"type": "string", "format": "date-time"},
    "date": {"type": "string", "format": "date"},
    "time": {"type": "string", "format": "time"},
    "EmailStr": {"type": "string", "format": "email"},
    "HttpUrl": {"type": "string", "format": "uri"},
    "AnyUrl": {"type": "string", "format": "uri"},
    "SecretStr": {"type": "string"},
    "NoneType": {"type": "null"},
}
_ARRAYS = frozenset({"list", "List", "Sequence", "Set", "set", "FrozenSet", "frozenset", "tuple"})
_MODEL_BASES = frozenset({"BaseModel", "SQLModel", "BaseSettings", "RootModel"})
_MAX_DEPTH = 12


class SchemaReader:
    """Turns annotations into JSON schemas; unknown types yield None, never a guess."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self._models: dict[v.ClassRef, Schema] = {}

    def is_model(self, value: v.Value) -> bool:
        if not isinstance(value, v.ClassRef):
            return False
        return any(
            b.last in _MODEL_BASES and b.root in ("pydantic", "sqlmodel", "pydantic_settings")
            for b in self.program.external_bases(value)
        )

    def is_enum(self, value: v.Value) -> bool:
        return isinstance(value, v.ClassRef) and any(
            b.root == "enum" for b in self.program.external_bases(value)
        )

    def annotation(self, expr: list[Any] | None, ctx: Ctx, depth: int = 0) -> Schema | None:
        if expr is None or depth > _MAX_DEPTH:
            return None
        tag = expr[0]
        if tag == "c":
            if expr[1] is None:
                return {"type": "null"}
            if isinstance(expr[1], str):  # a forward reference, "Model"
                return self.annotation(["n", expr[1]], ctx, depth + 1)
            return None
        if tag == "|":
            left = self.annotation(expr[1], ctx, depth + 1)
            right = self.annotation(expr[2], ctx, depth + 1)
            return _union([left, right])
        if tag == "s":
            return self._generic(expr, ctx, depth)
        if tag in ("n", "a"):
            return self.value(self.program.eval(expr, ctx), depth)
        return None

    def value(self, value: v.Value, depth: int = 0) -> Schema | None:
        if isinstance(value, v.Typed):
            return self.annotation(value.expr, (value.module, value.scope), depth + 1)
        if isinstance(value, v.Unknown | v.Ext):
            name = value.text if isinstance(value, v.Unknown) else value.last
            found = _SCALARS.get(name.rpartition(".")[2])
            return dict(found) if found is not None else None
        if isinstance(value, v.ClassRef):
            if self.is_enum(value):
                return self._enum(value)
            if self.is_model(value):
                return self.model(value, depth)
        return None

    def model(self, ref: v.ClassRef, depth: int = 0) -> Schema:
        if ref in self._models:
            return self._models[ref]
        self._models[ref] = {"type": "object", "title": ref.name}  # stands in on recursion
        properties: dict[str, Schema] = {}
        required: list[str] = []
        for base in reversed(self.program.mro(ref)):
            ctx = (base.module, base.scope)
            for name, ann, default, _line in self.program.klass(base).get("fields", []):
                if name.startswith("_") or name == "model_config":
                    continue
                key, is_required = self._field(name, default, ctx)
                properties[key] = self.annotation(ann, ctx, depth + 1) or {}
                if is_required and key not in required:
                    required.append(key)
                elif not is_required and key in required:
                    required.remove(key)
        schema: Schema = {"type": "object", "title": ref.name, "properties": properties}
        if required:
            schema["required"] = required
        self._models[ref] = schema
        return schema

    def _field(self, name: str, default: list[Any] | None, ctx: Ctx) -> tuple[str, bool]:
        if default is None:
            return name, True
        value = self.program.eval(default, ctx)
        if (
            isinstance(value, v.CallV)
            and isinstance(value.func, v.Ext)
            and value.func.last == "Field"
        ):
            alias = v.as_text(value.kw("alias")) or v.as_text(value.kw("serialization_alias"))
            first = value.arg(0, "default")
            no_default = value.kw("default_factory") is None and (
                first is None or (isinstance(first, v.Const) and first.value is Ellipsis)
            )
            return alias or name, no_default
        return name, isinstance(value, v.Const) and value.value is Ellipsis

    def _enum(self, ref: v.ClassRef) -> Schema:
        ctx = (ref.module, ref.scope)
        items = []
        for expr, _line in self.program.klass(ref).get("attrs", {}).values():
            value = self.program.eval(expr, ctx)
            if isinstance(value, v.Const) and value.value is not None:
                items.append(value.value)
        if items and all(isinstance(i, str) for i in items):
            return {"type": "string", "enum": items}
        if items and all(isinstance(i, int) for i in items):
            return {"type": "integer", "enum": items}
        return {"enum": items} if items else {}

    def _generic(self, expr: list[Any], ctx: Ctx, depth: int) -> Schema | None:
        head = self.program.eval(expr[1], ctx)
        name = head.last if isinstance(head, v.Ext) else v.render(expr[1]).rpartition(".")[2]
        index = expr[2]
        args = index[1] if index[0] == "l" else [index]
        if name == "Optional":
            return _union([self.annotation(args[0], ctx, depth + 1), {"type": "null"}])
        if name == "Union":
            return _union([self.annotation(a, ctx, depth + 1) for a in args])
        if name == "Annotated":
            return self.annotation(args[0], ctx, depth + 1)
        if name == "Literal":
            consts = [a[1] for a in args if a[0] == "c"]
            return {"enum": consts}
        if name in _ARRAYS:
            items = self.annotation(args[0], ctx, depth + 1)
            return {"type": "array", "items": items or {}}
        if name in ("dict", "Dict", "Mapping"):
            values = self.annotation(args[-1], ctx, depth + 1) if len(args) == 2 else None
            return {"type": "object", "additionalProperties": values or {}}
        return None


def _union(options: list[Schema | None]) -> Schema | None:
    if any(o is None for o in options):
        return None
    known = [o for o in options if o is not None]
    return known[0] if len(known) == 1 else {"anyOf": known}
