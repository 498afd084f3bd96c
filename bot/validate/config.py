"""The `validate:` section of a repository's `.testgen.yml`, with defaults and checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import pydantic
import yaml

from bot.validate.rules import RULE_IDS

SeverityName = Literal["info", "minor", "major", "critical", "blocker"]


class ConfigError(ValueError):
    """The configuration file cannot be read or does not validate; the message says why.

    `problems` holds one line per invalid key (`generate.llm: Input should be …`);
    `yaml_error` the YAML parser's own message when the text is not YAML at all."""

    def __init__(
        self, message: str, *, problems: list[str] | None = None, yaml_error: str | None = None
    ) -> None:
        super().__init__(message)
        self.problems = problems or []
        self.yaml_error = yaml_error


# in the JSON Schema: the keys of `rules` and `severities` are rule ids
_RULE_KEYS: Any = {"propertyNames": {"enum": sorted(RULE_IDS)}}


class ValidateConfig(pydantic.BaseModel):
    """Which rules run and what they accept; every field has a default."""

    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)

    required_labels: list[str] = ["feature", "story", "title"]
    # rule id → enabled; a missing id means enabled
    rules: dict[str, bool] = pydantic.Field(default={}, json_schema_extra=_RULE_KEYS)
    # rule id → severity override
    severities: dict[str, SeverityName] = pydantic.Field(default={}, json_schema_extra=_RULE_KEYS)
    assertion_helpers: list[str] = []  # callables that count as assertions (name or dotted)
    base_url_fixtures: list[str] = ["base_url", "api_url", "base_api_url"]
    client_fixtures: list[str] = ["api", "client", "api_client", "http_client", "session"]
    url_allowed_callers: list[str] = [
        "allure",
        "os.getenv",
        "os.environ.get",
        "os.environ.setdefault",
        "respx",
        "responses",
        "httpretty",
        "requests_mock",
        "httpx_mock",
        "respx_mock",
        "aioresponses",
    ]
    max_file_bytes: int = pydantic.Field(default=1_000_000, gt=0)

    @pydantic.field_validator("rules", "severities")
    @classmethod
    def _known_rules(cls, value: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(value) - set(RULE_IDS))
        if unknown:
            raise ValueError(f"unknown rule id(s) {unknown}; known: {sorted(RULE_IDS)}")
        return value

    def enabled(self, rule_id: str) -> bool:
        return self.rules.get(rule_id, True)


def read_mapping(text: str, source: str = ".testgen.yml") -> dict[str, Any] | None:
    """The YAML mapping in `text` (None when empty); `ConfigError` for anything else."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ConfigError(f"{source}: not valid YAML: {error}", yaml_error=str(error)) from error
    if document is None:
        return None
    if not isinstance(document, dict):
        raise ConfigError(f"{source}: expected a mapping at the top level")
    return document


def describe(error: pydantic.ValidationError, source: str, prefix: str = "") -> ConfigError:
    """One readable line per problem, each naming the key it is about."""
    problems = [f"{prefix}{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()]
    return ConfigError(f"{source}: {'; '.join(problems)}", problems=problems)


def parse_config(text: str, source: str = ".testgen.yml") -> ValidateConfig:
    """The `validate:` section of a `.testgen.yml` text; defaults when it is absent."""
    section = (read_mapping(text, source) or {}).get("validate")
    if section is None:
        return ValidateConfig()
    if not isinstance(section, dict):
        raise ConfigError(f"{source}: `validate` must be a mapping")
    try:
        return ValidateConfig.model_validate(section)
    except pydantic.ValidationError as error:
        raise describe(error, source, "validate.") from error


def load_config(path: Path) -> ValidateConfig:
    """Read and parse a `.testgen.yml` file; `ConfigError` says what is wrong."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from error
    return parse_config(text, str(path))
