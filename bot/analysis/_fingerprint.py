"""A test function as a normalised token stream: names and literals become placeholders; the
requests it makes become their method and endpoint; status codes and field names it asserts
stay, so tests of different endpoints or with different assertions never look alike."""

from __future__ import annotations

from collections.abc import Mapping

import libcst as cst

from bot.analysis._walk import children
from bot.analysis.suite_modules import ParsedModule

Position = tuple[int, int]
_SKIPPED = (
    cst.SimpleWhitespace,
    cst.ParenthesizedWhitespace,
    cst.TrailingWhitespace,
    cst.EmptyLine,
    cst.Newline,
    cst.Comment,
    cst.LeftParen,
    cst.RightParen,
    cst.LeftSquareBracket,
    cst.RightSquareBracket,
    cst.LeftCurlyBrace,
    cst.RightCurlyBrace,
    cst.Comma,
    cst.Colon,
    cst.Dot,
    cst.AssignEqual,
    cst.IndentedBlock,
    cst.SimpleStatementLine,
    cst.Expr,
    cst.Arg,
    cst.Element,
)


class _Tokens:
    def __init__(self, module: ParsedModule, requests: Mapping[Position, str]) -> None:
        self.module = module
        self.requests = requests
        self.tokens: list[str] = []
        self.asserts: list[str] = []
        self._in_assert = 0
        self._keep_string = 0

    def _emit(self, token: str) -> None:
        self.tokens.append(token)
        if self._in_assert:
            self.asserts.append(token)

    def visit(self, node: cst.CSTNode) -> None:
        if isinstance(node, _SKIPPED):
            for child in children(node):
                self.visit(child)
            return
        if isinstance(node, cst.Name):
            self._emit("N")
        elif isinstance(node, cst.SimpleString | cst.ConcatenatedString | cst.FormattedString):
            kept = self._keep_string and isinstance(node, cst.SimpleString)
            self._emit(f"S:{cst.ensure_type(node, cst.SimpleString).value}" if kept else "S")
        elif isinstance(node, cst.Integer | cst.Float | cst.Imaginary):
            self._emit(f"I:{node.value}" if self._in_assert else "I")
        elif isinstance(node, cst.Attribute):
            self._emit("Attr")
            self.visit(node.value)
            self._emit(f".{node.attr.value}")
        elif isinstance(node, cst.Call) and self._request(node):
            return
        elif isinstance(node, cst.DictElement):  # keys are field names: they stay
            self._emit("DictElement")
            self._keep_string += 1
            self.visit(node.key)
            self._keep_string -= 1
            self.visit(node.value)
        else:
            self._emit(type(node).__name__)
            inside = isinstance(node, cst.Assert)
            keep = isinstance(node, cst.SubscriptElement)
            self._in_assert += inside
            self._keep_string += keep
            for child in children(node):
                self.visit(child)
            self._in_assert -= inside
            self._keep_string -= keep

    def _request(self, node: cst.Call) -> bool:
        """A request call is its method and endpoint, then its other arguments."""
        where = self.module.positions.get(node)
        request = self.requests.get((where.start.line, where.start.column)) if where else None
        if request is None:
            return False
        self._emit(request)
        positional_url = bool(node.args) and node.args[0].keyword is None
        for arg in node.args[1:] if positional_url else node.args:
            if arg.keyword is not None and arg.keyword.value == "url":
                continue
            if arg.keyword is not None:
                self._emit(f"kw:{arg.keyword.value}")
            self.visit(arg.value)
        return True


def _body(function: cst.FunctionDef) -> list[cst.BaseStatement]:
    body = list(function.body.body) if isinstance(function.body, cst.IndentedBlock) else []
    if body and isinstance(body[0], cst.SimpleStatementLine):
        first = body[0].body[0] if body[0].body else None
        if isinstance(first, cst.Expr) and isinstance(first.value, cst.SimpleString):
            body = body[1:]  # a docstring says what, not how
    return body


def fingerprint(
    module: ParsedModule, function: cst.FunctionDef, requests: Mapping[Position, str]
) -> tuple[list[str], tuple[str, ...]]:
    """(the body's tokens, its assertions' tokens); `requests` maps a call's position to the
    token standing for it (`GET /pets/{id}`)."""
    reader = _Tokens(module, requests)
    for statement in _body(function):
        reader.visit(statement)
    return reader.tokens, tuple(reader.asserts)
