"""`testgen serve` / `testgen worker` as real subprocesses, the way users run them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import httpx

from tests.support.redis_server import free_port

T = TypeVar("T")
OUR_VARIABLES = ("GITLAB_", "WEBHOOK_", "REDIS_URL", "OPENAI_", "LLM_", "TESTGEN_", "LOG_")


def clean_env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(OUR_VARIABLES)}
    return env | {"LOG_FORMAT": "json", "LOG_LEVEL": "debug", "PYTHONUNBUFFERED": "1"} | values


class BotProcess:
    def __init__(self, command: list[str], env: dict[str, str], log: Path) -> None:
        self.command, self.env, self.log = command, env, log
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        """Start (again); each run's output goes to its own file, `output()` reads the latest."""
        self.starts += 1
        if self.starts > 1:
            self.log = self.log.with_name(f"{self.log.stem}.{self.starts}{self.log.suffix}")
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot.cli", *self.command],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as when a container is killed or the host dies."""
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
            self.process = None

    def stop(self) -> int | None:
        if self.process is None:
            return None
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait(timeout=10)
        self.process = None
        return code

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def wait_for(check: Callable[[], T], timeout: float = 20.0, what: str = "condition") -> T:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.05)


@contextmanager
def serving(env: dict[str, str], log: Path, *extra: str) -> Iterator[tuple[BotProcess, str]]:
    """`testgen serve` on a free port; yields the process and its base URL once it is healthy."""
    port = free_port()
    bot = BotProcess(["serve", "--host", "127.0.0.1", "--port", str(port), *extra], env, log)
    bot.start()
    base = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        assert bot.process is not None and bot.process.poll() is None, bot.output()
        try:
            return httpx.get(f"{base}/health/ready", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_for(healthy, 30, "testgen serve to be ready")
        yield bot, base
    finally:
        bot.stop()
