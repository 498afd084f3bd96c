"""Ways real Python backends write their apps (issue 9), each in a fixture of our own."""

from __future__ import annotations

from bot.scan.python.extract import downgrade_syntax
from tests.scan.conftest import routes, scan_sources


def test_router_blueprint_and_app_given_by_keyword() -> None:
    inventory = scan_sources(
        {
            "svc/api.py": """
                from fastapi import APIRouter, FastAPI
                from starlette.applications import Starlette
                orders = APIRouter()
                @orders.get("/{order_id}")
                def one(order_id: int): ...
                sub = Starlette()
                @sub.route("/ping")
                def ping(request): ...
                app = FastAPI()
                app.include_router(prefix="/orders", router=orders, tags=["orders"])
                app.mount(app=sub, path="/legacy")
            """,
            "web/site.py": """
                from flask import Blueprint, Flask
                pages = Blueprint("pages", __name__)
                @pages.route("/about")
                def about(): ...
                site = Flask(__name__)
                site.register_blueprint(url_prefix="/info", blueprint=pages)
            """,
        }
    )
    assert set(routes(inventory)) == {
        ("GET", "/orders/{order_id}"),
        ("GET", "/legacy/ping"),
        ("GET", "/info/about"),
    }
    assert inventory.find("GET", "/orders/{order_id}").tags == ["orders"]  # type: ignore[union-attr]


def test_settings_class_picked_from_a_dict_falls_back_to_the_declared_return_type() -> None:
    inventory = scan_sources(
        {
            "core/config.py": """
                import os
                from functools import lru_cache
                class BaseConfig:
                    URL_ROOT: str = "/svc"
                class Staging(BaseConfig):
                    pass
                PROFILES = {"staging": Staging, "base": BaseConfig}
                @lru_cache
                def load_config() -> BaseConfig:
                    chosen = PROFILES[os.environ["PROFILE"]]
                    return chosen()
            """,
            "core/main.py": """
                from fastapi import FastAPI
                from core.config import load_config
                app = FastAPI()
                @app.get(load_config().URL_ROOT + "/status")
                def status(): ...
            """,
        }
    )
    assert routes(inventory) == [("GET", "/svc/status")]


def test_routers_included_in_a_loop_keep_the_mount_prefix_with_and_without_a_prefix_argument() -> (
    None
):
    inventory = scan_sources(
        {
            "pkg/routes/a.py": """
                from fastapi import APIRouter
                r = APIRouter(prefix="/alpha")
                @r.post("/")
                def make(): ...
            """,
            "pkg/routes/b.py": """
                from fastapi import APIRouter
                r = APIRouter(prefix="/beta")
                @r.get("/")
                def read(): ...
            """,
            "pkg/app.py": """
                from fastapi import APIRouter, FastAPI
                from pkg.routes import a, b
                V2 = "/v2"
                ROUTERS = (a.r, b.r)
                api = APIRouter(prefix="/api")
                for each in ROUTERS:
                    api.include_router(each)
                app = FastAPI()
                app.include_router(api)
                for tag, each in {"legacy": a.r}.items():
                    app.include_router(each, prefix=V2, tags=[tag])
            """,
        }
    )
    assert set(routes(inventory)) == {
        ("POST", "/api/alpha/"),
        ("GET", "/api/beta/"),
        ("POST", "/v2/alpha/"),
    }
    assert inventory.find("POST", "/v2/alpha/").tags == ["legacy"]  # type: ignore[union-attr]
    assert not [w for w in inventory.warnings if "not included" in w.message]


def test_a_path_taken_from_a_parameter_default_is_resolved() -> None:
    inventory = scan_sources(
        {
            "factory.py": """
                from flask import Flask
                def build(*, ready_url="/ready", name="svc"):
                    web = Flask(name)
                    @web.route(ready_url, methods=["GET", "HEAD"])
                    def ready(): ...
                    return web
            """,
        }
    )
    assert routes(inventory) == [("GET", "/ready"), ("HEAD", "/ready")]


def test_absolute_imports_of_the_scanned_package_itself_are_resolved() -> None:
    # the scan root is the package folder `shopcore/`: files are `web/...`, imports say `shopcore.`
    inventory = scan_sources(
        {
            "web/base.py": """
                from fastapi import APIRouter
                class TracedRouter(APIRouter):
                    pass
            """,
            "web/carts.py": """
                from shopcore.web.base import TracedRouter
                import shopcore.models as models
                carts = TracedRouter(prefix="/carts")
                @carts.post("")
                def add(item: models.cart.CartItem): ...
            """,
            "models/__init__.py": "",
            "models/cart.py": """
                from pydantic import BaseModel
                class CartItem(BaseModel):
                    sku: str
            """,
            "main.py": """
                from fastapi import FastAPI
                from shopcore.web import carts
                app = FastAPI()
                app.include_router(carts.carts)
            """,
        }
    )
    assert routes(inventory) == [("POST", "/carts")]
    body = inventory.endpoints[0].request_schema
    assert body is not None and body["title"] == "CartItem"


def test_a_router_class_made_by_a_factory_or_partial_creates_routers() -> None:
    inventory = scan_sources(
        {
            "lib/routing.py": """
                import functools
                from fastapi import APIRouter
                from fastapi.routing import APIRoute
                def router_type(route_class):
                    class Made(APIRouter):
                        pass
                    return Made
                Router = router_type(APIRoute)
                QuietRouter = functools.partial(APIRouter, include_in_schema=True)
            """,
            "lib/views.py": """
                from lib.routing import Router, QuietRouter
                people = Router(prefix="/people")
                @people.get("")
                def people_list(): ...
                pets = QuietRouter(prefix="/pets")
                @pets.delete("/{pet}")
                def pet_delete(pet: str): ...
            """,
            "lib/app.py": """
                from fastapi import FastAPI
                from lib.views import people, pets
                app = FastAPI()
                app.include_router(people)
                app.include_router(pets)
            """,
        }
    )
    assert set(routes(inventory)) == {("GET", "/people"), ("DELETE", "/pets/{pet}")}


def test_django_tree_under_a_settings_value_read_with_getattr_default() -> None:
    inventory = scan_sources(
        {
            "site/settings.py": """
                import importlib
                cfg = importlib.import_module("site.local_cfg")
                ROOT_URLCONF = "site.urls"
                MOUNT = getattr(cfg, "MOUNT", "tools/")
                PLUGIN_URLS = ["site.extra_urls"]
            """,
            "site/extra_urls.py": """
                from django.urls import path
                from django.http import JsonResponse
                def hello(request): ...
                urlpatterns = [path("hello/", hello)]
            """,
            "site/urls.py": """
                from django.conf import settings
                from django.urls import include, path
                from site import views
                inner = [path("report/", views.report)]
                urlpatterns = [
                    path(settings.MOUNT, include(inner)),
                    *[path("x/", include(name)) for name in settings.PLUGIN_URLS],
                ]
            """,
            "site/views.py": """
                def report(request): ...
            """,
        }
    )
    assert set(routes(inventory)) == {("GET", "/tools/report/"), ("GET", "/x/hello/")}


def test_url_lists_built_by_concatenation_and_shared_registries() -> None:
    inventory = scan_sources(
        {
            "proj/settings.py": """
                ROOT_URLCONF = "proj.urls"
            """,
            "proj/views.py": """
                from rest_framework import viewsets
                from rest_framework.views import APIView
                class TagViewSet(viewsets.ReadOnlyModelViewSet):
                    pass
                class NoteViewSet(viewsets.ModelViewSet):
                    pass
                class Health(APIView):
                    def get(self, request): ...
            """,
            "proj/urls.py": """
                from django.urls import include, path
                from rest_framework.routers import SimpleRouter
                from proj import views
                notes = SimpleRouter()
                notes.register("notes", views.NoteViewSet)
                main = SimpleRouter()
                main.register("tags", views.TagViewSet)
                main.registry.extend(notes.registry)
                extra = [path("health/", views.Health.as_view())]
                api = main.urls + extra
                urlpatterns = [path("api/", include((api, "api")))]
                urlpatterns = urlpatterns + [path("up/", views.Health.as_view())]
            """,
        }
    )
    assert set(routes(inventory)) == {
        ("GET", "/api/tags/"),
        ("GET", "/api/tags/{pk}/"),
        ("GET", "/api/notes/"),
        ("POST", "/api/notes/"),
        ("GET", "/api/notes/{pk}/"),
        ("PUT", "/api/notes/{pk}/"),
        ("PATCH", "/api/notes/{pk}/"),
        ("DELETE", "/api/notes/{pk}/"),
        ("GET", "/api/health/"),
        ("GET", "/up/"),
    }


def test_third_party_routers_and_a_subclass_that_changes_its_routes() -> None:
    inventory = scan_sources(
        {
            "inv/settings.py": """
                ROOT_URLCONF = "inv.urls"
            """,
            "inv/routers.py": """
                from rest_framework_extensions.routers import ExtendedDefaultRouter
                class BulkRouter(ExtendedDefaultRouter):
                    def __init__(self, *args, **kwargs):
                        super().__init__(*args, **kwargs)
                        self.routes[0].mapping.update({"patch": "bulk_patch", "delete": "wipe"})
            """,
            "inv/views.py": """
                from rest_framework.viewsets import ModelViewSet, ReadOnlyModelViewSet
                class BulkMixin:
                    def bulk_patch(self, request): ...
                class DeviceViewSet(BulkMixin, ModelViewSet):
                    pass
                class SiteViewSet(ReadOnlyModelViewSet):
                    pass
            """,
            "inv/urls.py": """
                from django.urls import include, path
                from rest_framework_nested.routers import SimpleRouter
                from inv.routers import BulkRouter
                from inv.views import DeviceViewSet, SiteViewSet
                bulk = BulkRouter()
                bulk.register(r"devices", DeviceViewSet)
                plain = SimpleRouter(trailing_slash=False)
                plain.register(prefix="sites", viewset=SiteViewSet)
                urlpatterns = [path("api/", include(bulk.urls)), path("v0/", include(plain.urls))]
            """,
        }
    )
    listed = set(routes(inventory))
    assert {("PATCH", "/api/devices/"), ("GET", "/v0/sites"), ("GET", "/v0/sites/{pk}")} <= listed
    # the viewset has no `wipe` action: DRF maps only the methods whose action exists
    assert ("DELETE", "/api/devices/") not in listed
    root = inventory.find("GET", "/api/")
    assert root is not None and root.in_schema is False


def test_syntax_newer_than_the_running_python_is_read() -> None:
    inventory = scan_sources(
        {
            "modern.py": """
                from fastapi import FastAPI
                type Pair[K] = tuple[K, K]
                class Box[T: (int, str)]:
                    item: T
                def first[T](items: list[T]) -> T:
                    try:
                        return items[0]
                    except IndexError, KeyError:
                        raise
                app = FastAPI()
                @app.get("/boxes")
                async def boxes[T]() -> None: ...
            """,
        }
    )
    assert routes(inventory) == [("GET", "/boxes")]
    assert inventory.endpoints[0].line == 12
    assert not inventory.warnings


def test_downgraded_syntax_keeps_ordinary_code_unchanged() -> None:
    source = b"items[0]\ntype_ = 1\nexcept_list = [a, b]\ndef f(x): return x[1]\n"
    assert downgrade_syntax(source) == source


def test_django_regex_routes_drop_the_optional_slash() -> None:
    inventory = scan_sources(
        {
            "old/settings.py": """
                ROOT_URLCONF = "old.urls"
            """,
            "old/urls.py": """
                from django.conf.urls import url
                from django.urls import re_path
                from old import views
                urlpatterns = [
                    url(r"^accounts/(?P<slug>[-\\w]+)/?$", views.account),
                    url(view=views.feed, regex=r"^feed/?$"),
                    re_path(view=views.account, route=r"^people/(?P<slug>\\w+)/?$"),
                ]
            """,
            "old/views.py": """
                def account(request, slug): ...
                def feed(request): ...
            """,
        }
    )
    assert set(routes(inventory)) == {
        ("GET", "/accounts/{slug}/"),
        ("GET", "/feed/"),
        ("GET", "/people/{slug}/"),
    }


def test_each_endpoint_names_its_app_and_the_largest_app_is_the_default() -> None:
    inventory = scan_sources(
        {
            "service/main.py": """
                from fastapi import FastAPI
                api = FastAPI()
                @api.get("/a")
                def a(): ...
                @api.post("/a")
                def a2(): ...
                @api.get("/internal", include_in_schema=False)
                def internal(): ...
            """,
            "cli/callback.py": """
                from flask import Flask
                login = Flask(__name__)
                @login.route("/callback")
                def callback(): ...
            """,
        }
    )
    apps = inventory.apps()
    assert apps == {"service.main:api": 3, "cli.callback:login": 1}
    assert inventory.default_app() == "service.main:api"
    assert inventory.default_app("cli.callback:login") == "cli.callback:login"
    assert routes(inventory.for_app()) == [("GET", "/a"), ("POST", "/a"), ("GET", "/internal")]
    assert routes(inventory.for_app("cli.callback:login")) == [("GET", "/callback")]
    assert inventory.find("GET", "/internal").in_schema is False  # type: ignore[union-attr]


def test_a_rebinding_that_wraps_the_app_keeps_its_routes() -> None:
    inventory = scan_sources(
        {
            "srv.py": """
                from fastapi import FastAPI
                def with_metrics(app):
                    return app
                def make():
                    app = FastAPI()
                    @app.get("/metrics-free")
                    def free(): ...
                    app = with_metrics(app=app)
                    return app
            """,
        }
    )
    assert routes(inventory) == [("GET", "/metrics-free")]
    assert inventory.endpoints[0].app == "srv:app"


def test_actions_made_by_factories_wrapped_views_and_add_on_auth_views() -> None:
    inventory = scan_sources(
        {
            "media/settings.py": """
                ROOT_URLCONF = "media.urls"
            """,
            "media/routes.py": """
                from rest_framework.decorators import action
                from drf_spectacular.utils import extend_schema
                def history_route():
                    def history(self, request, pk=None): ...
                    return extend_schema(summary="h")(action(detail=True, methods=["get"])(history))
                def bulk_route(serializer):
                    @action(methods=["post"], detail=False, url_path="bulk-edit")
                    def bulk(self, request): ...
                    return bulk
            """,
            "media/views.py": """
                from dj_rest_auth.views import PasswordChangeView
                from rest_framework.routers import SimpleRouter
                from rest_framework.viewsets import ReadOnlyModelViewSet
                from media.routes import bulk_route, history_route
                class SongViewSet(ReadOnlyModelViewSet):
                    history = history_route()
                    edit = bulk_route(object)
                class ChangePassword(PasswordChangeView):
                    pass
            """,
            "media/urls.py": """
                from django.urls import include, path
                from django.views.decorators.csrf import csrf_exempt
                from rest_framework.routers import SimpleRouter
                from media import views
                songs = SimpleRouter()
                songs.register("songs", views.SongViewSet)
                def extra_patterns(): ...
                urlpatterns = [
                    path("", include(songs.urls)),
                    path("pw/", csrf_exempt(views.ChangePassword.as_view())),
                ] + extra_patterns()
            """,
        }
    )
    listed = set(routes(inventory))
    assert {
        ("GET", "/songs/{pk}/history/"),
        ("POST", "/songs/bulk-edit/"),
        ("POST", "/pw/"),
    } <= listed
    assert inventory.find("POST", "/pw/").framework == "drf"  # type: ignore[union-attr]


def test_router_subclass_with_an_optional_slash_set_in_init() -> None:
    inventory = scan_sources(
        {
            "r/settings.py": """
                ROOT_URLCONF = "r.urls"
            """,
            "r/urls.py": """
                from rest_framework import routers, viewsets
                class LenientRouter(routers.DefaultRouter):
                    def __init__(self, *args, **kwargs):
                        super().__init__(*args, **kwargs)
                        self.trailing_slash = "/?"
                class PingViewSet(viewsets.ViewSet):
                    def list(self, request): ...
                api = LenientRouter()
                api.register("ping", PingViewSet, basename="ping")
                urlpatterns = api.urls
            """,
        }
    )
    assert ("GET", "/ping/") in routes(inventory)


def test_package_importing_its_own_submodules_and_a_known_mount_beside_an_unknown_one() -> None:
    inventory = scan_sources(
        {
            "hub/api/__init__.py": """
                from typing import TYPE_CHECKING
                if TYPE_CHECKING:
                    from hub.api import jobs
            """,
            "hub/api/jobs.py": """
                from fastapi import APIRouter
                router = APIRouter(prefix="/jobs")
                @router.get("")
                def jobs(): ...
            """,
            "hub/server.py": """
                from fastapi import FastAPI
                import hub.api as api
                from hub.settings import BASE
                def build():
                    inner = FastAPI()
                    inner.include_router(api.jobs.router)
                    outer = FastAPI()
                    if BASE:
                        outer.mount(BASE.value(), app=inner)
                    else:
                        outer.mount("/svc", app=inner)
                    return outer
            """,
        }
    )
    assert routes(inventory) == [("GET", "/svc/jobs")]


def test_nested_registrations_of_drf_extensions_and_drf_nested_routers() -> None:
    inventory = scan_sources(
        {
            "zoo/settings.py": """
                ROOT_URLCONF = "zoo.urls"
            """,
            "zoo/views.py": """
                from rest_framework.viewsets import ReadOnlyModelViewSet
                class KeeperViewSet(ReadOnlyModelViewSet):
                    pass
                class AnimalViewSet(ReadOnlyModelViewSet):
                    pass
                class MealViewSet(ReadOnlyModelViewSet):
                    pass
            """,
            "zoo/urls.py": """
                from django.urls import include, path
                from rest_framework_extensions.routers import ExtendedSimpleRouter
                from rest_framework_nested import routers
                from zoo import views
                ext = ExtendedSimpleRouter()
                (
                    ext.register("keepers", views.KeeperViewSet, basename="keeper")
                    .register("animals", views.AnimalViewSet, basename="k-animal",
                              parents_query_lookups=["keeper"])
                )
                top = routers.SimpleRouter()
                top.register("animals", views.AnimalViewSet)
                meals = routers.NestedSimpleRouter(top, "animals", lookup="animal")
                meals.register("meals", views.MealViewSet, basename="animal-meals")
                urlpatterns = [
                    path("x/", include(ext.urls)),
                    path("n/", include(top.urls)),
                    path("n/", include(meals.urls)),
                ]
            """,
        }
    )
    listed = set(routes(inventory))
    assert {
        ("GET", "/x/keepers/{parent_lookup_keeper}/animals/"),
        ("GET", "/x/keepers/{parent_lookup_keeper}/animals/{pk}/"),
        ("GET", "/n/animals/{animal_pk}/meals/"),
        ("GET", "/n/animals/{animal_pk}/meals/{pk}/"),
    } <= listed


def test_a_body_type_that_cannot_be_found_is_reported() -> None:
    inventory = scan_sources(
        {
            "gw/contracts/__init__.py": "",
            "gw/app.py": """
                from fastapi import FastAPI
                import gw.contracts as contracts
                app = FastAPI()
                @app.put("/flows")
                def put_flow(flow: contracts.missing.FlowUpdate): ...
            """,
        }
    )
    assert routes(inventory) == [("PUT", "/flows")]
    assert inventory.endpoints[0].request_schema is None
    messages = [w.message for w in inventory.warnings]
    assert (
        "parameter `flow`: type `contracts.missing.FlowUpdate` not found in the repository; "
        "its schema is unknown"
    ) in messages
