"""The change set between two inventories: what moved or changed shape, each with a confidence.

Built on `bot.scan.diff` (the diff behind `/testgen report`, with its probable moves): a move is
sure when both sides share an operationId or a handler, else it keeps the diff's similarity
score. Below `APPLY_FROM` a healing action is proposed, never applied.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any, Literal

from bot.generate.schema import effective, types_of
from bot.scan.diff import diff_inventories
from bot.scan.model import Endpoint, Inventory, normalise_template

ChangeKind = Literal[
    "path-renamed",
    "param-renamed",
    "method-changed",
    "request-field-added",
    "request-field-renamed",
    "request-field-removed",
    "response-field-renamed",
    "response-field-removed",
    "response-field-retyped",
    "endpoint-removed",
]
APPLY_FROM = 0.8  # a change at least this sure is healed; below it is only proposed
SAME_ID = 1.0
SAME_HANDLER = 0.95
SAME_FIELD_SCHEMA = 0.9  # one field gone and one come with the very same schema
SAME_FIELD_TYPE = 0.6  # … with only the same type
SAME_SCHEMA_SIMILAR_NAME = 0.85  # several with its schema, one with a name like it
SIMILAR_NAME = 0.8


@dataclass(frozen=True)
class Change:
    """One change of one endpoint (`method path` as the old inventory had it)."""

    kind: ChangeKind
    method: str
    path: str
    new_method: str | None = None
    new_path: str | None = None
    field: str | None = None  # old field or path parameter name
    new_field: str | None = None
    schema: Mapping[str, Any] | None = None  # the added field's schema, the retyped field's new
    confidence: float = 1.0
    reasons: tuple[str, ...] = ()

    @property
    def applies(self) -> bool:
        return self.confidence >= APPLY_FROM

    @property
    def target(self) -> tuple[str, str]:
        """The endpoint as the new inventory has it."""
        return self.new_method or self.method, self.new_path or self.path


@dataclass
class ChangeSet:
    changes: list[Change] = field(default_factory=list)
    components: dict[str, Any] = field(default_factory=dict)  # the new inventory's
    _by_key: dict[tuple[str, str], list[Change]] | None = field(default=None, repr=False)
    _by_key_of: list[Change] = field(default_factory=list, repr=False)

    def for_endpoint(self, method: str, path: str) -> list[Change]:
        if self._by_key is None or len(self._by_key_of) != len(self.changes):
            self._by_key, self._by_key_of = {}, list(self.changes)
            for change in self.changes:
                key = (change.method, normalise_template(change.path))
                self._by_key.setdefault(key, []).append(change)
        return list(self._by_key.get((method.upper(), normalise_template(path)), []))

    @property
    def breaking(self) -> bool:
        return bool(self.changes)


def _params(template: str) -> list[str]:
    return [s[1:-1] for s in template.split("/") if s.startswith("{") and s.endswith("}")]


def _move_confidence(old: Endpoint, new: Endpoint, score: float) -> tuple[float, list[str]]:
    if old.operation_id and old.operation_id == new.operation_id:
        return SAME_ID, [f"same operationId {old.operation_id}"]
    if old.handler and old.handler == new.handler and old.file == new.file:
        return SAME_HANDLER, [f"same handler {old.handler}"]
    return score, []


def _moves(
    before: Inventory, after: Inventory
) -> list[tuple[Endpoint, Endpoint, float, list[str]]]:
    """Removed endpoints paired with added ones: renames (from the diff) and method changes."""
    diff = diff_inventories(before, after)
    old: dict[tuple[str, str], Endpoint] = {(e.method, e.path): e for e in diff.removed}
    new: dict[tuple[str, str], Endpoint] = {(e.method, e.path): e for e in diff.added}
    pairs = []
    for rename in diff.renames:
        gone, came = (
            old.pop((rename.method, rename.old_path)),
            new.pop((rename.method, rename.new_path)),
        )
        confidence, why = _move_confidence(gone, came, rename.confidence)
        pairs.append((gone, came, confidence, why or rename.reasons))
    for gone in list(old.values()):
        # same path shape first (a method change), then anywhere (same operationId or handler)
        ordered = sorted(new.values(), key=lambda e: e.key[1] != gone.key[1])
        for came in ordered:
            confidence, why = _move_confidence(gone, came, 0.0)
            if confidence:
                pairs.append((gone, came, confidence, why))
                del old[(gone.method, gone.path)], new[(came.method, came.path)]
                break
    for gone in old.values():
        pairs.append((gone, gone, 0.0, []))  # removed: paired with itself, confidence 0
    for key in diff.changed:
        if "path" in key.fields:
            before_endpoint = before.find(key.method, key.path)
            after_endpoint = after.find(key.method, key.path)
            if before_endpoint is not None and after_endpoint is not None:
                pairs.append((before_endpoint, after_endpoint, 1.0, ["same path shape"]))
    return pairs


def _body_schema(
    endpoint: Endpoint, components: Mapping[str, Any], response: bool
) -> dict[str, Any]:
    """The object schema of the request body, or of the first 2xx response (items of a list)."""
    if not response:
        return effective(endpoint.request_schema, components)
    for status in sorted(endpoint.responses):
        if status.startswith("2") and endpoint.responses[status]:
            schema = effective(endpoint.responses[status], components)
            if "array" in types_of(schema):
                return effective(schema.get("items"), components)
            return schema
    return {}


def _field_changes(
    gone: Endpoint,
    came: Endpoint,
    before: Inventory,
    after: Inventory,
    response: bool,
) -> list[Change]:
    old = _body_schema(gone, before.components, response)
    new = _body_schema(came, after.components, response)
    old_props: dict[str, Any] = {
        k: effective(v, before.components) for k, v in (old.get("properties") or {}).items()
    }
    new_props: dict[str, Any] = {
        k: effective(v, after.components) for k, v in (new.get("properties") or {}).items()
    }
    if not old_props or not new_props:
        return []
    side = "response" if response else "request"
    base: dict[str, Any] = {"method": gone.method, "path": gone.path}
    lost = [k for k in old_props if k not in new_props]
    found = [k for k in new_props if k not in old_props]
    changes: list[Change] = []
    for name in list(lost):
        twins = sum(1 for k in lost if old_props[k] == old_props[name])
        candidates = {k: new_props[k] for k in found}
        picked = _renamed_to(name, old_props[name], candidates, len(lost), twins)
        if picked is not None:
            new_name, confidence, reason = picked
            changes.append(
                Change(
                    f"{side}-field-renamed",  # type: ignore[arg-type]
                    **base,
                    field=name,
                    new_field=new_name,
                    confidence=confidence,
                    reasons=(reason,),
                )
            )
            lost.remove(name)
            found.remove(new_name)
    changes += [Change(f"{side}-field-removed", **base, field=k) for k in lost]  # type: ignore[arg-type]
    if not response:
        required = set(new.get("required") or [])
        changes += [
            Change("request-field-added", **base, field=k, schema=new_props[k])
            for k in found
            if k in required
        ]
    else:
        changes += [
            Change("response-field-retyped", **base, field=k, schema=new_props[k])
            for k in old_props
            if k in new_props and types_of(old_props[k]) != types_of(new_props[k])
        ]
    return changes


def _renamed_to(
    name: str, schema: Any, candidates: Mapping[str, Any], lost: int, twins: int
) -> tuple[str, float, str] | None:
    """The new field `name` became: the only one with its schema (and `name` the only field
    gone with it); else the one with its schema and a similar name; else, when it is the only
    field gone, the only one of its type."""
    same = [k for k, v in candidates.items() if v == schema]
    if len(same) == 1 and twins == 1:
        return same[0], SAME_FIELD_SCHEMA, "same schema"
    ratios = sorted(((SequenceMatcher(None, name, k).ratio(), k) for k in same), reverse=True)
    unique = len(ratios) <= 1 or ratios[1][0] < SIMILAR_NAME
    if ratios and ratios[0][0] >= SIMILAR_NAME and unique:
        return ratios[0][1], SAME_SCHEMA_SIMILAR_NAME, f"same schema, name {ratios[0][0]:.2f} alike"
    typed = [k for k, v in candidates.items() if types_of(v) == types_of(schema)]
    if len(typed) == 1 and lost == 1:
        return typed[0], SAME_FIELD_TYPE, "same type"
    return None


def change_set(before: Inventory, after: Inventory) -> ChangeSet:
    """Every change from `before` to `after` that can break a test of `before`'s API."""
    result = ChangeSet(components=dict(after.components))
    for gone, came, confidence, reasons in _moves(before, after):
        base: dict[str, Any] = {"method": gone.method, "path": gone.path}
        if came is gone:
            result.changes.append(Change("endpoint-removed", **base, confidence=1.0))
            continue
        why = tuple(reasons)
        if came.method != gone.method:
            result.changes.append(
                Change("method-changed", **base, new_method=came.method, new_path=came.path,
                       confidence=confidence, reasons=why)
            )  # fmt: skip
        elif normalise_template(came.path) != normalise_template(gone.path):
            result.changes.append(
                Change("path-renamed", **base, new_path=came.path, confidence=confidence,
                       reasons=why)
            )  # fmt: skip
        else:
            old_names, new_names = _params(gone.path), _params(came.path)
            for old_name, new_name in zip(old_names, new_names, strict=False):
                if old_name != new_name:
                    result.changes.append(
                        Change("param-renamed", **base, new_path=came.path, field=old_name,
                               new_field=new_name, confidence=1.0, reasons=why)
                    )  # fmt: skip
        for response in (False, True):
            result.changes += _field_changes(gone, came, before, after, response)
    for change in _changed_in_place(before, after):
        result.changes.append(change)
    return result


def _changed_in_place(before: Inventory, after: Inventory) -> list[Change]:
    """Field changes of endpoints that kept their method and path."""
    changes: list[Change] = []
    for endpoint in before.endpoints:
        same = after.find(endpoint.method, endpoint.path)
        if same is not None and same.path == endpoint.path:
            for response in (False, True):
                changes += _field_changes(endpoint, same, before, after, response)
    return changes
