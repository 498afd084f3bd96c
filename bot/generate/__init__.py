"""Deterministic generation of Allure API tests from an endpoint inventory."""

from __future__ import annotations

from bot.generate.model import MARKER, GeneratedFile, GenerateOptions, SuiteResult, is_generated
from bot.generate.render import render_endpoint_tests
from bot.generate.suite import generate_suite, plan_suite
from bot.generate.write import UnsafePathError, write_suite

__all__ = [
    "MARKER",
    "GenerateOptions",
    "GeneratedFile",
    "SuiteResult",
    "UnsafePathError",
    "generate_suite",
    "is_generated",
    "plan_suite",
    "render_endpoint_tests",
    "write_suite",
]
