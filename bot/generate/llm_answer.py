"""Judge an LLM answer: extract its code, autofix it, and accept it only if it validates.

The bar: after `fix_source`, the module may have no finding of severity `major` or above,
and no `minor` finding of a rule the deterministic baseline does not also break (the answer
must be no worse than what we would ship without the LLM). `info` findings never block.
It must also keep every `@allure.story` of the baseline (each endpoint stays covered) and at
least as many tests as the baseline had."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from bot.validate.api import Finding, fix_source, validate_source
from bot.validate.config import ValidateConfig
from bot.validate.model import build_model
from bot.validate.rules.base import Severity

_RANK: dict[Severity, int] = {"info": 0, "minor": 1, "major": 2, "critical": 3, "blocker": 4}
BLOCKING: Severity = "major"
_FENCE = re.compile(r"```[ \t]*([\w+-]*)[ \t]*\n(.*?)```", re.DOTALL)
_SHOWN_RULES = 3


@dataclass(frozen=True)
class Verdict:
    """The fixed source when the answer is accepted (`reason` empty), else why not."""

    source: str | None
    reason: str

    @property
    def accepted(self) -> bool:
        return self.source is not None


def extract_code(answer: str) -> str:
    """The first ```python block (else the first fenced block, else the whole answer)."""
    blocks = _FENCE.findall(answer)
    for language, body in blocks:
        if language.lower() in ("python", "py", "python3"):
            return str(body)
    if blocks:
        return str(blocks[0][1])
    return answer.strip() + "\n"


def _string(node: cst.BaseExpression | None) -> str | None:
    if isinstance(node, cst.SimpleString | cst.ConcatenatedString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None if node is None else cst.Module([]).code_for_node(node)


def stories_and_tests(module: cst.Module, source: str, path: str) -> tuple[set[str], int]:
    """The `story` label values the tests of a module carry, and how many tests it has."""
    model = build_model(module, source, path)
    stories = {
        text
        for test in model.tests
        for use in test.labels
        if use.label == "story" and (text := _string(use.value)) is not None
    }
    return stories, len(model.tests)


def keep_header(baseline: str, source: str) -> str:
    """`source` with the baseline's leading comment lines (ownership marker, licence) put
    back on top when the answer dropped them."""
    header: list[str] = []
    for line in baseline.splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    present = set(source.splitlines()[: len(header) + 5])
    missing = [line for line in header if line not in present]
    return "".join(line + "\n" for line in missing) + source


def _blocking(findings: Sequence[Finding], baseline: Sequence[Finding]) -> list[Finding]:
    tolerated = {f.rule for f in baseline}
    return [
        f
        for f in findings
        if _RANK[f.severity] >= _RANK[BLOCKING]
        or (_RANK[f.severity] >= _RANK["minor"] and f.rule not in tolerated)
    ]


def _summary(findings: Sequence[Finding]) -> str:
    worst_first = sorted(findings, key=lambda f: -_RANK[f.severity])
    rules = list(Counter(f.rule for f in worst_first))
    shown = ", ".join(rules[:_SHOWN_RULES]) + (" …" if len(rules) > _SHOWN_RULES else "")
    noun = "finding" if len(findings) == 1 else "findings"
    return f"{len(findings)} {noun} ({shown})"


def judge(
    answer: str,
    *,
    baseline: str,
    path: str,
    config: ValidateConfig,
) -> Verdict:
    """Accept the answer's module (autofixed) or say why it falls back to the baseline."""
    code = extract_code(answer)
    if not code.strip():
        return Verdict(None, "invalid code: no code in answer")
    try:
        cst.parse_module(code)
    except cst.ParserSyntaxError as error:
        return Verdict(None, f"invalid code: syntax error at line {error.raw_line}")
    fixed = fix_source(keep_header(baseline, code), path, config)
    findings = _blocking(
        validate_source(fixed, path, config), validate_source(baseline, path, config)
    )
    if findings:
        return Verdict(None, f"invalid code: {_summary(findings)}")
    stories, tests = stories_and_tests(cst.parse_module(fixed), fixed, path)
    try:
        base_stories, base_tests = stories_and_tests(cst.parse_module(baseline), baseline, path)
    except cst.ParserSyntaxError:
        base_stories, base_tests = set(), 0
    if tests == 0:
        return Verdict(None, "invalid code: no tests")
    missing = sorted(base_stories - stories)
    if missing:
        return Verdict(None, "dropped stories: " + ", ".join(missing))
    if tests < base_tests:
        return Verdict(None, f"dropped tests: {tests} of the baseline's {base_tests}")
    return Verdict(fixed, "")
