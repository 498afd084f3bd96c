"""Values built from schemas: a valid one (examples first), a wrongly typed one, an unknown id."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

import jsonschema  # type: ignore[import-untyped]
from referencing.exceptions import Unresolvable

from bot.generate._regex import synthesise
from bot.generate.schema import (
    component_name,
    effective,
    is_nullable,
    response_json_schema,
    types_of,
)
from bot.validate.rules.hardcoded_secret import looks_secret

_MAX_DEPTH = 8
_FORMATS: dict[str, str] = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "12:00:00Z",
    "duration": "P1D",
    "email": "testgen@example.com",
    "idn-email": "testgen@example.com",
    "uuid": "123e4567-e89b-42d3-a456-426614174000",
    "uri": "https://example.com/testgen",
    "url": "https://example.com/testgen",
    "iri": "https://example.com/testgen",
    "uri-reference": "/testgen",
    "iri-reference": "/testgen",
    "uri-template": "/testgen/{id}",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "dGVzdGdlbg==",
    "binary": "testgen",
    "password": "testgen-Passw0rd",
    "json-pointer": "/testgen",
    "regex": "^testgen$",
}
_PATTERN_CANDIDATES = (
    "testgen", "Testgen", "TESTGEN", "abc", "ABC", "a", "A", "1", "12", "123", "1234", "12345",
    "123456", "a1", "A1", "abc123", "ABC123", "AB", "ab-cd", "ab_cd", "a.b", "+1234567890",
    "2024-01-01", "12:00", "#ffffff", "en", "en-US", "USD", "US", "0",
)  # fmt: skip
UNKNOWN_UUID = "00000000-0000-4000-8000-000000000000"
UNKNOWN_INT = 999_999_999
UNKNOWN_STRING = "testgen-missing-0000"
SECRET_PLACEHOLDER = "testgen-secret"  # stands in for credentials found in a spec's examples


class ValueBuilder:
    """Builds request values; `gaps` lists what could not be made to fit the schema."""

    def __init__(self, components: Mapping[str, Any]) -> None:
        self.components = components
        self.gaps: list[str] = []

    def build(self, schema: Any, where: str = "value", depth: int = 0) -> Any:
        s = effective(schema, self.components)
        if depth > _MAX_DEPTH:
            self.gaps.append(f"{where}: nested too deep")
            return None
        found, value = self._documented(s)
        if found and isinstance(value, str) and looks_secret(_field(where), value):
            found = False  # a real-looking credential from the spec's example: not in a test
        if found:
            return _scrubbed(_field(where), value)
        options = s.get("oneOf") or s.get("anyOf")
        if isinstance(options, list) and options and not types_of(s):
            concrete = [o for o in options if types_of(effective(o, self.components)) != ["null"]]
            chosen = (concrete or options)[0]
            value = self.build(chosen, where, depth + 1)
            return self._discriminated(s, options, options.index(chosen), value, where)
        kinds = [t for t in types_of(s) if t != "null"]
        kind = kinds[0] if kinds else ("null" if types_of(s) == ["null"] else "string")
        if kind == "object":
            return self._object(s, where, depth)
        if kind == "array":
            return self._array(s, where, depth)
        if kind in ("integer", "number"):
            return self._number(s, where, integer=kind == "integer")
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        return self._string(s, where)

    def _discriminated(
        self, s: dict[str, Any], options: list[Any], index: int, value: Any, where: str
    ) -> Any:
        """`value` (built from branch `index`) with the discriminator property set to the
        branch's mapping key, or its schema name when the mapping does not list it."""
        found = s.get("discriminator")
        prop = found.get("propertyName") if isinstance(found, dict) else None
        if not isinstance(found, dict) or not isinstance(prop, str) or not isinstance(value, dict):
            return value
        raw = options[index] if isinstance(options[index], dict) else {}
        branch = effective(raw, self.components)
        pinned = effective((branch.get("properties") or {}).get(prop), self.components)
        if "const" in pinned or pinned.get("enum"):
            return value  # the branch names its own tag
        tag = _tag(found, raw, branch, index, len(options))
        if tag is None:
            self.gaps.append(f"{where}.{prop}: no discriminator value known for the branch")
            return value
        return {**value, prop: tag}

    def _documented(self, s: dict[str, Any]) -> tuple[bool, Any]:
        if "const" in s:
            return True, s["const"]
        candidates: list[Any] = []
        if "example" in s:
            candidates.append(s["example"])
        if isinstance(s.get("examples"), list):
            candidates += s["examples"]
        if "default" in s:
            candidates.append(s["default"])
        enum = s.get("enum")
        if isinstance(enum, list):
            candidates += [v for v in enum if v is not None]
        for candidate in candidates:
            if (candidate is not None or is_nullable(s)) and self._fits(s, candidate):
                return True, candidate
        return False, None

    def _fits(self, s: dict[str, Any], value: Any) -> bool:
        """Documented values are often wrong: use one only if the schema accepts it."""
        checker = response_json_schema(s, self.components)
        if checker is None:
            return True
        try:
            return bool(jsonschema.Draft202012Validator(checker).is_valid(value))
        except (jsonschema.SchemaError, Unresolvable, re.error, ValueError, TypeError):
            return True

    def _object(self, s: dict[str, Any], where: str, depth: int) -> dict[str, Any]:
        properties: dict[str, Any] = s.get("properties") or {}
        required = [str(r) for r in s.get("required") or []]

        def writable(name: str) -> bool:
            sub = effective(properties.get(name), self.components)
            return not sub.get("readOnly")

        names = sorted({r for r in required if writable(r)})
        if not names and not required:
            names = sorted(n for n in properties if writable(n))
        minimum = int(s.get("minProperties") or 0)
        for extra in sorted(n for n in properties if n not in names and writable(n)):
            if len(names) >= minimum:
                break
            names.append(extra)
        extra_schema = s.get("additionalProperties")
        out: dict[str, Any] = {}
        for name in names:
            sub = properties.get(name, extra_schema if isinstance(extra_schema, dict) else {})
            out[name] = self.build(sub, f"{where}.{name}", depth + 1)
        return out

    def _array(self, s: dict[str, Any], where: str, depth: int) -> list[Any]:
        low = int(s.get("minItems") or 0)
        high = s.get("maxItems")
        count = max(low, 1) if high is None else min(max(low, 1), int(high))
        if count == 0:
            return []
        item = self.build(s.get("items") or {}, f"{where}[]", depth + 1)
        items = [item]
        for index in range(1, count):
            items.append(_vary(item, index) if s.get("uniqueItems") else item)
        if s.get("uniqueItems") and len({repr(i) for i in items}) < len(items):
            self.gaps.append(f"{where}: cannot build {count} unique items")
        return items

    def _number(self, s: dict[str, Any], where: str, integer: bool) -> int | float:
        low, high = _bounds(s, integer)
        value: int | float = (low if low is not None else 1) if integer else 1.5
        if not integer and low is not None:
            value = max(value, low)
        if high is not None and value > high:
            value = high
        step = s.get("multipleOf")
        if isinstance(step, int | float) and step > 0:
            value = round(math.ceil(value / step) * step, 10)
            value = int(value) if integer or float(value).is_integer() else value
        if (low is not None and value < low) or (high is not None and value > high):
            self.gaps.append(f"{where}: no number fits its bounds")
        return int(value) if integer else value

    def _string(self, s: dict[str, Any], where: str) -> str:
        base = _FORMATS.get(str(s.get("format")), "testgen")
        low = int(s.get("minLength") or 0)
        high = s.get("maxLength")
        pattern = s.get("pattern")
        candidates = [base] + ([] if s.get("format") in _FORMATS else list(_PATTERN_CANDIDATES))
        for candidate in candidates:
            fitted = _fit_length(candidate, low, high)
            if pattern is None or _matches(str(pattern), fitted):
                return fitted
        built = _synthesised(str(pattern), low, high)
        if built is not None:
            return built
        self.gaps.append(f"{where}: no value found for pattern {pattern!r}")
        return _fit_length(base, low, high)


def _tag(
    discriminator: dict[str, Any],
    raw: dict[str, Any],
    branch: dict[str, Any],
    index: int,
    count: int,
) -> str | None:
    """The discriminator value of a branch: the mapping key that points at its schema, else its
    schema name (OpenAPI's implicit mapping). Refs the scanner inlined leave no schema name but
    a `title`; a mapping of one key per branch, with no names to go by, is read in order."""
    name = component_name(raw) or branch.get("title")
    mapping = discriminator.get("mapping")
    mapping = mapping if isinstance(mapping, dict) else {}
    if isinstance(name, str) and name:
        short = name.rsplit("/", 1)[-1]
        keys = [k for k, target in mapping.items() if str(target).rsplit("/", 1)[-1] == short]
        return str(keys[0]) if keys else short
    if mapping and len(mapping) == count:
        return str(list(mapping)[index])
    return None


def _field(where: str) -> str:
    """`body.items[].apiKey` → `apiKey`: the name the value is written under."""
    return where.rsplit(".", 1)[-1].removesuffix("[]")


def _scrubbed(name: str, value: Any) -> Any:
    """A documented value with credential-looking strings inside it replaced by a placeholder."""
    if isinstance(value, str):
        return SECRET_PLACEHOLDER if looks_secret(name, value) else value
    if isinstance(value, dict):
        return {k: _scrubbed(str(k), v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrubbed(name, v) for v in value]
    return value


def _bounds(s: dict[str, Any], integer: bool) -> tuple[float | None, float | None]:
    delta = 1 if integer else 0.5
    low, high = s.get("minimum"), s.get("maximum")
    if s.get("exclusiveMinimum") is True and low is not None:
        low += delta
    elif isinstance(s.get("exclusiveMinimum"), int | float) and s["exclusiveMinimum"] is not True:
        low = s["exclusiveMinimum"] + delta
    if s.get("exclusiveMaximum") is True and high is not None:
        high -= delta
    elif isinstance(s.get("exclusiveMaximum"), int | float) and s["exclusiveMaximum"] is not True:
        high = s["exclusiveMaximum"] - delta
    if integer:
        low = math.ceil(low) if low is not None else None
        high = math.floor(high) if high is not None else None
    return low, high


def _fit_length(text: str, low: int, high: Any) -> str:
    if len(text) < low:
        text = text + "x" * (low - len(text))
    if isinstance(high, int) and len(text) > high:
        text = text[:high]
    return text


def _matches(pattern: str, text: str) -> bool:
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return True  # an ECMA-only pattern we cannot check: keep the value


def _synthesised(pattern: str, low: int, high: Any, unknown: bool = False) -> str | None:
    """A value built from the pattern itself, if it also fits the length bounds."""
    built = synthesise(pattern, high=unknown)
    if built is None or len(built) < low or (isinstance(high, int) and len(built) > high):
        return None
    return built


def _vary(item: Any, index: int) -> Any:
    if isinstance(item, bool):
        return item
    if isinstance(item, int | float):
        return item + index
    if isinstance(item, str):
        return f"{item}{index}"
    return item


def wrong_value(schema: Any, components: Mapping[str, Any]) -> Any | None:
    """A value of another JSON type than the schema's single declared one; None if unclear."""
    s = effective(schema, components)
    if s.get("oneOf") or s.get("anyOf") or "const" in s:
        return None
    kinds = [t for t in types_of(s) if t != "null"]
    if len(kinds) != 1:
        return None
    return {
        "string": 12345,
        "integer": "not-a-number",
        "number": "not-a-number",
        "boolean": "not-a-boolean",
        "array": "not-an-array",
        "object": "not-an-object",
    }.get(kinds[0])


def unknown_id(schema: Any, components: Mapping[str, Any]) -> Any | None:
    """A value of the parameter's type that no real resource is likely to have."""
    s = effective(schema, components)
    if s.get("enum") or "const" in s:
        return None
    kinds = [t for t in types_of(s) if t != "null"]
    kind = kinds[0] if kinds else "string"
    if kind in ("integer", "number"):
        _, high = _bounds(s, integer=True)
        return int(min(UNKNOWN_INT, high)) if high is not None else UNKNOWN_INT
    if kind != "string":
        return None
    if s.get("format") == "uuid":
        return UNKNOWN_UUID
    pattern = s.get("pattern")
    low, high = int(s.get("minLength") or 0), s.get("maxLength")
    for candidate in (UNKNOWN_STRING, "0" * 8, "zzzzzzzz", "ZZZZZZZZ", "99999999"):
        fitted = _fit_length(candidate, low, high)
        if pattern is None or _matches(str(pattern), fitted):
            return fitted
    return _synthesised(str(pattern), low, high, unknown=True)
