"""Running a generated suite as its users do: pytest in a subprocess, against a live service."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.validate.api import validate_source


def run_generated(
    suite: Path, base_url: str, target: str = "", token: str | None = None, *more: str
) -> str:
    """pytest's output for the suite (or `target` inside it) with `API_BASE_URL` set, and
    `API_TOKEN` only when `token` is given."""
    env = {k: v for k, v in os.environ.items() if k != "API_TOKEN"}
    env["API_BASE_URL"] = base_url
    if token is not None:
        env["API_TOKEN"] = token
    command = [
        sys.executable, "-m", "pytest", f"{suite}/{target}" if target else str(suite), "-q",
        "-p", "no:cacheprovider", "--rootdir", str(suite), "-o", "addopts=",
        "-W", "ignore::DeprecationWarning", *more,
    ]  # fmt: skip
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    return done.stdout + done.stderr


def validation_findings(suite: Path) -> dict[str, list[object]]:
    """`testgen validate`'s findings per generated module that has any."""
    found: dict[str, list[object]] = {}
    for path in sorted(suite.glob("*.py")):
        findings = validate_source(path.read_text(encoding="utf-8"), path.name)
        if findings:
            found[path.name] = list(findings)
    return found


def constant(module_text: str, name: str) -> str:
    """The source of a module-level constant `name: dict[str, Any] = {…}` of a generated module."""
    return module_text.split(f"{name}: dict[str, Any] = ")[1].split("\n}\n")[0] + "\n}"
