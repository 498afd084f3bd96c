"""Routers made and chained inline, Nest app calls chained, routers handed down through calls."""

from __future__ import annotations

from tests.scan.conftest import routes, scan_sources


def test_chains_that_start_at_a_router_call_are_routers() -> None:
    inventory = scan_sources(
        {
            "server.ts": """
                import express from 'express';
                import routes from './routes';
                const app = express();
                app.use(routes);
            """,
            "routes/index.ts": """
                import { Router } from 'express';
                import accounts from './accounts';
                import billing from './billing';
                const v1 = Router().use('/accounts', accounts).use(billing);
                export default Router().use('/v1', v1).get('/ping', ping);
            """,
            "routes/accounts.ts": """
                import { Router } from 'express';
                export default Router().get('/:id', show).post('/', create);
            """,
            "routes/billing.ts": """
                import express from 'express';
                const r = express.Router();
                r.get('/invoices', list);
                export default r;
            """,
        }
    )
    assert sorted(routes(inventory)) == [
        ("GET", "/ping"),
        ("GET", "/v1/accounts/{id}"),
        ("GET", "/v1/invoices"),
        ("POST", "/v1/accounts"),
    ]
    assert not [w for w in inventory.warnings if "not mounted" in w.message]


def test_a_router_created_inside_a_mount_call_is_mounted() -> None:
    inventory = scan_sources(
        {
            "app.js": """
                const express = require('express');
                const app = express();
                app.use('/status', express.Router().get('/live', live).get('/ready', ready));
            """
        }
    )
    assert sorted(routes(inventory)) == [("GET", "/status/live"), ("GET", "/status/ready")]


def test_nest_global_prefix_set_in_the_middle_of_a_chain() -> None:
    inventory = scan_sources(
        {
            "src/main.ts": """
                import { NestFactory } from '@nestjs/core';
                import { AppModule } from './app.module';
                async function bootstrap() {
                  const app = await NestFactory.create(AppModule);
                  app
                    .useGlobalInterceptors(new Timing())
                    .setGlobalPrefix('rest/v2')
                    .useGlobalFilters(new Errors());
                  await app.listen(3000);
                }
                bootstrap();
            """,
            "src/cats.controller.ts": """
                import { Controller, Get } from '@nestjs/common';
                @Controller('cats')
                export class CatsController { @Get(':id') one() {} }
            """,
        }
    )
    assert routes(inventory) == [("GET", "/rest/v2/cats/{id}")]


def test_a_router_handed_down_as_a_later_argument_through_two_calls() -> None:
    inventory = scan_sources(
        {
            "index.js": """
                const express = require('express');
                const setup = require('./setup');
                const app = express();
                const internal = express.Router();
                app.use('/internal', internal);
                setup.mountAll(app, internal);
            """,
            "setup.js": """
                const { sessionRoutes } = require('./session');
                function mountAll(server, router) {
                  server.get('/healthz', h);
                  sessionRoutes(router);
                }
                module.exports = { mountAll };
            """,
            "session.js": """
                exports.sessionRoutes = (r) => {
                  r.post('/session/login', login);
                  r.delete('/session', logout);
                };
            """,
        }
    )
    assert sorted(routes(inventory)) == [
        ("DELETE", "/internal/session"),
        ("GET", "/healthz"),
        ("POST", "/internal/session/login"),
    ]
