"""Coverage for people: the MR section (headline, table, collapsed lists), a terminal table,
and the commit status's state and description."""

from __future__ import annotations

from typing import Literal

from bot.analysis._fit import SECTION_BUDGET, Collapsed, fit
from bot.analysis.coverage import CoverageDelta, CoverageReport, Figure
from bot.markdown import code

HEADING = "#### Test coverage"
HEADLINE = "**{percent} %** of endpoints have tests ({covered} of {total})"
NO_ENDPOINTS = "No endpoints found, so nothing to cover."
NEW_UNTESTED = "**New endpoints without tests** ({n}): comment `/testgen generate` for them."
LOST = "**No longer tested** ({n}):"
STATUS_NAME = "testgen: coverage"
BELOW_THRESHOLD = "below the {threshold} % threshold"
DROPPED = "dropped against {target}"

StatusState = Literal["success", "failed"]


def _pct(value: float) -> str:
    return f"{value:.1f}"


def _change(delta: CoverageDelta) -> str:
    change = delta.change
    if change > 0:
        return f"▲ {_pct(change)} points"
    if change < 0:
        return f"▼ {_pct(-change)} points"
    return "unchanged"


def headline(report: CoverageReport, delta: CoverageDelta | None = None, target: str = "") -> str:
    """One line: the percentage, the counts, the change against the target, new untested."""
    if not report.total:
        return NO_ENDPOINTS
    line = HEADLINE.format(percent=_pct(report.percent), covered=report.covered, total=report.total)
    if delta is not None:
        line += f" · {_change(delta)} against {code(target)}"
        if delta.added_untested:
            line += f" · {len(delta.added_untested)} new without tests"
    return line


def _figure_rows(figures: dict[str, Figure]) -> list[str]:
    return [
        f"| {code(name, in_table=True)} | {f.total} | {f.covered} | {_pct(f.percent)} |"
        for name, f in figures.items()
    ]


def _endpoint(method: str, path: str) -> str:
    return f"- {code(f'{method} {path}')}"


def coverage_markdown(
    report: CoverageReport,
    delta: CoverageDelta | None = None,
    target: str = "",
    budget: int = SECTION_BUDGET,
) -> str:
    """The coverage section of the MR comment (and the `/testgen coverage` answer)."""
    head = [HEADING, "", headline(report, delta, target)]
    if not report.total:
        return "\n".join(head) + "\n"
    if delta is not None and delta.added_untested:
        head += ["", NEW_UNTESTED.format(n=len(delta.added_untested))]
        head += [_endpoint(e.method, e.path) for e in delta.added_untested[:20]]
        if len(delta.added_untested) > 20:
            head.append(f"- …and {len(delta.added_untested) - 20} more (below)")
    if delta is not None and delta.lost:
        head += ["", LOST.format(n=len(delta.lost))]
        head += [_endpoint(e.method, e.path) for e in delta.lost[:20]]
    head += ["", "| Method | Endpoints | Tested | % |", "| --- | ---: | ---: | ---: |"]
    head += _figure_rows(report.by_method)
    kinds = " · ".join(f"{k} {f.covered}" for k, f in report.by_kind.items())
    head += ["", f"Endpoints with a test of each kind: {kinds}."]
    blocks = [
        Collapsed(
            f"By feature ({len(report.by_feature)})",
            _figure_rows(report.by_feature),
            ("| Feature | Endpoints | Tested | % |", "| --- | ---: | ---: | ---: |"),
        ),
        Collapsed(
            f"Untested endpoints ({len(report.uncovered)})",
            [_endpoint(e.method, e.path) for e in report.uncovered],
        ),
    ]
    return fit(head, [b for b in blocks if b.rows], "coverage", budget)


def coverage_table(report: CoverageReport) -> str:
    """The report for a terminal: figures, then the untested endpoints."""
    lines = [
        f"{report.percent:.1f} % of endpoints have tests ({report.covered} of {report.total}, "
        f"{report.tests} tests)",
        "",
    ]
    width = max([len(n) for n in (*report.by_method, *report.by_feature)] + [7])
    for title, figures in (("METHOD", report.by_method), ("FEATURE", report.by_feature)):
        lines.append(f"{title:<{width}}  ENDPOINTS  TESTED      %")
        for name, f in figures.items():
            lines.append(f"{name:<{width}}  {f.total:>9}  {f.covered:>6}  {f.percent:>5.1f}")
        lines.append("")
    kinds = ", ".join(f"{k} {f.covered}" for k, f in report.by_kind.items())
    lines += [f"endpoints with a test of each kind: {kinds}", ""]
    if report.uncovered:
        lines.append("untested:")
        lines += [f"  {e.method:<7} {e.path}" for e in report.uncovered]
    return "\n".join(lines).rstrip() + "\n"


def coverage_status(
    report: CoverageReport,
    delta: CoverageDelta | None,
    threshold: float | None,
    fail_on_drop: bool,
    target: str = "",
) -> tuple[StatusState, str]:
    """The `testgen: coverage` commit status: failed below the threshold or (when asked) on a
    drop; the description carries the percentage and the delta (GitLab shows ~255 chars)."""
    reasons = []
    if threshold is not None and report.percent < threshold:
        reasons.append(BELOW_THRESHOLD.format(threshold=_pct(threshold)))
    if fail_on_drop and delta is not None and delta.change < 0:
        reasons.append(DROPPED.format(target=target))
    description = f"{_pct(report.percent)} % of {report.total} endpoints tested"
    if delta is not None:
        sign = "+" if delta.change >= 0 else "−"
        description += f" ({sign}{_pct(abs(delta.change))} vs {target})"
    if reasons:
        description += ": " + ", ".join(reasons)
    return ("failed" if reasons else "success"), description[:255]
