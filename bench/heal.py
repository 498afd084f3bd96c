"""Benchmark: `heal` of a 1,000-test suite against a 50-change diff, next to a bare libcst parse.

Builds an inventory of 100 resources (list, create, read: 300 endpoints), a suite of 20 modules
with 50 tests each written against it (constants, f-strings, request dicts in variables,
response reads, stories), and a second inventory with 50 changes: 15 collection renames (three
endpoints each), 10 response-field renames, 10 new required request fields, 10 request-field
renames, 5 removed endpoints. Prints the time to heal, the time to parse every module once
with `libcst.parse_module` (the floor of any codemod), their ratio, and what was healed.
Run: `python bench/heal.py` (target: heal under 10 s).
"""

from __future__ import annotations

import argparse
import time

import libcst

from bot.heal.changes import change_set
from bot.heal.engine import heal, heal_with
from bot.heal.mapping import read_map
from bot.scan.model import Endpoint, Inventory

RESOURCES = 100
MODULES = 20
TESTS_PER_MODULE = 50


def _schema(fields: dict[str, str], required: list[str]) -> dict[str, object]:
    return {
        "type": "object",
        "required": required,
        "properties": {k: {"type": v} for k, v in fields.items()},
    }


def inventory(changed: bool) -> Inventory:
    endpoints: list[Endpoint] = []
    for i in range(RESOURCES):
        name = f"res{i}"
        path = f"/v{i}/items" if changed and i < 15 else f"/{name}"
        record = {"id": "integer", "name": "string", "note": "string"}
        request = {"name": "string", "note": "string"}
        required = ["name"]
        if changed and 15 <= i < 25:
            record = {"id": "integer", "name": "string", "comment": "string"}
        if changed and 25 <= i < 35:
            request, required = {**request, "size": "integer"}, ["name", "size"]
        if changed and 35 <= i < 45:
            request = {"title": "string", "note": "string"}
            required = ["title"]
        common = {"framework": "openapi", "file": "api.yaml", "line": 1}
        endpoints += [
            Endpoint(method="GET", path=path, operation_id=f"list{i}", handler=f"list{i}",
                     responses={"200": {"type": "array", "items": _schema(record, ["id"])}},
                     **common),
            Endpoint(method="POST", path=path, operation_id=f"create{i}", handler=f"create{i}",
                     request_schema=_schema(request, required),
                     responses={"201": _schema(record, ["id"])}, **common),
        ]  # fmt: skip
        if not (changed and 45 <= i < 50):
            endpoints.append(
                Endpoint(method="GET", path=f"{path}/{{item_id}}", operation_id=f"get{i}",
                         handler=f"get{i}", responses={"200": _schema(record, ["id"])}, **common)
            )  # fmt: skip
    return Inventory(endpoints=endpoints)


def _test(i: int, n: int) -> str:
    res = i % RESOURCES
    kind = n % 3
    if kind == 0:
        return (
            f'@allure.story("GET /res{res}")\n'
            f"def test_list_{n}(api):\n"
            f'    with allure.step("Act: GET /res{res}"):\n'
            f"        response = api.get(RES{res})\n"
            f"    items = response.json()\n"
            f'    assert all(item.get("note") is not None for item in items)\n'
        )
    if kind == 1:
        return (
            f'@allure.story("POST /res{res}")\n'
            f"def test_create_{n}(api):\n"
            f'    payload = {{"name": "n{n}", "note": "x"}}\n'
            f"    response = api.post(BASE + RES{res}, json=payload)\n"
            f"    body = response.json()\n"
            f'    assert body["note"] == "x"\n'
        )
    return (
        f'@allure.story("GET /res{res}/{{item_id}}")\n'
        f"def test_read_{n}(api, item_id=1):\n"
        f'    response = api.get(f"/res{res}/{{item_id}}")\n'
        f'    assert response.json()["note"]\n'
    )


def suite() -> dict[str, str]:
    files: dict[str, str] = {}
    count = 0
    for m in range(MODULES):
        head = ["import allure", "", 'BASE = ""']
        head += [f'RES{r} = "/res{r}"' for r in range(RESOURCES) if r % MODULES == m % MODULES]
        used = {r for r in range(RESOURCES) if r % MODULES == m % MODULES}
        body = []
        for t in range(TESTS_PER_MODULE):
            res = sorted(used)[t % len(used)]
            body.append(_test(res, count))
            count += 1
        files[f"test_mod{m}.py"] = "\n".join(head) + "\n\n\n" + "\n\n".join(body)
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    files, before, after = suite(), inventory(False), inventory(True)
    tests = sum(text.count("\ndef test_") for text in files.values())
    times: dict[str, list[float]] = {"heal": [], "parse": [], "map": [], "codemods": []}
    for _ in range(args.rounds):
        started = time.perf_counter()
        for text in files.values():
            libcst.parse_module(text)
        times["parse"].append(time.perf_counter() - started)
        started = time.perf_counter()
        result = heal(files, before, after)
        times["heal"].append(time.perf_counter() - started)
        started = time.perf_counter()
        changes = change_set(before, after)
        hits, parsed = read_map(files, before)
        times["map"].append(time.perf_counter() - started)
        started = time.perf_counter()
        heal_with(files, changes, hits, before, parsed)
        times["codemods"].append(time.perf_counter() - started)
    median = {k: sorted(v)[len(v) // 2] for k, v in times.items()}
    heal_s, parse_s = median["heal"], median["parse"]
    print(f"suite: {tests} tests in {len(files)} modules; {len(before.endpoints)} endpoints")
    print(f"heal: {heal_s:.2f} s (median of {args.rounds}); libcst parse only: {parse_s:.2f} s;"
          f" ratio {heal_s / parse_s:.1f}x")  # fmt: skip
    print(
        f"  of which change set + test map (bot.analysis, parses the suite): "
        f"{median['map']:.2f} s; codemods on the map's trees: {median['codemods']:.2f} s "
        f"({median['codemods'] / parse_s:.2f}x a bare parse)"
    )
    applied = sum(1 for a in result.actions if a.applied)
    print(f"broken {len(result.broken)}, healed {len(result.healed)} "
          f"(rate {result.rate:.2f}), {applied} edits applied, {len(result.unhealable)} "
          f"unhealable, {len(result.files)} files changed; target < 10 s: "
          f"{'met' if heal_s < 10 else 'MISSED'}")  # fmt: skip


if __name__ == "__main__":
    main()
