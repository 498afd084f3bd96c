"""FastAPI scanning on a multi-module app: prefixes, settings, env defaults, deps, schemas."""

from __future__ import annotations

from pathlib import Path

from bot.scan.engine import scan_path
from bot.scan.model import Inventory
from bot.scan.paths import UNRESOLVED_NOTE
from tests.scan.conftest import routes, scan_sources


def _scan(fixtures: Path) -> Inventory:
    return scan_path(fixtures / "fastapi_app")


def test_exact_endpoint_list(fixtures: Path) -> None:
    assert routes(_scan(fixtures)) == [
        ("GET", "/"),
        ("GET", "/api/v1/items/"),
        ("DELETE", "/api/v1/items/{item_id}"),
        ("POST", "/api/v1/login/access-token"),
        ("GET", "/api/v1/users/"),
        ("POST", "/api/v1/users/"),
        ("GET", "/api/v1/users/{user_id}"),
        ("PATCH", "/api/v1/users/{user_id}"),
        ("PUT", "/api/v1/users/{user_id}"),
        ("GET", "/internal/health"),
        ("GET", "/stats"),  # unresolved: settings.ADMIN_PREFIX
    ]


def test_unresolvable_prefix_is_a_placeholder_with_a_warning(fixtures: Path) -> None:
    inventory = _scan(fixtures)
    messages = [(w.file, w.line, w.message) for w in inventory.warnings]
    assert (
        "backend/app/admin.py",
        5,
        f"router prefix `settings.ADMIN_PREFIX` is not statically known; {UNRESOLVED_NOTE}",
    ) in messages


def test_test_clients_and_outbound_calls_are_not_routes(fixtures: Path) -> None:
    paths = {path for _method, path in routes(_scan(fixtures))}
    assert not {"/api/v1/other", "/not/a/route", "/upstream/health"} & paths


def test_handler_file_line_and_tags(fixtures: Path) -> None:
    endpoint = _scan(fixtures).find("POST", "/api/v1/users/")
    assert endpoint is not None
    assert (endpoint.handler, endpoint.file, endpoint.line) == (
        "create_user",
        "backend/app/api/routes/users.py",
        16,
    )
    assert endpoint.tags == ["users"]
    assert endpoint.status_codes == [201, 409]


def test_pydantic_request_and_response_schemas(fixtures: Path) -> None:
    endpoint = _scan(fixtures).find("POST", "/api/v1/users/")
    assert endpoint is not None
    assert endpoint.request_content_type == "application/json"
    assert endpoint.request_schema == {
        "type": "object",
        "title": "UserCreate",
        "properties": {
            "email": {"type": "string", "format": "email"},
            "full_name": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            "is_active": {"type": "boolean"},
            "password": {"type": "string"},
        },
        "required": ["email", "password"],
    }
    response = endpoint.responses["201"]
    assert response is not None and response["title"] == "UserPublic"
    assert response["required"] == ["email", "id"]


def test_list_response_model_and_query_params(fixtures: Path) -> None:
    endpoint = _scan(fixtures).find("GET", "/api/v1/users/")
    assert endpoint is not None
    assert [(p.name, p.location, p.required, p.schema_) for p in endpoint.params] == [
        ("skip", "query", False, {"type": "integer"}),
        ("limit", "query", False, {"type": "integer"}),
    ]
    response = endpoint.responses["200"]
    assert response is not None and response["type"] == "array"
    assert response["items"]["title"] == "UserPublic"


def test_header_param_and_path_param_types(fixtures: Path) -> None:
    inventory = _scan(fixtures)
    create = inventory.find("POST", "/api/v1/users/")
    read = inventory.find("GET", "/api/v1/users/{id}")
    assert create is not None and read is not None
    assert [(p.name, p.location) for p in create.params] == [("x-request-id", "header")]
    assert [(p.name, p.location, p.schema_) for p in read.params] == [
        ("user_id", "path", {"type": "integer"})
    ]


def test_security_from_dependencies(fixtures: Path) -> None:
    inventory = _scan(fixtures)
    secured = {(e.method, e.path) for e in inventory.endpoints if e.security == ["oauth2_scheme"]}
    assert secured == {
        ("GET", "/api/v1/items/"),  # router dependencies=[Depends(get_current_user)]
        ("DELETE", "/api/v1/items/{item_id}"),
        ("GET", "/api/v1/users/"),  # CurrentUser = Annotated[User, Depends(...)]
        ("PATCH", "/api/v1/users/{user_id}"),
        ("PUT", "/api/v1/users/{user_id}"),
    }


def test_status_constant_from_fastapi_status(fixtures: Path) -> None:
    endpoint = _scan(fixtures).find("DELETE", "/api/v1/items/{id}")
    assert endpoint is not None
    assert endpoint.status_codes == [204]


def test_starlette_path_converters_become_plain_parameters() -> None:
    # docs_src/path_params/tutorial004.py of FastAPI (MIT)
    inventory = scan_sources(
        {
            "main.py": """
                from fastapi import FastAPI

                app = FastAPI()

                @app.get("/files/{file_path:path}")
                async def read_file(file_path: str):
                    return {"file_path": file_path}

                @app.get("/orders/{order_id:int}")
                async def read_order(order_id: int):
                    return {}
            """
        }
    )
    assert routes(inventory) == [("GET", "/files/{file_path}"), ("GET", "/orders/{order_id}")]
    order = inventory.find("GET", "/orders/{order_id}")
    assert order is not None
    assert [(p.name, p.location, p.schema_) for p in order.params] == [
        ("order_id", "path", {"type": "integer"})
    ]


def test_responses_of_router_and_include_are_merged_into_each_route() -> None:
    # after docs_src/bigger_applications of FastAPI (MIT)
    inventory = scan_sources(
        {
            "main.py": """
                from fastapi import APIRouter, FastAPI

                router = APIRouter(prefix="/items", responses={404: {"description": "Not found"}})

                @router.put("/{item_id}", responses={403: {"description": "Forbidden"}})
                async def update_item(item_id: str): ...

                app = FastAPI()
                app.include_router(router, responses={418: {"description": "I'm a teapot"}})
            """
        }
    )
    endpoint = inventory.find("PUT", "/items/{item_id}")
    assert endpoint is not None
    assert endpoint.status_codes == [200, 403, 404, 418]


def test_callback_routers_serve_nothing() -> None:
    # after docs_src/openapi_callbacks/tutorial001.py of FastAPI (MIT)
    inventory = scan_sources(
        {
            "main.py": """
                from fastapi import APIRouter, FastAPI

                app = FastAPI()
                invoices_callback_router = APIRouter()

                @invoices_callback_router.post("{$callback_url}/invoices/{$request.body.id}")
                def invoice_notification(body: dict): ...

                @app.post("/invoices/", callbacks=invoices_callback_router.routes)
                def create_invoice(invoice: dict): ...
            """
        }
    )
    assert routes(inventory) == [("POST", "/invoices/")]
    assert inventory.warnings == []


def test_docs_ui_routes_use_the_app_url_attributes() -> None:
    # after docs_src/custom_docs_ui/tutorial001.py of FastAPI (MIT)
    inventory = scan_sources(
        {
            "main.py": """
                from fastapi import FastAPI

                app = FastAPI(docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")

                @app.get(app.swagger_ui_oauth2_redirect_url, include_in_schema=False)
                async def swagger_ui_redirect(): ...

                @app.get(app.openapi_url + "/copy", include_in_schema=False)
                async def openapi_copy(): ...
            """
        }
    )
    assert routes(inventory) == [
        ("GET", "/api/openapi.json/copy"),
        ("GET", "/docs/oauth2-redirect"),
    ]


def test_unknown_attribute_paths_are_named_in_the_placeholder() -> None:
    inventory = scan_sources(
        {
            "main.py": """
                from fastapi import FastAPI

                app = FastAPI()

                @app.get(app.extra_path)
                async def extra(): ...
            """
        }
    )
    assert routes(inventory) == [("GET", "/")]
    assert inventory.endpoints[0].unresolved == ["app.extra_path"]


def test_routes_added_on_the_app_router_are_the_apps() -> None:
    inventory = scan_sources(
        {
            "main.py": """
                from fastapi import FastAPI

                async def read_b(): ...

                app = FastAPI()
                app.router.add_api_route("/b", read_b, methods=["POST"])
                app.add_api_route("/a", read_b)
            """
        }
    )
    assert routes(inventory) == [("GET", "/a"), ("POST", "/b")]
