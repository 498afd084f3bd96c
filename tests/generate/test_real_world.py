"""What real APIs do, generated for: a suite that stays green on a correct service run twice.

The API under test is tests/reference_api/flows.py, which answers the way real services do:
a collection POST declared as `/flows/` (a 307 for `/flows`), ids inside a `data` envelope,
names that must be unique, a run that refers to a flow, `/status/{code}`, an image, a
redirect, a session cookie, and no security scheme.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.generate import GenerateOptions, generate_suite, plan_suite, write_suite
from bot.generate.spec import load_inventory
from bot.scan.model import Endpoint, Inventory
from tests.reference_api import flows
from tests.reference_api.app import make_app as make_pet_store
from tests.reference_api.harness import SPEC as PET_SPEC
from tests.support.uvicorn_thread import serve_in_thread


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("flows_suite")
    options = GenerateOptions(send_credential=False)
    files = generate_suite(load_inventory(flows.SPEC), options)
    write_suite(files, folder)
    return {"folder": str(folder), **{f.path: f.content for f in files}}


def _pytest(folder: str, base_url: str, target: str = "") -> str:
    """Run a generated suite (or one test of it) with pytest, without a credential."""
    command = [
        sys.executable, "-m", "pytest", f"{folder}/{target}" if target else folder, "-q",
        "-p", "no:cacheprovider", "--rootdir", folder, "-o", "addopts=",
        "-W", "ignore::DeprecationWarning",
    ]  # fmt: skip
    environ = {k: v for k, v in os.environ.items() if k != "API_TOKEN"}
    environ["API_BASE_URL"] = base_url
    done = subprocess.run(command, env=environ, capture_output=True, text=True, timeout=300)
    return done.stdout + done.stderr


def test_the_suite_is_green_twice_in_a_row_on_one_service(suite: dict[str, str]) -> None:
    with serve_in_thread(flows.make_app()) as base_url:
        first = _pytest(suite["folder"], base_url)
        second = _pytest(suite["folder"], base_url)
    for output in (first, second):
        assert " failed" not in output and " error" not in output, output
        assert "passed" in output


def test_helpers_use_each_operation_s_declared_path(suite: dict[str, str]) -> None:
    flows_module = suite["test_flows.py"]
    assert "create_resource(\n" in flows_module or 'create_resource("/flows/"' in flows_module
    assert '"/flows/",' in flows_module or '"/flows/"' in flows_module
    assert 'create_resource("/flows"' not in flows_module


def test_a_reference_field_is_filled_from_a_resource_created_first(suite: dict[str, str]) -> None:
    runs = suite["test_runs.py"]
    assert "flow_id = create_resource(" in runs
    assert '"flow_id": flow_id' in runs


def test_deleting_a_whole_collection_is_generated_skipped_with_the_reason(
    suite: dict[str, str],
) -> None:
    flows_module = suite["test_flows.py"]
    head = flows_module.split("def test_delete_flows_succeeds")[0].rsplit("\n\n\n", 1)[-1]
    assert "@pytest.mark.skip(reason=" in head and "collection" in head


def test_unknown_id_cases_only_where_a_parameter_names_a_resource(suite: dict[str, str]) -> None:
    assert "unknown_code" not in suite["test_utilities.py"]
    assert "def test_get_flows_item_unknown_flow_id" in suite["test_flows.py"]


def test_redirects_and_binary_bodies_are_checked_as_declared(suite: dict[str, str]) -> None:
    utilities = suite["test_utilities.py"]
    redirect = utilities.split("def test_get_old_home_succeeds")[1].split("\n\n\n")[0]
    assert "response.status_code == 302" in redirect and '"location"' in redirect
    image = utilities.split("def test_get_image_succeeds")[1].split("\n\n\n")[0]
    assert '"Accept": "image/png"' in image and 'startswith("image/png")' in image


def test_without_a_security_scheme_no_credential_is_sent(suite: dict[str, str]) -> None:
    assert "Authorization" not in suite["conftest.py"]
    assert "declares no security scheme" in suite["conftest.py"]


def test_imports_are_grouped_and_no_variable_is_assigned_twice_in_a_row(
    suite: dict[str, str],
) -> None:
    for name, text in suite.items():
        if not name.startswith("test_"):
            continue
        lines = [line.strip() for line in text.splitlines()]
        third_party = [i for i, line in enumerate(lines) if line.startswith("import ")]
        assert third_party == list(range(third_party[0], third_party[-1] + 1)), name
        for before, after in itertools.pairwise(lines):
            if " = " in before and " = " in after and not before.startswith(("assert", "@")):
                assert before.split(" = ")[0] != after.split(" = ")[0], (name, before, after)


def test_every_operation_gets_a_seeded_bounded_fuzz_test(suite: dict[str, str]) -> None:
    runs = suite["test_runs.py"]
    fuzz = runs.split("def test_post_runs_fuzz")[0].rsplit("\n\n\n", 1)[-1]
    for part in ("@pytest.mark.fuzz", "@hypothesis.seed(", "max_examples=", "@allure.story("):
        assert part in fuzz


def test_a_missing_token_is_named_when_a_secured_operation_answers_401(tmp_path: Path) -> None:
    write_suite(generate_suite(load_inventory(PET_SPEC), GenerateOptions()), tmp_path)
    with serve_in_thread(make_pet_store()) as base_url:
        output = _pytest(str(tmp_path), base_url, "test_owners.py::test_get_owners_succeeds")
    assert "API_TOKEN is not set" in output


def _endpoint(method: str, path: str, codes: list[int]) -> Endpoint:
    return Endpoint(
        method=method, path=path, framework="openapi", file="s.yaml", line=1,
        status_codes=codes, responses={str(c): None for c in codes},
    )  # fmt: skip


NAME = {"type": "string"}


def test_an_upsert_gets_no_unknown_id_case_and_403_or_404_is_accepted() -> None:
    inventory = Inventory(
        endpoints=[
            _endpoint("GET", "/things", [200]),
            _endpoint("POST", "/things", [201]).model_copy(
                update={"request_schema": {"type": "object", "properties": {"name": NAME}}}
            ),
            _endpoint("PUT", "/things/{id}", [200, 201]),
            _endpoint("DELETE", "/things/{id}", [204, 403, 404]),
        ]
    )
    [module, _] = sorted(generate_suite(inventory, GenerateOptions()), key=lambda f: f.path)[::-1]
    text = module.content
    assert "def test_put_things_item_unknown_id" not in text
    unknown_delete = text.split("def test_delete_things_item_unknown_id")[1].split("\n\n\n")[0]
    assert "response.status_code in (403, 404)" in unknown_delete
    put = text.split("def test_put_things_item_succeeds")[1].split("\n\n\n")[0]
    assert "response.status_code in (200, 201)" in put


HAND = 'def test_health(client):\n    assert client.get("/health").status_code == 200\n'


def test_cli_skips_endpoints_tested_anywhere_in_the_repository_unless_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    (repo / "tests" / "unit").mkdir(parents=True)
    (repo / "tests" / "unit" / "test_health.py").write_text(HAND)
    (repo / "app.py").write_text(
        "from flask import Flask\napp = Flask(__name__)\n\n\n"
        '@app.get("/health")\ndef health():\n    return {}\n\n\n'
        '@app.get("/users")\ndef users():\n    return []\n'
    )
    out = repo / "tests" / "api"
    assert main(["generate", str(repo), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "skipped GET /health: already tested in tests/unit/test_health.py" in printed
    assert "GET /users" not in printed.split("skipped", 1)[-1]
    assert main(["generate", str(repo), "--out", str(out), "--include-tested"]) == 0
    assert "skipped GET /health" not in capsys.readouterr().out


def test_endpoints_named_explicitly_are_generated_even_when_tested() -> None:
    inventory = Inventory(endpoints=[_endpoint("GET", "/health", [200])])
    existing = {"test_health.py": HAND}
    skipped = plan_suite(inventory, GenerateOptions(), existing)
    assert skipped.skipped and not any("health" in f.path for f in skipped.files)
    named = GenerateOptions(only=[("GET", "/health")], include_tested=True)
    assert any(
        f.path == "test_health_generated.py" for f in plan_suite(inventory, named, existing).files
    )
