"""Versioned prompt templates (package data) rendered into chat messages."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from bot.generate.llm_types import Message
from bot.scan.model import Endpoint

USER_MARKER = "<!-- user -->"
STYLE_BUDGET = 4_000  # characters of the repository's own tests shown as a style sample
ENDPOINTS_BUDGET = 12_000  # characters of endpoint JSON before schemas are left out
TRUNCATED = "# … (truncated)"

_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")


@dataclass(frozen=True)
class Prompt:
    """A template's version (its file name without `.md`) and its rendered messages."""

    version: str
    messages: tuple[Message, ...]


@cache
def _template(version: str) -> tuple[str, str]:
    text = resources.files("bot.generate").joinpath(f"prompts/{version}.md").read_text("utf-8")
    system, marker, user = text.partition(USER_MARKER)
    if not marker:
        raise ValueError(f"prompt template {version} has no {USER_MARKER} line")
    return system.strip(), user.strip()


def _fill(text: str, values: Mapping[str, str]) -> str:
    # one pass, so a value that happens to contain `{{x}}` is never expanded
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def render(version: str, values: Mapping[str, str]) -> Prompt:
    """The system and user messages of template `prompts/<version>.md` filled with `values`."""
    system, user = _template(version)
    return Prompt(
        version,
        (
            Message(role="system", content=_fill(system, values)),
            Message(role="user", content=_fill(user, values)),
        ),
    )


def truncate(text: str | None, budget: int = STYLE_BUDGET) -> str:
    """At most `budget` characters of `text`, cut at a line end and marked when cut."""
    if not text:
        return "# (no existing tests)"
    if len(text) <= budget:
        return text
    cut = text.rfind("\n", 0, budget)
    return text[: cut if cut > 0 else budget] + "\n" + TRUNCATED


def _endpoint_facts(endpoint: Endpoint, *, schemas: bool) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "method": endpoint.method,
        "path": endpoint.path,
        "summary": endpoint.summary,
        "tags": endpoint.tags,
        "params": [
            {
                "name": p.name,
                "in": p.location,
                "required": p.required,
                **({"schema": p.schema_} if schemas and p.schema_ else {}),
            }
            for p in endpoint.params
        ],
        "request_content_type": endpoint.request_content_type,
        "request_required": endpoint.request_required,
        "status_codes": endpoint.status_codes or sorted(endpoint.responses),
        "security": endpoint.security,
        "deprecated": endpoint.deprecated,
    }
    if schemas:
        facts["request_schema"] = endpoint.request_schema
        facts["responses"] = endpoint.responses
    return {k: v for k, v in facts.items() if v not in (None, [], {}, False)}


def endpoints_json(endpoints: Sequence[Endpoint], budget: int = ENDPOINTS_BUDGET) -> str:
    """The endpoints as JSON with their schemas, or without schemas when that is too long."""
    full = json.dumps([_endpoint_facts(e, schemas=True) for e in endpoints], indent=1)
    if len(full) <= budget:
        return full
    return json.dumps([_endpoint_facts(e, schemas=False) for e in endpoints], indent=1)
