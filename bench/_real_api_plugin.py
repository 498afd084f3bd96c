"""pytest plugin of bench/real_apis.py: records every response a generated test gets.

Loaded with `-p bench._real_api_plugin`; writes one JSON line per test to the file named by
`TESTGEN_BENCH_RECORD`: the test's outcome, its failure text and the responses it received.
Only the bench loads it: the generated suite does not know about it.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

_responses: list[dict[str, Any]] = []
_original_send = httpx.Client.send


_recording = [True]  # off during teardown: the cleanup of created resources is not the test


def _recording_send(self: httpx.Client, request: httpx.Request, **kwargs: Any) -> httpx.Response:
    response = _original_send(self, request, **kwargs)
    if not _recording[0]:
        return response
    try:
        text = response.text[:2000] if not response.is_stream_consumed or response.content else ""
    except (httpx.ResponseNotRead, UnicodeDecodeError, httpx.StreamError):
        text = ""
    _responses.append(
        {
            "method": request.method,
            "path": request.url.path,
            "status": response.status_code,
            "content_type": response.headers.get("content-type", ""),
            "body": text,
        }
    )
    return response


httpx.Client.send = _recording_send  # type: ignore[method-assign]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    _responses.clear()
    _recording[0] = True
    item.stash[_OUTCOME] = {"outcome": "passed", "message": ""}
    started = time.monotonic()
    yield
    record = {
        "test": item.nodeid,
        **item.stash[_OUTCOME],
        "seconds": round(time.monotonic() - started, 3),
        "responses": list(_responses),
    }
    with open(os.environ["TESTGEN_BENCH_RECORD"], "a", encoding="utf-8") as out:
        out.write(json.dumps(record) + "\n")


_OUTCOME = pytest.StashKey[dict[str, str]]()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.skipped and call.when in ("setup", "call"):
        item.stash[_OUTCOME] = {"outcome": "skipped", "message": str(report.longrepr)[-300:]}
    elif report.failed:
        message = report.longreprtext.strip().splitlines()
        item.stash[_OUTCOME] = {"outcome": "failed", "message": "\n".join(message[-6:])[-1500:]}


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    _recording[0] = False
