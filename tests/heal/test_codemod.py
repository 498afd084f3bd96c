"""Codemods on small suites: what is rewritten, what is left alone, what is only proposed."""

from __future__ import annotations

from typing import Any

from bot.heal.engine import SHARED, heal
from bot.scan.model import Endpoint, Inventory


def endpoint(method: str, path: str, **extra: Any) -> Endpoint:
    fields: dict[str, Any] = {"framework": "openapi", "file": "api.yaml", "line": 1} | extra
    return Endpoint(method=method, path=path, **fields)  # type: ignore[arg-type]


def obj(*required: str, **props: str) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object"}
    schema["properties"] = {k: {"type": v} for k, v in props.items()}
    return schema | ({"required": list(required)} if required else {})


def inventory(*endpoints: Endpoint) -> Inventory:
    return Inventory(endpoints=list(endpoints))


def test_a_field_renamed_in_the_response_only_is_renamed_only_where_the_response_is_read() -> None:
    source = """def test_tagged(api):
    payload = {"name": "Rex", "tag": "good"}
    api.post("/pets", json=payload)
    response = api.get("/pets", params={"tag": "good"})
    tag = "tag"
    for pet in response.json():
        assert pet["tag"] == "good" and pet.get("tag")
    assert response.headers.get("tag") is None and tag
"""
    request = obj(name="string", tag="string")
    before = inventory(
        endpoint(
            "GET",
            "/pets",
            operation_id="l",
            responses={"200": {"type": "array", "items": obj(tag="string")}},
        ),
        endpoint("POST", "/pets", operation_id="c", request_schema=request),
    )
    after = inventory(
        endpoint(
            "GET",
            "/pets",
            operation_id="l",
            responses={"200": {"type": "array", "items": obj(label="string")}},
        ),
        endpoint("POST", "/pets", operation_id="c", request_schema=request),
    )
    result = heal({"test_pets.py": source}, before, after)
    assert result.files == {
        "test_pets.py": source.replace('pet["tag"]', 'pet["label"]').replace(
            'pet.get("tag")', 'pet.get("label")'
        )
    }


def test_a_constant_shared_by_a_moved_and_an_unmoved_endpoint_is_left_and_listed() -> None:
    source = """PETS = "/pets"


def test_list(api):
    assert api.get(PETS).status_code == 200


def test_create(api):
    assert api.post(PETS, json={}).status_code == 201
"""
    before = inventory(
        endpoint("GET", "/pets", operation_id="list"), endpoint("POST", "/pets", operation_id="add")
    )
    after = inventory(
        endpoint("GET", "/animals", operation_id="list"),
        endpoint("POST", "/pets", operation_id="add"),
    )
    result = heal({"test_pets.py": source}, before, after)
    assert result.files == {}
    [why] = [u.reason for u in result.unhealable]
    assert why == SHARED.format(endpoints="GET /pets, POST /pets")
    assert result.healed == []


def test_a_move_below_the_confidence_bar_is_proposed_and_nothing_is_written() -> None:
    source = 'def test_daily(api):\n    assert api.get("/reports/daily").status_code == 200\n'
    body, query = {"200": obj(id="integer")}, obj(day="string")
    before = inventory(endpoint("GET", "/reports/daily", responses=body, request_schema=query))
    after = inventory(endpoint("GET", "/reports/day", responses=body, request_schema=query))
    result = heal({"test_reports.py": source}, before, after)
    assert result.files == {}
    [action] = result.actions
    assert (action.old, action.new, action.applied) == ("/reports/daily", "/reports/day", False)
    assert "proposed, not applied" in result.unhealable[0].reason


def test_a_new_required_field_joins_a_multiline_dict_in_its_layout() -> None:
    source = """def test_create(api):
    payload = {
        "name": "Rex",
        "tag": "good",
    }
    api.post("/pets", json=payload)
"""
    before = inventory(
        endpoint("POST", "/pets", request_schema=obj("name", name="string", tag="string"))
    )
    new = obj("name", "age", name="string", tag="string")
    new["properties"]["age"] = {"type": "integer", "minimum": 1, "maximum": 30}
    after = inventory(endpoint("POST", "/pets", request_schema=new))
    result = heal({"test_pets.py": source}, before, after)
    assert result.files["test_pets.py"] == source.replace(
        '        "tag": "good",\n', '        "tag": "good",\n        "age": 1,\n'
    )


def test_a_changed_method_follows_in_the_call() -> None:
    source = 'def test_update(api):\n    api.put(f"/pets/{1}", json={"name": "Rex"})\n'
    before = inventory(endpoint("PUT", "/pets/{id}", operation_id="update"))
    after = inventory(endpoint("PATCH", "/pets/{id}", operation_id="update"))
    result = heal({"test_pets.py": source}, before, after)
    assert result.files == {"test_pets.py": source.replace("api.put(", "api.patch(")}


def test_a_module_that_does_not_parse_is_left_as_it_is() -> None:
    before = inventory(endpoint("GET", "/pets", operation_id="l"))
    after = inventory(endpoint("GET", "/animals", operation_id="l"))
    broken = 'def test_x(api:\n    api.get("/pets")\n'
    assert heal({"test_broken.py": broken}, before, after).files == {}
