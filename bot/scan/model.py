"""The endpoint inventory model shared by scanners, generation, healing and coverage."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE"]
ParamLocation = Literal["path", "query", "header", "cookie"]

_PARAM = re.compile(r"\{[^{}]*\}")


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


def normalise_template(path: str) -> str:
    """`/users/{user_id}/` → `/users/{}`: the shape two sightings of one endpoint share."""
    shape = _PARAM.sub("{}", path)
    if len(shape) > 1:
        shape = shape.rstrip("/")
    return shape or "/"
