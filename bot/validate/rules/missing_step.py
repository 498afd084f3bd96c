"""missing-step: a test that never enters an Allure step."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from bot.validate.rules._helpers import is_step
from bot.validate.rules.base import Rule, Violation

if TYPE_CHECKING:
    from bot.validate.config import ValidateConfig
    from bot.validate.model import FileModel

MESSAGE = "test `{test}` has no `with allure.step(...)` (nor calls an `@allure.step` helper)"


class MissingStep(Rule):
    """A step is a `with allure.step(...)` anywhere in the body, or a call to a function or
    method of the same module decorated with `@allure.step` or opening a step itself."""

    id = "missing-step"
    severity = "minor"

    def check(self, model: FileModel, config: ValidateConfig) -> Iterator[Violation]:
        for test in model.tests:
            if not any(is_step(model, test, event) for event in test.events):
                message = MESSAGE.format(test=test.node.name.value)
                yield Violation(test.node.name, message, test.qualname)
