"""Generate a suite from openapi.yaml and run it with pytest against a served reference API."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from bot.generate import GenerateOptions, generate_suite, write_suite
from bot.generate.spec import load_inventory
from tests.reference_api.app import TOKEN

SPEC = Path(__file__).resolve().parent / "openapi.yaml"


@dataclass(frozen=True)
class RunResult:
    passed: int
    failed: int
    output: str

    @property
    def total(self) -> int:
        return self.passed + self.failed


def write_generated_suite(out_dir: Path) -> list[Path]:
    """Generate the suite for the reference spec into `out_dir`."""
    inventory = load_inventory(SPEC)
    return write_suite(generate_suite(inventory, GenerateOptions()), out_dir)


def run_suite(suite_dir: Path, base_url: str, stop_early: bool = False) -> RunResult:
    """Run the generated suite in a fresh interpreter (allure-pytest on) against `base_url`."""
    report = suite_dir / ".report.xml"
    env = {**os.environ, "API_BASE_URL": base_url, "API_TOKEN": TOKEN}
    command = [
        sys.executable, "-m", "pytest", str(suite_dir), "-q", "-p", "no:cacheprovider",
        "--rootdir", str(suite_dir), "--alluredir", str(suite_dir / ".allure"),
        "--junitxml", str(report), "-o", "addopts=", "-W", "ignore::DeprecationWarning",
    ]  # fmt: skip
    if stop_early:
        command.append("-x")
    done = subprocess.run(
        command, cwd=suite_dir, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    suite = ET.parse(report).getroot()
    suite = suite if suite.tag == "testsuite" else suite[0]
    tests = int(suite.get("tests", 0))
    failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
    skipped = int(suite.get("skipped", 0))
    return RunResult(tests - failed - skipped, failed, done.stdout + done.stderr)
