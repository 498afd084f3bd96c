"""`/testgen manual`: Allure manual test cases from the requirements in an MR description.

Deterministically: list items (`-`, `*`, `+`, `1.`, `1)`, checkboxes) and Given/When/Then
lines become steps; headings become stories; when a section is headed "Acceptance criteria"
only those sections are used. Each story's plain items form one test case, each Gherkin
scenario its own. Every test is `@allure.manual`, walks its steps (so the Allure result
carries them) and ends with `pytest.skip`, so running the suite never fails on it.

Manual cases are validated with the repository's config except that `missing-assertion` is
off (the tester is the assertion; the validator has no notion of manual tests) and `manual`
is a required label."""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass, field

from bot.generate.llm_answer import judge
from bot.generate.llm_client import LLMClient
from bot.generate.llm_prompt import render, truncate
from bot.generate.llm_types import LLMFailure
from bot.validate.config import ValidateConfig

TEMPLATE = "manual_cases.v1"
DEFAULT_PATH = "tests/manual/test_manual_cases.py"
NOTHING = (
    "nothing to turn into test cases: the description has no list items or Given/When/Then lines"
)
NO_LLM = "deterministic: LLM not configured"
SKIP_REASON = "manual test case"
REQUIREMENTS_BUDGET = 8_000
OFF_FOR_MANUAL = ("missing-assertion",)

_EXPECTED = {"given": "the precondition is in place", "when": "the action succeeds"}
_EXPECTED_PLAIN = "the requirement is met"
_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)[\s#]*$")
_ITEM = re.compile(r"^(\s*)(?:[-*+]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?(.*\S)")
_GHERKIN = re.compile(
    r"^(given|дано|when|когда|then|тогда|and|и|but|но)\b[\s:,]*(.*\S)", re.IGNORECASE
)
_SCENARIO = re.compile(r"^\**(?:scenario(?: outline)?|сценарий)\**\s*:\**\s*(.*?)\**$", re.I)
_KINDS = {"дано": "given", "когда": "when", "тогда": "then", "и": "and", "но": "but"}
_AC = re.compile(r"acceptance|критери\w* при[её]мки|^ac$", re.IGNORECASE)
_SKIPPED = re.compile(r"checklist|чек-?лист|screenshots?|скриншот|^links?$|related", re.I)
_REFERENCE = re.compile(r"^(closes|fixes|resolves|relates? to|related to|see)\b.*[#!]\d", re.I)
_ARROW = re.compile(r"\s+(?:→|->|=>)\s+")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_FENCE = re.compile(r"^\s*(```|~~~)")
_EMPHASIS = re.compile(r"\*\*|__")
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass
class Step:
    kind: str  # given, when, then-less plain item …
    action: str
    expected: str = ""


@dataclass
class Case:
    story: str
    title: str
    steps: list[Step] = field(default_factory=list)


@dataclass
class _Section:
    level: int
    heading: str | None
    parent: _Section | None
    lines: list[str] = field(default_factory=list)

    def ancestors(self) -> list[_Section]:
        chain: list[_Section] = []
        node: _Section | None = self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    def under(self, pattern: re.Pattern[str]) -> bool:
        """Whether this section or one it is nested in has a heading matching `pattern`."""
        return any(node.heading and pattern.search(node.heading) for node in self.ancestors())


@dataclass(frozen=True)
class ManualResult:
    """The module of manual cases (None when there is nothing to test), and why it is so."""

    source: str | None
    used_llm: bool
    reason: str


def _clean(text: str) -> str:
    return " ".join(_EMPHASIS.sub("", text).split())


def _pseudo_heading(line: str) -> str | None:
    """`**Acceptance criteria**` or a short `Acceptance criteria:` line on its own."""
    text = line.strip()
    if _ITEM.match(line) or _GHERKIN.match(text) or _SCENARIO.match(text):
        return None
    core = text.rstrip(":").strip()
    bold = len(core) > 4 and core[:2] in ("**", "__") and core[-2:] == core[:2]
    short = text.endswith(":") and len(core.split()) <= 5 and len(core) <= 50
    return _clean(core.strip("*_ ").rstrip(":")) or None if bold or short else None


def _sections(description: str) -> list[_Section]:
    root = _Section(0, None, None)
    sections, fenced = [root], False
    for line in _COMMENT.sub("", description).replace("\r\n", "\n").split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        heading = _HEADING.match(line)
        text = _clean(heading.group(2)) if heading else _pseudo_heading(line)
        if text and _SCENARIO.match(text):  # a scenario heading belongs to its story
            sections[-1].lines.append(text)
            continue
        if not text:
            sections[-1].lines.append(line)
            continue
        level = len(heading.group(1)) if heading else 7
        parent = next(s for s in reversed(sections) if s.level < level)
        sections.append(_Section(level, text, parent))
    return sections


def _story(section: _Section, title: str) -> str:
    for node in section.ancestors():
        if node.heading and not _AC.search(node.heading):
            return node.heading
    return title


def _add_gherkin(case: Case, keyword: str, text: str) -> None:
    kind = _KINDS.get(keyword.lower(), keyword.lower())
    last = case.steps[-1] if case.steps else None
    if kind in ("and", "but"):
        kind = "then" if last is not None and last.expected else (last.kind if last else "given")
    if kind != "then":
        case.steps.append(Step(kind, f"{kind.capitalize()} {text}"))
    elif last is not None and last.kind in ("given", "when"):
        last.expected = f"{last.expected}; {text}" if last.expected else text
    else:
        case.steps.append(Step("then", "Check the outcome", text))


def _starts_scenario(case: Case, keyword: str) -> bool:
    """A `Given` after the scenario's actions starts the next scenario."""
    kind = _KINDS.get(keyword.lower(), keyword.lower())
    return kind == "given" and bool(case.steps) and case.steps[-1].kind != "given"


def _cases_of(section: _Section, story: str) -> list[Case]:
    plain = Case(story, story)
    scenarios: list[Case] = []
    scenario: Case | None = None
    wrapping = False  # the previous line was a plain list item (or its continuation)
    for raw in section.lines:
        item = _ITEM.match(raw)
        text = _clean(item.group(2) if item else raw)
        if wrapping and text and not item and raw[:1].isspace():
            last = plain.steps[-1]
            if last.expected:
                last.expected += " " + text
            else:
                last.action += " " + text
            continue
        wrapping = False
        named, gherkin = _SCENARIO.match(text), _GHERKIN.match(text)
        if named:
            number = len(scenarios) + 1
            scenario = Case(story, _clean(named.group(1)) or f"{story}: scenario {number}")
            scenarios.append(scenario)
        elif gherkin:
            if scenario is None or _starts_scenario(scenario, gherkin.group(1)):
                scenario = Case(story, f"{story}: scenario {len(scenarios) + 1}")
                scenarios.append(scenario)
            _add_gherkin(scenario, gherkin.group(1), gherkin.group(2))
        elif item and not _REFERENCE.match(text):
            scenario = None
            action, _, expected = _ARROW.sub(" → ", text).partition(" → ")
            plain.steps.append(Step("plain", action, expected))
            wrapping = True
    cases = [plain] if plain.steps else []
    return cases + [case for case in scenarios if case.steps]


def requirement_cases(title: str, description: str) -> list[Case]:
    """The manual test cases the description's requirements describe, in document order."""
    sections = _sections(description)
    chosen = [s for s in sections if s.under(_AC)] or [s for s in sections if not s.under(_SKIPPED)]
    feature = _feature(title)
    return [case for s in chosen for case in _cases_of(s, _story(s, feature))]


def _feature(title: str) -> str:
    text = re.sub(r"^\s*(draft|wip)\s*:\s*", "", title, flags=re.IGNORECASE)
    return _clean(text) or "Manual test cases"


def _literal(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _unique(value: str, taken: set[str], sep: str) -> str:
    candidate, n = value, 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{value}{sep}{n}"
    taken.add(candidate.casefold())
    return candidate


def _step_title(number: int, step: Step) -> str:
    expected = step.expected or _EXPECTED.get(step.kind, _EXPECTED_PLAIN)
    return f"Step {number}: {step.action} → Expected: {expected}"


def manual_cases_deterministic(title: str, description: str) -> str | None:
    """A pytest module of Allure manual cases, or None when the description lists nothing.

    The same title and description always give the same module."""
    cases = requirement_cases(title, description)
    if not cases:
        return None
    feature, titles, names = _feature(title), set[str](), set[str]()
    lines = [
        "# Manual test cases generated by testgen-bot from the merge request description.",
        "import allure",
        "import pytest",
    ]
    for case in cases:
        case_title = _unique(case.title, titles, " ")
        slug = _SLUG.sub("_", case_title.lower()).strip("_")[:60].rstrip("_")
        name = _unique(f"test_{slug or 'case'}", names, "_")
        lines += ["", "", "@allure.manual", f"@allure.feature({_literal(feature)})"]
        lines.append(f"@allure.story({_literal(case.story)})")
        escaped = case_title.replace("{", "{{").replace("}", "}}")
        lines += [f"@allure.title({_literal(escaped)})", f"def {name}() -> None:"]
        for number, step in enumerate(case.steps, 1):
            lines += [
                f"    with allure.step({_literal(_step_title(number, step))}):",
                "        pass",
            ]
        lines.append(f"    pytest.skip({_literal(SKIP_REASON)})")
    return "\n".join(lines) + "\n"


def manual_validate_config(config: ValidateConfig | None = None) -> ValidateConfig:
    """The repository's rules as they apply to manual cases (see the module docstring)."""
    config = config or ValidateConfig()
    labels = [
        *config.required_labels,
        *(["manual"] if "manual" not in config.required_labels else []),
    ]
    rules = {**config.rules, **dict.fromkeys(OFF_FOR_MANUAL, False)}
    return config.model_copy(update={"required_labels": labels, "rules": rules})


async def manual_cases(
    title: str,
    description: str,
    client: LLMClient | None,
    *,
    path: str = DEFAULT_PATH,
    config: ValidateConfig | None = None,
) -> ManualResult:
    """Manual cases by the LLM when a client is given and its module validates, else the
    deterministic ones; `source` None when the description has no requirements."""
    baseline = manual_cases_deterministic(title, description)
    if baseline is None:
        return ManualResult(None, False, NOTHING)
    if client is None:
        return ManualResult(baseline, False, NO_LLM)
    rules = manual_validate_config(config)
    prompt = render(
        TEMPLATE,
        {
            "required_labels": ", ".join(f"`{label}`" for label in rules.required_labels),
            "title": _feature(title),
            "requirements": truncate(description.strip(), REQUIREMENTS_BUDGET),
            "baseline": baseline.rstrip(),
        },
    )
    answer = await client.attempt(prompt.messages, version=prompt.version)
    if isinstance(answer, LLMFailure):
        return ManualResult(baseline, False, f"fallback: {answer.reason}")
    verdict = await asyncio.to_thread(
        judge, answer.text, baseline=baseline, path=path, config=rules
    )
    if verdict.source is None:
        return ManualResult(baseline, False, f"fallback: {verdict.reason}")
    return ManualResult(verdict.source, True, "cached" if answer.cached else "llm")
