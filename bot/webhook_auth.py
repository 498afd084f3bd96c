"""Pure checks of a delivery's credentials: the secret token and the Standard Webhooks HMAC."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from collections.abc import Mapping

SIGNATURE_TOLERANCE_SECONDS = 300


class AuthError(Exception):
    """The delivery's credentials are missing or wrong; the message is safe to return."""


def check_token(headers: Mapping[str, str], secret: str) -> None:
    """Compare `X-Gitlab-Token` with the configured secret in constant time."""
    supplied = headers.get("x-gitlab-token")
    if supplied is None:
        raise AuthError("missing X-Gitlab-Token")
    if not hmac.compare_digest(supplied.encode(), secret.encode()):
        raise AuthError("invalid X-Gitlab-Token")


def signing_key(token: str) -> bytes:
    """The HMAC key of a `whsec_<base64>` signing token (the raw string otherwise)."""
    if token.startswith("whsec_"):
        try:
            return base64.b64decode(token.removeprefix("whsec_"), validate=True)
        except binascii.Error:
            pass
    return token.encode()


def check_signature(
    headers: Mapping[str, str], body: bytes, token: str, now: float | None = None
) -> None:
    """Verify `webhook-signature` over `{webhook-id}.{webhook-timestamp}.{body}` (HMAC-SHA256)."""
    message_id = headers.get("webhook-id")
    timestamp = headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature")
    if not (message_id and timestamp and signatures):
        raise AuthError("missing webhook-signature headers (is GitLab's signing token set?)")
    try:
        sent_at = int(timestamp)
    except ValueError:
        raise AuthError("malformed webhook-timestamp") from None
    if abs((time.time() if now is None else now) - sent_at) > SIGNATURE_TOLERANCE_SECONDS:
        raise AuthError("stale webhook-timestamp")
    signed = b"%s.%s.%s" % (message_id.encode(), timestamp.encode(), body)
    expected = base64.b64encode(hmac.new(signing_key(token), signed, hashlib.sha256).digest())
    for candidate in signatures.split():
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(value.encode(), expected):
            return
    raise AuthError("invalid webhook-signature")


def delivery_key(headers: Mapping[str, str], event: str, body: bytes) -> str:
    """The identity of a delivery across GitLab's resends.

    `Idempotency-Key` (GitLab 17.4+); else event UUID + webhook UUID (the event UUID alone is
    shared by recursive deliveries); else, on very old GitLab, a hash of the event and body.
    """
    if key := headers.get("idempotency-key"):
        return f"idem:{key}"
    event_uuid = headers.get("x-gitlab-event-uuid")
    webhook_uuid = headers.get("x-gitlab-webhook-uuid")
    if event_uuid:
        return f"uuid:{event_uuid}:{webhook_uuid or '-'}"
    return "body:" + hashlib.sha256(event.encode() + b"\0" + body).hexdigest()
