"""aaa-order fires on phases out of order and assertions outside their place."""

from bot.validate.rules.aaa_order import EARLY_MESSAGE, OUTSIDE_MESSAGE, STEP_MESSAGE
from tests.validate.support import run


def test_silent_on_arrange_act_assert_and_given_when_then() -> None:
    source = """\
        import allure
        from allure import step as s

        def test_aaa(api):
            with allure.step("Arrange: payload"):
                payload = {}
            with allure.step("act: create"):
                response = api.post("/users", json=payload)
            with allure.step("ASSERT: created"):
                assert response.status_code == 201

        class TestBdd:
            async def test_gwt(self, api):
                with s("Given a user"):
                    pass
                with s("When it is fetched"):
                    with s("send request"):
                        r = await api.get("/users/1")
                with s("Then it is returned"):
                    assert r.status_code == 200
    """
    assert run("aaa-order", source) == []


def test_raises_inside_the_act_step_is_part_of_the_act() -> None:
    source = """\
        import allure, pytest

        def test_negative(api):
            with allure.step("Act"):
                with pytest.raises(ValueError):
                    api.get("/")
            with allure.step("Assert"):
                assert True
    """
    assert run("aaa-order", source) == []


def test_fires_on_an_assertion_before_the_act_step() -> None:
    source = """\
        import allure

        def test_early(api):
            with allure.step("Arrange"):
                assert api is not None
            with allure.step("Act"):
                api.get("/")
    """
    assert run("aaa-order", source) == [
        ("aaa-order", 5, 9, EARLY_MESSAGE.format(test="test_early"))
    ]


def test_fires_on_an_assertion_outside_steps_after_them() -> None:
    source = """\
        import allure

        def test_outside(api):
            with allure.step("Act"):
                r = api.get("/")
            assert r.status_code == 200
    """
    assert run("aaa-order", source) == [
        ("aaa-order", 6, 5, OUTSIDE_MESSAGE.format(test="test_outside"))
    ]


def test_fires_on_a_phase_going_backwards() -> None:
    source = """\
        import allure

        def test_backwards(api):
            with allure.step("Act: call"):
                r = api.get("/")
            with allure.step("Arrange: too late"):
                pass
    """
    message = STEP_MESSAGE.format(title="Arrange: too late", phase="arrange", previous="act")
    assert run("aaa-order", source) == [("aaa-order", 6, 10, message)]


def test_tests_without_phase_steps_are_out_of_scope() -> None:
    source = """\
        import allure

        def test_free(api):
            assert api
            with allure.step("Fetch users"):
                api.get("/")
            assert True
    """
    assert run("aaa-order", source) == []
