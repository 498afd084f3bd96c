"""The security suite from one inventory: OWASP-labelled modules, deterministic, valid."""

from __future__ import annotations

import re
from pathlib import Path

from bot.generate import GenerateOptions
from bot.generate.kinds import expand_kinds, plan_kinds
from bot.generate.security import inventory_gaps, plan_security
from bot.scan.model import Endpoint, Inventory, Sighting
from bot.validate.api import validate_paths
from tests.generate.security_harness import pet_store_inventory


def _security_files(inventory: Inventory) -> dict[str, str]:
    result = plan_kinds(inventory, GenerateOptions(), {}, ["security"], inventory_tests=True)
    return {f.path: f.content for f in result.files}


def test_security_kind_writes_its_own_modules_and_the_shared_conftest() -> None:
    files = _security_files(pet_store_inventory())
    assert "conftest.py" in files
    assert "security/conftest.py" in files
    modules = [p for p in files if p.startswith("security/test_")]
    assert modules and all(p.endswith("_security.py") for p in modules)
    assert not [p for p in files if p.startswith("test_")], "no functional module was asked for"


def test_every_security_test_is_marked_and_labelled_with_its_owasp_category() -> None:
    files = _security_files(pet_store_inventory())
    tests = 0
    for path, text in files.items():
        if not path.startswith("security/test_"):
            continue
        for chunk in text.split("\n\n\n")[1:]:
            if "\ndef test_" not in "\n" + chunk:
                continue
            tests += 1
            assert "@pytest.mark.security" in chunk
            owasp = re.search(r'@allure\.label\("owasp", "(API\d+:2023)"\)', chunk)
            assert owasp is not None, chunk
            assert f'@allure.story("{owasp.group(1)} ' in chunk
    assert tests >= 15


def test_each_category_the_issue_names_is_generated_for_the_reference_api() -> None:
    text = "\n".join(_security_files(pet_store_inventory()).values())
    for category in ("API1:2023", "API2:2023", "API3:2023", "API4:2023", "API8:2023", "API9:2023"):
        assert f'"owasp", "{category}"' in text, category
    assert "POST_PETS_INJECTED" in text and '"ownerId": 987654321' in text


def test_output_is_byte_identical_on_every_run() -> None:
    inventory = pet_store_inventory()
    assert _security_files(inventory) == _security_files(pet_store_inventory())


def test_generated_security_modules_have_no_validate_findings(tmp_path: Path) -> None:
    for path, content in _security_files(pet_store_inventory()).items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    report = validate_paths([tmp_path / "security"])
    assert report.files >= 3
    assert report.findings == []


def _endpoint(method: str, path: str, framework: str) -> Endpoint:
    sighting = Sighting(framework=framework, file="app.py", line=3)
    return Endpoint(
        method=method, path=path, framework=framework, file="app.py", line=3, sources=[sighting]
    )


def test_inventory_gaps_list_shadow_and_zombie_endpoints() -> None:
    both = _endpoint("GET", "/pets", "fastapi")
    both.sources.append(Sighting(framework="openapi", file="openapi.yaml", line=9))
    shadow = _endpoint("POST", "/admin/reset", "fastapi")
    zombie = _endpoint("DELETE", "/pets/{id}", "openapi")
    gaps = inventory_gaps(Inventory(endpoints=[both, shadow, zombie]))
    assert [(g.kind, g.endpoint.path) for g in gaps] == [
        ("shadow", "/admin/reset"),
        ("zombie", "/pets/{id}"),
    ]
    assert "not documented in the spec" in gaps[0].message


def test_no_gaps_without_both_code_and_spec() -> None:
    only_code = Inventory(endpoints=[_endpoint("GET", "/a", "flask")])
    assert inventory_gaps(only_code) == []


def test_gaps_are_notes_and_become_tests_only_when_asked() -> None:
    inventory = pet_store_inventory()
    plain = plan_security(inventory, GenerateOptions())
    assert any("GET /internal/stats" in n and "not documented" in n for n in plain.notes)
    assert not any("inventory" in f.path for f in plain.files)
    asked = plan_security(inventory, GenerateOptions(), inventory_tests=True)
    inventory_module = next(f for f in asked.files if f.path.endswith("inventory_security.py"))
    assert '"/internal/stats"' in inventory_module.content


def test_second_user_fixture_skips_with_a_reason_naming_the_variable() -> None:
    files = _security_files(pet_store_inventory())
    conftest = files["security/conftest.py"]
    assert 'SECOND_CREDENTIALS_ENV = "API_TOKEN_2"' in conftest
    assert "pytest.skip(NO_SECOND_USER)" in conftest


def test_all_expands_to_every_suite_in_order() -> None:
    assert expand_kinds(["all"]) == ["functional", "security", "performance"]
    assert expand_kinds(["performance", "functional"]) == ["functional", "performance"]
