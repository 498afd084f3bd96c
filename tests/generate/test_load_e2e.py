"""The generated locustfile runs headless against the reference API and checks its thresholds."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.generate.security_harness import write_kind
from tests.reference_api.app import TOKEN, make_app
from tests.support.uvicorn_thread import serve_in_thread

pytestmark = pytest.mark.e2e


class Slowed:
    """The reference API with every answer held back by `delay` seconds."""

    def __init__(self, app: Any, delay: float) -> None:
        self.app = app
        self.delay = delay

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            await asyncio.sleep(self.delay)
        await self.app(scope, receive, send)


def _locust(locustfile: Path, base_url: str, seconds: int) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable, "-m", "locust", "-f", str(locustfile), "--headless", "-u", "5",
        "-r", "5", "-t", f"{seconds}s", "--only-summary", "--stop-timeout", "2",
    ]  # fmt: skip
    env = {**os.environ, "API_BASE_URL": base_url, "API_TOKEN": TOKEN}
    return subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=seconds + 60, check=False
    )


def test_locustfile_meets_its_thresholds_and_fails_when_the_server_is_slow(
    tmp_path: Path,
) -> None:
    written = write_kind(tmp_path, "performance")
    locustfile = next(p for p in written if p.name == "locustfile_pets.py")
    with serve_in_thread(make_app()) as base_url:
        fine = _locust(locustfile, base_url, 10)
    output = fine.stdout + fine.stderr
    assert fine.returncode == 0, output
    assert "load thresholds met" in output
    assert "POST" in output and "DELETE" in output and "PUT" in output, output
    assert " 0(0.00%)" in output.split("Aggregated", 1)[1].splitlines()[0], output
    with serve_in_thread(Slowed(make_app(), 0.6)) as base_url:
        slow = _locust(locustfile, base_url, 4)
    output = slow.stdout + slow.stderr
    assert slow.returncode != 0, output
    assert "load thresholds exceeded: p95" in output
