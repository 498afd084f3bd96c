"""`testgen generate SOURCE --out DIR`: write the generated suite for a repository or spec."""

from __future__ import annotations

import argparse
import asyncio
import os
import posixpath
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.generate.auth import declares_security, spec_credential
from bot.generate.kinds import add_kind_arguments, kind_settings, plan_kinds
from bot.generate.model import GeneratedFile, GenerateOptions, SuiteResult
from bot.generate.spec import SpecError, load_inventory, spec_document
from bot.generate.write import UnsafePathError, write_suite
from bot.scan.model import Inventory
from bot.validate.paths import collect_paths

NO_KEY = "--llm on needs OPENAI_API_KEY in the environment"
_MAX_EXISTING = 2_000_000


APP_CHOSEN = "testing app {app} (apps seen: {apps}; choose with --app)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", type=Path, help="repository directory or OpenAPI/Swagger file")
    parser.add_argument("--out", type=Path, required=True, help="tests folder to write into")
    parser.add_argument("--llm", choices=("off", "auto", "on"), default="off")
    parser.add_argument(
        "--app",
        help="with several apps in the repository, the one to test (`module:variable`, as "
        "`testgen scan` reports it; default: the app serving the most endpoints)",
    )
    parser.add_argument("--base-url-env", default="API_BASE_URL", help="base URL variable name")
    parser.add_argument(
        "--auth-header", help="header carrying the credential (default: from the spec's scheme)"
    )
    parser.add_argument(
        "--auth-scheme", help='prefix of the credential, "" for none (default: from the spec)'
    )
    parser.add_argument(
        "--include-tested",
        action="store_true",
        help="also generate endpoints that hand-written tests in the repository already call",
    )
    add_kind_arguments(parser)


def _read(path: Path) -> str | None:
    if not path.is_file() or path.stat().st_size > _MAX_EXISTING:
        return None
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _existing(out: Path, source: Path) -> dict[str, str]:
    """Python files already in the tests folder, by path relative to it; with a repository as
    the source, its test modules elsewhere too (`../test_health.py`), as the bot reads them."""
    found: dict[str, str] = {}
    if out.is_dir():
        for path in sorted(out.rglob("*.py")):
            text = _read(path)
            if text is not None:
                found[path.relative_to(out).as_posix()] = text
    if not source.is_dir():
        return found
    inside = out.resolve()
    for path in collect_paths([source]):
        resolved = path.resolve()
        if resolved.is_relative_to(inside):
            continue
        text = _read(path)
        if text is not None:
            found[posixpath.relpath(resolved, inside)] = text
    return found


def _tests_dir(out: Path, source: Path) -> str:
    """The tests folder as the repository names it (skip reasons show repository paths)."""
    root = source.resolve() if source.is_dir() else Path.cwd().resolve()
    try:
        return out.resolve().relative_to(root).as_posix()
    except ValueError:
        return out.as_posix()


async def _llm_enrich(result: SuiteResult, inventory: Inventory) -> SuiteResult:
    from bot.generate.llm import enrich_suite
    from bot.generate.llm_client import LLMClient
    from bot.settings import load_settings

    client = LLMClient(load_settings())
    by_file = {
        file.path: [e for e in inventory.endpoints if (e.method, e.path) in file.endpoints]
        for file in result.files
    }
    try:
        enriched = await enrich_suite(result.files, by_file, client)
    finally:
        await client.aclose()
    notes = [*result.notes, *(f"llm: {path}: {why}" for path, why in enriched.reasons)]
    return SuiteResult(files=list(enriched.files), skipped=result.skipped, notes=notes)


def _enrich(result: SuiteResult, mode: str, inventory: Inventory) -> SuiteResult | str:
    """LLM enrichment when wanted (`on`) or available (`auto`); an error text otherwise."""
    if mode == "off" or (mode == "auto" and not os.environ.get("OPENAI_API_KEY")):
        return result
    if not os.environ.get("OPENAI_API_KEY"):
        return NO_KEY
    return asyncio.run(_llm_enrich(result, inventory))


def _options(args: argparse.Namespace, inventory: Inventory) -> GenerateOptions:
    """Options from the flags; the credential the spec declares (a header, a query parameter or
    a cookie) unless a flag names a header."""
    options = GenerateOptions(base_url_env=args.base_url_env)
    found = spec_credential(spec_document(args.source), inventory)
    if found is not None:
        options = found.options(options)
    if args.auth_header is None and args.auth_scheme is None:
        if not declares_security(found, inventory):
            return options.model_copy(update={"send_credential": False})
        return options
    if options.auth_in != "header":
        options = GenerateOptions(base_url_env=args.base_url_env)
    return options.model_copy(
        update={
            "auth_header": args.auth_header
            if args.auth_header is not None
            else options.auth_header,
            "auth_scheme": args.auth_scheme
            if args.auth_scheme is not None
            else options.auth_scheme,
        }
    )


def _existing_exact(out: Path, files: Sequence[GeneratedFile]) -> dict[str, str]:
    """The current text of each file about to be written (to say which stay unchanged)."""
    found: dict[str, str] = {}
    for file in files:
        target = out / file.path
        try:
            found[file.path] = target.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
    return found


def run(args: argparse.Namespace) -> int:
    try:
        inventory = load_inventory(args.source)
    except SpecError as error:
        print(f"testgen generate: {error}", file=sys.stderr)
        return 2
    apps = inventory.apps()
    inventory = inventory.for_app(args.app)
    if len(apps) > 1:
        print(APP_CHOSEN.format(app=inventory.default_app(args.app), apps=", ".join(apps)))
    options = _options(args, inventory).model_copy(
        update={
            "include_tested": args.include_tested,
            "tests_dir": _tests_dir(args.out, args.source),
        }
    )
    existing = _existing(args.out, args.source)
    result = plan_kinds(inventory, options, existing, [args.kind], **kind_settings(args))
    enriched = _enrich(result, args.llm, inventory)
    if isinstance(enriched, str):
        print(f"testgen generate: {enriched}", file=sys.stderr)
        return 2
    before = _existing_exact(args.out, enriched.files)
    try:
        written = write_suite(enriched.files, args.out)
    except UnsafePathError as error:
        print(f"testgen generate: {error}", file=sys.stderr)
        return 2
    for path, file in zip(written, enriched.files, strict=True):
        verb = "unchanged" if before.get(file.path) == file.content else "wrote"
        print(f"{verb} {path} ({len(file.endpoints)} endpoint(s))")
    for method, path_text, why in enriched.skipped:
        print(f"skipped {method} {path_text}: {why}")
    for note in enriched.notes:
        print(f"note: {note}")
    if not enriched.files:
        print("nothing generated: every endpoint is skipped or none was found")
    return 0
