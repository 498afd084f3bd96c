"""duplicate-title fires on a title used twice in one module."""

from bot.validate.rules.duplicate_title import MESSAGE
from tests.validate.support import run


def test_fires_on_the_second_use() -> None:
    source = """\
        import allure as a

        @a.title("Get user")
        def test_one():
            pass

        class TestUsers:
            @a.title("Get  USER")
            def test_two(self):
                pass
    """
    message = MESSAGE.format(title="Get  USER", other="test_one")
    assert run("duplicate-title", source) == [("duplicate-title", 8, 6, message)]


def test_silent_on_distinct_titles() -> None:
    source = """\
        import allure

        @allure.title("Get user")
        def test_one():
            pass

        @allure.title("Get users")
        def test_two():
            pass
    """
    assert run("duplicate-title", source) == []
