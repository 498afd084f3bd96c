"""GitLab Code Quality report (a CodeClimate-style JSON array) with stable fingerprints."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any

from bot.validate.api import Finding, ValidationReport


def fingerprint(finding: Finding, occurrence: int) -> str:
    """A hash of what the finding is about, not where: rule, file, enclosing test, message,
    and its rank among identical findings. Lines shifted by unrelated edits keep it."""
    key = "\0".join((finding.rule, finding.file, finding.scope, finding.message, str(occurrence)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def codequality_issues(findings: list[Finding]) -> list[dict[str, Any]]:
    """The report entries: `description`, `check_name`, `fingerprint`, `severity`, `location`."""
    seen: Counter[tuple[str, str, str, str]] = Counter()
    issues: list[dict[str, Any]] = []
    for finding in findings:
        key = (finding.rule, finding.file, finding.scope, finding.message)
        occurrence = seen[key]
        seen[key] += 1
        issues.append(
            {
                "type": "issue",
                "description": finding.message,
                "check_name": finding.rule,
                "fingerprint": fingerprint(finding, occurrence),
                "severity": finding.severity,
                "categories": ["Style"],
                "location": {"path": finding.file, "lines": {"begin": finding.line}},
            }
        )
    return issues


def render_codequality(report: ValidationReport) -> str:
    """The JSON array GitLab reads from `artifacts:reports:codequality`."""
    return json.dumps(codequality_issues(report.findings), indent=2) + "\n"
