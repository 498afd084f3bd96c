"""`testgen serve`: the receiver on uvicorn, with an in-process worker unless told otherwise."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal

import structlog
import uvicorn

from bot import __version__
from bot.app import create_app
from bot.embedded_redis import embedded_redis
from bot.logs import configure_logging
from bot.settings import Settings, load_settings
from bot.startup import GitLabHealth, first_check, watch

log = structlog.get_logger("bot.serve")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", help="address to listen on (default TESTGEN_HOST, 0.0.0.0)")
    parser.add_argument("--port", type=int, help="port to listen on (default TESTGEN_PORT, 8080)")
    parser.add_argument(
        "--no-worker", action="store_true", help="run only the receiver (workers run elsewhere)"
    )


def run(args: argparse.Namespace) -> int:
    # without a worker of its own, the receiver needs a Redis that workers elsewhere can reach
    required = ["WEBHOOK_SECRET", "REDIS_URL"] if args.no_worker else ["WEBHOOK_SECRET"]
    settings = load_settings([*required, *([] if args.no_worker else ["GITLAB_TOKEN"])])
    updates = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    settings = settings.model_copy(update=updates)
    configure_logging(settings)
    health: GitLabHealth | None = None
    if not args.no_worker:  # only the worker calls GitLab
        checked = first_check(settings)
        if isinstance(checked, int):
            return checked
        health = checked
    asyncio.run(serve(settings, with_worker=not args.no_worker, health=health))
    return 0


def _stopping(signum: int, frame: object) -> None:
    log.info("stopping", signal=signal.Signals(signum).name)


async def serve(
    settings: Settings, *, with_worker: bool, health: GitLabHealth | None = None
) -> None:
    with contextlib.ExitStack() as stack:
        redis_url = settings.redis_url
        if redis_url is None:
            redis_url = stack.enter_context(embedded_redis(settings.data_dir / "redis"))
        log.info(
            "testgen-bot starting",
            version=__version__,
            host=settings.host,
            port=settings.port,
            redis="embedded" if settings.redis_url is None else "external",
            worker=with_worker,
            llm="on" if settings.llm_enabled else "off",
        )
        config = uvicorn.Config(
            create_app(settings, redis_url, gitlab_health=health),
            host=settings.host,
            port=settings.port,
            log_config=None,
            access_log=False,
            server_header=False,
            lifespan="on",
        )
        server = uvicorn.Server(config)
        # uvicorn shuts down gracefully on SIGTERM/SIGINT, then raises the signal again into the
        # handler it found: with the default one the process would die right there, before the
        # worker and the embedded Redis are stopped. This one lets the shutdown finish.
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, _stopping)
        stop = asyncio.Event()
        from bot.serve_worker import run_worker_forever  # the jobs load only when they run

        worker = (
            asyncio.ensure_future(run_worker_forever(settings, redis_url, stop))
            if with_worker
            else None
        )
        watcher = (
            asyncio.ensure_future(watch(settings, health, stop)) if health is not None else None
        )
        try:
            await server.serve()
        finally:
            stop.set()
            if worker is not None:
                await worker
            if watcher is not None:
                await watcher
