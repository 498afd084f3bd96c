"""Switchable faults (429, 5xx, slow answers) and the request log of the simulator."""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class LoggedRequest:
    """One request as the simulator saw it; `path` is the raw (percent-encoded) path."""

    method: str
    path: str
    query: str
    status: int


@dataclass
class Fault:
    """The next `remaining` matching requests get `status` (or are delayed by `delay` s)."""

    remaining: int
    status: int | None = None
    delay: float = 0.0
    path: re.Pattern[str] | None = None
    method: str | None = None
    retry_after: int | None = None
    reset_in: int | None = None

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method:
            return False
        return self.path is None or self.path.search(path) is not None

    def headers(self) -> dict[str, str]:
        """Headers GitLab's rate limiter sends with a 429 (RateLimit-Reset is epoch seconds)."""
        if self.status != 429:
            return {}
        headers = {"RateLimit-Name": "throttle_authenticated_api", "RateLimit-Limit": "60"}
        headers |= {"RateLimit-Observed": "61", "RateLimit-Remaining": "0"}
        if self.retry_after is not None:
            headers["Retry-After"] = str(self.retry_after)
        reset_in = self.reset_in if self.reset_in is not None else self.retry_after
        if reset_in is not None:
            headers["RateLimit-Reset"] = str(int(time.time()) + reset_in)
        return headers


class FaultBook:
    """Thread-safe list of pending faults and the log of served requests."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._log: list[LoggedRequest] = []

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def take(self, method: str, path: str) -> Fault | None:
        """Consume one use of the first fault matching this request."""
        with self._lock:
            for fault in self._faults:
                if fault.remaining > 0 and fault.matches(method, path):
                    fault.remaining -= 1
                    return fault
            return None

    def pending(self) -> int:
        """Uses of faults not yet consumed by a request."""
        with self._lock:
            return sum(fault.remaining for fault in self._faults)

    def record(self, entry: LoggedRequest) -> None:
        with self._lock:
            self._log.append(entry)

    def log(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._log)

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()
