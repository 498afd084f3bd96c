"""The `.testgen.yml` loader on any text and any YAML: a config or a `ConfigError`, nothing else."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.repo_config import RepoConfig, parse_repo_config
from bot.validate.config import ConfigError

KEYS = ["tests_dir", "generate", "validate", "limits", "on_push", "llm", "kinds", "x"]
SCALARS = st.none() | st.booleans() | st.integers() | st.text(max_size=12)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)


def load(text: str | None) -> RepoConfig | ConfigError:
    try:
        return parse_repo_config(text)
    except ConfigError as error:
        return error


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_any_text_gives_a_config_or_a_config_error(text: str) -> None:
    assert isinstance(load(text), RepoConfig | ConfigError)


@given(st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=5))
@settings(max_examples=300, deadline=None)
def test_any_yaml_mapping_gives_a_config_or_an_error_naming_the_file(
    data: dict[str, object],
) -> None:
    result = load(yaml.safe_dump(data))
    assert isinstance(result, RepoConfig | ConfigError)
    if isinstance(result, ConfigError):
        assert ".testgen.yml" in str(result)


@given(st.integers(min_value=1, max_value=1000))
@settings(deadline=None)
def test_limits_are_read_and_only_positive_ones_accepted(limit: int) -> None:
    config = parse_repo_config(f"limits:\n  commands_per_comment: {limit}\n")
    assert config.limits.commands_per_comment == limit
    assert isinstance(load(f"limits:\n  commands_per_comment: {-limit + 1}\n"), ConfigError)
