"""The healing log in Redis, per project and branch, and each branch's last green commit."""

from __future__ import annotations

import json
from typing import Any

from redis.asyncio import Redis

from bot.heal.engine import HealResult

LOG_TTL = 90 * 24 * 3600
MAX_ENTRIES = 1000


def _log_key(project_id: int, branch: str) -> str:
    return f"testgen:heal:log:{project_id}:{branch}"


def _green_key(project_id: int, branch: str) -> str:
    return f"testgen:heal:green:{project_id}:{branch}"


class HealStore:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def record(
        self, project_id: int, branch: str, sha: str, trigger: str, result: HealResult
    ) -> None:
        """Append one run's actions and unhealable tests (newest first, bounded)."""
        key = _log_key(project_id, branch)
        entries = [
            json.dumps({"sha": sha, "trigger": trigger, "kind": "action", **a.as_json()})
            for a in result.actions
        ] + [
            json.dumps({"sha": sha, "trigger": trigger, "kind": "unhealable", **u.as_json()})
            for u in result.unhealable
        ]
        entries.append(
            json.dumps({"sha": sha, "trigger": trigger, "kind": "run",
                        "broken": len(result.broken), "healed": len(result.healed)})
        )  # fmt: skip
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.lpush(key, *reversed(entries))
            pipe.ltrim(key, 0, MAX_ENTRIES - 1)
            pipe.expire(key, LOG_TTL)
            await pipe.execute()

    async def log(self, project_id: int, branch: str) -> list[dict[str, Any]]:
        raw: list[Any] = await self._redis.lrange(_log_key(project_id, branch), 0, -1)  # type: ignore[misc]
        return [json.loads(item) for item in raw]

    async def set_green(self, project_id: int, branch: str, sha: str) -> None:
        await self._redis.set(_green_key(project_id, branch), sha, ex=LOG_TTL)

    async def green(self, project_id: int, branch: str) -> str | None:
        value = await self._redis.get(_green_key(project_id, branch))
        if value is None:
            return None
        return value.decode() if isinstance(value, bytes) else str(value)
