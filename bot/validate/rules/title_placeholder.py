"""title-placeholder: `{name}` in an `allure.title` that is not a parameter of the test."""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from typing import TYPE_CHECKING

from bot.validate._literals import literal_text
from bot.validate.rules.base import Rule, Violation

if TYPE_CHECKING:
    from bot.validate.config import ValidateConfig
    from bot.validate.model import FileModel

MESSAGE = "title placeholder `{{{name}}}` is not a parameter of `{test}`"
MALFORMED_MESSAGE = "title of `{test}` is not a valid format string: {error}"

# allure-pytest formats titles with the test's parameters, its fixtures and `param_id`
_ALWAYS = frozenset({"param_id"})
_ROOT = re.compile(r"[.\[]")


class TitlePlaceholder(Rule):
    """Parameters are the test function's arguments (fixtures) and the argnames of
    `pytest.mark.parametrize` / `usefixtures` on the test, its classes and `pytestmark`."""

    id = "title-placeholder"
    severity = "major"

    def check(self, model: FileModel, config: ValidateConfig) -> Iterator[Violation]:
        formatter = string.Formatter()
        for test in model.tests:
            name = test.node.name.value
            for use in test.own("title"):
                title = literal_text(use.value)
                if title is None or use.value is None:
                    continue
                try:
                    fields = [f for _, f, _, _ in formatter.parse(title) if f is not None]
                except ValueError as error:
                    message = MALFORMED_MESSAGE.format(test=name, error=error)
                    yield Violation(use.value, message, test.qualname)
                    continue
                for field in fields:
                    root = _ROOT.split(field, maxsplit=1)[0]
                    if root not in test.params and root not in _ALWAYS:
                        message = MESSAGE.format(name=field, test=name)
                        yield Violation(use.value, message, test.qualname)
