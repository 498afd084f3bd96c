"""empty-step-title: an `allure.step` whose title is empty or blank."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import libcst as cst

from bot.validate._literals import template_text
from bot.validate.rules.base import Rule, Violation

if TYPE_CHECKING:
    from bot.validate.config import ValidateConfig
    from bot.validate.model import FileModel

MESSAGE = "step title is empty"
_STRINGS = (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)


class EmptyStepTitle(Rule):
    """`allure.step("")`, `allure.step("  ")`, `allure.step(f"")` or `allure.step()` as a
    context manager, call or decorator; a bare `@allure.step` (titled by the function name)
    and titles built at run time are fine."""

    id = "empty-step-title"
    severity = "minor"

    def check(self, model: FileModel, config: ValidateConfig) -> Iterator[Violation]:
        for step in model.steps:
            if step.call is None:
                continue
            if step.title is None:
                yield Violation(step.anchor, MESSAGE, step.scope)
                continue
            text = template_text(step.title) if isinstance(step.title, _STRINGS) else None
            if text is not None and not text.strip():
                yield Violation(step.title, MESSAGE, step.scope)
