"""empty-step-title fires on blank step titles in any form."""

from bot.validate.rules.empty_step_title import MESSAGE
from tests.validate.support import run


def test_fires_on_blank_titles() -> None:
    source = """\
        import allure
        from allure import step

        @step("  ")
        def helper():
            pass

        def test_a():
            with allure.step(""):
                pass
            with step(f""):
                pass
    """
    assert run("empty-step-title", source) == [
        ("empty-step-title", 4, 7, MESSAGE),
        ("empty-step-title", 9, 22, MESSAGE),
        ("empty-step-title", 11, 15, MESSAGE),
    ]


def test_silent_on_titles_and_bare_decorators() -> None:
    source = """\
        import allure

        @allure.step
        def helper():
            pass

        def test_a(name):
            with allure.step("Act"):
                pass
            with allure.step(f"{name}"):
                pass
    """
    assert run("empty-step-title", source) == []
