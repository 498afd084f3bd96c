"""The fixed parts of a generated locustfile: settings, helpers and the threshold check."""

from __future__ import annotations

HEAD = '''{marker}
"""Generated load test for the {label} feature: list, then create → read → update → delete.

Run headless (the run exits non-zero when the 95th percentile response time or the share of
failed requests passes its threshold):

    locust -f {path} --headless -u 10 -r 5 -t 1m
"""

from __future__ import annotations

import itertools
import os
import re
import uuid
from typing import Any

from locust import HttpUser, between, events, task
from locust.env import Environment

# the same variables as the functional suite (see its conftest.py)
BASE_URL_ENV = {base_url_env}
CREDENTIALS_ENV = {auth_env}
AUTH_IN = {auth_in}
AUTH_NAME = {auth_name}
AUTH_SCHEME = {auth_scheme}
# thresholds from .testgen.yml `performance:`; LOAD_P95_MS and LOAD_ERROR_RATE override them
P95_MS = float(os.environ.get("LOAD_P95_MS", "{p95_ms}"))
ERROR_RATE = float(os.environ.get("LOAD_ERROR_RATE", "{error_rate}"))
RUN_ID = uuid.uuid4().hex[:8]
_SERIAL = itertools.count(1)
ENVELOPES = ("data", "result", "item", "resource", "object")
_ID_SEGMENT = re.compile(r"/(?=[^/]*\\d)[^/]+")
'''

HELPERS = '''

{unique_function}

def _find_id(response: Any, field: str) -> Any:
    try:
        data = response.json()
    except ValueError:
        data = None
    if isinstance(data, dict):
        bodies = [data] + [data[k] for k in ENVELOPES if isinstance(data.get(k), dict)]
        for body in bodies:
            for name in (field, "id"):
                if body.get(name) is not None:
                    return body[name]
    location = response.headers.get("location", "")
    return location.rstrip("/").rsplit("/", 1)[-1] if location else None


def _name(path: str) -> str:
    """The statistics entry of a request: ids in the path folded into `{{id}}`."""
    return _ID_SEGMENT.sub("/{{id}}", path)


class Flow:
    """One pass of a flow: resources it creates, deleted at its end unless the flow did."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.created: list[str] = []

    def create_resource(
        self, path: str, body: Any, field: str, item_path: str | None = None
    ) -> Any:
        response = self.client.post(path, json=body, name=_name(path))
        found = _find_id(response, field) if response.ok else None
        if found is None:
            raise StopFlow
        if item_path is not None:
            self.created.append(item_path.format(found))
        return found

    def send(self, method: str, url: str, **kwargs: Any) -> Any:
        if method == "DELETE" and url in self.created:
            self.created.remove(url)
        return self.client.request(method, url, name=_name(url), **kwargs)

    def clean(self) -> None:
        for path in reversed(self.created):
            self.client.delete(path, name=_name(path))


class StopFlow(Exception):
    """A resource the flow needs could not be created (already counted as a failure)."""


def _credential() -> dict[str, dict[str, str]]:
    credential = os.environ.get(CREDENTIALS_ENV, "")
    if not credential:
        return {{}}
    if AUTH_IN == "header":
        value = f"{{AUTH_SCHEME}} {{credential}}" if AUTH_SCHEME else credential
        return {{"headers": {{AUTH_NAME: value}}}}
    return {{"params" if AUTH_IN == "query" else "cookies": {{AUTH_NAME: credential}}}}
'''

FOOT = '''

@events.quitting.add_listener
def _check_thresholds(environment: Environment, **_: Any) -> None:
    """Exit non-zero when the run's p95 or its failure ratio passes the threshold."""
    total = environment.stats.total
    if not total.num_requests:
        return
    p95 = total.get_response_time_percentile(0.95) or 0
    problems = []
    if p95 > P95_MS:
        problems.append(f"p95 {{p95:.0f}} ms > {{P95_MS:.0f}} ms")
    if total.fail_ratio > ERROR_RATE:
        problems.append(f"error rate {{total.fail_ratio:.3f}} > {{ERROR_RATE}}")
    if problems:
        print("load thresholds exceeded: " + ", ".join(problems))
        environment.process_exit_code = 1
    else:
        print(f"load thresholds met: p95 {{p95:.0f}} ms, error rate {{total.fail_ratio:.3f}}")
'''
