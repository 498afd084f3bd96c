"""Benchmark: `validate_paths` against a bare `libcst.parse_module` over the same test files.

Generates realistic, varied Allure test modules (about one in four with a defect) into a
temporary directory and prints both timings and their ratio. Run: `python bench/validate.py`.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import libcst

from bot.validate.api import validate_paths

RESOURCES = ["users", "orders", "products", "invoices", "carts", "payments", "sessions", "teams"]
METHODS = ["get", "post", "put", "patch", "delete"]
IMPORTS = [
    "import allure\nimport pytest\n",
    "import allure as a\nimport pytest\n",
    "from allure import feature, story, title, step, severity, severity_level\nimport pytest\n",
]


def _test(rng: random.Random, style: int, resource: str, index: int, defect: bool) -> str:
    method = rng.choice(METHODS)
    prefix = {0: "allure.", 1: "a.", 2: ""}[style]
    level = {0: "allure.severity_level", 1: "a.severity_level", 2: "severity_level"}[style]
    sev = rng.choice(["CRITICAL", "NORMAL", "MINOR"]) if not defect else "HIGHEST"
    title = f"{method.upper()} {resource} case {index}" + (
        " {item_id}" if rng.random() < 0.3 else ""
    )
    lines = [
        f'    @{prefix}story("{method.upper()} /{resource}/{{item_id}}")',
        f'    @{prefix}title("{title}")',
        f"    @{prefix}severity({level}.{sev})",
        '    @pytest.mark.parametrize("item_id", [1, 2, 3])',
        f"    {'async ' if rng.random() < 0.2 else ''}def test_{method}_{resource}_{index}"
        f"(self, api, item_id):",
        f'        """{method.upper()} a {resource[:-1]} and check the answer."""',
        f'        with {prefix}step("Arrange: build the payload"):',
        f'            payload = {{"name": "item-{index}", "count": {rng.randint(1, 99)},'
        f' "tags": ["a", "b"]}}',
        "            # the request goes through the api fixture",
        f'        with {prefix}step("Act: {method.upper()} /{resource}/{{item_id}}"):',
        f'            response = api.{method}(f"/{resource}/{{item_id}}", json=payload)',
    ]
    if defect and rng.random() < 0.5:
        lines.append("        assert response.status_code < 500")
    else:
        lines += [
            f'        with {prefix}step("Assert: status and body"):',
            f"            assert response.status_code == {rng.choice([200, 201, 204])}",
            "            body = response.json()",
            '            assert body["name"] == payload["name"], body',
        ]
    return "\n".join(lines) + "\n"


def module_source(rng: random.Random, number: int) -> str:
    style = rng.randrange(3)
    resource = rng.choice(RESOURCES)
    defect = rng.random() < 0.25
    prefix = {0: "allure.", 1: "a.", 2: ""}[style]
    parts = [
        f'"""API tests for /{resource} (module {number})."""\n',
        IMPORTS[style],
        "\n",
        f'pytestmark = [{prefix}feature("{resource.title()}")]\n\n\n',
        f"class Test{resource.title()}{number}:\n",
    ]
    count = rng.randint(3, 8)
    parts.append("\n".join(_test(rng, style, resource, i, defect and i == 0) for i in range(count)))
    return "".join(parts)


def generate(directory: Path, files: int, seed: int) -> list[Path]:
    rng = random.Random(seed)
    paths = []
    for number in range(files):
        path = directory / f"test_{rng.choice(RESOURCES)}_{number}.py"
        path.write_text(module_source(rng, number), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = generate(Path(tmp), args.files, args.seed)
        lines = sum(p.read_text().count("\n") for p in paths)
        baseline = validation = float("inf")
        findings = 0
        for _ in range(args.rounds):  # best of N, alternating, so both see the same machine
            start = time.perf_counter()
            for path in paths:
                libcst.parse_module(path.read_text(encoding="utf-8"))
            baseline = min(baseline, time.perf_counter() - start)
            start = time.perf_counter()
            report = validate_paths([Path(tmp)])
            validation = min(validation, time.perf_counter() - start)
            findings = len(report.findings)
        assert report.files == len(paths)
        print(f"files: {len(paths)}  lines: {lines}  findings: {findings}")
        print(f"bare libcst.parse_module: {baseline:.2f} s")
        print(f"validate_paths:           {validation:.2f} s")
        print(f"ratio: {validation / baseline:.2f}")


if __name__ == "__main__":
    main()
