"""Security suite on real open-source APIs: false failures and findings.

Usage: `TESTGEN_REAL_APIS_VENV=/path/to/venv python bench/security_real_apis.py [--only NAME]`
(the virtualenv of bench/real_apis.py, made with its `--setup`).

For each API of bench/real_apis.py (Kinto with two accounts, so object-level authorization is
tested; httpbin), `testgen generate --kind security` writes the suite from the spec the
service serves, the suite runs on a fresh server, and every failed test is classified:
  finding  the server answered 5xx or leaked a stack trace, accepted a missing, malformed or
           wrong credential on an operation its spec secures, let the second user at the
           first user's resource, took a read-only or privileged property, or listed more
           than the cap for a huge page size;
  false    anything else: the generator's fault (target: at most 3% of the tests).
"""

from __future__ import annotations

import argparse
import base64
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.real_apis import APIS, FALSE_TARGET, Api, generate, run_suite, serve  # noqa: E402

_OWASP = re.compile(r"_(api\d)_")


def _second_kinto_account(base: str) -> dict[str, str]:
    user, password = "testgen-bench-2", "bench-password-2"
    body = {"data": {"password": password}}
    httpx.put(f"{base}/v1/accounts/{user}", json=body, timeout=10).raise_for_status()
    return {"API_TOKEN_2": base64.b64encode(f"{user}:{password}".encode()).decode()}


SECOND_USER = {"kinto": _second_kinto_account}


def classify(record: dict[str, Any]) -> tuple[str, str]:
    """(`finding` or `false`, why) for one failed security test."""
    test = record["test"].rsplit("::", 1)[-1]
    message = record["message"]
    statuses = [r["status"] for r in record["responses"]]
    category = (_OWASP.search(test) or re.search("(api9)", test) or ["", "?"])[1]
    last = statuses[-1] if statuses else None
    if any(s >= 500 for s in statuses):
        return "finding", f"{category}: answered {max(statuses)}"
    if "LEAK.search" in message:
        return "finding", f"{category}: a stack trace or debug page in the answer"
    if category == "api2" and last is not None and 200 <= last < 300:
        return "finding", f"api2: answered {last} to a bad credential on a secured operation"
    if category == "api1" and last is not None and 200 <= last < 300:
        return "finding", f"api1: the second user got {last} on the first user's resource"
    if category == "api3" and "was taken from the request" in message:
        return "finding", "api3: a read-only or privileged property was taken"
    if category == "api4" and "lists more than" in message:
        return "finding", "api4: a huge page size was not capped"
    lines = [x.strip() for x in message.splitlines() if x.startswith("E ")]
    return "false", f"{category}: {(lines[0] if lines else message[-160:])[:160]}"


def measure(api: Api) -> tuple[int, list[tuple[str, str, str]]]:
    folder = Path(tempfile.mkdtemp(prefix=f"bench-security-{api.name}-"))
    try:
        with serve(api) as base:
            doc = httpx.get(base + api.spec_path, timeout=10).json()
            spec_file = folder / "spec.json"
            spec_file.write_text(json.dumps(doc), encoding="utf-8")
            generate(spec_file, folder / "suite", (*api.generate_flags, "--kind", "security"))
            env = api.prepare(base)
            if api.name in SECOND_USER:
                env.update(SECOND_USER[api.name](base))
            run = run_suite(folder / "suite", base, env)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    failed = [r for r in run.records if r["outcome"] == "failed"]
    verdicts = [(*classify(r), r["test"].rsplit("::", 1)[-1]) for r in failed]
    skipped = sum(1 for r in run.records if r["outcome"] == "skipped")
    print(f"{api.name}: {len(run.records)} tests, {len(failed)} failed, {skipped} skipped")
    by_category: dict[str, int] = {}
    for record in run.records:
        name = record["test"].rsplit("::", 1)[-1]
        category = (_OWASP.search(name) or re.search("(api9)", name) or ["", "?"])[1]
        by_category[category] = by_category.get(category, 0) + 1
    print("  tests by category: " + ", ".join(f"{k} {v}" for k, v in sorted(by_category.items())))
    return len(run.records), verdicts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", help="API name (repeatable)")
    args = parser.parse_args()
    worst = 0.0
    for api in APIS:
        if (args.only and api.name not in args.only) or api.name == "prefect":
            continue
        tests, verdicts = measure(api)
        false = sum(1 for kind, _, _ in verdicts if kind == "false")
        rate = 100.0 * false / max(tests, 1)
        worst = max(worst, rate)
        found = len(verdicts) - false
        print(f"  findings {found}, false failures {false} ({rate:.1f}% of {tests} tests)")
        for kind, why, test in sorted(verdicts):
            print(f"  {kind:<8} {test}: {why}")
    return 1 if worst > FALSE_TARGET else 0


if __name__ == "__main__":
    sys.exit(main())
