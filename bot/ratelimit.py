"""Token buckets in Redis: how many commands a person, and a project, may start per minute."""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import Enum

from redis.asyncio import Redis

# Refill both buckets for the time passed, then take `cost` from each only if both have it.
# KEYS: user bucket, project bucket; ARGV: now, user capacity, project capacity, window, cost
_TAKE = """
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[4])
local cost = tonumber(ARGV[5])
local levels = {}
for i = 1, 2 do
  local capacity = tonumber(ARGV[i + 1])
  local state = redis.call('HMGET', KEYS[i], 'tokens', 'ts')
  local tokens = tonumber(state[1]) or capacity
  local ts = tonumber(state[2]) or now
  tokens = math.min(capacity, tokens + (now - ts) * capacity / window)
  levels[i] = tokens
end
local verdict = 0
if levels[1] < cost then verdict = 1 elseif levels[2] < cost then verdict = 2 end
for i = 1, 2 do
  local tokens = levels[i]
  if verdict == 0 then tokens = tokens - cost end
  redis.call('HSET', KEYS[i], 'tokens', tostring(tokens), 'ts', tostring(now))
  redis.call('EXPIRE', KEYS[i], math.ceil(window * 2))
end
return verdict
"""
WINDOW_SECONDS = 60.0


class Verdict(Enum):
    ALLOWED = 0
    USER_LIMITED = 1
    PROJECT_LIMITED = 2


class CommandBuckets:
    """`take(user, project)` for each command: allowed, or which limit it hit."""

    def __init__(
        self,
        redis: Redis,
        *,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._redis = redis
        self._window = window
        self._clock = clock
        self._take = redis.register_script(_TAKE)

    async def take(
        self, user_id: int, project_id: int, *, per_user: int, per_project: int
    ) -> Verdict:
        keys = [f"testgen:bucket:user:{user_id}", f"testgen:bucket:project:{project_id}"]
        args = [self._clock(), per_user, per_project, self._window, 1]
        return Verdict(int(await self._take(keys=keys, args=args)))

    async def first_notice(self, scope: str) -> bool:
        """True once per window and scope: a limit is answered once, not for every command."""
        key = f"testgen:bucket-notice:{scope}"
        return bool(await self._redis.set(key, "1", nx=True, ex=int(self._window)))
