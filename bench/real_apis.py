"""Real-API benchmark of `testgen generate`: generated suites against open-source services.

Usage: `python bench/real_apis.py [--setup] [--only NAME] [--no-schemathesis] [--keep DIR]`.

Each API is an open-source service installed from PyPI into a virtualenv under /tmp (never
into the project's, never committed), started fresh on 127.0.0.1 with its embedded store:
httpbin (Flask, Swagger 2), Kinto (Pyramid, memory backend with the accounts plugin, Swagger
2) and the Prefect server (FastAPI, sqlite, OpenAPI 3.1). `--setup` creates the virtualenvs.

For each API: the suite is generated from the spec the service serves (and, for httpbin,
from its Flask source too), run twice on one fresh server, and every failed test is classified:
  5xx   the server answered 5xx (a finding);
  spec  the server broke its own spec: an undeclared status, a body that does not match the
        declared schema, or a request the spec forbids accepted (a finding, listed);
  false anything else: the generator's fault (target: at most 3% of the tests).
Then Schemathesis runs on a fresh server of the same API (`not_a_server_error`, fixed seed):
the operations where it finds a 5xx that the suite does not, and both wall times.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import jsonschema

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(os.environ.get("TESTGEN_REAL_APIS_VENV", "/tmp/testgen-real-apis"))
PREFECT_VENV = Path(os.environ.get("TESTGEN_PREFECT_VENV", "/tmp/testgen-real-apis-prefect"))
PACKAGES = ["httpbin", "flasgger", "waitress", "kinto", "schemathesis"]
SEED = 20240601
NEGATIVE = re.compile(r"_(without_|wrong_type_|outside_enum|rejects_)")
FALSE_TARGET = 3.0


@dataclass
class Api:
    """How to start one service fresh and reach its spec."""

    name: str
    spec_path: str
    command: Callable[[Path, int], list[str]]
    venv: Path
    prepare: Callable[[str], dict[str, str]] = lambda base: {}
    generate_flags: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    source: Callable[[], Path | None] = lambda: None
    startup: float = 60.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _site_packages(venv: Path) -> Path:
    return next((venv / "lib").glob("python3*/site-packages"))


KINTO_INI = """[app:main]
use = egg:kinto
kinto.storage_backend = kinto.core.storage.memory
kinto.storage_url =
kinto.cache_backend = kinto.core.cache.memory
kinto.cache_url =
kinto.permission_backend = kinto.core.permission.memory
kinto.permission_url =
kinto.includes = kinto.plugins.accounts
multiauth.policies = account
multiauth.policy.account.use = kinto.plugins.accounts.authentication.AccountsAuthenticationPolicy
kinto.bucket_create_principals = system.Authenticated
kinto.account_create_principals = system.Everyone
kinto.account_write_principals = account:admin
kinto.userid_hmac_secret = bench-only-secret-{port}

[server:main]
use = egg:waitress#main
host = 127.0.0.1
port = {port}
"""


def _kinto_command(folder: Path, port: int) -> list[str]:
    ini = folder / "kinto.ini"
    ini.write_text(KINTO_INI.format(port=port), encoding="utf-8")
    return [str(VENV / "bin" / "pserve"), str(ini)]


def _kinto_account(base: str) -> dict[str, str]:
    """Kinto's accounts plugin: the suite's own account, created before the suite runs."""
    user, password = "testgen-bench", "bench-password-1"
    body = {"data": {"password": password}}
    httpx.put(f"{base}/v1/accounts/{user}", json=body, timeout=10).raise_for_status()
    return {"API_TOKEN": base64.b64encode(f"{user}:{password}".encode()).decode()}


APIS = [
    Api(
        name="httpbin",
        spec_path="/spec.json",
        # GET /bearer lists an `Authorization` header and answers 401 without one: the suite's
        # user gives the credential, as for any API (httpbin takes any bearer token)
        prepare=lambda base: {"API_TOKEN": "testgen-bench-token"},
        command=lambda folder, port: [
            str(VENV / "bin" / "waitress-serve"),
            f"--listen=127.0.0.1:{port}",
            "httpbin:app",
        ],
        venv=VENV,
        source=lambda: _site_packages(VENV) / "httpbin",
    ),
    Api(
        name="kinto",
        spec_path="/v1/__api__",
        command=_kinto_command,
        venv=VENV,
        prepare=_kinto_account,
        generate_flags=("--auth-header", "Authorization", "--auth-scheme", "Basic"),
    ),
    Api(
        name="prefect",
        spec_path="/api/openapi.json",
        command=lambda folder, port: [
            str(PREFECT_VENV / "bin" / "prefect"),
            "server",
            "start",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-services",
        ],
        venv=PREFECT_VENV,
        env={"PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_UI_ENABLED": "false"},
        startup=120.0,
    ),
]


def setup() -> None:
    """The virtualenvs the services run from (ordinary pip, under /tmp)."""
    for venv, packages in ((VENV, PACKAGES), (PREFECT_VENV, ["prefect"])):
        if not (venv / "bin" / "python").exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "pip"), "install", "-q", *packages]
        subprocess.run(pip, check=True)


@contextmanager
def serve(api: Api) -> Iterator[str]:
    """The service started fresh (its own temp folder and port) on loopback; its origin."""
    folder = Path(tempfile.mkdtemp(prefix=f"bench-{api.name}-"))
    port = _free_port()
    env = {**os.environ, **api.env, "PREFECT_HOME": str(folder / "home"), "HOME": str(folder)}
    log = (folder / "server.log").open("wb")
    process = subprocess.Popen(
        api.command(folder, port), cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + api.startup
        while True:
            try:
                if httpx.get(base + api.spec_path, timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{api.name} did not start: see {folder / 'server.log'}")
            time.sleep(0.5)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


# the spec: operations by method and path template ------------------------------------------


class Spec:
    """The served spec's operations, to match a recorded response to what it declared."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        prefix = str(doc.get("basePath") or "").rstrip("/")
        if "openapi" in doc:
            servers = doc.get("servers") or [{}]
            url = str(servers[0].get("url") or "")
            prefix = re.sub(r"^[a-z]+://[^/]+", "", url).rstrip("/")
        self.operations: list[tuple[str, re.Pattern[str], str, dict[str, Any]]] = []
        for template, item in (doc.get("paths") or {}).items():
            pattern = re.escape(prefix + template)
            pattern = re.sub(r"\\\{[^/]*?\\\}", "[^/]+", pattern)
            for method, operation in item.items():
                if isinstance(operation, dict) and method.upper() in _METHODS:
                    entry = (method.upper(), re.compile(pattern + "/?$"), template, operation)
                    self.operations.append(entry)
        # literal segments first: /flows/filter before /flows/{id}
        self.operations.sort(key=lambda op: op[2].count("{"))

    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any]] | None:
        for op_method, pattern, template, operation in self.operations:
            if op_method == method and pattern.match(path):
                return f"{method} {template}", operation
        return None

    def resolve(self, node: Any) -> Any:
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 20:
            target: Any = self.doc
            for part in str(node["$ref"]).lstrip("#/").split("/"):
                target = target.get(part, {}) if isinstance(target, dict) else {}
            node, seen = target, seen + 1
        return node

    def body_schema(self, operation: dict[str, Any], status: int) -> Any:
        responses = operation.get("responses") or {}
        declared = self.resolve(responses.get(str(status)) or {})
        if "schema" in declared:
            return declared["schema"]
        content = declared.get("content") or {}
        for kind, media in content.items():
            if "json" in kind and isinstance(media, dict) and "schema" in media:
                return media["schema"]
        return None


_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"}


def _declared(operation: dict[str, Any], status: int) -> bool:
    codes = {str(c).upper() for c in (operation.get("responses") or {})}
    return bool({str(status), f"{status // 100}XX", "DEFAULT"} & codes)


def _schema_problem(spec: Spec, operation: dict[str, Any], response: dict[str, Any]) -> str | None:
    schema = spec.body_schema(operation, response["status"])
    if schema is None or "json" not in response["content_type"]:
        return None
    try:
        body = json.loads(response["body"])
    except ValueError:
        return None  # cut at 2000 characters: not judged
    definitions = {k: spec.doc[k] for k in ("definitions", "components") if k in spec.doc}
    try:
        jsonschema.validate(body, {**definitions, **schema})
    except jsonschema.ValidationError as error:
        return error.message[:120]
    except jsonschema.SchemaError:
        return None
    return None


@dataclass(frozen=True)
class Verdict:
    kind: str  # "5xx", "spec" or "false"
    operation: str
    why: str


# spec breaks a person verified, by API: (text in a response, what the server does wrong)
KNOWN_SPEC_BREAKS: dict[str, list[tuple[str, str]]] = {
    "prefect": [
        (
            "Resources must include the prefect.resource.id label",
            "POST /events refuses a body its spec allows: its `Resource` schema is any map of "
            "strings, but the server wants a `prefect.resource.id` label",
        ),
    ],
    "kinto": [
        (
            "Accounts must have an ID",
            "POST /v1/accounts refuses a body its spec allows: it wants data.id, which the "
            "spec does not declare",
        ),
    ],
}


def classify(spec: Spec, record: dict[str, Any], api: str = "") -> Verdict:
    """Why a generated test failed: a server error, a spec break, or the generator's fault."""
    responses = record["responses"]
    for response in responses:
        for text, why in KNOWN_SPEC_BREAKS.get(api, []):
            if text in response["body"]:
                found = spec.operation(response["method"], response["path"])
                return Verdict("spec", found[0] if found else response["path"], why)
    for response in responses:
        if response["status"] >= 500:
            found = spec.operation(response["method"], response["path"])
            name = found[0] if found else f"{response['method']} {response['path']}"
            return Verdict("5xx", name, f"answered {response['status']}")
    if "RemoteProtocolError" in record["message"]:
        return Verdict("5xx", _test_story(record), "an invalid HTTP response")
    if "UnicodeEncodeError" in record["message"]:
        # the test encodes nothing itself: httpx failed on a cookie the server set that is
        # not ASCII (RFC 6265 allows none), while building the redirect it does not follow
        return Verdict("5xx", _test_story(record), "an invalid HTTP response (non-ASCII cookie)")
    if not responses:
        return Verdict("false", "-", _reason(record))
    last = responses[-1]
    found = spec.operation(last["method"], last["path"])
    if found is None:
        return Verdict("false", f"{last['method']} {last['path']}", "not an operation of the spec")
    name, operation = found
    if last["status"] == 404 and not _declared(operation, 404):
        # not found: most likely an id or a reference the suite made up, not the server's
        # fault, even where the spec does not declare 404 (counted against the generator)
        return Verdict("false", name, f"answered 404 (undeclared): {_reason(record)}")
    if not _declared(operation, last["status"]):
        return Verdict("spec", name, f"answered {last['status']}, which it does not declare")
    problem = _schema_problem(spec, operation, last)
    if problem is not None:
        return Verdict("spec", name, f"{last['status']} body breaks its schema: {problem}")
    test = record["test"].rsplit("::", 1)[-1]
    if NEGATIVE.search(test) and 200 <= last["status"] < 400:  # a success, or the redirect
        return Verdict("spec", name, f"accepted a request its spec forbids ({test})")
    return Verdict("false", name, _reason(record))


def _reason(record: dict[str, Any]) -> str:
    lines = [x.strip() for x in record["message"].splitlines() if x.startswith("E ")]
    return (lines[0] if lines else record["message"].splitlines()[-1])[:160]


def _test_story(record: dict[str, Any]) -> str:
    last = record["responses"][-1] if record["responses"] else None
    return f"{last['method']} {last['path']}" if last else record["test"].rsplit("::", 1)[-1]


# running ------------------------------------------------------------------------------------


@dataclass
class Run:
    records: list[dict[str, Any]]
    seconds: float

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.records if r["outcome"] == outcome)


def generate(source: Path, out: Path, flags: tuple[str, ...]) -> None:
    command = [sys.executable, "-m", "bot.cli", "generate", str(source), "--out", str(out)]
    subprocess.run([*command, *flags], cwd=ROOT, check=True, capture_output=True, text=True)


def run_suite(suite: Path, base: str, env: dict[str, str]) -> Run:
    record = suite / f".record-{time.monotonic_ns()}.jsonl"
    command = [
        sys.executable, "-m", "pytest", str(suite), "-q", "-p", "no:cacheprovider",
        "-p", "bench._real_api_plugin", "--rootdir", str(suite), "-o", "addopts=",
        "--alluredir", str(suite / ".allure"), "-W", "ignore::DeprecationWarning",
    ]  # fmt: skip
    environ = {
        **os.environ,
        **env,
        "API_BASE_URL": base,
        "TESTGEN_BENCH_RECORD": str(record),
        "PYTHONPATH": str(ROOT),
    }
    started = time.monotonic()
    subprocess.run(command, cwd=suite, env=environ, capture_output=True, timeout=1800, check=False)
    seconds = time.monotonic() - started
    lines = record.read_text(encoding="utf-8").splitlines() if record.exists() else []
    return Run([json.loads(line) for line in lines], seconds)


def schemathesis(
    api: Api, env: dict[str, str], base: str, folder: Path
) -> tuple[dict[str, str], float]:
    """Operations where Schemathesis finds a 5xx (with its failure text), and its wall time."""
    report = folder / "schemathesis.xml"
    command = [
        str(VENV / "bin" / "schemathesis"), "run", base + api.spec_path, "--url",
        base + _base_path(api, base), "-c", "not_a_server_error", "--seed", str(SEED),
        "--report", "junit", "--report-junit-path", str(report), "--no-color", "-w", "1",
        "--generation-database", "none", "--max-examples", "25",
        "--phases", "examples,coverage,fuzzing",
    ]  # fmt: skip
    if "API_TOKEN" in env:
        scheme = "Basic" if "Basic" in api.generate_flags else "Bearer"
        command += ["-H", f"Authorization: {scheme} {env['API_TOKEN']}"]
    started = time.monotonic()
    subprocess.run(command, cwd=folder, capture_output=True, timeout=3600, check=False)
    seconds = time.monotonic() - started
    crashed: dict[str, str] = {}
    if report.exists():
        for case in ET.parse(report).getroot().iter("testcase"):
            # only the not_a_server_error check runs: a failure is a 5xx; an error (a schema
            # Schemathesis cannot read, a refused connection) is not a crash
            failures = list(case.iter("failure"))
            text = " ".join((f.get("message") or "") + " " + (f.text or "") for f in failures)
            if failures and re.search(r"Server error|\b5\d\d\b", text):
                crashed[str(case.get("name"))] = " ".join(text.split())[:300]
    return crashed, seconds


def _base_path(api: Api, base: str) -> str:
    doc = httpx.get(base + api.spec_path, timeout=10).json()
    if "openapi" in doc:
        return ""  # servers[0] is relative to the origin already, or absent
    return str(doc.get("basePath") or "").rstrip("/")


@dataclass
class Row:
    name: str
    tests: int = 0
    passed: int = 0
    skipped: int = 0
    findings_5xx: int = 0
    findings_spec: int = 0
    false: int = 0
    second_run_false: int = 0
    second_run_new: list[str] = field(default_factory=list)
    second_run_findings: list[tuple[str, Verdict]] = field(default_factory=list)
    suite_seconds: float = 0.0
    fuzz_tests: int = 0
    fuzz_seconds: float = 0.0
    st_crashes: int = 0
    st_missed: list[str] = field(default_factory=list)
    st_seconds: float = 0.0
    verdicts: list[tuple[str, Verdict]] = field(default_factory=list)


def _tally(row: Row, spec: Spec, first: Run, second: Run, api: str) -> set[str]:
    row.tests = len(first.records)
    row.passed = first.count("passed")
    row.skipped = first.count("skipped")
    row.suite_seconds = first.seconds
    fuzz = [r for r in first.records if r["test"].endswith("_fuzz")]
    row.fuzz_tests = len(fuzz)
    row.fuzz_seconds = sum(float(r.get("seconds", 0.0)) for r in fuzz)
    crashed: set[str] = set()
    for record in first.records:
        if record["outcome"] != "failed":
            continue
        verdict = classify(spec, record, api)
        row.verdicts.append((record["test"].rsplit("::", 1)[-1], verdict))
        if verdict.kind == "5xx":
            row.findings_5xx += 1
            crashed.add(verdict.operation)
        elif verdict.kind == "spec":
            row.findings_spec += 1
        else:
            row.false += 1
    failed_first = {r["test"] for r in first.records if r["outcome"] == "failed"}
    for record in second.records:
        if record["outcome"] != "failed":
            continue
        verdict = classify(spec, record, api)
        if verdict.kind == "false":
            row.second_run_false += 1
        if record["test"] not in failed_first:  # green once, red on the same service after
            test = record["test"].rsplit("::", 1)[-1]
            if verdict.kind == "false":
                row.second_run_new.append(test)
            else:  # a finding the first run's data reached: still the server's
                row.second_run_findings.append((test, verdict))
                if verdict.kind == "5xx":
                    crashed.add(verdict.operation)
    return crashed


def measure(api: Api, with_schemathesis: bool, from_source: bool, keep: Path | None) -> Row:
    row = Row(api.name + (" (source)" if from_source else ""))
    folder = Path(tempfile.mkdtemp(prefix=f"bench-suite-{api.name}-"))
    try:
        with serve(api) as base:
            doc = httpx.get(base + api.spec_path, timeout=10).json()
            spec_file = folder / "spec.json"
            spec_file.write_text(json.dumps(doc), encoding="utf-8")
            source = api.source() if from_source else spec_file
            if source is None:
                raise RuntimeError(f"{api.name}: no source to scan")
            if from_source:
                copy = folder / "src" / source.name
                shutil.copytree(source, copy)
                source = folder / "src"
            generate(source, folder / "suite", api.generate_flags)
            env = api.prepare(base)
            first = run_suite(folder / "suite", base, env)
            second = run_suite(folder / "suite", base, env)
        crashed = _tally(row, Spec(doc), first, second, api.name)
        if with_schemathesis:
            with serve(api) as base:
                env = api.prepare(base)
                st_crashed, row.st_seconds = schemathesis(api, env, base, folder)
            row.st_crashes = len(st_crashed)
            row.st_missed = sorted(f"{op}: {st_crashed[op]}" for op in set(st_crashed) - crashed)
    finally:
        if keep is not None:  # the suite, its records and Schemathesis' report, to read by hand
            shutil.copytree(folder, keep / row.name.replace(" ", ""), dirs_exist_ok=True)
        shutil.rmtree(folder, ignore_errors=True)
    return row


def _print(rows: list[Row]) -> None:
    head = (
        f"{'api':<18}{'tests':>6}{'passed':>7}{'skip':>5}{'5xx':>5}{'spec':>5}{'false':>6}"
        f"{'false%':>8}{'run2 false':>11}{'run2 new':>9}{'st 5xx ops':>11}{'st missed':>10}"
        f"{'suite s':>9}{'fuzz s':>8}{'st s':>8}{'fuzz/st':>8}"
    )
    print(head)
    for r in rows:
        rate = 100.0 * r.false / max(r.tests, 1)
        ratio = f"{r.fuzz_seconds / r.st_seconds:.2f}" if r.st_seconds else "-"
        print(
            f"{r.name:<18}{r.tests:>6}{r.passed:>7}{r.skipped:>5}{r.findings_5xx:>5}"
            f"{r.findings_spec:>5}{r.false:>6}{rate:>7.1f}%{r.second_run_false:>11}"
            f"{len(r.second_run_new):>9}{r.st_crashes:>11}{len(r.st_missed):>10}"
            f"{r.suite_seconds:>9.1f}{r.fuzz_seconds:>8.1f}{r.st_seconds:>8.1f}{ratio:>8}"
        )
    for r in rows:
        print(f"\n{r.name}: failures ({r.fuzz_tests} fuzz tests)")
        for test, v in sorted(r.verdicts, key=lambda tv: (tv[1].kind, tv[1].operation)):
            print(f"  {v.kind:<5} {v.operation:<48} {test}: {v.why}")
        for test in r.second_run_new:
            print(f"  run 2 only, false: {test}")
        for test, v in r.second_run_findings:
            print(f"  run 2 only, {v.kind:<5} {v.operation:<36} {test}: {v.why}")
        for op in r.st_missed:
            print(f"  schemathesis-only 5xx: {op}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setup", action="store_true", help="create the virtualenvs first")
    parser.add_argument("--only", action="append", help="API name (repeatable)")
    parser.add_argument("--no-schemathesis", action="store_true")
    parser.add_argument("--keep", type=Path, help="copy each API's suite and reports here")
    args = parser.parse_args()
    if args.setup:
        setup()
    rows = []
    for api in APIS:
        if args.only and api.name not in args.only:
            continue
        rows.append(measure(api, not args.no_schemathesis, False, args.keep))
        if api.source() is not None:
            rows.append(measure(api, False, True, args.keep))
    _print(rows)
    bad = [
        r
        for r in rows
        if max(r.false, r.second_run_false) > FALSE_TARGET * r.tests / 100.0 or r.second_run_new
    ]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
