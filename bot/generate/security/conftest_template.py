"""The security tests' own `conftest.py`: a second user's client, bad credentials, cleanup."""

from __future__ import annotations

from bot.generate.model import MARKER, GenerateOptions
from bot.generate.security.owasp import WRONG_JWT
from bot.generate.source_text import string

SECOND_ENV = "API_TOKEN_2"

_TEMPLATE = '''{marker}
"""Fixtures of the generated security tests (the tests folder's conftest.py gives the rest)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

BASE_URL_ENV = {base_url_env}
CREDENTIALS_ENV = {auth_env}
# a second user's credential: object-level authorization (API1) is tested only with it
SECOND_CREDENTIALS_ENV = {second_env}
NO_SECOND_USER = (
    f"{{SECOND_CREDENTIALS_ENV}} is not set: object-level authorization needs a second user's "
    f"credential (set {{SECOND_CREDENTIALS_ENV}} to a credential of another user than "
    f"{{CREDENTIALS_ENV}})"
)
AUTH_IN = {auth_in}
AUTH_NAME = {auth_name}
AUTH_SCHEME = {auth_scheme}
# a credential of the right shape no server accepts, and one of the wrong shape
WRONG_JWT = {wrong_jwt}
MALFORMED = "!!!testgen-malformed!!!"
ENVELOPES = ("data", "result", "item", "resource", "object")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "security: generated OWASP API Top 10 checks")
    config.addinivalue_line("markers", "inventory: code and spec disagree (opt-in, API9)")


def _base_url() -> str:
    return os.environ.get(BASE_URL_ENV, "http://localhost:8000")


def _client(credential: str | None) -> httpx.Client:
    """A client that sends `credential` (as is: no scheme added) the way the API expects."""
    if credential is None:
        return httpx.Client(base_url=_base_url(), timeout=30.0)
    where = {{"header": "headers", "query": "params", "cookie": "cookies"}}[AUTH_IN]
    kwargs: dict[str, Any] = {{where: {{AUTH_NAME: credential}}}}
    return httpx.Client(base_url=_base_url(), timeout=30.0, **kwargs)


def _with_scheme(value: str) -> str:
    return f"{{AUTH_SCHEME}} {{value}}" if AUTH_IN == "header" and AUTH_SCHEME else value


def _wrong() -> str:
    """A credential of the same shape as the real one: a JWT for a JWT, else as many hex digits."""
    real = os.environ.get(CREDENTIALS_ENV, "")
    if real.count(".") == 2 or (not real and AUTH_SCHEME.lower() == "bearer"):
        return _with_scheme(WRONG_JWT)
    return _with_scheme("0123456789abcdef" * max(2, len(real) // 16 + 1))[: max(len(real), 32)]


@pytest.fixture
def second_api() -> Iterator[httpx.Client]:
    """A client with the second user's credential; the test is skipped when there is none."""
    credential = os.environ.get(SECOND_CREDENTIALS_ENV, "")
    if not credential:
        pytest.skip(NO_SECOND_USER)
    with _client(_with_scheme(credential)) as client:
        yield client


@pytest.fixture
def client_with() -> Iterator[Callable[[str], httpx.Client]]:
    """`client_with(kind)`: a client with no (`missing`), a `malformed` or a `wrong` credential."""
    clients: list[httpx.Client] = []

    def make(kind: str) -> httpx.Client:
        credential = {{"missing": None, "malformed": MALFORMED, "wrong": _wrong()}}[kind]
        clients.append(_client(credential))
        return clients[-1]

    yield make
    for client in clients:
        client.close()


def _find_id(response: httpx.Response, field: str) -> Any:
    try:
        data = response.json()
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    bodies = [data] + [data[k] for k in ENVELOPES if isinstance(data.get(k), dict)]
    return next((b[n] for b in bodies for n in (field, "id") if b.get(n) is not None), None)


@pytest.fixture
def created(api: httpx.Client) -> Iterator[Callable[..., None]]:
    """`created(response, item_path, field)`: delete what a test's request created, after it."""
    paths: list[str] = []

    def remember(response: httpx.Response, item_path: str, field: str) -> None:
        found = _find_id(response, field) if response.is_success else None
        if found is not None:
            paths.append(item_path.format(found))

    yield remember
    for path in reversed(paths):
        api.delete(path)
'''


def render_security_conftest(options: GenerateOptions) -> str:
    return _TEMPLATE.format(
        marker=MARKER,
        base_url_env=string(options.base_url_env),
        auth_env=string(options.auth_env),
        second_env=string(SECOND_ENV),
        auth_in=string(options.auth_in),
        auth_name=string(options.auth_header),
        auth_scheme=string(options.auth_scheme if options.auth_in == "header" else ""),
        wrong_jwt=string(WRONG_JWT),
    )
