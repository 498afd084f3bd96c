"""Flask scanning: app factory, nested blueprints, constant prefixes, MethodView and View."""

from __future__ import annotations

from pathlib import Path

from bot.scan.engine import scan_path
from tests.scan.conftest import routes, scan_sources


def test_exact_endpoint_list(fixtures: Path) -> None:
    assert routes(scan_path(fixtures / "flask_app")) == [
        ("GET", "/api/v2/orders/"),
        ("POST", "/api/v2/orders/"),
        ("GET", "/api/v2/orders/{order_id}"),
        ("POST", "/api/v2/orders/{order_id}/cancel"),
        ("GET", "/api/v2/products"),
        ("POST", "/api/v2/products"),
        ("DELETE", "/api/v2/products/{product_id}"),
        ("GET", "/api/v2/products/{product_id}"),
        ("PUT", "/api/v2/products/{product_id}"),
        ("GET", "/pages/about"),
        ("GET", "/pages/legacy"),
        ("POST", "/pages/legacy"),
        ("GET", "/ping"),
    ]


def test_converters_become_typed_path_params(fixtures: Path) -> None:
    inventory = scan_path(fixtures / "flask_app")
    order = inventory.find("GET", "/api/v2/orders/{order_id}")
    assert order is not None
    assert [(p.name, p.location, p.schema_) for p in order.params] == [
        ("order_id", "path", {"type": "string", "format": "uuid"})
    ]
    assert order.security == ["login_required"]
    assert (order.handler, order.file, order.line) == ("order", "shop/api/orders.py", 12)


def test_no_warnings_for_a_clean_app(fixtures: Path) -> None:
    assert scan_path(fixtures / "flask_app").warnings == []


def test_flask_app_mounted_in_fastapi_is_served_under_the_mount_path() -> None:
    # after docs_src/wsgi/tutorial001.py of FastAPI (MIT)
    inventory = scan_sources(
        {
            "main.py": """
                from a2wsgi import WSGIMiddleware
                from fastapi import FastAPI
                from flask import Flask

                flask_app = Flask(__name__)

                @flask_app.route("/")
                def flask_main():
                    return "Hello from Flask!"

                @flask_app.route("/<int:item_id>")
                def flask_item(item_id):
                    return "item"

                app = FastAPI()

                @app.get("/v2")
                def read_main(): ...

                app.mount("/v1", WSGIMiddleware(flask_app))
            """
        }
    )
    assert routes(inventory) == [("GET", "/v1/"), ("GET", "/v1/{item_id}"), ("GET", "/v2")]
