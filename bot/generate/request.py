"""The Arrange part of a generated test: path ids (created when possible), query, headers, body."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.generate._source import Constants, identifier, literal, path_expression, path_params
from bot.generate.schema import effective
from bot.generate.values import ValueBuilder, unknown_id
from bot.scan.model import Endpoint, Inventory, Param, normalise_template

_SKIPPED_HEADERS = frozenset({"authorization", "content-type", "accept", "content-length"})
_ITEM_METHODS = frozenset({"GET", "PUT", "PATCH", "DELETE"})
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

    def body(self, endpoint: Endpoint) -> tuple[Any, list[str]]:
        builder = ValueBuilder(self.components)
        value = builder.build(endpoint.request_schema or {}, "body")
        return value, builder.gaps

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
        names = list((schema.get("properties") or {}).keys())
        for wanted in (param, "id"):
            if wanted in names:
                return wanted
        ids = sorted(n for n in names if n.lower().endswith("id"))
        return ids[0] if ids else "id"

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
                const, gaps = self.body_constant(post)
                out.weak += [f"creating {name}: {gap}" for gap in gaps]
                field_name = self.id_field(post, name)
                path = path_expression(collection, variables)
                out.lines.append(f'{var} = create_resource({path}, {const}, "{field_name}")')
                out.fixtures.add("create_resource")
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
        cookies: list[str] = []
        for p in sorted(endpoint.params, key=lambda p: (p.location, p.name)):
            if not p.required or p.location not in ("header", "cookie"):
                continue
            if p.location == "header" and p.name.lower() in _SKIPPED_HEADERS:
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
            out.lines.append(f"body = {const}")
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


def wants_not_found(endpoint: Endpoint) -> bool:
    if not path_params(endpoint.path):
        return False
    return 404 in endpoint.status_codes or (
        endpoint.method in _ITEM_METHODS and is_item_path(endpoint)
    )
