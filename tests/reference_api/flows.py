"""The API of flows.yaml, answering the way real services do (FastAPI-style 307 on a missing
trailing slash, envelopes, unique names, foreign keys, content negotiation, cookies)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

SPEC = Path(__file__).resolve().parent / "flows.yaml"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def make_app() -> Starlette:
    flows: dict[str, dict[str, Any]] = {}
    runs: dict[str, dict[str, Any]] = {}

    async def create_flow(request: Request) -> Response:
        try:
            body = json.loads(await request.body())
        except ValueError:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("name"), str):
            return JSONResponse({"detail": "name is required"}, status_code=422)
        if not body["name"]:
            return JSONResponse({"detail": "name is empty"}, status_code=422)
        if any(f["name"] == body["name"] for f in flows.values()):
            return JSONResponse({"detail": "the name is taken"}, status_code=409)
        flow = {"id": str(uuid.uuid4()), "name": body["name"]}
        flows[flow["id"]] = flow
        return JSONResponse({"data": flow}, status_code=201)

    async def wipe(request: Request) -> Response:
        flows.clear()
        return Response(status_code=204)

    async def get_flow(request: Request) -> Response:
        flow = flows.get(request.path_params["flow_id"])
        if flow is None:
            return JSONResponse({"detail": "no such flow"}, status_code=404)
        return JSONResponse({"data": flow})

    async def delete_flow(request: Request) -> Response:
        if flows.pop(request.path_params["flow_id"], None) is None:
            return JSONResponse({"detail": "no such flow"}, status_code=404)
        return Response(status_code=204)

    async def create_run(request: Request) -> Response:
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return JSONResponse({"detail": "a run is an object"}, status_code=422)
        if body.get("flow_id") not in flows:
            return JSONResponse({"detail": "the flow does not exist"}, status_code=409)
        run = {"id": str(uuid.uuid4()), "flow_id": body["flow_id"]}
        runs[run["id"]] = run
        return JSONResponse(run, status_code=201)

    async def status(request: Request) -> Response:
        code = int(request.path_params["code"])
        if not 200 <= code <= 499:
            return JSONResponse({"detail": "not a status code"}, status_code=400)
        return Response(status_code=code)

    async def image(request: Request) -> Response:
        if "image/png" not in request.headers.get("accept", ""):
            return Response(status_code=406)
        return Response(PNG, media_type="image/png")

    async def old_home(request: Request) -> Response:
        return RedirectResponse("/image", status_code=302)

    async def session(request: Request) -> Response:
        response = Response(status_code=204)
        response.set_cookie("session", "s1")
        return response

    async def fresh(request: Request) -> Response:
        if "session" in request.cookies:
            return JSONResponse({"detail": "a session is already open"}, status_code=409)
        return JSONResponse({"fresh": True})

    return Starlette(
        routes=[
            Route("/flows/", create_flow, methods=["POST"]),
            Route("/flows/", wipe, methods=["DELETE"]),
            Route("/flows/{flow_id}", get_flow, methods=["GET"]),
            Route("/flows/{flow_id}", delete_flow, methods=["DELETE"]),
            Route("/runs/", create_run, methods=["POST"]),
            Route("/status/{code:int}", status, methods=["GET"]),
            Route("/image", image, methods=["GET"]),
            Route("/old-home", old_home, methods=["GET"]),
            Route("/session", session, methods=["POST"]),
            Route("/fresh", fresh, methods=["GET"]),
        ]
    )
