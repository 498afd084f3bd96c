"""`--kind`: the functional, security and performance suites from one inventory, combined."""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from bot.generate.conftest_template import render_conftest
from bot.generate.model import GeneratedFile, GenerateOptions, SuiteResult, is_generated
from bot.generate.performance.slow import with_slow_guard
from bot.generate.suite import _folder, plan_suite
from bot.scan.model import Inventory

SuiteKind = Literal["functional", "security", "performance"]
SUITE_KINDS: tuple[SuiteKind, ...] = ("functional", "security", "performance")
KIND_CHOICES = (*SUITE_KINDS, "all")


def expand_kinds(kinds: Iterable[str]) -> list[SuiteKind]:
    """The suites named (`all`: every one), in their fixed order."""
    wanted = set(kinds)
    return [k for k in SUITE_KINDS if k in wanted or "all" in wanted]


def plan_kinds(
    inventory: Inventory,
    options: GenerateOptions,
    existing: Mapping[str, str],
    kinds: Iterable[str],
    inventory_tests: bool = False,
    p95_ms: int = 500,
    error_rate: float = 0.01,
    slow_ms: int | None = None,
) -> SuiteResult:
    """Every chosen suite's files (one conftest shared), skipped endpoints and notes."""
    chosen = expand_kinds(kinds)
    hand = {path: text for path, text in existing.items() if not is_generated(text)}
    folder = _folder(hand)
    files: dict[str, GeneratedFile] = {}
    result = SuiteResult(files=[])
    if "functional" in chosen:
        functional = plan_suite(inventory, options, existing)
        files.update((f.path, with_slow_guard(f, slow_ms)) for f in functional.files)
        result.skipped.extend(functional.skipped)
        result.notes.extend(functional.notes)
    if "security" in chosen:
        from bot.generate.security import plan_security

        security = plan_security(inventory, options, existing, inventory_tests, folder)
        files.update((f.path, f) for f in security.files)
        result.notes.extend(security.notes)
        if security.files and f"{folder}conftest.py" not in files:
            conftest = GeneratedFile(f"{folder}conftest.py", render_conftest(options))
            files[conftest.path] = conftest
    if "performance" in chosen:
        from bot.generate.performance import plan_performance

        performance = plan_performance(inventory, options, p95_ms, error_rate, folder)
        files.update((f.path, f) for f in performance.files)
        result.notes.extend(performance.notes)
    result.files.extend(files[path] for path in sorted(files))
    return result


def add_kind_arguments(parser: argparse.ArgumentParser) -> None:
    """`--kind` and the settings of the security and performance suites."""
    parser.add_argument(
        "--kind", choices=KIND_CHOICES, default="functional", help="which suite to generate"
    )
    parser.add_argument(
        "--inventory-tests",
        action="store_true",
        help="security: also a failing test per endpoint the code and the spec disagree on",
    )
    parser.add_argument("--p95-ms", type=int, default=500, help="load test p95 threshold")
    parser.add_argument("--error-rate", type=float, default=0.01, help="load test error rate")
    parser.add_argument(
        "--slow-ms", type=int, help="functional: attach responses slower than this as a warning"
    )


def kind_settings(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "inventory_tests": args.inventory_tests,
        "p95_ms": args.p95_ms,
        "error_rate": args.error_rate,
        "slow_ms": args.slow_ms,
    }


def suite_of(path: str) -> SuiteKind:
    """Which suite a generated file belongs to, by its folder."""
    folders = path.split("/")[:-1]
    if "security" in folders:
        return "security"
    if "performance" in folders:
        return "performance"
    return "functional"


def configured_kinds(kinds: Iterable[str]) -> list[SuiteKind]:
    """The suites `.testgen.yml`'s `generate.kinds` asks for: the ones it names, plus the
    functional suite when it names a functional case kind (happy, negative, …) or no suite."""
    listed = list(kinds)
    chosen = expand_kinds(listed)
    if any(k not in KIND_CHOICES for k in listed) or not chosen:
        chosen = expand_kinds([*chosen, "functional"])
    return chosen


def split_kind_args(args: Iterable[str]) -> tuple[list[str], list[str]]:
    """`--kind security GET /a` → (["security"], ["GET", "/a"]); `--kind=all` works too. An
    unknown kind is left in the rest, where the caller reports it."""
    kinds: list[str] = []
    rest: list[str] = []
    words = list(args)
    index = 0
    while index < len(words):
        word = words[index]
        value = None
        if word == "--kind" and index + 1 < len(words):
            value, index = words[index + 1], index + 1
        elif word.startswith("--kind="):
            value = word.removeprefix("--kind=")
        if value is not None and value.lower() in KIND_CHOICES:
            kinds.append(value.lower())
        elif value is not None:
            rest.append(f"--kind {value}")
        else:
            rest.append(word)
        index += 1
    return kinds, rest
