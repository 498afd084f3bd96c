"""Suites for specs whose API key travels in a query parameter or a cookie pass against a server
that only accepts the key there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.generate import GenerateOptions, plan_suite, write_suite
from bot.generate.auth import spec_credential
from bot.generate.spec import load_inventory, spec_document
from bot.validate.api import validate_source
from tests.support.uvicorn_thread import serve_in_thread

pytestmark = pytest.mark.e2e

KEY = "travel-key"
_ITEM = {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
_SAVED = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
}


def _spec(where: str) -> dict[str, Any]:
    ok = {"description": "ok", "content": {"application/json": {"schema": _SAVED}}}
    denied = {"401": {"description": "no key"}}
    item_id = {"name": "itemId", "in": "path", "required": True, "schema": {"type": "integer"}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "items", "version": "1"},
        "security": [{"key": []}],
        "components": {
            "securitySchemes": {"key": {"type": "apiKey", "in": where, "name": "api_key"}}
        },
        "paths": {
            "/items": {
                "post": {
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ITEM}},
                    },
                    "responses": {"201": ok, "400": {"description": "bad"}, **denied},
                }
            },
            "/items/{itemId}": {
                "get": {
                    "parameters": [item_id],
                    "responses": {"200": ok, "404": {"description": "none"}, **denied},
                }
            },
            "/health": {"get": {"security": [], "responses": {"200": {"description": "up"}}}},
        },
    }


def _app(where: str) -> Starlette:
    items: dict[int, dict[str, Any]] = {}

    def key(request: Request) -> str | None:
        found = request.query_params if where == "query" else request.cookies
        return found.get("api_key")

    async def create(request: Request) -> Response:
        if key(request) != KEY:
            return JSONResponse({"message": "no key"}, status_code=401)
        data = await request.json()
        if not isinstance(data, dict) or not isinstance(data.get("name"), str):
            return JSONResponse({"message": "name must be a string"}, status_code=400)
        new = {"id": len(items) + 1, "name": data["name"]}
        items[new["id"]] = new
        return JSONResponse(new, status_code=201)

    async def read(request: Request) -> Response:
        if key(request) != KEY:
            return JSONResponse({"message": "no key"}, status_code=401)
        raw = request.path_params["item_id"]
        found = items.get(int(raw)) if raw.isdigit() else None
        if found is None:
            return JSONResponse({"message": "no such item"}, status_code=404)
        return JSONResponse(found)

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "up"})

    routes = [
        Route("/items", create, methods=["POST"]),
        Route("/items/{item_id}", read, methods=["GET"]),
        Route("/health", health, methods=["GET"]),
    ]
    return Starlette(routes=routes)


@pytest.mark.parametrize("where", ["query", "cookie"])
def test_the_suite_sends_the_key_where_the_spec_says(tmp_path: Path, where: str) -> None:
    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(_spec(where)), encoding="utf-8")
    inventory = load_inventory(spec)
    credential = spec_credential(spec_document(spec), inventory)
    assert credential is not None
    result = plan_suite(inventory, credential.options(GenerateOptions()))
    for file in result.files:
        assert validate_source(file.content, file.path) == [], file.path
    suite = tmp_path / "suite"
    write_suite(result.files, suite)
    with serve_in_thread(_app(where)) as base_url:
        env = {**os.environ, "API_BASE_URL": base_url, "API_TOKEN": KEY}
        command = [
            sys.executable, "-m", "pytest", str(suite), "-q", "-p", "no:cacheprovider",
            "--rootdir", str(suite), "-o", "addopts=", "-W", "ignore::DeprecationWarning",
        ]  # fmt: skip
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=120, check=False
        )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "failed" not in done.stdout
