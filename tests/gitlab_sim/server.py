"""Serve a simulator with real uvicorn on a loopback port, in a background thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from tests.gitlab_sim.app import build_app
from tests.gitlab_sim.simulator import Simulator


@contextmanager
def running_simulator(sim: Simulator | None = None) -> Iterator[Simulator]:
    """A simulator listening on 127.0.0.1:<free port>; `sim.base_url` points at it."""
    sim = sim or Simulator()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        build_app(sim), log_level="warning", lifespan="off", ws="none", access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="gitlab-sim", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("GitLab simulator did not start")
        time.sleep(0.01)
    sim.base_url = f"http://127.0.0.1:{port}"
    try:
        yield sim
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
