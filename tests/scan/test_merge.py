"""Code and spec sightings of one endpoint merge into one entry; the spec's contract wins."""

from __future__ import annotations

from pathlib import Path

from bot.scan.engine import scan_path
from bot.scan.model import Endpoint, Sighting
from tests.scan.conftest import routes


def test_exact_endpoint_list(fixtures: Path) -> None:
    assert routes(scan_path(fixtures / "merge_app")) == [
        ("GET", "/internal/metrics"),
        ("POST", "/items"),
        ("GET", "/items/search"),
        ("GET", "/items/{id}"),
    ]


def test_merged_entry_keeps_code_location_and_spec_contract(fixtures: Path) -> None:
    endpoint = scan_path(fixtures / "merge_app").find("GET", "/items/{item_id}")
    assert endpoint is not None
    assert (endpoint.framework, endpoint.file, endpoint.handler) == (
        "fastapi",
        "service/app.py",
        "read_item",
    )
    assert endpoint.path == "/items/{id}"
    assert endpoint.status_codes == [200, 404]
    assert endpoint.operation_id == "getItem"
    response = endpoint.responses["200"]
    assert response is not None and response["required"] == ["id", "name"]
    assert endpoint.sources == [
        Sighting(framework="openapi", file="docs/openapi.yaml", line=4, handler="getItem"),
        Sighting(framework="fastapi", file="service/app.py", line=6, handler="read_item"),
    ]


def test_code_only_and_spec_only_endpoints_stay_single(fixtures: Path) -> None:
    inventory = scan_path(fixtures / "merge_app")
    search, metrics = (
        inventory.find("GET", "/items/search"),
        inventory.find("GET", "/internal/metrics"),
    )
    assert search is not None and metrics is not None
    assert [s.framework for s in search.sources] == ["openapi"]
    assert [s.framework for s in metrics.sources] == ["fastapi"]


def test_merge_of_two_code_sightings_fills_gaps() -> None:
    from bot.scan.merge import merge

    first = Endpoint(method="GET", path="/a/{x}", framework="flask", file="a.py", line=1)
    second = Endpoint(
        method="GET", path="/a/{y}", framework="django", file="b.py", line=2, tags=["a"]
    )
    (merged,) = merge([second, first])
    assert (merged.file, merged.tags) == ("a.py", ["a"])
    assert [s.file for s in merged.sources] == ["a.py", "b.py"]
