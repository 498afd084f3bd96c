"""The functional suite's response-time guard: a slow response is an Allure warning."""

from __future__ import annotations

from dataclasses import replace

from bot.generate.model import GeneratedFile

# added to the end of the generated conftest.py; the `api` client's hooks time each request
_GUARD = '''

# responses slower than this many milliseconds are attached to the Allure report as a warning
# (never a failure); SLOW_MS in the environment overrides the value from .testgen.yml
SLOW_MS = float(os.environ.get("SLOW_MS", "{slow_ms}"))


def _started(request: httpx.Request) -> None:
    request.extensions["testgen_started"] = time.perf_counter()


def _slow(response: httpx.Response) -> None:
    started = response.request.extensions.get("testgen_started")
    if started is None:
        return
    took = (time.perf_counter() - started) * 1000
    if took > SLOW_MS:
        request = response.request
        text = f"{{request.method}} {{request.url}} took {{took:.0f}} ms (slow_ms {{SLOW_MS:.0f}})"
        kind = allure.attachment_type.TEXT
        allure.attach(text, name="warning: slow response", attachment_type=kind)


@pytest.fixture(autouse=True)
def _slow_guard(request: pytest.FixtureRequest) -> None:
    """Time the requests of the test's `api` client, when it uses one."""
    if "api" not in request.fixturenames:
        return
    client = request.getfixturevalue("api")
    client.event_hooks["request"].append(_started)
    client.event_hooks["response"].append(_slow)
'''


def with_slow_guard(file: GeneratedFile, slow_ms: int | None) -> GeneratedFile:
    """The functional conftest with the guard added (other files, or no `slow_ms`: as they are)."""
    if slow_ms is None or file.path.rsplit("/", 1)[-1] != "conftest.py":
        return file
    text = file.content.replace("import itertools\n", "import itertools\n", 1)
    text = text.replace("\nimport httpx\n", "\nimport allure\nimport httpx\n", 1)
    text = text.replace("import os\n", "import os\nimport time\n", 1)
    return replace(file, content=text.rstrip("\n") + "\n" + _GUARD.format(slow_ms=slow_ms))
