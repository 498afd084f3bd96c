"""The webhook receiver over real uvicorn and a real Redis: what each kind of delivery gets."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis
from pydantic import SecretStr

from bot.app import create_app
from bot.intake import job_deserializer
from bot.settings import Settings
from tests.conftest import FIXTURES
from tests.support.redis_server import RedisServer
from tests.support.uvicorn_thread import serve_in_thread

SECRET = "hook-secret-0123456789"
PUSH = (FIXTURES / "gitlab" / "push.json").read_bytes()


def headers(
    event: str = "Push Hook", token: str = SECRET, key: str = "delivery-1"
) -> dict[str, str]:
    return {
        "X-Gitlab-Event": event,
        "X-Gitlab-Token": token,
        "Idempotency-Key": key,
        "Content-Type": "application/json",
    }


def settings(tmp_path: Path, **extra: object) -> Settings:
    return Settings(
        webhook_secret=SecretStr(SECRET), data_dir=tmp_path, spool_drain_interval=0.1, **extra
    )


def queued_jobs(url: str) -> list[dict[str, object]]:
    client = redis.Redis.from_url(url)
    ids = client.zrange("arq:queue", 0, -1)
    return [job_deserializer(client.get(b"arq:job:" + job_id)) for job_id in ids]


@pytest.fixture
def receiver(tmp_path: Path, redis_url: str) -> Iterator[str]:
    with serve_in_thread(create_app(settings(tmp_path), redis_url)) as base:
        yield base


def test_push_is_queued_as_one_handle_event_job(receiver: str, redis_url: str) -> None:
    answer = httpx.post(f"{receiver}/webhook", content=PUSH, headers=headers())
    assert answer.status_code == 202
    assert answer.json()["status"] == "queued"
    [job] = queued_jobs(redis_url)
    assert job["f"] == "handle_event"
    assert job["a"][0] == "Push Hook"
    assert json.loads(job["a"][1]) == json.loads(PUSH)


def test_redelivery_is_a_duplicate_and_queues_nothing(receiver: str, redis_url: str) -> None:
    httpx.post(f"{receiver}/webhook", content=PUSH, headers=headers())
    again = httpx.post(f"{receiver}/webhook", content=PUSH, headers=headers())
    assert (again.status_code, again.json()) == (200, {"status": "duplicate"})
    assert len(queued_jobs(redis_url)) == 1


def test_older_gitlab_is_deduplicated_on_event_and_webhook_uuids(
    receiver: str, redis_url: str
) -> None:
    old = {
        "X-Gitlab-Event": "Push Hook",
        "X-Gitlab-Token": SECRET,
        "X-Gitlab-Event-UUID": "e-1",
        "X-Gitlab-Webhook-UUID": "w-1",
    }
    codes = [
        httpx.post(f"{receiver}/webhook", content=PUSH, headers=old).status_code for _ in range(2)
    ]
    assert codes == [202, 200]


def test_wrong_token_is_401_with_a_json_error(receiver: str, redis_url: str) -> None:
    answer = httpx.post(f"{receiver}/webhook", content=PUSH, headers=headers(token="nope"))
    assert answer.status_code == 401
    assert "X-Gitlab-Token" in answer.json()["error"]
    assert queued_jobs(redis_url) == []


def test_malformed_json_is_400(receiver: str) -> None:
    answer = httpx.post(f"{receiver}/webhook", content=b"{not json", headers=headers())
    assert answer.status_code == 400


@pytest.mark.parametrize("body", [b"[1, 2]", b'"a string"', b"42", b"null"])
def test_valid_json_that_is_not_an_object_is_400_and_never_queued(
    receiver: str, redis_url: str, body: bytes
) -> None:
    answer = httpx.post(f"{receiver}/webhook", content=body, headers=headers())
    assert answer.status_code == 400
    assert "JSON object" in answer.json()["error"]
    assert queued_jobs(redis_url) == []


def test_body_over_the_cap_is_413(receiver: str) -> None:
    answer = httpx.post(f"{receiver}/webhook", content=b" " * (6 * 1024 * 1024), headers=headers())
    assert answer.status_code == 413


def test_body_over_the_cap_without_content_length_is_413(receiver: str) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(6):
            yield b" " * (1024 * 1024)

    answer = httpx.post(f"{receiver}/webhook", content=chunks(), headers=headers())
    assert answer.status_code == 413


@pytest.mark.parametrize("event", ["Tag Push Hook", "System Hook", "Job Hook", ""])
def test_events_we_do_not_handle_are_ignored_with_202(
    receiver: str, redis_url: str, event: str
) -> None:
    answer = httpx.post(f"{receiver}/webhook", content=PUSH, headers=headers(event=event))
    assert (answer.status_code, answer.json()) == (202, {"status": "ignored"})
    assert queued_jobs(redis_url) == []


def test_health_and_readiness(receiver: str) -> None:
    assert httpx.get(f"{receiver}/health").json()["status"] == "ok"
    assert httpx.get(f"{receiver}/health/ready").status_code == 200


def test_metrics_count_deliveries_by_event_and_outcome(receiver: str) -> None:
    httpx.post(f"{receiver}/webhook", content=PUSH, headers=headers(key="m-1"))
    httpx.post(f"{receiver}/webhook", content=PUSH, headers=headers(token="bad"))
    text = httpx.get(f"{receiver}/metrics").text
    assert 'testgen_webhook_requests_total{event="Push Hook",outcome="queued"}' in text
    assert 'testgen_webhook_requests_total{event="Push Hook",outcome="unauthorized"}' in text
    assert "testgen_queue_depth" in text


def test_signed_delivery_is_verified_when_a_signing_token_is_set(
    tmp_path: Path, redis_url: str
) -> None:
    import base64
    import hashlib
    import hmac

    key = os.urandom(32)
    app = create_app(
        settings(
            tmp_path, webhook_signing_token=SecretStr("whsec_" + base64.b64encode(key).decode())
        ),
        redis_url,
    )
    stamp = str(int(time.time()))
    mac = hmac.new(key, f"sig-1.{stamp}.".encode() + PUSH, hashlib.sha256).digest()
    signed = {
        **headers(key="sig-1"),
        "webhook-id": "sig-1",
        "webhook-timestamp": stamp,
        "webhook-signature": "v1," + base64.b64encode(mac).decode(),
    }
    forged = {**signed, "webhook-signature": "v1," + base64.b64encode(b"x" * 32).decode()}
    with serve_in_thread(app) as base:
        assert httpx.post(f"{base}/webhook", content=PUSH, headers=forged).status_code == 401
        assert httpx.post(f"{base}/webhook", content=PUSH, headers=signed).status_code == 202


def test_redis_outage_spools_to_disk_then_drains_in_order_once(tmp_path: Path) -> None:
    server = RedisServer(tmp_path / "redis")
    server.start()
    app = create_app(settings(tmp_path / "data"), server.url)
    with serve_in_thread(app) as base:
        server.stop()
        answers = [
            httpx.post(f"{base}/webhook", content=PUSH, headers=headers(key=key))
            for key in ("a", "b", "a")
        ]
        assert [a.status_code for a in answers] == [202, 202, 202]
        assert [a.json()["status"] for a in answers] == ["spooled"] * 3
        assert len(list((tmp_path / "data" / "spool").glob("*.json"))) == 3
        assert httpx.get(f"{base}/health/ready").status_code == 503
        server.start()
        deadline = time.monotonic() + 10
        while list((tmp_path / "data" / "spool").glob("*.json")) and time.monotonic() < deadline:
            time.sleep(0.05)
        jobs = queued_jobs(server.url)
    server.stop()
    assert [job["a"][2] for job in jobs] == ["idem:a", "idem:b"]


def test_redis_and_spool_both_down_is_503(tmp_path: Path) -> None:
    server = RedisServer(tmp_path / "redis")
    server.start()
    spool = tmp_path / "data" / "spool"
    with serve_in_thread(create_app(settings(tmp_path / "data"), server.url)) as base:
        server.stop()
        spool.rmdir()
        spool.write_text("not a folder")  # every write into the spool now fails
        answer = httpx.post(f"{base}/webhook", content=PUSH, headers=headers())
    assert answer.status_code == 503
    assert "resend" in answer.json()["error"]


def test_deliveries_from_projects_off_the_allowlist_are_refused_and_counted(
    tmp_path: Path, redis_url: str
) -> None:
    from prometheus_client import REGISTRY

    refused = "testgen_projects_refused_total"
    before = REGISTRY.get_sample_value(refused) or 0.0
    push = json.loads(PUSH)
    allowed_path = push["project"]["path_with_namespace"].split("/")[0]
    app = create_app(settings(tmp_path, allowed_projects=f"999999, {allowed_path}"), redis_url)
    other = push | {"project": push["project"] | {"id": 4242, "path_with_namespace": "evil/x"}}
    with serve_in_thread(app) as base:
        ours = httpx.post(f"{base}/webhook", content=PUSH, headers=headers(key="a"))
        theirs = httpx.post(
            f"{base}/webhook", content=json.dumps(other).encode(), headers=headers(key="b")
        )

    assert ours.status_code == 202
    assert theirs.status_code == 403 and "does not serve" in theirs.json()["error"]
    assert len(queued_jobs(redis_url)) == 1
    assert (REGISTRY.get_sample_value(refused) or 0.0) == before + 1


def test_a_project_secret_authenticates_that_project_only(tmp_path: Path, redis_url: str) -> None:
    push = json.loads(PUSH)
    ours = push["project"]["id"]
    other = push | {"project": push["project"] | {"id": 777, "path_with_namespace": "other/x"}}
    own_secret = "project-own-secret-123"
    app = create_app(
        settings(tmp_path, project_secrets=SecretStr(f"{ours}={own_secret}")), redis_url
    )
    with serve_in_thread(app) as base:

        def post(body: bytes, token: str, key: str) -> httpx.Response:
            return httpx.post(
                f"{base}/webhook", content=body, headers=headers(token=token, key=key)
            )

        with_own = post(PUSH, own_secret, "a")
        own_for_other = post(json.dumps(other).encode(), own_secret, "b")
        shared_for_ours = post(PUSH, SECRET, "c")
        shared_for_other = post(json.dumps(other).encode(), SECRET, "d")

    assert with_own.status_code == 202 and shared_for_other.status_code == 202
    assert own_for_other.status_code == 401 and "another project" in own_for_other.text
    assert shared_for_ours.status_code == 401 and "its own secret" in shared_for_ours.text
    assert len(queued_jobs(redis_url)) == 2
