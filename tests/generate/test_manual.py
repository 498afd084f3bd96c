"""`/testgen manual`: requirement text to Allure manual test cases, with and without the LLM."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import openai
import pytest
import respx

from bot.generate.llm import LLMClient
from bot.generate.manual import (
    NO_LLM,
    NOTHING,
    ManualResult,
    manual_cases,
    manual_cases_deterministic,
    manual_validate_config,
)
from bot.settings import Settings
from bot.validate.api import validate_source
from tests.support.openai_fake import over_respx

BASE_URL = "http://llm.test/v1"
PATH = "tests/manual/test_manual_cases.py"
HEADER = """\
# Manual test cases from the MR description (testgen-bot).
import allure
import pytest
"""


def case(story: str, title: str, name: str, *steps: str, feature: str = "Login") -> str:
    body = "".join(f"    with allure.step({json.dumps(s, ensure_ascii=False)}):\n        pass\n"
                   for s in steps)  # fmt: skip
    return (
        f'\n\n@allure.manual\n@allure.feature("{feature}")\n@allure.story("{story}")\n'
        f'@allure.title("{title}")\ndef {name}() -> None:\n{body}'
        '    pytest.skip("manual test case")\n'
    )


def test_each_criterion_is_one_case_with_the_expected_result_in_its_own_words() -> None:
    description = """\
Adds login.

- User logs in with email and password -> the dashboard opens
* Wrong password shows an error
1. After 5 failed attempts, the account locks
- The user saves the profile, then a toast says Saved
"""
    assert manual_cases_deterministic("Login", description, line_length=120) == HEADER + "".join(
        case(title, title, name, step)
        for title, name, step in [
            (
                "User logs in with email and password → the dashboard opens",
                "test_user_logs_in_with_email_and_password_the_dashboard_opens",
                "Step 1: User logs in with email and password → Expected: the dashboard opens",
            ),
            (
                "Wrong password shows an error",
                "test_wrong_password_shows_an_error",
                "Step 1: Check the criterion → Expected: Wrong password shows an error",
            ),
            (
                "After 5 failed attempts, the account locks",
                "test_after_5_failed_attempts_the_account_locks",
                "Step 1: After 5 failed attempts → Expected: the account locks",
            ),
            (
                "The user saves the profile, then a toast says Saved",
                "test_the_user_saves_the_profile_then_a_toast_says_saved",
                "Step 1: The user saves the profile → Expected: a toast says Saved",
            ),
        ]
    )


def test_the_feature_comes_from_a_feature_label_before_the_title() -> None:
    source = manual_cases_deterministic("Login", "- can log in\n", ["backend", "feature::Auth"])
    assert source is not None and '@allure.feature("Auth")' in source
    plain = manual_cases_deterministic("Login", "- can log in\n", ["backend"])
    assert plain is not None and '@allure.feature("Login")' in plain


@pytest.mark.parametrize("width", [60, 79, 100])
def test_lines_stay_within_the_projects_line_length(width: int) -> None:
    long = "When an administrator exports the complete order history of a very large tenant"
    description = f"- {long}, the CSV arrives by e-mail within five minutes and lists every order\n"

    source = manual_cases_deterministic("Exports", description, line_length=width)

    assert source is not None
    assert max(len(line) for line in source.splitlines()) <= width
    assert validate_source(source, PATH) == []
    unwrapped = manual_cases_deterministic("Exports", description, line_length=1000)
    assert unwrapped is not None and max(len(line) for line in unwrapped.splitlines()) > width
    assert _labels_and_steps(source) == _labels_and_steps(unwrapped)  # the same words


def _labels_and_steps(source: str) -> list[str]:
    """Every string literal's value, concatenations joined (as Python reads them)."""
    import ast

    return [
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def test_checkboxes_and_wrapped_items_are_read_as_plain_items() -> None:
    description = "- [ ] Export is visible\n- [x] CSV has all rows\n  and a header row\n"

    source = manual_cases_deterministic("Export", description)

    assert source is not None
    assert '@allure.title("Export is visible")' in source
    assert '@allure.title("CSV has all rows and a header row")' in source
    assert "[ ]" not in source and "[x]" not in source


def test_headings_split_stories_and_checklists_are_ignored() -> None:
    description = """\
## Sign up
- A new user can register
## Sign in
- A registered user can sign in
## Checklist
- [x] Tests added
Closes #12
"""
    source = manual_cases_deterministic("Accounts", description)

    assert source is not None
    assert source.count("@allure.manual") == 2
    assert '@allure.story("Sign up")' in source and '@allure.story("Sign in")' in source
    assert "Tests added" not in source and "#12" not in source


def test_acceptance_criteria_are_preferred_over_other_bullets() -> None:
    description = """\
# Export
Context:
- the old export was slow

**Acceptance criteria:**
- [ ] Admins see an Export button
- [ ] The CSV contains every row

Notes:
- polish later
"""
    source = manual_cases_deterministic("Export to CSV", description, line_length=120)

    assert source == HEADER + case(
        "Export",
        "Admins see an Export button",
        "test_admins_see_an_export_button",
        "Step 1: Check the criterion → Expected: Admins see an Export button",
        feature="Export to CSV",
    ) + case(
        "Export",
        "The CSV contains every row",
        "test_the_csv_contains_every_row",
        "Step 1: Check the criterion → Expected: The CSV contains every row",
        feature="Export to CSV",
    )


def test_given_when_then_scenarios_become_cases_with_expected_results() -> None:
    description = """\
## Login
### Scenario: Remember me
Given a registered user
When they log in with "remember me" ticked
Then the session lasts 30 days
And the cookie is HttpOnly
"""
    source = manual_cases_deterministic("Login", description, line_length=200)

    assert source == HEADER + case(
        "Login",
        "Remember me",
        "test_remember_me",
        "Step 1: Given a registered user → Expected: the precondition is in place",
        'Step 2: When they log in with "remember me" ticked → Expected: the session lasts'
        " 30 days; the cookie is HttpOnly",
    )


def test_braces_in_titles_are_escaped_for_allure_formatting() -> None:
    source = manual_cases_deterministic("Draft: API {v2}", "## Get {id}\n- returns the item\n")

    assert source is not None
    assert '@allure.feature("API {v2}")' in source
    assert '@allure.story("Get {id}")' in source
    assert '@allure.title("returns the item")' in source


def test_the_output_validates_with_the_manual_rules() -> None:
    description = "## A\n- one\n- two\n## B\nGiven x\nWhen y\nThen z\n"
    source = manual_cases_deterministic("Feature", description)
    assert source is not None

    assert validate_source(source, PATH, manual_validate_config()) == []
    # the default rules exempt manual cases from needing assertions
    assert validate_source(source, PATH) == []


def test_the_output_is_the_same_for_the_same_input() -> None:
    description = "## A\n- one\n- two\n## B\n- one\nGiven x\nThen y\n"

    first = manual_cases_deterministic("Feature", description)

    assert first == manual_cases_deterministic("Feature", description)
    assert first is not None and "def test_one_2() -> None:" in first


@pytest.mark.parametrize("description", ["", "   \n", "Only prose.\n\nNo list at all.\n"])
async def test_nothing_to_test_is_said_clearly(description: str) -> None:
    assert manual_cases_deterministic("Title", description) is None
    assert await manual_cases("Title", description, None) == ManualResult(None, False, NOTHING)


async def test_without_a_client_the_deterministic_cases_are_used() -> None:
    result = await manual_cases("Login", "- can log in\n", None)

    assert result == ManualResult(
        manual_cases_deterministic("Login", "- can log in\n"), False, NO_LLM
    )


def test_the_cases_run_as_skipped_manual_tests_with_their_steps(tmp_path: Path) -> None:
    source = manual_cases_deterministic("Login", "- can log in -> dashboard\n")
    assert source is not None
    (tmp_path / "test_manual.py").write_text(source, encoding="utf-8")
    results = tmp_path / "allure"

    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--alluredir={results}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )

    assert run.returncode == 0, run.stdout + run.stderr
    (report,) = [json.loads(p.read_text()) for p in results.glob("*-result.json")]
    assert report["status"] == "skipped"
    assert {"name": "ALLURE_MANUAL", "value": True} in report["labels"]
    assert [s["name"] for s in report["steps"]] == ["Step 1: can log in → Expected: dashboard"]


# -- LLM path -------------------------------------------------------------------------


@pytest.fixture
def router() -> respx.Router:
    return respx.Router(base_url=BASE_URL, assert_all_called=False)


@pytest.fixture
async def client(router: respx.Router) -> AsyncIterator[LLMClient]:
    settings = Settings(openai_base_url=BASE_URL, openai_api_key="sk-test", llm_model="m")
    http = openai.AsyncOpenAI(
        base_url=BASE_URL, api_key="sk-test", max_retries=0, http_client=over_respx(router)
    )
    yield LLMClient(settings, client=http)
    await http.close()


def answer(text: str) -> httpx.Response:
    message = {"role": "assistant", "content": text}
    choice = {"index": 0, "finish_reason": "stop", "message": message}
    body = {"id": "c", "object": "chat.completion", "created": 0, "model": "m", "choices": [choice]}
    return httpx.Response(200, json=body)


DESCRIPTION = "## Login\n- can log in\n"
BASELINE = manual_cases_deterministic("Login", DESCRIPTION)
IMPROVED = (
    HEADER
    + case(
        "Login",
        "Log in with valid credentials",
        "test_log_in",
        "Step 1: Open the login page → Expected: the form is shown",
        "Step 2: Submit a valid email and password → Expected: the dashboard opens",
    )
    + case(
        "Login",
        "Log in with a wrong password",
        "test_wrong_password",
        "Step 1: Submit a wrong password → Expected: an error is shown",
    )
)


async def test_a_valid_llm_module_is_used(router: respx.Router, client: LLMClient) -> None:
    route = router.post("/chat/completions").mock(return_value=answer(f"```python\n{IMPROVED}```"))

    result = await manual_cases("Login", DESCRIPTION, client)

    assert result == ManualResult(IMPROVED, True, "llm")
    prompt = json.loads(route.calls.last.request.content)["messages"][1]["content"]
    assert "- can log in" in prompt and "def test_can_log_in() -> None:" in prompt


async def test_an_llm_module_without_allure_manual_falls_back(
    router: respx.Router, client: LLMClient
) -> None:
    automated = IMPROVED.replace("@allure.manual\n", "")
    router.post("/chat/completions").mock(return_value=answer(f"```python\n{automated}```"))

    result = await manual_cases("Login", DESCRIPTION, client)

    assert result == ManualResult(
        BASELINE, False, "fallback: invalid code: 2 findings (missing-label)"
    )


async def test_an_llm_timeout_falls_back(router: respx.Router, client: LLMClient) -> None:
    router.post("/chat/completions").mock(side_effect=httpx.ReadTimeout)

    result = await manual_cases("Login", DESCRIPTION, client)

    assert (result.source, result.used_llm) == (BASELINE, False)
    assert result.reason.startswith("fallback: timeout")
