"""The whole suite from an inventory: endpoints grouped by feature, hand-written files respected."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping

from bot.analysis.testmap import build_test_map
from bot.generate.conftest_template import render_conftest
from bot.generate.model import GeneratedFile, GenerateOptions, SuiteResult, is_generated
from bot.generate.render import render_module
from bot.generate.source_text import snake
from bot.scan.model import Endpoint, Inventory, normalise_template

_METHOD_ORDER = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE")
_NO_EXISTING: Mapping[str, str] = {}
UNRESOLVED_SKIP = (
    "path not known statically (unresolved: {parts}); no test is written against a guessed URL."
    " Give the value a literal default in the code, or describe the API in an OpenAPI file"
)


def _order(endpoint: Endpoint) -> tuple[str, int, str]:
    return (normalise_template(endpoint.path), _METHOD_ORDER.index(endpoint.method), endpoint.path)


def _selected(inventory: Inventory, options: GenerateOptions) -> list[Endpoint]:
    endpoints = [e for e in inventory.endpoints if e.method not in ("OPTIONS", "TRACE")]
    if options.only is not None:
        wanted = {(m.upper(), normalise_template(p)) for m, p in options.only}
        endpoints = [e for e in endpoints if e.key in wanted]
    return sorted(endpoints, key=_order)


def repo_path(tests_dir: str, path: str) -> str:
    """A path relative to the tests folder (`../test_health.py`) as the repository names it."""
    return posixpath.normpath(posixpath.join(tests_dir, path))


def _free_name(wanted: str, taken: Mapping[str, str]) -> str:
    """`wanted` unless a hand-written file has it; then `<stem>_generated[_n].py`."""
    if wanted not in taken:
        return wanted
    stem = wanted.removesuffix(".py")
    candidate, n = f"{stem}_generated.py", 2
    while candidate in taken:
        candidate, n = f"{stem}_generated_{n}.py", n + 1
    return candidate


def _folder(hand: Mapping[str, str]) -> str:
    """`""` (the tests folder) unless its conftest.py is hand-written: then a sub-folder."""
    if "conftest.py" not in hand:
        return ""
    name, n = "generated", 2
    while f"{name}/conftest.py" in hand:
        name, n = f"generated_{n}", n + 1
    return f"{name}/"


def _already_tested(
    inventory: Inventory, endpoints: list[Endpoint], hand: Mapping[str, str]
) -> dict[tuple[str, str], str]:
    """Endpoint (method, path) → the first file (by name) whose tests already call it."""
    test_map = build_test_map(
        {p: t for p, t in hand.items() if p.endswith(".py")}, inventory.endpoints
    )
    covered = test_map.covered()
    chosen = {(e.method, e.path) for e in endpoints}
    return {key: ids[0].split("::", 1)[0] for key, ids in covered.items() if key in chosen}


def plan_suite(
    inventory: Inventory, options: GenerateOptions, existing: Mapping[str, str] = _NO_EXISTING
) -> SuiteResult:
    """The files to write, the endpoints skipped and why, and notes on renamed files."""
    hand = {path: text for path, text in existing.items() if not is_generated(text)}
    endpoints = _selected(inventory, options)
    # endpoints named explicitly are generated even when a hand-written test covers them
    already = {} if options.include_tested else _already_tested(inventory, endpoints, hand)
    result = SuiteResult(files=[])
    for endpoint in [e for e in endpoints if e.unresolved]:
        why = UNRESOLVED_SKIP.format(parts=", ".join(f"`{p}`" for p in endpoint.unresolved))
        result.skipped.append((endpoint.method, endpoint.path, why))
    endpoints = [e for e in endpoints if not e.unresolved]
    for endpoint in endpoints:
        if (endpoint.method, endpoint.path) in already:
            where = repo_path(options.tests_dir, already[(endpoint.method, endpoint.path)])
            result.skipped.append((endpoint.method, endpoint.path, f"already tested in {where}"))
    todo = [e for e in endpoints if (e.method, e.path) not in already]
    folder = _folder(hand)
    if folder:
        result.notes.append(
            f"conftest.py is hand-written: generated tests go to {folder} with their own conftest"
        )
    groups: dict[str, list[Endpoint]] = {}
    for endpoint in todo:
        groups.setdefault(snake(endpoint.feature), []).append(endpoint)
    for slug in sorted(groups):
        members = groups[slug]
        wanted = f"{folder}test_{slug}.py"
        path = _free_name(wanted, hand)
        notes = () if path == wanted else (f"{wanted} is hand-written; wrote {path} instead",)
        content = render_module(members, inventory, options, members[0].feature)
        if "\ndef test_" not in content:
            continue
        keys = tuple(sorted({(e.method, e.path) for e in members}))
        result.files.append(GeneratedFile(path, content, keys, notes))
        result.notes.extend(notes)
    if result.files:
        conftest = GeneratedFile(f"{folder}conftest.py", render_conftest(options))
        result.files.append(conftest)
    result.files.sort(key=lambda f: f.path)
    return result


def generate_suite(
    inventory: Inventory, options: GenerateOptions, existing: Mapping[str, str] = _NO_EXISTING
) -> list[GeneratedFile]:
    """The generated files (conftest included), sorted by path; byte-identical on every run."""
    return plan_suite(inventory, options, existing).files
