"""The typed GitLab error family and the one function that maps a response to it."""

from __future__ import annotations

import json


class GitLabError(Exception):
    """A GitLab API call failed; `status` is the HTTP status (None: no response)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(f"{status} {message}" if status is not None else message)
        self.status = status
        self.message = message
        # the call that failed, set by the transport: "POST", "/projects/:id/repository/commits"
        self.method: str | None = None
        self.route: str | None = None


class BadRequest(GitLabError):
    """400: a missing or invalid parameter, or an action GitLab refuses."""


class Unauthorized(GitLabError):
    """401: the token is missing, wrong, expired or revoked."""


class Forbidden(GitLabError):
    """403: the token's user may not do this."""


class NotFound(GitLabError):
    """404: the resource does not exist or is invisible to the token's user."""


class Conflict(GitLabError):
    """409: e.g. another open merge request for the same branches."""


class Unprocessable(GitLabError):
    """422: validation failed."""


class RateLimited(GitLabError):
    """429 after our retries; `retry_after` is GitLab's last advice in seconds (None: none)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message, 429)
        self.retry_after = retry_after


class ServerError(GitLabError):
    """5xx after our retries."""


class TransportError(GitLabError):
    """No HTTP response: connection refused or reset, timeout, DNS failure."""


class CircuitOpen(GitLabError):
    """Not sent: GitLab failed recently and every worker pauses for `retry_after` seconds."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"GitLab calls paused for {retry_after:.1f} s after recent failures")
        self.retry_after = retry_after


_BY_STATUS: dict[int, type[GitLabError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    422: Unprocessable,
}


def error_message(body: bytes) -> str:
    """GitLab's `message` (a string, list or field map) or `error`, else the text itself."""
    text = body.decode("utf-8", errors="replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        return text[:500]
    if isinstance(data, dict):
        detail = data.get("message", data.get("error", data))
        if isinstance(detail, str):
            return detail
        if isinstance(detail, list):
            return "; ".join(str(item) for item in detail)
        if isinstance(detail, dict):
            return "; ".join(f"{key} {value}" for key, value in detail.items())
    return text[:500]


def error_for(status: int, body: bytes, retry_after: float | None = None) -> GitLabError:
    """The typed error for a non-success response. Never fails on odd bodies."""
    message = error_message(body) or f"HTTP {status}"
    if status == 429:
        return RateLimited(message, retry_after)
    if status >= 500:
        return ServerError(message, status)
    return _BY_STATUS.get(status, GitLabError)(message, status)


def is_transient(error: BaseException) -> bool:
    """Worth retrying later (the worker maps these to arq `Retry`)."""
    return isinstance(error, RateLimited | ServerError | TransportError | CircuitOpen)
