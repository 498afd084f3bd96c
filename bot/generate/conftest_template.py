"""The generated `conftest.py`: clients, per-run unique values, resource creation and cleanup."""

from __future__ import annotations

import re

from bot.generate.model import MARKER, GenerateOptions
from bot.generate.source_text import string

# the same in the suite's conftest and the locustfile (bot/generate/performance/template.py)
UNIQUE_FUNCTION = '''def _unique(value: Any, *fields: str) -> Any:
    """`value` with a suffix unique to this run and call on each named (dotted) string field,
    for names, slugs and ids the API wants unique: tests and runs do not collide."""
    if isinstance(value, dict):
        out = dict(value)
        for name in fields:
            head, _, rest = name.partition(".")
            if head not in out:
                continue
            if rest:
                out[head] = _unique(out[head], rest)
            elif isinstance(out[head], str):
                out[head] = f"{out[head]}{RUN_ID}{next(_SERIAL)}"
        return out
    if isinstance(value, str) and not fields:
        return f"{value}{RUN_ID}{next(_SERIAL)}"
    return value
'''

_TEMPLATE = '''{marker}
"""Fixtures of the generated API tests: clients on the API under test, resource creation."""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

# The API's root: scheme://host[:port], plus a gateway prefix if one fronts the API. The test
# URLs already carry the spec's base path (the path of OpenAPI's `servers[0].url`, Swagger's
# `basePath`): for a spec served under /v1, give http://host:8000, not http://host:8000/v1.
BASE_URL_ENV = {base_url_env}
CREDENTIALS_ENV = {auth_env}
{auth_constants}
# fields whose values the API may need unique: a per-run suffix keeps runs and tests apart
RUN_ID = uuid.uuid4().hex[:8]
_SERIAL = itertools.count(1)
# where a created resource's id may sit when it is not at the top of the body
ENVELOPES = ("data", "result", "item", "resource", "object")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "fuzz: property-based tests drawn from the spec's schemas")


def _base_url() -> str:
    return os.environ.get(BASE_URL_ENV, "http://localhost:8000")


{auth_function}
@pytest.fixture
def api() -> Iterator[httpx.Client]:
{api_body}


@pytest.fixture
def anon_api() -> Iterator[httpx.Client]:
    """A client on the API's base URL without credentials; a new one for each test."""
    with httpx.Client(base_url=_base_url(), timeout=30.0) as client:
        yield client


{unique_function}

@pytest.fixture
def unique() -> Callable[..., Any]:
    """`unique(value, *fields)`: the value with a run suffix on the named (dotted) fields."""
    return _unique


def _find_id(response: httpx.Response, field: str, sent: Any = None) -> Any:
    """The created resource's id: `field` (or `id`) at the top of the body, in an envelope
    (`data`, `result`, …) or in the first item of a list of created resources, else the last
    segment of the `Location` header, else `field` in the body sent (a client-chosen key)."""
    try:
        data = response.json()
    except ValueError:
        data = None
    if isinstance(data, list) and data and isinstance(data[0], dict):
        data = data[0]
    if isinstance(data, dict):
        bodies = [data] + [data[k] for k in ENVELOPES if isinstance(data.get(k), dict)]
        for body in bodies:
            for name in (field, "id"):
                if body.get(name) is not None:
                    return body[name]
    location = response.headers.get("location", "")
    if location:
        return location.rstrip("/").rsplit("/", 1)[-1]
    if isinstance(sent, dict) and sent.get(field) is not None:
        return sent[field]
    raise LookupError(f"no `{{field}}` in the response that created the resource: {{data!r}}")


@pytest.fixture
def create_resource(api: httpx.Client) -> Iterator[Callable[..., Any]]:
    """Create a resource with a POST to its collection's declared path and return its id (from
    `field`); with `item_path` (a `{{}}` for the id), delete it again after the test."""
    created: list[str] = []

    def create(path: str, body: Any, field: str, item_path: str | None = None) -> Any:
        response = api.post(path, json=body)
        assert response.is_success, f"creating a resource at {{path}}: {{response.text}}"
        found = _find_id(response, field, body)
        if item_path is not None:
            created.append(item_path.format(found))
        return found

    yield create
    for path in reversed(created):
        api.delete(path)


@pytest.fixture
def create_once(create_resource: Callable[..., Any]) -> Callable[..., Any]:
    """`create_resource`, each resource once per test: the examples of a fuzz test share it."""
    made: dict[tuple[str, str | None], Any] = {{}}

    def create(path: str, body: Any, field: str, item_path: str | None = None) -> Any:
        if (path, item_path) not in made:
            made[(path, item_path)] = create_resource(path, body, field, item_path)
        return made[(path, item_path)]

    return create
'''


_MISSING = """MISSING_CREDENTIAL = (
    f"the API answered 401 and {CREDENTIALS_ENV} is not set: "
    f"set {CREDENTIALS_ENV} to a credential the API accepts"
)"""
_HEADER_CONSTANTS = """AUTH_HEADER_NAME = {name}
AUTH_SCHEME = {scheme}"""
_HEADER_FUNCTION = """def _auth_headers() -> dict[str, str]:
    credential = os.environ.get(CREDENTIALS_ENV, "")
    if not credential:
        return {}
    value = f"{AUTH_SCHEME} {credential}" if AUTH_SCHEME else credential
    return {AUTH_HEADER_NAME: value}
"""
# a credential sent as a query parameter or a cookie: on every request of the `api` client
_NAMED_CONSTANTS = """AUTH_{kind}_NAME = {name}"""
_NAMED_FUNCTION = """def _auth_{plural}() -> dict[str, str]:
    credential = os.environ.get(CREDENTIALS_ENV, "")
    return {{AUTH_{kind}_NAME: credential}} if credential else {{}}
"""
_NAMED = {"query": ("QUERY", "params"), "cookie": ("COOKIE", "cookies")}
_CHECK_FUNCTION = """

def _missing_credential(response: httpx.Response) -> None:
    if response.status_code == 401 and not os.environ.get(CREDENTIALS_ENV):
        raise AssertionError(MISSING_CREDENTIAL)


"""
_SENDING_API = '''\
    """A client on the API's base URL that sends the credentials from the environment; a new
    one (and a clean cookie jar) for each test."""
    hooks = {{"response": [_missing_credential]}}
    with httpx.Client(
        base_url=_base_url(), {kwarg}timeout=30.0, event_hooks=hooks
    ) as client:
        yield client'''
# no security scheme declared and none configured: the suite sends no credential
_NO_CONSTANTS = "# The API declares no security scheme: the suite sends no credential."
_PLAIN_API = '''\
    """A client on the API's base URL; a new one (and a clean cookie jar) for each test."""
    with httpx.Client(base_url=_base_url(), timeout=30.0) as client:
        yield client'''


def _auth_parts(options: GenerateOptions) -> dict[str, str]:
    """The constants, the functions and the `api` client that send the credential (and say
    when the environment lacks it); a plain client when the suite sends none."""
    name = string(options.auth_header)
    if not options.send_credential:
        return {"auth_constants": _NO_CONSTANTS, "auth_function": "", "api_body": _PLAIN_API}
    if options.auth_in == "header":
        constants = _HEADER_CONSTANTS.format(name=name, scheme=string(options.auth_scheme))
        function, kwarg = _HEADER_FUNCTION, "headers=_auth_headers(), "
    else:
        kind, plural = _NAMED[options.auth_in]
        constants = _NAMED_CONSTANTS.format(kind=kind, name=name)
        function = _NAMED_FUNCTION.format(kind=kind, plural=plural)
        kwarg = f"{plural}=_auth_{plural}(), "
    return {
        "auth_constants": f"{constants}\n{_MISSING}",
        "auth_function": f"{function}{_CHECK_FUNCTION}",
        "api_body": _SENDING_API.format(kwarg=kwarg),
    }


def render_conftest(options: GenerateOptions) -> str:
    text = _TEMPLATE.format(
        marker=MARKER,
        base_url_env=string(options.base_url_env),
        auth_env=string(options.auth_env),
        unique_function=UNIQUE_FUNCTION,
        **_auth_parts(options),
    )
    return re.sub(r"\n{4,}", "\n\n\n", text)  # two blank lines where a part is empty
