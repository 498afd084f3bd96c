"""Line and column of chosen nodes, from one code-generation pass only when findings exist."""

from __future__ import annotations

import contextlib
from collections.abc import Collection

import libcst as cst
from libcst._nodes.internal import CodegenState


class _Found(Exception):
    """Raised to stop code generation once every wanted node has been reached."""


class _MarkingState(CodegenState):
    """Remembers how many tokens were emitted when each wanted node starts."""

    def __init__(self, module: cst.Module, wanted: Collection[cst.CSTNode]) -> None:
        super().__init__(
            default_indent=module.default_indent, default_newline=module.default_newline
        )
        self.wanted = {id(node) for node in wanted}
        self.marks: dict[int, int] = {}

    def before_codegen(self, node: cst.CSTNode) -> None:
        key = id(node)
        if key in self.wanted and key not in self.marks:
            self.marks[key] = len(self.tokens)
            if len(self.marks) == len(self.wanted):
                raise _Found

    def after_codegen(self, node: cst.CSTNode) -> None:
        pass


def positions(module: cst.Module, nodes: Collection[cst.CSTNode]) -> dict[int, tuple[int, int]]:
    """`id(node)` → (1-based line, 1-based column) of where each node's own code starts.

    Nodes that own leading blank lines or comments (statements, decorators) start there;
    anchor findings on names, calls and expressions instead. libcst's `PositionProvider`
    records every node of the tree; this records only the nodes asked for and stops early.
    """
    if not nodes:
        return {}
    state = _MarkingState(module, nodes)
    with contextlib.suppress(_Found):
        module._codegen(state)
    result: dict[int, tuple[int, int]] = {}
    offset = 0
    line = 1
    column = 0
    emitted = 0
    for key, index in sorted(state.marks.items(), key=lambda item: item[1]):
        for token in state.tokens[emitted:index]:
            newlines = token.count("\n")
            if newlines:
                line += newlines
                column = len(token) - token.rfind("\n") - 1
            else:
                column += len(token)
            offset += len(token)
        emitted = index
        result[key] = (line, column + 1)
    return result
