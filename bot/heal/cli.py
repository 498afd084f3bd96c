"""`testgen heal --tests DIR --old SOURCE --new SOURCE`: repair tests after an API change."""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path

from bot.generate.spec import SpecError, load_inventory
from bot.heal.engine import HealResult, heal

_MAX_FILE = 2_000_000
NOTHING = "Nothing to heal: no change between the two sources reaches these tests."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tests", type=Path, required=True, help="the tests folder")
    parser.add_argument("--old", type=Path, required=True, help="repository or spec before")
    parser.add_argument("--new", type=Path, required=True, help="repository or spec after")
    parser.add_argument("--dry-run", action="store_true", help="print the diff, write nothing")
    parser.add_argument("--format", choices=("text", "json"), default="text")


def read_suite(folder: Path) -> dict[str, str]:
    """Every Python file under `folder`, by path relative to it."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*.py")):
        if path.is_file() and path.stat().st_size <= _MAX_FILE and ".venv" not in path.parts:
            try:
                found[path.relative_to(folder).as_posix()] = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
    return found


def unified_diff(before: dict[str, str], healed: dict[str, str]) -> str:
    """The rewrite as one unified diff (`a/` and `b/` relative to the tests folder)."""
    chunks: list[str] = []
    for path in sorted(healed):
        chunks += difflib.unified_diff(
            before[path].splitlines(keepends=True),
            healed[path].splitlines(keepends=True),
            f"a/{path}",
            f"b/{path}",
        )
    return "".join(chunks)


def as_json(result: HealResult) -> dict[str, object]:
    return {
        "actions": [a.as_json() for a in result.actions],
        "unhealable": [u.as_json() for u in result.unhealable],
        "broken": len(result.broken),
        "healed": len(result.healed),
        "rate": round(result.rate, 3),
    }


def as_text(result: HealResult, dry_run: bool = False) -> str:
    if not result.actions and not result.unhealable:
        return NOTHING + "\n"
    lines = []
    for a in result.actions:
        state = "applied" if a.applied else "PROPOSED"
        lines.append(
            f"{a.file}:{a.line}: {a.rule}: {a.old!r} → {a.new!r} "
            f"({round(a.confidence * 100)} %, {state})"
        )
    for u in result.unhealable:
        lines.append(f"{u.file}:{u.line}: NOT HEALED {u.test}: {u.reason}".replace("  ", " "))
    lines.append(
        f"{len(result.healed)} of {len(result.broken)} broken test(s) healed; "
        f"{len(result.files)} file(s) {'would change' if dry_run else 'changed'}."
    )
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    if not args.tests.is_dir():
        print(f"testgen heal: {args.tests}: not a folder", file=sys.stderr)
        return 2
    try:
        before, after = load_inventory(args.old), load_inventory(args.new)
    except SpecError as error:
        print(f"testgen heal: {error}", file=sys.stderr)
        return 2
    suite = read_suite(args.tests)
    result = heal(suite, before, after)
    diff = unified_diff(suite, result.files)
    if not args.dry_run:
        for path, text in result.files.items():
            (args.tests / path).write_text(text, encoding="utf-8")
    if args.format == "json":
        shown = as_json(result) | ({"diff": diff} if args.dry_run else {})
        print(json.dumps(shown, indent=2, ensure_ascii=False))
    else:
        sys.stdout.write((diff if args.dry_run else "") + as_text(result, args.dry_run))
    return 0
