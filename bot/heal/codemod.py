"""The libcst codemod that heals one test module: every edit at a known node, every other byte kept.

It is told what to do by position (from the test→endpoint map): string pieces of URLs to move,
calls whose endpoint changed. From each call it follows, inside the calling function, the
request body it sends (a literal dict or a dict held in a variable) and the places that read
its response (`body["x"]`, `.get("x")`, a jsonschema dict given to `validate`); a field renamed
in the response is renamed only there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, ParentNodeProvider, PositionProvider

from bot.generate._source import literal
from bot.generate.values import ValueBuilder
from bot.heal._paths import Move, rewrite_naming, rewrite_piece
from bot.heal._reads import FunctionReads, Pos, Tracker, collect
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


def _with_text(node: cst.SimpleString, text: str) -> cst.SimpleString:
    quote = node.quote
    return node.with_changes(value=f"{node.prefix}{quote}{text}{quote}")


class _Finder(cst.CSTVisitor):
    """Pass one: decide every edit (node → replacement) without changing anything."""

    METADATA_DEPENDENCIES = (PositionProvider, ParentNodeProvider)

    def __init__(self, file: str, plan: FilePlan) -> None:
        self.file = file
        self.plan = plan
        self.strings: dict[cst.CSTNode, str] = {}  # SimpleString → new text
        self.texts: dict[cst.FormattedStringText, str] = {}
        self.dicts: dict[cst.Dict, list[tuple[str, str | None, Any]]] = {}  # renames/additions
        self.methods: dict[cst.Call, str] = {}
        self.keywords: dict[cst.Arg, str] = {}
        self.skips: dict[cst.FunctionDef, Change] = {}
        self.actions: list[Action] = []
        self.unhealable: list[Unhealable] = []
        self.module_values: dict[str, cst.BaseExpression] = {}
        self._facts: dict[cst.FunctionDef, FunctionReads] = {}
        self._positions: dict[cst.CSTNode, CodeRange] = {}

    # --- helpers ---------------------------------------------------------------------------
    def _pos(self, node: cst.CSTNode) -> Pos:
        start = self.get_metadata(PositionProvider, node).start
        return start.line, start.column

    def _line(self, node: cst.CSTNode) -> int:
        return self._pos(node)[0]

    def _act(self, node: cst.CSTNode, change: Change, old: str, new: str, rule: str = "") -> bool:
        self.actions.append(
            Action(self.file, self._line(node), rule or change.kind, old, new,
                   change.confidence, change.applies)
        )  # fmt: skip
        return change.applies

    def _function(self, node: cst.CSTNode) -> cst.FunctionDef | None:
        current: cst.CSTNode | None = node
        while current is not None:
            current = self.get_metadata(ParentNodeProvider, current, None)
            if isinstance(current, cst.FunctionDef):
                return current
        return None

    def _test(self, node: cst.CSTNode) -> str:
        function = self._function(node)
        return function.name.value if function is not None else ""

    def _facts_of(self, function: cst.FunctionDef) -> FunctionReads:
        if function not in self._facts:
            self._facts[function] = collect(function, self._positions)
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

    # --- pass -----------------------------------------------------------------------------
    def visit_Module(self, node: cst.Module) -> None:
        for statement in node.body:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if isinstance(small, cst.Assign) and len(small.targets) == 1:
                        target = small.targets[0].target
                        if isinstance(target, cst.Name):
                            self.module_values[target.value] = small.value

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        edit = self.plan.pieces.get(self._pos(node))
        if edit is not None:
            text = node.value[len(node.prefix) + len(node.quote) : -len(node.quote)]
            new = rewrite_piece(text, list(edit.replacements))
            if new != text and self._act(node, edit.change, text, new):
                self.strings[node] = new
                self._format_keywords(node, edit)
            return
        if self.plan.naming and self._is_allure_naming(node):
            text = node.value[len(node.prefix) + len(node.quote) : -len(node.quote)]
            applied = [(m, c) for m, c in self.plan.naming if c.applies]
            new = rewrite_naming(text, [m for m, _ in applied])
            if new != text:
                change = applied[0][1]
                self._act(node, change, text, new, rule=f"{self._naming_kind(node)}-renamed")
                self.strings[node] = new

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        edit = self.plan.pieces.get(self._pos(node))
        if edit is None:
            return
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                new = rewrite_piece(part.value, list(edit.replacements))
                if new != part.value and self._act(part, edit.change, part.value, new):
                    self.texts[part] = new

    def _format_keywords(self, node: cst.SimpleString, edit: PieceEdit) -> None:
        """`"/pets/{petId}".format(petId=…)`: the keyword follows its renamed field."""
        attribute = self.get_metadata(ParentNodeProvider, node, None)
        call = self.get_metadata(ParentNodeProvider, attribute, None) if attribute else None
        if not (isinstance(attribute, cst.Attribute) and attribute.attr.value == "format"):
            return
        if not isinstance(call, cst.Call):
            return
        renames = {
            old.strip("/{}"): new.strip("/{}")
            for old, new in edit.replacements
            if old.startswith("/{") and new.startswith("/{")
        }
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value in renames:
                self.keywords[arg] = renames[arg.keyword.value]

    def _naming_kind(self, node: cst.SimpleString) -> str:
        call = self.get_metadata(ParentNodeProvider, self.get_metadata(ParentNodeProvider, node))
        func = call.func if isinstance(call, cst.Call) else None
        return func.attr.value if isinstance(func, cst.Attribute) else "allure"

    def _is_allure_naming(self, node: cst.SimpleString) -> bool:
        parent = self.get_metadata(ParentNodeProvider, node, None)
        call = self.get_metadata(ParentNodeProvider, parent, None) if parent else None
        if not isinstance(parent, cst.Arg) or not isinstance(call, cst.Call):
            return False
        func = call.func
        return (
            isinstance(func, cst.Attribute)
            and func.attr.value in ALLURE_NAMING
            and "allure" in cst.Module([]).code_for_node(func.value)
        )

    def visit_Call(self, node: cst.Call) -> None:
        edit = self.plan.calls.get(self._pos(node))
        if edit is None or not _is_request(node, edit.method):
            return
        function = self._function(node)
        facts = self._facts_of(function) if function is not None else None
        at = self._pos(node)
        tracker = Tracker(node, facts or FunctionReads(), edit.array)
        for change in edit.changes:
            if change.kind == "method-changed" and change.new_method:
                self._method(node, change)
            elif change.kind.startswith("request-field"):
                body = next((a.value for a in node.args if a.keyword and a.keyword.value in BODY_KEYWORDS), None)
                found = self._dict_of(body, facts, at) if body is not None else None
                if found is not None:
                    self._request_field(found, change)
            elif change.kind.startswith("response-field") and function is not None:
                self._response_reads(function, tracker, change)

    def _method(self, node: cst.Call, change: Change) -> None:
        func = node.func
        new = (change.new_method or "").lower()
        if isinstance(func, cst.Attribute) and func.attr.value == change.method.lower():
            if self._act(node, change, change.method, change.new_method or ""):
                self.methods[node] = new

    def _request_field(self, found: cst.Dict, change: Change) -> None:
        keys = {
            _string_value(e.key): e for e in found.elements if isinstance(e, cst.DictElement)
        }
        if change.kind == "request-field-renamed" and change.field in keys and change.new_field:
            element = keys[change.field]
            if self._act(element, change, change.field, change.new_field):
                self.strings[element.key] = change.new_field
        elif change.kind == "request-field-added" and change.field not in keys and change.field:
            builder = ValueBuilder(self.plan.components)
            value = builder.build(change.schema or {}, where=change.field)
            if builder.gaps:
                self.unhealable.append(
                    Unhealable(self.file, self._line(found), self._test(found),
                               f"no value fits the new required field {change.field}")
                )  # fmt: skip
                return
            if self._act(found, change, "", f"{change.field}={literal(value)}"):
                self.dicts.setdefault(found, []).append((change.field, None, value))
        elif change.kind == "request-field-removed" and change.field in keys:
            element = keys[change.field]
            self.unhealable.append(
                Unhealable(self.file, self._line(element), self._test(element),
                           f"sends {change.field}, which {change.method} {change.path} no "
                           "longer declares")
            )  # fmt: skip

    def _response_reads(self, function: cst.FunctionDef, tracker: Tracker, change: Change) -> None:
        finder = self

        class Reads(cst.CSTVisitor):
            def visit_Subscript(self, node: cst.Subscript) -> None:
                if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
                    return
                key = node.slice[0].slice.value
                if _string_value(key) == change.field and tracker.is_record(node.value):
                    finder._read(key, change)

            def visit_Call(self, node: cst.Call) -> None:
                func = node.func
                if (
                    isinstance(func, cst.Attribute)
                    and func.attr.value == "get"
                    and node.args
                    and _string_value(node.args[0].value) == change.field
                    and tracker.is_record(func.value)
                ):
                    finder._read(node.args[0].value, change)
                name = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", "")
                if name == "validate" and node.args and tracker.is_body(node.args[0].value):
                    schema = next((a.value for a in node.args[1:2]), None)
                    schema = next((a.value for a in node.args if a.keyword and a.keyword.value == "schema"), schema)
                    facts = finder._facts_of(function)
                    found = finder._dict_of(schema, facts, finder._pos(node)) if schema else None
                    if found is not None:
                        finder._schema(found, change)

        function.visit(Reads())

    def _read(self, key: cst.BaseExpression, change: Change) -> None:
        if change.kind == "response-field-renamed" and change.new_field:
            if self._act(key, change, change.field or "", change.new_field):
                self.strings[key] = change.new_field
        elif key not in {u for u in self.strings}:
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
                    if isinstance(prop, cst.DictElement) and _string_value(prop.key) == change.field:
                        if self._act(prop.key, change, change.field or "", change.new_field):
                            self.strings[prop.key] = change.new_field
            elif key == "required" and isinstance(element.value, cst.List):
                for item in element.value.elements:
                    if _string_value(item.value) == change.field:
                        if self._act(item.value, change, change.field or "", change.new_field):
                            self.strings[item.value] = change.new_field
            elif key == "items" and isinstance(element.value, cst.Dict):
                self._schema(element.value, change)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        change = self.plan.skips.get(node.name.value)
        if change is not None and node not in self.skips:
            reason = SKIP_REASON.format(method=change.method, path=change.path)
            self.actions.append(
                Action(self.file, self._line(node), "endpoint-removed",
                       f"{change.method} {change.path}", f"skip: {reason}", 1.0, True)
            )  # fmt: skip
            self.unhealable.append(Unhealable(self.file, self._line(node), node.name.value, reason))
            self.skips[node] = change


class _Rewriter(cst.CSTTransformer):
    """Pass two: apply what the finder decided."""

    def __init__(self, finder: _Finder) -> None:
        self.finder = finder

    def leave_SimpleString(
        self, original_node: cst.SimpleString, updated_node: cst.SimpleString
    ) -> cst.BaseExpression:
        text = self.finder.strings.get(original_node)
        return _with_text(updated_node, text) if text is not None else updated_node

    def leave_FormattedStringText(
        self, original_node: cst.FormattedStringText, updated_node: cst.FormattedStringText
    ) -> cst.FormattedStringText:
        text = self.finder.texts.get(original_node)
        return updated_node.with_changes(value=text) if text is not None else updated_node

    def leave_Arg(self, original_node: cst.Arg, updated_node: cst.Arg) -> cst.Arg:
        name = self.finder.keywords.get(original_node)
        if name is not None and updated_node.keyword is not None:
            return updated_node.with_changes(keyword=cst.Name(name))
        return updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        method = self.finder.methods.get(original_node)
        if method is not None and isinstance(updated_node.func, cst.Attribute):
            func = updated_node.func.with_changes(attr=cst.Name(method))
            return updated_node.with_changes(func=func)
        return updated_node

    def leave_Dict(self, original_node: cst.Dict, updated_node: cst.Dict) -> cst.Dict:
        added = self.finder.dicts.get(original_node)
        if not added:
            return updated_node
        return _appended(updated_node, [(name, value) for name, _, value in added])

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        change = self.finder.skips.get(original_node)
        if change is None:
            return updated_node
        reason = SKIP_REASON.format(method=change.method, path=change.path)
        quoted = '"' + reason.replace("\\", "\\\\").replace('"', '\\"') + '"'
        marker = cst.Decorator(cst.parse_expression(f"pytest.mark.skip(reason={quoted})"))
        if any(d.deep_equals(marker) for d in updated_node.decorators):
            return updated_node
        return updated_node.with_changes(decorators=[marker, *updated_node.decorators])

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if not self.finder.skips or _imports_pytest(updated_node):
            return updated_node
        return _with_import(updated_node)


def _appended(node: cst.Dict, added: Sequence[tuple[str, Any]]) -> cst.Dict:
    """`node` with `"name": value` elements added last, spaced like the elements already there."""
    elements = list(node.elements)
    last = elements[-1] if elements else None
    for name, value in added:
        element = cst.DictElement(
            cst.SimpleString(repr(name).replace("'", '"') if '"' not in name else repr(name)),
            cst.parse_expression(literal(value)),
        )
        if isinstance(last, cst.DictElement):
            element = element.with_changes(
                whitespace_before_colon=last.whitespace_before_colon,
                whitespace_after_colon=last.whitespace_after_colon,
            )
        if last is not None:
            previous = elements[-2] if len(elements) > 1 else None
            between = previous.comma if previous is not None else cst.MaybeSentinel.DEFAULT
            if not isinstance(between, cst.Comma):
                between = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
            element = element.with_changes(comma=last.comma)
            elements[-1] = last.with_changes(comma=between)
        elements.append(element)
        last = element
    return node.with_changes(elements=elements)


def _imports_pytest(module: cst.Module) -> bool:
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Import) and any(
                    isinstance(a.name, cst.Name) and a.name.value == "pytest" for a in small.names
                ):
                    return True
    return False


def _with_import(module: cst.Module) -> cst.Module:
    """`import pytest` in alphabetical place among the module's leading plain imports (after
    the docstring when there are none)."""
    body = list(module.body)
    index = 0
    for position, statement in enumerate(body):
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
        if isinstance(small, cst.Import):
            if cst.Module([]).code_for_node(small.names[0].name) > "pytest":
                break
            index = position + 1
        elif isinstance(small, cst.ImportFrom | cst.Expr) and position == index:
            index = position + 1 if isinstance(small, cst.Expr) else index
            if isinstance(small, cst.ImportFrom):
                break
        else:
            break
    statement = cst.parse_statement("import pytest\n")
    following = body[index] if index < len(body) else None
    inside = isinstance(following, cst.SimpleStatementLine) and isinstance(
        following.body[0], cst.Import
    )
    if following is not None and inside and following.leading_lines:
        statement = statement.with_changes(leading_lines=body[index].leading_lines)
        body[index] = body[index].with_changes(leading_lines=())
    body.insert(index, statement)
    return module.with_changes(body=body)


def heal_source(file: str, source: str, plan: FilePlan) -> tuple[str, list[Action], list[Unhealable]]:
    """The healed text of one module, with what was done and what could not be."""
    module = cst.parse_module(source)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    finder = _Finder(file, plan)
    finder._positions = dict(wrapper.resolve(PositionProvider))
    wrapper.visit(finder)
    if not (finder.strings or finder.texts or finder.dicts or finder.methods or finder.skips or finder.keywords):
        return source, finder.actions, finder.unhealable
    healed = wrapper.module.visit(_Rewriter(finder))
    return healed.code, finder.actions, finder.unhealable
