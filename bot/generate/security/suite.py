"""The security suite: one module per feature under `security/`, its conftest, API9 tests."""

from __future__ import annotations

from collections.abc import Mapping

from bot.generate.cases import Case, CaseWriter
from bot.generate.model import GeneratedFile, GenerateOptions, SuiteResult, is_generated
from bot.generate.request import RequestPlanner
from bot.generate.security import owasp
from bot.generate.security.cases import SecurityCase, SecurityWriter
from bot.generate.security.conftest_template import render_security_conftest
from bot.generate.security.inventory import InventoryGap, documented_by_feature, inventory_gaps
from bot.generate.security.render import render_security_module
from bot.generate.source_text import Constants, path_expression, path_params, snake, string
from bot.scan.model import Inventory

FOLDER = "security/"
INVENTORY_FEATURE = "inventory"
NOT_SERVED = (404, 405, 501)


def _writer(inventory: Inventory, options: GenerateOptions, constants: Constants) -> CaseWriter:
    credential = (options.auth_in, options.auth_header)
    return CaseWriter(RequestPlanner(inventory, constants, credential), options)


def _gap_case(gap: InventoryGap, writer: CaseWriter) -> SecurityCase:
    """A request without credentials or body: a shadow endpoint must not be served (404/405),
    a zombie operation must be (anything else); the test fails until the spec is updated."""
    endpoint = gap.endpoint
    names = path_params(endpoint.path)
    lines = [f"{snake(n)}_value = {string('1')}" for n in names]
    url = path_expression(endpoint.path, {n: f"{snake(n)}_value" for n in names})
    served = ", ".join(str(c) for c in NOT_SERVED)
    message = string(
        gap.message
        + (": document it or stop serving it" if gap.kind == "shadow" else ": update the spec")
    )
    if gap.kind == "shadow":
        asserts = [f"assert response.status_code in ({served}), {message}"]
        summary = "the undocumented endpoint is not served"
        what = "is documented in the spec"
    else:
        codes = f"({served})" if not names else "(405, 501)"
        asserts = [f"assert response.status_code not in {codes}, {message}"]
        summary = "the documented operation is still served"
        what = "is still served by the code"
    display = writer._display(endpoint)
    case = Case(
        name=f"{writer._base(endpoint)}_{gap.kind}",
        title=f"API9:2023 {display} {what}",
        severity="NORMAL",
        fixtures=("anon_api",),
        arrange_title="Arrange: placeholder path values, no credentials, no body",
        arrange=(*lines, f"url = {url}"),
        act_title=f"Act: send {display}",
        act=(f'response = anon_api.request("{endpoint.method}", url)',),
        assert_title=f"Assert: {summary}",
        asserts=tuple(asserts),
        decorators=("@pytest.mark.inventory",),
    )
    return SecurityCase(case, owasp.API9)


def plan_security(
    inventory: Inventory,
    options: GenerateOptions,
    existing: Mapping[str, str] | None = None,
    inventory_tests: bool = False,
    folder: str = "",
) -> SuiteResult:
    """Security modules for every feature, under `<folder>security/`; API9 gaps as notes and,
    with `inventory_tests`, as tests that fail until the spec is updated."""
    hand = {p for p, t in (existing or {}).items() if not is_generated(t)}
    result = SuiteResult(files=[])
    groups = documented_by_feature(inventory, options)
    for slug in groups:
        members = groups[slug]
        constants = Constants()
        writer = SecurityWriter(_writer(inventory, options, constants))
        cases = [(c, e.feature) for e in members for c in writer.cases(e)]
        if not cases:
            continue
        path = f"{folder}{FOLDER}test_{slug}_security.py"
        if path in hand:
            result.notes.append(f"{path} is hand-written: not overwritten")
            continue
        content = render_security_module(cases, constants, members[0].feature)
        keys = tuple(sorted({(e.method, e.path) for e in members}))
        result.files.append(GeneratedFile(path, content, keys))
    gaps = inventory_gaps(inventory)
    result.notes.extend(f"API9 {gap.kind}: {gap.message}" for gap in gaps)
    if gaps and inventory_tests:
        constants = Constants()
        plain = _writer(inventory, options, constants)
        cases = [(_gap_case(gap, plain), INVENTORY_FEATURE) for gap in gaps]
        content = render_security_module(cases, constants, INVENTORY_FEATURE)
        keys = tuple(sorted({(g.endpoint.method, g.endpoint.path) for g in gaps}))
        path = f"{folder}{FOLDER}test_{INVENTORY_FEATURE}_security.py"
        result.files.append(GeneratedFile(path, content, keys))
    if result.files:
        conftest = f"{folder}{FOLDER}conftest.py"
        result.files.append(GeneratedFile(conftest, render_security_conftest(options)))
    result.files.sort(key=lambda f: f.path)
    return result
