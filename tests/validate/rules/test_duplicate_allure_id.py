"""duplicate-allure-id fires on one id used by several tests, within a file or a suite."""

import textwrap
from pathlib import Path

from bot.validate.api import validate_paths
from bot.validate.rules.duplicate_allure_id import MESSAGE
from tests.validate.support import only, run

FIRST = """\
import allure

@allure.id("101")
def test_one():
    pass

@allure.id(102)
def test_two():
    pass
"""

SECOND = """\
import allure as a

class TestUsers:
    def test_three(self):
        a.dynamic.id("101")
"""


def test_fires_within_one_file() -> None:
    source = """\
        import allure

        @allure.id("7")
        def test_one():
            pass

        @allure.id(7)
        def test_two():
            pass
    """
    message = MESSAGE.format(value="7", other="tests/test_sample.py::test_one")
    assert run("duplicate-allure-id", source) == [("duplicate-allure-id", 7, 12, message)]


def test_fires_across_files_of_a_suite(tmp_path: Path) -> None:
    (tmp_path / "test_a.py").write_text(FIRST)
    (tmp_path / "test_b.py").write_text(SECOND)
    report = validate_paths([tmp_path], only("duplicate-allure-id"))
    first = (tmp_path / "test_a.py").as_posix()
    assert [(f.file, f.line, f.column, f.message) for f in report.findings] == [
        (
            (tmp_path / "test_b.py").as_posix(),
            5,
            22,
            MESSAGE.format(value="101", other=f"{first}::test_one"),
        )
    ]


def test_silent_on_distinct_ids() -> None:
    assert run("duplicate-allure-id", textwrap.dedent(FIRST)) == []
