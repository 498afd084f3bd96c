"""The JavaScript family on fixture apps (Express, Fastify, NestJS), through the protocol."""

from __future__ import annotations

from pathlib import Path

from bot.scan.family import FamilyResult
from bot.scan.javascript import FAMILY
from bot.scan.model import Endpoint

FIXTURES = Path(__file__).parents[1] / "fixtures" / "scan"


def scan(root: Path) -> FamilyResult:
    facts = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_file() and FAMILY.wants(relative):
            facts[relative] = FAMILY.extract(relative, path.read_bytes())
    return FAMILY.link(facts)


def pairs(result: FamilyResult) -> list[tuple[str, str]]:
    return sorted({(e.method, e.path) for e in result.endpoints})


def one(result: FamilyResult, method: str, path: str) -> Endpoint:
    [found] = [e for e in result.endpoints if (e.method, e.path) == (method, path)]
    return found


def messages(result: FamilyResult) -> list[tuple[str, str]]:
    return sorted((w.file, w.message) for w in result.warnings)


def test_express_app_mounts_routers_across_modules() -> None:
    result = scan(FIXTURES / "express")
    every = [(m, "/ping") for m in ("DELETE", "GET", "PATCH", "POST", "PUT")]
    assert pairs(result) == sorted(
        [
            ("GET", "/api/admin/stats"),
            ("GET", "/api/items/search"),
            ("GET", "/api/items/{itemId}"),
            ("GET", "/api/orders"),
            ("POST", "/api/orders/{orderId}/cancel"),
            ("GET", "/api/users"),
            ("POST", "/api/users"),
            ("GET", "/api/users/{userId}"),
            ("PUT", "/api/users/{userId}"),
            ("DELETE", "/api/users/{userId}"),
            ("GET", "/api/users/{userId}/posts"),
            ("POST", "/api/users/{userId}/posts"),
            ("GET", "/api/users/{userId}/posts/drafts"),
            ("GET", "/api/users/{userId}/posts/drafts/{draftId}"),
            ("GET", "/api/users/{userId}/posts/{postId}"),
            ("PATCH", "/api/users/{userId}/posts/{postId}"),
            ("GET", "/health"),
            ("GET", "/legacy/status"),
            *every,
        ]
    )


def test_express_endpoint_details() -> None:
    result = scan(FIXTURES / "express")
    show = one(result, "GET", "/api/users/{userId}")
    assert (show.framework, show.file, show.line) == ("express", "src/routes/users.js", 9)
    assert show.handler == "controller.show"
    assert [(p.name, p.location, p.required) for p in show.params] == [("userId", "path", True)]
    post = one(result, "GET", "/api/users/{userId}/posts/{postId}")
    assert (post.handler, post.line) == ("getPost", 12)
    assert one(result, "POST", "/ping").sources[0].file == "src/app.js"


def test_express_warns_about_regex_paths_and_broken_files() -> None:
    result = scan(FIXTURES / "express")
    assert ("src/routes/admin.cjs", "route path is a regular expression; route skipped") in (
        messages(result)
    )
    broken = [w for w in result.warnings if w.file == "src/routes/broken.js"]
    assert broken and "syntax error" in broken[0].message


def test_fastify_plugins_prefixes_and_schemas() -> None:
    result = scan(FIXTURES / "fastify")
    assert pairs(result) == sorted(
        [
            ("GET", "/"),
            ("GET", "/db/health"),
            ("GET", "/health"),
            ("GET", "/meta/version"),
            ("GET", "/v1/items"),
            ("GET", "/v1/items/{wildcard}"),
            ("GET", "/v1/users"),
            ("POST", "/v1/users"),
            ("GET", "/v1/users/{id}"),
            ("PUT", "/v1/users/{id}"),
            ("PATCH", "/v1/users/{id}"),
            ("DELETE", "/v1/users/{id}/sessions/{sessionId}"),
        ]
    )
    listing = one(result, "GET", "/v1/users")
    assert [(p.name, p.location, p.required, p.schema_) for p in listing.params] == [
        ("limit", "query", True, {"type": "integer"}),
        ("q", "query", False, {"type": "string"}),
    ]
    assert listing.responses["200"] == {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
            "required": ["id", "name"],
        },
    }
    create = one(result, "POST", "/v1/users")
    assert create.request_schema == {
        "type": "object",
        "properties": {"name": {"type": "string"}},
        "required": ["name"],
    }
    assert (create.status_codes, sorted(create.responses)) == ([201], ["201", "4xx"])
    assert one(result, "GET", "/v1/users/{id}").params[0].schema_ == {"type": "integer"}
    assert one(result, "DELETE", "/v1/users/{id}/sessions/{sessionId}").handler == "revokeSession"


def test_nest_global_prefix_controllers_and_dtos() -> None:
    result = scan(FIXTURES / "nestjs")
    assert pairs(result) == sorted(
        [
            ("GET", "/api/users"),
            ("POST", "/api/users"),
            ("GET", "/api/users/{id}"),
            ("PUT", "/api/users/{id}"),
            ("DELETE", "/api/users/{id}"),
            ("GET", "/health"),
            ("GET", "/v1/metrics"),  # excluded from the prefix, still versioned
            ("POST", "/api/v1/metrics/reset"),
            ("GET", "/api/orders/{orderId}/items"),
            ("GET", "/api/purchases/{orderId}/items"),
        ]
    )
    create = one(result, "POST", "/api/users")
    assert (create.handler, create.line, create.status_codes) == (
        "UsersController.create",
        40,
        [201],
    )
    assert (create.tags, create.security) == (["users"], ["AuthGuard:jwt"])
    assert create.request_schema == {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "email": {"type": "string", "format": "email"},
            "age": {"type": "integer"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "role": {"type": "string", "enum": ["admin", "member"]},
        },
        "required": ["name", "email", "tags", "role"],
    }
    assert "required" not in (one(result, "PUT", "/api/users/{id}").request_schema or {})
    find = one(result, "GET", "/api/users/{id}")
    assert [(p.name, p.schema_) for p in find.params] == [("id", {"type": "integer"})]
    listing = one(result, "GET", "/api/users")
    assert [(p.name, p.location, p.required) for p in listing.params] == [
        ("limit", "query", False),
        ("search", "query", False),
    ]
    assert one(result, "DELETE", "/api/users/{id}").status_codes == [204]
    items = one(result, "GET", "/api/orders/{orderId}/items")
    assert items.security == ["bearer", "JwtAuthGuard"]
    assert ("x-tenant", "header") in [(p.name, p.location) for p in items.params]


def test_nest_fixture_scans_without_warnings() -> None:
    result = scan(FIXTURES / "nestjs")
    assert messages(result) == []
