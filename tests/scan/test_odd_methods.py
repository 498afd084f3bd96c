"""A method name HTTP does not have never fails a scan: it is no endpoint, and a warning says so."""

from __future__ import annotations

from bot.scan.model import ODD_METHOD
from tests.scan.conftest import routes, scan_sources


def _odd(inventory_warnings: list[str], name: str) -> bool:
    said = {message.lower() for message in inventory_warnings}
    return ODD_METHOD.format(method=name).lower() in said


def test_django_viewset_mapping_a_non_http_word_keeps_its_real_methods() -> None:
    inventory = scan_sources(
        {
            "depot/urls.py": """
                from django.urls import include, path
                from rest_framework import routers, viewsets
                from rest_framework.decorators import action

                class CrateViewSet(viewsets.ViewSet):
                    def list(self, request): ...

                class BoxViewSet(viewsets.ViewSet):
                    @action(detail=False, methods=["post", "SEAL"])
                    def seal(self, request): ...

                router = routers.SimpleRouter()
                router.register("boxes", BoxViewSet, basename="box")

                urlpatterns = [
                    path("crates/", CrateViewSet.as_view({"enumerate": "list", "get": "list"})),
                    path("", include(router.urls)),
                ]
            """
        }
    )
    messages = [w.message for w in inventory.warnings]
    assert sorted(routes(inventory)) == [("GET", "/crates/"), ("POST", "/boxes/seal/")]
    assert _odd(messages, "enumerate") and _odd(messages, "seal")


def test_flask_fastapi_and_drf_actions_drop_only_the_odd_method() -> None:
    inventory = scan_sources(
        {
            "relay/web.py": """
                from flask import Flask
                app = Flask(__name__)

                @app.route("/cache", methods=["GET", "PURGE"])
                def cache(): ...
            """,
            "relay/api.py": """
                from fastapi import FastAPI
                api = FastAPI()

                @api.api_route("/mail", methods=["post", "Move"])
                def mail(): ...
            """,
        }
    )
    messages = [w.message for w in inventory.warnings]
    assert sorted(routes(inventory)) == [("GET", "/cache"), ("POST", "/mail")]
    assert _odd(messages, "PURGE") and _odd(messages, "Move")


def test_fastify_route_and_nest_request_mapping_with_webdav_methods() -> None:
    inventory = scan_sources(
        {
            "server.js": """
                const fastify = require('fastify')();
                fastify.route({ method: ['GET', 'PROPFIND'], url: '/files', handler: list });
                fastify.listen({ port: 3000 });
            """,
            "src/app.module.ts": """
                import { Module } from '@nestjs/common';
                import { DavController } from './dav.controller';
                @Module({ controllers: [DavController] })
                export class AppModule {}
            """,
            "src/dav.controller.ts": """
                import { Controller, Get, RequestMapping, RequestMethod } from '@nestjs/common';
                @Controller('dav')
                export class DavController {
                  @Get() index() {}
                  @RequestMapping({ path: 'lock', method: RequestMethod.LOCK }) lock() {}
                }
            """,
        }
    )
    messages = [w.message for w in inventory.warnings]
    assert ("GET", "/files") in routes(inventory)
    assert ("GET", "/dav") in routes(inventory)
    assert not any(path == "/dav/lock" for _, path in routes(inventory))
    assert _odd(messages, "PROPFIND")
