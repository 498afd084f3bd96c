"""Benchmark: `find_duplicates` on 1,000 and on 10,000 test functions of a real suite, in one run.

The corpus is a test suite we did not write: by default the `tests/` folder of PrefectHQ/prefect
(11,000+ test functions, many of them API tests), taken from the mirror the `fetch` tool leaves
under /work/.mirror (`--corpus DIR` names any other folder). Test files are taken in one seeded
shuffled order until the count is reached (the 10k set contains the 1k set); the other Python
files (conftest, helpers) are there to be followed.
Both runs are timed in CPU seconds of this process (the machine is shared; wall time is printed
too). Target: time(10k) / time(1k) ≤ 12. Run: `python bench/duplicates.py`.
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import tempfile
import time
from pathlib import Path

from bot.analysis.duplicates import find_duplicates
from bot.analysis.sources import read_folder
from bot.analysis.testmap import is_test_path

MIRROR = Path("/work/.mirror/PrefectHQ+prefect/repo")
_TEST = re.compile(r"^\s*(?:async\s+)?def\s+test", re.M)


def _corpus(given: Path | None, scratch: Path) -> Path:
    if given is not None:
        return given
    if not MIRROR.exists():
        raise SystemExit(f"no corpus: pass --corpus DIR, or fetch PrefectHQ/prefect into {MIRROR}")
    archive = subprocess.run(
        ["git", f"--git-dir={MIRROR}", "archive", "HEAD", "tests"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(scratch)], input=archive, check=True)
    return scratch / "tests"


def _take(sources: dict[str, str], wanted: int) -> tuple[dict[str, str], int]:
    """Test files in one fixed shuffled order (so 1k and 10k have the same mix of files: the
    suite's later folders hold bigger tests) until `wanted` test functions; every other file
    kept, to be followed."""
    chosen = {p: t for p, t in sources.items() if not is_test_path(p)}
    count = 0
    order = sorted(p for p in sources if is_test_path(p))
    random.Random(13).shuffle(order)
    for path in order:
        if count >= wanted:
            break
        chosen[path] = sources[path]
        count += len(_TEST.findall(sources[path]))
    return chosen, count


def _time(sources: dict[str, str]) -> tuple[float, float, int]:
    wall, cpu = time.perf_counter(), time.process_time()
    groups = find_duplicates(sources)
    return time.process_time() - cpu, time.perf_counter() - wall, len(groups)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        sources = read_folder(_corpus(args.corpus, Path(scratch)))
    small, small_n = _take(sources, args.small)
    large, large_n = _take(sources, args.large)
    if large_n < args.large:
        raise SystemExit(f"the corpus has only {large_n} test functions")
    small_cpu, small_wall, small_groups = _time(small)
    large_cpu, large_wall, large_groups = _time(large)
    print(f"{'tests':>8} {'files':>6} {'cpu s':>8} {'wall s':>8} {'groups':>7}")
    for n, files, cpu, wall, groups in (
        (small_n, small, small_cpu, small_wall, small_groups),
        (large_n, large, large_cpu, large_wall, large_groups),
    ):
        test_files = sum(1 for p in files if is_test_path(p))
        print(f"{n:>8} {test_files:>6} {cpu:>8.1f} {wall:>8.1f} {groups:>7}")
    ratio = large_cpu / small_cpu
    per_test = (large_cpu / large_n) / (small_cpu / small_n)
    print(f"time(10k)/time(1k) = {ratio:.2f} (target ≤ 12); per-test cost ratio {per_test:.2f}")


if __name__ == "__main__":
    main()
