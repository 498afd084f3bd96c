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


_REGISTER_API = """
    from flask.views import MethodView

    class ItemAPI(MethodView):
        def __init__(self, model):
            self.model = model

        def get(self, id): ...
        def patch(self, id): ...
        def delete(self, id): ...

    class GroupAPI(MethodView):
        def __init__(self, model):
            self.model = model

        def get(self): ...
        def post(self): ...

    def register_api(app, model, name):
        item = ItemAPI.as_view(f"{name}-item", model)
        group = GroupAPI.as_view(f"{name}-group", model)
        app.add_url_rule(f"/{name}/<int:id>", view_func=item)
        app.add_url_rule(f"/{name}/", view_func=group)
"""


def test_register_api_helper_is_followed_with_each_call_s_constants() -> None:
    # after Flask's docs, "Class-based Views" → "Method Dispatching and APIs"
    inventory = scan_sources(
        {
            "app.py": _REGISTER_API
            + """
    from flask import Flask

    app = Flask(__name__)
    register_api(app, User, "users")
    register_api(app, Story, "stories")
    """
        }
    )
    assert routes(inventory) == [
        ("GET", "/stories/"),
        ("POST", "/stories/"),
        ("DELETE", "/stories/{id}"),
        ("GET", "/stories/{id}"),
        ("PATCH", "/stories/{id}"),
        ("GET", "/users/"),
        ("POST", "/users/"),
        ("DELETE", "/users/{id}"),
        ("GET", "/users/{id}"),
        ("PATCH", "/users/{id}"),
    ]
    assert inventory.warnings == []


def test_imported_helper_called_in_an_app_factory_is_followed() -> None:
    inventory = scan_sources(
        {
            "shop/views.py": _REGISTER_API,
            "shop/__init__.py": """
                from flask import Flask
                from .views import register_api

                def create_app():
                    app = Flask(__name__)
                    register_api(app, Order, name="orders")
                    return app
            """,
        }
    )
    assert ("PATCH", "/orders/{id}") in routes(inventory)
    assert ("POST", "/orders/") in routes(inventory)


def test_helper_argument_not_statically_known_stays_a_placeholder() -> None:
    inventory = scan_sources(
        {
            "app.py": _REGISTER_API
            + """
    from flask import Flask

    app = Flask(__name__)
    register_api(app, User, settings.NAME)
    """
        }
    )
    assert ("POST", "/") in routes(inventory)
    assert any("settings.NAME" in w.message for w in inventory.warnings)


def test_query_headers_and_cookies_a_view_reads_from_request_become_parameters() -> None:
    inventory = scan_sources(
        {
            "app.py": (
                "from flask import Flask, request\n"
                "app = Flask(__name__)\n\n\n"
                '@app.get("/search")\n'
                "def search():\n"
                '    page = request.args.get("page", 1, type=int)\n'
                '    tags = request.args.getlist("tag")\n'
                '    term = request.args["q"]\n'
                '    if request.headers.get("X-Trace"):\n'
                "        pass\n"
                '    return {"term": term, "page": page, "tags": tags}\n\n\n'
                '@app.get("/me")\n'
                "def me():\n"
                "    auth = request.authorization\n"
                '    session = request.cookies.get("session")\n'
                "    def inner():\n"
                '        return request.args.get("not-the-view-s")\n'
                "    return {}\n"
            )
        }
    )
    search = inventory.find("GET", "/search")
    me = inventory.find("GET", "/me")
    assert search is not None and me is not None
    assert [(p.name, p.location, p.required, p.schema_) for p in search.params] == [
        ("page", "query", False, {"type": "integer"}),
        ("tag", "query", False, {"type": "array", "items": {"type": "string"}}),
        ("q", "query", True, {"type": "string"}),
        ("X-Trace", "header", False, {"type": "string"}),
    ]
    assert [(p.name, p.location) for p in me.params] == [
        ("Authorization", "header"),
        ("session", "cookie"),
    ]
