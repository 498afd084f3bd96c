"""Autofix: before/after pairs, idempotence, fixed files pass, formatting kept elsewhere."""

import textwrap

import pytest

from bot.validate.api import fix_source, validate_source
from bot.validate.rules.missing_label import MESSAGE as LABEL_MESSAGE
from bot.validate.rules.missing_step import MESSAGE as STEP_MESSAGE

BEFORE = '''\
"""User tests."""
import pytest  # keep this comment


class TestUserProfile:
    # fetch one user
    def test_get_user(self, api, user_id):
        """Docstring stays."""
        params = {"verbose": True}  # keep me

        response = api.get(f"/users/{user_id}", params=params)
        body = response.json()
        assert response.status_code == 200
        assert body["id"] == user_id


@pytest.mark.parametrize("name", ["a", "b"])
async def test_create_user(api, name):
    response = await api.post("/users", json={"name": name})
    assert response.status_code == 201
'''

AFTER = '''\
"""User tests."""
import allure
import pytest  # keep this comment


class TestUserProfile:
    # fetch one user
    @allure.feature("User Profile")
    @allure.story("GET /users/{user_id}")
    @allure.title("Get user")
    def test_get_user(self, api, user_id):
        """Docstring stays."""
        with allure.step("Arrange: prepare the request"):
            params = {"verbose": True}  # keep me

        with allure.step("Act: GET /users/{user_id}"):
            response = api.get(f"/users/{user_id}", params=params)
        with allure.step("Assert: check the response"):
            body = response.json()
            assert response.status_code == 200
            assert body["id"] == user_id


@allure.feature("Users")
@allure.story("POST /users")
@allure.title("Create user")
@pytest.mark.parametrize("name", ["a", "b"])
async def test_create_user(api, name):
    with allure.step("Act: POST /users"):
        response = await api.post("/users", json={"name": name})
    with allure.step("Assert: check the response"):
        assert response.status_code == 201
'''


def test_adds_labels_import_and_steps() -> None:
    assert fix_source(BEFORE, "tests/test_users.py") == AFTER


def test_fixed_file_passes_and_a_second_run_is_a_no_op() -> None:
    assert validate_source(AFTER, "tests/test_users.py") == []
    assert fix_source(AFTER, "tests/test_users.py") == AFTER


def test_uses_the_existing_alias_and_keeps_present_labels() -> None:
    before = textwrap.dedent(
        """\
        import allure as a


        @a.feature("Accounts")
        def test_delete_account(client):
            with a.step("Act"):
                r = client.delete("/accounts/1")
            assert r.status_code == 204
        """
    )
    after = textwrap.dedent(
        """\
        import allure as a


        @a.feature("Accounts")
        @a.story("DELETE /accounts/1")
        @a.title("Delete account")
        def test_delete_account(client):
            with a.step("Act"):
                r = client.delete("/accounts/1")
            assert r.status_code == 204
        """
    )
    assert fix_source(before, "tests/test_accounts.py") == after


@pytest.mark.parametrize(
    "body",
    [
        # two API calls: which one is the Act?
        'api.post("/users", json={})\n    r = api.get("/users")\n    assert r.status_code == 200\n',
        # a compound statement
        'r = api.get("/users")\n    if r:\n        assert r.status_code == 200\n',
        # an assertion before the call
        'assert api\n    r = api.get("/users")\n    assert r.status_code == 200\n',
        # something other than assertions after the call
        'r = api.get("/users")\n    print(r)\n    assert r.status_code == 200\n',
    ],
)
def test_leaves_ambiguous_bodies_unwrapped(body: str) -> None:
    source = (
        f'import allure\n\n\n@allure.feature("F")\n@allure.story("S")\n'
        f'@allure.title("T")\ndef test_x(api):\n    {body}'
    )
    assert fix_source(source, "tests/test_x.py") == source


def test_what_cannot_be_derived_is_still_reported() -> None:
    source = 'def test_two_calls(api):\n    api.post("/a")\n    api.get("/b")\n    assert True\n'
    fixed = fix_source(source, "tests/test_x.py")
    assert [(f.rule, f.message) for f in validate_source(fixed, "t.py")] == [
        ("missing-label", LABEL_MESSAGE.format(test="test_two_calls", label="story")),
        ("missing-step", STEP_MESSAGE.format(test="test_two_calls")),
    ]


def test_duplicate_derived_titles_are_disambiguated_by_class() -> None:
    source = textwrap.dedent(
        """\
        import allure


        @allure.title("Get user")
        def test_get_user_plain(api):
            pass


        class TestAdmins:
            def test_get_user(self, api):
                pass
        """
    )
    fixed = fix_source(source, "tests/test_users.py")
    assert '@allure.title("Admins: Get user")' in fixed
    assert [f for f in validate_source(fixed, "t.py") if f.rule == "duplicate-title"] == []


def test_broken_source_is_returned_unchanged() -> None:
    assert fix_source("def test_x(:\n", "t.py") == "def test_x(:\n"


def test_the_import_goes_where_isort_would_put_it() -> None:
    source = (
        "import json\n\nimport httpx\nfrom jsonschema import validate\n\n"
        "from .helpers import build\n\n\ndef test_get(api):\n"
        '    response = api.get("/pets")\n    assert response.status_code == 200\n'
    )
    fixed = fix_source(source, "tests/test_pets.py")
    head = fixed.split("\n\n\n", 1)[0]
    assert head == (
        "import json\n\nimport allure\nimport httpx\nfrom jsonschema import validate\n\n"
        "from .helpers import build"
    )


def test_the_story_of_a_test_with_an_arrange_call_is_the_act_steps_endpoint() -> None:
    source = textwrap.dedent(
        """\
        import allure


        @allure.feature("Pets")
        @allure.title("A created pet can be read")
        def test_read_pet(api):
            with allure.step("Arrange: create a pet"):
                pet_id = api.post("/pets", json={"name": "Rex"}).json()["id"]
            with allure.step("Act: read it"):
                response = api.get(f"/pets/{pet_id}")
            with allure.step("Assert: it is there"):
                assert response.status_code == 200
        """
    )
    fixed = fix_source(source, "tests/test_pets.py")
    assert '@allure.story("GET /pets/{pet_id}")\ndef test_read_pet' in fixed
    assert fix_source(fixed, "tests/test_pets.py") == fixed


def test_without_an_act_step_two_endpoints_leave_the_story_unset() -> None:
    source = textwrap.dedent(
        """\
        import allure


        @allure.feature("Pets")
        @allure.title("Two calls")
        def test_two(api):
            with allure.step("Arrange: two calls"):
                api.post("/pets")
                api.get("/pets")
            with allure.step("Assert: nothing"):
                assert True
        """
    )
    assert "allure.story" not in fix_source(source, "tests/test_pets.py")


def test_tests_labelled_dynamically_get_a_dynamic_story() -> None:
    source = textwrap.dedent(
        """\
        import allure


        def test_read_pet(api):
            allure.dynamic.feature("Pets")
            allure.dynamic.title("A created pet can be read")
            with allure.step("Arrange: create a pet"):
                pet_id = api.post("/pets", json={"name": "Rex"}).json()["id"]
            with allure.step("Act: read it"):
                response = api.get(f"/pets/{pet_id}")
            with allure.step("Assert: it is there"):
                assert response.status_code == 200
        """
    )
    fixed = fix_source(source, "tests/test_pets.py")
    expected = (
        '    allure.dynamic.title("A created pet can be read")\n'
        '    allure.dynamic.story("GET /pets/{pet_id}")\n'
        '    with allure.step("Arrange: create a pet"):\n'
    )
    assert expected in fixed
    assert "@allure.story" not in fixed
    assert validate_source(fixed, "tests/test_pets.py") == []
    assert fix_source(fixed, "tests/test_pets.py") == fixed
