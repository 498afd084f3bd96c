"""JavaScript module edges: reading imports/exports from a tree, resolving specifiers to files."""

from __future__ import annotations

import posixpath
from collections.abc import Collection
from typing import Any

from tree_sitter import Node

from bot.scan.javascript.values import property_key, string_value, unwrap
from bot.scan.treesitter import field, text

# An import binding: {"source": "./routes/users", "name": "default" | "*" | exported name}.
Binding = dict[str, str]
_EXTENSIONS = (".ts", ".tsx", ".js", ".mjs", ".cjs", ".jsx", ".mts", ".cts")


def require_source(node: Node) -> str | None:
    """`require('x')` or `import('x')` → 'x'."""
    node = unwrap(node)
    if node.type != "call_expression":
        return None
    callee = field(node, "function")
    if callee is None or not (text(callee) == "require" or callee.type == "import"):
        return None
    args = field(node, "arguments")
    if args is None or not args.named_children or args.named_children[0].type != "string":
        return None
    return string_value(args.named_children[0])


def import_statement(node: Node) -> dict[str, Binding]:
    """Local names bound by one `import … from '…'` statement."""
    source_node = field(node, "source")
    if source_node is None:
        return {}
    source = string_value(source_node)
    out: dict[str, Binding] = {}
    for clause in node.named_children:
        if clause.type != "import_clause":
            continue
        for part in clause.named_children:
            if part.type == "identifier":
                out[text(part)] = {"source": source, "name": "default"}
            elif part.type == "namespace_import" and part.named_children:
                out[text(part.named_children[-1])] = {"source": source, "name": "*"}
            elif part.type == "named_imports":
                for spec in part.named_children:
                    if spec.type != "import_specifier":
                        continue
                    name, alias = field(spec, "name"), field(spec, "alias")
                    out[text(alias or name)] = {"source": source, "name": text(name)}
    return out


def require_pattern(pattern: Node, source: str) -> dict[str, Binding]:
    """`const x = require(s)` / `const { a, b: c } = require(s)` bindings."""
    if pattern.type == "identifier":
        return {text(pattern): {"source": source, "name": "default"}}
    out: dict[str, Binding] = {}
    if pattern.type == "object_pattern":
        for child in pattern.named_children:
            if child.type == "shorthand_property_identifier_pattern":
                out[text(child)] = {"source": source, "name": text(child)}
            elif child.type == "pair_pattern":
                key, value = property_key(field(child, "key")), field(child, "value")
                if key is not None and value is not None and value.type == "identifier":
                    out[text(value)] = {"source": source, "name": key}
    return out


def export_clause(node: Node, source: str | None) -> dict[str, Any]:
    """`export { a, b as c } [from '…']` → exported name → {"local"} or {"source", "name"}."""
    out: dict[str, Any] = {}
    for clause in node.named_children:
        if clause.type != "export_clause":
            continue
        for spec in clause.named_children:
            name, alias = field(spec, "name"), field(spec, "alias")
            if name is None:
                continue
            exported = text(alias or name)
            if source is None:
                out[exported] = {"local": text(name)}
            else:
                out[exported] = {"source": source, "name": text(name)}
    return out


def resolve_module(importer: str, specifier: str, files: Collection[str]) -> str | None:
    """The scanned file a relative specifier names: exact, with an extension, or `index.*`."""
    if not specifier.startswith("."):
        return None
    base = posixpath.normpath(posixpath.join(posixpath.dirname(importer), specifier))
    stem, ext = posixpath.splitext(base)
    candidates = [base]
    if ext in {".js", ".mjs", ".cjs", ".jsx"}:
        # TypeScript sources import their compiled name: './users.js' is './users.ts'.
        candidates += [stem + alt for alt in _EXTENSIONS]
    candidates += [base + alt for alt in _EXTENSIONS]
    candidates += [posixpath.join(base, "index" + alt) for alt in _EXTENSIONS]
    return next((candidate for candidate in candidates if candidate in files), None)
