"""The test→endpoint map's types: tests, the requests they make, and where each path is written.

Everything here is plain frozen data, positions as libcst's `PositionProvider` gives them
(`line` 1-based, `column` 0-based, `end_*` exclusive), file names as the keys of the source
mapping the map was read from. A codemod finds a node again by `(file, line, column, kind)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

WrittenKind = Literal["string", "fstring", "format", "percent", "story"]
"""The node holding path text:
- `string`: a `SimpleString` (or one part of a `ConcatenatedString`): `"/pets/"`;
- `fstring`: a `FormattedString`; its `FormattedStringText` parts hold the text, each
  `FormattedStringExpression` is a hole (or, when it names a constant, that constant's own
  `Written`): `f"{BASE}/pets/{pet_id}"`;
- `format`: the `SimpleString` receiver of `.format(...)`; replacement fields are holes;
- `percent`: the `SimpleString` left of `%`; `%s`-style fields are holes;
- `story`: the string argument of `allure.story(...)` / `allure.dynamic.story(...)`."""

HopKind = Literal["constant", "import", "attribute", "local", "fixture", "param", "helper"]
"""How a URL expression was followed from the call to where its text is written:
- `constant`: a module-level `NAME = …` of the module that uses it;
- `import`: `from x import NAME` / `import x` then `x.NAME`, into another file of the suite;
- `attribute`: a class attribute, `Paths.PETS` or `self.PETS`;
- `local`: a variable assigned in the function (or bound by `with … as`, `for … in`);
- `fixture`: a pytest fixture parameter, to its `return`/`yield` (same module or a conftest);
- `param`: a `pytest.mark.parametrize` value or a helper's argument at its call site;
- `helper`: a plain function the test calls that makes the request itself."""

RequestKind = Literal["call", "story"]
Role = Literal["test", "fixture"]


@dataclass(frozen=True)
class Hop:
    """One name followed on the way to the text: what it is, its name, where it is defined."""

    kind: HopKind
    name: str
    file: str
    line: int


@dataclass(frozen=True)
class Written:
    """One node of source that writes (part of) a request's URL.

    `text` is what the node contributes, holes as `{}` (`"/pets/{}"` for `f"/pets/{pet_id}"`);
    `via` lists the names followed from the call to this node, outermost first (empty when the
    text is written in the call itself).
    """

    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    kind: WrittenKind
    text: str
    via: tuple[Hop, ...] = ()


@dataclass(frozen=True)
class Request:
    """One HTTP request a test makes (a call) or names (an Allure story).

    `url` is the whole URL as far as it is known (unknown parts `{}`); `path` is its path
    without query or fragment, an unknown base URL in front dropped, trailing `/` dropped
    (`"/pets/{}"`); `host` is set when a scheme and host are written (`"api.example.com"`), and
    `host_name` names the constant or fixture that carried it (a base URL) when it came through
    one. `line`/`column` locate the call (or the story's string); `written` are the nodes that
    hold the URL's text, in the order they appear in the URL. `role` is `fixture` for requests a
    fixture the test uses makes on its behalf (set-up, not what the test tests).
    """

    method: str
    url: str
    path: str
    host: str | None
    kind: RequestKind
    file: str
    line: int
    column: int
    written: tuple[Written, ...]
    role: Role = "test"
    host_name: str | None = None


@dataclass(frozen=True)
class TestCase:
    """One test function: `file::name` (`file::Class::name` for a method), with its requests."""

    __test__ = False  # not a pytest class

    file: str
    name: str
    line: int
    requests: tuple[Request, ...] = ()
    # happy | negative | auth | schema, where recognisable (see `kinds.test_kinds`)
    kinds: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.file}::{self.name}"


EndpointKey = tuple[str, str]
"""An inventory endpoint as `(METHOD, path template exactly as the inventory has it)`."""


@dataclass(frozen=True)
class Hit:
    """A request of a test that reaches an endpoint of the inventory."""

    test: TestCase
    request: Request
    endpoint: EndpointKey
