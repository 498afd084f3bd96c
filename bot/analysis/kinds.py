"""What kind of test a function is, where recognisable: happy path, negative, auth, schema."""

from __future__ import annotations

import re

KINDS = ("happy", "negative", "auth", "schema")
_AUTH_NAME = re.compile(r"unauth|auth|token|forbidden|credential|login|permission|40[13]")
_NEGATIVE_NAME = re.compile(
    r"invalid|missing|bad|not_?found|unknown|negative|wrong|error|reject|fail|conflict|4\d\d"
)
_STATUS = re.compile(r"status(?:_code)?\s*(?:==|in)\s*[\(\[{]?\s*(\d{3})")
_SCHEMA = re.compile(r"jsonschema|validate\(|schema", re.I)


def test_kinds(name: str, source: str) -> tuple[str, ...]:
    """The kinds a test is (by its name, asserted status codes and schema checks); `happy` when
    it is neither negative nor about auth."""
    lowered = name.lower()
    statuses = {int(code) for code in _STATUS.findall(source)}
    kinds: list[str] = []
    if _AUTH_NAME.search(lowered) or statuses & {401, 403}:
        kinds.append("auth")
    elif _NEGATIVE_NAME.search(lowered) or any(400 <= s < 500 for s in statuses):
        kinds.append("negative")
    else:
        kinds.append("happy")
    if _SCHEMA.search(lowered) or _SCHEMA.search(source):
        kinds.append("schema")
    return tuple(k for k in KINDS if k in kinds)


test_kinds.__test__ = False  # type: ignore[attr-defined]
