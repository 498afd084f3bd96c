"""The credential header a spec declares: api keys, HTTP schemes, OAuth2, the most used first."""

from __future__ import annotations

from typing import Any

from bot.generate.auth import Credential, spec_auth, spec_credential
from bot.generate.conftest_template import render_conftest
from bot.generate.model import GenerateOptions
from bot.generate.render import render_endpoint_tests
from bot.scan.model import Endpoint, Inventory, Param
from bot.validate.api import validate_source


def _inventory(*security: list[str]) -> Inventory:
    return Inventory(
        endpoints=[
            Endpoint(method="GET", path=f"/e{n}", framework="openapi", file="s", line=1, security=s)
            for n, s in enumerate(security)
        ]
    )


def _oas3(schemes: dict[str, Any]) -> dict[str, Any]:
    return {"openapi": "3.0.0", "paths": {}, "components": {"securitySchemes": schemes}}


def test_api_key_in_a_header_is_sent_bare_under_its_name() -> None:
    doc = _oas3({"key": {"type": "apiKey", "in": "header", "name": "X-API-Key"}})
    assert spec_auth(doc, _inventory(["key"])) == ("X-API-Key", "")


def test_http_schemes_and_oauth2_use_authorization() -> None:
    bearer = _oas3({"jwt": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}})
    assert spec_auth(bearer, _inventory(["jwt"])) == ("Authorization", "Bearer")
    basic = {"swagger": "2.0", "paths": {}, "securityDefinitions": {"b": {"type": "basic"}}}
    assert spec_auth(basic, _inventory(["b"])) == ("Authorization", "Basic")
    oauth = _oas3({"o": {"type": "oauth2", "flows": {}}})
    assert spec_auth(oauth, _inventory(["o"])) == ("Authorization", "Bearer")


def test_the_scheme_most_endpoints_need_wins_and_query_keys_are_passed_over() -> None:
    doc = _oas3(
        {
            "query": {"type": "apiKey", "in": "query", "name": "api_key"},
            "a": {"type": "apiKey", "in": "header", "name": "X-A"},
            "b": {"type": "apiKey", "in": "header", "name": "X-B"},
        }
    )
    assert spec_auth(doc, _inventory(["query"], ["query"], ["query"], ["b"], ["b"], ["a"])) == (
        "X-B",
        "",
    )
    assert spec_auth(doc, _inventory(["query"])) is None


def test_no_document_or_no_secured_endpoint_keeps_the_defaults() -> None:
    doc = _oas3({"key": {"type": "apiKey", "in": "header", "name": "X-API-Key"}})
    assert spec_auth(None, _inventory(["key"])) is None
    assert spec_auth(doc, _inventory([])) is None


def test_a_query_or_cookie_key_is_a_credential_under_its_name() -> None:
    query = _oas3({"key": {"type": "apiKey", "in": "query", "name": "api_key"}})
    assert spec_credential(query, _inventory(["key"])) == Credential("query", "api_key")
    cookie = _oas3({"key": {"type": "apiKey", "in": "cookie", "name": "session"}})
    assert spec_credential(cookie, _inventory(["key"])) == Credential("cookie", "session")


def test_the_credential_most_endpoints_need_wins_whatever_carries_it() -> None:
    doc = _oas3(
        {
            "query": {"type": "apiKey", "in": "query", "name": "api_key"},
            "jwt": {"type": "http", "scheme": "bearer"},
            "tls": {"type": "mutualTLS"},
        }
    )
    inventory = _inventory(["tls"], ["tls"], ["tls"], ["query"], ["query"], ["jwt"])
    assert spec_credential(doc, inventory) == Credential("query", "api_key")
    assert spec_credential(doc, _inventory(["jwt"])) == Credential(
        "header", "Authorization", "Bearer"
    )
    assert spec_credential(doc, _inventory(["tls"])) is None
    assert spec_credential(None, inventory) is None


def test_a_credential_sets_where_and_as_what_the_options_send_it() -> None:
    options = Credential("cookie", "session").options(GenerateOptions(auth_env="KEY"))
    assert (options.auth_in, options.auth_header, options.auth_scheme) == ("cookie", "session", "")
    assert options.auth_env == "KEY"
    assert GenerateOptions().auth_in == "header"


def test_the_conftest_sends_a_query_key_as_a_client_parameter() -> None:
    conftest = render_conftest(GenerateOptions(auth_in="query", auth_header="api_key"))
    assert 'AUTH_QUERY_NAME = "api_key"' in conftest
    assert "base_url=_base_url(), params=_auth_params(), timeout=30.0" in conftest
    assert "AUTH_HEADER_NAME" not in conftest
    assert validate_source(conftest, "conftest.py") == []


def test_the_conftest_sends_a_cookie_key_as_a_client_cookie() -> None:
    conftest = render_conftest(GenerateOptions(auth_in="cookie", auth_header="session"))
    assert 'AUTH_COOKIE_NAME = "session"' in conftest
    assert "base_url=_base_url(), cookies=_auth_cookies(), timeout=30.0" in conftest
    assert validate_source(conftest, "conftest.py") == []


def test_a_declared_parameter_named_like_the_credential_is_left_to_the_client() -> None:
    key = Param(name="api_key", location="query", required=True, schema={"type": "string"})
    page = Param(name="page", location="query", required=True, schema={"type": "integer"})
    endpoint = Endpoint(
        method="GET", path="/items", framework="openapi", file="s", line=1, params=[key, page]
    )
    options = GenerateOptions(auth_in="query", auth_header="api_key", kinds=["happy"])
    source = render_endpoint_tests(endpoint, options)
    assert 'params = {"page": 1}' in source
    assert '"api_key": "testgen"' in render_endpoint_tests(endpoint, GenerateOptions())


def test_a_cookie_parameter_beside_a_cookie_credential_makes_the_cases_weak() -> None:
    theme = Param(name="theme", location="cookie", required=True, schema={"type": "string"})
    item = Param(name="itemId", location="path", required=True, schema={"example": 7})
    endpoint = Endpoint(
        method="GET",
        path="/items/{itemId}",
        framework="openapi",
        file="s",
        line=1,
        params=[theme, item],
        status_codes=[200, 400, 404],
    )
    options = GenerateOptions(auth_in="cookie", auth_header="session")
    source = render_endpoint_tests(endpoint, options)
    assert "# weak: the Cookie header replaces the credential's cookie" in source
    assert "unknown_item_id" not in source  # 401, not 404, would come back
    plain = render_endpoint_tests(endpoint, GenerateOptions())
    assert "# weak" not in plain
    assert "unknown_item_id" in plain
