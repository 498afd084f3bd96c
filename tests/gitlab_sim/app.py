"""The simulator's starlette app: faults, request log, auth, body parsing, then the route."""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from tests.gitlab_sim import issues, pipelines, routes_mr, routes_project, routes_repo
from tests.gitlab_sim.faults import LoggedRequest
from tests.gitlab_sim.http import ApiError, Ctx, match
from tests.gitlab_sim.simulator import Simulator

API_PREFIX = "/api/v4"
ROUTES = (
    routes_project.ROUTES + routes_repo.ROUTES + routes_mr.ROUTES + pipelines.ROUTES + issues.ROUTES
)
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"]


def _token(request: Request) -> str | None:
    if "private-token" in request.headers:
        return request.headers["private-token"]
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value if scheme.lower() == "bearer" and value else None


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw:
        return {}
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        try:
            data = json.loads(raw)
        except ValueError:
            raise ApiError(400, "400 Bad request - JSON parse error") from None
        return data if isinstance(data, dict) else {}
    if content_type.startswith("application/x-www-form-urlencoded"):
        return dict(parse_qsl(raw.decode(), keep_blank_values=True))
    return {}


async def _handle(sim: Simulator, request: Request, raw_path: str) -> Response:
    if not raw_path.startswith(API_PREFIX + "/"):
        raise ApiError(404, "404 Not Found")
    found = match(ROUTES, request.method, raw_path[len(API_PREFIX) :])
    if found is None:
        raise ApiError(404, "404 Not Found")
    handler, params = found
    token = _token(request)
    user = sim.user_for_token(token) if token else None
    if user is None:
        raise ApiError(401, "401 Unauthorized")
    query = dict(request.query_params)
    ctx = Ctx(sim, request, user, raw_path, params, query, await _body(request))
    with sim.lock:
        return await handler(ctx)


def build_app(sim: Simulator) -> Starlette:
    """An ASGI app serving `sim` under `/api/v4` (routing on the percent-encoded raw path)."""

    async def dispatch(request: Request) -> Response:
        raw_path = request.scope.get("raw_path", request.url.path.encode()).decode("latin-1")
        await request.body()  # read (and cached) first: a slow answer still received the request
        fault = sim.faults.take(request.method, raw_path)
        response: Response
        if fault is not None and fault.delay:
            await asyncio.sleep(fault.delay)
        if fault is not None and fault.status == 429:
            response = PlainTextResponse("Retry later\n", 429, headers=fault.headers())
        elif fault is not None and fault.status is not None:
            body = {"message": f"{fault.status} Simulated failure"}
            response = JSONResponse(body, fault.status, headers=fault.headers())
        else:
            try:
                response = await _handle(sim, request, raw_path)
            except ApiError as error:
                response = JSONResponse({"message": error.message}, error.status)
        query = request.url.query
        sim.faults.record(LoggedRequest(request.method, raw_path, query, response.status_code))
        return response

    return Starlette(routes=[Route("/{rest:path}", dispatch, methods=METHODS)])
