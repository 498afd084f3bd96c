"""The values a static Python expression can be known to have, and how to render unknown ones."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.scan.paths import placeholder


@dataclass(frozen=True)
class Const:
    value: Any


@dataclass(frozen=True)
class Template:
    """A string with parts that could not be resolved statically."""

    parts: tuple[str | Unknown, ...]


@dataclass(frozen=True)
class Unknown:
    text: str


@dataclass(frozen=True)
class Typed:
    """A subscript such as `list[User]`, kept as its expression for reading as a type."""

    expr: Any = field(compare=False)
    module: str
    scope: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Ext:
    """A name from outside the repository, e.g. `fastapi.APIRouter`."""

    name: str

    @property
    def root(self) -> str:
        return self.name.split(".")[0]

    @property
    def last(self) -> str:
        return self.name.rpartition(".")[2]


@dataclass(frozen=True)
class ModRef:
    module: str


@dataclass(frozen=True)
class ClassRef:
    module: str
    scope: tuple[str, ...]
    name: str


@dataclass(frozen=True)
class FuncRef:
    module: str
    scope: tuple[str, ...]
    name: str


@dataclass(frozen=True)
class Inst:
    cls: ClassRef


@dataclass(frozen=True)
class Obj:
    """A framework object (app, router, blueprint, security scheme) created in the repository."""

    kind: str
    id: str
    name: str = field(compare=False)
    module: str = field(compare=False)
    line: int = field(compare=False)
    ctor: Ext = field(compare=False)
    args: tuple[Value, ...] = field(compare=False, default=())
    kwargs: tuple[tuple[str, Value], ...] = field(compare=False, default=())
    # the repository's own subclass it was made from (`class ApiRouter(DefaultRouter)`), if any
    cls: ClassRef | None = field(compare=False, default=None)

    def kw(self, name: str) -> Value | None:
        return next((v for k, v in self.kwargs if k == name), None)


@dataclass(frozen=True)
class Bound:
    """An attribute of a class or framework object, e.g. `View.as_view` or `router.urls`."""

    owner: Value
    attr: str


@dataclass(frozen=True)
class CallV:
    func: Value
    args: tuple[Value, ...]
    kwargs: tuple[tuple[str, Value], ...]
    text: str

    def kw(self, name: str) -> Value | None:
        return next((v for k, v in self.kwargs if k == name), None)

    def arg(self, index: int, name: str) -> Value | None:
        return self.args[index] if len(self.args) > index else self.kw(name)


@dataclass(frozen=True)
class ListV:
    items: tuple[Value, ...]


@dataclass(frozen=True)
class DictV:
    items: tuple[tuple[Value, Value], ...]


Value = (
    Const
    | Template
    | Unknown
    | Typed
    | Ext
    | ModRef
    | ClassRef
    | FuncRef
    | Inst
    | Obj
    | Bound
    | CallV
    | ListV
    | DictV
)


def render(expr: list[Any] | None) -> str:
    """Source-like text of an encoded expression, for placeholders and warnings."""
    if not expr:
        return "?"
    tag = expr[0]
    if tag == "c":
        return repr(expr[1])
    if tag == "n":
        return str(expr[1])
    if tag == "a":
        return f"{render(expr[1])}.{expr[2]}"
    if tag == "call":
        args = [render(a) for a in expr[2]] + [f"{k}={render(v)}" for k, v in expr[3].items()]
        return f"{render(expr[1])}({', '.join(args)})"
    if tag == "l":
        return "[" + ", ".join(render(e) for e in expr[1]) + "]"
    if tag in ("+", "|"):
        return f"{render(expr[1])} {tag} {render(expr[2])}"
    if tag == "f":
        return "f'" + "".join(_fpart(p) for p in expr[1]) + "'"
    if tag == "s":
        return f"{render(expr[1])}[{render(expr[2])}]"
    if tag == "e":
        return "..."
    return f"<{expr[1] if len(expr) > 1 else tag}>"


def _fpart(part: list[Any]) -> str:
    if part[0] == "c" and isinstance(part[1], str):
        return str(part[1])
    return "{" + render(part) + "}"


def as_text(value: Value | None) -> str | None:
    """A constant string, or None when the value is not a fully known string."""
    if isinstance(value, Const) and isinstance(value.value, str):
        return value.value
    return None


def as_path(value: Value | None) -> tuple[str, list[str]]:
    """A path string with `{?expr}` placeholders for unknown parts, and those parts' texts."""
    if value is None:
        return "", []
    if isinstance(value, Const):
        if isinstance(value.value, str):
            return value.value, []
        if value.value is None:
            return "", []
        return placeholder(repr(value.value)), [repr(value.value)]
    if isinstance(value, Template):
        text, unknown = "", []
        for part in value.parts:
            if isinstance(part, str):
                text += part
            else:
                text += placeholder(part.text)
                unknown.append(part.text)
        return text, unknown
    label = _label(value)
    return placeholder(label), [label]


def _label(value: Value) -> str:
    """Source-like text of a value that is not a string, for placeholders and warnings."""
    if isinstance(value, Unknown | CallV | Typed):
        return value.text
    if isinstance(value, Ext):
        return value.name
    if isinstance(value, Bound) and isinstance(value.owner, Obj | ClassRef):
        return f"{value.owner.name}.{value.attr}"
    return type(value).__name__


def concat(left: Value, right: Value, text: str) -> Value:
    """`left + right` for strings and lists; anything else stays unknown."""
    if isinstance(left, ListV) and isinstance(right, ListV):
        return ListV(left.items + right.items)
    # `router.urls + extra_patterns`: a router's generated URL list is one item of the list
    if isinstance(left, ListV) and _is_urls(right):
        return ListV((*left.items, right))
    if _is_urls(left) and isinstance(right, ListV):
        return ListV((left, *right.items))
    if _is_urls(left) and _is_urls(right):
        return ListV((left, right))
    # a list plus something unknown (`[...] + plugin_patterns()`): the known items stay, the
    # unknown part is one item that readers report as not understood
    if isinstance(left, ListV) and not isinstance(right, Const | Template):
        return ListV((*left.items, right))
    if isinstance(right, ListV) and not isinstance(left, Const | Template):
        return ListV((left, *right.items))
    parts_l, parts_r = _parts(left), _parts(right)
    if parts_l is None or parts_r is None:
        return Unknown(text)
    return join_parts(parts_l + parts_r)


def _is_urls(value: Value) -> bool:
    return isinstance(value, Bound) and value.attr == "urls" and isinstance(value.owner, Obj)


def _parts(value: Value) -> tuple[str | Unknown, ...] | None:
    if isinstance(value, Const):
        return (value.value,) if isinstance(value.value, str) else None
    if isinstance(value, Template):
        return value.parts
    if isinstance(value, Unknown):
        return (value,)
    return None


def join_parts(parts: tuple[str | Unknown, ...] | list[str | Unknown]) -> Value:
    if all(isinstance(p, str) for p in parts):
        return Const("".join(p for p in parts if isinstance(p, str)))
    return Template(tuple(parts))


def fstring(values: list[Value], texts: list[str]) -> Value:
    parts: list[str | Unknown] = []
    for value, text in zip(values, texts, strict=True):
        if isinstance(value, Const) and isinstance(value.value, str | int | float):
            parts.append(str(value.value))
        elif isinstance(value, Template):
            parts.extend(value.parts)
        else:
            parts.append(value if isinstance(value, Unknown) else Unknown(text))
    return join_parts(parts)
