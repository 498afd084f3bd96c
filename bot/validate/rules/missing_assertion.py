"""missing-assertion: a test that checks nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from bot.validate.rules._helpers import is_assertion
from bot.validate.rules.base import Rule, Violation

if TYPE_CHECKING:
    from bot.validate.config import ValidateConfig
    from bot.validate.model import FileModel

MESSAGE = "test `{test}` has no assertion"


class MissingAssertion(Rule):
    """Assertions are `assert`, `pytest.raises`/`warns`/`deprecated_call`, calls to the
    configured `assertion_helpers`, calls whose name starts with `assert` (`assertEqual`,
    `assert_that`, `mock.assert_called_once`) and calls to same-module helpers that assert.
    Manual test cases (`@allure.manual`, inherited too) are exempt: the tester is the check."""

    id = "missing-assertion"
    severity = "critical"

    def check(self, model: FileModel, config: ValidateConfig) -> Iterator[Violation]:
        for test in model.tests:
            if "manual" in test.label_names():
                continue
            if not any(is_assertion(model, test, event, config) for event in test.events):
                message = MESSAGE.format(test=test.node.name.value)
                yield Violation(test.node.name, message, test.qualname)
