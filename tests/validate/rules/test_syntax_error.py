"""syntax-error: a broken file is a finding with its position, never a crash."""

from pathlib import Path

from bot.validate.api import validate_paths, validate_source
from bot.validate.rules import syntax_error


def test_a_parse_error_is_reported_where_it_is() -> None:
    found = validate_source("import allure\n\ndef test_x(:\n    pass\n", "tests/test_bad.py")
    assert [(f.rule, f.line, f.severity) for f in found] == [
        (syntax_error.ID, 3, syntax_error.SEVERITY)
    ]
    assert found[0].message.startswith("cannot parse:")


def test_binary_and_undecodable_files_are_findings(tmp_path: Path) -> None:
    (tmp_path / "test_binary.py").write_bytes(b"\x00\x01\x02")
    (tmp_path / "test_latin.py").write_bytes(b"x = '\xe9'\n")
    report = validate_paths([tmp_path])
    assert [(Path(f.file).name, f.rule) for f in report.findings] == [
        ("test_binary.py", syntax_error.ID),
        ("test_latin.py", syntax_error.ID),
    ]
    assert all(f.message.startswith("cannot read the file:") for f in report.findings)


def test_a_declared_encoding_is_honoured(tmp_path: Path) -> None:
    (tmp_path / "test_latin.py").write_bytes(b"# -*- coding: latin-1 -*-\nx = '\xe9'\n")
    assert validate_paths([tmp_path]).findings == []


def test_it_can_be_switched_off() -> None:
    from tests.validate.support import only

    found = validate_source("def (:\n", "t.py", only("missing-label"))
    assert found == []
