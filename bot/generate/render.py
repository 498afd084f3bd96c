"""Generated modules as source text: header, imports, constants and test functions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.generate.cases import Case, CaseWriter
from bot.generate.model import MARKER, GenerateOptions
from bot.generate.request import RequestPlanner
from bot.generate.source_text import Constants, string
from bot.scan.model import Endpoint, Inventory

_FIXTURE_TYPES = {
    "api": "httpx.Client",
    "anon_api": "httpx.Client",
    "create_resource": "Callable[..., Any]",
    "create_once": "Callable[..., Any]",
    "unique": "Callable[..., Any]",
}


def _credential(options: GenerateOptions) -> tuple[str, str]:
    return options.auth_in, options.auth_header


def _indent(lines: Sequence[str], depth: int) -> list[str]:
    pad = " " * (4 * depth)
    return [pad + line.replace("\n", "\n" + pad) if line else "" for line in lines]


def signature(case: Case, fixture_types: Mapping[str, str], given_type: str) -> str:
    """The test's `def` line, fixtures typed, wrapped one per line past 100 characters."""
    typed = [f"{name}: {fixture_types[name]}" for name in case.fixtures]
    typed += [f"{name}: {given_type}" for name in case.given]
    line = f"def {case.name}({', '.join(typed)}) -> None:"
    if len(line) > 100:
        wrapped = "".join(f"    {item},\n" for item in typed)
        line = f"def {case.name}(\n{wrapped}) -> None:"
    return line


def skip_marks(case: Case) -> list[str]:
    return [f"@pytest.mark.skip(reason={string(case.skip)})"] if case.skip else []


def steps(case: Case) -> list[str]:
    """The body: Arrange, Act and Assert, each in its `with allure.step(...)`."""
    return [
        f"    with allure.step({string(case.arrange_title)}):",
        *_indent(case.arrange, 2),
        f"    with allure.step({string(case.act_title)}):",
        *_indent(case.act, 2),
        f"    with allure.step({string(case.assert_title)}):",
        *_indent(case.asserts, 2),
    ]


def render_case(case: Case, feature: str, story: str) -> str:
    lines = [
        *skip_marks(case),
        f"@allure.feature({string(feature)})",
        f"@allure.story({string(story)})",
        f"@allure.title({string(case.title)})",
        f"@allure.severity(allure.severity_level.{case.severity})",
        *case.decorators,
        signature(case, _FIXTURE_TYPES, "Any"),
        *steps(case),
    ]
    return "\n".join(lines) + "\n"


def unique_names(cases: list[Case]) -> list[Case]:
    """Test names and titles made unique within the module, in order."""
    names: set[str] = set()
    titles: set[str] = set()
    out = []
    for case in cases:
        name, title, n = case.name, case.title, 2
        while name in names or title.casefold() in titles:
            name, title, n = f"{case.name}_{n}", f"{case.title} ({n})", n + 1
        names.add(name)
        titles.add(title.casefold())
        out.append(Case(**{**case.__dict__, "name": name, "title": title}))
    return out


def render_module(
    endpoints: Sequence[Endpoint], inventory: Inventory, options: GenerateOptions, feature: str
) -> str:
    """One module with the tests of the endpoints of one feature."""
    constants = Constants()
    writer = CaseWriter(RequestPlanner(inventory, constants, _credential(options)), options)
    rendered: list[tuple[Case, str, Endpoint]] = []
    for endpoint in endpoints:
        story = f"{endpoint.method} {endpoint.path}"
        rendered += [(case, story, endpoint) for case in writer.cases(endpoint)]
    unique = unique_names([case for case, _, _ in rendered])
    body = [
        render_case(case, endpoint.feature, story)
        for case, (_, story, endpoint) in zip(unique, rendered, strict=True)
    ]
    uses_schema = any("jsonschema." in text for text in body)
    uses_pytest = any("@pytest." in text for text in body)
    uses_fuzz = any("@hypothesis." in text for text in body)
    uses_quote = any("quote(" in text for text in body)
    callables = {"create_resource", "create_once", "unique"}
    uses_callable = any(callables & set(case.fixtures) for case in unique)
    stdlib = ["import string"] if any("string.punctuation" in text for text in body) else []
    stdlib += ["from collections.abc import Callable"] if uses_callable else []
    if uses_callable or constants.source() or uses_fuzz:
        stdlib.append("from typing import Any")
    if uses_quote:
        stdlib.append("from urllib.parse import quote")
    third = ["import allure", "import httpx"]
    if uses_fuzz:
        third.append("import hypothesis")
    if uses_schema:
        third.append("import jsonschema")
    if uses_pytest:
        third.append("import pytest")
    if uses_fuzz:
        third.append("from hypothesis_jsonschema import from_schema")
    imports = ["from __future__ import annotations", ""]
    imports += [*stdlib, ""] if stdlib else []
    imports += third
    label = "".join(c for c in feature if c.isprintable() and c not in '\\"')
    docstring = f'"""Generated API tests for the {label} feature."""'
    parts = [MARKER, docstring, "", *imports, ""]
    text = "\n".join(parts)
    if constants.source():
        text += "\n" + constants.source() + "\n"
    text += "".join("\n\n" + chunk for chunk in body)
    return text


def render_endpoint_tests(
    endpoint: Endpoint, options: GenerateOptions, inventory: Inventory | None = None
) -> str:
    """The constants and test functions of one endpoint, as source without imports."""
    inventory = inventory or Inventory(endpoints=[endpoint])
    constants = Constants()
    writer = CaseWriter(RequestPlanner(inventory, constants, _credential(options)), options)
    story = f"{endpoint.method} {endpoint.path}"
    cases = unique_names(writer.cases(endpoint))
    chunks = [render_case(case, endpoint.feature, story) for case in cases]
    head = constants.source() + "\n" if constants.source() else ""
    return head + "".join("\n\n" + chunk for chunk in chunks)
