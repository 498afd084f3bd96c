"""`testgen duplicates DIR`: groups of near-identical tests, for people or machines."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.analysis.duplicates import DEFAULT_THRESHOLD, find_duplicates
from bot.analysis.duplicates_render import duplicates_table
from bot.analysis.sources import read_folder


def _similarity(text: str) -> float:
    value = float(text)
    if not 0.0 < value <= 1.0:
        raise argparse.ArgumentTypeError("must be above 0 and at most 1")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("tests", type=Path, help="folder (or file) holding the tests")
    parser.add_argument(
        "--threshold",
        type=_similarity,
        default=DEFAULT_THRESHOLD,
        help=f"least similarity of a duplicate, 0–1 (default {DEFAULT_THRESHOLD})",
    )
    parser.add_argument("--format", choices=("table", "json"), default="table")


def run(args: argparse.Namespace) -> int:
    if not args.tests.exists():
        print(f"testgen duplicates: {args.tests}: no such file or directory", file=sys.stderr)
        return 2
    groups = find_duplicates(read_folder(args.tests), args.threshold)
    if args.format == "json":
        print(json.dumps({"groups": [g.to_json() for g in groups]}, indent=2))
    else:
        print(duplicates_table(groups, args.threshold), end="")
    return 0
