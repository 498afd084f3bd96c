"""Turning an accepted delivery into exactly one arq job: an atomic dedupe-and-enqueue."""

from __future__ import annotations

import functools
import hashlib
import json
import time
from dataclasses import dataclass
from typing import Any

import orjson
from arq.constants import default_queue_name, job_key_prefix, result_key_prefix
from arq.jobs import serialize_job
from redis.asyncio import Redis

HANDLE_EVENT = "handle_event"
DEDUPE_PREFIX = "testgen:delivery:"
JOB_EXPIRES_MS = 7 * 24 * 3600 * 1000  # a queued event is kept a week before arq drops it

# One round trip, atomic: a delivery seen before, or whose job exists or has finished, is a
# duplicate; otherwise the job is stored and queued the way arq's enqueue_job stores it.
_ENQUEUE_ONCE = """
if redis.call('EXISTS', KEYS[1]) == 1 or redis.call('EXISTS', KEYS[2]) == 1
   or redis.call('EXISTS', KEYS[3]) == 1 then
  return 0
end
redis.call('PSETEX', KEYS[2], ARGV[3], ARGV[2])
redis.call('ZADD', KEYS[4], ARGV[4], ARGV[5])
redis.call('SET', KEYS[1], ARGV[5], 'EX', ARGV[1])
return 1
"""


def job_serializer(data: dict[str, Any]) -> bytes:
    """arq jobs and results as JSON, never pickle: Redis content must not be code."""
    try:
        return orjson.dumps(data, default=repr, option=orjson.OPT_NON_STR_KEYS)
    except TypeError:  # e.g. an integer wider than 64 bits in a job's result
        return json.dumps(data, default=repr, separators=(",", ":")).encode()


def job_deserializer(raw: bytes) -> dict[str, Any]:
    data: dict[str, Any] = orjson.loads(raw)
    return data


@dataclass(frozen=True)
class Delivery:
    """An authenticated webhook delivery, as the receiver hands it on."""

    key: str
    event: str
    body: str

    @functools.cached_property
    def job_id(self) -> str:
        return "event:" + hashlib.sha256(self.key.encode()).hexdigest()[:32]

    def to_json(self) -> str:
        return json.dumps({"key": self.key, "event": self.event, "body": self.body})

    @classmethod
    def from_json(cls, raw: str | bytes) -> Delivery:
        data = json.loads(raw)
        return cls(key=data["key"], event=data["event"], body=data["body"])


class Intake:
    """Enqueue deliveries once. Raises redis errors as they are: the caller spools on them."""

    def __init__(self, redis: Redis, dedupe_ttl_seconds: int) -> None:
        self._redis = redis
        self._ttl = dedupe_ttl_seconds
        self._script = redis.register_script(_ENQUEUE_ONCE)

    async def enqueue(self, delivery: Delivery) -> bool:
        """True when queued now, False when this delivery was seen before."""
        job_id = delivery.job_id
        now_ms = int(time.time() * 1000)
        job = serialize_job(
            HANDLE_EVENT,
            (delivery.event, delivery.body, delivery.key),
            {},
            None,
            now_ms,
            serializer=job_serializer,
        )
        keys = [
            DEDUPE_PREFIX + job_id,
            job_key_prefix + job_id,
            result_key_prefix + job_id,
            default_queue_name,
        ]
        args: list[bytes | str | int] = [self._ttl, job, JOB_EXPIRES_MS, now_ms, job_id]
        return bool(await self._script(keys=keys, args=args))
