"""Resources created the ways real APIs create them, and the suite stays green twice in a row.

The service below answers like the Prefect server does:
- a run is created idempotently on its `task_key`: a repeated key answers 200 with the run made
  before (so `*_key` fields get the run's unique suffix, like names);
- an input is created under a key the client chooses, and the POST answers 201 with `null`
  (its id is read back from the body sent);
- schedules are created in a batch, and the POST answers the list it created (the id is the
  first item's);
- a pool is addressed by its name, so a PATCH of the name moves it (the persistence check
  reads it back at the new name);
- a queue lives under a pool named by its `name` (`/pools/{pool_name}/queues`), not its id;
- an optional `queue_names` list refers to queues: made-up names are left out;
- `limit` is written by PATCH but the GET declares it deprecated and always shows null (a
  persistence check leaves it out).
"""

from __future__ import annotations

import ast
import itertools
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.cli import main
from tests.support.generated_suite import constant, run_generated, validation_findings
from tests.support.uvicorn_thread import serve_in_thread

pytestmark = pytest.mark.e2e

_RUN = {
    "type": "object",
    "required": ["id", "name", "task_key"],
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "name": {"type": "string"},
        "task_key": {"type": "string"},
        "limit": {"type": ["integer", "null"], "deprecated": True},
    },
}
_NEW_RUN = {
    "type": "object",
    "required": ["name", "task_key"],
    "properties": {"name": {"type": "string"}, "task_key": {"type": "string"}},
}
_RUN_UPDATE = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "limit": {"type": "integer", "minimum": 1}},
}
_INPUT = {
    "type": "object",
    "required": ["key", "value"],
    "properties": {"key": {"type": "string", "pattern": "^[a-z]+$"}, "value": {"type": "string"}},
}
_SCHEDULE = {
    "type": "object",
    "required": ["cron"],
    "properties": {"cron": {"type": "string", "enum": ["@daily", "@hourly"]}},
}
_SAVED_SCHEDULE = {
    "type": "object",
    "required": ["id", "cron"],
    "properties": {"id": {"type": "string", "format": "uuid"}, "cron": {"type": "string"}},
}
_TEXT = {"type": "string"}
_RUN_ID = {"name": "id", "in": "path", "required": True, "schema": _TEXT}
_POOL_NAME = {"name": "name", "in": "path", "required": True, "schema": _TEXT}
_NEW_POOL = {"type": "object", "required": ["name"], "properties": {"name": _TEXT}}
_POOL = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {"id": {"type": "string", "format": "uuid"}, "name": _TEXT},
}


def _json(schema: dict[str, Any], description: str = "ok") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


NOT_FOUND = {"description": "no such thing"}
GONE = {"204": {"description": "deleted"}, "404": NOT_FOUND}

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "runs", "version": "1"},
    "paths": {
        "/runs/": {
            "post": {
                "requestBody": _body(_NEW_RUN),
                "responses": {"200": _json(_RUN), "201": _json(_RUN)},
            }
        },
        "/runs/{id}": {
            "parameters": [_RUN_ID],
            "get": {"responses": {"200": _json(_RUN), "404": NOT_FOUND}},
            "patch": {
                "requestBody": _body(_RUN_UPDATE),
                "responses": {"204": {"description": "updated"}, "404": NOT_FOUND},
            },
            "delete": {"responses": GONE},
        },
        "/pools/": {
            "post": {
                "requestBody": _body(_NEW_POOL),
                "responses": {"201": _json(_POOL)},
            }
        },
        "/pools/{name}": {
            "parameters": [_POOL_NAME],
            "get": {"responses": {"200": _json(_POOL), "404": NOT_FOUND}},
            "patch": {
                "requestBody": _body(_NEW_POOL),
                "responses": {"204": {"description": "renamed"}, "404": NOT_FOUND},
            },
            "delete": {"responses": GONE},
        },
        "/pools/{pool_name}/queues": {
            "parameters": [{**_POOL_NAME, "name": "pool_name"}],
            "post": {"requestBody": _body(_NEW_POOL), "responses": {"201": _json(_POOL)}},
        },
        "/pools/{pool_name}/scheduled": {
            "parameters": [{**_POOL_NAME, "name": "pool_name"}],
            "post": {
                "requestBody": _body(
                    {
                        "type": "object",
                        "properties": {"queue_names": {"type": "array", "items": _TEXT}},
                    }
                ),
                "responses": {"200": _json({"type": "array", "items": _TEXT})},
            },
        },
        "/runs/{id}/inputs": {
            "parameters": [_RUN_ID],
            "post": {"requestBody": _body(_INPUT), "responses": {"201": {"description": "null"}}},
        },
        "/runs/{id}/inputs/{key}": {
            "parameters": [
                _RUN_ID,
                {"name": "key", "in": "path", "required": True, "schema": {"type": "string"}},
            ],
            "get": {"responses": {"200": _json(_INPUT), "404": NOT_FOUND}},
            "delete": {"responses": GONE},
        },
        "/runs/{id}/schedules": {
            "parameters": [_RUN_ID],
            "post": {
                "requestBody": _body(
                    {"type": "array", "items": _SCHEDULE, "minItems": 1, "maxItems": 3}
                ),
                "responses": {"201": _json({"type": "array", "items": _SAVED_SCHEDULE})},
            },
        },
        "/runs/{id}/schedules/{schedule_id}": {
            "parameters": [
                _RUN_ID,
                {"name": "schedule_id", "in": "path", "required": True, "schema": _TEXT},
            ],
            "delete": {"responses": GONE},
        },
    },
}


class Store:
    """The service's state: runs by id, their inputs and schedules."""

    def __init__(self) -> None:
        self.runs: dict[str, dict[str, Any]] = {}
        self.inputs: dict[tuple[str, str], dict[str, Any]] = {}
        self.schedules: dict[tuple[str, str], dict[str, Any]] = {}
        self.pools: dict[str, dict[str, Any]] = {}  # by name
        self.queues: dict[tuple[str, str], dict[str, Any]] = {}


def _app() -> Starlette:
    store = Store()
    serial = itertools.count()

    async def body(request: Request) -> Any:
        try:
            return json.loads(await request.body())
        except ValueError:
            return None

    async def create_run(request: Request) -> Response:
        data = await body(request)
        if not isinstance(data, dict) or not all(
            isinstance(data.get(k), str) for k in ("name", "task_key")
        ):
            return JSONResponse({"detail": "name and task_key"}, status_code=422)
        for run in store.runs.values():
            if run["task_key"] == data["task_key"]:
                return JSONResponse(run, status_code=200)  # idempotent on the key
        run = {"id": str(uuid.uuid4()), "name": data["name"], "task_key": data["task_key"]}
        store.runs[run["id"]] = {**run, "limit": None}
        return JSONResponse(store.runs[run["id"]], status_code=201)

    async def run_item(request: Request) -> Response:
        run = store.runs.get(request.path_params["id"])
        if run is None:
            return JSONResponse({"detail": "no run"}, status_code=404)
        if request.method == "GET":
            return JSONResponse(run)
        if request.method == "DELETE":
            del store.runs[run["id"]]
            return Response(status_code=204)
        data = await body(request)
        if not isinstance(data, dict):
            return JSONResponse({"detail": "an object"}, status_code=422)
        limit = data.get("limit", 1)
        if "name" in data and not isinstance(data["name"], str):
            return JSONResponse({"detail": "name"}, status_code=422)
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            return JSONResponse({"detail": "limit"}, status_code=422)
        if isinstance(data.get("name"), str):
            run["name"] = data["name"]
        return Response(status_code=204)  # `limit` is accepted and dropped (deprecated)

    async def create_input(request: Request) -> Response:
        data = await body(request)
        run_id = request.path_params["id"]
        if run_id not in store.runs or not isinstance(data, dict):
            return JSONResponse({"detail": "no run"}, status_code=404)
        if not (isinstance(data.get("key"), str) and isinstance(data.get("value"), str)):
            return JSONResponse({"detail": "key and value"}, status_code=422)
        store.inputs[(run_id, data["key"])] = {"key": data["key"], "value": data["value"]}
        return JSONResponse(None, status_code=201)

    async def input_item(request: Request) -> Response:
        key = (request.path_params["id"], request.path_params["key"])
        found = store.inputs.get(key)
        if found is None:
            return JSONResponse({"detail": "no input"}, status_code=404)
        if request.method == "DELETE":
            del store.inputs[key]
            return Response(status_code=204)
        return JSONResponse(found)

    async def create_schedules(request: Request) -> Response:
        data = await body(request)
        run_id = request.path_params["id"]
        if run_id not in store.runs:
            return JSONResponse({"detail": "no run"}, status_code=404)
        if not isinstance(data, list) or not data:
            return JSONResponse({"detail": "a list"}, status_code=422)
        made = []
        for item in data:
            if not isinstance(item, dict) or not isinstance(item.get("cron"), str):
                return JSONResponse({"detail": "cron"}, status_code=422)
            saved = {"id": str(uuid.UUID(int=next(serial))), "cron": item["cron"]}
            store.schedules[(run_id, saved["id"])] = saved
            made.append(saved)
        return JSONResponse(made, status_code=201)

    async def schedule_item(request: Request) -> Response:
        key = (request.path_params["id"], request.path_params["schedule_id"])
        if store.schedules.pop(key, None) is None:
            return JSONResponse({"detail": "no schedule"}, status_code=404)
        return Response(status_code=204)

    async def create_pool(request: Request) -> Response:
        data = await body(request)
        if not isinstance(data, dict) or not isinstance(data.get("name"), str):
            return JSONResponse({"detail": "name"}, status_code=422)
        if data["name"] in store.pools:
            return JSONResponse({"detail": "taken"}, status_code=409)
        pool = {"id": str(uuid.uuid4()), "name": data["name"]}
        store.pools[pool["name"]] = pool
        return JSONResponse(pool, status_code=201)

    async def pool_item(request: Request) -> Response:
        pool = store.pools.get(request.path_params["name"])
        if pool is None:
            return JSONResponse({"detail": "no pool"}, status_code=404)
        if request.method == "GET":
            return JSONResponse(pool)
        if request.method == "DELETE":
            del store.pools[pool["name"]]
            return Response(status_code=204)
        data = await body(request)
        if not isinstance(data, dict) or not isinstance(data.get("name"), str):
            return JSONResponse({"detail": "name"}, status_code=422)
        del store.pools[pool["name"]]  # a pool is addressed by its name: renaming moves it
        store.pools[data["name"]] = {**pool, "name": data["name"]}
        return Response(status_code=204)

    async def create_queue(request: Request) -> Response:
        pool = request.path_params["pool_name"]
        if pool not in store.pools:
            return JSONResponse({"detail": f"work pool {pool!r} not found"}, status_code=404)
        data = await body(request)
        if not isinstance(data, dict) or not isinstance(data.get("name"), str):
            return JSONResponse({"detail": "name"}, status_code=422)
        queue = {"id": str(uuid.uuid4()), "name": data["name"]}
        store.queues[(pool, queue["name"])] = queue
        return JSONResponse(queue, status_code=201)

    async def scheduled(request: Request) -> Response:
        pool = request.path_params["pool_name"]
        if pool not in store.pools:
            return JSONResponse({"detail": f"work pool {pool!r} not found"}, status_code=404)
        data = await body(request)
        if not isinstance(data, dict):
            return JSONResponse({"detail": "an object"}, status_code=422)
        names = data.get("queue_names", [])
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            return JSONResponse({"detail": "queue_names"}, status_code=422)
        missing = [n for n in names if (pool, n) not in store.queues]
        if missing:
            return JSONResponse({"detail": f"queue {missing[0]!r} not found"}, status_code=404)
        return JSONResponse([])

    routes = [
        Route("/pools/", create_pool, methods=["POST"]),
        Route("/pools/{name}", pool_item, methods=["GET", "PATCH", "DELETE"]),
        Route("/pools/{pool_name}/queues", create_queue, methods=["POST"]),
        Route("/pools/{pool_name}/scheduled", scheduled, methods=["POST"]),
        Route("/runs/", create_run, methods=["POST"]),
        Route("/runs/{id}", run_item, methods=["GET", "PATCH", "DELETE"]),
        Route("/runs/{id}/inputs", create_input, methods=["POST"]),
        Route("/runs/{id}/inputs/{key}", input_item, methods=["GET", "DELETE"]),
        Route("/runs/{id}/schedules", create_schedules, methods=["POST"]),
        Route("/runs/{id}/schedules/{schedule_id}", schedule_item, methods=["DELETE"]),
    ]
    return Starlette(routes=routes)


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("created_resources")
    spec = folder / "openapi.json"
    spec.write_text(json.dumps(SPEC), encoding="utf-8")
    assert main(["generate", str(spec), "--out", str(folder / "suite")]) == 0
    return folder / "suite"


def test_the_generated_files_pass_allure_validation(suite: Path) -> None:
    assert validation_findings(suite) == {}


def test_the_suite_is_green_twice_in_a_row_on_one_service(suite: Path) -> None:
    with serve_in_thread(_app()) as base_url:
        first = run_generated(suite, base_url)
        second = run_generated(suite, base_url)
    for output in (first, second):
        assert "passed" in output and " failed" not in output and " error" not in output, output


def test_a_key_field_gets_the_run_suffix_and_a_deprecated_field_is_not_compared(
    suite: Path,
) -> None:
    text = (suite / "test_runs.py").read_text(encoding="utf-8")
    assert '"task_key"' in text.split("def test_post_runs_succeeds")[1].split("\n\n\n")[0]
    persisted = text.split("def test_patch_runs_item_is_persisted")[1].split("\n\n\n")[0]
    assert '["name"]' in persisted and '["limit"]' not in persisted


def test_the_examples_of_a_fuzz_test_share_the_resources_it_creates(suite: Path) -> None:
    text = (suite / "test_runs.py").read_text(encoding="utf-8")
    fuzz = text.split("def test_patch_runs_item_fuzz")[1].split("\n\n\n")[0]
    assert "create_once(" in fuzz and "create_resource(" not in fuzz
    assert "def create_once(" in (suite / "conftest.py").read_text(encoding="utf-8")


def _filter(depth: int) -> dict[str, Any]:
    """A filter language: each level an optional object of optional operators."""
    if depth == 0:
        return {"type": "array", "items": {"type": "string"}}
    fields = {f"field_{i}": _filter(depth - 1) for i in range(6)}
    return {"type": "object", "properties": fields, "required": ["field_0"] if depth == 2 else []}


def test_a_large_body_schema_is_drawn_two_objects_deep() -> None:
    from bot.generate import GenerateOptions, generate_suite
    from bot.scan.model import Endpoint, Inventory

    search = Endpoint(
        method="POST", path="/search", framework="openapi", file="s.yaml", line=1,
        status_codes=[200], responses={"200": None}, request_schema=_filter(4),
        request_content_type="application/json",
    )  # fmt: skip
    files = generate_suite(Inventory(endpoints=[search]), GenerateOptions(kinds=["fuzz"]))
    [module] = [f.content for f in files if f.path.startswith("test_")]
    schema = constant(module, "POST_SEARCH_BODY_SCHEMA")
    assert len(json.dumps(_filter(4))) > 4000
    assert '"field_5"' in schema  # the first two levels keep every field
    drawn = ast.literal_eval(schema)
    third = drawn["properties"]["field_0"]["properties"]["field_0"]
    assert list(third["properties"]) == ["field_0"]  # deeper: only what is required
