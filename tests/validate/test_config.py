"""The `validate:` section of `.testgen.yml`: defaults, overrides, clear errors."""

from pathlib import Path

import pytest

from bot.validate.config import ConfigError, ValidateConfig, load_config, parse_config


def test_missing_section_gives_defaults() -> None:
    assert parse_config("llm: false\n") == ValidateConfig()
    assert parse_config("") == ValidateConfig()


def test_section_overrides_fields() -> None:
    config = parse_config(
        "validate:\n  required_labels: [feature, owner]\n  rules: {hardcoded-url: false}\n"
    )
    assert config.required_labels == ["feature", "owner"]
    assert not config.enabled("hardcoded-url") and config.enabled("missing-step")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("validate: [1, 2]\n", "`validate` must be a mapping"),
        ("validate:\n  required_label: [x]\n", "validate.required_label"),
        ("validate:\n  severities: {missing-step: urgent}\n", "validate.severities.missing-step"),
        ("validate: {\n", "not valid YAML"),
        ("- a\n", "mapping at the top level"),
    ],
)
def test_bad_configs_say_what_is_wrong(text: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected.replace("[", r"\[")):
        parse_config(text)


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "absent.yml")
