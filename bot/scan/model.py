"""The endpoint inventory model shared by scanners, generation, healing and coverage."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Literal, cast, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE"]
HTTP_METHODS: frozenset[str] = frozenset(get_args(HttpMethod))
# A method name code gives that HTTP does not have (`as_view({"list": "list"})`, `methods=["LIST"]`)
ODD_METHOD = "`{method}` is not an HTTP method; no endpoint for it"
ParamLocation = Literal["path", "query", "header", "cookie"]

_PARAM = re.compile(r"\{[^{}]*\}")
# `{?<source expression>}`: how scanners mark a path part they cannot know statically
_UNRESOLVED = re.compile(r"\{\?([^{}]*)\}")
_SLASHES = re.compile(r"/{2,}")


class Param(BaseModel):
    """One request parameter outside the body."""

    model_config = ConfigDict(populate_by_name=True, frozen=True)

    name: str
    location: ParamLocation
    required: bool = False
    schema_: dict[str, Any] | None = Field(default=None, alias="schema")


class Sighting(BaseModel):
    """One place an endpoint was declared: a source file or a spec."""

    model_config = ConfigDict(frozen=True)

    framework: str
    file: str
    line: int
    handler: str | None = None


class ScanWarning(BaseModel):
    """Something a scanner skipped or could not resolve, naming the file."""

    model_config = ConfigDict(frozen=True)

    file: str
    message: str
    line: int | None = None


class Endpoint(BaseModel):
    """One HTTP operation: a method on a path template with `{name}` parameters."""

    method: HttpMethod
    path: str
    framework: str
    file: str
    line: int
    handler: str | None = None
    params: list[Param] = Field(default_factory=list)
    request_schema: dict[str, Any] | None = None
    request_content_type: str | None = None
    request_required: bool = False
    # status code ("200", "default") → JSON schema of the body (None: no body or unknown)
    responses: dict[str, dict[str, Any] | None] = Field(default_factory=dict)
    # media types the success responses declare (Swagger's `produces`); empty: unknown
    produces: list[str] = Field(default_factory=list)
    status_codes: list[int] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    # names of security requirements (schemes or dependency names); empty: none declared
    security: list[str] = Field(default_factory=list)
    operation_id: str | None = None
    summary: str | None = None
    deprecated: bool = False
    sources: list[Sighting] = Field(default_factory=list)
    # the app serving it, `module:variable` (`shop.main:app`, `mysite.urls:urlpatterns`);
    # None where the scanner cannot tell (specs, other languages)
    app: str | None = None
    # False where the code leaves it out of the app's generated OpenAPI document on purpose
    # (`include_in_schema=False`, DRF `schema = None`): served, but not documented
    in_schema: bool = True
    # source expressions of path parts not known statically (`settings.api_prefix`): the path
    # holds only the known parts, and no test is generated against it
    unresolved: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _clean_path(self) -> Endpoint:
        """Scanners write an unknown part as `{?expr}`: it leaves the path for `unresolved`. An
        old regex route's optional final slash (`^users/?$` → `/users/?`) is one slash."""
        if "{?" in self.path:
            path, parts = split_unresolved(self.path)
            self.path = path or "/"
            self.unresolved = [*self.unresolved, *(p for p in parts if p not in self.unresolved)]
        if self.path.endswith("/?"):
            self.path = self.path[:-1]
        return self

    @property
    def key(self) -> tuple[str, str]:
        """Identity for merging and diffing: method and path with parameter names erased."""
        return self.method, normalise_template(self.path)

    @property
    def feature(self) -> str:
        """The feature this endpoint belongs to: first tag, else first static path segment."""
        if self.tags:
            return self.tags[0]
        for segment in self.path.strip("/").split("/"):
            if segment and not segment.startswith("{"):
                return segment
        return "root"


class Inventory(BaseModel):
    """All endpoints of a repository at one revision, with the scan's warnings."""

    endpoints: list[Endpoint] = Field(default_factory=list)
    warnings: list[ScanWarning] = Field(default_factory=list)
    # JSON-schema definitions spec endpoints refer to (already inlined where resolvable)
    components: dict[str, Any] = Field(default_factory=dict)

    def find(self, method: str, path: str) -> Endpoint | None:
        key = (method.upper(), normalise_template(path))
        return next((e for e in self.endpoints if e.key == key), None)

    def apps(self) -> dict[str, int]:
        """Each app seen → how many endpoints it serves, most first (ties by name)."""
        counts: dict[str, int] = {}
        for endpoint in self.endpoints:
            if endpoint.app is not None:
                counts[endpoint.app] = counts.get(endpoint.app, 0) + 1
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    def default_app(self, preferred: str | None = None) -> str | None:
        """`preferred` (from `.testgen.yml`) when it is one of the apps, else the largest app."""
        apps = self.apps()
        if preferred is not None and preferred in apps:
            return preferred
        return next(iter(apps), None)

    def for_app(self, app: str | None = None) -> Inventory:
        """Only the endpoints of `app` (default: `default_app()`), plus those of no known app."""
        chosen = self.default_app(app)
        if chosen is None or len(self.apps()) < 2:
            return self
        kept = [e for e in self.endpoints if e.app in (chosen, None)]
        return self.model_copy(update={"endpoints": kept})


def http_methods(names: Iterable[str]) -> tuple[list[HttpMethod], list[str]]:
    """The HTTP methods among `names` (upper-cased, first sighting order) and the other names:
    code may map any word, and a scan warns about those rather than fail on them."""
    known: list[HttpMethod] = []
    odd: list[str] = []
    for name in names:
        upper = str(name).upper()
        if upper in HTTP_METHODS:
            if upper not in known:
                known.append(cast(HttpMethod, upper))
        elif str(name) not in odd:
            odd.append(str(name))
    return known, odd


def split_unresolved(path: str) -> tuple[str, list[str]]:
    """`/{?settings.PREFIX}/users/{id}` → (`/users/{id}`, [`settings.PREFIX`]): the clean
    template of the known parts and the unknown parts' source expressions, in order."""
    parts = _UNRESOLVED.findall(path)
    clean = _SLASHES.sub("/", _UNRESOLVED.sub("", path))
    if path.startswith("/") and not clean.startswith("/"):
        clean = "/" + clean
    if len(clean) > 1 and clean.endswith("/") and not path.endswith("/"):
        clean = clean.rstrip("/")  # `/readings/{?x}`: the unknown last segment takes its slash
    return clean, parts


def normalise_template(path: str) -> str:
    """`/users/{user_id}/` → `/users/{}`: the shape two sightings of one endpoint share."""
    shape = _PARAM.sub("{}", path)
    if len(shape) > 1:
        shape = shape.rstrip("/")
    return shape or "/"
