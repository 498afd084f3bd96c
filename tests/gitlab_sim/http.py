"""Request context, error answers, routing on the raw path and GitLab-style pagination."""

from __future__ import annotations

import math
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tests.gitlab_sim.model import Project, User
from tests.gitlab_sim.simulator import Simulator

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20


class ApiError(Exception):
    """An error answer: `{"message": message}` with `status`."""

    def __init__(self, status: int, message: Any) -> None:
        super().__init__(status, message)
        self.status = status
        self.message = message


def not_found(what: str) -> ApiError:
    return ApiError(404, f"404 {what} Not Found")


FORBIDDEN = ApiError(403, "403 Forbidden")


@dataclass
class Ctx:
    """Everything a route handler needs about one request."""

    sim: Simulator
    request: Request
    user: User
    raw_path: str
    params: dict[str, str]  # path parameters, percent-decoded
    query: dict[str, str]
    body: dict[str, Any] = field(default_factory=dict)

    def arg(self, name: str, default: Any = None) -> Any:
        """A parameter from the body or the query string (Grape merges both)."""
        return self.body.get(name, self.query.get(name, default))

    def required(self, *names: str) -> list[Any]:
        values = [self.arg(name) for name in names]
        missing = [name for name, value in zip(names, values, strict=True) if value in (None, "")]
        if missing:
            raise ApiError(400, f"{', '.join(missing)} is missing")
        return values

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.arg(name)
        if value is None:
            return default
        return value is True or str(value).lower() in {"true", "1", "yes", "t"}

    def project(self, min_level: int = 0) -> Project:
        """The project in the path, 404 when unknown or invisible, 403 below `min_level`."""
        try:
            project = self.sim.project(self.params["project"])
        except (KeyError, ValueError):
            raise not_found("Project") from None
        level = project.access_level(self.user.id)
        if project.visibility != "public" and level == 0:
            raise not_found("Project")
        if level < min_level:
            raise FORBIDDEN
        return project


Handler = Callable[[Ctx], Awaitable[Response]]


@dataclass(frozen=True)
class RouteSpec:
    method: str
    pattern: re.Pattern[str]
    handler: Handler


def route(method: str, template: str, handler: Handler) -> RouteSpec:
    """`template` like `/projects/:project/repository/files/:file_path/raw`; each `:name`
    matches one raw path segment (so a path with unencoded slashes does not match)."""
    regex = re.sub(r":(\w+)", r"(?P<\1>[^/]+)", template)
    return RouteSpec(method, re.compile(f"^{regex}$"), handler)


def match(
    routes: Sequence[RouteSpec], method: str, path: str
) -> tuple[Handler, dict[str, str]] | None:
    for spec in routes:
        found = spec.pattern.match(path)
        if found and spec.method == method:
            return spec.handler, {k: unquote(v) for k, v in found.groupdict().items()}
    return None


def _page_url(ctx: Ctx, **changes: str) -> str:
    query = dict(parse_qsl(ctx.request.url.query, keep_blank_values=True)) | changes
    host = ctx.request.headers.get("host", "localhost")
    return f"{ctx.request.url.scheme}://{host}{ctx.raw_path}?{urlencode(query)}"


def per_page(ctx: Ctx) -> int:
    try:
        value = int(ctx.query.get("per_page", DEFAULT_PER_PAGE))
    except ValueError:
        raise ApiError(400, "per_page is invalid") from None
    return min(max(value, 1), MAX_PER_PAGE)


def paginate(ctx: Ctx, items: Sequence[Any]) -> Response:
    """Offset pagination with GitLab's `x-*` headers and an RFC 5988 `Link`."""
    size = per_page(ctx)
    try:
        page = max(int(ctx.query.get("page", 1)), 1)
    except ValueError:
        raise ApiError(400, "page is invalid") from None
    pages = max(math.ceil(len(items) / size), 1)
    headers = {
        "x-page": str(page),
        "x-per-page": str(size),
        "x-total": str(len(items)),
        "x-total-pages": str(pages),
        "x-next-page": str(page + 1) if page < pages else "",
        "x-prev-page": str(page - 1) if page > 1 else "",
    }
    links = []
    if page > 1:
        links.append(f'<{_page_url(ctx, page=str(page - 1))}>; rel="prev"')
    if page < pages:
        links.append(f'<{_page_url(ctx, page=str(page + 1))}>; rel="next"')
    links.append(f'<{_page_url(ctx, page="1")}>; rel="first"')
    links.append(f'<{_page_url(ctx, page=str(pages))}>; rel="last"')
    headers["link"] = ", ".join(links)
    return JSONResponse(list(items[(page - 1) * size : page * size]), headers=headers)


def paginate_keyset(ctx: Ctx, items: Sequence[Any], key: Callable[[Any], str]) -> Response:
    """Keyset pagination: only `Link rel="next"`, carrying `page_token` = key of the last item.
    A full page always links onward, so the walk may end with an empty page (as documented)."""
    size = per_page(ctx)
    token = ctx.query.get("page_token")
    start = 0
    if token:
        keys = [key(item) for item in items]
        if token not in keys:
            raise ApiError(400, "page_token is invalid")
        start = keys.index(token) + 1
    chunk = list(items[start : start + size])
    headers = {}
    if len(chunk) == size:
        headers["link"] = f'<{_page_url(ctx, page_token=key(chunk[-1]))}>; rel="next"'
    return JSONResponse(chunk, headers=headers)
