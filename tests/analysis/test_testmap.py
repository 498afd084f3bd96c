"""The coverage reader: which endpoints hand-written tests call."""

from __future__ import annotations

from bot.generate.coverage import calls_in_source, covered
from bot.scan.model import Endpoint


def _endpoint(method: str, path: str) -> Endpoint:
    return Endpoint(method=method, path=path, framework="openapi", file="spec.yaml", line=1)


def test_reads_literal_fstring_concatenated_and_story_calls() -> None:
    source = """
import allure

@allure.story("DELETE /pets/{petId}")
def test_a(api, client, base_url, pet_id):
    api.get("/pets")
    client.post(f"/pets/{pet_id}/photos?size=1")
    api.request("PUT", base_url + "/owners/" + str(pet_id))
    api.patch(url=f"{base_url}/orders/{pet_id}")
    headers.get("content-type")
"""
    assert calls_in_source(source) == {
        ("GET", "/pets"),
        ("POST", "/pets/{}/photos"),
        ("PUT", "/owners/{}"),
        ("PATCH", "/orders/{}"),
        ("DELETE", "/pets/{}"),
    }


def test_broken_source_covers_nothing() -> None:
    assert calls_in_source("def (:") == set()


def test_matches_method_and_path_shape_with_a_base_path_prefix() -> None:
    endpoints = [
        _endpoint("GET", "/v1/pets/{petId}"),
        _endpoint("PUT", "/v1/pets/{petId}"),
        _endpoint("GET", "/v1/pets"),
    ]
    sources = {"test_b.py": 'def test(api):\n    api.get("/pets/42")\n'}
    assert covered(endpoints, sources) == {("GET", "/v1/pets/{petId}"): "test_b.py"}


def test_a_root_call_does_not_cover_everything() -> None:
    sources = {"test_c.py": 'def test(api):\n    api.get("/")\n'}
    assert covered([_endpoint("GET", "/pets")], sources) == {}
