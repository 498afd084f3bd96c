"""generate_suite: deterministic files that validate cleanly and respect hand-written tests."""

from __future__ import annotations

import pytest

from bot.generate import MARKER, GenerateOptions, generate_suite, plan_suite
from bot.generate.spec import load_inventory
from bot.scan.model import Inventory
from bot.validate.api import validate_source
from tests.conftest import FIXTURES

HAND_WRITTEN_PETS = """
import allure


@allure.story("GET /pets/{petId}")
def test_pet(api):
    response = api.get(f"/pets/{1}")
    assert response.status_code == 200
"""


def test_generation_is_byte_identical_twice(reference_inventory: Inventory) -> None:
    first = generate_suite(reference_inventory, GenerateOptions())
    second = generate_suite(reference_inventory.model_copy(deep=True), GenerateOptions())
    assert [(f.path, f.content) for f in first] == [(f.path, f.content) for f in second]


def test_every_generated_file_validates_without_findings(reference_inventory: Inventory) -> None:
    files = generate_suite(reference_inventory, GenerateOptions())
    assert [f.path for f in files] == [
        "conftest.py",
        "test_orders.py",
        "test_owners.py",
        "test_pets.py",
    ]
    for file in files:
        assert validate_source(file.content, file.path) == [], file.path


def test_every_generated_file_starts_with_the_marker(reference_inventory: Inventory) -> None:
    for file in generate_suite(reference_inventory, GenerateOptions()):
        assert file.content.splitlines()[0] == MARKER
        compile(file.content, file.path, "exec")


def test_modules_list_the_endpoints_they_cover(reference_inventory: Inventory) -> None:
    files = {f.path: f for f in generate_suite(reference_inventory, GenerateOptions())}
    assert files["test_orders.py"].endpoints == (("GET", "/orders/{orderId}"), ("POST", "/orders"))


def test_hand_written_file_is_kept_and_its_endpoint_skipped(
    reference_inventory: Inventory,
) -> None:
    result = plan_suite(reference_inventory, GenerateOptions(), {"test_pets.py": HAND_WRITTEN_PETS})
    paths = [f.path for f in result.files]
    assert "test_pets.py" not in paths
    assert "test_pets_generated.py" in paths
    assert ("GET", "/pets/{petId}", "already tested in tests/api/test_pets.py") in result.skipped
    renamed = next(f for f in result.files if f.path == "test_pets_generated.py")
    assert '@allure.story("GET /pets/{petId}")' not in renamed.content
    assert '@allure.story("PUT /pets/{petId}")' in renamed.content
    assert renamed.notes == ("test_pets.py is hand-written; wrote test_pets_generated.py instead",)


def test_generated_files_in_existing_are_regenerated(reference_inventory: Inventory) -> None:
    old = {"test_pets.py": MARKER + "\n# stale\n"}
    files = generate_suite(reference_inventory, GenerateOptions(), old)
    assert "test_pets.py" in [f.path for f in files]


def test_hand_written_conftest_moves_the_suite_to_a_sub_folder(
    reference_inventory: Inventory,
) -> None:
    result = plan_suite(reference_inventory, GenerateOptions(), {"conftest.py": "import pytest\n"})
    assert all(f.path.startswith("generated/") for f in result.files)


def test_only_filters_endpoints_by_method_and_path(reference_inventory: Inventory) -> None:
    options = GenerateOptions(only=[("get", "/pets/{id}")])
    files = generate_suite(reference_inventory, options)
    assert [f.endpoints for f in files if f.endpoints] == [(("GET", "/pets/{petId}"),)]


def test_kinds_limit_the_tests_generated(reference_inventory: Inventory) -> None:
    files = generate_suite(reference_inventory, GenerateOptions(kinds=["happy"]))
    pets = next(f for f in files if f.path == "test_pets.py")
    assert pets.content.count("def test_") == 5
    assert "jsonschema" not in pets.content


@pytest.mark.parametrize(
    "app", ["django_app", "express", "fastapi_app", "flask_app", "nestjs", "openapi_app", "spring"]
)
def test_suites_from_every_scanned_framework_compile_and_validate(app: str) -> None:
    inventory = load_inventory(FIXTURES / "scan" / app)
    files = generate_suite(inventory, GenerateOptions())
    assert len(files) > 1
    for file in files:
        compile(file.content, file.path, "exec")
        assert validate_source(file.content, file.path) == [], file.path
