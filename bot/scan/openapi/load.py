"""Reading YAML/JSON files and recognising OpenAPI 3.x and Swagger 2.0 documents by content."""

from __future__ import annotations

import datetime
import json
from typing import Any

import yaml

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader

# Keys that make a non-spec document worth keeping as a `$ref` target.
_FRAGMENT_KEYS = frozenset(
    {
        "type",
        "properties",
        "$ref",
        "allOf",
        "oneOf",
        "anyOf",
        "items",
        "schema",
        "responses",
        "parameters",
        "components",
        "definitions",
        "requestBody",
        "content",
        "get",
        "post",
        "put",
        "patch",
        "delete",
    }
)
_MARKERS = (b"openapi", b"swagger", b"$ref", b"properties", b"type", b"responses", b"schema")
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def spec_kind(doc: Any) -> str | None:
    """`openapi` for OpenAPI 3.x, `swagger` for Swagger 2.0, else None."""
    if not isinstance(doc, dict):
        return None
    version = doc.get("openapi")
    if isinstance(version, str) and version.startswith("3") and isinstance(doc.get("paths"), dict):
        return "openapi"
    if str(doc.get("swagger")) == "2.0" and isinstance(doc.get("paths"), dict):
        return "swagger"
    return None


def _jsonable(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _jsonable(v) for k, v in node.items()}
    if isinstance(node, list | tuple):
        return [_jsonable(v) for v in node]
    if isinstance(node, datetime.date | datetime.datetime | bytes):
        return str(node)
    if isinstance(node, float) and node != node:  # NaN is not JSON
        return None
    return node


def _is_fragment(doc: Any) -> bool:
    if not isinstance(doc, dict):
        return False
    if _FRAGMENT_KEYS & doc.keys():
        return True
    return any(isinstance(v, dict) and _FRAGMENT_KEYS & v.keys() for v in doc.values())


def _path_lines(text: str, paths: dict[str, Any]) -> dict[str, int]:
    lines = text.splitlines()
    found: dict[str, int] = {}
    wanted = set(paths)
    for number, line in enumerate(lines, start=1):
        stripped = line.strip().strip("'\"")
        for key in (stripped.rstrip(":").strip("'\""), stripped.split('"')[0]):
            if key in wanted and key not in found:
                found[key] = number
        if '"' in line:
            quoted = line.split('"')
            if len(quoted) > 2 and quoted[1] in wanted and quoted[1] not in found:
                found[quoted[1]] = number
    return found


def load(path: str, source: bytes) -> dict[str, Any]:
    """Facts of one YAML/JSON file: a spec, a `$ref` fragment, or nothing of interest."""
    if not any(marker in source for marker in _MARKERS):
        return {}
    text = source.decode("utf-8", errors="replace")
    looks_like_spec = b"openapi" in source or b"swagger" in source
    try:
        doc = json.loads(text) if path.endswith(".json") else yaml.load(text, Loader=_Loader)
    except (ValueError, yaml.YAMLError, RecursionError) as error:
        if looks_like_spec:
            problem = str(error).splitlines()[0] if str(error) else type(error).__name__
            return {"warnings": [[f"not parsed as YAML/JSON: {problem}", None]]}
        return {}
    kind = spec_kind(doc)
    if kind is not None:
        doc = _jsonable(doc)
        return {"kind": kind, "doc": doc, "lines": _path_lines(text, doc["paths"])}
    if _is_fragment(doc):
        return {"kind": "fragment", "doc": _jsonable(doc)}
    return {}


def operations(path_item: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(m, path_item[m]) for m in _METHODS if isinstance(path_item.get(m), dict)]
