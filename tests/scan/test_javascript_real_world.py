"""JavaScript/TypeScript route shapes found in real Express and Fastify code, as small snippets."""

from __future__ import annotations

from tests.scan.conftest import routes, scan_sources


def test_express_class_members_hold_the_app_and_routers() -> None:
    # The class-based layout of typescript-express-starter (MIT): the router and its path are
    # class fields, the app is assigned in the constructor.
    inventory = scan_sources(
        {
            "src/app.ts": """
                import express from 'express';
                import usersRouter from './users';
                class App {
                  public app: express.Application;
                  constructor() {
                    this.app = express();
                    this.app.use('/api/users', usersRouter);
                  }
                }
                export default new App().app;
            """,
            "src/users.ts": """
                import { Router } from 'express';
                const router = Router();
                router.get('/:id', h);
                export default router;
            """,
            "src/posts.route.ts": """
                import { Router } from 'express';
                class PostsRoute {
                  public path = '/posts';
                  public router = Router();
                  constructor() { this.initializeRoutes(); }
                  private initializeRoutes() {
                    this.router.get(`${this.path}`, this.list);
                    this.router.post(`${this.path}/:id`, this.create);
                  }
                }
                export default PostsRoute;
            """,
        }
    )
    assert sorted(routes(inventory)) == [
        ("GET", "/api/users/{id}"),
        ("GET", "/posts"),
        ("POST", "/posts/{id}"),
    ]


def test_class_fields_of_one_class_do_not_leak_into_another() -> None:
    inventory = scan_sources(
        {
            "a.js": """
                const { Router } = require('express');
                class A { constructor() { this.path = '/a'; this.router = Router(); } }
                class B {
                  constructor() { this.router = Router(); this.router.get(this.path + '/x', h); }
                }
            """,
        }
    )
    assert routes(inventory) == [("GET", "/x")]
    assert inventory.endpoints[0].unresolved == ["this.path"]


def test_app_assigned_to_a_declared_variable_is_an_app() -> None:
    # `let fastify = null; try { fastify = Fastify() } …` (fastify test/async-await.test.js, MIT)
    inventory = scan_sources(
        {
            "server.js": """
                const Fastify = require('fastify');
                let fastify = null;
                try { fastify = Fastify({ logger: true }); } catch (e) { process.exit(1); }
                fastify.get('/', async () => ({}));
                let app;
                function start() { app = require('express')(); app.post('/items', h); }
            """,
        }
    )
    assert sorted(routes(inventory)) == [("GET", "/"), ("POST", "/items")]


def test_fastify_options_given_as_a_constant_are_read() -> None:
    # fastify examples/typescript-server.ts and use-plugin.js (MIT) keep options in a const.
    inventory = scan_sources(
        {
            "server.js": """
                const fastify = require('fastify')();
                const opts = { schema: { body: { type: 'object' } } };
                const pluginOpts = { prefix: '/v1' };
                const pingRoute = { method: ['GET', 'HEAD'], url: '/ping', handler: ping };
                fastify.post('/ping/:bar', opts, (request, reply) => reply.send({}));
                fastify.route(pingRoute);
                fastify.register(require('./plugin'), pluginOpts);
            """,
            "plugin.js": "module.exports = function (f, opts, done) { f.get('/', h); done() }\n",
        }
    )
    assert sorted(routes(inventory)) == [
        ("GET", "/ping"),
        ("GET", "/v1"),
        ("HEAD", "/ping"),
        ("POST", "/ping/{bar}"),
    ]
    [post] = [e for e in inventory.endpoints if e.method == "POST"]
    assert post.request_schema == {"type": "object"}


def test_routes_chained_after_instance_methods_that_return_the_instance() -> None:
    # fastify test/404s.test.js (MIT): setNotFoundHandler(…).get('/valid-route', …)
    inventory = scan_sources(
        {
            "server.js": """
                const fastify = require('fastify')();
                fastify.setNotFoundHandler((req, reply) => reply.code(404).send())
                  .get('/valid-route', h);
                fastify.decorate('db', {}).addHook('onRequest', auth).post('/items', h);
                const app = require('express')();
                app.param('id', load).get('/users/:id', h);
            """,
        }
    )
    assert sorted(routes(inventory)) == [
        ("GET", "/users/{id}"),
        ("GET", "/valid-route"),
        ("POST", "/items"),
    ]


def test_plugin_declared_after_its_registration_inside_a_function() -> None:
    # fastify test/hooks-async.test.js (MIT): the plugin is a hoisted function declaration.
    inventory = scan_sources(
        {
            "server.js": """
                const Fastify = require('fastify');
                function build() {
                  const fastify = Fastify();
                  fastify.register(plugin, { prefix: '/api' });
                  return fastify;

                  async function plugin(fastify, opts) {
                    fastify.get('/nested', (req, reply) => reply.send('ok'));
                  }
                }
                module.exports = build;
            """,
        }
    )
    assert routes(inventory) == [("GET", "/api/nested")]


_PLUGIN = "module.exports = async function (fastify) {{ fastify.get('{path}', h) }}\n"


def test_fastify_autoload_registers_each_routes_script_under_its_folder() -> None:
    # The app generated by fastify-cli (MIT) loads routes/ with @fastify/autoload.
    inventory = scan_sources(
        {
            "app.js": """
                const path = require('node:path');
                const AutoLoad = require('@fastify/autoload');
                module.exports = async function (fastify, opts) {
                  fastify.register(AutoLoad, { dir: path.join(__dirname, 'plugins') });
                  fastify.register(AutoLoad, { dir: path.join(__dirname, 'routes') });
                  fastify.register(AutoLoad, {
                    dir: path.join(__dirname, 'api'), routeParams: true, options: { prefix: '/v1' },
                  });
                };
            """,
            "plugins/support.js": "module.exports = async function (fastify) {}\n",
            "routes/root.js": _PLUGIN.format(path="/"),
            "routes/example/index.js": _PLUGIN.format(path="/"),
            "routes/example/ignored.js": _PLUGIN.format(path="/ignored"),
            "routes/example/deep/list.js": _PLUGIN.format(path="/list"),
            "api/users/_id/actions.js": _PLUGIN.format(path="/"),
        }
    )
    assert sorted(routes(inventory)) == [
        ("GET", "/"),
        ("GET", "/example"),
        ("GET", "/example/deep/list"),
        ("GET", "/v1/users/{id}"),
    ]


def test_fastify_autoload_without_folder_prefixes() -> None:
    inventory = scan_sources(
        {
            "src/app.ts": """
                import { join } from 'node:path';
                import AutoLoad from '@fastify/autoload';
                import Fastify from 'fastify';
                const app = Fastify();
                const dir = join(__dirname, 'routes');
                app.register(AutoLoad, { dir, dirNameRoutePrefix: false });
            """,
            "src/routes/users/index.ts": """
                import { FastifyPluginAsync } from 'fastify';
                const users: FastifyPluginAsync = async (fastify) => { fastify.get('/users', h); };
                export default users;
            """,
        }
    )
    assert routes(inventory) == [("GET", "/users")]
    assert inventory.warnings == []
