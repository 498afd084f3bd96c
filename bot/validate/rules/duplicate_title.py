"""duplicate-title: two tests of one module with the same `allure.title`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from bot.validate._literals import literal_text
from bot.validate.rules.base import Rule, Violation

if TYPE_CHECKING:
    from bot.validate.config import ValidateConfig
    from bot.validate.model import FileModel

MESSAGE = 'title "{title}" is also the title of `{other}`'


class DuplicateTitle(Rule):
    """Compares the literal `@allure.title(...)` of every test in the module; each repeat is
    reported, naming the first test that used the title."""

    id = "duplicate-title"
    severity = "minor"

    def check(self, model: FileModel, config: ValidateConfig) -> Iterator[Violation]:
        seen: dict[str, str] = {}
        for test in model.tests:
            for use in test.own("title"):
                title = literal_text(use.value)
                if title is None:
                    continue
                key = " ".join(title.split()).casefold()
                if key in seen:
                    message = MESSAGE.format(title=title, other=seen[key])
                    yield Violation(use.node, message, test.qualname)
                else:
                    seen[key] = test.qualname
