"""A path part the scanner cannot know is carried beside the path, never written into it."""

from __future__ import annotations

from bot.generate.model import GenerateOptions
from bot.generate.suite import plan_suite
from bot.scan.model import Endpoint, split_unresolved
from bot.scan.paths import UNRESOLVED_NOTE
from tests.scan.conftest import routes, scan_sources

GATEWAY_APP = """
    import os
    from fastapi import APIRouter, FastAPI

    app = FastAPI()
    tills = APIRouter()

    @tills.post("/tills/{till_no}/open")
    def open_till(till_no: int): ...

    @app.get("/ping")
    def ping(): ...

    app.include_router(tills, prefix=os.environ["TILL_GATEWAY"])
"""


def test_an_environment_prefix_without_default_leaves_a_clean_template() -> None:
    inventory = scan_sources({"shop/gateway.py": GATEWAY_APP})
    assert sorted(routes(inventory)) == [("GET", "/ping"), ("POST", "/tills/{till_no}/open")]
    till = inventory.find("POST", "/tills/{n}/open")
    assert till is not None and till.unresolved == ["os.environ['TILL_GATEWAY']"]
    assert not any("?" in path for _, path in routes(inventory))
    ping = inventory.find("GET", "/ping")
    assert ping is not None and ping.unresolved == []


def test_generation_skips_an_unresolved_endpoint_and_says_why() -> None:
    inventory = scan_sources({"shop/gateway.py": GATEWAY_APP})
    result = plan_suite(inventory, GenerateOptions())
    [(method, path, why)] = result.skipped
    assert (method, path) == ("POST", "/tills/{till_no}/open")
    assert "TILL_GATEWAY" in why and "not known statically" in why
    written = "".join(f.content for f in result.files)
    assert "/ping" in written
    assert "/tills/" not in written


def test_split_keeps_known_parts_in_order_and_glued_parts_apart() -> None:
    assert split_unresolved("/{?cfg.BASE}api/v3/{?cfg.ZONE}/zones/{zone}") == (
        "/api/v3/zones/{zone}",
        ["cfg.BASE", "cfg.ZONE"],
    )
    assert split_unresolved("{?root}") == ("", ["root"])


def test_an_endpoint_built_with_a_placeholder_is_cleaned_on_construction() -> None:
    endpoint = Endpoint(
        method="DELETE", path="/{?conf.MOUNT}//bins/{bin}", framework="flask", file="a.py", line=3
    )
    assert (endpoint.path, endpoint.unresolved) == ("/bins/{bin}", ["conf.MOUNT"])


def test_an_optional_final_slash_of_an_old_regex_route_is_one_slash() -> None:
    inventory = scan_sources(
        {
            "ledger/urls.py": """
                from django.urls import re_path
                from ledger import views

                urlpatterns = [re_path(r"^entries/(?P<entry>[0-9]+)/?$", views.entry)]
            """,
            "ledger/views.py": "def entry(request, entry): ...\n",
        }
    )
    assert routes(inventory) == [("GET", "/entries/{entry}/")]


def test_every_family_says_an_unknown_part_is_listed_as_unresolved_not_kept_in_the_path() -> None:
    inventory = scan_sources(
        {
            "kiosk/api.py": GATEWAY_APP,
            "ledger/server.js": """
                const express = require('express');
                const entries = require('./entries');
                const app = express();
                app.use(process.env.LEDGER_MOUNT, entries);
                app.listen(3000);
            """,
            "ledger/entries.js": """
                const router = require('express').Router();
                router.get('/entries', list);
                module.exports = router;
            """,
            "src/main/java/meter/Readings.java": """
                package meter;
                @RestController
                @RequestMapping("${meter.base}/readings")
                class Readings {
                    @GetMapping String all() { return ""; }
                    @PostMapping(Routes.UNKNOWN) String add() { return ""; }
                }
            """,
        }
    )
    unresolved = {(e.method, e.path): e.unresolved for e in inventory.endpoints if e.unresolved}
    assert set(unresolved) == {
        ("POST", "/tills/{till_no}/open"),
        ("GET", "/entries"),
        ("GET", "/readings"),
        ("POST", "/readings"),
    }
    parts = {part for found in unresolved.values() for part in found}
    said = [w for w in inventory.warnings if any(part in w.message for part in parts)]
    assert {w.file for w in said} == {
        "kiosk/api.py",
        "ledger/server.js",
        "src/main/java/meter/Readings.java",
    }
    assert all(w.message.endswith(UNRESOLVED_NOTE) and "{?" not in w.message for w in said)
