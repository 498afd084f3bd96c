"""The suite's Python files parsed once: each module's constants, functions, classes, imports
and fixtures, with node positions, and how one file's imports reach another."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import libcst as cst
import libcst.matchers as m
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

_FIXTURE = m.Decorator(
    decorator=m.Name("fixture")
    | m.Attribute(attr=m.Name("fixture"))
    | m.Call(func=m.Name("fixture") | m.Attribute(attr=m.Name("fixture")))
)


@dataclass
class ParsedModule:
    """One file: its tree, positions, and the names defined at module level."""

    path: str
    module: cst.Module
    positions: Mapping[cst.CSTNode, CodeRange]
    assigns: dict[str, cst.BaseExpression] = field(default_factory=dict)
    assign_lines: dict[str, int] = field(default_factory=dict)
    functions: dict[str, cst.FunctionDef] = field(default_factory=dict)
    classes: dict[str, cst.ClassDef] = field(default_factory=dict)
    fixtures: dict[str, cst.FunctionDef] = field(default_factory=dict)
    # local name → (module as written, with leading dots; imported name or None for a module)
    imports: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    # id(function) → its local bindings, filled by `_scope.local_bindings` (nodes live as long)
    local_tables: dict[int, dict[str, list[tuple[int, cst.BaseExpression | cst.FunctionDef]]]] = (
        field(default_factory=dict)
    )

    def line(self, node: cst.CSTNode) -> int:
        where = self.positions.get(node)
        return where.start.line if where is not None else 0


def _dotted(node: cst.BaseExpression | None) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


def fixture_name(function: cst.FunctionDef) -> str | None:
    """The fixture's name when `function` is a pytest fixture (`name=` wins), else None."""
    for decorator in function.decorators:
        if not m.matches(decorator, _FIXTURE):
            continue
        call = decorator.decorator
        if isinstance(call, cst.Call):
            for arg in call.args:
                if arg.keyword is not None and arg.keyword.value == "name":
                    value = arg.value
                    if isinstance(value, cst.SimpleString):
                        text = value.evaluated_value
                        return text if isinstance(text, str) else None
        return function.name.value
    return None


def _record_import(parsed: ParsedModule, node: cst.Import | cst.ImportFrom) -> None:
    if isinstance(node, cst.Import):
        for alias in node.names:
            full = _dotted(alias.name)
            local = alias.asname.name if alias.asname is not None else None
            if isinstance(local, cst.Name):
                parsed.imports[local.value] = (full, None)
            else:
                parsed.imports[full.split(".")[0]] = (full.split(".")[0], None)
        return
    base = "." * len(node.relative) + _dotted(node.module)
    if isinstance(node.names, cst.ImportStar):
        return
    for alias in node.names:
        name = _dotted(alias.name)
        asname = alias.asname.name if alias.asname is not None else None
        parsed.imports[asname.value if isinstance(asname, cst.Name) else name] = (base, name)


def _collect(parsed: ParsedModule, body: Sequence[cst.BaseStatement]) -> None:
    for statement in body:
        if isinstance(statement, cst.FunctionDef):
            parsed.functions[statement.name.value] = statement
            fixture = fixture_name(statement)
            if fixture is not None:
                parsed.fixtures[fixture] = statement
        elif isinstance(statement, cst.ClassDef):
            parsed.classes[statement.name.value] = statement
        elif isinstance(statement, cst.If | cst.Try):
            _collect(
                parsed,
                list(statement.body.body) if isinstance(statement.body, cst.IndentedBlock) else [],
            )
        elif isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Import | cst.ImportFrom):
                    _record_import(parsed, small)
                elif isinstance(small, cst.Assign) and len(small.targets) == 1:
                    target = small.targets[0].target
                    if isinstance(target, cst.Name):
                        parsed.assigns[target.value] = small.value
                        parsed.assign_lines[target.value] = parsed.line(small)
                elif (
                    isinstance(small, cst.AnnAssign)
                    and small.value is not None
                    and isinstance(small.target, cst.Name)
                ):
                    parsed.assigns[small.target.value] = small.value
                    parsed.assign_lines[small.target.value] = parsed.line(small)


def _positions(module: cst.Module) -> Mapping[cst.CSTNode, CodeRange]:
    """Every node's position. `MetadataWrapper.resolve` also walks the whole tree once more for
    batchable providers even when there are none (about as costly as the positions
    themselves), so the provider is run on its own when this libcst allows it."""
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    generate = getattr(PositionProvider(), "_gen", None)
    if generate is None:  # pragma: no cover - another libcst
        return wrapper.resolve(PositionProvider)
    found: Mapping[cst.CSTNode, CodeRange] = generate(wrapper)
    return found


def parse_module(path: str, text: str) -> ParsedModule | None:
    """`text` parsed (None when it is not valid Python: such a file tests nothing)."""
    try:
        module = cst.parse_module(text)
    except (cst.ParserSyntaxError, RecursionError, ValueError):
        return None
    positions = _positions(module)
    parsed = ParsedModule(path, module, positions)
    _collect(parsed, module.body)
    return parsed


class Suite:
    """Every Python file of the suite, parsed lazily and once, found by path or import."""

    def __init__(self, sources: Mapping[str, str]) -> None:
        self._sources = sources
        self._parsed: dict[str, ParsedModule | None] = {}
        self._by_suffix: dict[str, list[str]] = {}
        for path in sources:
            if path.endswith(".py"):
                stem = path.removesuffix(".py").removesuffix("/__init__")
                parts = stem.split("/")
                for i in range(len(parts)):
                    self._by_suffix.setdefault("/".join(parts[i:]), []).append(path)

    def get(self, path: str) -> ParsedModule | None:
        if path not in self._parsed:
            text = self._sources.get(path)
            self._parsed[path] = parse_module(path, text) if text is not None else None
        return self._parsed[path]

    def resolve_import(self, importer: str, module: str) -> ParsedModule | None:
        """The file `module` (as written in `importer`, maybe relative) names, if in the suite."""
        if module.startswith("."):
            dots = len(module) - len(module.lstrip("."))
            folder = posixpath.dirname(importer)
            for _ in range(dots - 1):
                folder = posixpath.dirname(folder)
            rest = module[dots:].replace(".", "/")
            stem = posixpath.normpath(posixpath.join(folder, rest)) if rest else folder
            for candidate in (f"{stem}.py", f"{stem}/__init__.py"):
                if candidate in self._sources:
                    return self.get(candidate)
            return None
        parts = module.split(".")
        found: list[str] = []
        while parts and not found:  # `tests.api.paths` from a suite keyed below `tests/`
            found = self._by_suffix.get("/".join(parts), [])
            parts = parts[1:]
        if not found:
            return None
        # the nearest to the importer: most leading folders in common
        here = importer.split("/")

        def shared(path: str) -> int:
            return len(posixpath.commonprefix([here, path.split("/")]))

        return self.get(max(sorted(found), key=shared))

    def conftests(self, path: str) -> list[ParsedModule]:
        """The conftest.py files that apply to `path`, nearest first."""
        found: list[ParsedModule] = []
        folder = posixpath.dirname(path)
        seen: set[str] = set()
        while True:
            candidate = posixpath.normpath(posixpath.join(folder, "conftest.py"))
            if candidate not in seen and candidate != path:
                seen.add(candidate)
                parsed = self.get(candidate) if candidate in self._sources else None
                if parsed is not None:
                    found.append(parsed)
            if folder in ("", ".", "/") or folder.endswith(".."):
                break
            folder = posixpath.dirname(folder)
        if "conftest.py" in self._sources and "conftest.py" not in seen and path != "conftest.py":
            parsed = self.get("conftest.py")
            if parsed is not None:
                found.append(parsed)
        return found
