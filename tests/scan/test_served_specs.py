"""An OpenAPI file counts when it describes this repository's app, on the path it is served at."""

from __future__ import annotations

import json
from pathlib import Path
from textwrap import dedent

from bot.scan.engine import scan_path
from tests.scan.conftest import routes, scan_sources

KITCHEN = """
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/recipes")
    def recipes(): ...

    @app.post("/recipes")
    def add_recipe(): ...

    @app.get("/recipes/{recipe_id}")
    def recipe(recipe_id: int): ...
"""


def _spec(paths: dict[str, list[str]], servers: str | None = None) -> str:
    doc: dict[str, object] = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            p: {m: {"responses": {"200": {"description": "ok"}}} for m in ms}
            for p, ms in paths.items()
        },
    }
    if servers is not None:
        doc["servers"] = [{"url": servers}]
    return json.dumps(doc)


PARTNER = _spec(
    {
        "/shipments": ["get", "post"],
        "/shipments/{id}/labels": ["post"],
        "/rates": ["post"],
        "/recipes": ["get"],  # one accidental overlap is not enough
    }
)


def test_a_partner_spec_in_a_vendor_folder_is_not_read(tmp_path: Path) -> None:
    for rel, text in {
        "kitchen/main.py": dedent(KITCHEN),
        "vendor/courier/openapi.json": PARTNER,
    }.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    inventory = scan_path(tmp_path)
    assert sorted(routes(inventory)) == [
        ("GET", "/recipes"),
        ("GET", "/recipes/{recipe_id}"),
        ("POST", "/recipes"),
    ]


def test_a_spec_in_a_client_side_folder_is_left_out_with_a_warning() -> None:
    partner = "kitchen/integrations/courier/openapi.json"
    inventory = scan_sources({"kitchen/main.py": KITCHEN, partner: PARTNER})
    assert ("POST", "/rates") not in routes(inventory)
    [warning] = [w for w in inventory.warnings if w.file == partner]
    assert "1 of its 5 operations" in warning.message


def test_beside_the_apps_own_spec_another_unmatched_spec_is_left_out() -> None:
    own = _spec({"/recipes": ["get", "post"]})
    inventory = scan_sources(
        {"kitchen/main.py": KITCHEN, "docs/openapi.json": own, "docs/courier.json": PARTNER}
    )
    assert ("POST", "/rates") not in routes(inventory)
    assert [w.file for w in inventory.warnings if "left out" in w.message] == ["docs/courier.json"]


def test_the_only_spec_counts_though_the_code_implements_little_of_it_yet() -> None:
    health = "from flask import Flask\napp = Flask(__name__)\n@app.get('/health')\ndef h(): ...\n"
    inventory = scan_sources({"app.py": health, "api/openapi.json": PARTNER})
    assert ("GET", "/health") in routes(inventory)
    assert ("POST", "/shipments/{id}/labels") in routes(inventory)


def test_a_spec_the_code_names_counts_even_without_overlap() -> None:
    loader = "import yaml\nSPEC = open('contracts/acme.json').read()\n"
    inventory = scan_sources(
        {
            "kitchen/main.py": KITCHEN,
            "kitchen/loader.py": loader,
            "contracts/acme.json": PARTNER,
        }
    )
    assert ("POST", "/rates") in routes(inventory)


def test_a_spec_alone_in_the_repository_counts() -> None:
    inventory = scan_sources({"docs/couriers.json": PARTNER})
    assert ("POST", "/shipments/{id}/labels") in routes(inventory)


def test_a_servers_prefix_the_code_does_not_know_lists_each_operation_once() -> None:
    own = _spec(
        {"/recipes": ["get", "post"], "/recipes/{rid}": ["get"]},
        servers="https://kitchen.example/v2",
    )
    inventory = scan_sources({"kitchen/main.py": KITCHEN, "kitchen/openapi.json": own})
    assert sorted(routes(inventory)) == [
        ("GET", "/v2/recipes"),
        ("GET", "/v2/recipes/{rid}"),
        ("POST", "/v2/recipes"),
    ]
    merged = inventory.find("GET", "/v2/recipes/{x}")
    assert merged is not None
    assert {s.framework for s in merged.sources} == {"fastapi", "openapi"}


def test_a_spec_of_a_sub_app_gets_the_mount_prefix_the_code_gives_it() -> None:
    mounted = """
        from fastapi import APIRouter, FastAPI

        api = APIRouter()

        @api.get("/pantry/items")
        def items(): ...

        @api.delete("/pantry/items/{item}")
        def drop(item: str): ...

        app = FastAPI()
        app.include_router(api, prefix="/kitchen-api")
    """
    sub_spec = _spec(
        {"/pantry/items": ["get"], "/pantry/items/{item}": ["delete"], "/pantry/count": ["get"]}
    )
    inventory = scan_sources({"kitchen/main.py": mounted, "kitchen/spec/pantry.json": sub_spec})
    assert sorted(routes(inventory)) == [
        ("DELETE", "/kitchen-api/pantry/items/{item}"),
        ("GET", "/kitchen-api/pantry/count"),
        ("GET", "/kitchen-api/pantry/items"),
    ]


def test_the_spec_states_the_path_a_code_prefix_left_unresolved() -> None:
    code = """
        import os
        from fastapi import APIRouter, FastAPI

        larder = APIRouter()

        @larder.get("/larder/shelves")
        def shelves(): ...

        @larder.post("/larder/shelves")
        def add_shelf(): ...

        app = FastAPI()
        app.include_router(larder, prefix=os.environ["LARDER_MOUNT"])
    """
    own = _spec({"/larder/shelves": ["get", "post"]}, servers="/pantry-svc")
    inventory = scan_sources({"kitchen/main.py": code, "kitchen/openapi.json": own})
    assert sorted(routes(inventory)) == [
        ("GET", "/pantry-svc/larder/shelves"),
        ("POST", "/pantry-svc/larder/shelves"),
    ]
    assert all(e.unresolved == [] for e in inventory.endpoints)
    assert all(len(e.sources) == 2 for e in inventory.endpoints)


MOCK_SERVER = """
    const express = require('express');
    const mock = express();
    mock.post('/v1/chat/completions', reply);
    mock.get('/admin/calls', calls);
    mock.listen(9999);
"""


def test_a_dev_mock_server_in_scripts_is_not_the_apps() -> None:
    inventory = scan_sources(
        {"kitchen/main.py": KITCHEN, "scripts/mock-llm/server.js": MOCK_SERVER}
    )
    assert sorted(routes(inventory)) == [
        ("GET", "/recipes"),
        ("GET", "/recipes/{recipe_id}"),
        ("POST", "/recipes"),
    ]
    [warning] = [w for w in inventory.warnings if "tooling and samples" in w.message]
    assert warning.message.startswith("2 route(s) declared under `scripts/` left out")


def test_an_example_app_is_kept_when_it_is_all_there_is() -> None:
    inventory = scan_sources({"examples/kitchen/main.py": KITCHEN})
    assert ("GET", "/recipes/{recipe_id}") in routes(inventory)
    assert not any("tooling and samples" in w.message for w in inventory.warnings)


def test_a_servers_prefix_the_spec_paths_already_carry_is_served_once() -> None:
    inventory = scan_sources(
        {
            "svc/server.js": """
                const express = require('express');
                const app = express();
                app.get('/gateway/v2/parcels', list);
                app.get('/gateway/v2/parcels/:parcelId', show);
                app.listen(8080);
            """,
            "svc/docs/openapi.json": _spec(
                {
                    "/gateway/v2/parcels": ["get"],
                    "/gateway/v2/parcels/{parcelId}": ["get"],
                    "/gateway/v2/parcels/{parcelId}/label": ["get"],
                },
                servers="https://edge.example.net/gateway/v2",
            ),
        }
    )
    assert sorted(routes(inventory)) == [
        ("GET", "/gateway/v2/parcels"),
        ("GET", "/gateway/v2/parcels/{parcelId}"),
        ("GET", "/gateway/v2/parcels/{parcelId}/label"),
    ]
    listed = inventory.find("GET", "/gateway/v2/parcels/{id}")
    assert listed is not None and {s.framework for s in listed.sources} == {"express", "openapi"}
