"""The dead-letter list: jobs that ran out of retry horizon, kept in Redis for `testgen replay`."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from arq.connections import ArqRedis
from redis.asyncio import Redis

from bot.intake import job_serializer

DEAD_KEY = "testgen:dead-letter"
# arq keeps a finished job's result under this prefix; a replay must clear it to reuse the id
_RESULT_PREFIX = "arq:result:"
_USERNAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")


@dataclass(frozen=True)
class Target:
    """Where in GitLab a dead job's asker waits for an answer."""

    project_id: int
    mr_iid: int
    note_id: int | None = None
    command: str | None = None
    username: str | None = None
    discussion_id: str = ""  # the asking comment's thread, where the answer goes


@dataclass(frozen=True)
class DeadJob:
    job_id: str
    function: str
    args: list[Any]
    kwargs: dict[str, Any]
    error: str  # scrubbed before it is stored
    first_queued: float  # epoch seconds
    died_at: float
    tries: int
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), default=str)

    @classmethod
    def from_json(cls, raw: str | bytes) -> DeadJob:
        return cls(**json.loads(raw))

    def target(self) -> Target | None:
        """The merge request (and the comment) the job was answering, when there is one."""
        if self.function == "run_command" and len(self.args) >= 4:
            project_id, mr_iid, note_id, name = self.args[:4]
            username = self.args[7] if len(self.args) > 7 else self.kwargs.get("author_username")
            thread = self.args[8] if len(self.args) > 8 else self.kwargs.get("discussion_id", "")
            return Target(
                int(project_id),
                int(mr_iid),
                int(note_id),
                str(name),
                _safe(username),
                str(thread or ""),
            )
        if self.function == "handle_event" and len(self.args) >= 2:
            return _event_target(str(self.args[0]), str(self.args[1]))
        return None


def _safe(username: object) -> str | None:
    return username if isinstance(username, str) and _USERNAME.match(username) else None


def _event_target(event: str, body: str) -> Target | None:
    try:
        data = json.loads(body)
        project_id = int(data["project"]["id"])
        mr: Any = data.get("merge_request") or (
            data.get("object_attributes") if event == "Merge Request Hook" else None
        )
        mr_iid = int(mr["iid"])
    except (ValueError, TypeError, KeyError):
        return None
    note_id = None
    if event == "Note Hook":
        note_id = int((data.get("object_attributes") or {}).get("id") or 0) or None
    username = _safe((data.get("user") or {}).get("username"))
    thread = str((data.get("object_attributes") or {}).get("discussion_id") or "")
    return Target(project_id, mr_iid, note_id, None, username, thread)


async def store(redis: Redis, dead: DeadJob) -> None:
    await redis.hset(DEAD_KEY, dead.job_id, dead.to_json())  # type: ignore[misc]  # redis-py types sync|async as one union


async def list_dead(redis: Redis) -> list[DeadJob]:
    """Every dead job, oldest death first."""
    raw = await redis.hgetall(DEAD_KEY)  # type: ignore[misc]  # redis-py types sync|async as one union
    return sorted((DeadJob.from_json(value) for value in raw.values()), key=lambda d: d.died_at)


async def replay(redis: Redis, dead: DeadJob) -> bool:
    """Queue the job again under its own id, with a fresh retry horizon; drop it from the list.
    False when it was no longer dead (replayed by someone else meanwhile)."""
    if not await redis.hdel(DEAD_KEY, dead.job_id):  # type: ignore[misc]  # redis-py types sync|async as one union
        return False
    await redis.delete(_RESULT_PREFIX + dead.job_id)
    arq = ArqRedis(connection_pool=redis.connection_pool, job_serializer=job_serializer)
    job = await arq.enqueue_job(dead.function, *dead.args, _job_id=dead.job_id, **dead.kwargs)
    if job is None:  # still queued or running: put it back rather than lose it
        await store(redis, dead)
        return False
    return True
