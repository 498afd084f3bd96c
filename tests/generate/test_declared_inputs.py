"""Inputs a spec declares in the ways real specs do, generated for as their authors meant.

- An operation that lists an `Authorization` header parameter (no security scheme anywhere)
  wants a credential: the suite sends `API_TOKEN`, checks that the operation refuses a call
  without one, and says that `API_TOKEN` is missing when it is.
- An object query parameter is sent as OpenAPI sends it by default (`style: form`, `explode:
  true`): its keys are query parameters, and the fuzz test draws them.
- `type: int` and friends, as hand-written specs say them, mean JSON Schema's types.
- Each drawn example of a fuzz test starts without cookies, as each test does.
- An amount of data (`numbytes`) is drawn small: a kilobyte at most.
- A fuzz test draws the declared headers too; each operation that takes a body or deletes is
  also sent a `Content-Type` no parser can read, and must not answer 5xx.
- A JSON list where an object is declared is expected to be refused.
- A redirect is fuzzed too, without following it.
- A waiting parameter (`seconds`, `delay`) is drawn short, keeping its declared minimum: none
  here, so the fuzz test also tries negative waits.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.cli import main
from bot.generate.spec import load_inventory
from tests.support.generated_suite import constant, run_generated, validation_findings
from tests.support.uvicorn_thread import serve_in_thread

pytestmark = pytest.mark.e2e

TOKEN = "any-bearer-token"
OK = {"description": "ok"}


def _spec() -> dict[str, Any]:
    header = {"in": "header", "name": "Authorization", "schema": {"type": "string"}}
    freeform = {
        "in": "query",
        "name": "freeform",
        "schema": {"type": "object", "additionalProperties": {"type": "string"}},
    }
    return {
        "swagger": "2.0",
        "info": {"title": "echo", "version": "1"},
        "paths": {
            "/whoami": {
                "get": {
                    "parameters": [header],
                    "produces": ["application/json"],
                    "responses": {"200": OK, "401": {"description": "no bearer token"}},
                }
            },
            "/echo": {
                "get": {
                    "parameters": [freeform],
                    "produces": ["application/json"],
                    "responses": {"200": OK},
                }
            },
            "/notes/{name}": {
                "delete": {
                    "parameters": [
                        {"in": "path", "name": "name", "type": "string"},
                        {"in": "header", "name": "If-Match", "type": "string"},
                    ],
                    "produces": ["application/json"],
                    "responses": {"204": {"description": "deleted"}},
                }
            },
            "/version": {
                "get": {
                    "parameters": [
                        {
                            "in": "header",
                            "name": "X-Api-Version",
                            "type": "string",
                            "pattern": "^ [0-9]+ $",
                        }
                    ],
                    "produces": ["application/json"],
                    "responses": {"200": OK},
                }
            },
            "/batch": {
                "post": {
                    "parameters": [
                        {
                            "in": "body",
                            "name": "body",
                            "required": True,
                            "schema": {
                                "type": "object",
                                "properties": {"requests": {"type": "array", "items": {}}},
                            },
                        }
                    ],
                    "consumes": ["application/json"],
                    "produces": ["application/json"],
                    "responses": {"200": OK, "400": {"description": "not a batch"}},
                }
            },
            "/drip": {
                "get": {
                    "parameters": [{"in": "query", "name": "numbytes", "type": "integer"}],
                    "produces": ["application/octet-stream"],
                    "responses": {"200": OK},
                }
            },
            "/remember": {
                "get": {
                    "parameters": [{"in": "query", "name": "name", "type": "string"}],
                    "produces": ["application/json"],
                    "responses": {"200": OK},
                }
            },
            "/go/{n}": {
                "get": {
                    "parameters": [{"in": "path", "name": "n", "type": "integer"}],
                    "produces": ["text/html"],
                    "responses": {"302": {"description": "a redirect to /go/{n-1}"}},
                }
            },
            "/wait/{seconds}": {
                "get": {
                    "parameters": [{"in": "path", "name": "seconds", "type": "int"}],
                    "produces": ["application/json"],
                    "responses": {"200": OK},
                }
            },
        },
    }


async def whoami(request: Request) -> Response:
    authorization = request.headers.get("authorization", "")
    if not authorization.startswith("Bearer "):
        return Response(status_code=401, headers={"WWW-Authenticate": "Bearer"})
    return JSONResponse({"token": authorization.removeprefix("Bearer ")})


async def echo(request: Request) -> Response:
    # like a service that turns query keys into header names: a key that is not a token crashes
    if any(not key.isalnum() for key in request.query_params):
        return Response("cannot set that header", status_code=500)
    return JSONResponse(dict(request.query_params))


async def wait(request: Request) -> Response:
    seconds = float(request.path_params["seconds"])
    if seconds < 0:  # like time.sleep(-1): ValueError, a 500
        return Response("sleep length must be non-negative", status_code=500)
    await asyncio.sleep(min(seconds, 10))
    return JSONResponse({"seconds": seconds})


async def go(request: Request) -> Response:
    n = int(request.path_params["n"])
    if n <= 0:  # like a redirect counter that divides by n
        return Response("division by zero", status_code=500)
    return Response(status_code=302, headers={"Location": f"/go/{n - 1}"})


async def remember(request: Request) -> Response:
    # a service that trips over the cookie of an earlier call: a stale session, say
    if "seen" in request.cookies:
        return Response("stale session", status_code=500)
    response = JSONResponse({"name": request.query_params.get("name")})
    response.set_cookie("seen", "1")
    return response


async def delete_note(request: Request) -> Response:
    # parses a body by its Content-Type, even on a DELETE, and trips over an odd If-Match
    if request.headers.get("content-type", "").startswith("multipart/"):
        return Response("no boundary", status_code=500)
    if any(not c.isalnum() for c in request.headers.get("if-match", "")):
        return Response("bad etag", status_code=500)
    return Response(status_code=204)


async def batch(request: Request) -> Response:
    data = json.loads(await request.body())
    if isinstance(data, list):  # indexes the body before validating it
        return Response("list indices must be integers", status_code=500)
    if not isinstance(data, dict):
        return JSONResponse({"detail": "an object"}, status_code=400)
    return JSONResponse({"responses": []})


async def version(request: Request) -> Response:
    return JSONResponse({"asked": request.headers.get("x-api-version")})


def _app() -> Starlette:
    routes = [
        Route("/version", version, methods=["GET"]),
        Route("/batch", batch, methods=["POST"]),
        Route("/notes/{name}", delete_note, methods=["DELETE"]),
        Route("/remember", remember, methods=["GET"]),
        Route("/go/{n}", go, methods=["GET"]),
        Route("/whoami", whoami, methods=["GET"]),
        Route("/echo", echo, methods=["GET"]),
        Route("/wait/{seconds}", wait, methods=["GET"]),
    ]
    return Starlette(routes=routes)


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("declared_inputs")
    spec = folder / "swagger.json"
    spec.write_text(json.dumps(_spec()), encoding="utf-8")
    assert main(["generate", str(spec), "--out", str(folder / "suite")]) == 0
    return folder / "suite"


def _run(suite: Path, base_url: str, target: str, token: str | None, *more: str) -> str:
    return run_generated(suite, base_url, target, token, *more)


def test_the_generated_files_pass_allure_validation(suite: Path) -> None:
    assert validation_findings(suite) == {}


def test_an_authorization_header_parameter_makes_the_suite_send_the_token(suite: Path) -> None:
    with serve_in_thread(_app()) as base_url:
        with_token = _run(suite, base_url, "test_whoami.py", TOKEN)
        without = _run(suite, base_url, "test_whoami.py::test_get_whoami_succeeds", None)
    assert "2 passed" in with_token and "failed" not in with_token, with_token
    assert "API_TOKEN is not set" in without, without


def test_the_call_without_a_credential_is_expected_to_be_refused(suite: Path) -> None:
    text = (suite / "test_whoami.py").read_text(encoding="utf-8")
    anonymous = text.split("def test_get_whoami_requires_auth")[1].split("\n\n\n")[0]
    assert "anon_api.get(url)" in anonymous and "== 401" in anonymous


def test_the_fuzz_test_draws_the_keys_of_an_exploded_object_parameter(suite: Path) -> None:
    with serve_in_thread(_app()) as base_url:
        output = _run(suite, base_url, "test_echo.py::test_get_echo_fuzz", TOKEN)
    # the crash is reached only by a drawn key that is not alphanumeric
    assert "1 failed" in output and "cannot set that header" in output, output


def test_type_int_is_read_as_integer(suite: Path) -> None:
    endpoint = load_inventory(suite.parent / "swagger.json").find("GET", "/wait/{seconds}")
    assert endpoint is not None
    [param] = endpoint.params
    assert param.schema_ == {"type": "integer"}
    with serve_in_thread(_app()) as base_url:
        output = _run(suite, base_url, "test_wait.py::test_get_wait_item_succeeds", TOKEN)
    assert "1 passed" in output, output


def test_a_waiting_parameter_is_drawn_short_and_negative_waits_are_tried(suite: Path) -> None:
    text = (suite / "test_wait.py").read_text(encoding="utf-8")
    schema = constant(text, "INTEGER_VALUE_SCHEMA")
    assert '"maximum": 1' in schema and "minimum" not in schema, schema
    with serve_in_thread(_app()) as base_url:
        output = _run(suite, base_url, "test_wait.py::test_get_wait_item_fuzz", TOKEN)
    assert "1 failed" in output and "sleep length must be non-negative" in output, output


def test_a_redirect_is_fuzzed_without_being_followed(suite: Path) -> None:
    with serve_in_thread(_app()) as base_url:
        happy = _run(suite, base_url, "test_go.py::test_get_go_item_succeeds", TOKEN)
        fuzz = _run(suite, base_url, "test_go.py::test_get_go_item_fuzz", TOKEN)
    assert "1 passed" in happy, happy
    assert "1 failed" in fuzz and "division by zero" in fuzz, fuzz


def test_each_drawn_example_starts_without_the_cookies_of_the_one_before(suite: Path) -> None:
    with serve_in_thread(_app()) as base_url:
        output = _run(suite, base_url, "test_remember.py::test_get_remember_fuzz", TOKEN)
    assert "1 passed" in output, output


def test_an_amount_of_data_is_drawn_small(suite: Path) -> None:
    text = (suite / "test_drip.py").read_text(encoding="utf-8")
    schema = constant(text, "GET_DRIP_QUERY_SCHEMA")
    assert '"numbytes": {"maximum": 1024, "type": "integer"}' in schema, schema


def test_declared_headers_are_drawn_and_a_malformed_content_type_is_tried(suite: Path) -> None:
    with serve_in_thread(_app()) as base_url:
        fuzz = _run(suite, base_url, "test_notes.py::test_delete_notes_item_fuzz", TOKEN)
        odd = _run(
            suite, base_url, "test_notes.py::test_delete_notes_item_malformed_content_type", TOKEN
        )
    assert "1 failed" in fuzz and "bad etag" in fuzz, fuzz
    assert "1 failed" in odd and "no boundary" in odd, odd


def test_a_list_where_an_object_is_declared_is_expected_to_be_refused(suite: Path) -> None:
    with serve_in_thread(_app()) as base_url:
        output = _run(suite, base_url, "test_batch.py::test_post_batch_rejects_a_list_body", TOKEN)
    assert "1 failed" in output and "list indices must be integers" in output, output


def test_a_drawn_header_value_is_sent_without_its_outer_spaces(suite: Path) -> None:
    with serve_in_thread(_app()) as base_url:
        output = _run(suite, base_url, "test_version.py::test_get_version_fuzz", TOKEN)
    assert "1 passed" in output, output
