"""A URL shape as a request: its path (unknown base dropped, query dropped), host, the name
that carried the host, and the nodes that wrote it; `pytest.mark.parametrize` values."""

from __future__ import annotations

import re

import libcst as cst
import libcst.matchers as m

from bot.analysis._resolve import Shape
from bot.analysis._scope import Binding, Scope
from bot.analysis.model import Written

_FIELD = re.compile(r"\{[^{}]*\}")
_HOLES = re.compile("\0+")
_PARAMETRIZE = m.Call(func=m.Attribute(attr=m.Name("parametrize")))


def normalise(shape: Shape) -> tuple[str, str, str | None, str | None] | None:
    """(url, path, host, host_name) of a URL shape; None when it is not a URL or a path."""
    text = _FIELD.sub("\0", "".join("\0" if p.text is None else p.text for p in shape))
    host: str | None = None
    host_end = 0
    if "://" in text:
        start = text.index("://") + 3
        rest = text[start:]
        slash = rest.find("/")
        authority = rest if slash < 0 else rest[:slash]
        path = "/" if slash < 0 else rest[slash:]
        host_end = start + len(authority)
        if "\0" not in authority:
            host = authority.rsplit("@", 1)[-1].split(":", 1)[0].lower() or None
    else:
        stripped = text.lstrip("\0")
        if not stripped or (stripped == text and not text.startswith("/")):
            return None
        path = stripped if stripped.startswith("/") else "/" + stripped
    path = re.sub("/{2,}", "/", path.split("?", 1)[0].split("#", 1)[0])
    path = _HOLES.sub("{}", path.rstrip("/") or "/")
    url = _HOLES.sub("{}", text)
    host_name = None
    if host is not None:
        offset = 0
        for piece in shape:
            if offset >= host_end:
                break
            if piece.written is not None and piece.written.via:
                host_name = piece.written.via[0].name
                break
            offset += 1 if piece.text is None else len(piece.text)
    return url, path, host, host_name


def writtens(shape: Shape) -> tuple[Written, ...]:
    seen: list[Written] = []
    for piece in shape:
        if piece.written is not None and piece.written not in seen:
            seen.append(piece.written)
    return tuple(seen)


def parametrize_bindings(
    decorators: list[cst.Decorator], scope: Scope
) -> dict[str, tuple[Binding, ...]]:
    """`@pytest.mark.parametrize("path", ["/a", "/b"])`: each value an alternative of `path`."""
    bound: dict[str, tuple[Binding, ...]] = {}
    for decorator in decorators:
        call = decorator.decorator
        if not m.matches(call, _PARAMETRIZE):
            continue
        args = [a.value for a in cst.ensure_type(call, cst.Call).args]
        if len(args) < 2 or not isinstance(args[0], cst.SimpleString):
            continue
        names_text = args[0].evaluated_value
        values = args[1]
        if not isinstance(names_text, str) or not isinstance(values, cst.List | cst.Tuple):
            continue
        names = [n.strip() for n in names_text.split(",") if n.strip()]
        for element in values.elements:
            value = element.value
            if m.matches(value, m.Call(func=m.Attribute(attr=m.Name("param")))):
                items = [
                    a.value for a in cst.ensure_type(value, cst.Call).args if a.keyword is None
                ]
            elif len(names) > 1 and isinstance(value, cst.Tuple | cst.List):
                items = [e.value for e in value.elements]
            else:
                items = [value]
            for name, item in zip(names, items, strict=False):
                bound[name] = (*bound.get(name, ()), (item, scope))
    return bound
