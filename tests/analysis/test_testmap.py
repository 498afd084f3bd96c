"""The test→endpoint map: which endpoint each test calls, where its path is written."""

from __future__ import annotations

from pathlib import Path

from bot.analysis.testmap import build_test_map, read_tests
from bot.scan.engine import scan_path
from bot.scan.model import Endpoint

PETSHOP = Path(__file__).parents[1] / "fixtures" / "coverage" / "petshop"


def _endpoint(method: str, path: str) -> Endpoint:
    return Endpoint(method=method, path=path, framework="openapi", file="spec.yaml", line=1)


def _requests(source: str) -> set[tuple[str, str, str]]:
    (test,) = read_tests({"test_x.py": source})
    return {(r.method, r.path, r.kind) for r in test.requests}


def _folder(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*.py"))}


def test_reads_literal_fstring_concatenated_format_request_and_story_calls() -> None:
    source = """
import allure

@allure.story("DELETE /pets/{petId}")
def test_a(api, client, base_url, pet_id):
    api.get("/pets")
    client.post(f"/pets/{pet_id}/photos?size=1")
    api.request("PUT", base_url + "/owners/" + str(pet_id))
    api.patch(url=f"{base_url}/orders/{pet_id}")
    api.head("/orders/{}/lines".format(pet_id))
    headers.get("content-type")
"""
    assert _requests(source) == {
        ("GET", "/pets", "call"),
        ("POST", "/pets/{}/photos", "call"),
        ("PUT", "/owners/{}", "call"),
        ("PATCH", "/orders/{}", "call"),
        ("HEAD", "/orders/{}/lines", "call"),
        ("DELETE", "/pets/{}", "story"),
    }


def test_broken_source_has_no_tests() -> None:
    assert read_tests({"test_x.py": "def (:"}) == []


def test_a_commented_out_call_is_no_request() -> None:
    source = 'def test_later(api):\n    # api.post("/orders")\n    assert api\n'
    assert _requests(source) == set()


def test_only_test_files_hold_tests() -> None:
    sources = {"helpers.py": 'def test_like(api):\n    api.get("/pets")\n'}
    assert read_tests(sources) == []


def test_a_call_omitting_the_base_path_every_endpoint_shares_matches() -> None:
    endpoints = [
        _endpoint("GET", "/v1/pets/{petId}"),
        _endpoint("PUT", "/v1/pets/{petId}"),
        _endpoint("GET", "/v1/pets"),
    ]
    sources = {"test_b.py": 'def test(api):\n    api.get("/pets/42")\n'}
    assert build_test_map(sources, endpoints).covered() == {
        ("GET", "/v1/pets/{petId}"): ("test_b.py::test",)
    }


def test_a_root_call_does_not_cover_everything() -> None:
    sources = {"test_c.py": 'def test(api):\n    api.get("/")\n'}
    assert build_test_map(sources, [_endpoint("GET", "/pets")]).covered() == {}


def test_a_health_call_covers_only_health() -> None:
    """The old matcher let a call drop leading segments: `/health` covered `GET /x/{id}`."""
    endpoints = [_endpoint("GET", "/health"), _endpoint("GET", "/pets/{id}")]
    sources = {"test_h.py": 'def test_health(api):\n    api.get("/health")\n'}
    assert build_test_map(sources, endpoints).covered() == {
        ("GET", "/health"): ("test_h.py::test_health",)
    }


def test_a_gateway_prefix_from_config_is_the_only_slack() -> None:
    endpoints = [_endpoint("GET", "/pets"), _endpoint("GET", "/health")]
    sources = {"test_g.py": 'def test_pets(api):\n    api.get("/gateway/pets/")\n'}
    assert build_test_map(sources, endpoints).covered() == {}
    with_prefix = build_test_map(sources, endpoints, base_paths=["/gateway"])
    assert with_prefix.covered() == {("GET", "/pets"): ("test_g.py::test_pets",)}


def test_the_most_specific_template_wins() -> None:
    endpoints = [_endpoint("GET", "/pets/{id}"), _endpoint("GET", "/pets/mine")]
    sources = {"test_m.py": 'def test_mine(api):\n    api.get("/pets/mine")\n'}
    assert build_test_map(sources, endpoints).covered() == {
        ("GET", "/pets/mine"): ("test_m.py::test_mine",)
    }


def test_another_hosts_url_covers_nothing_but_the_suites_base_url_host_does() -> None:
    source = """
import requests

BASE_URL = "https://staging.shop.example.com"
BILLING = "https://billing.example.com"

def test_ours():
    requests.get(BASE_URL + "/pets")

def test_theirs():
    requests.get(BILLING + "/orders")
"""
    endpoints = [_endpoint("GET", "/pets"), _endpoint("GET", "/orders")]
    covered = build_test_map({"test_u.py": source}, endpoints).covered()
    assert covered == {("GET", "/pets"): ("test_u.py::test_ours",)}


def test_the_path_is_located_where_a_constant_in_another_file_writes_it() -> None:
    sources = {
        "paths.py": 'PETS = "/pets"\n',
        "test_p.py": "from paths import PETS\n\n\ndef test_list(api):\n    api.get(PETS)\n",
    }
    (test,) = read_tests(sources)
    (request,) = test.requests
    assert (request.file, request.line, request.column) == ("test_p.py", 5, 4)
    (written,) = request.written
    assert (written.file, written.line, written.column, written.kind) == (
        "paths.py",
        1,
        7,
        "string",
    )
    assert (written.end_line, written.end_column, written.text) == (1, 14, "/pets")
    assert [(hop.kind, hop.name, hop.file) for hop in written.via] == [
        ("import", "paths.PETS", "paths.py"),
        ("constant", "PETS", "paths.py"),
    ]


def test_a_fixture_that_builds_the_url_is_followed_to_conftest() -> None:
    sources = {
        "conftest.py": (
            'import pytest\n\n@pytest.fixture\ndef pet_url():\n    return BASE + "/pets/1"\n'
        ),
        "test_f.py": "def test_get(api, pet_url):\n    api.get(pet_url)\n",
    }
    (test,) = read_tests(sources)
    (request,) = test.requests
    assert request.path == "/pets/1"
    (written,) = request.written
    assert (written.file, written.line, written.via[0].kind) == ("conftest.py", 5, "fixture")


def test_requests_a_fixture_makes_are_set_up_not_tests() -> None:
    sources = {
        "conftest.py": (
            'import pytest\n\n@pytest.fixture\ndef pet(api):\n    return api.post("/pets").json()\n'
        ),
        "test_d.py": "def test_delete(api, pet):\n    api.delete(f\"/pets/{pet['id']}\")\n",
    }
    endpoints = [_endpoint("POST", "/pets"), _endpoint("DELETE", "/pets/{id}")]
    test_map = build_test_map(sources, endpoints)
    assert test_map.covered() == {("DELETE", "/pets/{id}"): ("test_d.py::test_delete",)}
    assert [h.request.role for h in test_map.hits_of(("POST", "/pets"))] == ["fixture"]


def test_petshop_coverage_is_exact_across_url_styles_and_traps() -> None:
    """Router prefixes in the app; in the tests: a fixture client with a base path, imported
    constants, f-strings, `.format`, concatenation, a factory fixture, parametrize, a helper in
    another module, a class test, a story; and three traps (health, commented, another host)."""
    inventory = scan_path(PETSHOP)
    test_map = build_test_map(_folder(PETSHOP / "tests"), inventory.endpoints)
    assert sorted(test_map.untested()) == [
        ("DELETE", "/api/v1/owners/{owner_id}"),
        ("GET", "/api/v1/store/inventory"),
        ("GET", "/api/v1/store/orders/{order_id}"),
        ("POST", "/api/v1/store/orders"),
    ]
    covered = test_map.covered()
    assert covered[("GET", "/health")] == ("api/test_pets.py::test_health",)
    assert covered[("POST", "/api/v1/owners/{owner_id}/pets")] == (
        "api/test_owners.py::TestOwners::test_adopt",
    )
    assert covered[("GET", "/api/v1/owners")] == (
        "api/test_owners.py::test_collections_answer",
        "api/test_owners.py::test_list_owners_via_request",
    )
    assert covered[("GET", "/api/v1/pets/{pet_id}")] == (
        "api/test_pets.py::test_get_pet",
        "api/test_pets.py::test_pet_story_only",
    )
    assert len(covered) == 11
    assert test_map.endpoints_of("api/test_owners.py::test_store_orders_later") == []
    assert test_map.endpoints_of("api/test_owners.py::test_other_service_order") == []
