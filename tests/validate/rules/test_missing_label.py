"""missing-label fires on unlabelled tests and sees inherited, aliased and dynamic labels."""

from bot.validate.rules.missing_label import MESSAGE
from tests.validate.support import lines, run


def test_fires_per_missing_label_on_the_test_name() -> None:
    source = """\
        import allure

        @allure.feature("Users")
        def test_get(api):
            pass
    """
    assert run("missing-label", source) == [
        ("missing-label", 4, 5, MESSAGE.format(test="test_get", label="story")),
        ("missing-label", 4, 5, MESSAGE.format(test="test_get", label="title")),
    ]


def test_silent_with_aliases_and_from_imports() -> None:
    source = """\
        import allure as a
        from allure import story, title as t

        @a.feature("Users")
        @story("GET /users")
        @t("Get users")
        def test_get(api):
            pass
    """
    assert run("missing-label", source) == []


def test_class_decorators_and_pytestmark_are_inherited() -> None:
    source = """\
        import allure
        import pytest

        pytestmark = [allure.feature("Users"), pytest.mark.slow]

        @allure.story("GET /users")
        class TestUsers:
            @allure.title("Get users")
            def test_get(self, api):
                pass

        class TestOther:
            pytestmark = allure.story("POST /users")

            @allure.title("Create user")
            async def test_post(self, api):
                pass
    """
    assert run("missing-label", source) == []


def test_title_is_not_inherited_from_the_class() -> None:
    source = """\
        import allure

        @allure.feature("F")
        @allure.story("S")
        @allure.title("Class title")
        class TestUsers:
            def test_get(self, api):
                pass
    """
    assert lines("missing-label", source) == [7]


def test_dynamic_labels_in_the_body_count() -> None:
    source = """\
        import allure

        async def test_get(api):
            allure.dynamic.feature("Users")
            allure.dynamic.story("GET /users")
            allure.dynamic.title("Get users")
    """
    assert run("missing-label", source) == []


def test_generic_label_and_configured_labels() -> None:
    source = """\
        import allure

        @allure.label("owner", "team-a")
        def test_owned():
            pass

        def test_orphan():
            pass
    """
    assert lines("missing-label", source, required_labels=["owner"]) == [7]


def test_only_collected_tests_are_checked() -> None:
    source = """\
        def helper_test():
            pass

        class TestWithInit:
            def __init__(self):
                pass

            def test_not_collected(self):
                pass

        class Helper:
            def test_not_collected_either(self):
                pass
    """
    assert run("missing-label", source) == []


def test_labels_of_another_module_named_allure_do_not_count() -> None:
    source = """\
        import mylib as allure_like
        from reporting import feature, story, title

        @feature("Users")
        @story("S")
        @title("T")
        def test_get():
            pass
    """
    assert lines("missing-label", source) == [7, 7, 7]


def test_label_type_members_name_the_label() -> None:
    # allure-python's own style: `allure.label(LabelType.FEATURE, ...)`
    source = """\
        import allure
        from allure_commons.types import LabelType
        from allure_commons import types

        @allure.title("Get users")
        @allure.label(LabelType.FEATURE, "Users")
        def test_get(api):
            allure.dynamic.label(types.LabelType.STORY, "GET /users")
    """
    assert lines("missing-label", source) == []


def test_label_type_of_another_module_does_not_count() -> None:
    source = """\
        import allure
        from mylib import LabelType

        @allure.title("Get users")
        @allure.story("GET /users")
        @allure.label(LabelType.FEATURE, "Users")
        def test_get(api):
            pass
    """
    assert lines("missing-label", source) == [7]
