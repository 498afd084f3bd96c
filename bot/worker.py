"""The arq worker: which jobs exist and how they are run."""

from __future__ import annotations

from typing import Any, cast

from arq import Worker, func
from arq.connections import RedisSettings
from arq.typing import WorkerCoroutine

from bot.intake import job_deserializer, job_serializer
from bot.jobs.commands import run_command
from bot.jobs.context import shutdown, startup
from bot.jobs.dashboard import dashboard_requests, refresh_dashboard
from bot.jobs.dead import announce_dead
from bot.jobs.events import handle_event
from bot.jobs.generate_command import generate_on_push
from bot.jobs.heal_ci import heal_on_pipeline, pipeline_green
from bot.jobs.heal_command import heal_on_push
from bot.jobs.mr_summary import refresh_summary
from bot.jobs.notices import post_notice
from bot.jobs.regenerate import regenerate_followup
from bot.jobs.rescan import rescan
from bot.settings import Settings

KEEP_RESULT_SECONDS = 24 * 3600


def redis_settings(url: str) -> RedisSettings:
    settings = RedisSettings.from_dsn(url)
    settings.conn_timeout = 2
    settings.conn_retries = 30
    settings.conn_retry_delay = 2
    return settings


def build_worker(settings: Settings, redis_url: str, **overrides: Any) -> Worker:
    """A worker for every job function; `overrides` (e.g. `burst`, `handle_signals`) pass to arq."""
    timeout = settings.job_timeout_seconds
    options: dict[str, Any] = {
        "functions": [
            func(cast(WorkerCoroutine, handle_event), name="handle_event", timeout=timeout),
            func(cast(WorkerCoroutine, run_command), name="run_command", timeout=timeout),
            func(cast(WorkerCoroutine, rescan), name="rescan", timeout=timeout),
            func(cast(WorkerCoroutine, generate_on_push), name="generate_on_push", timeout=timeout),
            func(
                cast(WorkerCoroutine, regenerate_followup),
                name="regenerate_followup",
                timeout=timeout,
            ),
            func(cast(WorkerCoroutine, announce_dead), name="announce_dead", timeout=timeout),
            func(cast(WorkerCoroutine, post_notice), name="post_notice", timeout=timeout),
            func(cast(WorkerCoroutine, heal_on_push), name="heal_on_push", timeout=timeout),
            func(cast(WorkerCoroutine, heal_on_pipeline), name="heal_on_pipeline", timeout=timeout),
            func(cast(WorkerCoroutine, pipeline_green), name="pipeline_green", timeout=timeout),
            func(
                cast(WorkerCoroutine, refresh_summary),
                name="refresh_summary",
                timeout=timeout,
                keep_result=0,  # a finished summary must not block the next burst's job id
            ),
            func(
                cast(WorkerCoroutine, refresh_dashboard),
                name="refresh_dashboard",
                timeout=timeout,
                keep_result=0,  # one job id per project: pushes in a burst share it
            ),
            func(
                cast(WorkerCoroutine, dashboard_requests),
                name="dashboard_requests",
                timeout=timeout,
            ),
        ],
        "redis_settings": redis_settings(redis_url),
        "ctx": {"settings": settings},
        "on_startup": startup,
        "on_shutdown": shutdown,
        "job_serializer": job_serializer,
        "job_deserializer": job_deserializer,
        "max_jobs": settings.worker_concurrency,
        "job_timeout": timeout,
        "max_tries": settings.job_max_tries,
        "keep_result": KEEP_RESULT_SECONDS,
        "poll_delay": 0.2,
        "health_check_interval": 30,
    }
    options.update(overrides)
    return Worker(**options)
