"""The retry plan: an hour-long outage is outlasted, GitLab's advice is followed, then it ends."""

from __future__ import annotations

import random

from bot.retry import RetryPlan
from bot.settings import Settings


def tries_until_dead(plan: RetryPlan, retry_after: float | None = None) -> tuple[int, float]:
    rng = random.Random(7)
    age, job_try = 0.0, 1
    while (delay := plan.next_delay(job_try, age, retry_after, rng)) is not None:
        age += delay
        job_try += 1
    return job_try, age


def test_the_default_horizon_outlasts_an_hour_of_outage_with_waits_capped_at_five_minutes() -> None:
    settings = Settings()
    plan = RetryPlan(
        settings.retry_horizon_seconds,
        settings.retry_backoff_seconds,
        settings.retry_backoff_max_seconds,
    )
    rng = random.Random(1)
    waits = [plan.backoff(n, rng) for n in range(1, 40)]
    tries, age = tries_until_dead(plan)

    assert plan.horizon >= 3600
    assert max(waits) <= 300
    assert age >= 3600  # the last try happens at the horizon, not before
    assert tries < settings.job_max_tries  # arq's own cap never ends the retries first


def test_backoff_grows_exponentially_and_is_jittered() -> None:
    plan = RetryPlan(base=5, cap=300)
    rng = random.Random(3)
    first, fourth = plan.backoff(1, rng), plan.backoff(4, rng)
    assert 2.5 <= first <= 5 and 20 <= fourth <= 40
    assert len({round(plan.backoff(6, rng), 6) for _ in range(20)}) > 1


def test_retry_after_is_honoured_over_the_backoff() -> None:
    plan = RetryPlan(horizon=3600, base=5, cap=300)
    delay = plan.next_delay(1, age=0, retry_after=120, rng=random.Random(0))
    assert delay is not None and 120 <= delay <= 132


def test_a_retry_after_beyond_the_horizon_ends_the_retries_at_once() -> None:
    plan = RetryPlan(horizon=60, base=5, cap=300)
    assert plan.next_delay(1, age=10, retry_after=120) is None
    assert plan.next_delay(1, age=60, retry_after=None) is None


def test_the_last_try_lands_on_the_horizon() -> None:
    plan = RetryPlan(horizon=100, base=50, cap=300)
    assert plan.next_delay(3, age=90, retry_after=None, rng=random.Random(0)) == 10
