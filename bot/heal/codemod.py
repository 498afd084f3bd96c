"""The libcst codemod that heals one test module: every edit at a known node, every other byte kept.

It is told what to do by position (from the test→endpoint map): string pieces of URLs to move,
calls whose endpoint changed. From each call it follows, inside the calling function, the
request body it sends (a literal dict or a dict held in a variable) and the places that read
its response (`body["x"]`, `.get("x")`, a jsonschema dict given to `validate`); a field renamed
in the response is renamed only there.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from bot.generate.source_text import literal
from bot.generate.values import ValueBuilder
from bot.heal._index import NodeIndex, Pos
from bot.heal._paths import Move, rewrite_naming, rewrite_piece
from bot.heal._reads import FunctionReads, Tracker, collect
from bot.heal._splice import Splice, Text
from bot.heal.changes import Change
from bot.heal.log import Action, Unhealable

SKIP_REASON = "testgen heal: {method} {path} was removed from the API"
ALLURE_NAMING = frozenset({"story", "title", "step", "description", "feature"})
BODY_KEYWORDS = ("json",)


@dataclass(frozen=True)
class PieceEdit:
    """A string node holding URL text: how its segments move, and the change behind it."""

    replacements: tuple[tuple[str, str], ...]
    change: Change


@dataclass(frozen=True)
class CallEdit:
    """A call whose endpoint changed, with the endpoint's changes."""

    changes: tuple[Change, ...]
    array: bool  # the old response body is a list of records
    method: str = ""  # the request's method, to tell the call from calls chained on it


@dataclass
class FilePlan:
    pieces: dict[Pos, PieceEdit] = field(default_factory=dict)
    calls: dict[Pos, CallEdit] = field(default_factory=dict)
    skips: dict[str, Change] = field(default_factory=dict)  # test function name → removal
    naming: list[tuple[Move, Change]] = field(default_factory=list)
    components: Mapping[str, Any] = field(default_factory=dict)


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


def _is_request(node: cst.Call, method: str) -> bool:
    """The call itself, not a call chained on it (`api.get(…).json()` starts where it does)."""
    func = node.func
    name = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", "")
    return name.lower() in {method.lower(), "request", "open", "send", "fetch"} or not method


def _string_value(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _body(node: cst.SimpleString) -> str:
    return node.value[len(node.prefix) + len(node.quote) : -len(node.quote)]


class _Finder:
    """Decide every edit from the nodes the plan names, as text splices; change nothing."""

    def __init__(self, file: str, plan: FilePlan, module: cst.Module, index: NodeIndex,
                 text: Text) -> None:  # fmt: skip
        self.file = file
        self.plan = plan
        self.module = module
        self.index = index
        self.text = text
        self.splices: list[Splice] = []
        self.actions: list[Action] = []
        self.unhealable: list[Unhealable] = []
        self.module_values: dict[str, cst.BaseExpression] = {}
        self._facts: dict[cst.FunctionDef, FunctionReads] = {}
        self._edited: set[cst.CSTNode] = set()
        self._skipped = False

    # --- helpers ---------------------------------------------------------------------------
    def _pos(self, node: cst.CSTNode) -> Pos:
        return self.index.pos(node)

    def _line(self, node: cst.CSTNode) -> int:
        return self._pos(node)[0]

    def _act(self, node: cst.CSTNode, change: Change, old: str, new: str, rule: str = "") -> bool:
        self.actions.append(
            Action(self.file, self._line(node), rule or change.kind, old, new,
                   change.confidence, change.applies)
        )  # fmt: skip
        return change.applies

    def _replace(self, node: cst.CSTNode, text: str) -> None:
        where = self.index.ranges[node]
        self.splices.append(
            Splice(self.text.offset(where.start), self.text.offset(where.end), text)
        )
        self._edited.add(node)

    def _rename_string(self, node: cst.SimpleString, new: str) -> None:
        self._replace(node, f"{node.prefix}{node.quote}{new}{node.quote}")

    def _test(self, node: cst.CSTNode) -> str:
        function = self.index.enclosing_function(node)
        return function.name.value if function is not None else ""

    def _facts_of(self, function: cst.FunctionDef) -> FunctionReads:
        if function not in self._facts:
            self._facts[function] = collect(function, self.index)
        return self._facts[function]

    def _dict_of(
        self, value: cst.BaseExpression, facts: FunctionReads | None, at: Pos
    ) -> cst.Dict | None:
        """The dict literal `value` is, or holds through a variable (function, then module)."""
        if isinstance(value, cst.Dict):
            return value
        if isinstance(value, cst.Name):
            assignment = facts.resolve(value.value, at) if facts is not None else None
            if assignment is not None and isinstance(assignment.value, cst.Dict):
                return assignment.value
            if assignment is None:
                held = self.module_values.get(value.value)
                return held if isinstance(held, cst.Dict) else None
        return None

    # --- the pass ---------------------------------------------------------------------------
    def run(self) -> None:
        for statement in self.module.body:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if isinstance(small, cst.Assign) and len(small.targets) == 1:
                        target = small.targets[0].target
                        if isinstance(target, cst.Name):
                            self.module_values[target.value] = small.value
        for pos, edit in self.plan.pieces.items():
            for node in self.index.at.get(pos, []):
                if isinstance(node, cst.SimpleString):
                    self._piece(node, edit)
                elif isinstance(node, cst.FormattedString):
                    self._fstring(node, edit)
        for pos, call_edit in self.plan.calls.items():
            for node in self.index.at.get(pos, []):
                if isinstance(node, cst.Call) and _is_request(node, call_edit.method):
                    self._call(node, call_edit)
                    break
        applied = [m for m, c in self.plan.naming if c.applies]
        if applied:
            changes = {m: c for m, c in self.plan.naming}
            for call in self.index.of_type(cst.Call):
                assert isinstance(call, cst.Call)
                func = call.func
                if not (isinstance(func, cst.Attribute) and func.attr.value in ALLURE_NAMING):
                    continue
                if "allure" not in _dotted(func.value):
                    continue
                for arg in call.args:
                    if isinstance(arg.value, cst.SimpleString) and arg.value not in self._edited:
                        self._naming(arg.value, func.attr.value, applied, changes)
        for function in self.index.of_type(cst.FunctionDef):
            assert isinstance(function, cst.FunctionDef)
            change = self.plan.skips.get(function.name.value)
            if change is not None:
                self._skip(function, change)
        if self._skipped and not _imports_pytest(self.module):
            self._import_pytest()

    def _piece(self, node: cst.SimpleString, edit: PieceEdit) -> None:
        text = _body(node)
        new = rewrite_piece(text, list(edit.replacements))
        if new != text and node not in self._edited and self._act(node, edit.change, text, new):
            self._rename_string(node, new)
            self._format_keywords(node, edit)

    def _fstring(self, node: cst.FormattedString, edit: PieceEdit) -> None:
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                new = rewrite_piece(part.value, list(edit.replacements))
                if new != part.value and self._act(node, edit.change, part.value, new):
                    self._replace(part, new)

    def _format_keywords(self, node: cst.SimpleString, edit: PieceEdit) -> None:
        """`"/pets/{petId}".format(petId=…)`: the keyword follows its renamed field."""
        renames = {
            old.strip("/{}"): new.strip("/{}")
            for old, new in edit.replacements
            if old.startswith("/{") and new.startswith("/{")
        }
        if not renames:
            return
        for call in self.index.at.get(self._pos(node), []):
            func = call.func if isinstance(call, cst.Call) else None
            if (
                isinstance(func, cst.Attribute)
                and func.attr.value == "format"
                and func.value is node
            ):
                assert isinstance(call, cst.Call)
                for arg in call.args:
                    if arg.keyword is not None and arg.keyword.value in renames:
                        self._replace(arg.keyword, renames[arg.keyword.value])

    def _naming(
        self, node: cst.SimpleString, kind: str, moves: list[Move], changes: dict[Move, Change]
    ) -> None:
        text = _body(node)
        new = rewrite_naming(text, moves)
        if new != text:
            moved = next((m for m in moves if m.old in text), moves[0])
            self._act(node, changes[moved], text, new, rule=f"{kind}-renamed")
            self._rename_string(node, new)

    def _call(self, node: cst.Call, edit: CallEdit) -> None:
        function = self.index.enclosing_function(node)
        facts = self._facts_of(function) if function is not None else None
        at = self._pos(node)
        tracker = Tracker(node, facts or FunctionReads(positions=self.index.positions), edit.array)
        for change in edit.changes:
            if change.kind == "method-changed" and change.new_method:
                self._method(node, change)
            elif change.kind.startswith("request-field"):
                body = next(
                    (a.value for a in node.args if a.keyword and a.keyword.value in BODY_KEYWORDS),
                    None,
                )
                found = self._dict_of(body, facts, at) if body is not None else None
                if found is not None:
                    self._request_field(found, change)
            elif change.kind.startswith("response-field") and function is not None:
                self._response_reads(function, tracker, change)

    def _method(self, node: cst.Call, change: Change) -> None:
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == change.method.lower()
            and self._act(node, change, change.method, change.new_method or "")
        ):
            self._replace(func.attr, (change.new_method or "").lower())

    def _request_field(self, found: cst.Dict, change: Change) -> None:
        keys = {_string_value(e.key): e for e in found.elements if isinstance(e, cst.DictElement)}
        name = change.field or ""
        if change.kind == "request-field-renamed" and name in keys and change.new_field:
            key = keys[name].key
            fresh = isinstance(key, cst.SimpleString) and key not in self._edited
            if fresh and self._act(key, change, name, change.new_field):
                assert isinstance(key, cst.SimpleString)
                self._rename_string(key, change.new_field)
        elif (
            change.kind == "request-field-added" and name not in keys and found not in self._edited
        ):
            builder = ValueBuilder(self.plan.components)
            value = builder.build(change.schema or {}, where=name)
            if builder.gaps:
                self.unhealable.append(
                    Unhealable(self.file, self._line(found), self._test(found),
                               f"no value fits the new required field {name}")
                )  # fmt: skip
                return
            if self._act(found, change, "", f"{name}={literal(value)}"):
                self._add_key(found, name, value)
        elif change.kind == "request-field-removed" and name in keys:
            element = keys[name]
            self.unhealable.append(
                Unhealable(self.file, self._line(element), self._test(element),
                           f"sends {name}, which {change.method} {change.path} no "
                           "longer declares")
            )  # fmt: skip

    def _add_key(self, found: cst.Dict, name: str, value: Any) -> None:
        """`"name": value` after the dict's last element, laid out like the elements there."""
        item = f"{json.dumps(name)}: {literal(value)}"
        self._edited.add(found)
        elements = [e for e in found.elements if isinstance(e, cst.DictElement)]
        if not elements:
            start = self.text.offset(self.index.ranges[found].start) + 1
            self.splices.append(Splice(start, start, item))
            return
        last = elements[-1]
        opening = self.index.ranges[found].start
        last_range = self.index.ranges[last.value]
        multiline = last_range.start.line != opening.line
        indent = " " * self.index.ranges[last.key].start.column
        if isinstance(last.comma, cst.Comma):
            where = self.text.offset(self.index.ranges[last.comma].end)
            text = f"\n{indent}{item}," if multiline else f" {item},"
        else:
            where = self.text.offset(last_range.end)
            text = f",\n{indent}{item}" if multiline else f", {item}"
        self.splices.append(Splice(where, where, text))

    def _response_reads(self, function: cst.FunctionDef, tracker: Tracker, change: Change) -> None:
        for node in self.index.inside(function, cst.Subscript):
            assert isinstance(node, cst.Subscript)
            if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
                continue
            key = node.slice[0].slice.value
            if _string_value(key) == change.field and tracker.is_record(node.value):
                self._read(key, change)
        for node in self.index.inside(function, cst.Call):
            assert isinstance(node, cst.Call)
            func = node.func
            if (
                isinstance(func, cst.Attribute)
                and func.attr.value == "get"
                and node.args
                and _string_value(node.args[0].value) == change.field
                and tracker.is_record(func.value)
            ):
                self._read(node.args[0].value, change)
            name = func.attr.value if isinstance(func, cst.Attribute) else _dotted(func)
            if name == "validate" and node.args and tracker.is_body(node.args[0].value):
                schema = next((a.value for a in node.args[1:2] if a.keyword is None), None)
                schema = next(
                    (a.value for a in node.args if a.keyword and a.keyword.value == "schema"),
                    schema,
                )
                facts = self._facts_of(function)
                found = self._dict_of(schema, facts, self._pos(node)) if schema else None
                if found is not None:
                    self._schema(found, change)

    def _read(self, key: cst.BaseExpression, change: Change) -> None:
        if key in self._edited or not isinstance(key, cst.SimpleString):
            return
        if change.kind == "response-field-renamed" and change.new_field:
            if self._act(key, change, change.field or "", change.new_field):
                self._rename_string(key, change.new_field)
        else:
            what = "is no longer returned" if change.kind.endswith("removed") else "changed type"
            self.unhealable.append(
                Unhealable(self.file, self._line(key), self._test(key),
                           f"reads {change.field}, which {what} by {change.method} {change.path}")
            )  # fmt: skip

    def _schema(self, schema: cst.Dict, change: Change) -> None:
        """Rename the field in a jsonschema dict: `properties` keys, `required` items, `items`."""
        if change.kind != "response-field-renamed" or not change.new_field:
            return
        for element in schema.elements:
            if not isinstance(element, cst.DictElement):
                continue
            key = _string_value(element.key)
            if key == "properties" and isinstance(element.value, cst.Dict):
                for prop in element.value.elements:
                    if (
                        isinstance(prop, cst.DictElement)
                        and _string_value(prop.key) == change.field
                    ):
                        self._read(prop.key, change)
            elif key == "required" and isinstance(element.value, cst.List):
                for item in element.value.elements:
                    if _string_value(item.value) == change.field:
                        self._read(item.value, change)
            elif key == "items" and isinstance(element.value, cst.Dict):
                self._schema(element.value, change)

    def _skip(self, function: cst.FunctionDef, change: Change) -> None:
        reason = SKIP_REASON.format(method=change.method, path=change.path)
        self.actions.append(
            Action(self.file, self._line(function), "endpoint-removed",
                   f"{change.method} {change.path}", f"skip: {reason}", 1.0, True)
        )  # fmt: skip
        self.unhealable.append(
            Unhealable(self.file, self._line(function), function.name.value, reason)
        )
        quoted = json.dumps(reason, ensure_ascii=False)
        marker = f"pytest.mark.skip(reason={quoted})"
        if any(marker in self.module.code_for_node(d.decorator) for d in function.decorators):
            return
        first = function.decorators[0] if function.decorators else function
        where = self.index.ranges[first].start
        line = self.text.line_start(where.line)
        indent = self.text.line_text(where.line)[: where.column]
        self.splices.append(Splice(line, line, f"{indent}@{marker}\n"))
        self._skipped = True

    def _import_pytest(self) -> None:
        """`import pytest` in alphabetical place among the module's leading plain imports."""
        line = 1
        for statement in self.module.body:
            small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
            where = self.index.ranges.get(statement)
            if where is None:
                break
            if isinstance(small, cst.Import):
                if self.module.code_for_node(small.names[0].name) > "pytest":
                    line = where.start.line
                    break
                line = where.end.line + 1
            elif isinstance(small, cst.Expr) and line == 1 and statement is self.module.body[0]:
                line = where.end.line + 1
            else:
                break
        at = self.text.line_start(line)
        self.splices.append(Splice(at, at, "import pytest\n"))


def _imports_pytest(module: cst.Module) -> bool:
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Import) and any(
                    isinstance(a.name, cst.Name) and a.name.value == "pytest" for a in small.names
                ):
                    return True
    return False


def heal_source(
    file: str,
    source: str,
    plan: FilePlan,
    parsed: tuple[cst.Module, Mapping[cst.CSTNode, CodeRange]] | None = None,
) -> tuple[str, list[Action], list[Unhealable]]:
    """The healed text of one module, with what was done and what could not be; `parsed`: the
    tree and positions the test map already made of `source` (parsed here when None)."""
    if parsed is None:
        try:
            module = cst.parse_module(source)
        except cst.ParserSyntaxError:
            return source, [], []
        ranges: Mapping[cst.CSTNode, CodeRange] = MetadataWrapper(
            module, unsafe_skip_copy=True
        ).resolve(PositionProvider)
    else:
        module, ranges = parsed
    text = Text(source)
    finder = _Finder(file, plan, module, NodeIndex.build(ranges), text)
    finder.run()
    return text.apply(finder.splices), finder.actions, finder.unhealable
