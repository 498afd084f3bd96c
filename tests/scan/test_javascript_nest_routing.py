"""NestJS path composition: URI versioning, controller options and RouterModule prefixes."""

from __future__ import annotations

from tests.scan.conftest import routes, scan_sources

_MAIN = """
    import { NestFactory } from '@nestjs/core';
    import { VersioningType } from '@nestjs/common';
    import { AppModule } from './app.module';
    async function bootstrap() {
      const app = await NestFactory.create(AppModule);
      app.setGlobalPrefix('api');
      app.enableVersioning(%s);
      await app.listen(3000);
    }
    bootstrap();
"""


def _scan(versioning: str, controller: str) -> list[tuple[str, str]]:
    return sorted(
        routes(
            scan_sources({"src/main.ts": _MAIN % versioning, "src/cats.controller.ts": controller})
        )
    )


def test_uri_versions_go_between_global_prefix_and_controller_path() -> None:
    controller = """
        import { Controller, Get, Post, Version, VERSION_NEUTRAL } from '@nestjs/common';
        @Controller({ path: 'cats', version: '1' })
        export class CatsController {
          @Get() list() {}
          @Version('2') @Get(':id') find() {}
          @Version(['3', VERSION_NEUTRAL]) @Post() create() {}
        }
    """
    assert _scan("{ type: VersioningType.URI }", controller) == [
        ("GET", "/api/v1/cats"),
        ("GET", "/api/v2/cats/{id}"),
        ("POST", "/api/cats"),
        ("POST", "/api/v3/cats"),
    ]


def test_uri_version_prefix_and_default_version_apply_to_unversioned_controllers() -> None:
    controller = """
        import { Controller, Get } from '@nestjs/common';
        @Controller({ path: ['cats', 'kittens'], host: ':account.example.com' })
        export class CatsController { @Get() list() {} }
    """
    options = "{ type: VersioningType.URI, prefix: 'version-', defaultVersion: ['1', '2'] }"
    assert _scan(options, controller) == [
        ("GET", "/api/version-1/cats"),
        ("GET", "/api/version-1/kittens"),
        ("GET", "/api/version-2/cats"),
        ("GET", "/api/version-2/kittens"),
    ]
    assert _scan("{ type: VersioningType.URI, prefix: false, defaultVersion: '1' }", controller)[
        0
    ] == ("GET", "/api/1/cats")


def test_header_versioning_and_controller_versions_without_versioning_leave_paths() -> None:
    controller = """
        import { Controller, Get } from '@nestjs/common';
        @Controller({ path: 'cats', version: '1' })
        export class CatsController { @Get() list() {} }
    """
    header = "{ type: VersioningType.HEADER, header: 'X-Version' }"
    assert _scan(header, controller) == [("GET", "/api/cats")]
    unversioned = routes(scan_sources({"src/cats.controller.ts": controller}))
    assert unversioned == [("GET", "/cats")]


def test_router_module_paths_prefix_the_controllers_of_registered_modules() -> None:
    inventory = scan_sources(
        {
            "src/main.ts": _MAIN % "{ type: VersioningType.URI, defaultVersion: '1' }",
            "src/app.module.ts": """
                import { Module } from '@nestjs/common';
                import { RouterModule, Routes } from '@nestjs/core';
                import { AdminModule } from './admin/admin.module';
                import { UsersModule } from './admin/users.module';
                import { ReportsModule } from './reports.module';
                const routes: Routes = [
                  { path: 'admin', module: AdminModule,
                    children: [{ path: 'people', module: UsersModule }, ReportsModule] },
                ];
                @Module({ imports: [RouterModule.register(routes), AdminModule] })
                export class AppModule {}
            """,
            "src/admin/admin.module.ts": """
                import { Module } from '@nestjs/common';
                import { DashboardController } from './dashboard.controller';
                @Module({ controllers: [DashboardController] })
                export class AdminModule {}
            """,
            "src/admin/dashboard.controller.ts": """
                import { Controller, Get } from '@nestjs/common';
                @Controller('dashboard')
                export class DashboardController { @Get() show() {} }
            """,
            "src/admin/users.module.ts": """
                import { Module, Controller, Get } from '@nestjs/common';
                @Controller('users')
                export class UsersController { @Get(':id') find() {} }
                @Module({ controllers: [UsersController] })
                export class UsersModule {}
            """,
            "src/reports.module.ts": """
                import { Module, Controller, Get } from '@nestjs/common';
                @Controller('reports')
                class ReportsController { @Get() list() {} }
                @Module({ controllers: [ReportsController] })
                export class ReportsModule {}
            """,
        }
    )
    assert sorted(routes(inventory)) == [
        ("GET", "/api/v1/admin/dashboard"),
        ("GET", "/api/v1/admin/people/users/{id}"),
        ("GET", "/api/v1/admin/reports"),
    ]


def test_a_controller_no_module_lists_is_not_served() -> None:
    inventory = scan_sources(
        {
            "src/app.module.ts": """
                import { Module } from '@nestjs/common';
                import { ShopController } from './shop/shop.controller';
                const CONTROLLERS = [ShopController];
                @Module({ controllers: CONTROLLERS })
                export class AppModule {}
            """,
            "src/shop/shop.controller.ts": """
                import { Controller, Get } from '@nestjs/common';
                @Controller('shop')
                export class ShopController { @Get() list() {} }
            """,
            "src/draft/draft.controller.ts": """
                import { Controller, Post } from '@nestjs/common';
                @Controller('draft')
                export class DraftController { @Post() create() {} }
            """,
        }
    )
    assert routes(inventory) == [("GET", "/shop")]
    assert any("DraftController" in w.message for w in inventory.warnings)


def test_controllers_are_kept_when_a_module_list_cannot_be_read() -> None:
    inventory = scan_sources(
        {
            "src/app.module.ts": """
                import { Module } from '@nestjs/common';
                import { loadControllers } from './registry';
                @Module({ controllers: loadControllers() })
                export class AppModule {}
            """,
            "src/draft.controller.ts": """
                import { Controller, Post } from '@nestjs/common';
                @Controller('draft')
                export class DraftController { @Post() create() {} }
            """,
        }
    )
    assert routes(inventory) == [("POST", "/draft")]
