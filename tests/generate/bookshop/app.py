"""A Starlette server that follows swagger.yaml: the Swagger 2 API the bookshop suite runs on."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

KEY = "bookshop-key"
_PREFIX = "/api/v1"


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"message": message}, status_code=status)


def make_app() -> Starlette:
    """A fresh in-memory shop: books by id, reviews appended to them."""
    books: dict[int, dict[str, Any]] = {}

    def denied(request: Request) -> JSONResponse | None:
        return None if request.headers.get("x-api-key") == KEY else _error(401, "no key")

    def book(request: Request) -> dict[str, Any] | JSONResponse:
        raw = request.path_params["book_id"]
        if not raw.isdigit() or int(raw) < 1:
            return _error(400, "bookId must be a positive integer")
        found = books.get(int(raw))
        return found if found is not None else _error(404, "no such book")

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def list_books(request: Request) -> Response:
        if (refused := denied(request)) is not None:
            return refused
        limit = request.query_params.get("limit", "")
        if not limit.isdigit() or not 1 <= int(limit) <= 50:
            return _error(400, "limit must be an integer from 1 to 50")
        return JSONResponse(list(books.values())[: int(limit)])

    async def create_book(request: Request) -> Response:
        if (refused := denied(request)) is not None:
            return refused
        data = await request.json()
        if not isinstance(data, dict):
            return _error(400, "a book is an object")
        title, year = data.get("title"), data.get("year")
        if not isinstance(title, str) or not title:
            return _error(400, "title must be a non-empty string")
        if isinstance(year, bool) or not isinstance(year, int) or year < 1450:
            return _error(400, "year must be an integer from 1450")
        tags = data.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            return _error(400, "tags must be strings")
        book_id = len(books) + 1
        new = {"id": book_id, "title": title, "year": year, "tags": tags}
        books[book_id] = new
        return JSONResponse(new, status_code=201)

    async def get_book(request: Request) -> Response:
        if (refused := denied(request)) is not None:
            return refused
        found = book(request)
        return found if isinstance(found, Response) else JSONResponse(found)

    async def delete_book(request: Request) -> Response:
        if (refused := denied(request)) is not None:
            return refused
        found = book(request)
        if isinstance(found, Response):
            return found
        del books[found["id"]]
        return Response(status_code=204)

    async def review(request: Request) -> Response:
        if (refused := denied(request)) is not None:
            return refused
        found = book(request)
        if isinstance(found, Response):
            return found
        kind = request.headers.get("content-type", "application/x-www-form-urlencoded")
        if kind != "application/x-www-form-urlencoded":
            return _error(415, "a urlencoded form is expected")
        form = {k: v[-1] for k, v in parse_qs((await request.body()).decode()).items()}
        rating = form.get("rating", "")
        if not rating.isdigit() or not 1 <= int(rating) <= 5:
            return _error(400, "rating must be an integer from 1 to 5")
        made: dict[str, Any] = {"rating": int(rating)}
        if "comment" in form:
            made["comment"] = form["comment"]
        return JSONResponse(made, status_code=201)

    routes = [
        Route(f"{_PREFIX}/health", health, methods=["GET"]),
        Route(f"{_PREFIX}/books", list_books, methods=["GET"]),
        Route(f"{_PREFIX}/books", create_book, methods=["POST"]),
        Route(f"{_PREFIX}/books/{{book_id}}", get_book, methods=["GET"]),
        Route(f"{_PREFIX}/books/{{book_id}}", delete_book, methods=["DELETE"]),
        Route(f"{_PREFIX}/books/{{book_id}}/reviews", review, methods=["POST"]),
    ]
    return Starlette(routes=routes)
