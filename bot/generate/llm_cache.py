"""Where LLM completions are remembered, keyed by everything that shaped the prompt."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Protocol

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.generate.llm_types import Message

log = structlog.get_logger(__name__)

WEEK_SECONDS = 7 * 24 * 3600


def cache_key(model: str, version: str, messages: Sequence[Message]) -> str:
    """sha256 of the model, the prompt template version and the rendered messages."""
    payload = json.dumps(
        {"model": model, "version": version, "messages": [dict(m) for m in messages]},
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class CompletionCache(Protocol):
    """A store of completion texts by cache key. Failures must not raise: a miss is fine."""

    async def get(self, key: str) -> str | None: ...

    async def set(self, key: str, value: str) -> None: ...


class MemoryCompletionCache:
    """A process-local cache (tests, the CLI); nothing expires."""

    def __init__(self) -> None:
        self._values: dict[str, str] = {}

    async def get(self, key: str) -> str | None:
        return self._values.get(key)

    async def set(self, key: str, value: str) -> None:
        self._values[key] = value


class RedisCompletionCache:
    """Completions in Redis under `prefix + key`, expiring after `ttl` seconds.

    A Redis outage degrades to a cache miss (logged); it never fails a generation."""

    def __init__(
        self, redis: Redis, *, ttl: int = WEEK_SECONDS, prefix: str = "testgen:llm:"
    ) -> None:
        self._redis = redis
        self._ttl = ttl
        self._prefix = prefix

    async def get(self, key: str) -> str | None:
        try:
            value = await self._redis.get(self._prefix + key)
        except RedisError as error:
            log.warning("llm.cache_unavailable", op="get", error=str(error))
            return None
        if value is None:
            return None
        return value.decode("utf-8") if isinstance(value, bytes) else str(value)

    async def set(self, key: str, value: str) -> None:
        try:
            await self._redis.set(self._prefix + key, value.encode("utf-8"), ex=self._ttl)
        except RedisError as error:
            log.warning("llm.cache_unavailable", op="set", error=str(error))
