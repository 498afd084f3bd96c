"""Coverage figures, the change an MR makes, the section and the commit status."""

from __future__ import annotations

from bot.analysis.coverage import CoverageDelta, CoverageReport, coverage_report
from bot.analysis.coverage_render import (
    BELOW_THRESHOLD,
    NEW_UNTESTED,
    coverage_markdown,
    coverage_status,
)
from bot.analysis.testmap import build_test_map
from bot.scan.model import Endpoint

TESTS = {
    "test_pets.py": (
        "def test_list(api):\n    assert api.get('/pets').status_code == 200\n\n"
        "def test_missing(api):\n    assert api.get('/pets/0').status_code == 404\n"
    )
}


def _endpoint(method: str, path: str, tag: str = "pets") -> Endpoint:
    return Endpoint(method=method, path=path, framework="fastapi", file="a.py", line=1, tags=[tag])


def _report(endpoints: list[Endpoint], tests: dict[str, str] = TESTS) -> CoverageReport:
    return coverage_report(endpoints, build_test_map(tests, endpoints))


TARGET = [_endpoint("GET", "/pets"), _endpoint("GET", "/pets/{id}")]
SOURCE = [*TARGET, _endpoint("POST", "/pets"), _endpoint("GET", "/owners", "owners")]


def test_figures_by_method_feature_and_kind() -> None:
    report = _report(SOURCE)
    assert (report.total, report.covered, report.percent) == (4, 2, 50.0)
    assert report.by_method["GET"].covered == 2 and report.by_method["POST"].covered == 0
    assert report.by_feature["owners"].percent == 0.0
    assert report.by_kind["negative"].covered == 1  # GET /pets/{id} by test_missing
    assert report.by_kind["happy"].covered == 1


def test_the_change_names_endpoints_added_without_tests() -> None:
    delta = CoverageDelta(_report(TARGET), _report(SOURCE))
    assert delta.change == -50.0
    assert [(e.method, e.path) for e in delta.added_untested] == [
        ("GET", "/owners"),
        ("POST", "/pets"),
    ]
    section = coverage_markdown(delta.after, delta, "main")
    assert NEW_UNTESTED.format(n=2) in section
    assert section.index("- `GET /owners`") < section.index("<details>")


def test_the_status_fails_below_the_threshold_or_on_a_drop_when_asked() -> None:
    delta = CoverageDelta(_report(TARGET), _report(SOURCE))
    assert coverage_status(delta.after, delta, None, False, "main")[0] == "success"
    state, description = coverage_status(delta.after, delta, 60, False, "main")
    assert state == "failed" and BELOW_THRESHOLD.format(threshold="60.0") in description
    assert description.startswith("50.0 % of 4 endpoints tested (−50.0 vs main)")
    assert coverage_status(delta.after, delta, None, True, "main")[0] == "failed"


def test_a_long_section_is_cut_below_its_budget_with_a_note() -> None:
    many = [_endpoint("GET", f"/things{n}/{{id}}", f"feature{n}") for n in range(2000)]
    section = coverage_markdown(_report(many), budget=20_000)
    assert len(section) <= 20_000
    assert "more; `testgen coverage` on a checkout lists them all" in section
    assert section.startswith("#### Test coverage\n\n**0.0 %**")
