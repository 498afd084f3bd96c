"""The credential header a spec declares: api keys, HTTP schemes, OAuth2, the most used first."""

from __future__ import annotations

from typing import Any

from bot.generate.auth import spec_auth
from bot.scan.model import Endpoint, Inventory


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
