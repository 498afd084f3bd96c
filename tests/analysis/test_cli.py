"""`testgen coverage` and `testgen duplicates` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main

FIXTURES = Path(__file__).parents[1] / "fixtures"
PETSHOP = FIXTURES / "coverage" / "petshop"


def test_coverage_json_has_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["coverage", str(PETSHOP), "--tests", str(PETSHOP / "tests"), "--format", "json"]) == 0
    )
    report = json.loads(capsys.readouterr().out)
    assert (report["total"], report["covered"], report["percent"]) == (15, 11, 73.3)
    assert report["by_method"]["DELETE"] == {"total": 2, "covered": 1, "percent": 50.0}
    assert report["by_feature"]["store"] == {"total": 3, "covered": 0, "percent": 0.0}
    assert {"method": "POST", "path": "/api/v1/store/orders"} in report["uncovered"]
    assert len(report["uncovered"]) == 4


def test_coverage_fails_under_a_threshold(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["coverage", str(PETSHOP), "--tests", str(PETSHOP / "tests"), "--fail-under", "80"]
    assert main(args) == 1
    assert "73.3 % is below --fail-under 80.0 %" in capsys.readouterr().err


def test_coverage_markdown_and_table_name_the_untested(capsys: pytest.CaptureFixture[str]) -> None:
    for fmt, line in (
        ("markdown", "- `GET /api/v1/store/inventory`"),
        ("table", "GET     /api/v1/store/inventory"),
    ):
        assert (
            main(["coverage", str(PETSHOP), "--tests", str(PETSHOP / "tests"), "--format", fmt])
            == 0
        )
        assert line in capsys.readouterr().out


def test_coverage_of_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    assert main(["coverage", str(PETSHOP), "--tests", str(tmp_path / "nope")]) == 2


def test_duplicates_json_has_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["duplicates", str(FIXTURES / "duplicates"), "--format", "json"]) == 0
    groups = json.loads(capsys.readouterr().out)["groups"]
    assert set(groups[0]) == {"tests", "similarity"}
    assert all(0.85 <= g["similarity"] <= 1.0 for g in groups)
    assert len(groups) == 2


def test_duplicates_threshold_must_be_a_similarity() -> None:
    with pytest.raises(SystemExit):
        main(["duplicates", str(FIXTURES / "duplicates"), "--threshold", "3"])
