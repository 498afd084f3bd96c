"""OpenAPI schema objects read as JSON Schema: refs to components, allOf, nullable, 3.0 quirks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_COMPONENT_REF = "#/components/"
# OpenAPI-only keywords with no JSON Schema meaning (or a different one)
_DROP = frozenset({"discriminator", "xml", "externalDocs", "example", "nullable", "x-nullable"})


def component_name(schema: Mapping[str, Any]) -> str | None:
    """`Pet` for `{"$ref": "#/components/Pet"}` (the scanner's form for recursive refs)."""
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(_COMPONENT_REF):
        return ref[len(_COMPONENT_REF) :]
    return None


def resolve(schema: Any, components: Mapping[str, Any]) -> dict[str, Any]:
    """The schema with a top-level component ref followed (siblings kept); `{}` for non-dicts."""
    if not isinstance(schema, dict):
        return {}
    seen: set[str] = set()
    while (name := component_name(schema)) is not None and name not in seen:
        seen.add(name)
        target = components.get(name)
        siblings = {k: v for k, v in schema.items() if k != "$ref"}
        schema = {**target, **siblings} if isinstance(target, dict) else siblings
    return dict(schema)


def merge_all_of(schema: dict[str, Any], components: Mapping[str, Any]) -> dict[str, Any]:
    """One schema from `allOf` parts: properties united (a property two parts declare gets
    both, as `allOf`, so a `const` or `enum` a subtype adds is kept), `required` united, for
    other keywords the first value wins."""
    parts = schema.get("allOf")
    if not isinstance(parts, list):
        return schema
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    properties: dict[str, Any] = dict(merged.get("properties") or {})
    required: list[str] = list(merged.get("required") or [])
    for raw in parts:
        part = merge_all_of(resolve(raw, components), components)
        for name, sub in (part.get("properties") or {}).items():
            known = properties.setdefault(name, sub)
            if known is not sub and known != sub:
                properties[name] = {"allOf": [known, sub]}
        required += [r for r in part.get("required") or [] if r not in required]
        for key, value in part.items():
            if key not in ("properties", "required"):
                merged.setdefault(key, value)
    if properties:
        merged["properties"] = properties
        merged.setdefault("type", "object")
    if required:
        merged["required"] = required
    return merged


def effective(schema: Any, components: Mapping[str, Any]) -> dict[str, Any]:
    """A schema ready to read: component ref followed and `allOf` merged."""
    return merge_all_of(resolve(schema, components), components)


def types_of(schema: Mapping[str, Any]) -> list[str]:
    """The declared JSON types (3.1 lists included), `null` last; empty when undeclared."""
    declared = schema.get("type")
    found = [declared] if isinstance(declared, str) else list(declared or [])
    if not found and "properties" in schema:
        found = ["object"]
    if not found and "items" in schema:
        found = ["array"]
    return sorted((str(t) for t in found), key=lambda t: (t == "null", t))


def is_nullable(schema: Mapping[str, Any]) -> bool:
    return bool(schema.get("nullable") or schema.get("x-nullable")) or "null" in types_of(schema)


def _used_components(node: Any, components: Mapping[str, Any], found: set[str]) -> None:
    if isinstance(node, list):
        for item in node:
            _used_components(item, components, found)
    elif isinstance(node, dict):
        name = component_name(node)
        if name is not None and name not in found and name in components:
            found.add(name)
            _used_components(components[name], components, found)
        for value in node.values():
            _used_components(value, components, found)


def _convert(node: Any, response: bool) -> Any:
    if isinstance(node, list):
        return [_convert(item, response) for item in node]
    if not isinstance(node, dict):
        return node
    if "x-unresolved-ref" in node:
        return {}  # unknown shape: accept anything rather than guess
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DROP or key.startswith("x-"):
            continue
        if key in ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas"):
            out[key] = (
                {str(k): _convert(v, response) for k, v in value.items()}
                if isinstance(value, dict)
                else value
            )
        elif key in ("exclusiveMinimum", "exclusiveMaximum") and isinstance(value, bool):
            bound = "minimum" if key == "exclusiveMinimum" else "maximum"
            if value and bound in node:
                out[key] = node[bound]
        elif key in ("minimum", "maximum") and node.get(f"exclusive{key.title()}") is True:
            continue
        else:
            out[key] = _convert(value, response)
    if response:
        _drop_write_only(out)
    if is_nullable(node) and node.get("type") is not None:
        declared = node["type"]
        kinds = [declared] if isinstance(declared, str) else list(declared)
        out["type"] = kinds if "null" in kinds else [*kinds, "null"]
        if isinstance(out.get("enum"), list) and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
    elif is_nullable(node) and "type" not in node:
        out = {"anyOf": [out, {"type": "null"}]}
    return out


def _drop_write_only(schema: dict[str, Any]) -> None:
    """A write-only property never comes back in a response, so it cannot be required there."""
    properties = schema.get("properties")
    required = schema.get("required")
    if not isinstance(properties, dict) or not isinstance(required, list):
        return
    hidden = {n for n, p in properties.items() if isinstance(p, dict) and p.get("writeOnly")}
    if hidden:
        schema["required"] = [r for r in required if r not in hidden]
        if not schema["required"]:
            del schema["required"]


def response_json_schema(schema: Any, components: Mapping[str, Any]) -> dict[str, Any] | None:
    """A JSON Schema (2020-12) for validating a response body, or None when it checks nothing.

    OpenAPI 3.0 `nullable` becomes a `null` type, boolean `exclusiveMinimum/Maximum` become
    numbers, OpenAPI-only keywords go, write-only properties stop being required, and
    recursive component refs stay refs, with the components they need carried along."""
    if not isinstance(schema, dict):
        return None
    converted = _convert(schema, response=True)
    if not isinstance(converted, dict) or not converted:
        return None
    needed: set[str] = set()
    _used_components(schema, components, needed)
    if needed:
        converted["components"] = {
            name: _convert(components[name], response=True) for name in sorted(needed)
        }
    return converted


def request_json_schema(schema: Any, components: Mapping[str, Any]) -> dict[str, Any] | None:
    """A JSON Schema (2020-12) that request values are drawn from (read-only properties left
    out), with the components it needs carried along; None when the schema says nothing."""
    if not isinstance(schema, dict):
        return None
    converted = _convert(schema, response=False)
    if not isinstance(converted, dict) or not converted:
        return None
    _drop_read_only(converted)
    _drop_unknown_types(converted)
    needed: set[str] = set()
    _used_components(schema, components, needed)
    if needed:
        converted["components"] = {
            name: _convert(components[name], response=False) for name in sorted(needed)
        }
    return converted


def _drop_read_only(schema: dict[str, Any]) -> None:
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return
    hidden = {n for n, p in properties.items() if isinstance(p, dict) and p.get("readOnly")}
    for name in hidden:
        del properties[name]
    required = schema.get("required")
    if isinstance(required, list) and hidden:
        schema["required"] = [r for r in required if r not in hidden]


_JSON_TYPES = frozenset({"string", "integer", "number", "boolean", "array", "object", "null"})


def _drop_unknown_types(node: Any) -> None:
    """`type: int` (not a JSON type, but seen in real specs) says nothing a generator can use."""
    if isinstance(node, list):
        for item in node:
            _drop_unknown_types(item)
    elif isinstance(node, dict):
        kind = node.get("type")
        kinds = [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else None
        if kinds is not None and any(k not in _JSON_TYPES for k in kinds):
            del node["type"]
        for value in node.values():
            _drop_unknown_types(value)
