"""Starlette routing and FastAPI routes declared as data: `Route`, `Mount`, `add_route`."""

from __future__ import annotations

from tests.scan.conftest import routes, scan_sources


def test_starlette_routes_list_with_mounts_and_endpoint_classes() -> None:
    # after the "Routing" page of Starlette's docs
    inventory = scan_sources(
        {
            "app.py": """
                from starlette.applications import Starlette
                from starlette.endpoints import HTTPEndpoint
                from starlette.routing import Mount, Route, WebSocketRoute

                async def homepage(request): ...
                async def users(request): ...
                async def user(request): ...
                async def ws(websocket): ...

                class Item(HTTPEndpoint):
                    async def get(self, request): ...
                    async def put(self, request): ...

                routes = [
                    Route("/", homepage),
                    Route("/users", users, methods=["GET", "POST"]),
                    Mount("/api", routes=[
                        Route("/users/{username:str}", user),
                        Route("/items/{item_id:int}", endpoint=Item),
                    ]),
                    WebSocketRoute("/ws", ws),
                ]

                app = Starlette(debug=True, routes=routes)
            """
        }
    )
    assert routes(inventory) == [
        ("GET", "/"),
        ("GET", "/api/items/{item_id}"),
        ("PUT", "/api/items/{item_id}"),
        ("GET", "/api/users/{username}"),
        ("GET", "/users"),
        ("POST", "/users"),
    ]
    assert inventory.warnings == []
    item = inventory.find("PUT", "/api/items/{item_id}")
    assert item is not None
    assert (item.framework, item.handler, item.line) == ("starlette", "Item", 11)
    assert [(p.name, p.schema_) for p in item.params] == [("item_id", {"type": "integer"})]
    assert item.sources[0].framework == "starlette"


def test_mounted_sub_application_and_router_serve_under_the_mount_path() -> None:
    inventory = scan_sources(
        {
            "app.py": """
                from starlette.applications import Starlette
                from starlette.routing import Mount, Route, Router

                async def ping(request): ...
                async def report(request): ...

                admin = Starlette(routes=[Route("/report", report, methods=["POST"])])
                api = Router(routes=[Route("/ping", ping)])

                app = Starlette(routes=[Mount("/admin", app=admin), Mount("/v1", api)])
            """
        }
    )
    assert routes(inventory) == [("POST", "/admin/report"), ("GET", "/v1/ping")]


def test_fastapi_app_and_router_built_from_api_routes() -> None:
    inventory = scan_sources(
        {
            "main.py": """
                from fastapi import APIRouter, FastAPI
                from fastapi.routing import APIRoute

                async def read_items(): ...
                async def create_item(): ...
                async def health(): ...

                router = APIRouter(routes=[
                    APIRoute("/items", read_items),
                    APIRoute("/items", create_item, methods=["POST"], status_code=201),
                ])
                app = FastAPI(routes=[APIRoute("/health", health, methods=["GET"])])
                app.include_router(router, prefix="/api")
            """
        }
    )
    assert routes(inventory) == [
        ("GET", "/api/items"),
        ("POST", "/api/items"),
        ("GET", "/health"),
    ]
    created = inventory.find("POST", "/api/items")
    assert created is not None
    assert (created.framework, created.status_codes) == ("fastapi", [201])


def test_add_route_and_route_decorator_on_an_app() -> None:
    inventory = scan_sources(
        {
            "main.py": """
                from fastapi import FastAPI
                from starlette.endpoints import HTTPEndpoint

                app = FastAPI()

                async def legacy(request): ...

                app.add_route("/legacy", legacy, methods=["GET", "POST"])

                @app.route("/old")
                async def old(request): ...

                @app.route("/things")
                class Things(HTTPEndpoint):
                    async def get(self, request): ...
                    async def delete(self, request): ...
            """
        }
    )
    assert routes(inventory) == [
        ("GET", "/legacy"),
        ("POST", "/legacy"),
        ("GET", "/old"),
        ("DELETE", "/things"),
        ("GET", "/things"),
    ]
    old = inventory.find("GET", "/old")
    assert old is not None
    assert (old.framework, old.handler, old.params) == ("fastapi", "old", [])


def test_app_returned_by_a_factory_with_routes_as_data() -> None:
    inventory = scan_sources(
        {
            "app.py": """
                from starlette.applications import Starlette
                from starlette.routing import Route

                async def index(request): ...

                def create_app():
                    return Starlette(routes=[Route("/", index)])
            """
        }
    )
    assert routes(inventory) == [("GET", "/")]


def test_route_entries_that_are_not_understood_are_warned_about() -> None:
    inventory = scan_sources(
        {
            "app.py": """
                from starlette.applications import Starlette

                app = Starlette(routes=[make_routes()])
            """
        }
    )
    assert routes(inventory) == []
    assert [w.message for w in inventory.warnings] == [
        "route `make_routes()` not understood; skipped"
    ]
