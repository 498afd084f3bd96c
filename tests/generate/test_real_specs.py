"""Shapes met in real-world specs, each reduced to a snippet: the suite stays valid and sensible."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.generate import GenerateOptions, plan_suite
from bot.generate.model import SuiteResult
from bot.generate.spec import load_inventory
from bot.validate.api import validate_source


def _suite(tmp_path: Path, spec: dict[str, Any]) -> SuiteResult:
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    result = plan_suite(load_inventory(path), GenerateOptions())
    for file in result.files:
        compile(file.content, file.path, "exec")
        assert validate_source(file.content, file.path) == [], file.path
    return result


def _module(result: SuiteResult, path: str) -> str:
    return next(f.content for f in result.files if f.path == path)


def _post(schema: dict[str, Any]) -> dict[str, Any]:
    body = {"content": {"application/json": {"schema": schema}}}
    return {"post": {"requestBody": body, "responses": {"201": {"description": "made"}}}}


def test_credential_examples_in_a_spec_are_not_copied_into_the_tests(tmp_path: Path) -> None:
    # docker.yaml: SwarmJoin's example carries a real-looking JoinToken
    token = "SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-7p73s1dx5in4tatdymyhg9hu2"
    join = {
        "type": "object",
        "properties": {"JoinToken": {"type": "string"}, "ListenAddr": {"type": "string"}},
        "example": {"JoinToken": token, "ListenAddr": "0.0.0.0:2377"},
    }
    unlock = {"type": "object", "properties": {"apiKey": {"type": "string", "example": token}}}
    spec = {
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/swarm/join": _post(join), "/swarm/unlock": _post(unlock)},
    }
    content = _module(_suite(tmp_path, spec), "test_swarm.py")
    assert token not in content
    assert '"ListenAddr": "0.0.0.0:2377"' in content  # the rest of the example is kept


def test_urlencoded_form_bodies_get_negative_cases_for_required_and_numeric_fields(
    tmp_path: Path,
) -> None:
    # uspto.yaml: POST /{dataset}/{version}/records takes a urlencoded form
    form = {
        "type": "object",
        "required": ["criteria"],
        "properties": {"criteria": {"type": "string"}, "rows": {"type": "integer"}},
    }
    body = {"content": {"application/x-www-form-urlencoded": {"schema": form}}}
    responses = {"200": {"description": "found"}, "400": {"description": "bad"}}
    spec = {
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/records": {"post": {"requestBody": body, "responses": responses}}},
    }
    content = _module(_suite(tmp_path, spec), "test_records.py")
    assert "def test_post_records_without_criteria(" in content
    assert 'body = {**POST_RECORDS_BODY, "rows": "not-a-number"}' in content
    assert "wrong_type_criteria" not in content
    assert "response = api.post(url, data=body)" in content


def test_urls_carry_the_path_of_the_first_server(tmp_path: Path) -> None:
    # uspto.yaml: servers: [{url: "{scheme}://developer.uspto.gov/ds-api", variables: …}]
    server = {
        "url": "{scheme}://developer.uspto.gov/ds-api",
        "variables": {"scheme": {"default": "https", "enum": ["https", "http"]}},
    }
    ok = {"responses": {"200": {"description": "ok"}}}
    spec = {
        "openapi": "3.0.1",
        "info": {"title": "t", "version": "1"},
        "servers": [server],
        "paths": {"/": {"get": {**ok, "tags": ["metadata"]}}},
    }
    content = _module(_suite(tmp_path, spec), "test_metadata.py")
    assert 'url = "/ds-api/"' in content


def test_a_subtype_const_on_an_inherited_property_is_kept(tmp_path: Path) -> None:
    # the discriminator pattern: Cat = allOf[Base (petType: string), {petType: const cat}]
    base = {
        "type": "object",
        "required": ["petType", "name"],
        "properties": {"petType": {"type": "string"}, "name": {"type": "string"}},
    }
    cat = {"allOf": [base, {"properties": {"petType": {"const": "cat"}}}]}
    dog = {"allOf": [base, {"properties": {"petType": {"enum": ["dog"]}}}]}
    pet = {"oneOf": [cat, dog], "discriminator": {"propertyName": "petType"}}
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/pets": _post(pet)},
    }
    content = _module(_suite(tmp_path, spec), "test_pets.py")
    assert 'POST_PETS_BODY: Any = {"name": "testgen", "petType": "cat"}' in content


def test_binary_multipart_fields_are_sent_as_files(tmp_path: Path) -> None:
    form = {
        "type": "object",
        "required": ["file"],
        "properties": {"file": {"type": "string", "format": "binary"}, "note": {"type": "string"}},
    }
    body = {"content": {"multipart/form-data": {"schema": form}}}
    spec = {
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/upload": {"post": {"requestBody": body, "responses": {"201": {"description": "up"}}}}
        },
    }
    content = _module(_suite(tmp_path, spec), "test_upload.py")
    parts = '("testgen.bin" if k in ["file"] else None, str(v))'
    assert f"files={{k: {parts} for k, v in body.items()}}" in content


def test_a_spec_file_over_the_scan_size_limit_still_loads(tmp_path: Path) -> None:
    # kubernetes' swagger.json is 3.8 MB; a repository scan skips files over 2 MiB
    ok = {"responses": {"200": {"description": "x" * 2_500_000}}}
    spec = {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/big": {"get": ok}},
    }
    result = _suite(tmp_path, spec)
    assert "test_big.py" in [f.path for f in result.files]


def test_a_path_pattern_no_stock_value_matches_gets_a_value_built_from_it(tmp_path: Path) -> None:
    # a country-and-number code: neither `testgen` nor any stock candidate matches it
    code = {"type": "string", "pattern": "^[A-Z]{2}-\\d{4}$", "example": "not a code"}
    param = {"name": "code", "in": "path", "required": True, "schema": code}
    region = {"name": "region", "in": "query", "required": True, "schema": code}
    responses = {"200": {"description": "found"}, "404": {"description": "none"}}
    spec = {
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/parcels/{code}": {"get": {"parameters": [param, region], "responses": responses}}
        },
    }
    content = _module(_suite(tmp_path, spec), "test_parcels.py")
    assert 'code = "AA-0000"' in content
    assert 'params = {"region": "AA-0000"}' in content
    assert 'code = "ZZ-9999"' in content  # the unknown code of the 404 case
    assert "def test_get_parcels_item_unknown_code(" in content
    assert "# weak" not in content  # the example does not fit, but the built value does


def test_a_path_value_that_fits_no_pattern_makes_the_happy_path_weak(tmp_path: Path) -> None:
    code = {"type": "string", "pattern": "^(?=x)[a-z]+$", "example": "abc"}
    param = {"name": "code", "in": "path", "required": True, "schema": code}
    spec = {
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/parcels/{code}": {
                "get": {"parameters": [param], "responses": {"200": {"description": "found"}}}
            }
        },
    }
    content = _module(_suite(tmp_path, spec), "test_parcels.py")
    assert "# weak: code: no value found for pattern" in content
    assert "assert response.status_code < 500, response.text" in content


def test_a_discriminator_without_const_branches_gets_the_mapping_key(tmp_path: Path) -> None:
    # springdoc-style: oneOf of $refs, the mapping listing every branch in the same order
    def kind(extra: str) -> dict[str, Any]:
        properties = {"petType": {"type": "string"}, extra: {"type": "string"}}
        return {"type": "object", "required": ["petType", extra], "properties": properties}

    mapping = {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"}
    pet = {
        "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
        "discriminator": {"propertyName": "petType", "mapping": mapping},
    }
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "components": {"schemas": {"Cat": kind("meow"), "Dog": kind("bark"), "Pet": pet}},
        "paths": {"/pets": _post({"$ref": "#/components/schemas/Pet"})},
    }
    content = _module(_suite(tmp_path, spec), "test_pets.py")
    assert 'POST_PETS_BODY: Any = {"meow": "testgen", "petType": "cat"}' in content


def test_names_leave_out_the_base_path_and_locals_do_not_shadow_builtins(tmp_path: Path) -> None:
    # petstore (Swagger 2, basePath /v2) style: every path under /v2, a path id named `id`
    item = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
    kind = {"name": "type", "in": "query", "required": True, "schema": {"type": "string"}}
    found = {"200": {"description": "found"}, "404": {"description": "none"}}
    spec = {
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": "https://petstore.example.com/v2"}],
        "paths": {
            "/pet/{id}": {"get": {"tags": ["pet"], "parameters": [item], "responses": found}},
            "/store/inventory": {
                "get": {"tags": ["store"], "parameters": [kind], "responses": found}
            },
        },
    }
    result = _suite(tmp_path, spec)
    pet = _module(result, "test_pet.py")
    assert "def test_get_pet_item_succeeds(" in pet
    assert "def test_get_pet_item_unknown_id(" in pet
    assert 'url = f"/v2/pet/{id_value}"' in pet
    assert "\n        id = " not in pet
    assert "def test_get_store_inventory_succeeds(" in _module(result, "test_store.py")
