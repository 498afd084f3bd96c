"""The Arrange part of a generated test: path ids (created when possible), query, headers, body."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.generate.schema import effective
from bot.generate.source_text import (
    Constants,
    identifier,
    literal,
    path_expression,
    path_params,
    snake,
    string,
)
from bot.generate.values import ValueBuilder, unknown_id
from bot.scan.model import Endpoint, Inventory, Param, normalise_template

SKIPPED_HEADERS = frozenset({"authorization", "content-type", "accept", "content-length"})
_ITEM_METHODS = frozenset({"GET", "PUT", "PATCH", "DELETE"})
# string fields an API may want unique (names, slugs, client-chosen ids): a run suffix each time
_UNIQUE = frozenset(
    {"id", "name", "slug", "key", "handle", "username", "user_name", "login", "title"}
    | {"display_name"}
)


def _names_or_keys(name: str) -> bool:
    """A field that names or identifies what is created: `name`, `slug`, … or a `*_key`
    (`task_key`, `idempotency_key`: an API may answer a repeated key with the old resource)."""
    return name in _UNIQUE or name.endswith("_key")


# where a created resource sits in the body when not at the top
ENVELOPES = ("data", "result", "item", "resource", "object")
_MAX_REFERENCE_DEPTH = 2
# a request's own Cookie header keeps the `api` client from sending a credential cookie
COOKIE_CLASH = "the Cookie header replaces the credential's cookie"


@dataclass
class Arranged:
    """Arrange lines and what the Act call needs; `weak` says what is guessed."""

    lines: list[str] = field(default_factory=list)
    kwargs: list[str] = field(default_factory=list)
    fixtures: set[str] = field(default_factory=set)
    weak: list[str] = field(default_factory=list)
    created: dict[str, tuple[str, str]] = field(default_factory=dict)  # param → (var, id field)
    url: str = '"/"'
    body_const: str | None = None
    notes: list[str] = field(default_factory=list)  # what the Arrange step does, for its title


def success_status(endpoint: Endpoint) -> int | None:
    """The documented success status: the lowest 2xx, else None (any 2xx is accepted)."""
    return next((c for c in sorted(endpoint.status_codes) if 200 <= c < 300), None)


def is_json(content_type: str | None) -> bool:
    return content_type is None or "json" in content_type


def is_form(content_type: str | None) -> bool:
    """A urlencoded or multipart form: fields sent as text."""
    return content_type is not None and "form" in content_type


class RequestPlanner:
    """Builds requests for the endpoints of one inventory, constants in one module."""

    def __init__(
        self, inventory: Inventory, constants: Constants, credential: tuple[str, str] | None = None
    ) -> None:
        self.inventory = inventory
        self.constants = constants
        # (location, name) the `api` client sends the credential as: a declared parameter of
        # that name is left to the client, or it would replace the credential
        self.credential = credential
        self.components = inventory.components
        self._posts = {e.key[1]: e for e in inventory.endpoints if e.method == "POST"}
        self._deletes = {e.key[1]: e for e in inventory.endpoints if e.method == "DELETE"}
        self._depth = 0
        self._shapes = sorted({e.key[1] for e in inventory.endpoints})

    def body(self, endpoint: Endpoint) -> tuple[Any, list[str]]:
        builder = ValueBuilder(self.components)
        value = builder.build(endpoint.request_schema or {}, "body")
        if isinstance(value, dict):
            schema = effective(endpoint.request_schema, self.components)
            required = set(schema.get("required") or [])
            properties = schema.get("properties") or {}
            # real services often want a name their spec leaves optional: give one
            if "name" in properties and "name" not in value:
                sub = effective(properties["name"], self.components)
                if not sub.get("readOnly"):
                    value = {**value, "name": builder.build(properties["name"], "body.name")}
            value = {
                k: v
                for k, v in value.items()
                if k in required or not self._dangling_reference(str(k), endpoint)
            }
        return value, builder.gaps

    def _dangling_reference(self, key: str, endpoint: Endpoint) -> bool:
        """An optional field that names another resource (`flow_id`, `work_pool_name`) the
        suite does not create, or lists such references (`work_queue_names`): a made-up value
        would break the reference, so it is left out."""
        name = snake(key)
        for plural in ("_ids", "_names"):
            if name.endswith(plural) and len(name) > len(plural):
                stem = name[: -len(plural)]
                return self._referenced(stem, endpoint) is not None or self._collection(stem)
        if name.endswith("_id") and len(name) > 3:
            return self._referenced(name[:-3], endpoint) is None
        if name.endswith("_name") and len(name) > 5:
            return self._collection(name[:-5])
        return False

    def _collection(self, stem: str) -> bool:
        """Whether a path of the inventory ends in a collection named `stem` (or its plural)."""
        return any(
            snake(shape.rstrip("/").rsplit("/", 1)[-1]) in (stem, f"{stem}s")
            for shape in self._shapes
        )

    def body_constant(self, endpoint: Endpoint) -> tuple[str, list[str]]:
        value, gaps = self.body(endpoint)
        slug = identifier(normalise_template(endpoint.path).replace("{}", "item"))
        return self.constants.add(f"{endpoint.method}_{slug}_body", value), gaps

    def creator(self, collection: str) -> Endpoint | None:
        """The POST that creates items of a collection path, when the inventory has one."""
        post = self._posts.get(normalise_template(collection))
        if post is None or post.request_schema is None or not is_json(post.request_content_type):
            return None
        return post

    def id_field(self, post: Endpoint, param: str) -> str:
        status = success_status(post)
        schema = effective(post.responses.get(str(status)) if status else None, self.components)
        properties = schema.get("properties") or {}
        names = list(properties.keys())
        for envelope in ENVELOPES:
            inner = effective(properties.get(envelope), self.components).get("properties")
            if isinstance(inner, dict) and envelope not in (param, "id"):
                names += [n for n in inner if n not in names]
        if param in names:
            return param
        # `work_pool_name` names a work pool by its `name`, `bucket_id` by its `id`
        suffixes = sorted((str(n) for n in names if param.endswith(f"_{n}")), key=len)
        if suffixes:
            return suffixes[-1]
        if "id" in names:
            return "id"
        sent = effective(post.request_schema, self.components).get("properties") or {}
        if param in sent:
            return param  # a client-chosen id (`key`): read back from the body sent if not echoed
        ids = sorted(n for n in names if n.lower().endswith("id"))
        return ids[0] if ids else "id"

    def create(self, post: Endpoint, var: str, outer: list[str], out: Arranged, what: str) -> str:
        """Arrange lines that create a resource with `post` (its path exactly as declared, the
        outer path parameters `outer` in order) into `var`; the name of its id field."""
        const, gaps = self.body_constant(post)
        out.weak += [f"creating {what}: {gap}" for gap in gaps]
        field_name = self.id_field(post, what)
        params = path_params(post.path)
        path = path_expression(post.path, dict(zip(params, outer, strict=False)))
        args = [path, self._body_expression(post, const, out), string(field_name)]
        item = self._item_path(post, outer)
        if item is not None:
            args.append(item)
        target = f"{var} = " if var else ""
        out.lines.append(wrap(f"{target}create_resource({', '.join(args)})"))
        out.fixtures.add("create_resource")
        return field_name

    def _item_path(self, post: Endpoint, outer: list[str]) -> str | None:
        """The DELETE path of a created item, `{}` standing for its id: for the cleanup."""
        delete = self._deletes.get(normalise_template(post.path).rstrip("/") + "/{}")
        if delete is None:
            return None
        params = path_params(delete.path)
        if len(params) != len(outer) + 1:
            return None
        last = "{" + params[-1] + "}"
        if not outer:
            return string(delete.path.replace(last, "{}"))
        mapping = {**dict(zip(params[:-1], outer, strict=True)), params[-1]: "_ID_"}
        return path_expression(delete.path, mapping).replace("{_ID_}", "{{}}")

    def _body_expression(self, endpoint: Endpoint, const: str, out: Arranged) -> str:
        """The body: the constant, with references to resources created first and a run
        suffix on the fields the API may want unique."""
        value, _ = self.body(endpoint)
        expression = const
        references = self._references(endpoint, value, out)
        if references:
            pairs = ", ".join(f"{string(k)}: {v}" for k, v in references)
            expression = "{**" + const + ", " + pairs + "}"
        names = [n for n in self.unique_fields(endpoint, value) if n not in dict(references)]
        if names:
            expression = f"unique({expression}, {', '.join(string(n) for n in names)})"
            out.fixtures.add("unique")
        return expression

    def unique_fields(self, endpoint: Endpoint, value: Any) -> list[str]:
        """Dotted names of the body's string fields that name or identify what is created."""
        schema = effective(endpoint.request_schema, self.components)
        return self._unique_in(schema, value, "")

    def _unique_in(self, schema: dict[str, Any], value: Any, prefix: str) -> list[str]:
        if not isinstance(value, dict):
            return []
        properties = schema.get("properties") or {}
        found: list[str] = []
        for key in sorted(value):
            sub = effective(properties.get(key), self.components)
            item = value[key]
            if isinstance(item, dict) and key in ENVELOPES and not prefix:
                found += self._unique_in(sub, item, f"{key}.")
            elif isinstance(item, str) and _names_or_keys(snake(key)) and _extensible(sub, item):
                found.append(prefix + key)
        return found

    def _references(self, endpoint: Endpoint, value: Any, out: Arranged) -> list[tuple[str, str]]:
        """Top-level `<thing>_id` fields filled from a `<thing>` created first."""
        if not isinstance(value, dict) or self._depth >= _MAX_REFERENCE_DEPTH:
            return []
        found: list[tuple[str, str]] = []
        for key in sorted(value):
            name = snake(key)
            if not name.endswith("_id") or len(name) <= 3:
                continue
            post = self._referenced(name[:-3], endpoint)
            if post is None:
                continue
            var = identifier(key)
            if not any(line.startswith(f"{var} = ") for line in out.lines):
                self._depth += 1
                try:
                    self.create(post, var, [], out, key)
                finally:
                    self._depth -= 1
            found.append((key, var))
        return found

    def _referenced(self, stem: str, endpoint: Endpoint) -> Endpoint | None:
        """The POST of a top-level collection named after `stem` (`flow` → `/flows/`)."""
        names = {stem, f"{stem}s", f"{stem}es", f"{stem[:-1]}ies" if stem.endswith("y") else stem}
        for shape, post in sorted(self._posts.items()):
            segments = [s for s in shape.split("/") if s]
            if post is endpoint or not segments or "{}" in shape:
                continue
            if snake(segments[-1]) in names and self.creator(shape) is not None:
                return post
        return None

    def arrange(
        self, endpoint: Endpoint, unknown: str | None = None, with_body: bool = True
    ) -> Arranged:
        out = Arranged()
        variables = self._path(endpoint, unknown, out)
        out.url = path_expression(endpoint.path, variables)
        self._query(endpoint, out)
        has_body = with_body and endpoint.request_schema is not None
        kind = endpoint.request_content_type
        raw = has_body and not is_json(kind) and "form" not in str(kind)
        self._headers(endpoint, out, str(kind) if raw else None)
        if has_body:
            self._body(endpoint, out)
        return out

    def _is_credential(self, param: Param) -> bool:
        if self.credential is None or param.location != self.credential[0]:
            return False
        if param.location == "header":
            return param.name.lower() == self.credential[1].lower()
        return param.name == self.credential[1]

    def _param(self, endpoint: Endpoint, name: str, location: str) -> Param | None:
        return next((p for p in endpoint.params if p.name == name and p.location == location), None)

    def _path(self, endpoint: Endpoint, unknown: str | None, out: Arranged) -> dict[str, str]:
        variables: dict[str, str] = {}
        template = endpoint.path
        for name in path_params(template):
            var = identifier(name)
            while var in variables.values():
                var = f"{var}_2"
            variables[name] = var
            param = self._param(endpoint, name, "path")
            schema = param.schema_ if param else None
            collection = template[: template.index("{" + name + "}")].rstrip("/")
            if name == unknown:
                value = unknown_id(schema, self.components)
                out.lines.append(f"{var} = {literal(value, len(var) + 11)}")
                out.notes.append(f"an unknown {name}")
                continue
            post = self.creator(collection) if collection else None
            if post is not None:
                outer = [v for p, v in variables.items() if p != name]
                field_name = self.create(post, var, outer, out, name)
                out.created[name] = (var, field_name)
                out.notes.append(f"create the {name} resource")
                continue
            builder = ValueBuilder(self.components)
            raw = effective(schema, self.components)
            value = builder.build(schema or {"type": "string"}, name)
            out.weak += builder.gaps
            if not any(k in raw for k in ("example", "examples", "default", "enum", "const")):
                out.weak.append(f"no known {name}: {value!r} is a guess")
            out.lines.append(f"{var} = {literal(value, len(var) + 11)}")
        return variables

    def _query(self, endpoint: Endpoint, out: Arranged) -> None:
        builder = ValueBuilder(self.components)
        query = {
            p.name: builder.build(p.schema_ or {"type": "string"}, p.name)
            for p in sorted(endpoint.params, key=lambda p: p.name)
            if p.location == "query" and p.required and not self._is_credential(p)
        }
        out.weak += builder.gaps
        if query:
            out.lines.append(f"params = {literal(query, 17)}")
            out.kwargs.append("params=params")

    def _headers(self, endpoint: Endpoint, out: Arranged, content_type: str | None) -> None:
        builder = ValueBuilder(self.components)
        headers: dict[str, str] = {"Content-Type": content_type} if content_type else {}
        if not is_json_response(endpoint):
            headers["Accept"] = ", ".join(endpoint.produces)
        cookies: list[str] = []
        for p in sorted(endpoint.params, key=lambda p: (p.location, p.name)):
            if not p.required or p.location not in ("header", "cookie"):
                continue
            if p.location == "header" and p.name.lower() in SKIPPED_HEADERS:
                continue
            if self._is_credential(p):
                continue
            value = builder.build(p.schema_ or {"type": "string"}, p.name)
            text = str(value).lower() if isinstance(value, bool) else str(value)
            if p.location == "header":
                headers[p.name] = text
            else:
                cookies.append(f"{p.name}={text}")
        if cookies:
            headers["Cookie"] = "; ".join(cookies)
            if self.credential is not None and self.credential[0] == "cookie":
                out.weak.append(COOKIE_CLASH)
        out.weak += builder.gaps
        if headers:
            out.lines.append(f"headers = {literal(headers, 18)}")
            out.kwargs.append("headers=headers")

    def _body(self, endpoint: Endpoint, out: Arranged) -> None:
        const, gaps = self.body_constant(endpoint)
        out.body_const = const
        out.weak += gaps
        kind = endpoint.request_content_type
        if is_json(kind):
            out.lines.append(wrap(f"body = {self._body_expression(endpoint, const, out)}"))
            out.kwargs.append("json=body")
        elif kind is not None and "form" in kind:
            out.lines.append(f"body = {const}")
            out.kwargs.append("data=body" if "urlencoded" in kind else self._files(endpoint))
        else:
            out.lines.append(f"body = str({const})")
            out.kwargs.append("content=body")
            out.weak.append(f"request body of type {kind} is a placeholder")

    def _files(self, endpoint: Endpoint) -> str:
        """The multipart parts: binary fields as files (with a file name), the rest as fields."""
        schema = effective(endpoint.request_schema, self.components)
        properties = schema.get("properties") or {}
        binary = sorted(
            str(name)
            for name, sub in properties.items()
            if (s := effective(sub, self.components)).get("type") == "file"
            or s.get("format") in ("binary", "base64")
        )
        if not binary:
            return "files={k: (None, str(v)) for k, v in body.items()}"
        parts = f'("testgen.bin" if k in {literal(binary)} else None, str(v))'
        return f"files={{k: {parts} for k, v in body.items()}}"


def is_item_path(endpoint: Endpoint) -> bool:
    return endpoint.path.rstrip("/").endswith("}")


def success_codes(endpoint: Endpoint) -> list[int]:
    """Every 2xx the operation declares, lowest first."""
    return [c for c in sorted(endpoint.status_codes) if 200 <= c < 300]


def redirect_codes(endpoint: Endpoint) -> list[int]:
    """The 3xx of an operation that declares no 2xx: a redirect, not to be followed."""
    if success_codes(endpoint):
        return []
    return [c for c in sorted(endpoint.status_codes) if 300 <= c < 400]


def is_upsert(endpoint: Endpoint) -> bool:
    """A PUT that declares 201 and no 404: an unknown id creates the resource."""
    return (
        endpoint.method == "PUT"
        and 201 in endpoint.status_codes
        and (404 not in endpoint.status_codes)
    )


def is_json_response(endpoint: Endpoint) -> bool:
    """Whether the success body is JSON: no declared media type, or a JSON one."""
    return not endpoint.produces or any("json" in kind for kind in endpoint.produces)


def wants_not_found(endpoint: Endpoint, inventory: Inventory) -> bool:
    """Whether an unknown last path parameter must give 404: 404 is declared, or the parameter
    is the item id of a collection the spec has (a GET listing or a POST creating items)."""
    if not path_params(endpoint.path) or is_upsert(endpoint):
        return False
    if 404 in endpoint.status_codes:
        return True
    if endpoint.method not in _ITEM_METHODS or not is_item_path(endpoint):
        return False
    return _has_items(normalise_template(endpoint.path.rstrip("/").rsplit("/", 1)[0]), inventory)


def is_collection(endpoint: Endpoint, inventory: Inventory) -> bool:
    """Whether the path is a collection: a GET on it lists items or a POST creates them, and
    the spec has item paths below it."""
    if is_item_path(endpoint):
        return False
    shape = endpoint.key[1]
    below = any(e.key[1].startswith(shape.rstrip("/") + "/{}") for e in inventory.endpoints)
    return below and _has_items(shape, inventory)


def _has_items(collection: str, inventory: Inventory) -> bool:
    for other in inventory.endpoints:
        if other.key[1] != (collection or "/") or other.method not in ("GET", "POST"):
            continue
        if other.method == "POST" and other.request_schema is not None:
            return True
        status = next(iter(success_codes(other)), None)
        listed = effective(other.responses.get(str(status)) if status else None, {})
        if other.method == "GET" and _lists_items(listed, inventory.components):
            return True
    return False


def _lists_items(schema: dict[str, Any], components: dict[str, Any]) -> bool:
    """An array, or an object that carries one under a paging envelope's name."""
    schema = effective(schema, components)
    if "array" in str(schema.get("type")) or "items" in schema:
        return True
    properties = schema.get("properties") or {}
    return any(
        "array" in str(effective(properties.get(name), components).get("type"))
        for name in LIST_ENVELOPES
        if name in properties
    )


LIST_ENVELOPES = ("data", "items", "results", "records", "content", "entries", "values")


def _extensible(schema: dict[str, Any], value: str) -> bool:
    """Whether a run suffix (letters and digits) keeps the value valid for its schema."""
    if schema.get("enum") or "const" in schema or schema.get("format"):
        return False
    high = schema.get("maxLength")
    longer = value + "abcdef1234"
    if isinstance(high, int) and len(longer) > high:
        return False
    pattern = schema.get("pattern")
    try:
        return pattern is None or re.search(str(pattern), longer) is not None
    except re.error:
        return False


def _split_arguments(text: str) -> list[str]:
    """Top-level comma-separated parts of an argument list (brackets and strings respected)."""
    parts, depth, quote, start = [], 0, "", 0
    for index, char in enumerate(text):
        if quote:
            if char == quote and text[index - 1] != "\\":
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:index].strip())
            start = index + 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def wrap(line: str, indent: int = 8) -> str:
    """`x = f(a, b)` over the line length as one argument a line, the way `ruff format` does."""
    if len(line) + indent <= 100 or not line.endswith(")") or "(" not in line:
        return line
    head, _, rest = line.partition("(")
    arguments = _split_arguments(rest[:-1])
    if len(arguments) < 2:
        return line
    return head + "(\n" + "".join(f"    {a},\n" for a in arguments) + ")"
