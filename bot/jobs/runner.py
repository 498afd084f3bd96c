"""Wrapping every job: bound log context, metrics, and transient failures turned into retries."""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Callable, Coroutine
from typing import Any, Concatenate, ParamSpec, TypeVar

import structlog
from arq import Retry

from bot import metrics
from bot.gitlab import is_transient
from bot.jobs.context import JobContext

P = ParamSpec("P")
R = TypeVar("R")
log = structlog.get_logger("bot.jobs")
MAX_BACKOFF_SECONDS = 300


def backoff(job_try: int) -> float:
    """5 s, 10 s, 20 s, … capped at five minutes."""
    return float(min(MAX_BACKOFF_SECONDS, 5 * 2 ** max(0, job_try - 1)))


def job(
    func: Callable[Concatenate[JobContext, P], Coroutine[Any, Any, R]],
) -> Callable[Concatenate[JobContext, P], Coroutine[Any, Any, R]]:
    """Run `func` with `job_id`/`function` bound in logs; count and time it; retry transients."""
    name = func.__name__

    @functools.wraps(func)
    async def run(ctx: JobContext, /, *args: P.args, **kwargs: P.kwargs) -> R:
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(
            job_id=ctx.get("job_id"), function=name, job_try=ctx.get("job_try", 1)
        )
        started = time.perf_counter()
        outcome = "failed"
        try:
            result = await func(ctx, *args, **kwargs)
            outcome = "ok"
            return result
        except Retry:
            outcome = "retry"
            raise
        except asyncio.CancelledError:  # the worker is stopping: arq runs the job again later
            outcome = "cancelled"
            raise
        except Exception as error:
            if is_transient(error):
                outcome = "retry"
                delay = backoff(ctx.get("job_try", 1))
                log.warning("transient failure, retrying", error=repr(error), defer=delay)
                raise Retry(defer=delay) from error
            log.exception("job failed")
            raise
        finally:
            elapsed = time.perf_counter() - started
            metrics.JOBS.labels(name, outcome).inc()
            metrics.JOB_DURATION.labels(name).observe(elapsed)
            log.info("job finished", outcome=outcome, seconds=round(elapsed, 3))
            structlog.contextvars.clear_contextvars()

    return run
