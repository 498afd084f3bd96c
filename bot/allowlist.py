"""Which projects the bot serves: `TESTGEN_ALLOWED_PROJECTS` (ids or namespaces; empty: all)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Allowlist:
    ids: frozenset[int]
    namespaces: tuple[str, ...]  # "group" allows "group/app" and "group/sub/app"

    @classmethod
    def parse(cls, text: str) -> Allowlist:
        items = [item.strip().strip("/") for item in text.replace(";", ",").split(",")]
        ids = frozenset(int(item) for item in items if item.isdigit())
        names = tuple(item.lower() for item in items if item and not item.isdigit())
        return cls(ids, names)

    @property
    def everyone(self) -> bool:
        return not self.ids and not self.namespaces

    def allows(self, payload: Any) -> bool:
        """Whether a delivery's project is served (a body naming no project is not)."""
        if self.everyone:
            return True
        if not isinstance(payload, dict):
            return False
        found = payload.get("project")
        project: dict[str, Any] = found if isinstance(found, dict) else {}
        project_id = project.get("id", payload.get("project_id"))
        if isinstance(project_id, int) and project_id in self.ids:
            return True
        path = project.get("path_with_namespace", payload.get("path_with_namespace"))
        if not isinstance(path, str):
            return False
        path = path.lower().strip("/")
        return any(path == ns or path.startswith(ns + "/") for ns in self.namespaces)
