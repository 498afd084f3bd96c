"""How the spec says credentials travel: the header and scheme of its most used security scheme."""

from __future__ import annotations

from collections import Counter
from typing import Any

from bot.scan.model import Inventory

# (auth_header, auth_scheme) as `GenerateOptions` takes them; scheme "" sends the bare value
Auth = tuple[str, str]
_HTTP_SCHEMES = {"bearer": "Bearer", "basic": "Basic", "digest": "Digest"}


def _schemes(doc: dict[str, Any]) -> dict[str, Any]:
    found = (doc.get("components") or {}).get("securitySchemes") or doc.get("securityDefinitions")
    return found if isinstance(found, dict) else {}


def _header(scheme: Any) -> Auth | None:
    if not isinstance(scheme, dict):
        return None
    kind = str(scheme.get("type", "")).lower()
    if kind == "apikey":
        name = scheme.get("name")
        if scheme.get("in") == "header" and isinstance(name, str) and name:
            return name, ""
        return None  # in query or cookie: a header cannot carry it
    if kind == "http":
        wanted = str(scheme.get("scheme", "")).lower()
        return ("Authorization", _HTTP_SCHEMES[wanted]) if wanted in _HTTP_SCHEMES else None
    if kind == "basic":  # Swagger 2
        return "Authorization", "Basic"
    if kind in ("oauth2", "openidconnect"):
        return "Authorization", "Bearer"
    return None


def spec_auth(doc: dict[str, Any] | None, inventory: Inventory) -> Auth | None:
    """The header of the scheme most endpoints require (ties: by name); None when the spec
    declares none that a header can carry, so the options' defaults stay."""
    if doc is None:
        return None
    schemes = _schemes(doc)
    uses = Counter(name for e in inventory.endpoints for name in e.security if name in schemes)
    for name, _ in sorted(uses.items(), key=lambda item: (-item[1], item[0])):
        header = _header(schemes[name])
        if header is not None:
            return header
    return None
