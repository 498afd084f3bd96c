"""Credentials of a delivery: secret token, Standard Webhooks signature, delivery identity."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from bot.webhook_auth import AuthError, check_signature, check_token, delivery_key

KEY = b"k" * 32
TOKEN = "whsec_" + base64.b64encode(KEY).decode()


def _signed(body: bytes, msg_id: str = "msg_1", ts: int = 1_700_000_000) -> dict[str, str]:
    mac = hmac.new(KEY, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest()
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(ts),
        "webhook-signature": "v1," + base64.b64encode(mac).decode(),
    }


def test_matching_token_passes() -> None:
    check_token({"x-gitlab-token": "s3cret"}, "s3cret")


@pytest.mark.parametrize("headers", [{}, {"x-gitlab-token": "wrong"}, {"x-gitlab-token": ""}])
def test_missing_or_wrong_token_is_refused(headers: dict[str, str]) -> None:
    with pytest.raises(AuthError):
        check_token(headers, "s3cret")


def test_valid_signature_passes() -> None:
    body = b'{"a": 1}'
    check_signature(_signed(body), body, TOKEN, now=1_700_000_010)


def test_any_of_several_signatures_may_match() -> None:
    body = b"{}"
    headers = _signed(body)
    headers["webhook-signature"] = "v1,Zm9v " + headers["webhook-signature"]
    check_signature(headers, body, TOKEN, now=1_700_000_000)


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (lambda h, b: (h, b + b" "), "invalid"),
        (lambda h, b: ({**h, "webhook-id": "other"}, b), "invalid"),
        (lambda h, b: ({k: v for k, v in h.items() if k != "webhook-signature"}, b), "missing"),
        (lambda h, b: ({**h, "webhook-timestamp": "soon"}, b), "malformed"),
    ],
)
def test_tampered_signature_is_refused(tamper, message) -> None:  # type: ignore[no-untyped-def]
    body = b'{"a": 1}'
    headers, sent = tamper(_signed(body), body)
    with pytest.raises(AuthError, match=message):
        check_signature(headers, sent, TOKEN, now=1_700_000_000)


def test_stale_signature_is_refused() -> None:
    body = b"{}"
    with pytest.raises(AuthError, match="stale"):
        check_signature(_signed(body), body, TOKEN, now=1_700_000_000 + 301)


def test_idempotency_key_identifies_a_delivery() -> None:
    a = delivery_key({"idempotency-key": "k1", "x-gitlab-event-uuid": "e1"}, "Push Hook", b"x")
    b = delivery_key({"idempotency-key": "k1", "x-gitlab-event-uuid": "e2"}, "Push Hook", b"y")
    assert a == b


def test_event_uuid_alone_is_not_enough_recursive_hooks_share_it() -> None:
    first = delivery_key({"x-gitlab-event-uuid": "e", "x-gitlab-webhook-uuid": "w1"}, "N", b"")
    second = delivery_key({"x-gitlab-event-uuid": "e", "x-gitlab-webhook-uuid": "w2"}, "N", b"")
    assert first != second


def test_without_headers_the_body_identifies_a_delivery() -> None:
    assert delivery_key({}, "Push Hook", b"a") == delivery_key({}, "Push Hook", b"a")
    assert delivery_key({}, "Push Hook", b"a") != delivery_key({}, "Push Hook", b"b")
