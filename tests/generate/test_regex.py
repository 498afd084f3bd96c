"""Strings built from a parameter's pattern when no stock candidate matches it."""

from __future__ import annotations

import pytest

from bot.generate._regex import synthesise


@pytest.mark.parametrize(
    ("pattern", "low", "high"),
    [
        (r"^[A-Z]{2}-\d{4}$", "AA-0000", "ZZ-9999"),
        (r"^\d{3}-[a-z]+$", "000-a", "999-z"),
        (r"^(ab|cd)_\w{2,5}$", "ab_aa", "ab_zz"),
        (r"^v\d+(\.\d+){0,2}$", "v0.0", "v9.9"),
        (r"^[a-z]{2}(?:-[A-Z]{2})?$", "aa-AA", "zz-ZZ"),
        (r"^[-_a-z0-9]{3,}$", "aaa", "999"),
        (r"^[^/]+$", "a", "z"),
        (r"^[a-f0-9]{24}$", "a" * 24, "9" * 24),
        (r"^ORD\.\d{2,}$", "ORD.00", "ORD.99"),
    ],
)
def test_simple_patterns_give_a_matching_value(pattern: str, low: str, high: str) -> None:
    assert synthesise(pattern) == low
    assert synthesise(pattern, high=True) == high


@pytest.mark.parametrize(
    "pattern", [r"(?=x)a", r"^(a)\1$", r"\bword\b", r"^\p{L}+$", r"^[a-z", r"^a{1000}$"]
)
def test_what_synthesis_cannot_build_gives_none(pattern: str) -> None:
    assert synthesise(pattern) is None
