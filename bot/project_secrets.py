"""Per-project webhook secrets (`TESTGEN_PROJECT_SECRETS`): a project's own secret authenticates
deliveries about that project only, and once a project has one, the shared secret no longer
does. A leaked project secret cannot forge events for any other project."""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.webhook_auth import AuthError


@dataclass(frozen=True)
class ProjectSecrets:
    by_project: Mapping[str, str]  # project id or path_with_namespace (lower case) → secret

    @classmethod
    def parse(cls, text: str) -> ProjectSecrets:
        """`42=secret-one, group/app=secret-two` (`;` separates too)."""
        pairs = {}
        for item in text.replace(";", ",").split(","):
            key, sep, secret = item.strip().partition("=")
            if sep and key.strip() and secret.strip():
                pairs[key.strip().strip("/").lower()] = secret.strip()
        return cls(pairs)

    def secrets(self) -> list[str]:
        return list(self.by_project.values())

    def owner_of(self, token: str | None) -> str | None:
        """The project whose secret `token` is (compared in constant time with every one)."""
        owner = None
        for key, secret in self.by_project.items():
            if token is not None and hmac.compare_digest(token.encode(), secret.encode()):
                owner = key
        return owner

    def check(self, payload: Any, owner: str | None) -> None:
        """A delivery authenticated by `owner`'s secret (None: the shared one) must be about a
        project that secret is for; AuthError otherwise."""
        keys = _project_keys(payload)
        if owner is not None and owner not in keys:
            raise AuthError("this X-Gitlab-Token belongs to another project")
        if owner is None and any(key in self.by_project for key in keys):
            raise AuthError("this project has its own secret: use it as X-Gitlab-Token")


def _project_keys(payload: Any) -> set[str]:
    if not isinstance(payload, dict):
        return set()
    found = payload.get("project")
    project: dict[str, Any] = found if isinstance(found, dict) else {}
    keys = set()
    project_id = project.get("id", payload.get("project_id"))
    if isinstance(project_id, int):
        keys.add(str(project_id))
    path = project.get("path_with_namespace", payload.get("path_with_namespace"))
    if isinstance(path, str):
        keys.add(path.strip("/").lower())
    return keys
