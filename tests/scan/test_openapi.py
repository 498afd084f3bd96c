"""OpenAPI 3 and Swagger 2 files, recognised by content, with external `$ref`s and cycles."""

from __future__ import annotations

from pathlib import Path

from bot.scan.engine import scan_path
from tests.scan.conftest import routes


def test_exact_endpoint_list(fixtures: Path) -> None:
    assert routes(scan_path(fixtures / "openapi_app")) == [
        ("GET", "/legacy/v1/orders"),
        ("POST", "/legacy/v1/orders"),
        ("GET", "/legacy/v1/orders/{orderId}"),
        ("GET", "/things"),
        ("GET", "/v1/categories"),
        ("GET", "/v1/pets"),
        ("POST", "/v1/pets"),
        ("DELETE", "/v1/pets/{petId}"),
        ("GET", "/v1/pets/{petId}"),
    ]


def test_external_refs_in_another_folder_are_inlined(fixtures: Path) -> None:
    endpoint = scan_path(fixtures / "openapi_app").find("POST", "/v1/pets")
    assert endpoint is not None
    assert endpoint.request_required is True
    assert endpoint.request_schema == {
        "type": "object",
        "required": ["id", "name"],
        "properties": {
            "id": {"type": "integer", "format": "int64"},
            "name": {"type": "string"},
            "tag": {"type": "string", "enum": ["cat", "dog"]},
        },
    }
    assert endpoint.status_codes == [201, 422]
    assert endpoint.responses["422"] is None


def test_security_global_override_and_deprecated(fixtures: Path) -> None:
    inventory = scan_path(fixtures / "openapi_app")
    listing, delete = inventory.find("GET", "/v1/pets"), inventory.find("DELETE", "/v1/pets/{x}")
    categories = inventory.find("GET", "/v1/categories")
    assert listing is not None and delete is not None and categories is not None
    assert listing.security == ["api_key"]
    assert delete.security == [] and delete.deprecated is True
    assert categories.security == ["oauth2"]
    assert (listing.operation_id, listing.tags) == ("listPets", ["pets"])


def test_cyclic_schema_goes_to_components(fixtures: Path) -> None:
    inventory = scan_path(fixtures / "openapi_app")
    categories = inventory.find("GET", "/v1/categories")
    assert categories is not None
    schema = categories.responses["200"]
    assert schema is not None
    assert schema["properties"]["children"]["items"] == {"$ref": "#/components/Category"}
    assert inventory.components["Category"]["properties"]["name"] == {"type": "string"}


def test_swagger2_base_path_params_and_body(fixtures: Path) -> None:
    inventory = scan_path(fixtures / "openapi_app")
    listing, create = (
        inventory.find("GET", "/legacy/v1/orders"),
        inventory.find("POST", "/legacy/v1/orders"),
    )
    assert listing is not None and create is not None
    assert [(p.name, p.location, p.schema_) for p in listing.params] == [
        ("status", "query", {"type": "string", "enum": ["open", "closed"]})
    ]
    assert create.request_schema is not None and create.request_schema["required"] == ["id"]
    assert (create.framework, create.security) == ("swagger", ["basic"])


def test_path_level_params_are_inherited(fixtures: Path) -> None:
    endpoint = scan_path(fixtures / "openapi_app").find("GET", "/v1/pets/{petId}")
    assert endpoint is not None
    assert [(p.name, p.location, p.required) for p in endpoint.params] == [("petId", "path", True)]


def test_broken_and_dangling_files_are_warned(fixtures: Path) -> None:
    warnings = {(w.file, w.message) for w in scan_path(fixtures / "openapi_app").warnings}
    assert (
        "specs/dangling.yaml",
        "$ref `./missing.yaml#/Thing` not resolved: target not found",
    ) in (warnings)
    assert any(f == "specs/broken.yaml" and m.startswith("not parsed") for f, m in warnings)
    assert not any(f.startswith("deploy/") for f, _m in warnings)


def test_an_empty_requirement_makes_security_optional() -> None:
    from tests.scan.conftest import scan_sources

    inventory = scan_sources(
        {
            "api.yaml": """\
                openapi: 3.0.3
                info: {title: t, version: "1"}
                components:
                  securitySchemes:
                    key: {type: apiKey, in: header, name: X-Key}
                security: [{key: []}]
                paths:
                  /feed:
                    get:
                      security: [{}, {key: []}]
                      responses: {"200": {description: ok}}
                  /me:
                    get:
                      responses: {"200": {description: ok}}
            """
        }
    )
    security = {e.path: e.security for e in inventory.endpoints}
    assert security == {"/feed": [], "/me": ["key"]}
