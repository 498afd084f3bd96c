"""JUnit XML report: one test case per validated file, failing when it has findings."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from bot.validate.api import Finding, ValidationReport

SUITE_NAME = "testgen validate"


def render_junit(report: ValidationReport) -> str:
    """`<testsuites>` with one `<testsuite>`; each file is a `<testcase>`."""
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        by_file[finding.file].append(finding)
    files = list(report.paths) + [f for f in by_file if f not in report.paths]
    failures = sum(1 for f in files if by_file.get(f))
    root = ET.Element("testsuites", tests=str(len(files)), failures=str(failures))
    suite = ET.SubElement(
        root, "testsuite", name=SUITE_NAME, tests=str(len(files)), failures=str(failures)
    )
    suite.set("errors", "0")
    for file in files:
        case = ET.SubElement(suite, "testcase", classname="testgen.validate", name=file)
        findings = by_file.get(file)
        if findings:
            failure = ET.SubElement(
                case, "failure", message=f"{len(findings)} finding(s)", type="validation"
            )
            failure.text = "".join(
                f"{f.line}:{f.column} {f.rule} [{f.severity}] {f.message}\n" for f in findings
            )
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
