"""Where a test reads a call's response: names that hold the response, its body, or a record.

Flow-aware enough for tests: a name read resolves to its latest assignment before the read in
the same function (loop and comprehension targets count as assignments), so a variable reused
for another call's response is not mistaken for this one's.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

import libcst as cst

from bot.heal._index import NodeIndex, Pos

Kind = Literal["response", "body", "record"]
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
    positions: Mapping[cst.CSTNode, Pos] = field(default_factory=dict)

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


def collect(function: cst.FunctionDef, index: NodeIndex) -> FunctionReads:
    """Every name assignment in `function`, with its position."""
    facts = FunctionReads(positions=index.positions)
    add = facts.assignments.append
    for node in index.inside(function, cst.Param):
        assert isinstance(node, cst.Param)
        add(Assignment(node.name.value, index.pos(node), None))
    for node in index.inside(function, cst.Assign):
        assert isinstance(node, cst.Assign)
        for target in node.targets:
            for name in _target_names(target.target):
                add(Assignment(name, index.pos(node), node.value))
    for kind in (cst.AnnAssign, cst.NamedExpr):
        for node in index.inside(function, kind):
            assert isinstance(node, cst.AnnAssign | cst.NamedExpr)
            if node.value is not None:
                for name in _target_names(node.target):
                    add(Assignment(name, index.pos(node), node.value))
    for node in index.inside(function, cst.For):
        assert isinstance(node, cst.For)
        for name in _target_names(node.target):
            add(Assignment(name, index.pos(node), node.iter, iterates=True))
    for node in index.inside(function, cst.CompFor):
        assert isinstance(node, cst.CompFor)
        # the comprehension's element is read before its `for` in the text: date it earlier
        for name in _target_names(node.target):
            add(Assignment(name, (0, 0), node.iter, iterates=True))
    facts.assignments.sort(key=lambda a: a.pos)
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
        if (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Attribute)
            and node.func.attr.value == "json"
            and self.kind(node.func.value) == "response"
        ):
            return "body"
        if isinstance(node, cst.Subscript) and self.array and self.kind(node.value) == "body":
            index = node.slice[0].slice if len(node.slice) == 1 else None
            if isinstance(index, cst.Index) and isinstance(
                index.value, cst.Integer | cst.UnaryOperation
            ):
                return "record"
        if isinstance(node, cst.Attribute) and node.attr.value in _NOT_BODY:
            return None
        return None

    def is_record(self, node: cst.BaseExpression) -> bool:
        held = self.kind(node)
        return held == "record" or (held == "body" and not self.array)

    def is_body(self, node: cst.BaseExpression) -> bool:
        return self.kind(node) in ("body", "record")
