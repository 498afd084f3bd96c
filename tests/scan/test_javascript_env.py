"""Fastify prefixes from plugin options and the environment: schema default, then .env files."""

from __future__ import annotations

from tests.scan.conftest import routes, scan_sources

_ORDERS = """
    module.exports = async function (fastify, opts) {
      fastify.get('/', list);
      fastify.get('/:orderId', one);
    };
"""


def _autoload_app(env_files: dict[str, str], schema_default: str) -> dict[str, str]:
    default = f", default: '{schema_default}'" if schema_default else ""
    return {
        "src/config.js": f"""
            const envSchema = require('env-schema');
            const schema = {{
              type: 'object',
              properties: {{
                PORT: {{ type: 'number' }},
                ROUTES_BASE: {{ type: 'string'{default} }},
              }},
            }};
            module.exports = envSchema({{ schema, dotenv: true }});
        """,
        "src/app.js": """
            const path = require('node:path');
            const autoload = require('@fastify/autoload');
            const config = require('./config');
            module.exports = async function app(fastify, opts) {
              fastify.register(autoload, {
                dir: path.join(__dirname, 'routes'),
                options: { prefix: config.ROUTES_BASE },
              });
            };
        """,
        "src/server.js": """
            const Fastify = require('fastify');
            const server = Fastify();
            server.register(require('./app'));
        """,
        "src/routes/orders/index.js": _ORDERS,
        **env_files,
    }


def test_autoload_prefix_from_the_env_schema_default_before_any_env_file() -> None:
    inventory = scan_sources(_autoload_app({".env": "ROUTES_BASE=/from-dotenv\n"}, "/svc"))
    assert sorted(routes(inventory)) == [("GET", "/svc/orders"), ("GET", "/svc/orders/{orderId}")]
    assert any(
        "ROUTES_BASE" in w.message and "src/config.js" in w.message for w in inventory.warnings
    )


def test_env_files_in_order_dotenv_then_example_then_sample_nearest_folder_first() -> None:
    files = {
        ".env.example": "ROUTES_BASE=/root-example\n",
        "src/.env.sample": "ROUTES_BASE=/src-sample\n",
        "src/.env.example": "# comment\nexport ROUTES_BASE='/src-example'\n",
    }
    inventory = scan_sources(_autoload_app(files, ""))
    assert sorted(routes(inventory)) == [
        ("GET", "/src-example/orders"),
        ("GET", "/src-example/orders/{orderId}"),
    ]
    assert any("src/.env.example" in w.message for w in inventory.warnings)
    with_dotenv = scan_sources(_autoload_app({**files, ".env": "ROUTES_BASE=/dot\n"}, ""))
    assert ("GET", "/dot/orders") in routes(with_dotenv)


def test_register_prefix_from_process_env_read_in_env_sample() -> None:
    inventory = scan_sources(
        {
            "server.ts": """
                import Fastify from 'fastify';
                import 'dotenv/config';
                import items from './items';
                const app = Fastify();
                app.register(items, { prefix: process.env.ITEMS_BASE });
            """,
            "items.ts": """
                import { FastifyInstance } from 'fastify';
                export default async function items(app: FastifyInstance) {
                  app.post('/items', create);
                }
            """,
            ".env.sample": "# sample\nITEMS_BASE=/store/v3\n",
            ".env.example": "OTHER=1\n",
        }
    )
    assert routes(inventory) == [("POST", "/store/v3/items")]
    assert any(".env.sample" in w.message for w in inventory.warnings)


def test_plugin_paths_built_from_its_own_options() -> None:
    inventory = scan_sources(
        {
            "index.mjs": """
                import fastify from 'fastify';
                import fp from 'fastify-plugin';
                import settings from './settings.mjs';
                const app = fastify();
                const health = fp(async (instance, options) => {
                  instance.get(`${options.prefix}/health`, h);
                  instance.get(options.basePath + '/ready', h);
                });
                app.register(health, { prefix: settings.MONITOR_PREFIX, basePath: '/probe' });
            """,
            "settings.mjs": """
                import envSchema from 'env-schema';
                export default envSchema({
                  schema: { type: 'object', properties: { MONITOR_PREFIX: { type: 'string' } } },
                });
            """,
            ".env.example": "MONITOR_PREFIX=/monitor\n",
        }
    )
    assert sorted(routes(inventory)) == [("GET", "/monitor/health"), ("GET", "/probe/ready")]


def test_an_env_value_found_nowhere_is_still_reported() -> None:
    inventory = scan_sources(_autoload_app({}, ""))
    assert any("ROUTES_BASE" in w.message and "no default" in w.message for w in inventory.warnings)


def test_a_compose_service_environment_is_read_after_the_env_files() -> None:
    inventory = scan_sources(
        {
            "src/main.ts": """
                import { NestFactory } from '@nestjs/core';
                import { AppModule } from './app.module';
                async function start() {
                  const app = await NestFactory.create(AppModule);
                  app.setGlobalPrefix(`svc/v${process.env.API_MAJOR}`);
                  await app.listen(3000);
                }
                start();
            """,
            "src/app.module.ts": """
                import { Module } from '@nestjs/common';
                import { PingController } from './ping.controller';
                @Module({ controllers: [PingController] })
                export class AppModule {}
            """,
            "src/ping.controller.ts": """
                import { Controller, Get } from '@nestjs/common';
                @Controller('ping')
                export class PingController { @Get() ping() {} }
            """,
            "docker-compose.yml": """
                services:
                  db:
                    image: postgres
                    environment: ["POSTGRES_DB=x"]
                  api:
                    build: .
                    environment:
                      API_MAJOR: 4
                      SECRET: ${SECRET}
            """,
        }
    )
    assert routes(inventory) == [("GET", "/svc/v4/ping")]
    assert any("docker-compose.yml" in w.message for w in inventory.warnings)
