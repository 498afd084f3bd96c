"""The generated `conftest.py`: the `api`, `anon_api` and `create_resource` fixtures."""

from __future__ import annotations

from bot.generate._source import string
from bot.generate.model import MARKER, GenerateOptions

_TEMPLATE = '''{marker}
"""Fixtures of the generated API tests: clients on the API under test, resource creation."""

from __future__ import annotations

import os
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


def _base_url() -> str:
    return os.environ.get(BASE_URL_ENV, "http://localhost:8000")


{auth_function}

@pytest.fixture(scope="session")
def api() -> Iterator[httpx.Client]:
    """A client on the API's base URL that sends the credentials from the environment."""
    with httpx.Client(base_url=_base_url(), {auth_kwarg}, timeout=30.0) as client:
        yield client


@pytest.fixture(scope="session")
def anon_api() -> Iterator[httpx.Client]:
    """A client on the API's base URL without credentials."""
    with httpx.Client(base_url=_base_url(), timeout=30.0) as client:
        yield client


def _find_id(response: httpx.Response, field: str) -> Any:
    try:
        data = response.json()
    except ValueError:
        data = None
    if isinstance(data, dict):
        for name in (field, "id"):
            if data.get(name) is not None:
                return data[name]
    location = response.headers.get("location", "")
    if location:
        return location.rstrip("/").rsplit("/", 1)[-1]
    raise LookupError(f"no `{{field}}` in the response that created the resource: {{data!r}}")


@pytest.fixture
def create_resource(api: httpx.Client) -> Callable[[str, Any, str], Any]:
    """Create a resource with a POST to a collection; return its id (from `field`)."""

    def create(path: str, body: Any, field: str) -> Any:
        response = api.post(path, json=body)
        response.raise_for_status()
        return _find_id(response, field)

    return create
'''


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


def _auth_parts(options: GenerateOptions) -> dict[str, str]:
    """The constants, the function and the `api` client's argument that send the credential."""
    name = string(options.auth_header)
    if options.auth_in == "header":
        return {
            "auth_constants": _HEADER_CONSTANTS.format(
                name=name, scheme=string(options.auth_scheme)
            ),
            "auth_function": _HEADER_FUNCTION,
            "auth_kwarg": "headers=_auth_headers()",
        }
    kind, plural = _NAMED[options.auth_in]
    return {
        "auth_constants": _NAMED_CONSTANTS.format(kind=kind, name=name),
        "auth_function": _NAMED_FUNCTION.format(kind=kind, plural=plural),
        "auth_kwarg": f"{plural}=_auth_{plural}()",
    }


def render_conftest(options: GenerateOptions) -> str:
    return _TEMPLATE.format(
        marker=MARKER,
        base_url_env=string(options.base_url_env),
        auth_env=string(options.auth_env),
        **_auth_parts(options),
    )
