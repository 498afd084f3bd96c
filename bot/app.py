"""The webhook receiver: verify, record and enqueue each delivery, and answer in milliseconds."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import orjson
import structlog
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from redis.asyncio import Redis
from redis.exceptions import RedisError
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot import __version__, metrics
from bot.allowlist import Allowlist
from bot.drain import drain_forever
from bot.intake import Delivery, Intake
from bot.project_secrets import ProjectSecrets
from bot.settings import Settings
from bot.spool import Spool, SpoolError
from bot.startup import GitLabHealth
from bot.webhook_auth import AuthError, check_signature, check_token, delivery_key

HANDLED_EVENTS = frozenset(
    {"Push Hook", "Merge Request Hook", "Note Hook", "Pipeline Hook", "Issue Hook"}
)
log = structlog.get_logger("bot.receiver")
EVERYONE = Allowlist(frozenset(), ())
NO_PROJECT_SECRETS = ProjectSecrets({})


@dataclass
class Receiver:
    """What the endpoints share: settings, the Redis client, the intake and the spool."""

    settings: Settings
    redis: Redis
    intake: Intake
    spool: Spool
    wake_drain: asyncio.Event
    gitlab: GitLabHealth | None = None  # None: this process does not call GitLab
    allowlist: Allowlist = EVERYONE
    project_secrets: ProjectSecrets = NO_PROJECT_SECRETS


def connect_redis(url: str) -> Redis:
    """A client that fails fast when Redis is down, so the receiver can spool instead."""
    client: Redis = Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=2.0)
    return client


def _receiver(request: Request) -> Receiver:
    receiver: Receiver = request.app.state.receiver
    return receiver


_COUNTERS: dict[tuple[str, str], Any] = {}


def _outcome(event: str, outcome: str) -> None:
    key = (event if event in HANDLED_EVENTS else "other", outcome)
    counter = _COUNTERS.get(key)
    if counter is None:  # labelled children are looked up once, not per delivery
        counter = _COUNTERS[key] = metrics.WEBHOOK_REQUESTS.labels(*key)
    counter.inc()


def _json(content: dict[str, Any], status_code: int) -> Response:
    return Response(orjson.dumps(content), status_code, media_type="application/json")


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"body larger than {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"body larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _authenticate(
    request: Request, body: bytes | None, settings: Settings, projects: ProjectSecrets
) -> None:
    try:
        if body is None:
            if projects.owner_of(request.headers.get("x-gitlab-token")) is not None:
                return  # a project's own secret: checked against the body's project later
            check_token(request.headers, settings.webhook_secret.get_secret_value())
        elif (signing := settings.webhook_signing_token) is not None:
            check_signature(request.headers, body, signing.get_secret_value())
    except AuthError as error:
        raise HTTPException(401, str(error)) from None


async def webhook(request: Request) -> Response:
    receiver = _receiver(request)
    event = request.headers.get("x-gitlab-event", "")
    try:
        _authenticate(request, None, receiver.settings, receiver.project_secrets)
        body = await _read_body(request, receiver.settings.max_body_bytes)
        _authenticate(request, body, receiver.settings, receiver.project_secrets)
    except HTTPException as error:
        _outcome(event, "unauthorized" if error.status_code == 401 else "too_large")
        raise
    if event not in HANDLED_EVENTS:
        _outcome(event, "ignored")
        return _json({"status": "ignored"}, 202)
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError:
        _outcome(event, "malformed")
        raise HTTPException(400, "malformed JSON body") from None
    if not isinstance(document, dict):  # valid JSON, but no GitLab event is an array or string
        _outcome(event, "malformed")
        raise HTTPException(400, "the body must be a JSON object") from None
    if receiver.project_secrets.by_project:
        owner = receiver.project_secrets.owner_of(request.headers.get("x-gitlab-token"))
        try:
            receiver.project_secrets.check(document, owner)
        except AuthError as error:
            _outcome(event, "unauthorized")
            raise HTTPException(401, str(error)) from None
    if not receiver.allowlist.allows(document):
        _outcome(event, "forbidden")
        metrics.PROJECTS_REFUSED.inc()
        raise HTTPException(403, "this bot does not serve this project")
    delivery = Delivery(
        key=delivery_key(request.headers, event, body), event=event, body=body.decode("utf-8")
    )
    return await _accept(receiver, delivery)


def _bound(delivery: Delivery) -> Any:
    return log.bind(delivery_id=delivery.key, gitlab_event=delivery.event, job_id=delivery.job_id)


async def _accept(receiver: Receiver, delivery: Delivery) -> Response:
    if not receiver.spool.pending:
        try:
            queued = await receiver.intake.enqueue(delivery)
        except (RedisError, OSError) as error:
            _bound(delivery).warning("redis unavailable, spooling delivery", error=str(error))
        else:
            if not queued:
                _outcome(delivery.event, "duplicate")
                return _json({"status": "duplicate"}, 200)
            _outcome(delivery.event, "queued")
            return _json({"status": "queued", "job_id": delivery.job_id}, 202)
    try:
        await asyncio.to_thread(receiver.spool.append, delivery)
    except SpoolError as error:
        _bound(delivery).error("delivery neither queued nor spooled", error=str(error))
        _outcome(delivery.event, "unavailable")
        raise HTTPException(503, "queue and spool unavailable; resend the delivery") from None
    metrics.SPOOL_DEPTH.set(receiver.spool.pending)
    receiver.wake_drain.set()
    _outcome(delivery.event, "spooled")
    return JSONResponse({"status": "spooled", "job_id": delivery.job_id}, status_code=202)


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok", "version": __version__})


async def ready(request: Request) -> Response:
    receiver = _receiver(request)
    try:
        await receiver.redis.ping()
    except (RedisError, OSError):
        body = {"status": "unavailable", "reason": "Redis unreachable"}
        return JSONResponse(body | {"spooled": receiver.spool.pending}, 503)
    gitlab = receiver.gitlab
    if gitlab is not None and not gitlab.ok:
        body = {"status": "unavailable", "reason": gitlab.reason}
        return JSONResponse(body | {"spooled": receiver.spool.pending}, 503)
    return JSONResponse({"status": "ready", "spooled": receiver.spool.pending})


async def metrics_endpoint(request: Request) -> Response:
    receiver = _receiver(request)
    with contextlib.suppress(RedisError, OSError):
        metrics.QUEUE_DEPTH.set(await receiver.redis.zcard("arq:queue"))
    metrics.SPOOL_DEPTH.set(receiver.spool.pending)
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=exc.headers)


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected receiver error")
    return JSONResponse({"error": "temporary receiver error; resend the delivery"}, 503)


def create_app(
    settings: Settings, redis_url: str, *, gitlab_health: GitLabHealth | None = None
) -> Starlette:
    """The receiver for one Redis; the spool lives under `settings.data_dir`. With
    `gitlab_health`, `/health/ready` is also not ready while GitLab is unreachable."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        redis = connect_redis(redis_url)
        receiver = Receiver(
            settings=settings,
            redis=redis,
            intake=Intake(redis, settings.dedupe_ttl_seconds),
            spool=Spool(settings.data_dir / "spool"),
            wake_drain=asyncio.Event(),
            gitlab=gitlab_health,
            allowlist=Allowlist.parse(settings.allowed_projects),
            project_secrets=ProjectSecrets.parse(settings.project_secrets.get_secret_value()),
        )
        app.state.receiver = receiver
        drainer = asyncio.create_task(
            drain_forever(
                receiver.spool, receiver.intake, receiver.wake_drain, settings.spool_drain_interval
            )
        )
        try:
            yield
        finally:
            drainer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await drainer
            await redis.aclose()

    routes = [
        Route("/webhook", webhook, methods=["POST"]),
        Route("/health", health, methods=["GET"]),
        Route("/health/ready", ready, methods=["GET"]),
        Route("/metrics", metrics_endpoint, methods=["GET"]),
    ]
    handlers: dict[Any, Any] = {HTTPException: _http_error, Exception: _unexpected}
    return Starlette(routes=routes, exception_handlers=handlers, lifespan=lifespan)
