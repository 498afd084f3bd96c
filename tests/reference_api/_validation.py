"""Request body checks of the reference API, written out by hand from openapi.yaml."""

from __future__ import annotations

import re
from typing import Any

SPECIES = ("cat", "dog", "bird")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Invalid(ValueError):
    """The body breaks the schema; the message says where."""


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _require(body: Any, fields: tuple[str, ...], skip: frozenset[str]) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise Invalid("body must be an object")
    missing = [f for f in fields if f not in body and f not in skip]
    if missing:
        raise Invalid(f"missing required field(s): {', '.join(missing)}")
    return body


def new_pet(
    body: Any, lax_required: bool = False, lax_types: bool = False, lax_enum: bool = False
) -> dict[str, Any]:
    skip = frozenset({"name"}) if lax_required else frozenset()
    body = _require(body, ("name", "species"), skip)
    name = body.get("name", "")
    if not lax_types:
        if "name" in body and (not isinstance(name, str) or not 1 <= len(name) <= 40):
            raise Invalid("name must be a string of 1 to 40 characters")
        if body["species"] not in SPECIES and not (lax_enum and isinstance(body["species"], str)):
            raise Invalid(f"species must be one of {SPECIES}")
        age = body.get("age")
        if age is not None and (not _is_int(age) or not 0 <= age <= 40):
            raise Invalid("age must be an integer from 0 to 40, or null")
        tags = body.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise Invalid("tags must be a list of strings")
    return {
        "name": str(name),
        "species": str(body["species"]),
        "age": body.get("age"),
        "tags": [str(t) for t in body.get("tags") or []],
    }


def new_owner(body: Any) -> dict[str, Any]:
    body = _require(body, ("name", "email"), frozenset())
    if not isinstance(body["name"], str) or not body["name"]:
        raise Invalid("name must be a non-empty string")
    if not isinstance(body["email"], str) or not _EMAIL.match(body["email"]):
        raise Invalid("email must be an e-mail address")
    return {"name": body["name"], "email": body["email"]}


def new_order(body: Any) -> dict[str, Any]:
    body = _require(body, ("petId", "quantity"), frozenset())
    if not _is_int(body["petId"]):
        raise Invalid("petId must be an integer")
    quantity = body["quantity"]
    if not _is_int(quantity) or not 1 <= quantity < 10:
        raise Invalid("quantity must be an integer from 1 to 9")
    note = body.get("note")
    if note is not None and not isinstance(note, str):
        raise Invalid("note must be a string or null")
    return {"petId": body["petId"], "quantity": quantity, "note": note}
