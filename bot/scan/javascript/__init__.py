"""The JavaScript/TypeScript scanner family: Express, Fastify and NestJS, read with tree-sitter.

Decisions, and the module that makes each:
- which files are read: test files (`*.test.*`, `*.spec.*`, `__tests__/`, `tests/`, and `test/`
  at the top of the tree or of a `src/`, as `bot.scan.skip` decides for every family),
  `node_modules` and build output are not, so apps built inside tests never become endpoints;
  a deeper `test/` folder is a feature module (`src/modules/test/`) and is read (this module);
- what serves routes: only objects statically known to be Express apps/routers, Fastify
  instances or plugins registered on them (`extract`, `routes`); mounts are followed from every
  app down to routes across files (`link`, `resolve`, `modules` for import/export edges);
- `app.all(path)` expands to GET, POST, PUT, PATCH and DELETE (`ALL_METHODS`, `treesitter`);
  `app.all('*')` alone is a fallback for unmatched requests, not an endpoint (`routes`);
- mounts and routes inside loops over statically known arrays expand per element (`loops`,
  `loop_link`); an element `new C(…)` is the instance: its string fields (also set from
  constructor arguments through `super(…)`), router members and what its methods return
  (`resolve.class_view`); literals and templates are evaluated statically (`values`);
- a router handed to a function as any argument is that parameter's container; a parameter
  typed `Application`/`Router` from express is an Express app (`extract`);
- environment values in paths (`process.env.X`, `env-schema` config objects, Fastify plugin
  `opts.prefix`): schema `default`, then `.env`, `.env.example`, `.env.sample`, a Compose
  service's `environment`, with a warning naming the file (`env`);
- path syntax (`:id?`, `:id(\\d+)`, `*`, Express 5 `{/:x}`, `*name`) → `{name}` templates
  (`paths`);
- Nest: controllers, modules, DTOs (`nest`); paths in `RoutePathFactory` order, global prefix
  (also set mid-chain on the app) and exclusions, URI versioning, `RouterModule` paths; a
  controller no `@Module` lists is not served, unless some module's list cannot be read
  (`nest_link`); `@ApiExcludeController`/`@ApiExcludeEndpoint` keep endpoints listed with
  `in_schema: false` (served, left out of the generated document), as Fastify's
  `schema: { hide: true }` does; `schema.deprecated` marks the endpoint deprecated (`routes`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.scan.family import Facts, FamilyResult
from bot.scan.javascript.env import is_env_file, read_env_file
from bot.scan.javascript.extract import FileReader
from bot.scan.javascript.link import link_routes
from bot.scan.javascript.nest import NestReader
from bot.scan.javascript.nest_link import link_nest
from bot.scan.treesitter import parse, refuse, warning

_GRAMMAR = {
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "tsx",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "javascript",
}
_SKIP_DIRS = {
    "node_modules",
    "dist",
    "build",
    "coverage",
    "__tests__",
    "tests",
    "e2e",
    "__mocks__",
    ".next",
    "vendor",
}
_SKIP_SUFFIXES = (
    ".d.ts",
    ".min.js",
    ".test.js",
    ".test.ts",
    ".spec.js",
    ".spec.ts",
    ".test.mjs",
    ".spec.mjs",
    ".e2e-spec.ts",
    ".bundle.js",
)


def _grammar(path: str) -> str | None:
    name = path.rsplit("/", 1)[-1]
    dot = name.rfind(".")
    return _GRAMMAR.get(name[dot:]) if dot > 0 else None


class JavaScriptFamily:
    name = "javascript"
    version = "7"

    def wants(self, path: str) -> bool:
        env_file = is_env_file(path)
        if _grammar(path) is None and not env_file:  # cheap first: most files are not JS/TS
            return False
        parts = path.replace("\\", "/").split("/")
        if any(part in _SKIP_DIRS for part in parts[:-1]):
            return False
        return env_file or not parts[-1].endswith(_SKIP_SUFFIXES)

    def extract(self, path: str, source: bytes) -> Facts:
        refused = refuse(source)
        if refused is not None:
            return {"warnings": [warning(refused)]}
        if is_env_file(path):
            return read_env_file(path, source)
        try:
            root, warnings = parse(_grammar(path) or "javascript", source)
            reader = FileReader(root)
            reader.read(root)
            facts: dict[str, Any] = reader.facts()
            facts["nest"] = NestReader(reader.values, reader.imports).read(root)
        except RecursionError:
            return {"warnings": [warning("file nested too deeply to read")]}
        facts["warnings"] = warnings + facts["warnings"]
        return facts

    def link(self, facts: Mapping[str, Facts]) -> FamilyResult:
        result = link_routes(facts)
        nest = link_nest(facts)
        return FamilyResult(
            endpoints=result.endpoints + nest.endpoints, warnings=result.warnings + nest.warnings
        )


FAMILY = JavaScriptFamily()
