"""The receiver answers every request, whatever its headers and body, without a 500."""

from __future__ import annotations

import string
from pathlib import Path

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import create_app
from tests.support.uvicorn_thread import serve_in_thread
from tests.test_app import SECRET
from tests.test_app import settings as receiver_settings

# what an HTTP client can send: printable, no line breaks, no whitespace at either end
HEADER_VALUE = st.text(alphabet=string.printable.strip() + " ", max_size=40).map(str.strip)
HEADERS = st.fixed_dictionaries(
    {},
    optional={
        "X-Gitlab-Event": st.one_of(
            st.sampled_from(["Push Hook", "Note Hook", "Merge Request Hook", "System Hook"]),
            HEADER_VALUE,
        ),
        "X-Gitlab-Token": st.one_of(st.just(SECRET), HEADER_VALUE),
        "Idempotency-Key": HEADER_VALUE,
        "X-Gitlab-Event-UUID": HEADER_VALUE,
        "X-Gitlab-Webhook-UUID": HEADER_VALUE,
        "Content-Type": st.sampled_from(["application/json", "text/plain", "", "x/y; q=1"]),
        "webhook-id": HEADER_VALUE,
        "webhook-timestamp": HEADER_VALUE,
        "webhook-signature": HEADER_VALUE,
    },
)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)
BODY = st.one_of(st.binary(max_size=200), JSON.map(lambda v: httpx.Response(200, json=v).content))
ANSWERED = {200, 202, 400, 401, 403, 413}


def test_no_headers_and_body_make_the_receiver_fail(tmp_path: Path, redis_url: str) -> None:
    app = create_app(receiver_settings(tmp_path, max_body_bytes=150), redis_url)
    with serve_in_thread(app) as base, httpx.Client(base_url=base, timeout=10) as client:

        @given(HEADERS, BODY)
        @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        def answered(headers: dict[str, str], body: bytes) -> None:
            response = client.post("/webhook", content=body, headers=headers)
            assert response.status_code in ANSWERED, (response.status_code, response.text)
            assert response.headers["content-type"].startswith("application/json")

        answered()
