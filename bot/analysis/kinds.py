"""What kind of test a function is, where recognisable: happy path, negative, auth, schema."""

from __future__ import annotations

import re

import libcst as cst

from bot.analysis._walk import walk

KINDS = ("happy", "negative", "auth", "schema")
_AUTH_NAME = re.compile(r"unauth|auth|token|forbidden|credential|login|permission|40[13]")
_NEGATIVE_NAME = re.compile(
    r"invalid|missing|bad|not_?found|unknown|negative|wrong|error|reject|fail|conflict|4\d\d"
)
_SCHEMA = re.compile(r"schema", re.I)


def _facts(function: cst.FunctionDef) -> tuple[set[int], bool]:
    """Status-like integers the body compares against, and whether it checks a schema."""
    statuses: set[int] = set()
    schema = False
    for node in walk(function.body):
        if isinstance(node, cst.Comparison):
            for inner in walk(node):
                if isinstance(inner, cst.Integer) and inner.value.isdigit():
                    value = int(inner.value)
                    if 100 <= value <= 599:
                        statuses.add(value)
        elif isinstance(node, cst.Name):
            schema = schema or bool(_SCHEMA.search(node.value)) or node.value == "validate"
        elif isinstance(node, cst.Attribute):
            attr = node.attr.value
            schema = schema or bool(_SCHEMA.search(attr)) or attr == "validate"
    return statuses, schema


def test_kinds(function: cst.FunctionDef) -> tuple[str, ...]:
    """The kinds a test is, by its name, the status codes it compares and schema checks;
    `happy` when it is neither negative nor about auth."""
    name = function.name.value.lower()
    statuses, schema = _facts(function)
    kinds: list[str] = []
    if _AUTH_NAME.search(name) or statuses & {401, 403}:
        kinds.append("auth")
    elif _NEGATIVE_NAME.search(name) or any(400 <= s < 500 for s in statuses):
        kinds.append("negative")
    else:
        kinds.append("happy")
    if schema or _SCHEMA.search(name):
        kinds.append("schema")
    return tuple(k for k in KINDS if k in kinds)


test_kinds.__test__ = False  # type: ignore[attr-defined]
