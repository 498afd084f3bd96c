"""`testgen coverage SOURCE --tests DIR`: which endpoints the tests reach, for people or CI."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.analysis.coverage import coverage_report
from bot.analysis.coverage_render import coverage_markdown, coverage_table
from bot.analysis.sources import read_folder
from bot.analysis.testmap import build_test_map
from bot.generate.spec import SpecError, load_inventory

BELOW = "testgen coverage: {percent:.1f} % is below --fail-under {threshold:.1f} %"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", type=Path, help="repository folder or OpenAPI/Swagger file")
    parser.add_argument("--tests", type=Path, required=True, help="folder holding the tests")
    parser.add_argument("--format", choices=("table", "json", "markdown"), default="table")
    parser.add_argument(
        "--base-path",
        action="append",
        default=[],
        help="a prefix calls may add or leave out (a gateway prefix); repeatable",
    )
    parser.add_argument(
        "--host", action="append", default=[], help="a host that is this API's; repeatable"
    )
    parser.add_argument(
        "--fail-under", type=float, help="exit 1 when coverage is below this percentage"
    )


def run(args: argparse.Namespace) -> int:
    try:
        inventory = load_inventory(args.source)
    except SpecError as error:
        print(f"testgen coverage: {error}", file=sys.stderr)
        return 2
    if not args.tests.exists():
        print(f"testgen coverage: {args.tests}: no such file or directory", file=sys.stderr)
        return 2
    test_map = build_test_map(
        read_folder(args.tests), inventory.endpoints, args.base_path, args.host
    )
    report = coverage_report(inventory.endpoints, test_map)
    if args.format == "json":
        print(json.dumps(report.to_json(), indent=2))
    elif args.format == "markdown":
        print(coverage_markdown(report), end="")
    else:
        print(coverage_table(report), end="")
    if args.fail_under is not None and report.percent < args.fail_under:
        print(BELOW.format(percent=report.percent, threshold=args.fail_under), file=sys.stderr)
        return 1
    return 0
