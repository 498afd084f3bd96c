"""Routers held by class instances: `new X()` elements, paths from constructors, getter methods."""

from __future__ import annotations

from tests.scan.conftest import routes, scan_sources

_BASE = """
    import type { Router } from 'express';
    export abstract class Module {
      public readonly segment: string;
      protected constructor(segment: string, readonly label: string) {
        this.segment = segment;
      }
      public abstract build: () => Router;
    }
"""


def test_loop_over_instances_mounts_what_each_builds_under_its_constructor_path() -> None:
    inventory = scan_sources(
        {
            "src/http/base.ts": _BASE,
            "src/http/prefix.ts": "export const VERSION = '/v3';",
            "src/http/orders.ts": """
                import { Router } from 'express';
                import { Module } from './base';
                export default class Orders extends Module {
                  constructor(private readonly db: Db) { super('orders', 'Orders'); }
                  public build = () => {
                    const r = Router();
                    r.get('/', this.list);
                    r.post('/:orderId/cancel', this.cancel);
                    return r;
                  };
                }
            """,
            "src/http/stock.ts": """
                import { Router } from 'express';
                import { Module } from './base';
                export class Stock extends Module {
                  private readonly router = Router();
                  constructor() { super('inventory/stock', 'Stock'); }
                  public build = () => {
                    this.router.get('/levels', this.levels);
                    return this.router;
                  };
                }
            """,
            "src/http/mount.ts": """
                import type { Application } from 'express';
                import Orders from './orders';
                import { Stock } from './stock';
                import { VERSION } from './prefix';
                export class Mount {
                  private readonly modules;
                  constructor(db: Db) {
                    this.modules = [new Orders(db), new Stock()];
                  }
                  public attach = (server: Application) => {
                    for (const m of this.modules) {
                      server.use(`${VERSION}/${m.segment}`, m.build());
                    }
                  };
                }
            """,
            "src/main.ts": """
                import express from 'express';
                import { Mount } from './http/mount';
                class Server {
                  private app = express();
                  start(db: Db) { new Mount(db).attach(this.app); }
                }
            """,
        }
    )
    assert sorted(routes(inventory)) == [
        ("GET", "/v3/inventory/stock/levels"),
        ("GET", "/v3/orders"),
        ("POST", "/v3/orders/{orderId}/cancel"),
    ]
    assert not [w for w in inventory.warnings if "not mounted" in w.message]


def test_a_function_whose_parameter_is_typed_as_an_express_app_serves_its_routes() -> None:
    inventory = scan_sources(
        {
            "health.ts": """
                import { Application } from 'express';
                export function health(target: Application) {
                  target.get('/healthz', ok);
                }
            """,
            "koa.ts": """
                import Application from 'koa';
                export function other(target: Application) { target.get('/not-express', ok); }
            """,
        }
    )
    assert routes(inventory) == [("GET", "/healthz")]
