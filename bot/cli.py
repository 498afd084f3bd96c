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
    "config": ("bot.config_cli", "check a .testgen.yml, or print its JSON Schema"),
    "doctor": ("bot.doctor", "check token, access, webhook, Redis and LLM, each with its fix"),
    "replay": ("bot.replay", "list jobs that ran out of retries, or run them again"),
    "scan": ("bot.scan.cli", "list a repository's HTTP endpoints"),
    "validate": ("bot.validate.cli", "check Allure tests"),
    "generate": ("bot.generate.cli", "generate Allure API tests"),
    "heal": ("bot.heal.cli", "repair tests after an API change"),
    "coverage": ("bot.analysis.cli_coverage", "which endpoints the tests reach"),
    "duplicates": ("bot.analysis.cli_duplicates", "find near-identical tests"),
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser; with `only` (a known sub-command) just that one's module is imported, so a
    start-up check answers before the rest of the bot (the LLM client, the scanners) loads."""
    parser = argparse.ArgumentParser(prog="testgen", description=__doc__)
    parser.add_argument("--version", action="version", version=f"testgen {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        if only is not None and name != only:
            continue
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
    words = list(sys.argv[1:] if argv is None else argv)
    only = words[0] if words and words[0] in COMMANDS else None
    args = build_parser(only).parse_args(words)
    code: int = args._run(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
