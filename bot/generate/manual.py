"""`/testgen manual`: Allure manual test cases from the requirements in an MR description.

Deterministically: each list item (`-`, `*`, `+`, `1.`, `1)`, checkboxes) is one acceptance
criterion and becomes one test case, titled with the criterion's words; its expected result
comes from its own words too (`A → B`, `…, then B`, `when A, B`; otherwise the criterion
itself). Given/When/Then scenarios become one case each. The feature is the MR's
`feature::…` label, else its title; the story is the section heading, else the criterion.
When a section is headed "Acceptance criteria" only those sections are used. Every test is
`@allure.manual`, walks its steps (so the Allure result carries them) and ends with
`pytest.skip`, so running the suite never fails on it. Lines stay within the project's line
length (long titles are split into implicitly concatenated strings).

Manual cases are validated with the repository's config except that `missing-assertion` is
off (the tester is the assertion; the validator has no notion of manual tests) and `manual`
is a required label."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Sequence
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
DEFAULT_LINE_LENGTH = 88
MAX_TITLE = 120
CHECK = "Check the criterion"  # the action of a criterion that is a plain statement
_THEN = re.compile(r"^(.*?\S)[\s,;]+then\s+(.*\S)$", re.IGNORECASE)
_CONDITION = re.compile(r"^((?:when|if|after|once|as soon as)\s+.+?),\s+(.*\S)$", re.IGNORECASE)
_FEATURE_LABEL = re.compile(r"^feature\s*::?\s*(.+)$", re.IGNORECASE)
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


def _story(section: _Section) -> str | None:
    """The nearest heading that is not "Acceptance criteria" (None: the criterion is its own)."""
    for node in section.ancestors():
        if node.heading and not _AC.search(node.heading):
            return node.heading
    return None


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def criterion_step(text: str) -> Step:
    """One criterion as an action and its expected result, both in the criterion's own words:
    `A → B`, `A, then B`, `when A, B`; otherwise the statement is what to check."""
    action, arrow, expected = _ARROW.sub(" → ", text).partition(" → ")
    if arrow:
        return Step("plain", action, expected)
    then = _THEN.match(text)
    if then:
        return Step("plain", _upper_first(then.group(1)), then.group(2))
    condition = _CONDITION.match(text)
    if condition:
        return Step("plain", _upper_first(condition.group(1)), condition.group(2))
    return Step("plain", CHECK, text)


def _title(text: str) -> str:
    text = _ARROW.sub(" → ", text)
    if len(text) <= MAX_TITLE:
        return text
    return text[: MAX_TITLE - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


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


def _cases_of(section: _Section, story: str | None, feature: str) -> list[Case]:
    """One case per criterion (list item) and per scenario, in document order."""
    criteria: list[str] = []
    cases: list[Case] = []
    scenario: Case | None = None
    wrapping = False  # the previous line was a plain list item (or its continuation)
    for raw in section.lines:
        item = _ITEM.match(raw)
        text = _clean(item.group(2) if item else raw)
        if wrapping and text and not item and raw[:1].isspace():
            criteria[-1] += " " + text
            continue
        wrapping = False
        named, gherkin = _SCENARIO.match(text), _GHERKIN.match(text)
        group = story or feature
        scenarios = sum(1 for c in cases if c.steps and c.steps[0].kind != "plain")
        if named:
            title = _clean(named.group(1)) or f"{group}: scenario {scenarios + 1}"
            scenario = Case(story or title, title)
            cases.append(scenario)
        elif gherkin and not (item and _CONDITION.match(text)):  # "- When A, B" is a criterion
            if scenario is None or _starts_scenario(scenario, gherkin.group(1)):
                title = f"{group}: scenario {scenarios + 1}"
                scenario = Case(story or title, title)
                cases.append(scenario)
            _add_gherkin(scenario, gherkin.group(1), gherkin.group(2))
        elif item and not _REFERENCE.match(text):
            scenario = None
            criteria.append(text)
            cases.append(Case("", "", []))  # filled in below, once wrapped lines are joined
            wrapping = True
    texts = iter(criteria)
    for case in cases:
        if not case.title:
            text = next(texts)
            case.title = _title(text)
            case.story = story or case.title
            case.steps = [criterion_step(text)]
    return [case for case in cases if case.steps]


def requirement_cases(title: str, description: str) -> list[Case]:
    """The manual test cases the description's requirements describe, in document order."""
    sections = _sections(description)
    chosen = [s for s in sections if s.under(_AC)] or [s for s in sections if not s.under(_SKIPPED)]
    feature = _feature(title)
    return [case for s in chosen for case in _cases_of(s, _story(s), feature)]


def _feature(title: str, labels: Sequence[str] = ()) -> str:
    """A `feature::Checkout` (or `feature:Checkout`) label names the feature; else the title."""
    for label in labels:
        found = _FEATURE_LABEL.match(label.strip())
        if found and found.group(1).strip():
            return _clean(found.group(1))
    text = re.sub(r"^\s*(draft|wip)\s*:\s*", "", title, flags=re.IGNORECASE)
    return _clean(text) or "Manual test cases"


def _chunks(text: str, room: int) -> list[str]:
    """`text` cut at spaces into pieces whose literals fit `room` characters (the space stays
    at the end of a piece, so the concatenation is the text again)."""
    pieces: list[str] = []
    current = ""
    for word in re.findall(r"\S+\s*", text):
        if current and len(_literal(current + word)) > room:
            pieces.append(current)
            current = ""
        while len(_literal(word)) > room and len(word) > 1:  # a word longer than a line
            cut = max(1, room - 2 - (len(_literal(word)) - len(word) - 2))
            pieces.append(word[:cut])
            word = word[cut:]
        current += word
    if current or not pieces:
        pieces.append(current)
    return pieces


def _call(indent: str, call: str, text: str, suffix: str, width: int) -> list[str]:
    """`call("text")suffix` on one line, or its string split over lines within `width`."""
    one = f"{indent}{call}({_literal(text)}){suffix}"
    if len(one) <= width:
        return [one]
    inner = indent + "    "
    pieces = _chunks(text, max(20, width - len(inner)))
    return [f"{indent}{call}(", *(inner + _literal(p) for p in pieces), f"{indent}){suffix}"]


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
    expected = step.expected or _EXPECTED.get(step.kind, "done")
    return f"Step {number}: {step.action} → Expected: {expected}"


def manual_cases_deterministic(
    title: str,
    description: str,
    labels: Sequence[str] = (),
    line_length: int = DEFAULT_LINE_LENGTH,
) -> str | None:
    """A pytest module of Allure manual cases, or None when the description lists nothing.

    The same title, description and labels always give the same module."""
    cases = requirement_cases(title, description)
    if not cases:
        return None
    feature, titles, names = _feature(title, labels), set[str](), set[str]()
    width = max(60, line_length)
    lines = [
        "# Manual test cases from the MR description (testgen-bot).",
        "import allure",
        "import pytest",
    ]
    for case in cases:
        case_title = _unique(case.title, titles, " ")
        room = min(60, width - len("def test_() -> None:") - 3)  # 3: a `_2` suffix
        slug = _SLUG.sub("_", case_title.lower()).strip("_")[:room].rstrip("_")
        name = _unique(f"test_{slug or 'case'}", names, "_")
        lines += ["", "", "@allure.manual", *_call("", "@allure.feature", feature, "", width)]
        lines += _call("", "@allure.story", case.story, "", width)
        escaped = case_title.replace("{", "{{").replace("}", "}}")
        lines += [*_call("", "@allure.title", escaped, "", width), f"def {name}() -> None:"]
        for number, step in enumerate(case.steps, 1):
            lines += _call("    ", "with allure.step", _step_title(number, step), ":", width)
            lines.append("        pass")
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
    labels: Sequence[str] = (),
    line_length: int = DEFAULT_LINE_LENGTH,
) -> ManualResult:
    """Manual cases by the LLM when a client is given and its module validates, else the
    deterministic ones; `source` None when the description has no requirements."""
    baseline = manual_cases_deterministic(title, description, labels, line_length)
    if baseline is None:
        return ManualResult(None, False, NOTHING)
    if client is None:
        return ManualResult(baseline, False, NO_LLM)
    rules = manual_validate_config(config)
    prompt = render(
        TEMPLATE,
        {
            "required_labels": ", ".join(f"`{label}`" for label in rules.required_labels),
            "title": _feature(title, labels),
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
