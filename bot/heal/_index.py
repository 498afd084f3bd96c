"""A module's nodes found by position and type, from the positions the test map computed.

No tree walk: one pass over the position table gives every string, call, subscript, function
and assignment with its range, so a codemod goes straight to the nodes it was told about.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import CodeRange

Pos = tuple[int, int]
_KEPT = (
    cst.SimpleString, cst.FormattedString, cst.FormattedStringText, cst.Call, cst.Subscript,
    cst.FunctionDef, cst.Param, cst.Assign, cst.AnnAssign, cst.NamedExpr, cst.For, cst.CompFor,
    cst.Name,
)  # fmt: skip


@dataclass
class NodeIndex:
    ranges: Mapping[cst.CSTNode, CodeRange]
    at: dict[Pos, list[cst.CSTNode]] = field(default_factory=dict)
    by_type: dict[type, list[cst.CSTNode]] = field(default_factory=dict)
    positions: dict[cst.CSTNode, Pos] = field(default_factory=dict)

    @classmethod
    def build(cls, ranges: Mapping[cst.CSTNode, CodeRange]) -> NodeIndex:
        index = cls(ranges)
        kept = frozenset(_KEPT)
        for node, where in ranges.items():
            if type(node) in kept:
                pos = (where.start.line, where.start.column)
                index.positions[node] = pos
                index.at.setdefault(pos, []).append(node)
                index.by_type.setdefault(type(node), []).append(node)
        for nodes in index.by_type.values():
            nodes.sort(key=lambda n: index.positions[n])
        return index

    def pos(self, node: cst.CSTNode) -> Pos:
        found = self.positions.get(node)
        if found is None:
            start = self.ranges[node].start
            found = self.positions[node] = (start.line, start.column)
        return found

    def of_type(self, kind: type) -> list[cst.CSTNode]:
        return self.by_type.get(kind, [])

    def inside(self, outer: cst.CSTNode, kind: type) -> Iterator[cst.CSTNode]:
        """Nodes of `kind` within `outer`'s range, in source order."""
        where = self.ranges[outer]
        start, end = (where.start.line, where.start.column), (where.end.line, where.end.column)
        for node in self.of_type(kind):
            if start <= self.positions[node] < end:
                yield node

    def enclosing_function(self, node: cst.CSTNode) -> cst.FunctionDef | None:
        """The innermost function whose range holds `node`."""
        pos = self.pos(node)
        found: cst.FunctionDef | None = None
        for function in self.of_type(cst.FunctionDef):
            where = self.ranges[function]
            if (where.start.line, where.start.column) <= pos < (where.end.line, where.end.column):
                assert isinstance(function, cst.FunctionDef)
                found = function  # sorted by start: a later hit is nested deeper
        return found
