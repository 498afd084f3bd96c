"""API9: endpoints the code serves that the spec does not document, and the reverse."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.generate.model import GenerateOptions
from bot.generate.source_text import snake
from bot.scan.model import Endpoint, Inventory

SPEC_FRAMEWORKS = frozenset({"openapi", "swagger"})
SHADOW = "served by the code ({where}) but not documented in the spec"
ZOMBIE = "documented in the spec ({where}) but no longer served by the code"


@dataclass(frozen=True)
class InventoryGap:
    """One endpoint only the code or only the spec has."""

    kind: Literal["shadow", "zombie"]
    endpoint: Endpoint
    where: str  # file:line of the sighting that has it

    @property
    def message(self) -> str:
        text = SHADOW if self.kind == "shadow" else ZOMBIE
        return f"{self.endpoint.method} {self.endpoint.path}: " + text.format(where=self.where)


def _in_spec(endpoint: Endpoint) -> bool:
    return any(s.framework in SPEC_FRAMEWORKS for s in endpoint.sources)


def _in_code(endpoint: Endpoint) -> bool:
    return any(s.framework not in SPEC_FRAMEWORKS for s in endpoint.sources)


def inventory_gaps(inventory: Inventory) -> list[InventoryGap]:
    """Shadow endpoints (code only) and zombie operations (spec only); none unless the scan
    found both a spec and code, since only then do the two disagree."""
    endpoints = [e for e in inventory.endpoints if e.method not in ("OPTIONS", "HEAD", "TRACE")]
    if not any(map(_in_spec, endpoints)) or not any(map(_in_code, endpoints)):
        return []
    gaps: list[InventoryGap] = []
    for endpoint in endpoints:
        sighting = endpoint.sources[0] if endpoint.sources else None
        where = f"{sighting.file}:{sighting.line}" if sighting else f"{endpoint.file}"
        if not _in_spec(endpoint):
            gaps.append(InventoryGap("shadow", endpoint, where))
        elif not _in_code(endpoint):
            gaps.append(InventoryGap("zombie", endpoint, where))
    return sorted(gaps, key=lambda g: (g.kind, g.endpoint.path, g.endpoint.method))


def documented_by_feature(
    inventory: Inventory, options: GenerateOptions
) -> dict[str, list[Endpoint]]:
    """The selected endpoints the spec documents, by feature slug (sorted). The spec is the
    contract: an undocumented ("shadow") endpoint gets only API9's test, no other suite."""
    from bot.generate.suite import _selected  # the functional suite's own choice (no cycle)

    shadows = {g.endpoint.key for g in inventory_gaps(inventory) if g.kind == "shadow"}
    groups: dict[str, list[Endpoint]] = {}
    for endpoint in _selected(inventory, options):
        if endpoint.key not in shadows:
            groups.setdefault(snake(endpoint.feature), []).append(endpoint)
    return dict(sorted(groups.items()))
