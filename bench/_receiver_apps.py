"""The three servers bench/receiver.py compares, each run by uvicorn in its own process."""

from __future__ import annotations

import sys
from pathlib import Path

import uvicorn
from pydantic import SecretStr
from redis.asyncio import Redis
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.app import create_app
from bot.settings import Settings


def bare() -> Starlette:
    async def webhook(request: Request) -> Response:
        await request.body()
        return JSONResponse({"status": "queued"}, status_code=202)

    return Starlette(routes=[Route("/webhook", webhook, methods=["POST"])])


def one_set(redis_url: str) -> Starlette:
    redis: Redis = Redis.from_url(redis_url)

    async def webhook(request: Request) -> Response:
        body = await request.body()
        await redis.set("bench:" + request.headers["idempotency-key"], body, ex=600)
        return JSONResponse({"status": "queued"}, status_code=202)

    return Starlette(routes=[Route("/webhook", webhook, methods=["POST"])])


def main() -> None:
    kind, port, redis_url, data_dir, secret = sys.argv[1:6]
    if kind == "bare":
        app = bare()
    elif kind == "one_set":
        app = one_set(redis_url)
    else:
        settings = Settings(webhook_secret=SecretStr(secret), data_dir=Path(data_dir))
        app = create_app(settings, redis_url)
    uvicorn.run(app, host="127.0.0.1", port=int(port), log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
