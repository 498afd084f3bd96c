"""Validate Allure test sources: one parse and one walk per file, every rule over its facts."""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import libcst as cst

from bot.validate._positions import positions
from bot.validate.config import ValidateConfig
from bot.validate.model import build_model
from bot.validate.paths import collect_paths
from bot.validate.rules import FILE_RULES, duplicate_allure_id, syntax_error
from bot.validate.rules.base import Severity

__all__ = [
    "Finding",
    "ValidationReport",
    "fix_source",
    "validate_paths",
    "validate_source",
]


@dataclass(frozen=True)
class Finding:
    """One rule breach at a place in a file (line and column are 1-based)."""

    rule: str
    file: str
    line: int
    column: int
    severity: Severity
    message: str
    scope: str = "<module>"  # the enclosing test or function, for stable fingerprints


def _order(finding: Finding) -> tuple[str, int, int, str, str]:
    return (finding.file, finding.line, finding.column, finding.rule, finding.message)


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating a set of files."""

    files: int
    findings: list[Finding]
    paths: tuple[str, ...] = ()  # every file validated, in order (for per-file reports)

    @property
    def clean(self) -> bool:
        return not self.findings


@dataclass
class _FileResult:
    findings: list[Finding]
    ids: list[tuple[duplicate_allure_id.IdUse, tuple[int, int]]]


def _severity(config: ValidateConfig, rule_id: str, default: Severity) -> Severity:
    return config.severities.get(rule_id, default)


def _syntax_finding(
    path: str, line: int, column: int, message: str, config: ValidateConfig
) -> Finding:
    severity = _severity(config, syntax_error.ID, syntax_error.SEVERITY)
    return Finding(syntax_error.ID, path, line, column, severity, message)


def _locate_syntax_error(source: str, error: cst.ParserSyntaxError) -> tuple[int, int, str]:
    """CPython's own parser places errors more precisely than libcst's; use it when it agrees
    that the source is broken (this only runs for files that failed to parse)."""
    try:
        ast.parse(source)
    except SyntaxError as python_error:
        if python_error.lineno is not None:
            return python_error.lineno, max(python_error.offset or 1, 1), python_error.msg
    except (ValueError, RecursionError, MemoryError):
        pass
    return error.raw_line, error.raw_column + 1, error.message


def _analyse(source: str, path: str, config: ValidateConfig) -> _FileResult:
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        if not config.enabled(syntax_error.ID):
            return _FileResult([], [])
        line, column, reason = _locate_syntax_error(source, error)
        message = syntax_error.MESSAGE.format(error=reason)
        return _FileResult([_syntax_finding(path, line, column, message, config)], [])
    except RecursionError:
        message = syntax_error.MESSAGE.format(error="nesting too deep")
        return _FileResult([_syntax_finding(path, 1, 1, message, config)], [])
    model = build_model(module, source, path)
    violations = [
        (rule, violation)
        for rule in FILE_RULES
        if config.enabled(rule.id)
        for violation in rule.check(model, config)
    ]
    ids = list(duplicate_allure_id.id_uses(model)) if config.enabled(duplicate_allure_id.ID) else []
    where = positions(module, [v.node for _, v in violations] + [u.node for u in ids])
    findings = [
        Finding(
            rule.id,
            path,
            *where.get(id(violation.node), (1, 1)),
            _severity(config, rule.id, rule.severity),
            violation.message,
            violation.scope,
        )
        for rule, violation in violations
    ]
    return _FileResult(findings, [(use, where.get(id(use.node), (1, 1))) for use in ids])


def _suite_findings(
    results: Iterable[tuple[str, _FileResult]], config: ValidateConfig
) -> list[Finding]:
    uses = [(path, use) for path, result in results for use, _ in result.ids]
    where = {id(use): pos for _, result in results for use, pos in result.ids}
    severity = _severity(config, duplicate_allure_id.ID, duplicate_allure_id.SEVERITY)
    return [
        Finding(duplicate_allure_id.ID, path, *where[id(use)], severity, message, use.test)
        for path, use, message in duplicate_allure_id.duplicates(uses)
    ]


def validate_source(source: str, path: str, config: ValidateConfig | None = None) -> list[Finding]:
    """Every finding for one file's source, sorted by position (duplicate ids within it too)."""
    config = config or ValidateConfig()
    result = _analyse(source, path, config)
    return sorted(result.findings + _suite_findings([(path, result)], config), key=_order)


def read_source(path: Path, config: ValidateConfig) -> str | Finding:
    """The decoded text of a file (PEP 263 encodings honoured), or a finding saying why not."""
    name = path.as_posix()
    try:
        data = path.read_bytes()
        if len(data) > config.max_file_bytes:
            raise ValueError(f"{len(data)} bytes, more than the {config.max_file_bytes} allowed")
        if b"\0" in data:
            raise ValueError("binary content")
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return data.decode(encoding).removeprefix("\ufeff")
    except (OSError, SyntaxError, ValueError, LookupError) as error:
        message = syntax_error.UNREADABLE_MESSAGE.format(error=error)
        return _syntax_finding(name, 1, 1, message, config)


def validate_paths(
    paths: Sequence[Path],
    config: ValidateConfig | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> ValidationReport:
    """Validate files and directories (test modules found recursively), suite rules included.
    `progress(done, total)` is called after each file."""
    config = config or ValidateConfig()
    files = collect_paths(paths)
    results: list[tuple[str, _FileResult]] = []
    for done, file in enumerate(files, 1):
        source = read_source(file, config)
        name = file.as_posix()
        if isinstance(source, Finding):
            results.append((name, _FileResult([source], [])))
        else:
            results.append((name, _analyse(source, name, config)))
        if progress is not None:
            progress(done, len(files))
    findings = [f for _, result in results for f in result.findings]
    findings += _suite_findings(results, config)
    paths_validated = tuple(f.as_posix() for f in files)
    return ValidationReport(len(files), sorted(findings, key=_order), paths_validated)


def fix_source(source: str, path: str, config: ValidateConfig | None = None) -> str:
    """The source with what can be fixed unambiguously fixed; idempotent, format-preserving."""
    from bot.validate.fix import fix_module_source

    return fix_module_source(source, path, config or ValidateConfig())
