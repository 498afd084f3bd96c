"""invalid-severity: a severity that is not one of `allure.severity_level`'s members."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import libcst as cst

from bot.validate import _allure
from bot.validate._literals import first_argument, literal_text
from bot.validate.rules.base import Rule, Violation

if TYPE_CHECKING:
    from bot.validate.config import ValidateConfig
    from bot.validate.model import FileModel

MESSAGE = "`{value}` is not an Allure severity; use one of allure.severity_level.{choices}"


class InvalidSeverity(Rule):
    """Checks `allure.severity(...)`, `allure.dynamic.severity(...)`, `allure.label("severity",
    ...)` given a string, and every `allure.severity_level.<MEMBER>` reference (aliases and
    `allure_commons.types.Severity` resolved)."""

    id = "invalid-severity"
    severity = "major"

    def check(self, model: FileModel, config: ValidateConfig) -> Iterator[Violation]:
        choices = ", ".join(_allure.SEVERITY_MEMBERS)
        for call, qualified, scope in model.calls:
            value: cst.BaseExpression | None = None
            if qualified in ("allure.severity", "allure.dynamic.severity"):
                value = first_argument(call, "severity_level")
            elif qualified in ("allure.label", "allure.dynamic.label"):
                positional = [a.value for a in call.args if a.keyword is None]
                if len(positional) > 1 and literal_text(positional[0]) == "severity":
                    value = positional[1]
            text = literal_text(value)
            if value is not None and text is not None and text not in _allure.SEVERITIES:
                yield Violation(value, MESSAGE.format(value=text, choices=choices), scope)
        for attribute, scope in model.severity_members:
            member = attribute.attr.value
            if member not in _allure.SEVERITY_MEMBERS:
                message = MESSAGE.format(value=f"severity_level.{member}", choices=choices)
                yield Violation(attribute, message, scope)
