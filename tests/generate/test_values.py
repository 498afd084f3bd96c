"""Values from schemas: documented values first, constraints honoured, gaps reported."""

from __future__ import annotations

from typing import Any

import jsonschema  # type: ignore[import-untyped]

from bot.generate.schema import response_json_schema
from bot.generate.values import ValueBuilder, unknown_id, wrong_value


def _build(schema: dict[str, Any], components: dict[str, Any] | None = None) -> Any:
    return ValueBuilder(components or {}).build(schema)


def test_example_default_and_enum_come_first() -> None:
    assert _build({"type": "integer", "example": 7, "default": 3}) == 7
    assert _build({"type": "integer", "default": 3}) == 3
    assert _build({"type": "string", "enum": [None, "b", "a"], "nullable": True}) == "b"


def test_an_example_that_breaks_its_schema_is_not_used() -> None:
    assert _build({"type": "integer", "minimum": 5, "example": "five"}) == 5


def test_object_gets_required_writable_properties_only() -> None:
    schema = {
        "type": "object",
        "required": ["id", "name"],
        "properties": {
            "id": {"type": "integer", "readOnly": True},
            "name": {"type": "string", "minLength": 10},
            "note": {"type": "string"},
        },
    }
    assert _build(schema) == {"name": "testgenxxx"}


def test_all_of_parts_merge_and_refs_resolve() -> None:
    components = {
        "Base": {"type": "object", "required": ["a"], "properties": {"a": {"type": "boolean"}}}
    }
    schema = {
        "allOf": [
            {"$ref": "#/components/Base"},
            {"required": ["b"], "properties": {"b": {"type": "number", "exclusiveMinimum": 2}}},
        ]
    }
    assert _build(schema, components) == {"a": True, "b": 2.5}


def test_one_of_takes_the_first_non_null_option() -> None:
    assert _build({"oneOf": [{"type": "null"}, {"type": "string", "format": "uuid"}]}) == (
        "123e4567-e89b-42d3-a456-426614174000"
    )


def test_patterns_are_satisfied_or_reported() -> None:
    builder = ValueBuilder({})
    assert builder.build({"type": "string", "pattern": "^[0-9]{3}$"}) == "123"
    assert builder.build({"type": "string", "pattern": "^Q{7}$"}, "code") == "QQQQQQQ"
    assert builder.gaps == []
    builder.build({"type": "string", "pattern": "^Q{7}$", "maxLength": 3}, "code")
    assert builder.gaps == ["code: no value found for pattern '^Q{7}$'"]


def test_an_unknown_id_is_built_from_a_pattern_no_candidate_matches() -> None:
    assert unknown_id({"type": "string", "pattern": "^[A-Z]{2}-\\d{4}$"}, {}) == "ZZ-9999"
    assert unknown_id({"type": "string", "pattern": "^(?=x)y$"}, {}) is None


def test_wrong_values_and_unknown_ids() -> None:
    assert wrong_value({"type": "string"}, {}) == 12345
    assert wrong_value({"type": "integer", "nullable": True}, {}) == "not-a-number"
    assert wrong_value({"anyOf": [{"type": "string"}, {"type": "integer"}]}, {}) is None
    assert unknown_id({"type": "integer", "maximum": 500}, {}) == 500
    assert str(unknown_id({"type": "string", "format": "uuid"}, {})).startswith("00000000")
    assert unknown_id({"type": "string", "enum": ["a"]}, {}) is None


def test_response_schema_follows_openapi_semantics() -> None:
    schema = {
        "type": "object",
        "required": ["secret", "age"],
        "properties": {
            "secret": {"type": "string", "writeOnly": True},
            "age": {"type": "integer", "nullable": True, "minimum": 0, "exclusiveMinimum": True},
            "node": {"$ref": "#/components/Node"},
        },
        "discriminator": {"propertyName": "kind"},
    }
    components = {"Node": {"type": "object", "properties": {"next": {"$ref": "#/components/Node"}}}}
    converted = response_json_schema(schema, components)
    assert converted is not None
    jsonschema.validate({"age": None, "node": {"next": {}}}, converted)
    assert not jsonschema.Draft202012Validator(converted).is_valid({"age": 0})
    assert not jsonschema.Draft202012Validator(converted).is_valid({"age": 1, "node": {"next": 1}})


def _pets(discriminator: dict[str, Any], *titles: str) -> dict[str, Any]:
    def branch(n: int) -> dict[str, Any]:
        kind = {"type": "object", "required": ["petType"], "properties": {"petType": {}}}
        return {**kind, "title": titles[n]} if n < len(titles) else kind

    return {"oneOf": [branch(0), branch(1)], "discriminator": discriminator}


def test_a_discriminator_takes_the_mapping_key_of_the_chosen_branch() -> None:
    mapping = {"kitty": "#/components/schemas/Cat"}
    disc = {"propertyName": "petType", "mapping": mapping}
    assert ValueBuilder({}).build(_pets(disc, "Cat", "Dog")) == {"petType": "kitty"}
    in_order = {"propertyName": "petType", "mapping": {"c": "Cat", "d": "Dog"}}
    assert ValueBuilder({}).build(_pets(in_order)) == {"petType": "c"}


def test_without_a_mapping_the_discriminator_is_the_schema_name() -> None:
    disc = {"propertyName": "petType"}
    assert ValueBuilder({}).build(_pets(disc, "Cat", "Dog")) == {"petType": "Cat"}
    cat = {"type": "object", "properties": {"petType": {"type": "string"}}}
    recursive = {"oneOf": [{"$ref": "#/components/Cat"}], "discriminator": disc}
    assert ValueBuilder({"Cat": cat}).build(recursive) == {"petType": "Cat"}


def test_a_discriminator_no_branch_name_explains_is_reported() -> None:
    builder = ValueBuilder({})
    mapping = {"kitty": "#/components/schemas/Cat"}
    builder.build(_pets({"propertyName": "petType", "mapping": mapping}), "body")
    assert builder.gaps == ["body.petType: no discriminator value known for the branch"]
