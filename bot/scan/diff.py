"""The difference between two inventories: added, removed, changed endpoints and rename candidates.

Endpoints are matched by `Endpoint.key` (method + path shape). A removed and an added endpoint
with the same method that look alike (same handler, same schemas, similar path) are offered as a
rename candidate with a confidence in [0, 1]; both still appear in `removed` and `added`, so a
consumer decides what confidence it trusts.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any

from pydantic import BaseModel, Field

from bot.scan.model import Endpoint, Inventory, normalise_template

COMPARED = (
    "path",
    "params",
    "request_schema",
    "request_content_type",
    "request_required",
    "responses",
    "status_codes",
    "security",
    "tags",
    "deprecated",
    "handler",
)
RENAME_THRESHOLD = 0.5


class FieldChange(BaseModel):
    field: str
    before: Any = None
    after: Any = None


class EndpointChange(BaseModel):
    method: str
    path: str
    changes: list[FieldChange] = Field(default_factory=list)

    @property
    def fields(self) -> list[str]:
        return [c.field for c in self.changes]


class RenameCandidate(BaseModel):
    method: str
    old_path: str
    new_path: str
    confidence: float
    reasons: list[str] = Field(default_factory=list)


class InventoryDiff(BaseModel):
    added: list[Endpoint] = Field(default_factory=list)
    removed: list[Endpoint] = Field(default_factory=list)
    changed: list[EndpointChange] = Field(default_factory=list)
    renames: list[RenameCandidate] = Field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _value(endpoint: Endpoint, name: str) -> Any:
    value = getattr(endpoint, name)
    if name == "params":
        return sorted(
            (p.model_dump(mode="json", by_alias=True) for p in value),
            key=lambda p: (p["location"], p["name"]),
        )
    if isinstance(value, list) and name != "status_codes":
        return sorted(value)
    return value


def _changes(before: Endpoint, after: Endpoint) -> list[FieldChange]:
    changes = []
    for name in COMPARED:
        old, new = _value(before, name), _value(after, name)
        if old != new:
            changes.append(FieldChange(field=name, before=old, after=new))
    return changes


def _similarity(old: Endpoint, new: Endpoint) -> tuple[float, list[str]]:
    score, reasons = 0.0, list[str]()
    if old.handler and old.handler == new.handler:
        score, reasons = score + 0.5, [*reasons, "same handler"]
    if old.request_schema and old.request_schema == new.request_schema:
        score, reasons = score + 0.2, [*reasons, "same request schema"]
    if any(old.responses.values()) and old.responses == new.responses:
        score, reasons = score + 0.15, [*reasons, "same responses"]
    if old.file == new.file:
        score, reasons = score + 0.1, [*reasons, "same file"]
    ratio = SequenceMatcher(
        None, normalise_template(old.path), normalise_template(new.path)
    ).ratio()
    score += 0.2 * ratio
    reasons.append(f"path similarity {ratio:.2f}")
    return min(round(score, 3), 1.0), reasons


def diff_inventories(before: Inventory, after: Inventory) -> InventoryDiff:
    old = {e.key: e for e in before.endpoints}
    new = {e.key: e for e in after.endpoints}
    result = InventoryDiff(
        added=[new[k] for k in sorted(new.keys() - old.keys())],
        removed=[old[k] for k in sorted(old.keys() - new.keys())],
    )
    for key in sorted(old.keys() & new.keys()):
        changes = _changes(old[key], new[key])
        if changes:
            result.changed.append(
                EndpointChange(method=key[0], path=new[key].path, changes=changes)
            )
    scored = []
    for gone in result.removed:
        for came in result.added:
            if gone.method == came.method:
                confidence, reasons = _similarity(gone, came)
                if confidence >= RENAME_THRESHOLD:
                    scored.append((confidence, gone, came, reasons))
    used: set[tuple[str, str]] = set()
    for confidence, gone, came, reasons in sorted(scored, key=lambda s: -s[0]):
        if gone.key in used or came.key in used:
            continue
        used |= {gone.key, came.key}
        result.renames.append(
            RenameCandidate(
                method=gone.method,
                old_path=gone.path,
                new_path=came.path,
                confidence=confidence,
                reasons=reasons,
            )
        )
    return result
