"""missing-label: a test without a required Allure label (inherited and dynamic ones count)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from bot.validate.rules.base import Rule, Violation

if TYPE_CHECKING:
    from bot.validate.config import ValidateConfig
    from bot.validate.model import FileModel

MESSAGE = "test `{test}` has no Allure `{label}` label"


class MissingLabel(Rule):
    """Labels come from the test's decorators, its classes' decorators, module and class
    `pytestmark`, and `allure.dynamic.*` calls in its body; `title` counts only on the
    function itself (allure-pytest reads it from the function, not from its class)."""

    id = "missing-label"
    severity = "major"

    def check(self, model: FileModel, config: ValidateConfig) -> Iterator[Violation]:
        for test in model.tests:
            present = test.label_names()
            for label in config.required_labels:
                if label not in present:
                    message = MESSAGE.format(test=test.node.name.value, label=label)
                    yield Violation(test.node.name, message, test.qualname)
