"""The one test→endpoint map: which endpoint each test calls, read statically (libcst, never
executed), with the positions of every node that writes a path.

Generation ("already tested"), healing (what to rewrite) and coverage all read this map.

Reading (`read_tests`, inventory-free) then matching (`build_test_map`):

- A **test** is a `test*` function of a `test_*.py` / `*_test.py` file, at module level or in a
  `Test*` class (`TestCase.id` = `file::name` / `file::Class::name`). Other files of the
  mapping (conftest.py, helpers, constants) are only followed, never read for tests.
- Its **requests** (`Request`): calls `x.get/post/put/patch/delete/head/options(url)` (also
  `url=`), `x.request(method, url)`, `httpx.Request(method, url)`, on any receiver (httpx,
  requests, TestClient, fixture clients) whose URL reads as a path or a URL (`"content-type"`
  does not); calls in plain helper functions the test calls (arguments bound, 3 levels);
  `@allure.story("GET /pets/{id}")` (function or class) and `allure.dynamic.story(...)` as
  `kind="story"`; calls made by the fixtures the test uses, as `role="fixture"` (set-up: they
  do not count as testing that endpoint).
- A URL is followed through strings, f-strings, `.format`, `%`, `+`, `"/".join([...])`,
  `urljoin`, locals (last assignment before the call; `with … as`; `for x in [...]`), module
  constants, imported constants (`from .paths import PETS`, `import paths` → `paths.PETS`),
  class attributes (`Paths.PETS`, `self.PETS`), fixtures (to their `return`/`yield`), helper
  and factory-fixture returns, `pytest.mark.parametrize` values (each value one request), and
  the `base_url=` of the client a call is made on. What cannot be known (env variables,
  `str(x)`, response data) is a hole `{}`: a hole in front is the unknown base URL.
- Positions: every `Request.written` is a `Written(file, line, column, end_line, end_column,
  kind, text, via)`, the node that holds the text (`kind` says which node type; see
  `model.WrittenKind`), `via` the `Hop`s followed from the call (constant, import, fixture,
  param, …) so a codemod edits the constant or fixture where the path is written, not the call.
  Comments are not code, so a commented-out call is no request.

**Matching** (`Matcher`) is of whole templates: same method, same number of segments, each
static segment equal, a parameter `{id}` matched by any value; a hole matches only a
parameter. The only slack is a base path: the static prefix every endpoint shares (each keeping
one static segment) or one from config (`base_paths`, e.g. a gateway prefix), on either side.
`/health` reaches `GET /health` and nothing else. A request to another host (a scheme and host
written, not local, not configured in `hosts`, not carried by a base-URL name such as
`BASE_URL`) reaches nothing. When several templates fit, the most specific (most static
segments) wins: `/pets/mine` reaches `GET /pets/mine`, not `GET /pets/{id}`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from bot.analysis.match import Matcher, suite_hosts
from bot.analysis.model import EndpointKey, Hit, Request, Role, TestCase
from bot.analysis.request_reader import Reader
from bot.analysis.suite_modules import Suite
from bot.scan.model import Endpoint
from bot.validate.paths import is_test_file

__all__ = [
    "EndpointKey",
    "Hit",
    "Request",
    "TestCase",
    "TestMap",
    "build_test_map",
    "read_tests",
]


def is_test_path(path: str) -> bool:
    return path.endswith(".py") and is_test_file(PurePosixPath(path).name)


def read_tests(sources: Mapping[str, str], files: Iterable[str] | None = None) -> list[TestCase]:
    """Every test of the test files in `sources` (or of `files`), sorted by file then line."""
    reader = Reader(Suite(sources))
    chosen = sorted(p for p in (files if files is not None else sources) if is_test_path(p))
    found: list[TestCase] = []
    for path in chosen:
        found.extend(reader.tests(path))
    return found


@dataclass(frozen=True)
class TestMap:
    """Tests, the endpoints of the inventory they reach, and the requests that reach them."""

    __test__ = False

    tests: tuple[TestCase, ...]
    hits: tuple[Hit, ...]
    endpoints: tuple[EndpointKey, ...]

    def covered(self, roles: Sequence[Role] = ("test",)) -> dict[EndpointKey, tuple[str, ...]]:
        """Endpoint → ids of the tests that reach it (in file order); untested ones left out."""
        out: dict[EndpointKey, list[str]] = {}
        for hit in self.hits:
            if hit.request.role in roles:
                ids = out.setdefault(hit.endpoint, [])
                if hit.test.id not in ids:
                    ids.append(hit.test.id)
        return {key: tuple(ids) for key, ids in out.items()}

    def endpoints_of(self, test_id: str, roles: Sequence[Role] = ("test",)) -> list[EndpointKey]:
        """The endpoints one test reaches, in the order it makes the requests."""
        found = [h.endpoint for h in self.hits if h.test.id == test_id and h.request.role in roles]
        return list(dict.fromkeys(found))

    def hits_of(self, endpoint: EndpointKey) -> list[Hit]:
        """Every request (fixtures' too) that reaches `endpoint`: what a rename must rewrite."""
        return [h for h in self.hits if h.endpoint == endpoint]

    def untested(self) -> list[EndpointKey]:
        covered = self.covered()
        return [key for key in self.endpoints if key not in covered]


def match_tests(
    tests: Sequence[TestCase],
    endpoints: Iterable[Endpoint],
    base_paths: Sequence[str] = (),
    hosts: Sequence[str] = (),
) -> TestMap:
    """The map of already-read tests against an inventory."""
    chosen = list(endpoints)
    every = [r for t in tests for r in t.requests]
    matcher = Matcher(chosen, base_paths, hosts, suite_hosts(every))
    hits: list[Hit] = []
    for test in tests:
        for request in test.requests:
            key = matcher.endpoint_of(request)
            if key is not None:
                hits.append(Hit(test, request, key))
    keys = tuple(dict.fromkeys((e.method, e.path) for e in chosen))
    return TestMap(tuple(tests), tuple(hits), keys)


def build_test_map(
    sources: Mapping[str, str],
    endpoints: Iterable[Endpoint],
    base_paths: Sequence[str] = (),
    hosts: Sequence[str] = (),
) -> TestMap:
    """Read the tests of `sources` (path → text) and match them against `endpoints`."""
    return match_tests(read_tests(sources), endpoints, base_paths, hosts)
