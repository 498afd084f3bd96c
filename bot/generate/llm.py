"""LLM mode: improve deterministic test modules with an LLM, falling back when it falls short."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Protocol, TypeVar

import structlog

from bot.generate.llm_answer import judge
from bot.generate.llm_cache import (
    CompletionCache,
    MemoryCompletionCache,
    RedisCompletionCache,
    cache_key,
)
from bot.generate.llm_client import LLMClient
from bot.generate.llm_prompt import endpoints_json, render, truncate
from bot.generate.llm_types import Completion, LLMFailure, Message
from bot.scan.model import Endpoint
from bot.validate.config import ValidateConfig

__all__ = [
    "TEMPLATE",
    "Completion",
    "CompletionCache",
    "EnrichResult",
    "EnrichedSuite",
    "GeneratedFileLike",
    "LLMClient",
    "LLMFailure",
    "MemoryCompletionCache",
    "Message",
    "RedisCompletionCache",
    "cache_key",
    "enrich_module",
    "enrich_suite",
]

log = structlog.get_logger(__name__)

TEMPLATE = "test_module.v1"
SKIPPED_NO_ENDPOINTS = "skipped: no endpoints"


@dataclass(frozen=True)
class EnrichResult:
    """The module to ship, whether the LLM wrote it, and why (`llm`, `cached`, `fallback: …`)."""

    source: str
    used_llm: bool
    reason: str


class GeneratedFileLike(Protocol):
    """What `enrich_suite` needs of the generator's frozen `GeneratedFile` dataclass."""

    __dataclass_fields__: ClassVar[dict[str, Any]]

    @property
    def path(self) -> str: ...

    @property
    def content(self) -> str: ...

    @property
    def endpoints(self) -> tuple[tuple[str, str], ...]: ...


F = TypeVar("F", bound=GeneratedFileLike)


@dataclass(frozen=True)
class EnrichedSuite(Generic[F]):
    """The files (content replaced where the LLM's module was accepted) and, per path, why."""

    files: list[F]
    reasons: list[tuple[str, str]]


def _client_fixture(config: ValidateConfig) -> str:
    return "api" if "api" in config.client_fixtures else config.client_fixtures[0]


async def enrich_module(
    deterministic_source: str,
    *,
    endpoints: Sequence[Endpoint],
    path: str,
    style_sample: str | None,
    client: LLMClient,
    config: ValidateConfig | None = None,
) -> EnrichResult:
    """Ask the LLM to improve one generated module; use its answer only if it validates
    (see `bot.generate.llm_answer` for the bar), else keep `deterministic_source`."""
    config = config or ValidateConfig()
    prompt = render(
        TEMPLATE,
        {
            "required_labels": ", ".join(f"`{label}`" for label in config.required_labels),
            "client_fixture": _client_fixture(config),
            "path": path,
            "endpoints": endpoints_json(endpoints),
            "baseline": deterministic_source.rstrip(),
            "style_sample": truncate(style_sample),
        },
    )
    answer = await client.attempt(prompt.messages, version=prompt.version)
    if isinstance(answer, LLMFailure):
        result = EnrichResult(deterministic_source, False, f"fallback: {answer.reason}")
    else:
        verdict = await asyncio.to_thread(
            judge, answer.text, baseline=deterministic_source, path=path, config=config
        )
        if verdict.source is None:
            result = EnrichResult(deterministic_source, False, f"fallback: {verdict.reason}")
        else:
            result = EnrichResult(verdict.source, True, "cached" if answer.cached else "llm")
    log.info("llm.enrich", path=path, used_llm=result.used_llm, reason=result.reason)
    return result


async def enrich_suite(
    files: Sequence[F],
    endpoints_by_file: Mapping[str, Sequence[Endpoint]],
    client: LLMClient,
    *,
    style_sample: str | None = None,
    config: ValidateConfig | None = None,
) -> EnrichedSuite[F]:
    """Enrich every file that covers endpoints, concurrently (the client bounds the requests).

    Files without endpoints (conftest, helpers) are returned unchanged."""

    async def one(file: F) -> tuple[F, str]:
        endpoints = endpoints_by_file.get(file.path, ())
        if not file.endpoints or not endpoints:
            return file, SKIPPED_NO_ENDPOINTS
        result = await enrich_module(
            file.content,
            endpoints=endpoints,
            path=file.path,
            style_sample=style_sample,
            client=client,
            config=config,
        )
        if not result.used_llm:
            return file, result.reason
        return dataclasses.replace(file, content=result.source), result.reason

    done = await asyncio.gather(*(one(file) for file in files))
    return EnrichedSuite([file for file, _ in done], [(file.path, reason) for file, reason in done])
