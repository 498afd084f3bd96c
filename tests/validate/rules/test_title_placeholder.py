"""title-placeholder fires on `{name}` that is neither a parameter nor a fixture."""

from bot.validate.rules.title_placeholder import MESSAGE
from tests.validate.support import run


def test_fires_on_an_unknown_placeholder() -> None:
    source = """\
        import allure

        @allure.title("Get user {user_id}")
        def test_get(api):
            pass
    """
    message = MESSAGE.format(name="user_id", test="test_get")
    assert run("title-placeholder", source) == [("title-placeholder", 3, 15, message)]


def test_parametrize_fixtures_and_param_id_are_parameters() -> None:
    source = """\
        import allure
        import pytest

        pytestmark = pytest.mark.parametrize("region", ["eu"])

        @pytest.mark.parametrize("user_id, role", [(1, "a")])
        class TestUsers:
            @allure.title("Get {user_id} as {role} in {region} on {api.base_url} ({param_id})")
            @pytest.mark.parametrize(("page",), [(1,)])
            async def test_get(self, api, page):
                pass

            @allure.title("Page {page[0]} with {token}")
            @pytest.mark.usefixtures("token")
            @pytest.mark.parametrize(argnames="page", argvalues=[[1]])
            def test_page(self, page):
                pass
    """
    assert run("title-placeholder", source) == []


def test_fires_on_positional_fields_and_resolves_aliases() -> None:
    source = """\
        from allure import title as t

        @t("Item {}")
        def test_item():
            pass
    """
    message = MESSAGE.format(name="", test="test_item")
    assert run("title-placeholder", source) == [("title-placeholder", 3, 4, message)]
