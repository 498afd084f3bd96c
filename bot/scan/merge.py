"""Merging sightings of one endpoint (code and spec) into one entry, keyed by method and shape.

The spec is the declared contract: its path, params, schemas, status codes, security, tags,
operationId, summary and deprecation win where it states them. The code is the implementation:
its framework, file, line and handler lead, so generated tests and healing point at the code.
Every sighting is kept in `sources`.
"""

from __future__ import annotations

from bot.scan.model import Endpoint, Sighting

_SPEC_FRAMEWORKS = frozenset({"openapi", "swagger"})
_CONTRACT = (
    "params",
    "request_schema",
    "request_content_type",
    "responses",
    "status_codes",
    "tags",
    "security",
    "operation_id",
    "summary",
)


def _is_spec(endpoint: Endpoint) -> bool:
    return endpoint.framework in _SPEC_FRAMEWORKS


def _combine(first: Endpoint, second: Endpoint) -> Endpoint:
    lead, other = (second, first) if _is_spec(first) and not _is_spec(second) else (first, second)
    update: dict[str, object] = {}
    if _is_spec(other) and not _is_spec(lead):  # code leads, the spec's contract wins
        update = {name: getattr(other, name) for name in _CONTRACT if getattr(other, name)}
        update["path"] = other.path
        update["unresolved"] = []  # the spec states the served path the code could not
        update["request_required"] = other.request_required
        update["deprecated"] = other.deprecated or lead.deprecated
    else:  # two sightings of one kind: the first leads, the second fills its gaps
        update = {
            n: getattr(other, n) for n in _CONTRACT if not getattr(lead, n) and getattr(other, n)
        }
    sources = dict.fromkeys([*lead.sources, *other.sources])
    update["sources"] = sorted(sources, key=lambda s: (s.file, s.line, s.framework))
    return lead.model_copy(update=update)


def merge(endpoints: list[Endpoint]) -> list[Endpoint]:
    """One endpoint per (method, path shape), sorted by path then method."""
    ordered = sorted(endpoints, key=lambda e: (_is_spec(e), e.file, e.line, e.path, e.method))
    by_key: dict[tuple[str, str], Endpoint] = {}
    for endpoint in ordered:
        if not endpoint.sources:
            endpoint = endpoint.model_copy(
                update={
                    "sources": [
                        Sighting(
                            framework=endpoint.framework,
                            file=endpoint.file,
                            line=endpoint.line,
                            handler=endpoint.handler,
                        )
                    ]
                }
            )
        known = by_key.get(endpoint.key)
        by_key[endpoint.key] = endpoint if known is None else _combine(known, endpoint)
    return sorted(by_key.values(), key=lambda e: (e.path, e.method))
