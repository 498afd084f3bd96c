"""The change set: what moved or changed shape between two inventories, and how sure it is."""

from __future__ import annotations

from typing import Any

from bot.heal.changes import APPLY_FROM, change_set
from bot.scan.model import Endpoint, Inventory


def endpoint(method: str, path: str, **extra: Any) -> Endpoint:
    fields: dict[str, Any] = {"framework": "openapi", "file": "api.yaml", "line": 1} | extra
    return Endpoint(method=method, path=path, **fields)  # type: ignore[arg-type]


def obj(**props: str) -> dict[str, Any]:
    return {"type": "object", "properties": {k: {"type": v} for k, v in props.items()}}


def kinds(before: list[Endpoint], after: list[Endpoint]) -> list[tuple[str, Any, Any, Any]]:
    found = change_set(Inventory(endpoints=before), Inventory(endpoints=after)).changes
    return sorted((c.kind, c.field, c.new_field or c.new_path, c.applies) for c in found)


def test_a_method_change_with_the_same_operation_id_is_sure() -> None:
    found = change_set(
        Inventory(endpoints=[endpoint("PUT", "/pets/{id}", operation_id="updatePet")]),
        Inventory(endpoints=[endpoint("PATCH", "/pets/{id}", operation_id="updatePet")]),
    ).changes
    [change] = found
    assert (change.kind, change.new_method, change.confidence) == ("method-changed", "PATCH", 1.0)


def test_a_move_known_only_by_similarity_is_proposed_not_applied() -> None:
    body, query = {"200": obj(id="integer")}, obj(day="string")
    before = [endpoint("GET", "/reports/daily", responses=body, request_schema=query)]
    after = [endpoint("GET", "/reports/day", responses=body, request_schema=query)]
    [change] = change_set(Inventory(endpoints=before), Inventory(endpoints=after)).changes
    assert change.kind == "path-renamed" and change.new_path == "/reports/day"
    assert 0.5 <= change.confidence < APPLY_FROM and not change.applies


def test_a_renamed_path_parameter_keeps_the_endpoint() -> None:
    assert kinds([endpoint("GET", "/pets/{petId}")], [endpoint("GET", "/pets/{pet_id}")]) == [
        ("param-renamed", "petId", "pet_id", True)
    ]


def test_request_and_response_fields_renamed_removed_retyped_and_added() -> None:
    before = endpoint(
        "POST",
        "/pets",
        request_schema={**obj(name="string", colour="string", age="integer"), "required": []},
        responses={"201": obj(id="integer", tag="string", size="integer", old="string")},
    )
    after = endpoint(
        "POST",
        "/pets",
        request_schema={
            **obj(name="string", color="string", species="string"),
            "required": ["name", "species"],
        },
        responses={"201": obj(id="string", label="string", size="integer")},
    )
    assert kinds([before], [after]) == [
        ("request-field-added", "species", None, True),
        ("request-field-removed", "age", None, True),
        ("request-field-renamed", "colour", "color", True),
        ("response-field-removed", "old", None, True),
        ("response-field-removed", "tag", None, True),
        ("response-field-retyped", "id", None, True),
    ]


def test_one_field_gone_and_one_come_with_the_same_schema_is_a_rename() -> None:
    before = endpoint("GET", "/pets", responses={"200": obj(id="integer", tag="string")})
    after = endpoint("GET", "/pets", responses={"200": obj(id="integer", label="string")})
    assert kinds([before], [after]) == [("response-field-renamed", "tag", "label", True)]


def test_a_removed_endpoint_is_listed_and_nothing_else_changes() -> None:
    keep = endpoint("GET", "/pets")
    assert kinds([keep, endpoint("DELETE", "/pets/{id}")], [keep]) == [
        ("endpoint-removed", None, None, True)
    ]
    assert kinds([keep], [keep]) == []
