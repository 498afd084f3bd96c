"""The hints family: web frameworks the scanner does not read, and spec files code refers to.

It reads sources and manifests with byte patterns only (never parsing or importing them) and
yields no endpoints. Its facts serve two decisions: a warning naming each unsupported web
framework seen in imports, requires or dependency manifests (so 0 endpoints is never silent),
pointing to the OpenAPI route; and the file names code and config mention, which make an
OpenAPI file in the tree count as this repository's own (see `served`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from bot.scan.family import Facts, FamilyResult
from bot.scan.model import ScanWarning

UNSUPPORTED = (
    "{framework} web code seen here; testgen does not scan {framework} routes. Commit the "
    "OpenAPI document the app serves (for example openapi.json) to the repository: it is read "
    "as the inventory instead"
)

_PY = (".py",)
_JS = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx")
_GO = (".go",)
_CONFIG = (".yml", ".yaml", ".toml", ".cfg", ".ini", ".properties", ".env")
_MANIFESTS = {
    "go.mod": "go.mod",
    "package.json": "config",
    "Gemfile": "ruby",
    "composer.json": "php",
    "Cargo.toml": "rust",
    "mix.exs": "elixir",
    "build.gradle.kts": "kotlin",
    "build.gradle": "kotlin",
    "pom.xml": "kotlin",
}

# (framework shown to the user, pattern) per kind of file; a pattern names server-side use.
_SIGNS: dict[str, list[tuple[str, bytes]]] = {
    "python": [
        ("aiohttp", rb"from aiohttp import [^\n]*\bweb\b|\baiohttp\.web\b"),
        ("Tornado", rb"\btornado\.web\b|from tornado import [^\n]*\bweb\b"),
        ("Pyramid", rb"^[ \t]*(?:from|import) pyramid\b"),
        ("Cornice", rb"^[ \t]*(?:from|import) cornice\b"),
        ("Litestar", rb"^[ \t]*(?:from|import) (?:litestar|starlite)\b"),
        ("Sanic", rb"^[ \t]*(?:from|import) sanic\b"),
        ("Falcon", rb"^[ \t]*(?:from|import) falcon\b"),
        ("Bottle", rb"^[ \t]*(?:from|import) bottle\b"),
        ("Quart", rb"^[ \t]*(?:from|import) quart\b"),
        ("Django Ninja", rb"^[ \t]*(?:from|import) ninja\b"),
        ("Flask-RESTX", rb"^[ \t]*(?:from|import) flask_restx\b"),
        ("Flask-RESTful", rb"^[ \t]*(?:from|import) flask_restful\b"),
        ("Robyn", rb"^[ \t]*(?:from|import) robyn\b"),
    ],
    "javascript": [
        ("Koa", rb"""(?:require\(|from\s+|import\s+)['"](?:koa|@koa/router|koa-router)['"]"""),
        ("Hapi", rb"""(?:require\(|from\s+|import\s+)['"](?:@hapi/hapi|hapi)['"]"""),
        ("Restify", rb"""(?:require\(|from\s+|import\s+)['"]restify['"]"""),
        ("Hono", rb"""(?:require\(|from\s+|import\s+)['"]hono['"]"""),
        ("LoopBack", rb"""(?:require\(|from\s+|import\s+)['"]@loopback/rest['"]"""),
        ("AdonisJS", rb"""(?:require\(|from\s+|import\s+)['"]@adonisjs/"""),
        ("Sails", rb"""(?:require\(|from\s+|import\s+)['"]sails['"]"""),
    ],
    "go": [
        ("Go net/http", rb"\bhttp\.(?:HandleFunc|Handle)\(|\bhttp\.NewServeMux\(\)"),
    ],
    "go.mod": [
        ("Go Gin", rb"github\.com/gin-gonic/gin\b"),
        ("Go Echo", rb"github\.com/labstack/echo\b"),
        ("Go chi", rb"github\.com/go-chi/chi\b"),
        ("Go Fiber", rb"github\.com/gofiber/fiber\b"),
        ("Go gorilla/mux", rb"github\.com/gorilla/mux\b"),
        ("Go httprouter", rb"github\.com/julienschmidt/httprouter\b"),
        ("Go Beego", rb"github\.com/beego/beego\b|github\.com/astaxie/beego\b"),
    ],
    "ruby": [
        ("Ruby on Rails", rb"""^[ \t]*gem ['"]rails['"]"""),
        ("Sinatra", rb"""^[ \t]*gem ['"]sinatra['"]"""),
        ("Grape", rb"""^[ \t]*gem ['"]grape['"]"""),
    ],
    "php": [
        ("Laravel", rb'"laravel/framework"'),
        ("Symfony", rb'"symfony/framework-bundle"'),
        ("Slim", rb'"slim/slim"'),
    ],
    "rust": [
        ("Rust actix-web", rb"^[ \t]*actix-web\b"),
        ("Rust axum", rb"^[ \t]*axum\b"),
        ("Rust Rocket", rb"^[ \t]*rocket\b"),
        ("Rust warp", rb"^[ \t]*warp\b"),
    ],
    "elixir": [("Phoenix", rb":phoenix\b")],
    "kotlin": [("Ktor", rb"io\.ktor[:.]ktor-server"), ("Micronaut", rb"io\.micronaut")],
    "csharp": [("ASP.NET Core", rb"Microsoft\.AspNetCore|Sdk=\"Microsoft\.NET\.Sdk\.Web\"")],
}
_COMPILED = {
    kind: [(name, re.compile(pattern, re.MULTILINE)) for name, pattern in signs]
    for kind, signs in _SIGNS.items()
}
# Bytes every match of a sign contains (in the file's own case, or lower case for manifests):
# the pattern runs only where they occur, so most files cost one substring search per sign.
_LITERAL = {
    "aiohttp": b"aiohttp",
    "Tornado": b"tornado",
    "Pyramid": b"pyramid",
    "Cornice": b"cornice",
    "Litestar": b"lite",
    "Sanic": b"sanic",
    "Falcon": b"falcon",
    "Bottle": b"bottle",
    "Quart": b"quart",
    "Django Ninja": b"ninja",
    "Flask-RESTX": b"flask_restx",
    "Flask-RESTful": b"flask_restful",
    "Robyn": b"robyn",
    "Koa": b"koa",
    "Hapi": b"hapi",
    "Restify": b"restify",
    "Hono": b"hono",
    "LoopBack": b"@loopback/rest",
    "AdonisJS": b"@adonisjs/",
    "Sails": b"sails",
    "Go net/http": b"http.",
    "Go Gin": b"gin-gonic",
    "Go Echo": b"labstack/echo",
    "Go chi": b"go-chi",
    "Go Fiber": b"gofiber",
    "Go gorilla/mux": b"gorilla/mux",
    "Go httprouter": b"httprouter",
    "Go Beego": b"beego",
    "Ruby on Rails": b"rails",
    "Sinatra": b"sinatra",
    "Grape": b"grape",
    "Laravel": b"laravel/framework",
    "Symfony": b"symfony/framework-bundle",
    "Slim": b"slim/slim",
    "Rust actix-web": b"actix-web",
    "Rust axum": b"axum",
    "Rust Rocket": b"rocket",
    "Rust warp": b"warp",
    "Phoenix": b"phoenix",
    "Ktor": b"ktor-server",
    "Micronaut": b"micronaut",
    "ASP.NET Core": b"microsoft.",
}
_SOURCE_KINDS = frozenset({"python", "javascript", "go"})  # large files: no lower-casing

# The end of a quoted file name that looks like a spec: `"openapi.yaml"`, `'./docs/api.json'`.
_SPEC_END = re.compile(rb"\.(?:ya?ml|json)(?=[\"'`\s,;)]|$)", re.MULTILINE)
_QUOTES = b"\"'`"
_NAME_BYTES = 200


def _mentions(source: bytes, quoted: bool) -> list[str]:
    """Base names of spec-like file names in `source` (quoted ones, or bare ones in config);
    URL paths (`"/openapi.json"`) are what the app serves, not what it reads."""
    found: set[str] = set()
    for match in _SPEC_END.finditer(source):
        window = source[max(0, match.start() - _NAME_BYTES) : match.end()]
        start = max(window.rfind(q) for q in (_QUOTES if quoted else b" \t\n=:"))
        if start < 0 and quoted:
            continue
        name = window[start + 1 :]
        if not name or any(c in name for c in b" \t\n\"'`") or name.startswith(b"/"):
            continue
        if b"://" in name:
            continue
        found.add(name.decode("utf-8", "replace").rsplit("/", 1)[-1])
    return sorted(found)


def _kind(path: str) -> str | None:
    name = path.rsplit("/", 1)[-1]
    if name in _MANIFESTS:
        return _MANIFESTS[name]
    if name.endswith(".csproj"):
        return "csharp"
    if path.endswith(_PY):
        return "python"
    if path.endswith(_JS):
        return "javascript"
    if path.endswith(_GO):
        return "go"
    if path.endswith(_CONFIG) or name in ("Dockerfile", "Procfile", "Makefile"):
        return "config"
    return None


class HintsFamily:
    """Unsupported frameworks seen, and spec file names mentioned, per file."""

    name = "hints"
    version = "1"

    def wants(self, path: str) -> bool:
        return _kind(path) is not None

    def extract(self, path: str, source: bytes) -> Facts:
        kind = _kind(path)
        facts: Facts = {}
        seen: list[list[object]] = []
        haystack = source if kind in _SOURCE_KINDS else source.lower()
        for framework, pattern in _COMPILED.get(kind or "", []):
            if _LITERAL[framework] not in haystack:
                continue
            match = pattern.search(source)
            if match is not None:
                seen.append([framework, source.count(b"\n", 0, match.start()) + 1])
        if seen:
            facts["frameworks"] = seen
        if b".json" in source or b".y" in source:
            mentions = _mentions(source, quoted=kind != "config")
            if mentions:
                facts["mentions"] = mentions
        return facts

    def link(self, facts: Mapping[str, Facts]) -> FamilyResult:
        """One warning per unsupported framework, at the first file that shows it."""
        result = FamilyResult()
        first: dict[str, tuple[str, int]] = {}
        for path in sorted(facts):
            for framework, line in facts[path].get("frameworks", []):
                first.setdefault(str(framework), (path, int(line)))
        for framework, (path, line) in sorted(first.items()):
            message = UNSUPPORTED.format(framework=framework)
            result.warnings.append(ScanWarning(file=path, line=line, message=message))
        return result


def mentioned_names(facts: Mapping[str, Facts]) -> set[str]:
    """Base names of spec-like files that any code or config file mentions."""
    return {name for f in facts.values() for name in f.get("mentions", [])}


FAMILY = HintsFamily()
