"""Security modules as source: OWASP labels, the `security` marker, constants and tests."""

from __future__ import annotations

from bot.generate.cases import Case
from bot.generate.model import MARKER
from bot.generate.render import signature, skip_marks, steps, unique_names
from bot.generate.security import owasp
from bot.generate.security.cases import SecurityCase
from bot.generate.source_text import Constants, literal, string

_FIXTURE_TYPES = {
    "api": "httpx.Client",
    "anon_api": "httpx.Client",
    "second_api": "httpx.Client",
    "client_with": "Callable[[str], httpx.Client]",
    "create_resource": "Callable[..., Any]",
    "unique": "Callable[..., Any]",
    "created": "Callable[..., None]",
}


def render_security_case(case: Case, feature: str, category: str) -> str:
    tag = category.split(" ", 1)[0]
    lines = [
        *skip_marks(case),
        "@pytest.mark.security",
        f"@allure.feature({string(feature)})",
        f"@allure.story({string(category)})",
        f"@allure.title({string(case.title)})",
        f'@allure.tag("security", {string(tag)})',
        f'@allure.label("owasp", {string(tag)})',
        f"@allure.severity(allure.severity_level.{case.severity})",
        *case.decorators,
        signature(case, _FIXTURE_TYPES, "str"),
        *steps(case),
    ]
    return "\n".join(lines) + "\n"


def unique_cases(cases: list[SecurityCase]) -> list[SecurityCase]:
    renamed = unique_names([found.case for found in cases])
    return [SecurityCase(case, found.category) for case, found in zip(renamed, cases, strict=True)]


def render_security_module(
    cases: list[tuple[SecurityCase, str]], constants: Constants, label: str
) -> str:
    """One module: `cases` as (case, Allure feature), with the module's constants."""
    unique = unique_cases([c for c, _ in cases])
    body = [
        render_security_case(found.case, feature, found.category)
        for found, (_, feature) in zip(unique, cases, strict=True)
    ]
    text_all = "\n".join(body)
    extra: list[str] = []
    if "LEAK." in text_all:
        extra.append(
            f"# a stack trace, a framework debug page or a raw database error\n"
            f"LEAK = re.compile(\n    {_pattern()}\n)"
        )
    if "INJECTIONS" in text_all:
        extra.append(f"INJECTIONS = {literal(list(owasp.INJECTIONS), 13)}")
    fixtures = {f for found in unique for f in found.case.fixtures}
    stdlib: list[str] = []
    if "re.compile" in "".join(extra):
        stdlib.append("import re")
    if fixtures & {"client_with", "create_resource", "unique", "created"}:
        stdlib.append("from collections.abc import Callable")
    if fixtures & {"create_resource", "unique", "created"} or constants.source():
        stdlib.append("from typing import Any")
    if "quote(" in text_all:
        stdlib.append("from urllib.parse import quote")
    stdlib = sorted(stdlib, key=lambda s: (s.startswith("from"), s))
    imports = ["from __future__ import annotations", ""]
    imports += [*stdlib, ""] if stdlib else []
    imports += ["import allure", "import httpx", "import pytest"]
    clean = "".join(c for c in label if c.isprintable() and c not in '\\"')
    docstring = f'"""Generated security tests (OWASP API Top 10, 2023) for the {clean} feature."""'
    text = "\n".join([MARKER, docstring, "", *imports, ""])
    consts = "\n\n".join(x for x in [*extra, constants.source()] if x)
    if consts:
        text += "\n" + consts + "\n"
    text += "".join("\n\n" + chunk for chunk in body)
    return text


def _pattern() -> str:
    """The leak pattern as adjacent raw string literals, one alternative group a line."""
    parts = owasp.LEAK_PATTERN.split("|")
    lines: list[str] = []
    current = ""
    for part in parts:
        piece = part if not current else "|" + part
        if len(current) + len(piece) > 80 and current:
            lines.append(current)
            current = "|" + part
        else:
            current += piece
    lines.append(current)
    return "\n    ".join(f"r{_raw(line)}" for line in lines)


def _raw(text: str) -> str:
    quote = "'" if '"' in text else '"'
    return f"{quote}{text}{quote}"
