"""Mutation benchmark of `testgen generate`: the generated suite against the reference API.

Usage: `python bench/mutants.py`. Generates the suite for `tests/reference_api/openapi.yaml`,
serves the reference API with uvicorn on loopback, runs the suite against it (pass rate,
target 100%), then against every mutant of `tests/reference_api/app.py` (kill rate: mutants
where at least one test fails, target 100%).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.reference_api.app import MUTANTS, make_app  # noqa: E402
from tests.reference_api.harness import run_suite, write_generated_suite  # noqa: E402
from tests.support.uvicorn_thread import serve_in_thread  # noqa: E402


def main() -> int:
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        suite = Path(folder)
        write_generated_suite(suite)
        with serve_in_thread(make_app()) as base_url:
            original = run_suite(suite, base_url)
        rate = 100.0 * original.passed / max(original.total, 1)
        print(f"pass rate {rate:.1f}% ({original.passed}/{original.total})")
        survivors = []
        for mutant in sorted(MUTANTS):
            with serve_in_thread(make_app(mutant)) as base_url:
                result = run_suite(suite, base_url, stop_early=True)
            status = "killed" if result.failed else "SURVIVED"
            print(f"  {mutant:<24} {status:<9} {MUTANTS[mutant]}")
            if not result.failed:
                survivors.append(mutant)
    killed = len(MUTANTS) - len(survivors)
    print(f"kill rate {100.0 * killed / len(MUTANTS):.1f}% ({killed}/{len(MUTANTS)})")
    security_ok = security()
    print(f"took {time.monotonic() - started:.1f}s")
    return 0 if original.failed == 0 and not survivors and security_ok else 1


def security() -> bool:
    """The security suite (code and spec scanned, API9 tests on) against SECURITY_MUTANTS."""
    from tests.generate.security_harness import write_kind
    from tests.reference_api.app import SECURITY_MUTANTS, TOKEN_2

    os.environ["API_TOKEN_2"] = TOKEN_2
    with tempfile.TemporaryDirectory() as folder:
        suite = Path(folder)
        write_kind(suite, "security")
        with serve_in_thread(make_app()) as base_url:
            original = run_suite(suite, base_url)
        print(f"security suite pass rate ({original.passed}/{original.total})")
        survivors = []
        for mutant in sorted(SECURITY_MUTANTS):
            with serve_in_thread(make_app(mutant)) as base_url:
                result = run_suite(suite, base_url, stop_early=True)
            status = "killed" if result.failed else "SURVIVED"
            print(f"  {mutant:<24} {status:<9} {SECURITY_MUTANTS[mutant]}")
            if not result.failed:
                survivors.append(mutant)
    killed = len(SECURITY_MUTANTS) - len(survivors)
    print(f"security kill rate ({killed}/{len(SECURITY_MUTANTS)})")
    return original.failed == 0 and not survivors


if __name__ == "__main__":
    sys.exit(main())
