"""The GitLab breaker in Redis: one worker's failure pauses every worker's calls."""

from __future__ import annotations

import pytest
from redis.asyncio import Redis

from bot._gitlab_errors import CircuitOpen, is_transient
from bot.breaker import Breaker


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


async def test_a_failure_seen_by_one_worker_pauses_another_until_retry_after(
    redis_url: str,
) -> None:
    clock = Clock()
    client = Redis.from_url(redis_url)
    first, second = Breaker(client, clock=clock), Breaker(client, clock=clock)
    await second.check()  # nothing failed yet

    assert await first.failed(retry_after=120) == 120
    with pytest.raises(CircuitOpen) as paused:
        await second.check()
    assert paused.value.retry_after == pytest.approx(120) and is_transient(paused.value)

    clock.now += 121
    await second.check()
    await client.aclose()


async def test_consecutive_failures_back_off_longer_and_a_success_starts_afresh(
    redis_url: str,
) -> None:
    clock = Clock()
    client = Redis.from_url(redis_url)
    breaker = Breaker(client, base=5, cap=300, clock=clock)
    pauses = [await breaker.failed(None) for _ in range(8)]
    assert all(p <= 300 for p in pauses) and pauses[-1] > pauses[0]
    assert max(pauses) >= 150  # the cap is reached (jittered into its upper half)

    clock.now += 400
    await breaker.check()
    await breaker.succeeded()
    assert await breaker.failed(None) <= 5
    await client.aclose()


async def test_a_shorter_pause_never_cuts_a_longer_one(redis_url: str) -> None:
    clock = Clock()
    client = Redis.from_url(redis_url)
    breaker = Breaker(client, clock=clock)
    await breaker.failed(retry_after=300)
    await breaker.failed(retry_after=1)
    assert await breaker.paused_for() == pytest.approx(300)
    await client.aclose()
