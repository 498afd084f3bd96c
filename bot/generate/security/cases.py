"""The security cases of one endpoint: API1, API2, API3, API4 and API8 of the OWASP Top 10."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from bot.generate.behaviour import _items_expression
from bot.generate.cases import Case, CaseWriter
from bot.generate.request import (
    Arranged,
    is_collection,
    is_item_path,
    is_json,
    is_json_response,
    success_codes,
    success_status,
)
from bot.generate.schema import effective
from bot.generate.security import owasp
from bot.generate.source_text import identifier, literal, path_params, snake, string
from bot.scan.model import Endpoint

_ITEM = frozenset({"GET", "PUT", "PATCH", "DELETE"})
_WRITES = frozenset({"POST", "PUT", "PATCH"})


@dataclass(frozen=True)
class SecurityCase:
    """A generated case and the OWASP category it checks."""

    case: Case
    category: str


def _category_tag(category: str) -> str:
    return category.split(" ", 1)[0]


class SecurityWriter:
    """Writes the security cases of the endpoints of one module, on the functional writer's
    requests (the same resource chain, ids, bodies and credential)."""

    def __init__(self, writer: CaseWriter) -> None:
        self.writer = writer
        self.planner = writer.planner

    def cases(self, endpoint: Endpoint) -> list[SecurityCase]:
        if endpoint.method in ("OPTIONS", "TRACE", "HEAD"):
            return []
        if endpoint.method == "DELETE" and is_collection(endpoint, self.planner.inventory):
            return []  # a whole collection is never deleted by the suite
        out: list[SecurityCase] = []
        out += self._bola(endpoint)
        out += self._authentication(endpoint)
        out += self._mass_assignment(endpoint)
        out += self._undeclared_properties(endpoint)
        out += self._paging(endpoint)
        out += self._malformed_id(endpoint)
        out += self._injection(endpoint)
        return out

    # helpers ---------------------------------------------------------------------------------

    def _make(
        self,
        category: str,
        endpoint: Endpoint,
        suffix: str,
        what: str,
        arranged: Arranged,
        asserts: list[str],
        summary: str,
        client: str = "api",
        severity: str = "CRITICAL",
    ) -> SecurityCase:
        title = f"{_category_tag(category)} {self.writer._display(endpoint)} {what}"
        case = self.writer._case(
            endpoint,
            f"{_category_tag(category).split(':')[0].lower()}_{suffix}",
            title,
            severity,
            arranged,
            asserts,
            summary,
            client,
        )
        return SecurityCase(case, category)

    def _secured(self, endpoint: Endpoint) -> bool:
        """Declared secured, or the spec declares no security anywhere and a credential is
        configured: the API has users, so one user's resources are not another's."""
        if endpoint.security:
            return True
        silent = not any(e.security for e in self.planner.inventory.endpoints)
        return silent and self.writer.options.send_credential

    def _leak_asserts(self) -> list[str]:
        return [
            "assert response.status_code < 500, response.text",
            "assert not LEAK.search(response.text), response.text[:2000]",
        ]

    # API1 ------------------------------------------------------------------------------------

    def _bola(self, endpoint: Endpoint) -> list[SecurityCase]:
        """A resource created with the first credential, used with the second: 403 or 404."""
        params = path_params(endpoint.path)
        if (
            endpoint.method not in _ITEM
            or not is_item_path(endpoint)
            or not self._secured(endpoint)
        ):
            return []
        arranged = self.planner.arrange(endpoint)
        if not params or params[-1] not in arranged.created or arranged.weak:
            return []
        arranged.notes.append("a second user's credential")
        asserts = ["assert response.status_code in (403, 404), response.text"]
        verb = {"GET": "read", "PUT": "replace", "PATCH": "change", "DELETE": "delete"}
        what = f"lets no other user {verb[endpoint.method]} a resource"
        case = self._make(
            owasp.API1,
            endpoint,
            "other_user",
            what,
            arranged,
            asserts,
            "status is 403 or 404",
            client="second_api",
        )
        return [case]

    # API2 ------------------------------------------------------------------------------------

    def _authentication(self, endpoint: Endpoint) -> list[SecurityCase]:
        """No, a malformed and a wrong credential: 401 or 403 (a malformed one may get 400)."""
        if not endpoint.security:
            return []
        arranged = self.planner.arrange(endpoint)
        arranged.lines.append("client = client_with(credential)")
        arranged.notes.append("a missing, malformed or wrong credential")
        asserts = [
            'expected = (400, 401, 403) if credential == "malformed" else (401, 403)',
            "assert response.status_code in expected, response.text",
        ]
        found = self._make(
            owasp.API2,
            endpoint,
            "bad_credential",
            "refuses a {credential} credential",
            arranged,
            asserts,
            "status is 401 or 403",
            client="client",
        )
        fixtures = tuple(sorted({*found.case.fixtures, "client_with"} - {"client"}))
        parametrize = '@pytest.mark.parametrize("credential", ["missing", "malformed", "wrong"])'
        case = replace(
            found.case, fixtures=fixtures, given=("credential",), decorators=(parametrize,)
        )
        return [SecurityCase(case, owasp.API2)]

    # API3 ------------------------------------------------------------------------------------

    def _response_properties(self, endpoint: Endpoint) -> dict[str, Any]:
        status = success_status(endpoint)
        raw = endpoint.responses.get(str(status)) if status else None
        return effective(raw, self.planner.components)

    def _injected(self, endpoint: Endpoint) -> dict[str, Any]:
        """Properties the response has and the request may not set, with values to send."""
        components = self.planner.components
        request = effective(endpoint.request_schema, components).get("properties") or {}
        response = self._response_properties(endpoint).get("properties") or {}
        found: dict[str, Any] = {}
        for name in sorted(response):
            sub = effective(response[name], components)
            sent = effective(request.get(name), components) if name in request else None
            if sent is not None and not sent.get("readOnly"):
                continue  # the client may set it
            if not sub.get("readOnly") and snake(name) not in owasp.LOOK_ALIKES:
                continue
            kind = str(sub.get("type") or "")
            if kind == "boolean":
                found[name] = owasp.INJECTED_FLAG
            elif kind in owasp.INJECTED and not sub.get("enum") and not sub.get("format"):
                found[name] = owasp.INJECTED[kind]
        return found

    def _mass_assignment(self, endpoint: Endpoint) -> list[SecurityCase]:
        if endpoint.method not in _WRITES or not is_json(endpoint.request_content_type):
            return []
        injected = self._injected(endpoint)
        arranged = self.planner.arrange(endpoint)
        index = next((i for i, x in enumerate(arranged.lines) if x.startswith("body = ")), None)
        if not injected or index is None or arranged.weak:
            return []
        slug = f"{endpoint.method}_{identifier(endpoint.key[1].replace('{}', 'item'))}"
        const = self.planner.constants.add(f"{slug}_injected", injected, "dict[str, Any]")
        sent = arranged.lines[index].removeprefix("body = ")
        arranged.lines[index] = f"body = {{**{sent}, **{const}}}"
        arranged.notes.append("read-only and privileged properties in the body")
        asserts = [
            "assert response.status_code < 500, response.text",
            "data = response.json() if response.is_success and response.content else {}",
            f"for name, value in {const}.items():",
            "    if isinstance(data, dict):",
            '        assert data.get(name) != value, f"{name} was taken from the request: {data}"',
        ]
        case = self._make(
            owasp.API3,
            endpoint,
            "read_only_not_taken",
            f"does not take {', '.join(sorted(injected))} from the request",
            arranged,
            asserts,
            "no server error and no injected property taken",
        )
        return [self._cleaned(endpoint, case)]

    def _cleaned(self, endpoint: Endpoint, found: SecurityCase) -> SecurityCase:
        """A POST's case deletes what it created (when the spec has the item's DELETE)."""
        if endpoint.method != "POST":
            return found
        outer = [identifier(p) for p in path_params(endpoint.path)]
        item = self.planner._item_path(endpoint, outer)
        if item is None:
            return found
        post = self.planner._posts.get(endpoint.key[1])
        id_field = self.planner.id_field(post, "id") if post is not None else "id"
        act = (*found.case.act, f"created(response, {item}, {string(id_field)})")
        fixtures = tuple(sorted({*found.case.fixtures, "created"}))
        return SecurityCase(replace(found.case, act=act, fixtures=fixtures), found.category)

    def _undeclared_properties(self, endpoint: Endpoint) -> list[SecurityCase]:
        schema = self._response_properties(endpoint)
        properties = schema.get("properties")
        if schema.get("additionalProperties") is not False or not isinstance(properties, dict):
            return []
        if endpoint.method == "DELETE" or not is_json_response(endpoint):
            return []
        arranged = self.planner.arrange(endpoint)
        if arranged.weak:
            return []
        slug = f"{endpoint.method}_{identifier(endpoint.key[1].replace('{}', 'item'))}"
        const = self.planner.constants.add(f"{slug}_declared", sorted(properties), "list[str]")
        codes = success_codes(endpoint)
        listed = ", ".join(str(c) for c in codes)
        asserts = [
            f"assert response.status_code in ({listed},), response.text",
            f"undeclared = sorted(set(response.json()) - set({const}))",
            'assert not undeclared, f"properties the schema does not declare: {undeclared}"',
        ]
        case = self._make(
            owasp.API3,
            endpoint,
            "no_undeclared_properties",
            "answers no property its schema does not declare",
            arranged,
            asserts,
            "only declared properties",
            severity="NORMAL",
        )
        return [self._cleaned(endpoint, case)]

    # API4 ------------------------------------------------------------------------------------

    def _paging(self, endpoint: Endpoint) -> list[SecurityCase]:
        if endpoint.method != "GET" or is_item_path(endpoint):
            return []
        components = self.planner.components
        out: list[SecurityCase] = []
        for param in sorted(endpoint.params, key=lambda p: p.name):
            name = snake(param.name).replace("_", "")
            sizes = {n.replace("_", "") for n in owasp.PAGE_SIZES}
            offsets = {n.replace("_", "") for n in owasp.PAGE_OFFSETS}
            schema = effective(param.schema_, components)
            if param.location != "query" or name not in sizes | offsets:
                continue
            if schema.get("type") not in ("integer", "number"):
                continue
            arranged = self.planner.arrange(endpoint)
            if arranged.weak:
                continue
            _set_query(arranged, param.name, owasp.HUGE)
            arranged.notes.append(f"{param.name}={owasp.HUGE}")
            asserts = ["assert response.status_code < 500, response.text"]
            found = _items_expression(self.writer, endpoint)
            summary = "refused (4xx) or answered, never a server error"
            if name in sizes and found is not None:
                high = schema.get("maximum")
                cap = high if isinstance(high, int) else owasp.UNBOUNDED
                asserts += [
                    "if response.is_success:",
                    f"    assert len({found[0]}) <= {cap}, "
                    f'"a huge {param.name} lists more than {cap} items"',
                ]
                summary = f"refused (4xx) or capped at {cap} items, never a server error"
            what = f"caps or refuses a huge {param.name}"
            out.append(
                self._make(
                    owasp.API4,
                    endpoint,
                    f"huge_{snake(param.name)}",
                    what,
                    arranged,
                    asserts,
                    summary,
                    severity="NORMAL",
                )
            )
        return out

    # API8 ------------------------------------------------------------------------------------

    def _malformed_id(self, endpoint: Endpoint) -> list[SecurityCase]:
        params = path_params(endpoint.path)
        if endpoint.method == "POST" or not is_item_path(endpoint) or not params:
            return []
        target = params[-1]
        param = next((p for p in endpoint.params if p.name == target), None)
        schema = effective(param.schema_ if param else None, self.planner.components)
        if schema.get("type") not in ("integer", "number") and schema.get("format") != "uuid":
            return []
        arranged = self.planner.arrange(endpoint, unknown=target)
        var = identifier(target)
        if not _replace_assignment(arranged, var, string(owasp.MALFORMED_ID)):
            return []
        arranged.notes = [n for n in arranged.notes if not n.startswith("an unknown")]
        arranged.notes.append(f"a malformed {target}")
        case = self._make(
            owasp.API8,
            endpoint,
            f"malformed_{snake(target)}",
            f"answers a malformed {target} without a server error or stack trace",
            arranged,
            self._leak_asserts(),
            "no server error, no stack trace",
            severity="NORMAL",
        )
        return [case]

    def _injection(self, endpoint: Endpoint) -> list[SecurityCase]:
        """Injection-shaped strings in each string parameter: 4xx or a normal answer."""
        if endpoint.method == "POST":
            return []  # a normal answer would create a resource nobody deletes
        components = self.planner.components
        out: list[SecurityCase] = []
        for param in sorted(endpoint.params, key=lambda p: (p.location, p.name)):
            schema = effective(param.schema_, components)
            if param.location not in ("path", "query") or self.planner._is_credential(param):
                continue
            if schema.get("type", "string") != "string" or schema.get("format") in ("binary",):
                continue
            if param.location == "path" and param.name != path_params(endpoint.path)[-1]:
                continue  # an outer id: the resources below it could not be created
            if param.location == "path":
                arranged = self.planner.arrange(endpoint, unknown=param.name)
                var = identifier(param.name)
                if not _replace_assignment(arranged, var, 'quote(payload, safe="")'):
                    continue
                arranged.notes = [n for n in arranged.notes if not n.startswith("an unknown")]
            else:
                arranged = self.planner.arrange(endpoint)
                _set_query(arranged, param.name, None)
            if any(w.startswith("no known") for w in arranged.weak if param.name not in w):
                continue
            arranged.notes.append(f"an injection-shaped {param.name}")
            found = self._make(
                owasp.API8,
                endpoint,
                f"injection_{snake(param.name)}",
                f"answers an injection-shaped {param.name} without a server error",
                arranged,
                self._leak_asserts(),
                "4xx or a normal answer, no stack trace",
                severity="NORMAL",
            )
            decorator = '@pytest.mark.parametrize("payload", INJECTIONS)'
            case = replace(found.case, given=("payload",), decorators=(decorator,))
            out.append(SecurityCase(case, owasp.API8))
        return out


def _replace_assignment(arranged: Arranged, var: str, expression: str) -> bool:
    for index, line in enumerate(arranged.lines):
        if line.startswith(f"{var} = "):
            arranged.lines[index] = f"{var} = {expression}"
            return True
    return False


def _set_query(arranged: Arranged, name: str, value: int | None) -> None:
    """Set a query parameter to a number, or to the `payload` variable (None)."""
    entry = f"{string(name)}: {'payload' if value is None else literal(value)}"
    index = next((i for i, x in enumerate(arranged.lines) if x.startswith("params = ")), None)
    if index is None:
        arranged.lines.append(f"params = {{{entry}}}")
        arranged.kwargs.append("params=params")
    else:
        known = arranged.lines[index].removeprefix("params = ")
        arranged.lines[index] = f"params = {{**{known}, {entry}}}"
