"""Facts of one Java file: package, imports, and each type's annotations, constants and members."""

from __future__ import annotations

from typing import Any

from tree_sitter import Node

from bot.scan.treesitter import field, line_of, text, walk

_TYPES = {
    "class_declaration",
    "interface_declaration",
    "record_declaration",
    "enum_declaration",
    "annotation_type_declaration",
}


def expr(node: Node | None) -> Any:
    """A JSON form of an annotation/constant expression, resolved later in `link`."""
    if node is None:
        return None
    kind = node.type
    if kind == "string_literal":
        return {
            "s": "".join(
                text(c)
                for c in node.named_children
                if c.type in {"string_fragment", "escape_sequence", "multiline_string_fragment"}
            )
        }
    if kind in {"decimal_integer_literal", "hex_integer_literal"}:
        try:
            return {"n": int(text(node).rstrip("lL"), 0)}
        except ValueError:
            return {"raw": text(node)}
    if kind in {"true", "false"}:
        return {"b": kind == "true"}
    if kind in {"identifier", "field_access", "scoped_identifier"}:
        return {"ref": text(node)}
    if kind == "binary_expression" and text(field(node, "operator")) == "+":
        return {"cat": [expr(field(node, "left")), expr(field(node, "right"))]}
    if kind in {"element_value_array_initializer", "array_initializer"}:
        return {"arr": [expr(child) for child in node.named_children if child.type != "comment"]}
    if kind == "parenthesized_expression" and node.named_children:
        return expr(node.named_children[0])
    if kind in {"annotation", "marker_annotation"}:
        return {"ann": annotation(node)}
    if kind == "class_literal" and node.named_children:
        return {"ref": text(node.named_children[0])}
    return {"raw": text(node)[:200]}


def annotation(node: Node) -> dict[str, Any]:
    name = text(field(node, "name")).rsplit(".", 1)[-1]
    args: dict[str, Any] = {}
    arguments = field(node, "arguments")
    for child in arguments.named_children if arguments is not None else []:
        if child.type == "element_value_pair":
            args[text(field(child, "key"))] = expr(field(child, "value"))
        elif child.type != "comment":
            args["value"] = expr(child)
    return {"name": name, "args": args}


def annotations_of(node: Node) -> list[dict[str, Any]]:
    modifiers = next((c for c in node.named_children if c.type == "modifiers"), None)
    if modifiers is None:
        return []
    return [
        annotation(c)
        for c in modifiers.named_children
        if c.type in {"annotation", "marker_annotation"}
    ]


def type_desc(node: Node | None) -> dict[str, Any]:
    """`List<Map<String, Dto>>` → {"name": "List", "args": [...]}; arrays as name "[]"."""
    if node is None:
        return {}
    kind = node.type
    if kind == "array_type":
        return {"name": "[]", "args": [type_desc(field(node, "element"))]}
    if kind == "generic_type":
        base = next((c for c in node.named_children if c.type != "type_arguments"), None)
        args = next((c for c in node.named_children if c.type == "type_arguments"), None)
        return {
            "name": text(base).rsplit(".", 1)[-1],
            "args": [type_desc(a) for a in args.named_children] if args is not None else [],
        }
    if kind == "scoped_type_identifier":
        return {"name": text(node).rsplit(".", 1)[-1]}
    return {"name": text(node)}


def _modifier_words(node: Node) -> set[str]:
    modifiers = next((c for c in node.named_children if c.type == "modifiers"), None)
    return {c.type for c in modifiers.children} if modifiers is not None else set()


def _constant_return(method: Node) -> Any:
    """What a method whose body is one `return` gives: a constant expression, or the string of
    a one-argument factory (`GroupVersion.parseAPIVersion("a.b/v1")` stands for "a.b/v1")."""
    body = field(method, "body")
    statements = [c for c in body.named_children if c.type != "comment"] if body else []
    if len(statements) != 1 or statements[0].type != "return_statement":
        return None
    value = statements[0].named_children[0] if statements[0].named_children else None
    if value is not None and value.type == "method_invocation":
        arguments = field(value, "arguments")
        args = [c for c in arguments.named_children if c.type != "comment"] if arguments else []
        constant = {"string_literal", "identifier", "field_access"}
        value = args[0] if len(args) == 1 and args[0].type in constant else None
    if value is None or value.type not in {"string_literal", "identifier", "field_access"}:
        return None
    return expr(value)


def _params(node: Node | None) -> list[dict[str, Any]]:
    out = []
    for param in node.named_children if node is not None else []:
        if param.type in {"formal_parameter", "spread_parameter"}:
            out.append(
                {
                    "name": text(field(param, "name")),
                    "type": type_desc(field(param, "type")),
                    "annotations": annotations_of(param),
                }
            )
    return out


def _supertypes(node: Node) -> tuple[list[str], list[str]]:
    extends: list[str] = []
    implements: list[str] = []
    for child in node.named_children:
        target = (
            extends
            if child.type in {"superclass", "extends_interfaces"}
            else implements
            if child.type == "super_interfaces"
            else None
        )
        if target is None:
            continue
        for t in walk(child):
            if (
                t.type in {"type_identifier", "scoped_type_identifier"}
                and (t.parent is None or t.parent.type != "scoped_type_identifier")
                and not _inside_type_args(t, child)
            ):
                target.append(text(t).rsplit(".", 1)[-1])
    return extends, implements


def _inside_type_args(node: Node, stop: Node) -> bool:
    current = node.parent
    while current is not None and current != stop:
        if current.type == "type_arguments":
            return True
        current = current.parent
    return False


def type_facts(node: Node, interface: bool) -> dict[str, Any]:
    extends, implements = _supertypes(node)
    info: dict[str, Any] = {
        "kind": node.type.removesuffix("_declaration"),
        "line": line_of(node),
        "abstract": "abstract" in _modifier_words(node),
        "annotations": annotations_of(node),
        "extends": extends,
        "implements": implements,
        "constants": {},
        "fields": [],
        "methods": [],
        "enum_values": [],
    }
    if node.type == "record_declaration":
        info["fields"] = _params(field(node, "parameters"))
    body = field(node, "body")
    for member in body.named_children if body is not None else []:
        if member.type in {"field_declaration", "constant_declaration"}:
            words = _modifier_words(member)
            constant = (
                member.type == "constant_declaration" or interface or {"static", "final"} <= words
            )
            for declarator in member.children_by_field_name("declarator"):
                name = text(field(declarator, "name"))
                if constant:
                    info["constants"][name] = expr(field(declarator, "value"))
                elif "static" not in words:
                    info["fields"].append(
                        {
                            "name": name,
                            "type": type_desc(field(member, "type")),
                            "annotations": annotations_of(member),
                        }
                    )
        elif member.type == "method_declaration":
            method = {
                "name": text(field(member, "name")),
                "line": line_of(member),
                "annotations": annotations_of(member),
                "params": _params(field(member, "parameters")),
                "returns": type_desc(field(member, "type")),
                "default": "default" in _modifier_words(member),
            }
            returned = _constant_return(member) if not method["params"] else None
            if returned is not None:
                method["value"] = returned
            elif not method["params"]:
                method["value"] = {"raw": text(field(member, "name")) + "()"}  # not known
            info["methods"].append(method)
        elif member.type == "enum_constant":
            info["enum_values"].append(text(field(member, "name")))
    if node.type == "enum_declaration" and body is not None:
        info["enum_values"] = [
            text(field(c, "name")) for c in body.named_children if c.type == "enum_constant"
        ]
    return info


def extract_java(root: Node) -> dict[str, Any]:
    package = ""
    imports: dict[str, str] = {}
    static_imports: dict[str, str] = {}
    wildcards: list[str] = []
    types: dict[str, Any] = {}
    for node in walk(root):
        if node.type == "package_declaration" and node.named_children:
            package = text(node.named_children[0])
        elif node.type == "import_declaration":
            target = next(
                (c for c in node.named_children if c.type in {"scoped_identifier", "identifier"}),
                None,
            )
            name = text(target)
            static = any(c.type == "static" for c in node.children)
            if any(c.type == "asterisk" for c in node.named_children):
                wildcards.append(name)
            elif static:
                static_imports[name.rsplit(".", 1)[-1]] = name
            else:
                imports[name.rsplit(".", 1)[-1]] = name
        elif node.type in _TYPES:
            name = text(field(node, "name"))
            types.setdefault(name, type_facts(node, node.type == "interface_declaration"))
    return {
        "package": package,
        "imports": imports,
        "static_imports": static_imports,
        "wildcards": wildcards,
        "types": types,
    }
