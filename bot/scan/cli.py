"""`testgen scan PATH`: list a working tree's HTTP endpoints as JSON or as a table."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from bot.scan.cache import DEFAULT_CACHE_HELP, DirectoryCache
from bot.scan.engine import scan_path
from bot.scan.model import Inventory

PROGRESS_MIN_FILES = 500
NOT_A_DIRECTORY = "testgen scan: error: {path} is not a directory"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="the repository working tree to scan")
    parser.add_argument("--format", choices=("json", "table"), default="json")
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--cache-dir",
        default=None,
        help=f"where per-file results are kept between runs (default: {DEFAULT_CACHE_HELP})",
    )
    group.add_argument("--no-cache", action="store_true", help="read and parse every file")


def _progress(stream: TextIO) -> object:
    def report(done: int, total: int) -> None:
        if (stream.isatty() or total >= PROGRESS_MIN_FILES) and (done == total or done % 200 == 0):
            stream.write(f"\rscanning {done}/{total} files")
            if done == total:
                stream.write("\n")
            stream.flush()

    return report


def as_json(inventory: Inventory) -> str:
    data = inventory.model_dump(mode="json", by_alias=True)
    return json.dumps(data, indent=2, sort_keys=False)


def as_table(inventory: Inventory) -> str:
    rows = [("METHOD", "PATH", "FRAMEWORK", "HANDLER", "LOCATION")]
    for e in inventory.endpoints:
        path = f"{e.path} (unresolved: {', '.join(e.unresolved)})" if e.unresolved else e.path
        rows.append((e.method, path, e.framework, e.handler or "-", f"{e.file}:{e.line}"))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(r[:4], widths, strict=True)) + "  " + r[4]
        for r in rows
    ]
    lines.append(f"{len(inventory.endpoints)} endpoints, {len(inventory.warnings)} warnings")
    lines += [
        f"warning: {w.file}{f':{w.line}' if w.line else ''}: {w.message}"
        for w in inventory.warnings
    ]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    root = Path(args.path)
    if not root.is_dir():
        print(NOT_A_DIRECTORY.format(path=args.path), file=sys.stderr)
        return 2
    cache = None if args.no_cache else DirectoryCache(args.cache_dir)
    progress = _progress(sys.stderr) if args.format == "table" else None
    inventory = scan_path(root, cache, progress=progress)  # type: ignore[arg-type]
    print(as_json(inventory) if args.format == "json" else as_table(inventory))
    return 0
