"""JSON report: the file count and every finding's fields."""

from __future__ import annotations

import json

from bot.validate.api import ValidationReport


def render_json(report: ValidationReport) -> str:
    """`{"files": N, "findings": [{"rule", "file", "line", "column", "severity", "message"}]}`."""
    findings = [
        {
            "rule": f.rule,
            "file": f.file,
            "line": f.line,
            "column": f.column,
            "severity": f.severity,
            "message": f.message,
        }
        for f in report.findings
    ]
    return json.dumps({"files": report.files, "findings": findings}, indent=2) + "\n"
