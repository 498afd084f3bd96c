"""Autofix codemod: add derivable Allure labels and unambiguous Arrange/Act/Assert steps."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field

import libcst as cst

from bot.validate._derive import (
    endpoint_of,
    feature_from_class,
    feature_from_module,
    title_from_function,
)
from bot.validate._literals import literal_text
from bot.validate._split import split_body
from bot.validate.config import ValidateConfig
from bot.validate.model import FileModel, TestInfo, build_model
from bot.validate.rules._helpers import is_api_call, is_step

_DERIVABLE = ("feature", "story", "title")


@dataclass
class _Plan:
    labels: list[tuple[str, str]] = field(default_factory=list)
    body: cst.IndentedBlock | None = None
    # labels set with `allure.dynamic.*` in the body: derived ones go after the last of them
    dynamic_after: int | None = None


def _endpoints(
    model: FileModel, test: TestInfo, config: ValidateConfig, phase: str | None = None
) -> list[str]:
    """Endpoints the test calls (only those inside steps of `phase`, when given)."""
    found: list[str] = []
    for event in test.events:
        if phase is not None and event.phase != phase:
            continue
        if is_api_call(test, event, config) and isinstance(event.node, cst.Call):
            assert event.qualified is not None
            endpoint = endpoint_of(event.node, event.qualified.rsplit(".", 1)[1])
            if endpoint is not None and endpoint not in found:
                found.append(endpoint)
    return found


def _story(model: FileModel, test: TestInfo, config: ValidateConfig) -> str | None:
    """The one endpoint the test calls; with several (an Arrange call and an Act call), the
    one its Act step calls."""
    endpoints = _endpoints(model, test, config)
    if len(endpoints) > 1:
        endpoints = _endpoints(model, test, config, "act")
    return endpoints[0] if len(endpoints) == 1 else None


def _last_dynamic_label(test: TestInfo) -> int | None:
    """Index of the last top-level body statement setting a label with `allure.dynamic.*`."""
    tops = [
        event.top
        for event in test.events
        if event.kind == "call"
        and event.qualified is not None
        and event.qualified.startswith("allure.dynamic.")
    ]
    return max(tops) if tops else None


def _title(test: TestInfo, taken: set[str]) -> str | None:
    title = title_from_function(test.node.name.value)
    if title is None:
        return None
    if title.casefold() in taken and test.class_names:
        prefix = feature_from_class(test.class_names[-1])
        title = f"{prefix}: {title}" if prefix else title
    return None if title.casefold() in taken else title


def _plan(model: FileModel, config: ValidateConfig, alias: str) -> dict[int, _Plan]:
    taken = {
        text.casefold()
        for test in model.tests
        for use in test.own("title")
        if (text := literal_text(use.value)) is not None
    }
    plans: dict[int, _Plan] = {}
    for test in model.tests:
        plan = _Plan()
        endpoints = _endpoints(model, test, config)
        present = test.label_names()
        for label in config.required_labels:
            if label in present or label not in _DERIVABLE:
                continue
            value: str | None = None
            if label == "feature":
                classes = [feature_from_class(c) for c in test.class_names]
                value = next((c for c in reversed(classes) if c), None)
                value = value or feature_from_module(model.path)
            elif label == "story":
                value = _story(model, test, config)
            else:
                value = _title(test, taken)
                if value is not None:
                    taken.add(value.casefold())
            if value is not None:
                plan.labels.append((label, value))
        if not any(is_step(model, test, event) for event in test.events):
            story = endpoints[0] if len(endpoints) == 1 else None
            plan.body = split_body(model, test, config, alias, story)
        if plan.body is None and any(use.source == "dynamic" for use in test.labels):
            plan.dynamic_after = _last_dynamic_label(test)
        if plan.labels or plan.body is not None:
            plans[id(test.node)] = plan
    return plans


def _decorator(alias: str, label: str, value: str) -> cst.Decorator:
    literal = json.dumps(value, ensure_ascii=False)
    return cst.Decorator(decorator=cst.parse_expression(f"{alias}.{label}({literal})"))


class _Apply(cst.CSTTransformer):
    def __init__(self, plans: dict[int, _Plan], alias: str, model: FileModel) -> None:
        super().__init__()
        self.plans = plans
        self.alias = alias
        self.model = model

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        plan = self.plans.get(id(original_node))
        if plan is None:
            return updated_node
        if plan.dynamic_after is not None and plan.labels:
            return _dynamic(updated_node, plan, self.alias)
        decorators = list(updated_node.decorators)
        allure_positions = [
            i
            for i, d in enumerate(decorators)
            if (q := self.model.names.resolve(_callee(d.decorator))) and q.startswith("allure.")
        ]
        at = allure_positions[-1] + 1 if allure_positions else 0
        new = [_decorator(self.alias, label, value) for label, value in plan.labels]
        decorators[at:at] = new
        changes: dict[str, object] = {"decorators": decorators}
        if plan.body is not None:
            changes["body"] = plan.body
        return updated_node.with_changes(**changes)


def _dynamic(function: cst.FunctionDef, plan: _Plan, alias: str) -> cst.FunctionDef:
    """Derived labels as `allure.dynamic.<label>(…)` statements after the test's own."""
    assert plan.dynamic_after is not None and isinstance(function.body, cst.IndentedBlock)
    lines = [
        cst.parse_statement(f"{alias}.dynamic.{label}({json.dumps(value, ensure_ascii=False)})\n")
        for label, value in plan.labels
    ]
    body = list(function.body.body)
    body[plan.dynamic_after + 1 : plan.dynamic_after + 1] = lines
    return function.with_changes(body=function.body.with_changes(body=body))


def _callee(expr: cst.BaseExpression) -> cst.BaseExpression:
    return expr.func if isinstance(expr, cst.Call) else expr


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, cst.SimpleString | cst.ConcatenatedString)
    )


def _import_kind(statement: cst.BaseStatement) -> tuple[str, str, bool] | None:
    """(section, top-level module, is a plain `import`) of an import line; None otherwise.
    Sections as isort and ruff see them: future, stdlib, third-party, local (relative)."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return None
    node = statement.body[0]
    if isinstance(node, cst.Import):
        name = cst.Module([]).code_for_node(node.names[0].name).split(".")[0]
        plain = True
    elif isinstance(node, cst.ImportFrom):
        if node.relative or node.module is None:
            return ("local", "", False)
        name = cst.Module([]).code_for_node(node.module).split(".")[0]
        plain = False
    else:
        return None
    if name == "__future__":
        return ("future", name, plain)
    return ("stdlib" if name in sys.stdlib_module_names else "third", name, plain)


def _add_import(module: cst.Module) -> cst.Module:
    """`import allure` where isort/ruff would put it: among the third-party imports in order
    (plain imports first, then `from` imports), else a section of its own after the standard
    library's, else after the docstring."""
    body = list(module.body)
    statement = cst.parse_statement("import allure\n", config=module.config_for_parsing)
    at = 1 if body and _is_docstring(body[0]) else 0
    imports: list[tuple[int, tuple[str, str, bool]]] = []
    for index, line in enumerate(body):
        if isinstance(line, cst.FunctionDef | cst.ClassDef):
            break
        kind = _import_kind(line)
        if kind is not None:
            imports.append((index, kind))
    third = [(i, k) for i, k in imports if k[0] == "third"]
    if third:
        after = [i for i, (_, name, plain) in third if plain and name.lower() > "allure"]
        froms = [i for i, (_, _, plain) in third if not plain]
        at = (after or froms or [third[-1][0] + 1])[0]
        if at <= third[-1][0]:  # before an import of the section: take over its spacing
            following = body[at]
            assert isinstance(following, cst.SimpleStatementLine)
            statement = statement.with_changes(leading_lines=following.leading_lines)
            body[at] = following.with_changes(leading_lines=())
    elif imports:
        before_local = [i for i, k in imports if k[0] != "local"]
        at = (before_local[-1] + 1) if before_local else imports[0][0]
        statement = statement.with_changes(leading_lines=(cst.EmptyLine(),))
        local = body[at] if at in {i for i, k in imports if k[0] == "local"} else None
        if isinstance(local, cst.SimpleStatementLine) and not local.leading_lines:
            body[at] = local.with_changes(leading_lines=(cst.EmptyLine(),))
    body.insert(at, statement)
    return module.with_changes(body=body)


def fix_module_source(source: str, path: str, config: ValidateConfig) -> str:
    """The fixed source, or `source` itself when nothing applies or it does not parse."""
    try:
        module = cst.parse_module(source)
    except (cst.ParserSyntaxError, RecursionError):
        return source
    model = build_model(module, source, path)
    alias = model.names.local_name_for("allure")
    plans = _plan(model, config, alias or "allure")
    if not plans:
        return source
    fixed = module.visit(_Apply(plans, alias or "allure", model))
    if alias is None:
        fixed = _add_import(fixed)
    return fixed.code
