"""How the spec says credentials travel: as what its most used security scheme sends them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from bot.generate.model import AuthIn, GenerateOptions
from bot.scan.model import Endpoint, Inventory

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


@dataclass(frozen=True)
class Credential:
    """Where the credential travels (`location`), under which header, query parameter or cookie
    `name`, and the `scheme` prefixed to it in a header ("" sends the bare value)."""

    location: AuthIn
    name: str
    scheme: str = ""

    def options(self, options: GenerateOptions) -> GenerateOptions:
        """`options` with this credential's way of travelling."""
        update = {"auth_in": self.location, "auth_header": self.name, "auth_scheme": self.scheme}
        return options.model_copy(update=update)


def _credential(scheme: Any) -> Credential | None:
    header = _header(scheme)
    if header is not None:
        return Credential("header", *header)
    if not isinstance(scheme, dict) or str(scheme.get("type", "")).lower() != "apikey":
        return None
    name, where = scheme.get("name"), scheme.get("in")
    if where in ("query", "cookie") and isinstance(name, str) and name:
        return Credential("query" if where == "query" else "cookie", name)
    return None


def _by_use(doc: dict[str, Any], inventory: Inventory) -> list[tuple[str, Any]]:
    """The declared schemes endpoints require, the most required first (ties: by name)."""
    schemes = _schemes(doc)
    uses = Counter(name for e in inventory.endpoints for name in e.security if name in schemes)
    ranked = sorted(uses.items(), key=lambda item: (-item[1], item[0]))
    return [(name, schemes[name]) for name, _ in ranked]


def spec_credential(doc: dict[str, Any] | None, inventory: Inventory) -> Credential | None:
    """How the scheme most endpoints require sends its credential: a header, a query parameter
    or a cookie (ties: by name; schemes the suite cannot send, e.g. mutual TLS, are passed
    over); None when the spec declares none, so the options' defaults stay."""
    if doc is None:
        return None
    for _, scheme in _by_use(doc, inventory):
        found = _credential(scheme)
        if found is not None:
            return found
    return None


def spec_auth(doc: dict[str, Any] | None, inventory: Inventory) -> Auth | None:
    """The header of the scheme most endpoints require (ties: by name); None when the spec
    declares none that a header can carry, so the options' defaults stay."""
    if doc is None:
        return None
    for _, scheme in _by_use(doc, inventory):
        header = _header(scheme)
        if header is not None:
            return header
    return None


def requires_credential(endpoint: Endpoint) -> bool:
    """Whether an operation says it wants a credential: it names a security requirement, or
    it lists an `Authorization` header among its parameters (specs written by hand, and
    frameworks' header annotations, often say it that way instead of with a scheme)."""
    if endpoint.security:
        return True
    return any(p.location == "header" and p.name.lower() == _AUTHORIZATION for p in endpoint.params)


_AUTHORIZATION = "authorization"


def declares_security(credential: Credential | None, inventory: Inventory) -> bool:
    """Whether the API says it wants a credential: a scheme the suite can send, or endpoints
    that name a security requirement (a scanned dependency, a scheme of another kind) or an
    `Authorization` header parameter."""
    return credential is not None or any(requires_credential(e) for e in inventory.endpoints)
