"""The `testgen` command line: one sub-command per job, each defined in its own module."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from bot import __version__

# sub-command → module defining `add_arguments(parser)` and `run(args) -> int`
COMMANDS: dict[str, tuple[str, str]] = {
    "serve": ("bot.serve", "run the webhook receiver (and, by default, a worker)"),
    "worker": ("bot.serve_worker", "run job workers against REDIS_URL"),
    "install-hook": ("bot.install_hook", "create or update the project's webhook"),
    "scan": ("bot.scan.cli", "list a repository's HTTP endpoints"),
    "validate": ("bot.validate.cli", "check Allure tests"),
    "generate": ("bot.generate.cli", "generate Allure API tests"),
    "heal": ("bot.heal.cli", "repair tests after an API change"),
    "coverage": ("bot.analysis.cli_coverage", "which endpoints the tests reach"),
    "duplicates": ("bot.analysis.cli_duplicates", "find near-identical tests"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="testgen", description=__doc__)
    parser.add_argument("--version", action="version", version=f"testgen {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name is None or not module_name.startswith(error.name):
                raise
            continue
        command = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(command)
        command.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    code: int = args._run(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
