"""Where a test reads a call's response: names that hold the response, its body, or a record.

Flow-aware enough for tests: a name read resolves to its latest assignment before the read in
the same function (loop and comprehension targets count as assignments), so a variable reused
for another call's response is not mistaken for this one's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

import libcst as cst
from libcst.metadata import CodeRange

Kind = Literal["response", "body", "record"]
Pos = tuple[int, int]
_NOT_BODY = frozenset({"headers", "cookies", "request", "url", "history", "links"})


@dataclass
class Assignment:
    name: str
    pos: Pos
    value: cst.BaseExpression | None  # None: a parameter
    iterates: bool = False  # the target of `for name in value`


@dataclass
class FunctionReads:
    """Assignments of one function (module-level ones after them), in source order."""

    assignments: list[Assignment] = field(default_factory=list)
    positions: dict[cst.CSTNode, Pos] = field(default_factory=dict)

    def resolve(self, name: str, at: Pos) -> Assignment | None:
        found = None
        for assignment in self.assignments:
            if assignment.name == name and assignment.pos < at:
                found = assignment
        return found


def _target_names(target: cst.BaseExpression) -> Iterator[str]:
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, cst.Tuple | cst.List):
        for element in target.elements:
            yield from _target_names(element.value)


def collect(
    function: cst.FunctionDef, positions: dict[cst.CSTNode, CodeRange]
) -> FunctionReads:
    """Every name assignment in `function`, with its position."""
    facts = FunctionReads()

    def pos(node: cst.CSTNode) -> Pos:
        where = positions[node].start
        return where.line, where.column

    class Visitor(cst.CSTVisitor):
        def visit_Param(self, node: cst.Param) -> None:
            facts.assignments.append(Assignment(node.name.value, pos(node), None))

        def visit_Assign(self, node: cst.Assign) -> None:
            for target in node.targets:
                for name in _target_names(target.target):
                    facts.assignments.append(Assignment(name, pos(node), node.value))

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            if node.value is not None:
                for name in _target_names(node.target):
                    facts.assignments.append(Assignment(name, pos(node), node.value))

        def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
            for name in _target_names(node.target):
                facts.assignments.append(Assignment(name, pos(node), node.value))

        def visit_For(self, node: cst.For) -> None:
            for name in _target_names(node.target):
                facts.assignments.append(Assignment(name, pos(node), node.iter, iterates=True))

        def visit_CompFor(self, node: cst.CompFor) -> None:
            # the comprehension's element is read before its `for` in the text: date it earlier
            for name in _target_names(node.target):
                facts.assignments.append(Assignment(name, (0, 0), node.iter, iterates=True))

    function.visit(Visitor())
    facts.assignments.sort(key=lambda a: a.pos)
    facts.positions = {node: (r.start.line, r.start.column) for node, r in positions.items()}
    return facts


class Tracker:
    """What an expression holds of one call's response, within one function."""

    def __init__(self, call: cst.Call, facts: FunctionReads, array: bool) -> None:
        self.call = call
        self.facts = facts
        self.array = array  # the response body is a list of records
        self._memo: dict[int, Kind | None] = {}

    def kind(self, node: cst.BaseExpression) -> Kind | None:
        if node is self.call:
            return "response"
        if isinstance(node, cst.Name):
            at = self.facts.positions.get(node, (1 << 30, 0))
            assignment = self.facts.resolve(node.value, at)
            if assignment is None or assignment.value is None:
                return None
            key = id(assignment)
            if key not in self._memo:
                self._memo[key] = None  # cycles read as nothing
                held = self.kind(assignment.value)
                if assignment.iterates:
                    held = "record" if held == "body" and self.array else None
                self._memo[key] = held
            return self._memo[key]
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            if node.func.attr.value == "json" and self.kind(node.func.value) == "response":
                return "body"
        if isinstance(node, cst.Subscript) and self.array and self.kind(node.value) == "body":
            index = node.slice[0].slice if len(node.slice) == 1 else None
            if isinstance(index, cst.Index) and isinstance(index.value, cst.Integer | cst.UnaryOperation):
                return "record"
        if isinstance(node, cst.Attribute) and node.attr.value in _NOT_BODY:
            return None
        return None

    def is_record(self, node: cst.BaseExpression) -> bool:
        held = self.kind(node)
        return held == "record" or (held == "body" and not self.array)

    def is_body(self, node: cst.BaseExpression) -> bool:
        return self.kind(node) in ("body", "record")
