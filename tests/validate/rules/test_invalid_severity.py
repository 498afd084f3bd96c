"""invalid-severity fires on strings and members allure does not know, through aliases."""

from bot.validate._allure import SEVERITY_MEMBERS
from bot.validate.rules.invalid_severity import MESSAGE
from tests.validate.support import run

CHOICES = ", ".join(SEVERITY_MEMBERS)


def test_fires_on_a_misspelt_string_and_an_unknown_member() -> None:
    source = """\
        import allure

        @allure.severity("hgih")
        def test_a():
            pass

        @allure.severity(allure.severity_level.HIGHEST)
        def test_b():
            pass
    """
    assert run("invalid-severity", source) == [
        ("invalid-severity", 3, 18, MESSAGE.format(value="hgih", choices=CHOICES)),
        (
            "invalid-severity",
            7,
            18,
            MESSAGE.format(value="severity_level.HIGHEST", choices=CHOICES),
        ),
    ]


def test_resolves_aliases_pytestmark_and_dynamic_calls() -> None:
    source = """\
        import allure as a
        from allure import severity_level as level
        from allure_commons.types import Severity

        pytestmark = a.severity(level.URGENT)

        def test_dynamic():
            a.dynamic.severity(Severity.MAJOR)
            a.label("severity", "huge")
    """
    assert [(line, col) for _, line, col, _ in run("invalid-severity", source)] == [
        (5, 25),
        (8, 24),
        (9, 25),
    ]


def test_silent_on_valid_severities() -> None:
    source = """\
        import allure
        from allure import severity_level

        @allure.severity(allure.severity_level.CRITICAL)
        @allure.severity("minor")
        def test_a():
            allure.dynamic.severity(severity_level.TRIVIAL)

        class Levels:
            HIGHEST = 1

        def test_b():
            assert Levels.HIGHEST
    """
    assert run("invalid-severity", source) == []
