"""Web code in a framework the scanner does not read is named in a warning, never silent."""

from __future__ import annotations

import pytest

from bot.scan.model import Inventory
from tests.scan.conftest import scan_sources


def _unsupported(inventory: Inventory) -> list[tuple[str, int | None, str]]:
    return [
        (w.file, w.line, w.message.split(" web code")[0])
        for w in inventory.warnings
        if "testgen does not scan" in w.message
    ]


@pytest.mark.parametrize(
    ("path", "source", "framework", "line"),
    [
        (
            "ledger/server.py",
            "import json\n\nfrom aiohttp import ClientSession, web\n\nr = web.RouteTableDef()\n",
            "aiohttp",
            3,
        ),
        (
            "ledger/app.py",
            "import logging\nfrom pyramid.config import Configurator\n",
            "Pyramid",
            2,
        ),
        ("ledger/handlers.py", "import tornado.web\n", "Tornado", 1),
        ("ledger/main.py", "from litestar import Litestar, get\n", "Litestar", 1),
        ("web/index.ts", "import Router from '@koa/router';\nconst r = new Router();\n", "Koa", 1),
        ("web/server.js", "'use strict';\nconst Hapi = require('@hapi/hapi');\n", "Hapi", 2),
        (
            "go.mod",
            "module example.org/ledger\n\nrequire github.com/labstack/echo/v4 v4.11.1\n",
            "Go Echo",
            3,
        ),
        (
            "cmd/ledger/main.go",
            'package main\n\nfunc main() {\n\thttp.HandleFunc("/ledgers", list)\n}\n',
            "Go net/http",
            4,
        ),
    ],
)
def test_the_framework_seen_is_named_with_the_openapi_route(
    path: str, source: str, framework: str, line: int
) -> None:
    inventory = scan_sources({path: source})
    assert inventory.endpoints == []
    assert _unsupported(inventory) == [(path, line, framework)]
    [warning] = [w for w in inventory.warnings if "testgen does not scan" in w.message]
    assert "OpenAPI document" in warning.message


def test_a_client_use_of_a_web_library_is_not_a_server() -> None:
    inventory = scan_sources(
        {
            "sync/fetch.py": "import aiohttp\n\nasync def pull(url):\n"
            "    async with aiohttp.ClientSession() as s:\n        return await s.get(url)\n",
            "sync/notes.py": "# we once tried pyramid here\nPYRAMID_DOCS = 'x'\n",
        }
    )
    assert _unsupported(inventory) == []


def test_one_warning_per_framework_at_its_first_file() -> None:
    inventory = scan_sources(
        {
            "b/views.py": "from sanic import Sanic\n",
            "a/views.py": "\n\nfrom sanic.response import json\n",
            "a/other.py": "import bottle\n",
        }
    )
    assert _unsupported(inventory) == [("a/other.py", 1, "Bottle"), ("a/views.py", 3, "Sanic")]
