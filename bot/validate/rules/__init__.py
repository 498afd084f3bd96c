"""The rule registry: every file rule, in report order, plus the ids handled elsewhere."""

from __future__ import annotations

from bot.validate.rules import duplicate_allure_id, syntax_error
from bot.validate.rules.aaa_order import AaaOrder
from bot.validate.rules.base import Rule
from bot.validate.rules.duplicate_title import DuplicateTitle
from bot.validate.rules.empty_step_title import EmptyStepTitle
from bot.validate.rules.hardcoded_secret import HardcodedSecret
from bot.validate.rules.hardcoded_url import HardcodedUrl
from bot.validate.rules.invalid_severity import InvalidSeverity
from bot.validate.rules.missing_assertion import MissingAssertion
from bot.validate.rules.missing_label import MissingLabel
from bot.validate.rules.missing_step import MissingStep
from bot.validate.rules.title_placeholder import TitlePlaceholder

FILE_RULES: tuple[Rule, ...] = (
    MissingLabel(),
    MissingStep(),
    MissingAssertion(),
    AaaOrder(),
    InvalidSeverity(),
    DuplicateTitle(),
    EmptyStepTitle(),
    TitlePlaceholder(),
    HardcodedUrl(),
    HardcodedSecret(),
)
RULE_IDS: tuple[str, ...] = (
    syntax_error.ID,
    *(rule.id for rule in FILE_RULES),
    duplicate_allure_id.ID,
)
