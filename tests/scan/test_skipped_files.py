"""Bundles, build output, tests and vendored copies are not scanned; large specs are."""

from __future__ import annotations

import json
from pathlib import Path

from bot.scan.engine import extract_file, scan_path, wanted
from bot.scan.skip import skip_reason
from tests.scan.conftest import routes, scan_sources

SERVER = b"""const express = require('express');
const app = express();
app.get('/boards', listBoards);
app.post('/boards/:board/pins', addPin);
module.exports = app;
"""


def _minified(route: str) -> bytes:
    """One long line of bundler output that happens to contain an Express route."""
    filler = ";".join(f"var a{i}=function(n){{return n*{i}}}" for i in range(400))
    return f"!function(){{{filler};app.get('{route}',h)}}();".encode()


def _write(root: Path, files: dict[str, bytes]) -> None:
    for rel, content in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(content)


def test_bundles_are_skipped_with_one_warning_that_counts_them(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "server/app.js": SERVER,
            "server/public/assets/app.3f9a2c1be07d.js": _minified("/from-hashed"),
            "server/public/assets/vendor.min.js": _minified("/from-min"),
            "server/public/assets/widgets.js": _minified("/from-long-lines"),
            "server/public/assets/widgets.js.map": b'{"version":3,"mappings":"AAAA"}',
            "server/public/.next/server/pages/api.js": b"app.get('/from-next', h)\n",
        },
    )
    inventory = scan_path(tmp_path)
    assert sorted(routes(inventory)) == [("GET", "/boards"), ("POST", "/boards/{board}/pins")]
    bundle_warnings = [w for w in inventory.warnings if "minified or bundled" in w.message]
    assert len(bundle_warnings) == 1
    assert bundle_warnings[0].message.startswith("skipped 3 minified or bundled file(s)")
    assert "server/public/assets/widgets.js" in bundle_warnings[0].message


def test_routes_in_test_code_are_not_served(tmp_path: Path) -> None:
    test_app = SERVER.replace(b"/boards", b"/fake")
    _write(
        tmp_path,
        {
            "server/app.js": SERVER,
            "server/app.e2e.js": test_app,
            "server/__tests__/boards.js": test_app,
            "qa/boards.spec.ts": test_app,
            "api/tests/fake_app.py": b"from flask import Flask\napp = Flask(__name__)\n"
            b"@app.get('/fake')\ndef f(): ...\n",
            "api/boards_test.py": b"from flask import Flask\napp = Flask(__name__)\n"
            b"@app.get('/fake2')\ndef f(): ...\n",
        },
    )
    assert sorted(routes(scan_path(tmp_path))) == [
        ("GET", "/boards"),
        ("POST", "/boards/{board}/pins"),
    ]


def test_the_bot_does_not_fetch_what_the_scan_would_skip() -> None:
    assert wanted("svc/routes.py")
    assert wanted("docs/openapi.yaml")
    # test modules are fetched for the generator, which skips endpoints they already test ...
    assert wanted("svc/tests/test_routes.py")
    assert wanted("web/src/app.module.spec.ts")
    assert skip_reason("test/server.test.js") == "test"
    assert skip_reason("svc/src/test/java/org/shop/OrderControllerIT.java") == "test"
    assert skip_reason("pkg/tests/routes.py") == "test"
    # a feature module that happens to be called `test` is the app's own code
    assert skip_reason("src/modules/core/test/test.controller.ts") is None
    # ... but yield no routes
    test_app = b"from flask import Flask\napp = Flask(__name__)\n@app.get('/x')\ndef x(): ...\n"
    assert extract_file("svc/tests/test_routes.py", test_app).facts == {}
    assert extract_file("svc/routes.py", test_app).facts != {}
    for path in (
        "third_party/carrier/openapi.yaml",
        "web/static/dist/main.js",
        "web/static/js/app.min.js",
        "node_modules/express/lib/router.js",
        "shop/orders/migrations/0042_order_state.py",
        "api/protos/orders_pb2_grpc.py",
        "web/src/components/BoardList.tsx",
        "web/src/pages/Pins.jsx",
    ):
        assert not wanted(path), path


def _big_spec(megabytes: int) -> bytes:
    padding = "x" * 1024
    schemas = {f"S{i}": {"type": "object", "description": padding} for i in range(megabytes * 1024)}
    doc = {
        "openapi": "3.0.1",
        "info": {"title": "big", "version": "1"},
        "paths": {"/ledgers/{ledger}": {"get": {"responses": {"200": {"description": "ok"}}}}},
        "components": {"schemas": schemas},
    }
    return json.dumps(doc).encode()


def test_a_generated_spec_of_several_mebibytes_is_read(tmp_path: Path) -> None:
    spec = _big_spec(5)
    assert len(spec) > 5 * 1024 * 1024
    _write(tmp_path, {"api/openapi.json": spec})
    inventory = scan_path(tmp_path)
    assert routes(inventory) == [("GET", "/ledgers/{ledger}")]
    assert inventory.warnings == []


def test_a_spec_over_sixteen_mebibytes_is_skipped_and_said_so(tmp_path: Path) -> None:
    _write(tmp_path, {"api/openapi.json": _big_spec(17)})
    inventory = scan_path(tmp_path)
    assert inventory.endpoints == []
    assert [(w.file, w.message) for w in inventory.warnings] == [
        ("api/openapi.json", "skipped: larger than 16 MiB")
    ]


def test_express_feature_folder_named_test_is_served_but_top_level_test_helpers_are_not() -> None:
    inventory = scan_sources(
        {
            "server.js": """
                const express = require('express');
                const diagnostics = require('./lib/features/test/routes');
                const app = express();
                app.use('/v2/test', diagnostics);
                app.listen(8080);
            """,
            "lib/features/test/routes.js": """
                const { Router } = require('express');
                const router = Router();
                router.get('/', (req, res) => res.json([]));
                router.post('/:runId/retry', (req, res) => res.sendStatus(202));
                module.exports = router;
            """,
            "test/support/stub-server.js": """
                const express = require('express');
                const stub = express();
                stub.get('/stubbed', (req, res) => res.end());
                stub.listen(9999);
            """,
        }
    )
    assert sorted(routes(inventory)) == [("GET", "/v2/test"), ("POST", "/v2/test/{runId}/retry")]
