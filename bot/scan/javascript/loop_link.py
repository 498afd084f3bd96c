"""Mounts and routes made in a loop over an array, paired with each element of the array."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.scan.javascript.resolve import Node, Resolver


def is_loop(mount: Mapping[str, Any]) -> bool:
    return "each" in mount["target"] or any(_is_each(part) for part in mount["prefix"])


def expand_mount(
    resolver: Resolver, file: str, mount: Mapping[str, Any]
) -> list[tuple[Node, dict[str, Any]]]:
    """(child container, mount with a static prefix) for each element the loop goes over."""
    key = next(
        (part["each"] for part in [mount["target"], *mount["prefix"]] if _is_each(part)), None
    )
    found = _elements(resolver, file, key, mount["line"]) if key is not None else None
    if found is None:
        return []
    array_file, elements = found
    out = []
    for element in elements:
        element = _instance(resolver, array_file, element)
        target = mount["target"]
        called = target.get("call", {})
        if "each" in target and "node" in element.get("fields", {}).get(target["field"], {}):
            child = element["fields"][target["field"]]["node"]
        elif "each" in target:
            ref = _field(element, target["field"], "target")
            child = resolver.ref(array_file, ref, mount["line"]) if ref else None
        elif "each" in called:  # `app.use(r.path, r.getRouter())`: what the method returns
            method = element.get("fields", {}).get(called["field"], {}).get("node")
            child = _returned(resolver, method)
        else:
            child = resolver.ref(file, target, mount["line"])
        if child is None:
            continue
        pieces: list[list[Any]] = []  # the prefix parts, an element's field spliced in
        for part in mount["prefix"]:
            if not _is_each(part):
                pieces.append([part])
                continue
            parts = _field(element, part["field"], "parts")
            if not parts:
                resolver.warn(file, f"loop element has no path '{part['field']}'", mount["line"])
                break
            pieces.append(_static(resolver, array_file, parts))
        else:
            out.append((child, {**mount, "prefix": [p for piece in pieces for p in piece]}))
    return out


def expand_path(resolver: Resolver, file: str, route: Mapping[str, Any]) -> list[dict[str, Any]]:
    """`['/a', '/b'].forEach(p => router.get(p, h))`: one route per element."""
    key = next((part["each"] for part in route["path"] if _is_each(part)), None)
    found = _elements(resolver, file, key, route["line"]) if key is not None else None
    if found is None:
        return []
    array_file, elements = found
    out = []
    for element in elements:
        path: list[Any] = []
        for part in route["path"]:
            parts = _field(element, part["field"], "parts") if _is_each(part) else [part]
            if not parts:
                break
            path += _static(resolver, array_file, parts)
        else:
            out.append({**route, "path": path})
    return out


def expand_route(resolver: Resolver, file: str, route: Mapping[str, Any]) -> list[dict[str, Any]]:
    """`routes.forEach(r => fastify.route(r))`: one route per options object of the array."""
    if "each" not in route:
        return (
            expand_path(resolver, file, route) if any(map(_is_each, route["path"])) else [{**route}]
        )
    each = route["each"]
    found = _elements(resolver, file, each["each"], route["line"])
    if found is None or each["field"] is not None:
        return []
    array_file, elements = found
    out = []
    for element in elements:
        literal = element.get("literal", {})
        methods = literal.get("method")
        methods = [methods] if isinstance(methods, str) else methods
        url = _field(element, "url", "parts") or _field(element, "path", "parts")
        if not isinstance(methods, list) or not url:
            continue
        out.append(
            {
                **route,
                "methods": [str(method).lower() for method in methods],
                "path": _static(resolver, array_file, url),
                "handler": element.get("handler"),
                "schema": literal.get("schema"),
            }
        )
    return out


def _instance(resolver: Resolver, file: str, element: dict[str, Any]) -> dict[str, Any]:
    """A `new C(…)` element as the fields and members of the instance it makes."""
    if "new" not in element:
        return element
    built = resolver.ref(file, element["new"], None)
    if built is None:
        return element
    args = [resolver.static(file, parts) for parts in element.get("args", [])]
    fields, members = resolver.class_view(built, args)
    out: dict[str, dict[str, Any]] = {name: {"parts": parts} for name, parts in fields.items()}
    for name, node in members.items():
        out.setdefault(name, {})["node"] = node
    return {"fields": out}


def _returned(resolver: Resolver, node: Node | None) -> Node | None:
    if node is None:
        return None
    returned = resolver.facts[node[0]].get("containers", {}).get(node[1], {}).get("returns")
    return (node[0], returned) if returned else None


def _elements(
    resolver: Resolver, file: str, key: Mapping[str, Any], line: int | None
) -> tuple[str, list[dict[str, Any]]] | None:
    """The file declaring the array a loop goes over, and its described elements."""
    if "local" in key:
        elements = resolver.facts.get(file, {}).get("arrays", {}).get(key["local"])
        return (file, elements) if elements is not None else None
    binding = key["import"]
    target = resolver.module(file, binding["source"], line)
    if target is None:
        return None
    facts = resolver.facts[target]
    arrays, name = facts.get("arrays", {}), binding["name"]
    entry = facts.get("exports", {}).get(name, {})
    local = entry.get("local", name)
    if local in arrays:
        return target, arrays[local]
    if "source" in entry:  # `export { routes } from './routes'`
        return _elements(resolver, target, {"import": entry}, line)
    return None


def _static(resolver: Resolver, file: str, parts: list[Any]) -> list[Any]:
    """Path parts with the constants `file` imports replaced by their values, so the parts
    mean the same when rendered from the file that loops over them."""
    out: list[Any] = []
    for part in parts:
        value = resolver.const(file, part) if isinstance(part, dict) and "ref" in part else None
        out.append(part if value is None else value)
    return out


def _field(element: Mapping[str, Any], name: str | None, kind: str) -> Any:
    if name is None:
        return element.get(kind)
    return element.get("fields", {}).get(name, {}).get(kind)


def _is_each(part: Any) -> bool:
    return isinstance(part, dict) and "each" in part
