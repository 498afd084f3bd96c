"""A bounded, cached chat-completions client that turns every LLM problem into a failure value."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import openai
import structlog
from openai.types.chat import ChatCompletion, ChatCompletionMessageParam

from bot.generate.llm_cache import CompletionCache, MemoryCompletionCache, cache_key
from bot.generate.llm_types import Completion, LLMFailure, Message
from bot.metrics import LLM_DURATION, LLM_REQUESTS, LLM_TOKENS
from bot.settings import Settings

log = structlog.get_logger(__name__)

DEFAULT_RETRIES = 2
_BACKOFF_ALLOWANCE = 8.0  # seconds per retry for the openai client's backoff (it caps at 8)


@dataclass
class _Flight:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


def _param(message: Message) -> ChatCompletionMessageParam:
    content = message["content"]
    if message["role"] == "system":
        return {"role": "system", "content": content}
    if message["role"] == "assistant":
        return {"role": "assistant", "content": content}
    return {"role": "user", "content": content}


class LLMClient:
    """Chat completions against any OpenAI-compatible server (chat-completions API only).

    At most `settings.llm_concurrency` requests are in flight at once; identical prompts are
    answered from the cache (and concurrent identical prompts wait for the first). Timeouts,
    connection errors, 429 and 5xx are retried by the openai client (`max_retries`); whatever
    still fails comes back as an `LLMFailure`, never as an exception. `deadline` caps one
    request including its retries (default: every attempt's timeout plus backoff)."""

    def __init__(
        self,
        settings: Settings,
        *,
        cache: CompletionCache | None = None,
        client: openai.AsyncOpenAI | None = None,
        max_retries: int = DEFAULT_RETRIES,
        deadline: float | None = None,
        temperature: float | None = 0.0,
    ) -> None:
        if client is None:
            if not settings.llm_enabled:
                raise ValueError("the LLM is not configured: OPENAI_API_KEY is unset")
            assert settings.openai_api_key is not None
            client = openai.AsyncOpenAI(
                base_url=settings.openai_base_url,
                api_key=settings.openai_api_key.get_secret_value(),
                timeout=settings.llm_timeout_seconds,
                max_retries=max_retries,
            )
            self._owns_client = True
        else:
            self._owns_client = False
        self._client = client
        self.model = settings.llm_model
        self._cache: CompletionCache = cache or MemoryCompletionCache()
        self._semaphore = asyncio.Semaphore(settings.llm_concurrency)
        attempts = client.max_retries + 1
        self._deadline = deadline or (
            settings.llm_timeout_seconds * attempts + _BACKOFF_ALLOWANCE * client.max_retries
        )
        self._temperature = temperature
        self._flights: dict[str, _Flight] = {}

    async def aclose(self) -> None:
        """Close the HTTP client if this object created it."""
        if self._owns_client:
            await self._client.close()

    async def complete(
        self, messages: Sequence[Message], *, version: str = ""
    ) -> Completion | None:
        """The completion for these messages, or None when the LLM could not give one."""
        result = await self.attempt(messages, version=version)
        return result if isinstance(result, Completion) else None

    async def attempt(
        self, messages: Sequence[Message], *, version: str = ""
    ) -> Completion | LLMFailure:
        """Like `complete`, but says why it failed. `version` names the prompt template."""
        key = cache_key(self.model, version, messages)
        bound = log.bind(model=self.model, prompt_version=version, cache_key=key[:16])
        async with self._single_flight(key):
            cached = await self._cache.get(key)
            if cached is not None:
                LLM_REQUESTS.labels(outcome="cached").inc()
                bound.info("llm.completion", outcome="cached")
                return Completion(cached, cached=True)
            async with self._semaphore:
                result = await self._request(messages, bound)
            if isinstance(result, Completion):
                await self._cache.set(key, result.text)
            return result

    @asynccontextmanager
    async def _single_flight(self, key: str) -> AsyncIterator[None]:
        flight = self._flights.setdefault(key, _Flight())
        flight.users += 1
        try:
            async with flight.lock:
                yield
        finally:
            flight.users -= 1
            if flight.users == 0:
                del self._flights[key]

    async def _request(self, messages: Sequence[Message], bound: Any) -> Completion | LLMFailure:
        extra: dict[str, Any] = {}
        if self._temperature is not None:
            extra["temperature"] = self._temperature
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self._deadline):
                response = await self._client.chat.completions.create(
                    model=self.model, messages=[_param(m) for m in messages], **extra
                )
            result = _completion(response)
        except (TimeoutError, openai.APITimeoutError):
            result = LLMFailure("timeout", f"no answer within {self._deadline:g}s")
        except openai.APIStatusError as error:
            result = LLMFailure("error", f"HTTP {error.status_code}")
        except openai.APIConnectionError:
            result = LLMFailure("error", "connection failed")
        except openai.APIError as error:
            result = LLMFailure("invalid", type(error).__name__)
        duration = time.perf_counter() - started
        LLM_DURATION.observe(duration)
        outcome = "ok" if isinstance(result, Completion) else result.kind
        LLM_REQUESTS.labels(outcome=outcome).inc()
        if isinstance(result, Completion):
            LLM_TOKENS.labels(kind="prompt").inc(result.prompt_tokens)
            LLM_TOKENS.labels(kind="completion").inc(result.completion_tokens)
            bound.info(
                "llm.completion",
                outcome=outcome,
                duration=round(duration, 3),
                prompt_tokens=result.prompt_tokens,
                completion_tokens=result.completion_tokens,
            )
        else:
            bound.warning(
                "llm.completion", outcome=outcome, duration=round(duration, 3), error=result.reason
            )
        return result


def _completion(response: ChatCompletion) -> Completion | LLMFailure:
    choices = response.choices or []
    text = choices[0].message.content if choices and choices[0].message else None
    if not text or not text.strip():
        return LLMFailure("invalid", "empty answer")
    usage = response.usage
    return Completion(
        text,
        prompt_tokens=usage.prompt_tokens if usage else 0,
        completion_tokens=usage.completion_tokens if usage else 0,
    )
