"""Wrapping every job: bound log context, metrics, and transient failures turned into retries."""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Any, Concatenate, ParamSpec, TypeVar, cast

import structlog
from arq import Retry

from bot import deadletter, metrics
from bot.gitlab import is_transient
from bot.jobs.context import JobContext
from bot.retry import RetryPlan

P = ParamSpec("P")
R = TypeVar("R")
log = structlog.get_logger("bot.jobs")
DEAD = "dead"
ANNOUNCE_DEAD = "announce_dead"


def retry_plan(ctx: JobContext) -> RetryPlan:
    settings = ctx["settings"]
    return RetryPlan(
        horizon=settings.retry_horizon_seconds,
        base=settings.retry_backoff_seconds,
        cap=settings.retry_backoff_max_seconds,
    )


def job_age(ctx: JobContext) -> float:
    """Seconds since the job was first queued (arq keeps that time across retries)."""
    queued = ctx.get("enqueue_time")
    if not isinstance(queued, datetime):
        return 0.0
    return max(0.0, time.time() - queued.timestamp())


def job(
    func: Callable[Concatenate[JobContext, P], Coroutine[Any, Any, R]],
) -> Callable[Concatenate[JobContext, P], Coroutine[Any, Any, R]]:
    """Run `func` with `job_id`/`function` bound in logs; count and time it; retry transients
    until the retry horizon, then put the job on the dead-letter list."""
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
            if not is_transient(error):
                log.exception("job failed")
                raise
            age = job_age(ctx)
            advice = getattr(error, "retry_after", None)
            delay = retry_plan(ctx).next_delay(ctx.get("job_try", 1), age, advice)
            if delay is not None:
                outcome = "retry"
                log.warning("transient failure, retrying", error=repr(error), defer=delay)
                raise Retry(defer=delay) from error
            outcome = DEAD
            await _bury(ctx, name, list(args), dict(kwargs), error, age)
            return cast(R, DEAD)
        finally:
            elapsed = time.perf_counter() - started
            metrics.JOBS.labels(name, outcome).inc()
            metrics.JOB_DURATION.labels(name).observe(elapsed)
            log.info("job finished", outcome=outcome, seconds=round(elapsed, 3))
            structlog.contextvars.clear_contextvars()

    return run


async def _bury(
    ctx: JobContext,
    name: str,
    args: list[Any],
    kwargs: dict[str, Any],
    error: BaseException,
    age: float,
) -> None:
    """Keep the job for `testgen replay` and queue the answer its asker is owed."""
    job_id = str(ctx.get("job_id", ""))
    died_at = time.time()
    dead = deadletter.DeadJob(
        job_id=job_id,
        function=name,
        args=args,
        kwargs=kwargs,
        error=ctx["gitlab"].scrub(str(error))[:300],
        first_queued=died_at - age,
        died_at=died_at,
        tries=int(ctx.get("job_try", 1)),
    )
    await deadletter.store(ctx["redis"], dead)
    log.error("retry horizon passed: job moved to the dead-letter list", error=dead.error)
    if name != ANNOUNCE_DEAD and dead.target() is not None:
        await ctx["redis"].enqueue_job(
            ANNOUNCE_DEAD, job_id, died_at, _job_id=f"{ANNOUNCE_DEAD}:{job_id}:{died_at:.3f}"
        )
