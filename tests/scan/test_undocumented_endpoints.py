"""Served but undocumented: swagger-exclusion marks keep an endpoint listed with `in_schema` off."""

from __future__ import annotations

from tests.scan.conftest import scan_sources


def _documented(files: dict[str, str]) -> dict[tuple[str, str], bool]:
    return {(e.method, e.path): e.in_schema for e in scan_sources(files).endpoints}


def test_nest_excluded_controller_and_endpoint_are_served_but_not_documented() -> None:
    files = {
        "src/app.module.ts": """
            import { Module } from '@nestjs/common';
            import { AuditController, HooksController } from './controllers';
            @Module({ controllers: [AuditController, HooksController] })
            export class AppModule {}
        """,
        "src/controllers.ts": """
            import { Controller, Get, Post, Delete } from '@nestjs/common';
            import { ApiExcludeController, ApiExcludeEndpoint } from '@nestjs/swagger';

            @ApiExcludeController()
            @Controller('audit')
            export class AuditController {
              @Get('trail') trail() {}
            }

            @Controller('hooks')
            export class HooksController {
              @Post() receive() {}
              @ApiExcludeEndpoint() @Delete(':id') drop() {}
              @ApiExcludeEndpoint(false) @Get(':id') show() {}
            }
        """,
    }
    assert _documented(files) == {
        ("GET", "/audit/trail"): False,
        ("POST", "/hooks"): True,
        ("DELETE", "/hooks/{id}"): False,
        ("GET", "/hooks/{id}"): True,
    }


def test_spring_hidden_class_or_operation_is_served_but_not_documented() -> None:
    files = {
        "src/main/java/shop/Internal.java": """
            package shop;
            import io.swagger.v3.oas.annotations.Hidden;
            @Hidden
            @RestController
            @RequestMapping("/internal")
            class Internal {
                @PostMapping("/reindex") void reindex() {}
            }
        """,
        "src/main/java/shop/Orders.java": """
            package shop;
            import io.swagger.v3.oas.annotations.Operation;
            @RestController
            @RequestMapping("/orders")
            class Orders {
                @GetMapping String list() { return ""; }
                @io.swagger.v3.oas.annotations.Hidden
                @GetMapping("/debug") String debug() { return ""; }
                @Operation(summary = "purge", hidden = true)
                @DeleteMapping("/{id}") void purge(@PathVariable long id) {}
                @Operation(hidden = false)
                @PutMapping("/{id}") void put(@PathVariable long id) {}
            }
        """,
    }
    assert _documented(files) == {
        ("POST", "/internal/reindex"): False,
        ("GET", "/orders"): True,
        ("GET", "/orders/debug"): False,
        ("DELETE", "/orders/{id}"): False,
        ("PUT", "/orders/{id}"): True,
    }


def test_fastify_hidden_routes_are_not_documented_and_deprecated_ones_say_so() -> None:
    files = {
        "api/server.ts": """
            import Fastify from 'fastify';
            import { Type } from '@sinclair/typebox';
            const server = Fastify();
            server.register(async (scope) => {
              scope.get('/legacy', { schema: { hide: true } }, async (_q, r) => r.redirect('/'));
              scope.get('/balance/:who', {
                schema: { deprecated: true, params: Type.Object({ who: Type.String() }) },
              }, balance);
              scope.route({ method: 'GET', url: '/height', schema: { tags: ['c'] }, handler: h });
            }, { prefix: '/v1' });
            server.listen({ port: 3999 });
        """
    }
    found = {(e.method, e.path): (e.in_schema, e.deprecated) for e in scan_sources(files).endpoints}
    assert found == {
        ("GET", "/v1/legacy"): (False, False),
        ("GET", "/v1/balance/{who}"): (True, True),
        ("GET", "/v1/height"): (True, False),
    }
