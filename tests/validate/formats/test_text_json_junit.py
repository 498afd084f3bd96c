"""Text, JSON and JUnit renderings of a report."""

import json
import xml.etree.ElementTree as ET

from bot.validate.api import Finding, ValidationReport
from bot.validate.formats.json_report import render_json
from bot.validate.formats.junit import render_junit
from bot.validate.formats.text import render_text

FINDING = Finding("missing-step", "tests/test_a.py", 4, 5, "minor", "no step", "test_x")
REPORT = ValidationReport(2, [FINDING], ("tests/test_a.py", "tests/test_b.py"))


def test_text_is_one_line_per_finding() -> None:
    assert render_text(REPORT) == "tests/test_a.py:4:5 missing-step no step\n"


def test_json_carries_the_file_count_and_the_finding_fields() -> None:
    assert json.loads(render_json(REPORT)) == {
        "files": 2,
        "findings": [
            {
                "rule": "missing-step",
                "file": "tests/test_a.py",
                "line": 4,
                "column": 5,
                "severity": "minor",
                "message": "no step",
            }
        ],
    }


def test_junit_has_a_case_per_file_failing_with_findings() -> None:
    root = ET.fromstring(render_junit(REPORT))
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")
    cases = {case.get("name"): case.find("failure") for case in suite.iter("testcase")}
    assert set(cases) == {"tests/test_a.py", "tests/test_b.py"}
    failing = cases["tests/test_a.py"]
    assert failing is not None and "4:5 missing-step [minor] no step" in (failing.text or "")
    assert cases["tests/test_b.py"] is None
