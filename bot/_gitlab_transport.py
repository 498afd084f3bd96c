"""gidgetlab's httpx client with retries (429 Retry-After, 5xx and transport backoff) and
typed errors raised from the one place that sees status codes and headers."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

import gidgetlab.httpx
import httpx
import structlog
from gidgetlab import sansio

from bot import metrics
from bot._gitlab_errors import GitLabError, RateLimited, ServerError, TransportError, error_for
from bot._gitlab_routes import route_template

if TYPE_CHECKING:
    from bot.breaker import Breaker

log = structlog.get_logger(__name__)

SUCCESS = frozenset({200, 201, 202, 204, 304})
IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class RetryPolicy:
    """How hard one call tries. Waits longer than the budgets end the call with the typed
    error, so the job can be retried later instead of holding a worker."""

    max_attempts: int = 5
    backoff_base: float = 0.5  # seconds before the 2nd attempt; doubles each time
    backoff_max: float = 30.0
    max_total_wait: float = 90.0  # all sleeps of one call together
    max_retry_after: float = 60.0  # a longer Retry-After is not waited for
    retry_unsafe_methods: bool = False  # POST/PATCH may have taken effect before a 5xx

    def backoff(self, attempt: int) -> float:
        return float(min(self.backoff_base * 2 ** (attempt - 1), self.backoff_max))


def retry_after_seconds(headers: Mapping[str, str], now: float) -> float | None:
    """GitLab's advice on a 429: `Retry-After` (seconds or HTTP date), then `RateLimit-Reset`
    (Unix epoch seconds)."""
    value = headers.get("retry-after")
    if value:
        try:
            return max(float(value), 0.0)
        except ValueError:
            try:
                return max(parsedate_to_datetime(value).timestamp() - now, 0.0)
            except (TypeError, ValueError):
                pass
    reset = headers.get("ratelimit-reset")
    if reset:
        try:
            return max(float(reset) - now, 0.0)
        except ValueError:
            return None
    return None


class RetryingGitLabAPI(gidgetlab.httpx.GitLabAPI):
    """Returns only successful responses to gidgetlab; everything else becomes a typed error
    here, after the retries the policy allows."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        requester: str,
        *,
        access_token: str,
        url: str,
        policy: RetryPolicy,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(client, requester, access_token=access_token, url=url)
        self.policy = policy
        self._sleep = sleep
        self._clock = clock
        self.breaker: Breaker | None = None  # shared pause of every worker's GitLab calls

    async def sleep(self, seconds: float) -> None:
        await self._sleep(seconds)

    async def _request(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes = b""
    ) -> tuple[int, Mapping[str, str], bytes]:
        try:
            return await self._guarded(method, url, headers, body)
        except GitLabError as error:  # say which call failed, for logs and the user's answer
            error.method, error.route = method, route_template(url)
            raise

    async def _guarded(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes
    ) -> tuple[int, Mapping[str, str], bytes]:
        """The call's attempts behind the shared circuit breaker, when there is one."""
        breaker = self.breaker
        if breaker is None:
            return await self._attempts(method, url, headers, body)
        await breaker.check()
        try:
            answer = await self._attempts(method, url, headers, body)
        except (RateLimited, ServerError, TransportError) as error:
            pause = await breaker.failed(getattr(error, "retry_after", None))
            log.warning("gitlab_paused", seconds=round(pause, 2), error=type(error).__name__)
            raise
        await breaker.succeeded()
        return answer

    async def _send(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes
    ) -> httpx.Response:
        """One HTTP attempt, timed and counted; DEBUG logs it (path only: no query, no headers,
        so never a token)."""
        route = route_template(url)
        started = time.perf_counter()
        status = "error"
        try:
            response = await self._client.request(method, url, headers=dict(headers), content=body)
            status = str(response.status_code)
            return response
        finally:
            elapsed = time.perf_counter() - started
            metrics.GITLAB_CALLS.labels(method, route, status).inc()
            metrics.GITLAB_CALL_DURATION.labels(method, route).observe(elapsed)
            log.debug(
                "gitlab_call",
                method=method,
                path=httpx.URL(url).path,
                route=route,
                status=status,
                ms=round(elapsed * 1000, 1),
            )

    async def _attempts(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes = b""
    ) -> tuple[int, Mapping[str, str], bytes]:
        policy, waited, attempt = self.policy, 0.0, 0
        path = httpx.URL(url).path  # never log the query or headers (tokens live there)
        while True:
            attempt += 1
            may_retry = attempt < policy.max_attempts
            try:
                response = await self._send(method, url, headers, body)
            except httpx.TransportError as error:
                safe = method in IDEMPOTENT or isinstance(
                    error, httpx.ConnectError | httpx.ConnectTimeout
                )
                wait = policy.backoff(attempt)
                if not (may_retry and safe and waited + wait <= policy.max_total_wait):
                    raise TransportError(f"{type(error).__name__}: {error}") from error
                log.warning("gitlab_retry", method=method, path=path, error=type(error).__name__)
            else:
                status = response.status_code
                if status in SUCCESS:
                    return status, response.headers, response.content
                error_obj = self._classify(status, response)
                advice = getattr(error_obj, "retry_after", None)
                if status == 429:
                    wait = advice if advice is not None else policy.backoff(attempt)
                    ok = wait <= policy.max_retry_after
                elif status >= 500:
                    wait = policy.backoff(attempt)
                    ok = method in IDEMPOTENT or policy.retry_unsafe_methods
                else:
                    raise error_obj
                if not (ok and may_retry and waited + wait <= policy.max_total_wait):
                    raise error_obj
                log.warning("gitlab_retry", method=method, path=path, status=status, wait=wait)
            await self._sleep(wait)
            waited += wait

    def _classify(self, status: int, response: httpx.Response) -> GitLabError:
        advice = retry_after_seconds(response.headers, self._clock()) if status == 429 else None
        return error_for(status, response.content, advice)

    async def get_bytes(self, url: str, params: Mapping[str, str]) -> bytes:
        """The raw body, whatever its content type (gidgetlab would decode text to str)."""
        headers = sansio.create_headers(self.requester, access_token=self.access_token)
        _, _, body = await self._request("GET", self.format_url(url, dict(params)), headers)
        return body

    async def iterate(
        self, url: str, params: Mapping[str, str], max_pages: int = 10_000
    ) -> AsyncIterator[Any]:
        """Every item of a list endpoint, following `Link rel="next"` exactly as given
        (params go on the first request only: the next link already carries them)."""
        next_url: str | None = self.format_url(url, dict(params))
        seen: set[str] = set()
        while next_url is not None:
            if next_url in seen or len(seen) >= max_pages:
                raise GitLabError(f"pagination does not end at {httpx.URL(next_url).path}")
            seen.add(next_url)
            data, next_url = await self._make_request("GET", next_url, {}, b"")
            if not isinstance(data, list):
                raise GitLabError("expected a JSON list")
            for item in data:
                yield item


__all__ = ["RateLimited", "RetryPolicy", "RetryingGitLabAPI", "ServerError", "retry_after_seconds"]
