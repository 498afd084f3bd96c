"""A reverse proxy in front of the GitLab simulator that injects faults for set periods.

GitLab outages have a timeline: "429 with Retry-After: 120 for 100 s, then normal". A
`FaultProxy` plays such a timeline (a list of `Phase`s, starting when `play` is called) and
forwards every request the current phase does not answer itself. Faulted requests never reach
the simulator, as when GitLab is down in front of its database.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.support.uvicorn_thread import serve_in_thread

# hop-by-hop headers are the proxy's own business
_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length", "host"})


@dataclass(frozen=True)
class Phase:
    """For `seconds`: answer `status` (with `Retry-After` when given), and/or delay answers."""

    seconds: float
    status: int | None = None
    retry_after: float | None = None
    delay: float = 0.0


class FaultProxy:
    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self._lock = threading.Lock()
        self._phases: tuple[Phase, ...] = ()
        self._started = 0.0
        self.faulted = 0  # requests answered by a fault
        self.forwarded = 0

    def play(self, *phases: Phase) -> None:
        with self._lock:
            self._phases, self._started = phases, time.monotonic()

    def phase(self) -> Phase | None:
        """The phase in force now (None: the timeline is over, everything passes)."""
        with self._lock:
            elapsed = time.monotonic() - self._started
            for phase in self._phases:
                if elapsed < phase.seconds:
                    return phase
                elapsed -= phase.seconds
            return None

    def over(self) -> bool:
        return self.phase() is None

    def app(self) -> Starlette:
        client: dict[str, httpx.AsyncClient] = {}

        @contextlib.asynccontextmanager
        async def lifespan(app: Starlette) -> AsyncIterator[None]:
            async with httpx.AsyncClient(base_url=self.upstream, timeout=60) as http:
                client["http"] = http
                yield

        async def forward(request: Request) -> Response:
            phase = self.phase()
            if phase is not None and phase.delay:
                await asyncio.sleep(phase.delay)
            if phase is not None and phase.status is not None:
                with self._lock:
                    self.faulted += 1
                headers = {}
                if phase.retry_after is not None:
                    headers["Retry-After"] = str(math.ceil(phase.retry_after))
                message = "429 Too Many Requests" if phase.status == 429 else "500 Internal Error"
                return JSONResponse({"message": message}, phase.status, headers=headers)
            with self._lock:
                self.forwarded += 1
            upstream = await client["http"].request(
                request.method,
                request.url.path,
                params=request.query_params.multi_items(),
                headers=[(k, v) for k, v in request.headers.items() if k.lower() not in _HOP],
                content=await request.body(),
            )
            headers = {k: v for k, v in upstream.headers.items() if k.lower() not in _HOP}
            headers.pop("content-encoding", None)
            return Response(upstream.content, upstream.status_code, headers=headers)

        methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"]
        routes = [Route("/{path:path}", forward, methods=methods)]
        return Starlette(routes=routes, lifespan=lifespan)


@contextmanager
def fault_proxy(upstream: str) -> Iterator[tuple[FaultProxy, str]]:
    """A running proxy to `upstream` and its base URL."""
    proxy = FaultProxy(upstream)
    with serve_in_thread(proxy.app()) as url:
        yield proxy, url
