"""Code Quality report: GitLab's required fields, fingerprints stable across runs and shifts."""

import json
from pathlib import Path

from bot.validate.api import validate_paths
from bot.validate.formats.codequality import render_codequality

SOURCE = """\
import allure


def test_one(api):
    api.get("/a")


def test_two(api):
    api.get("/b")
"""


def _issues(directory: Path) -> list[dict[str, object]]:
    issues: list[dict[str, object]] = json.loads(render_codequality(validate_paths([directory])))
    return issues


def test_every_issue_has_the_fields_gitlab_requires(tmp_path: Path) -> None:
    (tmp_path / "test_a.py").write_text(SOURCE)
    issues = _issues(tmp_path)
    assert len(issues) == 10  # 2 tests × (3 labels + step + assertion)
    for issue in issues:
        assert isinstance(issue["description"], str) and issue["description"]
        assert isinstance(issue["check_name"], str)
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        location = issue["location"]
        assert isinstance(location, dict)
        assert location["path"] == (tmp_path / "test_a.py").as_posix()
        assert isinstance(location["lines"]["begin"], int)
    fingerprints = [issue["fingerprint"] for issue in issues]
    assert len(set(fingerprints)) == len(fingerprints)


def test_fingerprints_are_the_same_on_a_second_run(tmp_path: Path) -> None:
    (tmp_path / "test_a.py").write_text(SOURCE)
    first = [issue["fingerprint"] for issue in _issues(tmp_path)]
    assert [issue["fingerprint"] for issue in _issues(tmp_path)] == first


def test_fingerprints_survive_unrelated_line_shifts(tmp_path: Path) -> None:
    path = tmp_path / "test_a.py"
    path.write_text(SOURCE)
    before = {issue["fingerprint"]: issue for issue in _issues(tmp_path)}
    path.write_text("\n" + SOURCE)
    after = {issue["fingerprint"]: issue for issue in _issues(tmp_path)}
    assert set(after) == set(before)
    for fingerprint, issue in after.items():
        assert issue["location"]["lines"]["begin"] == (  # type: ignore[index]
            before[fingerprint]["location"]["lines"]["begin"] + 1  # type: ignore[index]
        )


def test_identical_findings_in_one_test_get_distinct_fingerprints() -> None:
    from bot.validate.api import Finding
    from bot.validate.formats.codequality import codequality_issues

    twice = [
        Finding("hardcoded-url", "t.py", line, 5, "minor", "same", "test_x") for line in (3, 4)
    ]
    first, second = codequality_issues(twice)
    assert first["fingerprint"] != second["fingerprint"]
