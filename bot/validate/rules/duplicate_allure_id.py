"""duplicate-allure-id: one `allure.id` value on several tests of the suite."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from bot.validate._literals import literal_text
from bot.validate.rules.base import Severity

if TYPE_CHECKING:
    from bot.validate.model import FileModel

ID = "duplicate-allure-id"
SEVERITY: Severity = "major"
MESSAGE = 'allure.id "{value}" is also used by {other}'


@dataclass(frozen=True)
class IdUse:
    """One test's `allure.id`, with where it is (positions come from the caller)."""

    value: str
    node: cst.CSTNode
    test: str  # qualified test name within its file


def id_uses(model: FileModel) -> Iterator[IdUse]:
    """The ids set by tests' own decorators or `allure.dynamic.id(...)` in their bodies."""
    for test in model.tests:
        for use in test.labels:
            if use.label != "id" or use.source not in ("decorator", "dynamic"):
                continue
            value = use.value
            text = value.value if isinstance(value, cst.Integer) else literal_text(value)
            if text is not None and value is not None:
                yield IdUse(text.strip(), value, test.qualname)


def duplicates(uses: list[tuple[str, IdUse]]) -> Iterator[tuple[str, IdUse, str]]:
    """(file, use, message) for every use of an id after its first one, in the given order."""
    first: dict[str, str] = {}
    for path, use in uses:
        where = f"{path}::{use.test}"
        if use.value in first:
            yield path, use, MESSAGE.format(value=use.value, other=first[use.value])
        else:
            first[use.value] = where
