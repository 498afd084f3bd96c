"""`testgen worker`: job workers alone against REDIS_URL, restarted across Redis outages."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal

import prometheus_client
import structlog
from redis.exceptions import RedisError

from bot.logs import configure_logging
from bot.settings import Settings, load_settings
from bot.startup import first_check

log = structlog.get_logger("bot.worker")
RESTART_DELAY_SECONDS = 2.0


async def run_worker_forever(settings: Settings, redis_url: str, stop: asyncio.Event) -> None:
    """Run an arq worker until `stop`; when Redis goes away, start a new one once it is back."""
    from bot.worker import build_worker  # the jobs (and the LLM client) load only when needed

    while not stop.is_set():
        worker = build_worker(settings, redis_url, handle_signals=False)
        task = asyncio.ensure_future(worker.async_run())
        stopper = asyncio.ensure_future(stop.wait())
        await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
        stopper.cancel()
        if not task.done():
            task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
        except (RedisError, OSError) as error:
            log.warning("worker lost Redis, restarting", error=str(error))
        with contextlib.suppress(RedisError, OSError):
            await worker.close()
        if not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), RESTART_DELAY_SECONDS)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--concurrency", type=int, help="jobs run at once (default TESTGEN_WORKER_CONCURRENCY)"
    )
    parser.add_argument(
        "--metrics-port",
        type=int,
        help="serve Prometheus metrics on this port (default TESTGEN_WORKER_METRICS_PORT; 0: off)",
    )


def run(args: argparse.Namespace) -> int:
    settings = load_settings(["GITLAB_TOKEN", "REDIS_URL"])
    if args.concurrency:
        settings = settings.model_copy(update={"worker_concurrency": args.concurrency})
    if args.metrics_port is not None:
        settings = settings.model_copy(update={"worker_metrics_port": args.metrics_port})
    configure_logging(settings)
    checked = first_check(settings)  # an unreachable GitLab: jobs retry until it is back
    if isinstance(checked, int):
        return checked
    assert settings.redis_url is not None  # required above
    asyncio.run(_main(settings, settings.redis_url))
    return 0


async def _main(settings: Settings, redis_url: str) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    if settings.worker_metrics_port:
        prometheus_client.start_http_server(settings.worker_metrics_port)
    log.info(
        "worker starting",
        concurrency=settings.worker_concurrency,
        metrics_port=settings.worker_metrics_port or None,
    )
    await run_worker_forever(settings, redis_url, stop)
