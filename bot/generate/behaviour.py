"""Behaviour a spec implies beyond status and schema: enum, paging, filtering, persistence."""

from __future__ import annotations

from typing import Any

from bot.generate.cases import Case, CaseWriter, _status_check
from bot.generate.request import (
    ENVELOPES,
    LIST_ENVELOPES,
    Arranged,
    is_item_path,
    success_codes,
    wants_not_found,
)
from bot.generate.schema import effective
from bot.generate.source_text import literal, path_expression, path_params, snake, string
from bot.scan.model import Endpoint, normalise_template

OUTSIDE_ENUM = "testgen-not-in-enum"
PAGING = ("limit", "per_page", "page_size", "size", "max_results", "pagesize", "perpage")


def behaviour_cases(writer: CaseWriter, endpoint: Endpoint) -> list[Case]:
    out: list[Case] = []
    out += _enum_body(writer, endpoint)
    out += _enum_query(writer, endpoint)
    if endpoint.method == "GET" and not is_item_path(endpoint):
        out += _paging(writer, endpoint)
        out += _filtering(writer, endpoint)
    if endpoint.method in ("PUT", "PATCH", "POST", "DELETE"):
        out += _persistence(writer, endpoint)
    return out


def _enum_body(writer: CaseWriter, endpoint: Endpoint) -> list[Case]:
    shape = writer._object_body(endpoint)
    if shape is None:
        return []
    properties, _ = shape
    for name in sorted(properties):
        sub = effective(properties[name], writer.planner.components)
        enum = sub.get("enum")
        if not isinstance(enum, list) or not all(isinstance(v, str) for v in enum):
            continue
        arranged = writer.planner.arrange(endpoint)
        if arranged.body_const is None or OUTSIDE_ENUM in enum:
            return []
        line = f"body = {{**{arranged.body_const}, {string(name)}: {string(OUTSIDE_ENUM)}}}"
        title = f"{writer._display(endpoint)} rejects a {name} outside its enum"
        return [
            writer._body_case(
                endpoint, f"{snake(name)}_outside_enum", title, line, f"{name} outside its enum"
            )
        ]
    return []


def _enum_query(writer: CaseWriter, endpoint: Endpoint) -> list[Case]:
    for param in sorted(endpoint.params, key=lambda p: p.name):
        sub = effective(param.schema_, writer.planner.components)
        enum = sub.get("enum")
        if param.location != "query" or not isinstance(enum, list) or OUTSIDE_ENUM in enum:
            continue
        if not all(isinstance(v, str) for v in enum):
            continue
        arranged = writer.planner.arrange(endpoint)
        _set_query(arranged, param.name, OUTSIDE_ENUM)
        arranged.notes.append(f"query parameter {param.name} outside its enum")
        check, summary = writer._client_error(endpoint, exact=False)
        title = f"{writer._display(endpoint)} rejects a {param.name} outside its enum"
        suffix = f"{snake(param.name)}_outside_enum"
        asserts = [f"assert {check}, response.text"]
        return [writer._case(endpoint, suffix, title, "NORMAL", arranged, asserts, summary)]
    return []


def _set_query(arranged: Arranged, name: str, value: Any) -> None:
    entry = f"{string(name)}: {literal(value)}"
    index = next((i for i, x in enumerate(arranged.lines) if x.startswith("params = ")), None)
    if index is None:
        arranged.lines.append(f"params = {{{entry}}}")
        arranged.kwargs.append("params=params")
    else:
        known = arranged.lines[index].removeprefix("params = ")
        arranged.lines[index] = f"params = {{**{known}, {entry}}}"


def _items_expression(writer: CaseWriter, endpoint: Endpoint) -> tuple[str, dict[str, Any]] | None:
    """How a test reads the listed items from the response, and the schema of one item."""
    status = next(iter(success_codes(endpoint)), None)
    components = writer.planner.components
    schema = effective(endpoint.responses.get(str(status)) if status else None, components)
    if "array" in str(schema.get("type")) or "items" in schema:
        return "response.json()", effective(schema.get("items"), components)
    properties = schema.get("properties") or {}
    for name in LIST_ENVELOPES:
        inner = effective(properties.get(name), components)
        if name in properties and "array" in str(inner.get("type")):
            return f"response.json()[{string(name)}]", effective(inner.get("items"), components)
    return None


def _seeded(writer: CaseWriter, endpoint: Endpoint, arranged: Arranged, count: int) -> bool:
    """Arrange lines creating `count` items of the listed collection; False without a creator."""
    post = writer.planner.creator(normalise_template(endpoint.path))
    if post is None or path_params(endpoint.path):
        return False
    for _ in range(count):
        writer.planner.create(post, "", [], arranged, "item")
    arranged.notes.append("create an item" if count == 1 else f"create {count} items")
    return True


def _paging(writer: CaseWriter, endpoint: Endpoint) -> list[Case]:
    found = _items_expression(writer, endpoint)
    param = next(
        (
            p
            for p in sorted(endpoint.params, key=lambda p: p.name)
            if p.location == "query" and snake(p.name) in PAGING
            and effective(p.schema_, writer.planner.components).get("type") == "integer"
        ),
        None,
    )  # fmt: skip
    if found is None or param is None:
        return []
    arranged = writer.planner.arrange(endpoint)
    if not _seeded(writer, endpoint, arranged, 2):
        return []
    _set_query(arranged, param.name, 1)
    arranged.notes.append(f"{param.name}=1")
    items, _ = found
    asserts = [
        f"assert response.status_code == {success_codes(endpoint)[0]}, response.text"
        if success_codes(endpoint)
        else "assert response.is_success, response.text",
        f"assert len({items}) <= 1, {items}",
    ]
    title = f"{writer._display(endpoint)} lists at most {param.name} items"
    summary = f"at most {param.name} items"
    suffix = f"honours_{snake(param.name)}"
    return [writer._case(endpoint, suffix, title, "NORMAL", arranged, asserts, summary)]


def _filtering(writer: CaseWriter, endpoint: Endpoint) -> list[Case]:
    found = _items_expression(writer, endpoint)
    post = writer.planner.creator(normalise_template(endpoint.path))
    if found is None or post is None or path_params(endpoint.path):
        return []
    items, item_schema = found
    listed = item_schema.get("properties") or {}
    body, _ = writer.planner.body(post)
    if not isinstance(body, dict):
        return []
    components = writer.planner.components
    unique = set(writer.planner.unique_fields(post, body))
    for param in sorted(endpoint.params, key=lambda p: p.name):
        name = param.name
        if param.location != "query" or name not in listed or name not in body or name in unique:
            continue
        value = body[name]
        enum = effective(param.schema_, components).get("enum") or []
        if not isinstance(value, str | int | bool) or isinstance(value, bool):
            continue
        arranged = writer.planner.arrange(endpoint)
        if not _seeded(writer, endpoint, arranged, 1):
            return []
        other = next((v for v in enum if v != value), None)
        if other is not None:  # an item the filter must leave out
            const = writer.planner.body_constant(post)[0]
            item = f"{{**{const}, {string(name)}: {literal(other)}}}"
            if unique:
                item = f"unique({item}, {', '.join(string(u) for u in sorted(unique))})"
            path = string(post.path)
            arranged.lines.append(f"create_resource({path}, {item}, {string('id')})")
        _set_query(arranged, name, value)
        arranged.notes.append(f"filter on {name}")
        asserts = [
            "assert response.is_success, response.text",
            f"assert {items}, {string(f'the item created with this {name} is not listed')}",
            f"assert all(item[{string(name)}] == {literal(value)} for item in {items}), {items}",
        ]
        title = f"{writer._display(endpoint)} lists only items whose {name} matches"
        suffix = f"filters_on_{snake(name)}"
        summary = f"every listed item has the {name} asked for"
        return [writer._case(endpoint, suffix, title, "NORMAL", arranged, asserts, summary)]
    return []


def _reader(writer: CaseWriter, endpoint: Endpoint) -> Endpoint | None:
    """The GET of the item an operation writes or creates."""
    shape = normalise_template(endpoint.path)
    if endpoint.method == "POST" and not is_item_path(endpoint):
        shape = shape.rstrip("/") + "/{}"
    return next(
        (e for e in writer.planner.inventory.endpoints if e.method == "GET" and e.key[1] == shape),
        None,
    )


def _fetched(writer: CaseWriter, getter: Endpoint) -> tuple[str, dict[str, Any]]:
    status = next(iter(success_codes(getter)), None)
    components = writer.planner.components
    schema = effective(getter.responses.get(str(status)) if status else None, components)
    properties = schema.get("properties") or {}
    for name in ENVELOPES:
        inner = effective(properties.get(name), components)
        if name in properties and inner.get("properties"):
            return f"fetched.json()[{string(name)}]", inner
    return "fetched.json()", schema


def _comparable(writer: CaseWriter, endpoint: Endpoint, shown: dict[str, Any]) -> list[str]:
    """Scalar body fields the item's GET also shows (not secrets, not write-only, not a field
    the GET declares deprecated: an API may keep one empty for compatibility)."""
    shape = writer._object_body(endpoint)
    body, _ = writer.planner.body(endpoint)
    if shape is None or not isinstance(body, dict):
        return []
    properties, _ = shape
    visible = shown.get("properties") or {}
    out = []
    for name in sorted(body):
        sub = effective(properties.get(name), writer.planner.components)
        if name not in visible or sub.get("writeOnly") or sub.get("format") == "password":
            continue
        if effective(visible[name], writer.planner.components).get("deprecated"):
            continue
        if isinstance(body[name], str | int | float | bool) and "password" not in name.lower():
            out.append(name)
    return out


def _persistence(writer: CaseWriter, endpoint: Endpoint) -> list[Case]:
    getter = _reader(writer, endpoint)
    if getter is None:
        return []
    arranged = writer.planner.arrange(endpoint)
    if any(w.startswith("no known") for w in arranged.weak) or arranged.weak:
        return []
    codes = success_codes(endpoint)
    status = (
        f"assert {_status_check(codes)[0]}, response.text"
        if codes
        else "assert response.is_success, response.text"
    )
    params = path_params(getter.path)
    if endpoint.method == "DELETE":
        if not params or params[-1] not in arranged.created or not is_item_path(endpoint):
            return []
        if not wants_not_found(getter, writer.planner.inventory):
            return []
        url = path_expression(getter.path, {p: v for p, (v, _) in arranged.created.items()})
        gone = "in (403, 404)" if 403 in getter.status_codes else "== 404"
        asserts = [status, f"fetched = api.get({url})", f"assert fetched.status_code {gone}"]
        title = f"{writer._display(endpoint)} removes the item: a GET then answers 404"
        case = writer._case(
            endpoint, "is_effective", title, "NORMAL", arranged, asserts, "the item is gone"
        )
        return [case]
    expression, shown = _fetched(writer, getter)
    fields = _comparable(writer, endpoint, shown)
    if not fields or "body" not in " ".join(arranged.lines):
        return []
    if endpoint.method == "POST":
        if path_params(endpoint.path) or writer.planner.creator(endpoint.path) is None:
            return []
        url = path_expression(getter.path, {params[-1]: "created_id"})
        found = writer.planner.id_field(endpoint, params[-1])
        cleanup = writer.planner._item_path(endpoint, [])
        create = f"created_id = create_resource(url, body, {string(found)}"
        create += f", {cleanup})" if cleanup else ")"
        asserts = [
            f"fetched = api.get({url})",
            "assert fetched.status_code == 200, fetched.text",
            *(f"assert {expression}[{string(f)}] == body[{string(f)}]" for f in fields),
        ]
        arranged.fixtures.add("create_resource")
        title = f"{writer._display(endpoint)} stores what was sent: a GET returns it"
        case = writer._case(
            endpoint, "is_persisted", title, "NORMAL", arranged, asserts, "the item is stored"
        )
        return [Case(**{**case.__dict__, "act": (create,)})]
    if not params or params[-1] not in arranged.created:
        return []
    names = {p: v for p, (v, _) in arranged.created.items()}
    renamed: list[str] = []
    address = arranged.created[params[-1]][1]
    if address in fields:  # the item is addressed by a field the change writes: it moves
        renamed = [f"renamed = body[{string(address)}]"]
        names[params[-1]] = "renamed"
    url = path_expression(getter.path, names)
    asserts = [
        status,
        *renamed,
        f"fetched = api.get({url})",
        "assert fetched.status_code == 200, fetched.text",
        *(f"assert {expression}[{string(f)}] == body[{string(f)}]" for f in fields),
    ]
    title = f"{writer._display(endpoint)} persists the change: a GET returns it"
    return [
        writer._case(
            endpoint, "is_persisted", title, "NORMAL", arranged, asserts, "the change is stored"
        )
    ]
