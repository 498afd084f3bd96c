"""The requests one test function makes: HTTP client calls (its own, its helpers', its
fixtures'), Allure stories naming an endpoint, each with the nodes that wrote its URL."""

from __future__ import annotations

import re

import libcst as cst
import libcst.matchers as m

from bot.analysis._names import bind_arguments, call_name
from bot.analysis._resolve import Piece, Resolver, Shape
from bot.analysis._scope import Scope, parameter_names
from bot.analysis._urls import normalise, parametrize_bindings, writtens
from bot.analysis._walk import walk
from bot.analysis.kinds import test_kinds
from bot.analysis.model import Request, RequestKind, Role, TestCase, Written
from bot.analysis.suite_modules import ParsedModule, Suite, fixture_name

HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})
_STORY = re.compile(r"^\s*(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|TRACE)\s+(\S+)", re.I)
MAX_HELPER_DEPTH = 3
_STORY_CALL = m.Call(func=m.Attribute(attr=m.Name("story")) | m.Name("story"))


class Reader:
    """Reads tests of one suite (a mapping of paths to sources), parsing each file once."""

    def __init__(self, suite: Suite) -> None:
        self.suite = suite
        self.resolver = Resolver(suite)
        self._fixture_cache: dict[tuple[str, str], tuple[Request, ...]] = {}

    def tests(self, path: str) -> list[TestCase]:
        """Every test function of the file (module level, and methods of `Test*` classes)."""
        return [test for test, _, _ in self.test_functions(path)]

    def test_functions(self, path: str) -> list[tuple[TestCase, ParsedModule, cst.FunctionDef]]:
        """The file's tests with the parsed module and function node each was read from."""
        module = self.suite.get(path)
        if module is None:
            return []
        found: list[tuple[TestCase, ParsedModule, cst.FunctionDef]] = []
        for statement in module.module.body:
            if isinstance(statement, cst.FunctionDef) and _is_test(statement):
                found.append((self._test(module, statement, None), module, statement))
            elif isinstance(statement, cst.ClassDef) and statement.name.value.startswith("Test"):
                body = statement.body.body if isinstance(statement.body, cst.IndentedBlock) else ()
                for member in body:
                    if isinstance(member, cst.FunctionDef) and _is_test(member):
                        found.append((self._test(module, member, statement), module, member))
        return found

    def _test(
        self, module: ParsedModule, function: cst.FunctionDef, cls: cst.ClassDef | None
    ) -> TestCase:
        decorators = [*function.decorators, *(cls.decorators if cls is not None else ())]
        scope = Scope(module, function, cls)
        scope = scope.with_bindings(parametrize_bindings(decorators, scope))
        requests = list(self.calls(function, scope, "test", 0))
        for decorator in decorators:
            if m.matches(decorator.decorator, _STORY_CALL):
                requests.extend(self._story(cst.ensure_type(decorator.decorator, cst.Call), scope))
        for name in parameter_names(function):
            if name not in scope.bindings and name not in ("self", "cls"):
                requests.extend(self._fixture_requests(module, name, set()))
        name = function.name.value if cls is None else f"{cls.name.value}::{function.name.value}"
        unique = tuple(dict.fromkeys(requests))
        kinds = test_kinds(function)
        return TestCase(module.path, name, module.line(function), unique, kinds)

    def _fixture_requests(
        self, module: ParsedModule, name: str, seen: set[tuple[str, str]]
    ) -> tuple[Request, ...]:
        found = self.resolver.fixture(module, name)
        if found is None:
            return ()
        where, function = found
        key = (where.path, name)
        if key in seen:
            return ()
        if key not in self._fixture_cache:
            seen.add(key)
            requests = list(self.calls(function, Scope(where, function), "fixture", 0))
            for param in parameter_names(function):
                requests.extend(self._fixture_requests(where, param, seen))
            self._fixture_cache[key] = tuple(requests)
        return self._fixture_cache[key]

    def calls(
        self, function: cst.FunctionDef | cst.Lambda, scope: Scope, role: Role, depth: int
    ) -> list[Request]:
        """The requests made in `function`'s body, and in plain helpers it calls."""
        found: list[Request] = []
        for call in (n for n in walk(function) if isinstance(n, cst.Call)):
            at_line = scope.module.line(call)
            made = self._http(call, scope, role, at_line)
            if made is not None:
                found.extend(made)
            elif m.matches(call, _STORY_CALL) and m.matches(
                call.func, m.Attribute(value=m.Attribute(attr=m.Name("dynamic")))
            ):
                found.extend(self._story(call, scope))
            elif depth < MAX_HELPER_DEPTH and isinstance(call.func, cst.Name | cst.Attribute):
                for helper, inner in self.resolver.callables(call.func, scope, at_line):
                    if isinstance(helper, cst.FunctionDef) and fixture_name(helper) is None:
                        bound = inner.with_bindings(bind_arguments(helper, call, scope))
                        found.extend(self.calls(helper, bound, role, depth + 1))
        return found

    def _http(self, call: cst.Call, scope: Scope, role: Role, at_line: int) -> list[Request] | None:
        func = call.func
        name = call_name(func)
        positional = [a.value for a in call.args if a.keyword is None and not a.star]
        keywords = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
        receiver = func.value if isinstance(func, cst.Attribute) else None
        if receiver is not None and name in HTTP_METHODS:
            methods = [name.upper()]
            url = positional[0] if positional else keywords.get("url")
        elif name in ("request", "Request") and (receiver is not None or name == "Request"):
            method_node = positional[0] if positional else keywords.get("method")
            url = positional[1] if len(positional) > 1 else keywords.get("url")
            if method_node is None:
                return None
            texts = self._texts(method_node, scope, at_line)
            methods = [t.upper() for t in texts if t.lower() in HTTP_METHODS]
            if not methods:
                return None
        else:
            return None
        if url is None:
            return None
        shapes = self.resolver.shapes(url, scope, at_line)
        bases = self._client_bases(receiver, scope, at_line) if receiver is not None else []
        where = scope.module.positions.get(call)
        line, column = (where.start.line, where.start.column) if where else (0, 0)
        requests: list[Request] = []
        for shape in shapes:
            joined = [shape]
            text = "".join(p.text or "" for p in shape)
            if bases and "://" not in text:
                joined = [base + shape for base in bases]
            for candidate in joined:
                parts = normalise(candidate)
                if parts is None:
                    continue
                full, path, host, host_name = parts
                for method in methods:
                    requests.append(
                        Request(
                            method,
                            full,
                            path,
                            host,
                            "call",
                            scope.module.path,
                            line,
                            column,
                            writtens(candidate),
                            role,
                            host_name,
                        )
                    )
        return requests if requests or name in HTTP_METHODS else None

    def _texts(self, node: cst.BaseExpression, scope: Scope, at_line: int) -> list[str]:
        out = []
        for shape in self.resolver.shapes(node, scope, at_line):
            if all(p.text is not None for p in shape):
                out.append("".join(p.text or "" for p in shape))
        return out

    def _client_bases(
        self, receiver: cst.BaseExpression, scope: Scope, at_line: int
    ) -> list[Shape]:
        """The `base_url=` of the client a call is made on, when it is built in sight."""
        pending = self.resolver.definitions(receiver, scope, at_line)
        for _ in range(6):
            following = []
            for value, inner in pending:
                if isinstance(value, cst.Call):
                    for arg in value.args:
                        if arg.keyword is not None and arg.keyword.value == "base_url":
                            return self.resolver.shapes(arg.value, inner, inner.module.line(value))
                elif isinstance(value, cst.Name | cst.Attribute):
                    following.extend(
                        self.resolver.definitions(value, inner, inner.module.line(value))
                    )
            if not following:
                return []
            pending = following
        return []

    def _story(self, call: cst.Call, scope: Scope) -> list[Request]:
        if not call.args:
            return []
        node = call.args[0].value
        at_line = scope.module.line(call)
        where = scope.module.positions.get(node)
        line, column = (where.start.line, where.start.column) if where else (at_line, 0)
        found: list[Request] = []
        for shape in self.resolver.shapes(node, scope, at_line):
            if any(p.text is None for p in shape):
                continue
            text = "".join(p.text or "" for p in shape)
            match = _STORY.match(text)
            if match is None:
                continue
            parts = normalise((Piece(match.group(2)),))
            if parts is None:
                continue
            written = writtens(shape)
            if isinstance(node, cst.SimpleString) and written:
                first = written[0]
                written = (
                    Written(
                        first.file,
                        first.line,
                        first.column,
                        first.end_line,
                        first.end_column,
                        "story",
                        text,
                        first.via,
                    ),
                )
            kind: RequestKind = "story"
            found.append(
                Request(
                    match.group(1).upper(),
                    parts[0],
                    parts[1],
                    parts[2],
                    kind,
                    scope.module.path,
                    line,
                    column,
                    written,
                )
            )
        return found


def _is_test(function: cst.FunctionDef) -> bool:
    return function.name.value.startswith("test") and fixture_name(function) is None
