"""URL expressions to their possible texts: strings, f-strings, `.format`, `%`, `+`, followed
through locals, constants, imports, class attributes, fixtures, helper returns and arguments."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import libcst as cst

from bot.analysis._names import Names, bind_arguments, call_name, yields
from bot.analysis._scope import Scope
from bot.analysis.model import Written, WrittenKind

MAX_ALTERNATIVES = 16
_FIELD = re.compile(r"\{[^{}]*\}")
_PERCENT = re.compile(r"%[-#0 +]*\d*(?:\.\d+)?[sdifr]")
_OPAQUE_CALLS = frozenset({"str", "int", "float", "quote", "quote_plus", "uuid4", "getenv"})
_JOINS = frozenset({"urljoin"})


@dataclass(frozen=True)
class Piece:
    """Known text (with the node that wrote it) or, when `text` is None, an unknown part."""

    text: str | None
    written: Written | None = None


HOLE = Piece(None)
Shape = tuple[Piece, ...]


def _product(left: list[Shape], right: list[Shape]) -> list[Shape]:
    joined = [a + b for a, b in itertools.product(left, right)]
    return joined[:MAX_ALTERNATIVES]


class Resolver(Names):
    """Reads URL expressions of one suite; results depend only on the suite's sources."""

    # --- expressions to shapes -------------------------------------------------------------
    def _written(self, node: cst.CSTNode, scope: Scope, kind: WrittenKind, text: str) -> Written:
        where = scope.module.positions.get(node)
        line = where.start.line if where else 0
        column = where.start.column if where else 0
        end_line = where.end.line if where else 0
        end_column = where.end.column if where else 0
        return Written(
            scope.module.path, line, column, end_line, end_column, kind, text, scope.hops
        )

    def _string(self, node: cst.SimpleString, scope: Scope, kind: WrittenKind) -> list[Shape]:
        value = node.evaluated_value
        if not isinstance(value, str):
            return [(HOLE,)]
        if kind == "format":
            value = _FIELD.sub("{}", value)
        elif kind == "percent":
            value = _PERCENT.sub("{}", value)
        return [(Piece(value, self._written(node, scope, kind, value)),)]

    def shapes(
        self, node: cst.BaseExpression, scope: Scope, at_line: int, kind: WrittenKind = "string"
    ) -> list[Shape]:
        """Every text `node` may stand for (at most MAX_ALTERNATIVES), unknown parts as holes."""
        if isinstance(node, cst.SimpleString):
            return self._string(node, scope, kind)
        if isinstance(node, cst.ConcatenatedString):
            left = self.shapes(node.left, scope, at_line, kind)
            right = self.shapes(node.right, scope, at_line, kind)
            return _product(left, right)
        if isinstance(node, cst.FormattedString):
            return self._fstring(node, scope, at_line)
        if isinstance(node, cst.BinaryOperation):
            if isinstance(node.operator, cst.Add):
                return _product(
                    self.shapes(node.left, scope, at_line, kind),
                    self.shapes(node.right, scope, at_line, kind),
                )
            if isinstance(node.operator, cst.Modulo):
                return self.shapes(node.left, scope, at_line, "percent")
            return [(HOLE,)]
        if isinstance(node, cst.Call):
            return self._call(node, scope, at_line)
        if isinstance(node, cst.Name | cst.Attribute):
            found: list[Shape] = []
            for value, inner in self.definitions(node, scope, at_line):
                if isinstance(value, cst.FunctionDef):
                    continue
                found.extend(self.shapes(value, inner, inner.module.line(value) or at_line, kind))
            return found[:MAX_ALTERNATIVES] or [(HOLE,)]
        return [(HOLE,)]

    def _fstring(self, node: cst.FormattedString, scope: Scope, at_line: int) -> list[Shape]:
        parts: list[list[Shape]] = []
        text = ""
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                parts.append([(Piece(part.value),)])
                text += part.value
            elif isinstance(part, cst.FormattedStringExpression):
                inner = self.shapes(part.expression, scope, at_line)
                if all(p.written is None for shape in inner for p in shape):
                    inner = [(HOLE,)]
                parts.append(inner)
                text += "{}"
        written = self._written(node, scope, "fstring", text)
        shapes: list[Shape] = [()]
        for alternatives in parts:
            shapes = _product(shapes, alternatives)
        return [
            tuple(
                Piece(p.text, written) if p.written is None and p.text is not None else p
                for p in shape
            )
            for shape in shapes
        ]

    def _call(self, node: cst.Call, scope: Scope, at_line: int) -> list[Shape]:
        func = node.func
        name = call_name(func)
        positional = [a.value for a in node.args if a.keyword is None and not a.star]
        if name == "format" and isinstance(func, cst.Attribute):
            return self.shapes(func.value, scope, at_line, "format")
        if (
            name == "join"
            and isinstance(func, cst.Attribute)
            and isinstance(func.value, cst.SimpleString)
            and positional
        ):
            items = positional[0]
            glue = self.shapes(func.value, scope, at_line)
            if isinstance(items, cst.List | cst.Tuple) and len(glue) == 1:
                shapes: list[Shape] = [()]
                for i, element in enumerate(items.elements):
                    if i:
                        shapes = _product(shapes, glue)
                    shapes = _product(shapes, self.shapes(element.value, scope, at_line))
                return shapes
            return [(HOLE,)]
        if name in _JOINS and len(positional) >= 2:
            return _product([(HOLE,)], self.shapes(positional[1], scope, at_line))
        if name == "URL" and positional:
            return self.shapes(positional[0], scope, at_line)
        if name in _OPAQUE_CALLS or not isinstance(func, cst.Name | cst.Attribute):
            return [(HOLE,)]
        found: list[Shape] = []
        for function, inner in self.callables(func, scope, at_line):
            bound = inner.with_bindings(bind_arguments(function, node, scope))
            for value in (
                yields(function) if isinstance(function, cst.FunctionDef) else [function.body]
            ):
                found.extend(self.shapes(value, bound, bound.module.line(value) or at_line))
        return found[:MAX_ALTERNATIVES] or [(HOLE,)]
