"""Benchmark of `testgen scan`: full scan vs a bare `ast.parse` loop, and an incremental rescan.

Usage: `python bench/scan.py [--files N]`. Copies installed packages' Python sources (at least
N files, default 2000) plus the FastAPI fixture app into a temporary tree, then prints:
- full scan time / bare `ast.parse` time over the same files (target ≤ 2.0);
- rescan after one file changed / full scan (target ≤ 0.05).
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import shutil
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.scan import engine  # noqa: E402
from bot.scan.cache import DirectoryCache  # noqa: E402
from bot.scan.engine import ScanStats, scan_path  # noqa: E402
from bot.scan.skip import skip_reason  # noqa: E402

PACKAGES = ("mypy", "pip", "setuptools", "_pytest", "pydantic", "httpx", "starlette", "openai")


def read_by_scan(rel: str) -> bool:
    return engine.wanted(rel) and skip_reason(rel) is None


def build_tree(target: Path, wanted: int) -> list[Path]:
    site = Path(sysconfig.get_paths()["purelib"])
    copied = 0
    for name in PACKAGES:
        source = site / name
        if not source.is_dir() or copied >= wanted:
            continue
        shutil.copytree(source, target / "src" / name, ignore=shutil.ignore_patterns("*.pyc"))
        copied += sum(1 for _ in (target / "src" / name).rglob("*.py"))
    shutil.copytree(ROOT / "tests/fixtures/scan/fastapi_app", target / "service")
    # the files the scan reads (not tests, build output or vendored copies), for a fair ratio
    files = sorted(
        f for f in target.rglob("*.py") if read_by_scan(f.relative_to(target).as_posix())
    )
    if len(files) < wanted:
        raise SystemExit(f"only {len(files)} Python files available; wanted {wanted}")
    return files


def bare_parse(files: list[Path]) -> float:
    start = time.perf_counter()
    for file in files:
        with contextlib.suppress(SyntaxError, ValueError):
            ast.parse(file.read_bytes())
    return time.perf_counter() - start


def timed_scan(tree: Path, cache: DirectoryCache) -> tuple[float, ScanStats, int]:
    stats = ScanStats()
    start = time.perf_counter()
    inventory = scan_path(tree, cache, stats=stats)
    return time.perf_counter() - start, stats, len(inventory.endpoints)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tree, cache_dir = Path(folder) / "tree", Path(folder) / "cache"
        files = build_tree(tree, args.files)
        bare_parse(files)  # warm the OS file cache for both measurements
        parse_time = bare_parse(files)
        full_time, full_stats, endpoints = timed_scan(tree, DirectoryCache(cache_dir))
        changed = tree / "service/backend/app/health.py"
        changed.write_text(changed.read_text().replace('"/internal"', '"/ops"'))
        rescan_time, rescan_stats, _ = timed_scan(tree, DirectoryCache(cache_dir))
    print(f"python files: {len(files)}  endpoints found: {endpoints}")
    print(f"bare ast.parse loop: {parse_time:.3f}s")
    print(f"full scan:           {full_time:.3f}s  (read {full_stats.read} files)")
    print(f"rescan, one change:  {rescan_time:.3f}s  (read {rescan_stats.read} files)")
    print(f"full scan / bare parse = {full_time / parse_time:.2f}  (target <= 2.0)")
    print(f"rescan / full scan     = {rescan_time / full_time:.3f}  (target <= 0.05)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
