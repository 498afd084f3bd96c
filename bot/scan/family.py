"""The contract every scanner family (python, javascript, java, openapi) fulfils."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from pydantic import BaseModel, Field

from bot.scan.model import Endpoint, ScanWarning

# What `extract` returns: JSON-serialisable facts about one file, opaque to everything but the
# family's own `link`. It is cached by (family name, family version, blob SHA), so it must depend
# on the file's bytes and path only.
Facts = dict[str, Any]


class FamilyResult(BaseModel):
    endpoints: list[Endpoint] = Field(default_factory=list)
    warnings: list[ScanWarning] = Field(default_factory=list)
    components: dict[str, Any] = Field(default_factory=dict)


class ScannerFamily(Protocol):
    """A family reads files statically (never imports or runs them) in two steps.

    `extract` is per file and cached by blob SHA; `link` combines all files' facts (prefix chains
    across modules, inheritance, `$ref`s) and must be cheap compared with `extract`.
    """

    name: str
    version: str

    def wants(self, path: str) -> bool:
        """Whether this family reads the file at `path` (by name only)."""
        ...

    def extract(self, path: str, source: bytes) -> Facts:
        """Facts of one file. Never raises: problems go into `facts["warnings"]`."""
        ...

    def link(self, facts: Mapping[str, Facts]) -> FamilyResult:
        """Endpoints and warnings of the whole tree from every wanted file's facts."""
        ...
