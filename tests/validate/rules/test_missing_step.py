"""missing-step fires on tests without an Allure step, resolving aliases and step helpers."""

from bot.validate.rules.missing_step import MESSAGE
from tests.validate.support import run


def test_fires_on_a_test_without_steps() -> None:
    source = """\
        def test_get(api):
            assert api.get("/users").status_code == 200
    """
    assert run("missing-step", source) == [("missing-step", 1, 5, MESSAGE.format(test="test_get"))]


def test_silent_with_aliased_step_context_managers() -> None:
    source = """\
        import allure as a
        from allure import step

        def test_one(api):
            with a.step("Act"):
                api.get("/users")

        class TestUsers:
            async def test_two(self, api):
                if True:
                    with step("Act"):
                        await api.get("/users")
    """
    assert run("missing-step", source) == []


def test_calling_a_step_decorated_helper_counts() -> None:
    source = """\
        import allure

        @allure.step("Create the user")
        def create_user(api):
            return api.post("/users")

        class TestUsers:
            @allure.step
            def fetch(self, api):
                return api.get("/users")

            def test_method_helper(self, api):
                self.fetch(api)

        def test_function_helper(api):
            create_user(api)
    """
    assert run("missing-step", source) == []


def test_a_step_of_another_library_does_not_count() -> None:
    source = """\
        from mylib import step

        def test_get(api):
            with step("Act"):
                api.get("/users")
    """
    assert [line for _, line, _, _ in run("missing-step", source)] == [3]


def test_calling_a_helper_that_opens_a_step_counts() -> None:
    # allure-python's examples: `with allure.step` inside a plain helper the test calls
    source = """\
        import allure

        def log_in(api, user):
            with allure.step(f"Log in as {user}"):
                return api.post("/login", json={"user": user})

        class TestUsers:
            def fetch(self, api):
                with allure.step("Fetch the users"):
                    return api.get("/users")

            def test_method_helper(self, api):
                self.fetch(api)

        def test_function_helper(api):
            log_in(api, "alice")
    """
    assert run("missing-step", source) == []


def test_a_helper_without_a_step_does_not_count() -> None:
    source = """\
        import allure

        def log_in(api):
            return api.post("/login")

        def test_function_helper(api):
            log_in(api)
    """
    assert [line for _, line, _, _ in run("missing-step", source)] == [6]
