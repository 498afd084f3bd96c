"""What the Allure and pytest APIs mean: label callables, severities, step phases."""

from __future__ import annotations

import re
from typing import Literal

Phase = Literal["arrange", "act", "assert"]

# qualified callable → the label it sets (allure.label takes the name as first argument)
LABEL_CALLABLES: dict[str, str] = {
    name: name
    for name in (
        "feature", "story", "epic", "suite", "parent_suite", "sub_suite", "severity", "tag",
        "id", "manual", "title", "description", "description_html", "link", "issue", "testcase",
    )
}  # fmt: skip
LABEL_CALLABLES["description_html"] = "description"

# `allure.label(name, …)`: names as allure-python writes them (`LabelType` values) → ours
_LABEL_NAMES = {"parentSuite": "parent_suite", "subSuite": "sub_suite", "as_id": "id"}
_LABEL_NAMES["ALLURE_MANUAL"] = "manual"
LABEL_TYPE = "allure_commons.types.LabelType."
_LABEL_TYPES = {
    "EPIC": "epic", "FEATURE": "feature", "STORY": "story", "PARENT_SUITE": "parent_suite",
    "SUITE": "suite", "SUB_SUITE": "sub_suite", "SEVERITY": "severity", "TAG": "tag",
    "ID": "id", "MANUAL": "manual", "THREAD": "thread", "HOST": "host",
    "FRAMEWORK": "framework", "LANGUAGE": "language",
}  # fmt: skip

# labels pytest propagates from classes and `pytestmark` (they are marks); `title` and
# `description` set attributes on the decorated function only
MARK_LABELS = frozenset(LABEL_CALLABLES.values()) - {"title", "description"}

SEVERITIES = ("blocker", "critical", "normal", "minor", "trivial")
SEVERITY_MEMBERS = tuple(value.upper() for value in SEVERITIES)

STEP = "allure.step"
DYNAMIC = "allure.dynamic."
SEVERITY_LEVEL = "allure.severity_level"
RAISES = frozenset({"pytest.raises", "pytest.warns", "pytest.deprecated_call"})
PARAMETRIZE = "pytest.mark.parametrize"
USEFIXTURES = "pytest.mark.usefixtures"
HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})

_PHASES: tuple[tuple[Phase, re.Pattern[str]], ...] = (
    ("arrange", re.compile(r"(arrange|given)\b", re.IGNORECASE)),
    ("act", re.compile(r"(act|when)\b", re.IGNORECASE)),
    ("assert", re.compile(r"(assert|then)\b", re.IGNORECASE)),
)


def phase_of(title: str | None) -> Phase | None:
    """The Arrange/Act/Assert phase a step title names (Given/When/Then too), if any."""
    if title is None:
        return None
    text = title.lstrip(" \t-*:[(")
    for phase, pattern in _PHASES:
        if pattern.match(text):
            return phase
    return None


def label_name(text: str | None, qualified: str | None) -> str | None:
    """The label `allure.label`'s first argument names: a string or a `LabelType` member."""
    if text is not None:
        return _LABEL_NAMES.get(text, text)
    if qualified is not None and qualified.startswith(LABEL_TYPE):
        return _LABEL_TYPES.get(qualified[len(LABEL_TYPE) :])
    return None


def label_of(qualified: str | None) -> str | None:
    """The label a qualified callable sets, e.g. `allure.dynamic.story` → `story`."""
    if qualified is None:
        return None
    if qualified.startswith(DYNAMIC):
        qualified = "allure." + qualified[len(DYNAMIC) :]
    if not qualified.startswith("allure."):
        return None
    return LABEL_CALLABLES.get(qualified[len("allure.") :])
