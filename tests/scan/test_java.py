"""The Java family on a Spring Boot fixture app, driven through the scanner protocol."""

from __future__ import annotations

from pathlib import Path

from bot.scan.family import FamilyResult
from bot.scan.java import FAMILY
from bot.scan.model import Endpoint
from bot.scan.paths import UNRESOLVED_NOTE

ROOT = Path(__file__).parents[1] / "fixtures" / "scan" / "spring"
WEB = "src/main/java/com/example/shop/web"


def scan(root: Path) -> FamilyResult:
    facts = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_file() and FAMILY.wants(relative):
            facts[relative] = FAMILY.extract(relative, path.read_bytes())
    return FAMILY.link(facts)


def one(result: FamilyResult, method: str, path: str) -> Endpoint:
    [found] = [e for e in result.endpoints if (e.method, e.path) == (method, path)]
    return found


def test_spring_endpoints_with_context_path_inheritance_and_http_interfaces() -> None:
    result = scan(ROOT)
    sync = [(m, "/shop/rest/v2/reports/sync") for m in ("DELETE", "GET", "PATCH", "POST", "PUT")]
    assert sorted((e.method, e.path) for e in result.endpoints) == sorted(
        [
            ("GET", "/shop/rest/api/users"),
            ("POST", "/shop/rest/api/users"),
            ("GET", "/shop/rest/api/users/ping"),
            ("GET", "/shop/rest/api/users/{id}"),
            ("DELETE", "/shop/rest/api/users/{id}"),
            ("GET", "/shop/rest/legacy/status"),
            ("GET", "/shop/rest/old/status"),
            ("GET", "/shop/rest/orders/{orderId}"),
            ("POST", "/shop/rest/orders"),
            ("GET", "/shop/rest/v2/reports/{year}"),
            ("GET", "/shop/rest/v2/reports/raw"),  # unresolved: app.reports.raw-path
            *sync,
        ]
    )


def test_spring_parameters_bodies_and_status() -> None:
    result = scan(ROOT)
    listing = one(result, "GET", "/shop/rest/api/users")
    assert [(p.name, p.location, p.required, p.schema_) for p in listing.params] == [
        ("size", "query", False, {"type": "integer", "format": "int32", "default": 20}),
        ("q", "query", False, {"type": "string"}),
        ("X-Tenant", "header", True, {"type": "string"}),
    ]
    assert (listing.handler, listing.file) == ("UserController.list", f"{WEB}/UserController.java")
    assert listing.responses["200"] == {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "id": {"type": "integer", "format": "int64"},
                "display_name": {"type": "string"},
                "createdAt": {"type": "string", "format": "date-time"},
            },
            "required": ["id"],
        },
    }
    create = one(result, "POST", "/shop/rest/api/users")
    assert (create.status_codes, create.request_required) == ([201], True)
    assert create.request_schema == {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "email": {"type": "string"},
            "age": {"type": "integer", "format": "int32"},
            "roles": {"type": "array", "items": {"type": "string"}},
            "role": {"type": "string", "enum": ["ADMIN", "CUSTOMER"]},
        },
        "required": ["name"],
    }
    assert [s.file.rsplit("/", 1)[-1] for s in create.sources] == [
        "UserController.java",
        "UserApi.java",
    ]
    found = one(result, "GET", "/shop/rest/api/users/{id}")
    assert [(p.name, p.location, p.required) for p in found.params] == [("id", "path", True)]
    assert found.security == ["PreAuthorize:isAuthenticated()"]
    assert one(result, "DELETE", "/shop/rest/api/users/{id}").security == [
        "PreAuthorize:hasRole('ADMIN')"
    ]
    assert one(result, "PUT", "/shop/rest/v2/reports/sync").security == ["Secured:ROLE_OPS"]
    order = one(result, "POST", "/shop/rest/orders")
    assert (order.handler, order.line) == ("OrderController.place", 19)
    assert order.request_schema == {
        "type": "object",
        "properties": {
            "sku": {"type": "string"},
            "quantity": {"type": "integer", "format": "int32"},
        },
        "required": ["sku"],
    }


def test_spring_warnings_name_unresolved_properties_and_broken_files() -> None:
    result = scan(ROOT)
    assert sorted((w.file.rsplit("/", 1)[-1], w.line, w.message) for w in result.warnings) == [
        ("Broken.java", 3, "syntax error; only well-formed declarations were read from this file"),
        (
            "ReportController.java",
            20,
            f"property 'app.reports.raw-path' has no value or default; {UNRESOLVED_NOTE}",
        ),
    ]


def test_profile_documents_and_test_sources_are_not_read() -> None:
    assert not FAMILY.wants("src/test/java/com/example/shop/MockController.java")
    assert not FAMILY.wants("src/main/resources/application-prod.yml")
    facts = FAMILY.extract(
        "src/main/resources/application.yml",
        (ROOT / "src/main/resources/application.yml").read_bytes(),
    )
    assert facts["properties"]["server.servlet.context-path"] == "/shop"
