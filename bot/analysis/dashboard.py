"""The project dashboard issue's description (like Renovate's Dependency Dashboard): coverage
by feature, untested endpoints with a checkbox each to ask for tests, duplicate groups, the
bot's open merge requests and the healing log's last entries."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.analysis._fit import Collapsed, fit
from bot.analysis.coverage import CoverageReport
from bot.analysis.duplicates import DuplicateGroup
from bot.markdown import code, plain

TITLE = "testgen dashboard"
MARKER = "<!-- testgen-bot:dashboard -->"
REQUEST = "<!-- testgen:generate {method} {path} -->"
INTRO = (
    "testgen-bot keeps this issue up to date on every push to {branch} "
    "(`dashboard: true` in `.testgen.yml`). Tick an untested endpoint to get a merge request "
    "with tests for it."
)
HEADLINE = (
    "Coverage of {branch} at {sha}: **{percent:.1f} %** "
    "({covered} of {total} endpoints, {tests} tests)."
)
NO_MRS = "_None open._"
NO_LOG = "_Nothing healed yet._"
BUDGET = 900_000  # below GitLab's 1,048,576-character description limit
_CHECKED = re.compile(r"^\s*[-*] \[[xX]\] .*<!-- testgen:generate (\S+) (\S+) -->", re.M)


@dataclass(frozen=True)
class OpenMergeRequest:
    iid: int
    title: str
    source_branch: str
    web_url: str
    state: str


def requested(description: str) -> list[tuple[str, str]]:
    """Endpoints whose checkbox is ticked, in the order they appear."""
    return list(dict.fromkeys((m, p) for m, p in _CHECKED.findall(description)))


def _log_line(entry: dict[str, Any]) -> str:
    sha = str(entry.get("sha", ""))[:8]
    if entry.get("kind") == "run":
        healed, broken = entry.get("healed"), entry.get("broken")
        trigger = plain(entry.get("trigger", ""))
        return f"- {plain(sha)} ({trigger}): healed {healed} of {broken} broken tests"
    where = code(f"{entry.get('file')}:{entry.get('line')}") if entry.get("file") else ""
    change = f"{code(entry.get('old'))} → {code(entry.get('new'))}" if entry.get("old") else ""
    kind, rule = plain(entry.get("kind", "")), plain(entry.get("rule", ""))
    return f"- {plain(sha)} {kind} {rule} {where} {change}".rstrip()


def dashboard_markdown(
    report: CoverageReport,
    groups: Sequence[DuplicateGroup],
    merge_requests: Sequence[OpenMergeRequest],
    heal_log: Sequence[dict[str, Any]],
    branch: str,
    sha: str,
) -> str:
    head = [
        INTRO.format(branch=code(branch)),
        "",
        HEADLINE.format(
            branch=code(branch),
            sha=sha[:12],
            percent=report.percent,
            covered=report.covered,
            total=report.total,
            tests=report.tests,
        ),
        "",
        "## Coverage by feature",
        "",
        "| Feature | Endpoints | Tested | % |",
        "| --- | ---: | ---: | ---: |",
        *(
            f"| {code(name, in_table=True)} | {f.total} | {f.covered} | {f.percent:.1f} |"
            for name, f in report.by_feature.items()
        ),
        "",
        "## Open testgen merge requests",
        "",
        *(
            [
                f"- [!{mr.iid} {plain(mr.title)}]({mr.web_url}) · {code(mr.source_branch)} · "
                f"{plain(mr.state)}"
                for mr in merge_requests
            ]
            or [NO_MRS]
        ),
        "",
        "## Healing log",
        "",
        *([_log_line(e) for e in heal_log[:10]] or [NO_LOG]),
    ]
    untested = [
        f"- [ ] {code(f'{e.method} {e.path}')} {REQUEST.format(method=e.method, path=e.path)}"
        for e in report.uncovered
    ]
    duplicates = [f"- {g.similarity:.2f}: " + ", ".join(code(t) for t in g.tests) for g in groups]
    blocks = [
        Collapsed(f"Untested endpoints ({len(untested)}): tick to request tests", untested),
        Collapsed(f"Duplicate test groups ({len(duplicates)})", duplicates),
    ]
    return fit(head, [b for b in blocks if b.rows], "coverage", BUDGET) + "\n" + MARKER + "\n"
