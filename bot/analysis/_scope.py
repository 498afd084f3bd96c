"""Where a name is looked up: the module, the enclosing function and class, bound arguments,
and the names already followed to get there."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import libcst as cst

from bot.analysis._walk import walk
from bot.analysis.model import Hop, HopKind
from bot.analysis.suite_modules import ParsedModule

Binding = tuple[cst.BaseExpression, "Scope"]
MAX_HOPS = 12


@dataclass(frozen=True)
class Scope:
    """A lookup context; `bindings` are values a caller chose for this function's parameters
    (helper arguments, parametrize values), each with the scope it is read in."""

    module: ParsedModule
    function: cst.FunctionDef | None = None
    cls: cst.ClassDef | None = None
    bindings: Mapping[str, tuple[Binding, ...]] = field(default_factory=dict)
    hops: tuple[Hop, ...] = ()

    def hop(self, kind: HopKind, name: str, module: ParsedModule, node: cst.CSTNode) -> Hop:
        return Hop(kind, name, module.path, module.line(node))

    def seen(self, hop: Hop) -> bool:
        return hop in self.hops or len(self.hops) >= MAX_HOPS

    def into(
        self,
        module: ParsedModule,
        hop: Hop,
        function: cst.FunctionDef | None = None,
        cls: cst.ClassDef | None = None,
        bindings: Mapping[str, tuple[Binding, ...]] | None = None,
    ) -> Scope:
        """The scope a followed name's definition is read in."""
        return Scope(module, function, cls, bindings or {}, (*self.hops, hop))

    def with_bindings(self, bindings: Mapping[str, tuple[Binding, ...]]) -> Scope:
        return replace(self, bindings={**self.bindings, **bindings})


def parameter_names(function: cst.FunctionDef) -> list[str]:
    params = function.params
    every = [*params.posonly_params, *params.params, *params.kwonly_params]
    return [p.name.value for p in every]


class _Locals:
    """A function's local bindings (name → (line, value)), nested functions included by name
    (their bodies, and classes', are other scopes)."""

    def __init__(self, module: ParsedModule) -> None:
        self.module = module
        self.found: dict[str, list[tuple[int, cst.BaseExpression | cst.FunctionDef]]] = {}

    def _add(
        self, name: str, node: cst.CSTNode, value: cst.BaseExpression | cst.FunctionDef
    ) -> None:
        self.found.setdefault(name, []).append((self.module.line(node), value))

    def read(self, function: cst.FunctionDef) -> None:
        for node in walk(function, into_functions=False):
            if isinstance(node, cst.FunctionDef) and node is not function:
                self._add(node.name.value, node, node)
            elif isinstance(node, cst.Assign):
                for target in node.targets:
                    self._bind(target.target, node.value, node)
            elif isinstance(node, cst.AnnAssign) and node.value is not None:
                self._bind(node.target, node.value, node)
            elif isinstance(node, cst.WithItem) and node.asname is not None:
                self._bind(node.asname.name, node.item, node)
            elif (
                isinstance(node, cst.For)
                and isinstance(node.target, cst.Name)
                and isinstance(node.iter, cst.List | cst.Tuple)
            ):
                for element in node.iter.elements:
                    self._add(node.target.value, node, element.value)

    def _bind(
        self, target: cst.BaseExpression, value: cst.BaseExpression, node: cst.CSTNode
    ) -> None:
        if isinstance(target, cst.Name):
            self._add(target.value, node, value)
        elif (
            isinstance(target, cst.Tuple | cst.List)
            and isinstance(value, cst.Tuple | cst.List)
            and len(target.elements) == len(value.elements)
        ):
            for t, v in zip(target.elements, value.elements, strict=True):
                self._bind(t.value, v.value, node)


def local_bindings(
    module: ParsedModule, function: cst.FunctionDef, name: str, at_line: int
) -> list[cst.BaseExpression | cst.FunctionDef]:
    """What `name` holds at `at_line` in `function`: the last assignment before that line (all
    values of a `for` over a literal list), else the function's last assignment of it."""
    table = module.local_tables.get(id(function))
    if table is None:
        reader = _Locals(module)
        reader.read(function)
        table = module.local_tables[id(function)] = reader.found
    found = table.get(name, [])
    if not found:
        return []
    before = [entry for entry in found if entry[0] <= at_line] or found
    last_line = before[-1][0]
    return [value for line, value in before if line == last_line]
