"""`testgen validate`: check Allure tests, optionally fix them, report in several formats."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.validate.api import fix_source, read_source, validate_paths
from bot.validate.config import ConfigError, ValidateConfig, load_config
from bot.validate.formats import FORMATS
from bot.validate.paths import collect_paths

DEFAULT_CONFIG = Path(".testgen.yml")
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
MISSING_PATH = "testgen validate: error: no such file or directory: {path}"
FAILED = "testgen validate: internal error: {error!r}"
SUMMARY = "testgen validate: {files} file(s) checked, {findings} finding(s){fixed}"
NO_TESTS = (
    "testgen validate: no test files in {paths} (test modules are test_*.py or *_test.py; "
    "name a file to check it whatever its name)"
)
PROGRESS_FROM = 20  # files; fewer are checked before a progress line would help


def _progress(done: int, total: int) -> None:
    """`checked 40/120` rewritten in place on a terminal, cleared at the end."""
    if total < PROGRESS_FROM:
        return
    end = "\r" if done < total else "\r\x1b[K"
    text = f"testgen validate: checked {done}/{total}" if done < total else ""
    print(text, end=end, file=sys.stderr, flush=True)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders")
    parser.add_argument(
        "--format", choices=sorted(FORMATS), default="text", help="report format (text)"
    )
    parser.add_argument("--fix", action="store_true", help="apply the unambiguous autofixes")
    parser.add_argument(
        "--config", type=Path, default=None, help="a .testgen.yml (default: ./.testgen.yml)"
    )


def _config(path: Path | None) -> ValidateConfig:
    if path is None:
        return load_config(DEFAULT_CONFIG) if DEFAULT_CONFIG.is_file() else ValidateConfig()
    return load_config(path)


def _fix(paths: list[Path], config: ValidateConfig) -> int:
    changed = 0
    for file in collect_paths(paths):
        source = read_source(file, config)
        if not isinstance(source, str):
            continue
        fixed = fix_source(source, file.as_posix(), config)
        if fixed != source:
            file.write_text(fixed, encoding="utf-8")
            changed += 1
    return changed


def run(args: argparse.Namespace) -> int:
    try:
        config = _config(args.config)
    except ConfigError as error:
        print(f"testgen validate: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        print(MISSING_PATH.format(path=missing[0]), file=sys.stderr)
        return EXIT_ERROR
    fixed: int | None = None
    try:
        if args.fix:
            fixed = _fix(args.paths, config)
        progress = _progress if sys.stderr.isatty() else None
        report = validate_paths(args.paths, config, progress=progress)
        sys.stdout.write(FORMATS[args.format](report))
    except Exception as error:  # the process boundary: any bug is exit 2, never "findings"
        print(FAILED.format(error=error), file=sys.stderr)
        return EXIT_ERROR
    if report.files == 0:
        shown = ", ".join(str(p) for p in args.paths)
        print(NO_TESTS.format(paths=shown), file=sys.stderr)
    fixed_text = f", {fixed} fixed" if fixed is not None else ""
    summary = SUMMARY.format(files=report.files, findings=len(report.findings), fixed=fixed_text)
    print(summary, file=sys.stderr)
    return EXIT_FINDINGS if report.findings else EXIT_CLEAN
