"""Plain-text report: one `file:line:col RULE message` line per finding."""

from __future__ import annotations

from bot.validate.api import ValidationReport


def render_text(report: ValidationReport) -> str:
    """Findings one per line, ending with a newline; empty when the report is clean."""
    return "".join(f"{f.file}:{f.line}:{f.column} {f.rule} {f.message}\n" for f in report.findings)
