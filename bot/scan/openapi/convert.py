"""OpenAPI 3.x and Swagger 2.0 operations → `Endpoint`s with params, bodies, responses, security."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from bot.scan.model import Endpoint, Param, Sighting
from bot.scan.openapi.load import operations
from bot.scan.openapi.refs import Resolver

_LOCATIONS = frozenset({"path", "query", "header", "cookie"})
# type names that hand-written specs use for JSON Schema's (httpbin's `type: int`)
_TYPE_ALIASES = {
    "int": "integer",
    "long": "integer",
    "float": "number",
    "double": "number",
    "bool": "boolean",
    "str": "string",
}
_PARAM_SCHEMA_KEYS = ("type", "format", "items", "enum", "default", "minimum", "maximum", "pattern")


def _server_prefix(servers: Any) -> str:
    """The path part of the first server URL, with `{variables}` set to their defaults."""
    if not isinstance(servers, list) or not servers or not isinstance(servers[0], dict):
        return ""
    url = str(servers[0].get("url", ""))
    for name, spec in (servers[0].get("variables") or {}).items():
        if isinstance(spec, dict) and "default" in spec:
            url = url.replace("{" + name + "}", str(spec["default"]))
    path = urlparse(url).path if "://" in url else url
    return path.rstrip("/")


def _json_content(content: Any) -> tuple[str | None, Any]:
    if not isinstance(content, dict) or not content:
        return None, None
    for kind in content:
        if kind == "application/json" or kind.endswith("+json"):
            return kind, (content[kind] or {}).get("schema")
    first = next(iter(content))
    return first, (content[first] or {}).get("schema")


def _params(raw: list[Any], swagger: bool) -> tuple[list[Param], list[dict[str, Any]]]:
    params, others = [], []
    for item in raw:
        if not isinstance(item, dict) or "name" not in item:
            continue
        where = item.get("in")
        if where not in _LOCATIONS:
            others.append(item)
            continue
        if swagger:
            schema = {k: item[k] for k in _PARAM_SCHEMA_KEYS if k in item} or None
            if schema is None and isinstance(item.get("schema"), dict):
                schema = item["schema"]  # OpenAPI 3's form in a Swagger 2 file (flasgger writes it)
        else:
            schema = item.get("schema")
            if schema is None and isinstance(item.get("content"), dict):
                schema = _json_content(item["content"])[1]
        required = bool(item.get("required")) or where == "path"
        if isinstance(schema, dict) and schema.get("type") in _TYPE_ALIASES:
            schema = {**schema, "type": _TYPE_ALIASES[schema["type"]]}
        params.append(
            Param(name=str(item["name"]), location=where, required=required, schema=schema)
        )
    return params, others


def _merge_params(path_level: Any, op_level: Any) -> list[Any]:
    merged: dict[tuple[str, str], Any] = {}
    for item in [*(path_level or []), *(op_level or [])]:
        if isinstance(item, dict):
            merged[(str(item.get("name")), str(item.get("in")))] = item
    return list(merged.values())


def _security(op: dict[str, Any], doc: dict[str, Any]) -> list[str]:
    """Scheme names an operation requires; none when any alternative is the empty `{}`
    (OpenAPI: an empty requirement object makes security optional)."""
    requirements = op["security"] if "security" in op else doc.get("security", [])
    if any(requirement == {} for requirement in requirements or []):
        return []
    names: list[str] = []
    for requirement in requirements or []:
        if isinstance(requirement, dict):
            names += [n for n in requirement if n not in names]
    return names


def endpoints(file: str, facts: dict[str, Any], resolver: Resolver) -> list[Endpoint]:
    doc = facts["doc"]
    swagger = facts["kind"] == "swagger"
    lines: dict[str, int] = facts.get("lines", {})
    if swagger:
        base = str(doc.get("basePath") or "").rstrip("/")
    else:
        base = _server_prefix(doc.get("servers"))
    found: list[Endpoint] = []
    for route, raw_item in sorted(doc["paths"].items()):
        item = resolver.resolve(raw_item, file)
        if not isinstance(item, dict) or not route.startswith("/"):
            continue
        prefix = base if swagger else _server_prefix(item.get("servers")) or base
        for method, op in operations(item):
            op_prefix = prefix if swagger else _server_prefix(op.get("servers")) or prefix
            raw_params = _merge_params(item.get("parameters"), op.get("parameters"))
            params, others = _params(raw_params, swagger)
            body, body_type, body_required = _body(op, others, doc, swagger)
            responses = _responses(op, swagger)
            produces = _produces(op, doc, swagger)
            line = lines.get(route, 1)
            found.append(
                Endpoint(
                    method=method.upper(),
                    path=(op_prefix + route) or "/",
                    framework=facts["kind"],
                    file=file,
                    line=line,
                    handler=op.get("operationId"),
                    params=params,
                    request_schema=body,
                    request_content_type=body_type,
                    request_required=body_required,
                    responses=responses,
                    produces=produces,
                    status_codes=sorted({int(k) for k in responses if k.isdigit()}),
                    tags=[str(t) for t in op.get("tags") or []],
                    security=_security(op, doc),
                    operation_id=op.get("operationId"),
                    summary=op.get("summary"),
                    deprecated=bool(op.get("deprecated")),
                    sources=[
                        Sighting(
                            framework=facts["kind"],
                            file=file,
                            line=line,
                            handler=op.get("operationId"),
                        )
                    ],
                )
            )
    return found


def _body(
    op: dict[str, Any], others: list[dict[str, Any]], doc: dict[str, Any], swagger: bool
) -> tuple[dict[str, Any] | None, str | None, bool]:
    if not swagger:
        request = op.get("requestBody")
        if not isinstance(request, dict):
            return None, None, False
        kind, schema = _json_content(request.get("content"))
        return schema, kind, bool(request.get("required"))
    consumes = op.get("consumes") or doc.get("consumes") or ["application/json"]
    for item in others:
        if item.get("in") == "body":
            return item.get("schema"), consumes[0], bool(item.get("required"))
    form = [i for i in others if i.get("in") == "formData"]
    if not form:
        return None, None, False
    properties = {str(i["name"]): {k: i[k] for k in _PARAM_SCHEMA_KEYS if k in i} for i in form}
    required = [str(i["name"]) for i in form if i.get("required")]
    files = any(i.get("type") == "file" for i in form)
    kind = "multipart/form-data" if files else "application/x-www-form-urlencoded"
    form_schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        form_schema["required"] = required
    return form_schema, kind, bool(required)


def _responses(op: dict[str, Any], swagger: bool) -> dict[str, dict[str, Any] | None]:
    out: dict[str, dict[str, Any] | None] = {}
    for status, response in (op.get("responses") or {}).items():
        if not isinstance(response, dict):
            out[str(status)] = None
        elif swagger:
            out[str(status)] = response.get("schema")
        else:
            out[str(status)] = _json_content(response.get("content"))[1]
    return out


def _produces(op: dict[str, Any], doc: dict[str, Any], swagger: bool) -> list[str]:
    """The media types of the success responses: `produces` in Swagger 2, `content` keys in 3."""
    if swagger:
        found = op.get("produces") or doc.get("produces") or []
        return [str(kind) for kind in found] if isinstance(found, list) else []
    kinds: list[str] = []
    for status, response in sorted((op.get("responses") or {}).items(), key=lambda kv: str(kv[0])):
        if str(status).startswith("2") and isinstance(response, dict):
            content = response.get("content")
            if isinstance(content, dict):
                kinds += [str(k) for k in content if str(k) not in kinds]
    return kinds
