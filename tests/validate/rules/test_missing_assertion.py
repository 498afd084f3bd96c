"""missing-assertion fires on tests that check nothing."""

from bot.validate.rules.missing_assertion import MESSAGE
from tests.validate.support import lines, run


def test_fires_on_a_test_without_assertions() -> None:
    source = """\
        import pytest

        @pytest.mark.parametrize("uid", [1, 2])
        async def test_get(api, uid):
            await api.get(f"/users/{uid}")
    """
    assert run("missing-assertion", source) == [
        ("missing-assertion", 4, 11, MESSAGE.format(test="test_get"))
    ]


def test_assert_raises_and_assert_methods_count() -> None:
    source = """\
        import pytest as pt
        from pytest import raises

        def test_assert(api):
            assert api.get("/").status_code == 200

        def test_raises(api):
            with pt.raises(ValueError):
                api.get("/")

        def test_raises_from_import(api):
            with raises(ValueError):
                api.get("/")

        def test_hamcrest(api):
            assert_that(api.get("/").status_code, equal_to(200))

        def test_mock(api):
            api.get.assert_called_once()
    """
    assert run("missing-assertion", source) == []


def test_configured_helpers_and_asserting_local_helpers_count() -> None:
    source = """\
        def expect_ok(response):
            assert response.status_code == 200

        def test_configured(api):
            check_status(api.get("/"), 200)

        def test_dotted(api):
            checks.verify(api.get("/"))

        def test_local(api):
            expect_ok(api.get("/"))

        def test_unknown(api):
            verify(api.get("/"))
    """
    found = lines("missing-assertion", source, assertion_helpers=["check_status", "checks.verify"])
    assert found == [13]


def test_manual_cases_need_no_assertion_but_automated_neighbours_still_do() -> None:
    source = """\
        import allure

        @allure.manual
        def test_checked_by_a_person():
            with allure.step("Open the page → Expected: it loads"):
                pass

        @allure.manual
        class TestManual:
            def test_inherited(self):
                pass

        def test_automated(api):
            api.get("/")
    """
    assert run("missing-assertion", source) == [
        ("missing-assertion", 13, 5, MESSAGE.format(test="test_automated"))
    ]
