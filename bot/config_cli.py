"""`testgen config check [FILE]` and `testgen config schema`: `.testgen.yml` checked early."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bot.repo_config import FILE_NAME, RepoConfig, parse_repo_config
from bot.validate.config import ConfigError

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema" / "testgen.schema.json"


def json_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of `.testgen.yml`, generated from the pydantic model."""
    schema = RepoConfig.model_json_schema(by_alias=True, mode="validation")
    head = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": ".testgen.yml",
        "description": "testgen-bot's per-repository settings; every key is optional.",
    }
    return head | {k: v for k, v in schema.items() if k not in ("title", "description")}


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="config_command", required=True, metavar="ACTION")
    check = sub.add_parser("check", help="check a .testgen.yml (exit 1 when it has errors)")
    check.add_argument("file", nargs="?", default=FILE_NAME, help=f"default: ./{FILE_NAME}")
    sub.add_parser("schema", help="print the JSON Schema of .testgen.yml")


def check_file(path: Path) -> int:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        print(f"testgen config: cannot read {path}: {error}", file=sys.stderr)
        return 2
    try:
        parse_repo_config(text, str(path))
    except ConfigError as error:
        if error.yaml_error is not None:
            print(f"{path}: not valid YAML:\n{error.yaml_error}")
        else:
            print(f"{path}: {len(error.problems)} invalid key(s):")
            for problem in error.problems or [str(error)]:
                print(f"  - {problem}")
        return 1
    print(f"{path}: valid")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.config_command == "schema":
        sys.stdout.write(schema_text())
        return 0
    return check_file(Path(args.file))
