"""A repository's `.testgen.yml`: where its tests live, what to generate, how to validate.

Every key is optional; a file that is not valid YAML or breaks a rule raises `ConfigError` with
a message meant for the merge request comment, and the caller says so instead of guessing.

```yaml
tests_dir: tests/api          # where generated tests go (relative, inside the repository)
app: backend.main:app         # with several apps in the repository: the one tests target
                              # (`module:variable` as `testgen scan` reports it; default: the
                              # app serving the most endpoints)
generate:
  on_push: false              # open a follow-up MR when a push to the default branch adds endpoints
  llm: auto                   # off | auto (use the LLM when the bot has one) | on
  kinds: [happy, negative, schema, behaviour, fuzz]   # or suites: functional, security,
                                                     # performance, all
  base_url_env: API_BASE_URL
  auth_env: API_TOKEN
  auth_header: Authorization
  auth_scheme: Bearer
performance:                  # the generated locustfiles' thresholds (`--kind performance`)
  p95_ms: 500
  error_rate: 0.01
  slow_ms: 1000               # functional suite: slower responses are an Allure warning
security:
  inventory_tests: false      # API9: failing tests for endpoints the spec does not document
validate:                     # see bot/validate/config.py
  required_labels: [feature, story, title]
followup:
  labels: [testgen]           # labels of the bot's follow-up merge requests
limits:                       # may only lower the bot's own (TESTGEN_MAX_COMMANDS, …)
  commands_per_comment: 5
  user_commands_per_minute: 10
  project_commands_per_minute: 60
coverage:
  threshold: 80               # percent; below it `testgen: coverage` fails (unset: never)
  fail_on_drop: false         # fail the status when an MR lowers coverage against its target
  base_paths: [/gateway]      # prefixes calls may add or leave out (a gateway or mount prefix)
  hosts: [api.example.com]    # hosts that are this API (local hosts and BASE_URL's always are)
duplicates:
  threshold: 0.85             # least similarity (0–1) of two tests called duplicates
dashboard: false              # keep a "testgen dashboard" issue up to date on default-branch pushes
```
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Literal

import pydantic

from bot.validate.config import ValidateConfig, describe, read_mapping

FILE_NAME = ".testgen.yml"
Kind = Literal[
    "happy", "negative", "schema", "behaviour", "fuzz", "functional", "security", "performance",
    "all",
]  # fmt: skip


class PerformanceSection(pydantic.BaseModel):
    """Thresholds of the generated load tests, and the functional suite's slow-response mark."""

    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)

    p95_ms: int = pydantic.Field(500, gt=0)
    error_rate: float = pydantic.Field(0.01, ge=0, le=1)
    slow_ms: int | None = pydantic.Field(None, gt=0)


class SecuritySection(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)

    # API9: a failing test per endpoint the code serves and the spec does not document (and
    # the reverse), until the spec is updated; listed in the MR description either way
    inventory_tests: bool = False


class GenerateSection(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)

    on_push: bool = False
    llm: Literal["off", "auto", "on"] = "auto"
    kinds: list[Kind] = ["happy", "negative", "schema", "behaviour", "fuzz"]
    base_url_env: str = pydantic.Field("API_BASE_URL", pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    auth_env: str = pydantic.Field("API_TOKEN", pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    auth_header: str = "Authorization"
    auth_scheme: str = "Bearer"

    @pydantic.field_validator("llm", mode="before")
    @classmethod
    def _yaml_switch(cls, value: object) -> object:
        """YAML 1.1 reads a bare `off`/`on` as a boolean."""
        if isinstance(value, bool):
            return "on" if value else "off"
        return value


class FollowUpSection(pydantic.BaseModel):
    """The bot's follow-up merge requests."""

    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)

    labels: list[str] = pydantic.Field(
        default=["testgen"], description="labels every follow-up merge request carries"
    )

    @pydantic.field_validator("labels")
    @classmethod
    def _no_commas(cls, value: list[str]) -> list[str]:
        """GitLab takes labels comma-separated: a comma would split one label in two."""
        if any("," in label or not label.strip() for label in value):
            raise ValueError("labels must be non-empty and contain no commas")
        return [label.strip() for label in value]


class LimitsSection(pydantic.BaseModel):
    """Bounds on the work comments make; unset: the bot's settings."""

    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)

    commands_per_comment: int | None = pydantic.Field(None, ge=1)
    user_commands_per_minute: int | None = pydantic.Field(None, ge=1)
    project_commands_per_minute: int | None = pydantic.Field(None, ge=1)


class CoverageSection(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)

    threshold: float | None = pydantic.Field(None, ge=0, le=100)
    fail_on_drop: bool = False
    base_paths: list[str] = []
    hosts: list[str] = []


class DuplicatesSection(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)

    threshold: float = pydantic.Field(0.85, gt=0, le=1)


class RepoConfig(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    tests_dir: str = "tests/api"
    app: str | None = None
    generate: GenerateSection = GenerateSection()
    performance: PerformanceSection = PerformanceSection()
    security: SecuritySection = SecuritySection()
    validate_: ValidateConfig = pydantic.Field(ValidateConfig(), alias="validate")
    followup: FollowUpSection = FollowUpSection()
    limits: LimitsSection = LimitsSection()
    coverage: CoverageSection = CoverageSection()
    duplicates: DuplicatesSection = DuplicatesSection()
    dashboard: bool = False

    @pydantic.field_validator("tests_dir")
    @classmethod
    def _inside_repository(cls, value: str) -> str:
        path = PurePosixPath(value.strip().strip("/") or ".")
        if value.strip().startswith("/") or ".." in path.parts or "\\" in value:
            raise ValueError("must be a relative path inside the repository")
        if path.parts and path.parts[0] == ".git":
            raise ValueError("must not be inside .git")
        return path.as_posix()


def parse_repo_config(text: str | None, source: str = FILE_NAME) -> RepoConfig:
    """The configuration in `text` (None or empty: all defaults)."""
    document = read_mapping(text, source) if text is not None else None
    try:
        return RepoConfig.model_validate(document or {})
    except pydantic.ValidationError as error:
        raise describe(error, source) from error
