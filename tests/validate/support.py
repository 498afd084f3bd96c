"""Helpers for validator tests: run one rule on a dedented source, get compact findings."""

from __future__ import annotations

import textwrap
from typing import Any

from bot.validate.api import validate_source
from bot.validate.config import ValidateConfig
from bot.validate.rules import RULE_IDS


def only(rule_id: str, **options: Any) -> ValidateConfig:
    """A config with every rule but `rule_id` switched off."""
    return ValidateConfig(rules={r: r == rule_id for r in RULE_IDS}, **options)


def run(rule_id: str, source: str, **options: Any) -> list[tuple[str, int, int, str]]:
    """(rule, line, column, message) of each finding of `rule_id` on the dedented source."""
    code = textwrap.dedent(source)
    found = validate_source(code, "tests/test_sample.py", only(rule_id, **options))
    return [(f.rule, f.line, f.column, f.message) for f in found]


def lines(rule_id: str, source: str, **options: Any) -> list[int]:
    """Only the lines of the findings, for rules whose message is checked elsewhere."""
    return [line for _, line, _, _ in run(rule_id, source, **options)]
