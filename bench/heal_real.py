"""Healing on code we did not write: PrefectHQ/prefect's API tests after two routers are renamed.

Takes `src/prefect/server` and `tests/server/orchestration/api` of the prefect mirror the
`fetch` tool leaves under /work/.mirror (nothing of it is kept), scans the server (the old
inventory), renames the `/flows` and `/variables` routers' prefixes in a copy (the new one),
heals the tests and checks every changed line is exactly that rename and every file still
parses. Prints the counts, the time, and the lines that still name an old path (requests the
test map does not reach). Run: `python bench/heal_real.py [--mirror DIR] [--commit SHA]`.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import libcst

from bot.generate.spec import load_inventory
from bot.heal.cli import read_suite
from bot.heal.engine import heal

MIRROR = Path("/work/.mirror/PrefectHQ+prefect/repo")
TESTS = "tests/server/orchestration/api"
RENAMES = {  # file → (old prefix argument, new), old path, new path
    "src/prefect/server/api/flows.py": ('prefix="/flows"', 'prefix="/flow-defs"'),
    "src/prefect/server/api/variables.py": ('prefix="/variables"', 'prefix="/vars"'),
}
PATHS = (("/flows", "/flow-defs"), ("/variables", "/vars"))


def _extract(mirror: Path, commit: str, into: Path) -> None:
    archive = subprocess.run(
        ["git", "--git-dir", str(mirror), "archive", commit, "src/prefect/server", TESTS],
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)


def _renamed(line: str) -> str:
    for old, new in PATHS:
        line = line.replace(old, new)
    return line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mirror", type=Path, default=MIRROR)
    parser.add_argument("--commit", default="HEAD")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        (root / "old").mkdir()
        _extract(args.mirror, args.commit, root / "old")
        shutil.copytree(root / "old" / "src", root / "new" / "src")
        for file, (old, new) in RENAMES.items():
            path = root / "new" / file
            path.write_text(path.read_text().replace(old, new, 1))
        started = time.perf_counter()
        before, after = load_inventory(root / "old" / "src"), load_inventory(root / "new" / "src")
        scanned = time.perf_counter() - started
        suite = read_suite(root / "old" / TESTS)
    tests = sum(len(re.findall(r"^\s*(?:async\s+)?def test", t, re.M)) for t in suite.values())
    started = time.perf_counter()
    result = heal(suite, before, after)
    took = time.perf_counter() - started
    changed = unexpected = 0
    for path, text in result.files.items():
        libcst.parse_module(text)
        old_lines, new_lines = suite[path].splitlines(), text.splitlines()
        assert len(old_lines) == len(new_lines), path
        for a, b in zip(old_lines, new_lines, strict=True):
            if a != b:
                changed += 1
                unexpected += _renamed(a) != b
    left = [
        (path, line.strip())
        for path, text in sorted({**suite, **result.files}.items())
        for line in text.splitlines()
        if re.search(r"[\"'](/flows|/variables)\b", line)
    ]
    print(f"inventory: {len(before.endpoints)} endpoints (scan of both: {scanned:.1f} s)")
    print(f"suite: {tests} tests in {len(suite)} files; heal: {took:.1f} s")
    print(
        f"broken {len(result.broken)}, healed {len(result.healed)}; {changed} lines changed in "
        f"{len(result.files)} files, {unexpected} of them not exactly the rename; "
        f"{len(result.unhealable)} unhealable"
    )
    print(f"lines still naming an old path (not reached by the test map): {len(left)}")
    for path, line in left:
        print(f"  {path}: {line}")


if __name__ == "__main__":
    main()
