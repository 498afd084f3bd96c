"""The test cases of one endpoint: happy path, schema conformance and the negative cases."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from bot.generate.auth import requires_credential
from bot.generate.model import GenerateOptions
from bot.generate.request import (
    COOKIE_CLASH,
    SKIPPED_HEADERS,
    Arranged,
    RequestPlanner,
    is_collection,
    is_form,
    is_item_path,
    is_json,
    is_json_response,
    redirect_codes,
    success_codes,
    success_status,
    wants_not_found,
)
from bot.generate.schema import effective, request_json_schema, response_json_schema
from bot.generate.source_text import display_path, literal, path_params, snake, string
from bot.generate.values import wrong_value
from bot.scan.model import Endpoint, Param, normalise_template

_BODYLESS = frozenset({"GET", "DELETE", "HEAD", "OPTIONS"})
MALFORMED_TYPE = "multipart/form-data"  # no boundary: a body no parser can read
DESTRUCTIVE = "deletes a whole collection, data the suite did not create: not run"


def _is_static(segment: str) -> bool:
    return bool(segment) and "{" not in segment


def shared_prefix(paths: list[str]) -> tuple[str, ...]:
    """The leading static segments all paths share (the server's base path, like `/v2`), short
    enough that every path keeps a static segment of its own after it, so names stay apart."""
    split = [path.strip("/").split("/") for path in paths]
    prefix: list[str] = []
    for segments in zip(*split, strict=False):
        if not _is_static(segments[0]) or any(s != segments[0] for s in segments):
            break
        prefix.append(segments[0])
    while prefix and any(not any(map(_is_static, s[len(prefix) :])) for s in split):
        prefix.pop()
    return tuple(prefix)


@dataclass(frozen=True)
class Case:
    """One generated test, as the lines of its three steps."""

    name: str
    title: str
    severity: str
    fixtures: tuple[str, ...]
    arrange_title: str
    arrange: tuple[str, ...]
    act_title: str
    act: tuple[str, ...]
    assert_title: str
    asserts: tuple[str, ...]
    skip: str | None = None  # why the test is generated skipped (it would destroy data)
    decorators: tuple[str, ...] = ()  # between the Allure labels and the function
    given: tuple[str, ...] = ()  # parameters hypothesis draws: not fixtures


def _guessed(arranged: Arranged) -> bool:
    """Whether the request may be refused for another reason than the one a case tests."""
    return any(w.startswith("no known") or w == COOKIE_CLASH for w in arranged.weak)


def _escape_title(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


class CaseWriter:
    """Writes the cases of endpoints into one module's constants."""

    def __init__(self, planner: RequestPlanner, options: GenerateOptions) -> None:
        self.planner = planner
        self.options = options
        self._prefix = shared_prefix([e.path for e in planner.inventory.endpoints])

    def cases(self, endpoint: Endpoint) -> list[Case]:
        if endpoint.method in ("OPTIONS", "TRACE"):
            return []
        kinds = set(self.options.kinds)
        out: list[Case] = []
        if "happy" in kinds:
            out.append(self._happy(endpoint))
        if "schema" in kinds:
            out += self._schema(endpoint)
        if "negative" in kinds:
            out += self._missing_fields(endpoint)
            out += self._wrong_type(endpoint)
            out += self._list_body(endpoint)
            out += self._not_found(endpoint)
            out += self._unauthorised(endpoint)
            out += self._malformed_content_type(endpoint)
        if "behaviour" in kinds:
            from bot.generate.behaviour import behaviour_cases  # it builds on this writer

            out += behaviour_cases(self, endpoint)
        if "fuzz" in kinds:
            out += self._fuzz(endpoint)
        return out

    # helpers ---------------------------------------------------------------------------------

    def _base(self, endpoint: Endpoint) -> str:
        """`test_<method>_<path>`, the path without the segments every endpoint starts with."""
        path = "/" + "/".join(endpoint.path.strip("/").split("/")[len(self._prefix) :])
        shape = normalise_template(path).replace("{}", "item")
        return f"test_{endpoint.method.lower()}_{snake(shape) if shape != '/' else 'root'}"

    def _display(self, endpoint: Endpoint) -> str:
        return _escape_title(f"{endpoint.method} {display_path(endpoint.path)}")

    def _call(self, endpoint: Endpoint, arranged: Arranged, client: str = "api") -> str:
        kwargs = ", ".join(["url", *arranged.kwargs])
        method = endpoint.method.lower()
        has_content = any(
            k.startswith(("json=", "data=", "files=", "content=")) for k in arranged.kwargs
        )
        if endpoint.method in _BODYLESS and has_content:
            return f'response = {client}.request("{endpoint.method}", {kwargs})'
        return f"response = {client}.{method}({kwargs})"

    def _case(
        self,
        endpoint: Endpoint,
        suffix: str,
        title: str,
        severity: str,
        arranged: Arranged,
        asserts: list[str],
        assert_title: str,
        client: str = "api",
    ) -> Case:
        text = "\n".join([*arranged.lines, *asserts])
        used = {f for f in arranged.fixtures if f not in ("unique",) or f"{f}(" in text}
        fixtures = {client, *used}
        notes = arranged.notes or ["build the request"]
        return Case(
            name=f"{self._base(endpoint)}_{suffix}",
            title=title,
            severity=severity,
            fixtures=tuple(sorted(fixtures)),
            arrange_title="Arrange: " + ", ".join(dict.fromkeys(notes)),
            arrange=(*arranged.lines, f"url = {arranged.url}"),
            act_title=f"Act: send {endpoint.method} {display_path(endpoint.path)}",
            act=(self._call(endpoint, arranged, client),),
            assert_title=f"Assert: {assert_title}",
            asserts=tuple(asserts),
        )

    def _response_schema(self, endpoint: Endpoint) -> dict[str, object] | None:
        status = success_status(endpoint)
        if status is None or endpoint.method == "HEAD":
            return None
        raw = endpoint.responses.get(str(status))
        return response_json_schema(raw, self.planner.components) if raw else None

    def _client_error(self, endpoint: Endpoint, exact: bool = True) -> tuple[str, str]:
        declared = [c for c in (400, 422) if c in endpoint.status_codes]
        if exact and len(declared) == 1:
            return f"response.status_code == {declared[0]}", f"status is {declared[0]}"
        if exact and declared:
            return "response.status_code in (400, 422)", "status is 400 or 422"
        return "400 <= response.status_code < 500", "status is 4xx"

    # kinds -----------------------------------------------------------------------------------

    def _happy(self, endpoint: Endpoint) -> Case:
        arranged = self.planner.arrange(endpoint)
        codes = success_codes(endpoint) or redirect_codes(endpoint)
        display = self._display(endpoint)
        asserts = [f"# weak: {reason}" for reason in arranged.weak]
        if arranged.weak:
            asserts.append("assert response.status_code < 500, response.text")
            summary = "no server error"
        elif codes:
            check, summary = _status_check(codes)
            asserts.append(f"assert {check}, response.text")
        else:
            asserts.append("assert 200 <= response.status_code < 300, response.text")
            summary = "status is 2xx"
        if redirect_codes(endpoint) and not arranged.weak:
            asserts.append('assert response.headers.get("location"), "no Location header"')
            summary += " with a Location header"
        elif not is_json_response(endpoint) and not arranged.weak:
            asserts.append(_media_check(endpoint.produces))
            summary += f" with a body of type {' or '.join(endpoint.produces)}"
        elif self._response_schema(endpoint) is not None and not arranged.weak:
            asserts.append('assert "json" in response.headers.get("content-type", "")')
            summary += " with a JSON body"
            asserts += self._echoed_id(endpoint, arranged)
        title = f"{display} returns {_or(codes)}" if codes else f"{display} succeeds"
        case = self._case(endpoint, "succeeds", title, "CRITICAL", arranged, asserts, summary)
        return self._destructive(endpoint, case)

    def _destructive(self, endpoint: Endpoint, case: Case) -> Case:
        """A DELETE of a whole collection is generated skipped, with the reason."""
        if endpoint.method != "DELETE" or not is_collection(endpoint, self.planner.inventory):
            return case
        return Case(**{**case.__dict__, "skip": DESTRUCTIVE})

    def _echoed_id(self, endpoint: Endpoint, arranged: Arranged) -> list[str]:
        params = path_params(endpoint.path)
        if endpoint.method != "GET" or not is_item_path(endpoint) or not params:
            return []
        created = arranged.created.get(params[-1])
        status = success_status(endpoint)
        raw = endpoint.responses.get(str(status)) if status else None
        schema = effective(raw, self.planner.components)
        if created is None or created[1] not in (schema.get("properties") or {}):
            return []
        var, field = created
        return [f"assert response.json()[{string(field)}] == {var}"]

    def _schema(self, endpoint: Endpoint) -> list[Case]:
        schema = self._response_schema(endpoint)
        arranged = self.planner.arrange(endpoint)
        if schema is None or arranged.weak or not is_json_response(endpoint):
            return []
        status = success_status(endpoint)
        const = self.planner.constants.add(
            f"{endpoint.method}_{snake(normalise_template(endpoint.path).replace('{}', 'item'))}"
            f"_{status}_schema",
            schema,
            "dict[str, Any]",
        )
        asserts = [
            f"assert response.status_code == {status}, response.text",
            f"jsonschema.validate(instance=response.json(), schema={const})",
        ]
        others = [c for c in success_codes(endpoint) if c != status]
        if others:  # another declared 2xx may come instead: its body is checked when it does
            asserts = [
                f"assert {_status_check(success_codes(endpoint))[0]}, response.text",
                f"if response.status_code == {status}:",
                f"    jsonschema.validate(instance=response.json(), schema={const})",
            ]
        title = f"{self._display(endpoint)} response matches its schema"
        summary = f"status is {_or(success_codes(endpoint))} and the body matches the schema"
        case = self._case(endpoint, "matches_schema", title, "NORMAL", arranged, asserts, summary)
        return [self._destructive(endpoint, case)]

    def _object_body(self, endpoint: Endpoint) -> tuple[dict[str, object], list[str]] | None:
        """The properties and required names of a JSON or form body that is an object."""
        kind = endpoint.request_content_type
        if endpoint.request_schema is None or not (is_json(kind) or is_form(kind)):
            return None
        schema = effective(endpoint.request_schema, self.planner.components)
        if not isinstance(schema.get("properties"), dict):
            return None
        required = [str(r) for r in schema.get("required") or []]
        return schema["properties"], required

    def _body_case(self, endpoint: Endpoint, suffix: str, title: str, line: str, note: str) -> Case:
        arranged = self.planner.arrange(endpoint)
        guessed = _guessed(arranged)
        check, summary = self._client_error(endpoint, exact=not guessed)
        # the line replaces the plain body: a variable is not assigned twice in a row
        arranged.lines = [x for x in arranged.lines if not x.startswith("body = ")]
        arranged.lines.insert(len(arranged.lines), line)
        arranged.notes.append(note)
        asserts = [f"assert {check}, response.text"]
        return self._case(endpoint, suffix, title, "NORMAL", arranged, asserts, summary)

    def _list_body(self, endpoint: Endpoint) -> list[Case]:
        """A JSON list where the operation takes an object: 4xx (a server that indexes the
        body before validating it crashes)."""
        if self._object_body(endpoint) is None or not is_json(endpoint.request_content_type):
            return []
        title = f"{self._display(endpoint)} rejects a list where its body is an object"
        note = "send a list instead of the object"
        return [self._body_case(endpoint, "rejects_a_list_body", title, "body = []", note)]

    def _missing_fields(self, endpoint: Endpoint) -> list[Case]:
        shape = self._object_body(endpoint)
        if shape is None:
            return []
        properties, required = shape
        arranged = self.planner.arrange(endpoint)
        const = arranged.body_const
        cases = []
        for name in sorted(set(required)):
            sub = effective(properties.get(name), self.planner.components)
            if sub.get("readOnly") or const is None:
                continue
            line = f"body = {{k: v for k, v in {const}.items() if k != {string(name)}}}"
            title = f"{self._display(endpoint)} rejects a body without {_escape_title(name)}"
            note = f"drop required field {name}"
            cases.append(self._body_case(endpoint, f"without_{snake(name)}", title, line, note))
        return cases

    def _wrong_type(self, endpoint: Endpoint) -> list[Case]:
        shape = self._object_body(endpoint)
        components = self.planner.components
        if shape is not None:
            properties, required = shape
            arranged = self.planner.arrange(endpoint)
            order = sorted(set(required)) + sorted(set(properties) - set(required))
            for name in order:
                sub = effective(properties.get(name), components)
                wrong = wrong_value(sub, components)
                if wrong is None or sub.get("readOnly") or arranged.body_const is None:
                    continue
                if is_form(endpoint.request_content_type) and not isinstance(wrong, str):
                    continue  # a form sends text: only a non-numeric text is of the wrong type
                line = f"body = {{**{arranged.body_const}, {string(name)}: {literal(wrong)}}}"
                title = f"{self._display(endpoint)} rejects {_escape_title(name)} of the wrong type"
                note = f"give {name} a value of the wrong type"
                return [self._body_case(endpoint, f"wrong_type_{snake(name)}", title, line, note)]
        for param in sorted(endpoint.params, key=lambda p: p.name):
            sub = effective(param.schema_, components)
            if param.location != "query" or sub.get("type") not in ("integer", "number", "boolean"):
                continue
            wrong = wrong_value(sub, components)
            arranged = self.planner.arrange(endpoint)
            entry = f"{string(param.name)}: {literal(wrong)}"
            if "params=params" in arranged.kwargs:
                index = next(i for i, x in enumerate(arranged.lines) if x.startswith("params = "))
                known = arranged.lines[index].removeprefix("params = ")
                arranged.lines[index] = f"params = {{**{known}, {entry}}}"
            else:
                arranged.lines.append(f"params = {{{entry}}}")
                arranged.kwargs.append("params=params")
            arranged.notes.append(f"give query parameter {param.name} a value of the wrong type")
            guessed = _guessed(arranged)
            check, summary = self._client_error(endpoint, exact=not guessed)
            title = (
                f"{self._display(endpoint)} rejects {_escape_title(param.name)} of the wrong type"
            )
            suffix = f"wrong_type_{snake(param.name)}"
            asserts = [f"assert {check}, response.text"]
            return [self._case(endpoint, suffix, title, "NORMAL", arranged, asserts, summary)]
        return []

    def _not_found(self, endpoint: Endpoint) -> list[Case]:
        params = path_params(endpoint.path)
        if not wants_not_found(endpoint, self.planner.inventory) or not params:
            return []
        target = params[-1]
        arranged = self.planner.arrange(endpoint, unknown=target)
        if any(line.endswith("= None") for line in arranged.lines) or COOKIE_CLASH in arranged.weak:
            return []
        if 403 in endpoint.status_codes:  # a server may hide what the caller cannot see
            asserts = ["assert response.status_code in (403, 404), response.text"]
            summary = "status is 403 or 404"
        else:
            asserts = ["assert response.status_code == 404, response.text"]
            summary = "status is 404"
        title = f"{self._display(endpoint)} returns 404 for an unknown {_escape_title(target)}"
        suffix = f"unknown_{snake(target)}"
        return [self._case(endpoint, suffix, title, "NORMAL", arranged, asserts, summary)]

    def _fuzz(self, endpoint: Endpoint) -> list[Case]:
        """One property-based test: inputs drawn from the operation's schemas (path parameters
        it does not create, query parameters, a JSON body); never a 5xx, and a declared
        status's JSON body matches its schema."""
        if endpoint.method == "DELETE" and not is_item_path(endpoint):
            return []
        if not is_json(endpoint.request_content_type):
            return []  # a redirect is fuzzed too: the client does not follow it
        arranged = self.planner.arrange(endpoint, with_body=False)
        components = self.planner.components
        drawn: dict[str, str] = {}
        lines: list[str] = []
        slug = snake(normalise_template(endpoint.path).replace("{}", "item"))
        base = f"{endpoint.method}_{slug}"
        for name in path_params(endpoint.path):
            if name in arranged.created:
                continue
            param = next((p for p in endpoint.params if p.name == name), None)
            schema = request_json_schema(
                (param.schema_ if param else None) or {"type": "string"}, components
            ) or {"type": "string"}
            if schema.get("type") in ("string", None) and not schema.get("enum"):
                # one printable ASCII path segment: the route is what is tested, not the URL
                schema = {"minLength": 1, "pattern": _SEGMENT, **schema, "type": "string"}
            var = _assigned(arranged.lines, name)
            if var is None:
                continue
            schema = _capped(name, schema)
            kind = schema.get("type") if isinstance(schema.get("type"), str) else "path"
            const = self.planner.constants.add(f"{kind}_value_schema", schema, "dict[str, Any]")
            drawn[var] = f"from_schema({const})"
            arranged.lines = [x for x in arranged.lines if not x.startswith(f"{var} = ")]
            lines.append(f'{var} = quote(str({var}), safe="")')
        query: dict[str, object] = {
            p.name: _capped(
                p.name, request_json_schema(p.schema_ or {"type": "string"}, components) or {}
            )
            for p in sorted(endpoint.params, key=lambda p: p.name)
            if p.location == "query"
            and _scalar_schema(p.schema_, components)
            and not self.planner._is_credential(p)
        }
        required = sorted(
            p.name
            for p in endpoint.params
            if p.location == "query" and p.required and p.name in query
        )
        free = [
            p for p in endpoint.params
            if p.location == "query" and p.name not in query and not self.planner._is_credential(p)
        ]  # fmt: skip
        spread = _spread_objects(free, components, query, required)
        if query or spread is not False:
            schema = {"type": "object", "properties": query, "required": required,
                      "additionalProperties": spread}  # fmt: skip
            const = self.planner.constants.add(f"{base}_query_schema", schema, "dict[str, Any]")
            drawn["query"] = f"from_schema({const})"
            arranged.lines = [x for x in arranged.lines if not x.startswith("params = ")]
            arranged.kwargs = [k for k in arranged.kwargs if k != "params=params"]
            arranged.kwargs.append("params=query")
        lines += self._fuzz_headers(endpoint, base, drawn, arranged)
        if endpoint.request_schema is not None and endpoint.method not in _BODYLESS:
            drawn_body = request_json_schema(endpoint.request_schema, components)
            # recursive refs stay refs, and hypothesis-jsonschema cannot draw from those
            if drawn_body is not None and "components" not in drawn_body:
                drawn_body = _shallow(drawn_body)
                const = self.planner.constants.add(
                    f"{base}_body_schema", drawn_body, "dict[str, Any]"
                )
                drawn["body"] = f"from_schema({const})"
                arranged.kwargs.append("json=body")
        if not drawn:
            return []
        # one client serves every drawn example: none inherits the cookies another was sent;
        # the resources the operation needs are created once and shared by the examples
        shared = [x.replace("create_resource(", "create_once(") for x in arranged.lines]
        if shared != arranged.lines:
            arranged.fixtures = (arranged.fixtures - {"create_resource"}) | {"create_once"}
        arranged.lines = ["api.cookies.clear()", *shared, *lines]
        arranged.notes = [n for n in arranged.notes if n.startswith("create")]
        arranged.notes.append("inputs drawn from the operation's schemas")
        declared = [c for c in endpoint.status_codes if c >= 500]
        if declared:  # the operation says it may answer these
            listed = ", ".join(str(c) for c in declared)
            asserts = [f"assert response.status_code < 500 or response.status_code in ({listed},)"]
        else:
            asserts = ["assert response.status_code < 500, response.text"]
        for status in success_codes(endpoint):
            raw = endpoint.responses.get(str(status))
            checked = response_json_schema(raw, components) if raw else None
            if checked is None or not is_json_response(endpoint):
                continue
            const = self.planner.constants.add(f"{base}_{status}_schema", checked, "dict[str, Any]")
            asserts += [
                f"if response.status_code == {status}:",
                f"    jsonschema.validate(instance=response.json(), schema={const})",
            ]
        given = ", ".join(f"{k}={v}" for k, v in drawn.items())
        decorators = (
            "@pytest.mark.fuzz",
            "@hypothesis.settings(\n"
            f"    max_examples={FUZZ_EXAMPLES},\n"
            "    deadline=None,\n"
            "    database=None,\n"
            "    phases=[hypothesis.Phase.generate],  # no shrinking: failures show as drawn\n"
            "    suppress_health_check=list(hypothesis.HealthCheck),\n"
            ")",
            f"@hypothesis.seed({FUZZ_SEED})",
            f"@hypothesis.given({given})",
        )
        title = f"{self._display(endpoint)} never answers 5xx to inputs drawn from its schemas"
        summary = "no server error; a declared success body matches its schema"
        case = self._case(endpoint, "fuzz", title, "NORMAL", arranged, asserts, summary)
        params = tuple(sorted(drawn))
        return [Case(**{**case.__dict__, "decorators": decorators, "given": params})]

    def _fuzz_headers(
        self, endpoint: Endpoint, base: str, drawn: dict[str, str], arranged: Arranged
    ) -> list[str]:
        """The declared header parameters (`If-Match`, `X-Request-Id`, …; not the credential,
        nor what the client sets itself) drawn from their schemas; a drawn value is sent with
        what a header cannot carry (non-ASCII, control characters) percent-encoded and its outer
        spaces stripped."""
        components = self.planner.components
        found = {
            p.name: request_json_schema(p.schema_ or {"type": "string"}, components) or {}
            for p in sorted(endpoint.params, key=lambda p: p.name)
            if p.location == "header"
            and p.name.lower() not in SKIPPED_HEADERS
            and _scalar_schema(p.schema_, components)
            and not self.planner._is_credential(p)
        }
        if not found:
            return []
        # every declared header in every example: a crash on one is reached at once, and the
        # calls without them are the other tests'
        required = sorted(found)
        schema = {"type": "object", "properties": found, "required": required,
                  "additionalProperties": False}  # fmt: skip
        const = self.planner.constants.add(f"{base}_headers_schema", schema, "dict[str, Any]")
        drawn["header_values"] = f"from_schema({const})"
        # HTTP strips a value's outer spaces, and h11 refuses to send them
        safe = 'safe=string.punctuation + " "'
        sent = f"{{k: quote(str(v).strip(), {safe}) for k, v in header_values.items()}}"
        if "headers=headers" in arranged.kwargs:
            return [f"headers.update({sent})"]
        arranged.kwargs.append("headers=headers")
        return [f"headers = {sent}"]

    def _malformed_content_type(self, endpoint: Endpoint) -> list[Case]:
        """A `Content-Type` the server cannot parse (multipart without its boundary), on an
        operation that takes a body or deletes: 4xx, or the server ignores it, never a 5xx.
        Servers that parse a body by its declared type before routing crash on it."""
        takes_body = endpoint.request_schema is not None and endpoint.method not in _BODYLESS
        if not takes_body and endpoint.method != "DELETE":
            return []
        arranged = self.planner.arrange(endpoint, with_body=False)
        arranged.lines = [x for x in arranged.lines if not x.startswith("headers = ")]
        arranged.kwargs = [k for k in arranged.kwargs if k != "headers=headers"]
        arranged.lines.append(f'headers = {{"Content-Type": {string(MALFORMED_TYPE)}}}')
        arranged.kwargs.append("headers=headers")
        if takes_body:
            arranged.kwargs.append('content=b"{}"')
        arranged.notes.append("a Content-Type without its boundary")
        asserts = ["assert response.status_code < 500, response.text"]
        title = f"{self._display(endpoint)} answers a malformed Content-Type without a server error"
        case = self._case(
            endpoint, "malformed_content_type", title, "MINOR", arranged, asserts, "no server error"
        )
        return [self._destructive(endpoint, case)]

    def _unauthorised(self, endpoint: Endpoint) -> list[Case]:
        if not requires_credential(endpoint):
            return []
        arranged = self.planner.arrange(endpoint)
        codes = set(endpoint.status_codes)
        if 403 in codes:
            check, summary = "response.status_code in (401, 403)", "status is 401 or 403"
        else:
            check, summary = "response.status_code == 401", "status is 401"
        arranged.notes.append("no credentials")
        asserts = [f"assert {check}, response.text"]
        title = f"{self._display(endpoint)} requires credentials"
        return [
            self._case(
                endpoint, "requires_auth", title, "CRITICAL", arranged, asserts, summary, "anon_api"
            )
        ]


def _or(codes: list[int]) -> str:
    return " or ".join(str(c) for c in codes)


def _status_check(codes: list[int]) -> tuple[str, str]:
    """The assertion and its summary for one of the declared statuses."""
    if len(codes) == 1:
        return f"response.status_code == {codes[0]}", f"status is {codes[0]}"
    listed = ", ".join(str(c) for c in codes)
    return f"response.status_code in ({listed})", f"status is {_or(codes)}"


def _media_check(produces: list[str]) -> str:
    """A body checked by its declared media types (`image/*` matches any image)."""
    prefixes = sorted({kind.split(";")[0].strip().removesuffix("*") for kind in produces})
    return (
        'assert response.headers.get("content-type", "").startswith('
        f"{_tuple(prefixes) if len(prefixes) > 1 else string(prefixes[0])}), "
        'response.headers.get("content-type")'
    )


def _tuple(items: list[str]) -> str:
    return "(" + ", ".join(string(item) for item in items) + ")"


FUZZ_EXAMPLES = 10
# parameters that ask the server to wait: drawn values are capped so a run stays short
_WAITS = re.compile(r"delay|duration|sleep|timeout|wait|seconds", re.I)
_MAX_WAIT = 1
# parameters that ask for an amount of data: drawn values are capped so a response stays small
_AMOUNTS = re.compile(r"bytes|size|length|count|chunk", re.I)
_MAX_AMOUNT = 1024
_SEGMENT = "^[!-.0-~]+$"  # printable ASCII but the slash
FUZZ_SEED = 20240601


def _assigned(lines: list[str], name: str) -> str | None:
    """The variable an Arrange line gives a path parameter's value to."""
    from bot.generate.source_text import identifier

    var = identifier(name)
    return var if any(line.startswith(f"{var} = ") for line in lines) else None


def _scalar_schema(schema: object, components: dict[str, object]) -> bool:
    """A query parameter httpx can send as drawn: a scalar or an array of scalars."""
    s = effective(schema, components)
    kind = str(s.get("type") or "string")
    if "array" in kind:
        kind = str(effective(s.get("items"), components).get("type") or "string")
    return not any(k in kind for k in ("object", "array")) and not s.get("oneOf")


def _spread_objects(
    params: list[Param],
    components: dict[str, object],
    query: dict[str, object],
    required: list[str],
) -> object:
    """Object query parameters as OpenAPI sends them by default (`style: form`, `explode:
    true`): each property is a query parameter of its own. Their properties join `query` (and
    `required`); the schema of further free-form keys is returned (False: none)."""
    extra: object = False
    for p in params:
        s = request_json_schema(p.schema_ or {}, components) or {}
        if s.get("type") != "object" or s.get("oneOf") or s.get("anyOf"):
            continue
        properties = s.get("properties")
        for name, sub in (properties if isinstance(properties, dict) else {}).items():
            if isinstance(sub, dict) and _scalar_schema(sub, components):
                query.setdefault(str(name), _capped(str(name), sub))
                wanted = s.get("required")
                if p.required and isinstance(wanted, list) and name in wanted:
                    required.append(str(name))
        more = s.get("additionalProperties")
        if isinstance(more, dict) and _scalar_schema(more, components):
            extra = more
        elif more is True or (more is None and not properties):
            extra = {"type": "string"}
    required.sort()
    return extra


def _shallow(schema: dict[str, Any]) -> dict[str, Any]:
    """A body schema as the fuzz layer draws it: arrays of at most `_FUZZ_ITEMS` items unless
    the schema wants more (a batch of 25 sub-requests costs the server, not the route's
    input handling); and a large schema (a filter language, say) without the optional fields
    nested deeper than `_FUZZ_DEPTH` objects: hypothesis-jsonschema merges every nested `anyOf`
    again for each example, and on such schemas drawing costs seconds a test."""
    deep = len(json.dumps(schema)) > _LARGE_SCHEMA
    drawn: dict[str, Any] = _prune(schema, 0 if deep else -(10**6))
    return drawn


def _prune(node: Any, depth: int) -> Any:
    if isinstance(node, list):
        return [_prune(item, depth) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "properties" and isinstance(value, dict):
            wanted = set(node.get("required") or []) if depth >= _FUZZ_DEPTH else set(value)
            out[key] = {n: _prune(v, depth + 1) for n, v in value.items() if n in wanted}
        else:
            out[key] = _prune(value, depth)
    if out.get("type") == "array" and "maxItems" not in out:
        least = out.get("minItems")
        out["maxItems"] = max(_FUZZ_ITEMS, least if isinstance(least, int) else 0)
    return out


_LARGE_SCHEMA = 4000  # characters of JSON
_FUZZ_DEPTH = 2
_FUZZ_ITEMS = 5


def _capped(name: str, schema: dict[str, object]) -> dict[str, object]:
    """A waiting parameter (`delay`, `duration`) drawn as a number of at most a second, an
    amount of data (`numbytes`, `chunk_size`) as at most a kilobyte: the fuzz layer tests
    how the route takes its inputs, not how long it can stream. The declared minimum stays
    (none: negative values are drawn too, a classic crash)."""
    if _WAITS.search(name):
        kind, most = schema.get("type"), _MAX_WAIT
        if kind not in ("integer", "number"):
            kind = "number"
    elif _AMOUNTS.search(name) and schema.get("type") in ("integer", "number"):
        kind, most = schema.get("type"), _MAX_AMOUNT
    else:
        return schema
    low, high = schema.get("minimum"), schema.get("maximum")
    cap = min(high, most) if isinstance(high, int | float) else most
    if isinstance(low, int | float):
        cap = max(cap, low)  # at least `low`: drawn at its least
    kept = {k: v for k, v in schema.items() if k not in ("pattern", "exclusiveMaximum")}
    return {**kept, "type": kind, "maximum": cap}
