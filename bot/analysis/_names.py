"""Names in test code to their definitions: locals, parameters bound by callers, fixtures
(own, imported, conftests'), module and imported constants, class attributes, and the
functions a call may run."""

from __future__ import annotations

from dataclasses import replace

import libcst as cst
import libcst.matchers as m

from bot.analysis._scope import Binding, Scope, local_bindings, parameter_names
from bot.analysis.model import Hop
from bot.analysis.suite_modules import ParsedModule, Suite

Definition = tuple["cst.BaseExpression | cst.FunctionDef", Scope]


def yields(function: cst.FunctionDef) -> list[cst.BaseExpression]:
    """What a function returns or yields (its own statements, not nested functions')."""
    found: list[cst.BaseExpression] = []

    class _Visitor(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return node is function

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            return False

        def visit_Return(self, node: cst.Return) -> None:
            if node.value is not None:
                found.append(node.value)

        def visit_Yield(self, node: cst.Yield) -> None:
            if isinstance(node.value, cst.BaseExpression):
                found.append(node.value)

    function.visit(_Visitor())
    return found


def _class_assign(cls: cst.ClassDef, name: str) -> cst.BaseExpression | None:
    body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
    value: cst.BaseExpression | None = None
    for statement in body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if m.matches(small, m.Assign(targets=[m.AssignTarget(target=m.Name(name))])):
                    value = cst.ensure_type(small, cst.Assign).value
                elif m.matches(small, m.AnnAssign(target=m.Name(name))):
                    value = cst.ensure_type(small, cst.AnnAssign).value or value
    return value


def call_name(func: cst.BaseExpression) -> str:
    if isinstance(func, cst.Name):
        return func.value
    if isinstance(func, cst.Attribute):
        return func.attr.value
    return ""


class Names:
    """Finds what names stand for in one suite."""

    def __init__(self, suite: Suite) -> None:
        self.suite = suite

    # --- names to definitions -------------------------------------------------------------
    def fixture(
        self, module: ParsedModule, name: str
    ) -> tuple[ParsedModule, cst.FunctionDef] | None:
        """The fixture `name` as seen from `module`: its own, imported, then conftests'."""
        if name in module.fixtures:
            return module, module.fixtures[name]
        imported = module.imports.get(name)
        if imported is not None and imported[1] is not None:
            target = self.suite.resolve_import(module.path, imported[0])
            if target is not None and imported[1] in target.fixtures:
                return target, target.fixtures[imported[1]]
        for conftest in self.suite.conftests(module.path):
            if name in conftest.fixtures:
                return conftest, conftest.fixtures[name]
        return None

    def _module_name(self, module: ParsedModule, name: str, scope: Scope) -> list[Definition]:
        if name in module.assigns:
            hop = scope.hop("constant", name, module, module.assigns[name])
            if not scope.seen(hop):
                return [(module.assigns[name], scope.into(module, hop))]
            return []
        if name in module.functions:
            function = module.functions[name]
            hop = scope.hop("helper", name, module, function)
            return [] if scope.seen(hop) else [(function, scope.into(module, hop, function))]
        if name in module.classes:
            return []
        imported = module.imports.get(name)
        if imported is None or imported[1] is None:
            return []
        target = self.suite.resolve_import(module.path, imported[0])
        if target is None:
            return []
        original = imported[1]
        hop = Hop(
            "import", f"{imported[0]}.{original}", target.path, target.assign_lines.get(original, 0)
        )
        if scope.seen(hop):
            return []
        return self._module_name(target, original, scope.into(target, hop))

    def definitions(self, node: cst.BaseExpression, scope: Scope, at_line: int) -> list[Definition]:
        """What a name or attribute stands for, each with the scope its value is read in."""
        if isinstance(node, cst.Name):
            return self._name(node.value, scope, at_line)
        if isinstance(node, cst.Attribute):
            return self._attribute(node, scope)
        return []

    def _name(self, name: str, scope: Scope, at_line: int) -> list[Definition]:
        module = scope.module
        if name in scope.bindings:
            return [
                (
                    value,
                    replace(
                        inner, hops=(*scope.hops, scope.hop("param", name, inner.module, value))
                    ),
                )
                for value, inner in scope.bindings[name]
            ]
        if scope.function is not None:
            local = local_bindings(module, scope.function, name, at_line)
            if local:
                out: list[Definition] = []
                for value in local:
                    hop = scope.hop("local", name, module, value)
                    if not scope.seen(hop):
                        function = value if isinstance(value, cst.FunctionDef) else scope.function
                        out.append(
                            (value, scope.into(module, hop, function, scope.cls, scope.bindings))
                        )
                return out
            if name in parameter_names(scope.function):
                found = self.fixture(module, name)
                if found is None:
                    return []
                where, function = found
                hop = scope.hop("fixture", name, where, function)
                if scope.seen(hop):
                    return []
                return [(value, scope.into(where, hop, function)) for value in yields(function)]
        return self._module_name(module, name, scope)

    def _attribute(self, node: cst.Attribute, scope: Scope) -> list[Definition]:
        owner, attr = node.value, node.attr.value
        module = scope.module
        classes: list[tuple[ParsedModule, cst.ClassDef]] = []
        if isinstance(owner, cst.Name) and owner.value in ("self", "cls") and scope.cls is not None:
            classes.append((module, scope.cls))
        elif isinstance(owner, cst.Name):
            if owner.value in module.classes:
                classes.append((module, module.classes[owner.value]))
            imported = module.imports.get(owner.value)
            if imported is not None:
                full = imported[0] if imported[1] is None else f"{imported[0]}.{imported[1]}"
                if full.startswith(".") and imported[1] is not None:
                    full = imported[0] + ("" if imported[0].endswith(".") else ".") + imported[1]
                target = self.suite.resolve_import(module.path, full)
                if target is not None:
                    hop = scope.hop("import", f"{owner.value}.{attr}", target, target.module)
                    if attr in target.assigns and not scope.seen(hop):
                        constant = target.assigns[attr]
                        hop = scope.hop("import", f"{owner.value}.{attr}", target, constant)
                        return [(constant, scope.into(target, hop))]
                elif imported[1] is not None:
                    origin = self.suite.resolve_import(module.path, imported[0])
                    if origin is not None and imported[1] in origin.classes:
                        classes.append((origin, origin.classes[imported[1]]))
        out: list[Definition] = []
        for where, cls in classes:
            value = _class_assign(cls, attr)
            if value is not None:
                hop = scope.hop("attribute", f"{cls.name.value}.{attr}", where, value)
                if not scope.seen(hop):
                    out.append((value, scope.into(where, hop, None, cls)))
        return out

    def callables(
        self, func: cst.BaseExpression, scope: Scope, at_line: int
    ) -> list[tuple[cst.FunctionDef | cst.Lambda, Scope]]:
        """The functions a call may run: module or imported functions, nested ones, and what a
        fixture returns when it returns a function (a URL-building factory)."""
        out: list[tuple[cst.FunctionDef | cst.Lambda, Scope]] = []
        pending = self.definitions(func, scope, at_line)
        for _ in range(4):
            following: list[Definition] = []
            for value, inner in pending:
                if isinstance(value, cst.FunctionDef):
                    out.append((value, replace(inner, function=value)))
                elif isinstance(value, cst.Lambda):
                    out.append((value, inner))
                elif isinstance(value, cst.Name | cst.Attribute):
                    following.extend(
                        self.definitions(value, inner, inner.module.line(value) or at_line)
                    )
            if not following:
                break
            pending = following
        return out


def bind_arguments(
    function: cst.FunctionDef | cst.Lambda, call: cst.Call, scope: Scope
) -> dict[str, tuple[Binding, ...]]:
    """The called function's parameters bound to the call's arguments (by position, keyword)."""
    params = function.params
    names = [p.name.value for p in [*params.posonly_params, *params.params]]
    if names and names[0] in ("self", "cls") and isinstance(call.func, cst.Attribute):
        names = names[1:]
    bound: dict[str, tuple[Binding, ...]] = {}
    index = 0
    for arg in call.args:
        if arg.star:
            break
        if arg.keyword is not None:
            bound[arg.keyword.value] = ((arg.value, scope),)
        elif index < len(names):
            bound[names[index]] = ((arg.value, scope),)
            index += 1
    return bound
