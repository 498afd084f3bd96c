"""The GitLab circuit breaker, shared by every worker through Redis.

While GitLab answers 429 or 5xx (or does not answer), one failed call pauses every worker's
GitLab calls until GitLab's `Retry-After`, or for a backoff that grows with each consecutive
failure. Calls made during the pause fail at once with `CircuitOpen`, a transient error: the job
is deferred to the end of the pause instead of spending its own tries on a GitLab that is down.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from redis.asyncio import Redis

from bot._gitlab_errors import CircuitOpen

PAUSE_KEY = "testgen:gitlab:paused-until"
FAILURES_KEY = "testgen:gitlab:failures"
_STATE_TTL_SECONDS = 24 * 3600

# Extend the pause to ARGV[1] (epoch seconds) unless it already lasts longer.
_EXTEND = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
end
return 1
"""


class Breaker:
    """`check()` before a call, `failed()` / `succeeded()` after it."""

    def __init__(
        self,
        redis: Redis,
        *,
        base: float = 5.0,
        cap: float = 300.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._redis = redis
        self._base = base
        self._cap = cap
        self._clock = clock
        self._extend = redis.register_script(_EXTEND)
        self._failures_seen = False

    async def paused_for(self) -> float:
        """Seconds the pause still lasts (0: GitLab may be called)."""
        paused_until, failures = await self._redis.mget(PAUSE_KEY, FAILURES_KEY)
        self._failures_seen = failures is not None
        if paused_until is None:
            return 0.0
        return max(0.0, float(paused_until) - self._clock())

    async def check(self) -> None:
        remaining = await self.paused_for()
        if remaining > 0:
            raise CircuitOpen(remaining)

    async def failed(self, retry_after: float | None) -> float:
        """Pause every worker: for `retry_after` when GitLab gave it, else an exponential
        backoff (jittered) on the number of consecutive failures. Returns the pause."""
        failures = int(await self._redis.incr(FAILURES_KEY))
        await self._redis.expire(FAILURES_KEY, _STATE_TTL_SECONDS)
        if retry_after is not None and retry_after > 0:
            pause = retry_after
        else:
            ceiling = min(self._cap, self._base * 2 ** min(failures - 1, 32))
            pause = random.uniform(ceiling / 2, ceiling)
        until = self._clock() + pause
        await self._extend(keys=[PAUSE_KEY], args=[until, _STATE_TTL_SECONDS])
        self._failures_seen = True
        return pause

    async def succeeded(self) -> None:
        """A call went through: the next failure starts the backoff afresh."""
        if self._failures_seen:
            await self._redis.delete(FAILURES_KEY)
            self._failures_seen = False
