"""Express mounts of router arrays and loops, and Express 4 path syntax."""

from __future__ import annotations

from tests.scan.conftest import routes, scan_sources

_USERS = """
    const { Router } = require('express');
    const router = Router();
    router.get('/users', h);
    module.exports = router;
"""
_POSTS = """
    const { Router } = require('express');
    const router = Router();
    router.get('/posts', h);
    module.exports = router;
"""


def test_arrays_of_routers_and_of_mount_paths() -> None:
    inventory = scan_sources(
        {
            "app.js": """
                const express = require('express');
                const app = express();
                app.use('/api', [require('./users'), require('./posts')]);
                app.use(['/a', '/b'], require('./users'));
            """,
            "users.js": _USERS,
            "posts.js": _POSTS,
        }
    )
    assert sorted(routes(inventory)) == [
        ("GET", "/a/users"),
        ("GET", "/api/posts"),
        ("GET", "/api/users"),
        ("GET", "/b/users"),
    ]


def test_routers_mounted_in_a_loop_over_a_local_array() -> None:
    inventory = scan_sources(
        {
            "app.js": """
                const express = require('express');
                const users = require('./users');
                const posts = require('./posts');
                const app = express();
                const routes = [{ path: '/u', router: users }, { path: '/p', router: posts }];
                routes.forEach((r) => app.use(r.path, r.router));
                const plain = [users, posts];
                for (const router of plain) { app.use('/api', router); }
                for (const { path, router } of routes) app.use('/v2' + path, router);
            """,
            "users.js": _USERS,
            "posts.js": _POSTS,
        }
    )
    assert sorted(routes(inventory)) == [
        ("GET", "/api/posts"),
        ("GET", "/api/users"),
        ("GET", "/p/posts"),
        ("GET", "/u/users"),
        ("GET", "/v2/p/posts"),
        ("GET", "/v2/u/users"),
    ]


def test_routers_mounted_in_a_loop_over_an_imported_array() -> None:
    inventory = scan_sources(
        {
            "app.js": """
                const express = require('express');
                const routes = require('./routes');
                const app = express();
                routes.forEach(({ path, router }) => { app.use(`/api${path}`, router); });
            """,
            "routes/index.js": """
                const users = require('../users');
                const posts = require('../posts');
                module.exports = [{ path: '/u', router: users }, { path: '/p', router: posts }];
            """,
            "users.js": _USERS,
            "posts.js": _POSTS,
        }
    )
    assert sorted(routes(inventory)) == [("GET", "/api/p/posts"), ("GET", "/api/u/users")]


def test_express_4_path_syntax() -> None:
    inventory = scan_sources(
        {
            "app.js": r"""
                const app = require('express')();
                app.get('/ab*cd', h);
                app.get('/files/*', h);
                app.get('/users/:id?', h);
                app.get('/orders/:id(\\d+)', h);
            """,
        }
    )
    assert sorted(routes(inventory)) == [
        ("GET", "/ab{wildcard}cd"),
        ("GET", "/files/{wildcard}"),
        ("GET", "/orders/{id}"),
        ("GET", "/users"),
        ("GET", "/users/{id}"),
    ]
    wildcard = next(e for e in inventory.endpoints if e.path == "/ab{wildcard}cd")
    assert [(p.name, p.location, p.required) for p in wildcard.params] == [
        ("wildcard", "path", True)
    ]


def test_fastify_routes_from_an_imported_array_of_options() -> None:
    inventory = scan_sources(
        {
            "server.js": """
                const fastify = require('fastify')();
                const routes = require('./routes/users');
                routes.forEach((route) => { fastify.route(route); });
                const prefixed = require('./routes/items');
                fastify.register(async (app) => {
                  for (const r of prefixed.routes) app.route(r);
                  prefixed.list.forEach(r => app.route(r));
                }, { prefix: '/v1' });
            """,
            "routes/users.js": """
                const controller = require('../controllers/users');
                const id = { type: 'integer' };
                const schema = { params: { type: 'object', properties: { id } } };
                module.exports = [
                  { method: 'GET', url: '/users', handler: controller.list },
                  { method: ['PUT', 'PATCH'], url: '/users/:id', schema,
                    handler: controller.update },
                ];
            """,
            "routes/items.js": """
                export const list = [{ method: 'GET', url: '/items', handler: listItems }];
                export const routes = [{ method: 'DELETE', url: '/items/:id', handler: remove }];
            """,
        }
    )
    assert sorted(routes(inventory)) == [
        ("DELETE", "/v1/items/{id}"),
        ("GET", "/users"),
        ("GET", "/v1/items"),
        ("PATCH", "/users/{id}"),
        ("PUT", "/users/{id}"),
    ]
    update = next(e for e in inventory.endpoints if e.method == "PUT")
    assert update.handler == "controller.update"
    assert [(p.name, p.schema_) for p in update.params] == [("id", {"type": "integer"})]


def test_route_paths_from_a_loop_over_an_array_of_strings() -> None:
    inventory = scan_sources(
        {
            "app.js": """
                const app = require('express')();
                ['/health', '/healthz'].forEach((path) => app.get(path, ok));
            """,
        }
    )
    assert sorted(routes(inventory)) == [("GET", "/health"), ("GET", "/healthz")]


def test_a_catch_all_fallback_on_every_method_is_not_an_endpoint() -> None:
    inventory = scan_sources(
        {
            "app.js": """
                const express = require('express');
                const app = express();
                app.get('/health', ok);
                app.all('/files/*', proxy);
                app.all('*', (req, res) => res.status(404).end());
            """
        }
    )
    assert ("GET", "/health") in routes(inventory)
    assert all(not path.startswith("/{") for _, path in routes(inventory))
    assert ("POST", "/files/{wildcard}") in routes(inventory)
    assert any("catch-all" in w.message for w in inventory.warnings)
