"""The facts Allure rules need from one test module, gathered in a single walk."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import libcst as cst

from bot.validate import _allure
from bot.validate._literals import first_argument, literal_text, string_names
from bot.validate._names import ImportNames
from bot.validate._walk import child_list, children

LabelSource = Literal["decorator", "class", "pytestmark", "dynamic"]


@dataclass(frozen=True)
class LabelUse:
    """One place that sets an Allure label (or title) on a test."""

    label: str
    node: cst.CSTNode
    value: cst.BaseExpression | None
    source: LabelSource


@dataclass(frozen=True)
class StepUse:
    """One `allure.step` usage: `with` item, decorator or plain call."""

    call: cst.Call | None  # None for a bare `@allure.step`
    anchor: cst.CSTNode
    title: cst.BaseExpression | None
    phase: _allure.Phase | None
    scope: str


@dataclass(frozen=True)
class BodyEvent:
    """A step, assertion or call inside a test body, in source order."""

    kind: Literal["step", "assert", "call"]
    node: cst.CSTNode
    top: int  # index of the enclosing top-level statement of the test body
    step: StepUse | None  # the innermost enclosing `with allure.step`, if any
    phase: _allure.Phase | None  # the phase of the nearest enclosing step that names one
    qualified: str | None = None  # callee of a call


@dataclass
class FunctionInfo:
    """A function or method defined in the module (for helper resolution)."""

    node: cst.FunctionDef
    is_step: bool
    has_assert: bool = False
    has_step: bool = False  # opens a `with allure.step(...)` in its body


@dataclass
class TestInfo:
    """A test pytest would collect, with what it inherits from its classes and module."""

    node: cst.FunctionDef
    qualname: str
    class_names: tuple[str, ...]
    params: set[str]
    labels: list[LabelUse]
    events: list[BodyEvent] = field(default_factory=list)

    def label_names(self) -> set[str]:
        return {use.label for use in self.labels}

    def own(self, label: str) -> list[LabelUse]:
        return [u for u in self.labels if u.label == label and u.source == "decorator"]


@dataclass
class FileModel:
    """Everything the rules look at, keyed by libcst nodes."""

    module: cst.Module
    source: str
    path: str
    names: ImportNames
    tests: list[TestInfo] = field(default_factory=list)
    functions: dict[str, FunctionInfo] = field(default_factory=dict)
    steps: list[StepUse] = field(default_factory=list)
    calls: list[tuple[cst.Call, str | None, str]] = field(default_factory=list)
    assignments: list[tuple[str, cst.BaseExpression, str]] = field(default_factory=list)
    dicts: list[tuple[cst.Dict, str]] = field(default_factory=list)
    severity_members: list[tuple[cst.Attribute, str]] = field(default_factory=list)


@dataclass(frozen=True)
class _Ctx:
    scope: str
    classes: tuple[str, ...]
    test_class: bool  # inside a class pytest collects (or at module level)
    inherited: tuple[LabelUse, ...]
    params: tuple[str, ...]
    test: TestInfo | None = None
    function: FunctionInfo | None = None
    step: StepUse | None = None
    phase: _allure.Phase | None = None
    top: int = 0


def _pytestmarks(body: cst.BaseSuite | cst.Module) -> list[cst.BaseExpression]:
    marks: list[cst.BaseExpression] = []
    statements = body.body if isinstance(body, cst.Module | cst.IndentedBlock) else ()
    for statement in statements:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            value: cst.BaseExpression | None = None
            if isinstance(small, cst.Assign):
                names = [t.target for t in small.targets]
            elif isinstance(small, cst.AnnAssign):
                names = [small.target]
            else:
                continue
            if any(isinstance(n, cst.Name) and n.value == "pytestmark" for n in names):
                value = small.value
            if isinstance(value, cst.List | cst.Tuple):
                marks.extend(element.value for element in value.elements)
            elif value is not None:
                marks.append(value)
    return marks


class _Builder:
    def __init__(self, module: cst.Module, source: str, path: str) -> None:
        self.model = FileModel(module=module, source=source, path=path, names=ImportNames())
        self.names = self.model.names

    # -- labels and marks -------------------------------------------------------------
    def _label(self, expr: cst.BaseExpression, source: LabelSource) -> LabelUse | None:
        if isinstance(expr, cst.Call):
            qualified = self.names.resolve(expr.func)
            if qualified in ("allure.label", "allure.dynamic.label"):
                first = first_argument(expr)
                name = _allure.label_name(
                    literal_text(first), self.names.resolve(first) if first else None
                )
                args = [a for a in expr.args if a.keyword is None]
                value = args[1].value if len(args) > 1 else None
                return None if name is None else LabelUse(name, expr, value, source)
            label = _allure.label_of(qualified)
            if label is not None:
                return LabelUse(label, expr, first_argument(expr), source)
        elif self.names.resolve(expr) == "allure.manual":
            return LabelUse("manual", expr, None, source)
        return None

    def _mark_params(self, expr: cst.BaseExpression) -> list[str]:
        if not isinstance(expr, cst.Call):
            return []
        qualified = self.names.resolve(expr.func)
        if qualified == _allure.PARAMETRIZE:
            return string_names(first_argument(expr, "argnames"))
        if qualified == _allure.USEFIXTURES:
            return [t for a in expr.args if (t := literal_text(a.value)) is not None]
        return []

    def _inherit(self, ctx: _Ctx, marks: list[cst.BaseExpression], source: LabelSource) -> _Ctx:
        labels = [u for m in marks if (u := self._label(m, source)) and u.label in _MARKS]
        params = [p for m in marks for p in self._mark_params(m)]
        return _replace(
            ctx, inherited=ctx.inherited + tuple(labels), params=ctx.params + tuple(params)
        )

    # -- statements -------------------------------------------------------------------
    def build(self) -> FileModel:
        module = self.model.module
        for statement in module.body:  # imports first, so order of definitions does not matter
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if isinstance(small, cst.Import | cst.ImportFrom):
                        self.names.add(small)
        root = _Ctx(scope="<module>", classes=(), test_class=True, inherited=(), params=())
        root = self._inherit(root, _pytestmarks(module), "pytestmark")
        self._block(module.body, root)
        return self.model

    def _block(self, statements: object, ctx: _Ctx) -> None:
        assert isinstance(statements, tuple | list)
        for index, statement in enumerate(statements):
            if ctx.test is not None and ctx.step is None and ctx.test.node.body.body is statements:
                ctx = _replace(ctx, top=index)
            self._statement(statement, ctx)

    def _statement(self, node: cst.CSTNode, ctx: _Ctx) -> None:
        if isinstance(node, cst.SimpleStatementLine | cst.SimpleStatementSuite):
            for small in node.body:
                self._small(small, ctx)
        elif isinstance(node, cst.FunctionDef):
            self._function(node, ctx)
        elif isinstance(node, cst.ClassDef):
            self._class(node, ctx)
        elif isinstance(node, cst.With):
            self._with(node, ctx)
        else:
            self._compound(node, ctx)

    def _compound(self, node: cst.CSTNode, ctx: _Ctx) -> None:
        for child in children(node):
            if isinstance(child, cst.BaseSuite):
                if isinstance(child, cst.IndentedBlock):
                    self._block(child.body, ctx)
                else:
                    self._statement(child, ctx)
            elif isinstance(child, cst.BaseStatement):
                self._statement(child, ctx)
            elif isinstance(child, _CLAUSES):
                self._compound(child, ctx)
            else:
                self._expression(child, ctx)

    def _small(self, node: cst.BaseSmallStatement, ctx: _Ctx) -> None:
        if isinstance(node, cst.Assert):
            self._event(ctx, "assert", node)
            if ctx.function is not None:
                ctx.function.has_assert = True
        elif isinstance(node, cst.Import | cst.ImportFrom):
            self.names.add(node)
            return
        elif isinstance(node, cst.Assign | cst.AnnAssign) and node.value is not None:
            targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else []
            if isinstance(node, cst.AnnAssign):
                targets.append(node.target)
            for target in targets:
                name = target.attr.value if isinstance(target, cst.Attribute) else None
                name = target.value if isinstance(target, cst.Name) else name
                if name is not None:
                    self.model.assignments.append((name, node.value, ctx.scope))
        self._expression(node, ctx)

    def _function(self, node: cst.FunctionDef, ctx: _Ctx) -> None:
        qualname = node.name.value if ctx.scope == "<module>" else f"{ctx.scope}.{node.name.value}"
        is_step = False
        own: list[LabelUse] = []
        params = list(ctx.params)
        for decorator in node.decorators:
            expr = decorator.decorator
            callee = expr.func if isinstance(expr, cst.Call) else expr
            if self.names.resolve(callee) == _allure.STEP:
                is_step = True
                if not isinstance(expr, cst.Call):  # calls are recorded by the walk below
                    self._step(None, expr, qualname)
            if (use := self._label(expr, "decorator")) is not None:
                own.append(use)
            params.extend(self._mark_params(expr))
            self._expression(expr, _replace(ctx, scope=qualname))
        info = FunctionInfo(node=node, is_step=is_step)
        key = node.name.value if not ctx.classes else f"{ctx.classes[-1]}.{node.name.value}"
        if ctx.test is None and (ctx.function is None or ctx.classes):
            self.model.functions.setdefault(key, info)
        test: TestInfo | None = None
        if ctx.test_class and ctx.function is None and node.name.value.startswith("test"):
            arguments = [p.name.value for p in (*node.params.posonly_params, *node.params.params)]
            arguments += [p.name.value for p in node.params.kwonly_params]
            if ctx.classes and arguments and arguments[0] in ("self", "cls"):
                arguments = arguments[1:]
            test = TestInfo(
                node=node,
                qualname=qualname,
                class_names=ctx.classes,
                params=set(params) | set(arguments),
                labels=[*ctx.inherited, *own],
            )
            self.model.tests.append(test)
        inner = _Ctx(
            scope=qualname,
            classes=ctx.classes,
            test_class=False,
            inherited=(),
            params=(),
            test=test,
            function=info,
        )
        for param in children(node.params):
            self._expression(param, ctx)
        if isinstance(node.body, cst.IndentedBlock):
            self._block(node.body.body, inner)
        else:
            self._statement(node.body, inner)

    def _class(self, node: cst.ClassDef, ctx: _Ctx) -> None:
        for decorator in node.decorators:
            self._expression(decorator.decorator, ctx)
        for base in (*node.bases, *node.keywords):
            self._expression(base.value, ctx)
        name = node.name.value
        has_init = isinstance(node.body, cst.IndentedBlock) and any(
            isinstance(s, cst.FunctionDef) and s.name.value == "__init__" for s in node.body.body
        )
        collected = ctx.test_class and ctx.function is None and name.startswith("Test")
        inner = _Ctx(
            scope=name if ctx.scope == "<module>" else f"{ctx.scope}.{name}",
            classes=(*ctx.classes, name),
            test_class=collected and not has_init,
            inherited=ctx.inherited,
            params=ctx.params,
            function=ctx.function,
        )
        inner = self._inherit(inner, [d.decorator for d in node.decorators], "class")
        inner = self._inherit(inner, _pytestmarks(node.body), "pytestmark")
        if isinstance(node.body, cst.IndentedBlock):
            self._block(node.body.body, inner)

    def _with(self, node: cst.With, ctx: _Ctx) -> None:
        step: StepUse | None = None
        for item in node.items:
            expr = item.item
            qualified = self.names.resolve_call(expr)
            if qualified == _allure.STEP and isinstance(expr, cst.Call):
                step = self._step(expr, expr, ctx.scope)
                self._event(ctx, "step", expr, step=step)
                if ctx.function is not None:
                    ctx.function.has_step = True
                for arg in expr.args:
                    self._expression(arg.value, ctx)
            else:
                self._expression(expr, ctx)
        inner = ctx if step is None else _replace(ctx, step=step, phase=step.phase or ctx.phase)
        if isinstance(node.body, cst.IndentedBlock):
            self._block(node.body.body, inner)
        else:
            self._statement(node.body, inner)

    # -- expressions ------------------------------------------------------------------
    def _step(self, call: cst.Call | None, anchor: cst.CSTNode, scope: str) -> StepUse:
        title = None if call is None else first_argument(call, "title")
        step = StepUse(call, anchor, title, _allure.phase_of(literal_text(title)), scope)
        self.model.steps.append(step)
        return step

    def _event(
        self,
        ctx: _Ctx,
        kind: Literal["step", "assert", "call"],
        node: cst.CSTNode,
        qualified: str | None = None,
        step: StepUse | None = None,
    ) -> None:
        if ctx.test is not None:
            phase = step.phase if step is not None and step.phase else ctx.phase
            event = BodyEvent(kind, node, ctx.top, step or ctx.step, phase, qualified)
            ctx.test.events.append(event)

    def _expression(self, root: cst.CSTNode, ctx: _Ctx) -> None:
        stack = [root]
        names = self.names
        model = self.model
        while stack:
            node = stack.pop()
            node_type = type(node)
            if node_type is cst.Call:
                assert isinstance(node, cst.Call)
                qualified = names.resolve(node.func)
                model.calls.append((node, qualified, ctx.scope))
                if qualified == _allure.STEP:
                    self._step(node, node, ctx.scope)
                elif ctx.test is not None:
                    if qualified in _allure.RAISES:
                        self._event(ctx, "assert", node, qualified)
                    elif qualified is not None and qualified.startswith(_allure.DYNAMIC):
                        use = self._label(node, "dynamic")
                        if use is not None:
                            ctx.test.labels.append(use)
                    self._event(ctx, "call", node, qualified)
            elif node_type is cst.Dict:
                assert isinstance(node, cst.Dict)
                model.dicts.append((node, ctx.scope))
            elif node_type is cst.Attribute:
                assert isinstance(node, cst.Attribute)
                if node.attr.value.isupper() and names.resolve(node.value) == _SEVERITY_LEVEL:
                    model.severity_members.append((node, ctx.scope))
            elif node_type in _LEAVES:
                continue
            found = child_list(node)
            found.reverse()
            stack.extend(found)


_MARKS = _allure.MARK_LABELS
_SEVERITY_LEVEL = _allure.SEVERITY_LEVEL
_LEAVES = frozenset({cst.Name, cst.SimpleString, cst.Integer, cst.Float, cst.FormattedStringText})
_CLAUSES = (cst.If, cst.Else, cst.ExceptHandler, cst.ExceptStarHandler, cst.Finally, cst.MatchCase)


def _replace(ctx: _Ctx, **changes: object) -> _Ctx:
    values = {name: getattr(ctx, name) for name in _Ctx.__dataclass_fields__}
    values.update(changes)
    return _Ctx(**values)


def build_model(module: cst.Module, source: str, path: str) -> FileModel:
    """Walk `module` (parsed from `source`) once: its tests, steps, calls and literals."""
    return _Builder(module, source, path).build()
