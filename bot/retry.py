"""When a job that failed on a transient GitLab error runs again, or that it is dead."""

from __future__ import annotations

import random
from dataclasses import dataclass

# the first retry waits at least this much, however soon GitLab says to come back
MIN_DELAY_SECONDS = 0.05


@dataclass(frozen=True)
class RetryPlan:
    """Exponential backoff with full jitter, capped; GitLab's `Retry-After` wins when given."""

    horizon: float = 3600.0  # seconds after the job was first queued
    base: float = 5.0
    cap: float = 300.0

    def backoff(self, job_try: int, rng: random.Random | None = None) -> float:
        """`base·2^(try-1)` capped at `cap`, jittered into its upper half so retries spread
        out but never come back early."""
        ceiling = min(self.cap, self.base * 2 ** max(0, min(job_try, 64) - 1))
        return (rng or random).uniform(ceiling / 2, ceiling)

    def delay(
        self, job_try: int, retry_after: float | None, rng: random.Random | None = None
    ) -> float:
        """How long to wait before the next try: GitLab's advice (plus up to 10 % jitter so
        every waiting job does not return in the same second), else the backoff."""
        if retry_after is not None and retry_after > 0:
            return retry_after * (rng or random).uniform(1.0, 1.1)
        return max(MIN_DELAY_SECONDS, self.backoff(job_try, rng))

    def next_delay(
        self, job_try: int, age: float, retry_after: float | None, rng: random.Random | None = None
    ) -> float | None:
        """The wait before the next try, or None when that try would start past the horizon
        (`age`: seconds since the job was first queued). The last try lands on the horizon."""
        remaining = self.horizon - age
        if remaining <= 0:
            return None
        wait = self.delay(job_try, retry_after, rng)
        if wait <= remaining:
            return wait
        # one last try at the horizon, unless GitLab told us it will not be back by then
        if retry_after is not None and retry_after > remaining:
            return None
        return remaining
