"""Markdown for the bot's merge request comment: findings grouped by file, capped."""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby

from bot.validate.api import ValidationReport

HEADING = "### Allure test validation"
CLEAN = "No findings in {files} file(s)."
SUMMARY = "**{count} finding(s)** in {with_findings} of {files} file(s)."
MORE = "_…and {more} more finding(s) not shown._"
TABLE_HEAD = "| Line | Rule | Severity | Message |\n| ---: | --- | --- | --- |"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(
    report: ValidationReport, link: Callable[[str, int], str], limit: int = 50
) -> str:
    """A heading, a summary and one table per file of the first `limit` findings;
    `link(file, line)` gives the URL of that line in the source branch."""
    if not report.findings:
        return f"{HEADING}\n\n{CLEAN.format(files=report.files)}\n"
    with_findings = len({f.file for f in report.findings})
    parts = [
        HEADING,
        SUMMARY.format(count=len(report.findings), with_findings=with_findings, files=report.files),
    ]
    shown = report.findings[:limit]
    for file, group in groupby(shown, key=lambda f: f.file):
        rows = [
            f"| [{f.line}]({link(f.file, f.line)}) | `{f.rule}` | {f.severity} "
            f"| {_cell(f.message)} |"
            for f in group
        ]
        parts.append(f"#### `{file}`\n\n{TABLE_HEAD}\n" + "\n".join(rows))
    if len(report.findings) > limit:
        parts.append(MORE.format(more=len(report.findings) - limit))
    return "\n\n".join(parts) + "\n"
