"""The public entry points: sources, paths, config overrides, star imports."""

from pathlib import Path

from bot.validate.api import validate_paths, validate_source
from bot.validate.config import ValidateConfig

SOURCE = """\
from allure import *


@feature("F")
@story("S")
@title("T")
def test_x(api):
    with step("Act"):
        r = api.get("/x")
    with step("Assert"):
        assert r.status_code == 200
"""


def test_star_import_from_allure_resolves() -> None:
    assert validate_source(SOURCE, "tests/test_x.py") == []


def test_severity_overrides_apply() -> None:
    source = "def test_x():\n    assert True\n"
    config = ValidateConfig(severities={"missing-step": "blocker"}, required_labels=[])
    found = validate_source(source, "t.py", config)
    assert [(f.rule, f.severity) for f in found] == [("missing-step", "blocker")]


def test_validate_paths_counts_files_and_sorts_findings(tmp_path: Path) -> None:
    (tmp_path / "test_b.py").write_text("def test_b():\n    assert True\n")
    (tmp_path / "test_a.py").write_text(SOURCE)
    report = validate_paths([tmp_path], ValidateConfig(required_labels=[]))
    assert report.files == 2
    assert report.paths == tuple((tmp_path / n).as_posix() for n in ("test_a.py", "test_b.py"))
    assert [(Path(f.file).name, f.rule, f.line) for f in report.findings] == [
        ("test_b.py", "missing-step", 1)
    ]
