"""Static evaluation of JavaScript/TypeScript literals: strings as path parts, objects as JSON."""

from __future__ import annotations

from typing import Any

from tree_sitter import Node

from bot.scan.treesitter import field, line_of, text

# A path part: a literal string, or a dict naming what is still to resolve in `link`:
# {"ref": local, "member": name | None} (an imported constant), {"env": NAME} (an environment
# variable), {"opt": key} (the plugin's options, given where it is registered),
# {"unknown": source text}. Every dict part carries "line".
Part = str | dict[str, Any]
UNKNOWN: Any = object()

_WRAPPERS = {
    "parenthesized_expression",
    "as_expression",
    "satisfies_expression",
    "non_null_expression",
    "await_expression",
}


def unwrap(node: Node) -> Node:
    while node.type in _WRAPPERS and node.named_child_count:
        node = node.named_children[0]
    return node


def string_value(node: Node) -> str:
    """The value of a `string` node (quotes dropped, simple escapes decoded)."""
    out: list[str] = []
    for child in node.named_children:
        if child.type == "escape_sequence":
            raw = text(child)
            try:
                out.append(raw.encode("ascii").decode("unicode_escape"))
            except (UnicodeDecodeError, UnicodeEncodeError):
                out.append(raw[1:])
        else:
            out.append(text(child))
    return "".join(out)


class Values:
    """Evaluates expressions of one file against its top-level constants and imports."""

    def __init__(self, consts: dict[str, Node], imported: set[str]) -> None:
        self.consts = consts
        self.imported = imported
        self._active: set[str] = set()
        # names bound by a loop over an array (see `loops`): name → (array key, field)
        self.loop_vars: dict[str, tuple[dict[str, Any], str | None]] = {}
        # config objects filled from the environment (`env-schema`): `config.NAME` is `$NAME`
        self.env_objects: set[str] = set()
        # the options parameter of the plugin function being read: `opts.prefix` (see `env`)
        self.option_params: set[str] = set()

    def parts(self, node: Node) -> list[Part] | None:
        """Path parts of a string-valued expression, or None when it is not string-like."""
        node = unwrap(node)
        kind = node.type
        if kind == "string":
            return [string_value(node)]
        if kind == "template_string":
            out: list[Part] = []
            for child in node.named_children:
                if child.type == "template_substitution" and child.named_child_count:
                    out.extend(self.parts(child.named_children[0]) or [self._unknown(child)])
                elif child.type == "escape_sequence":
                    out.append(string_value_of_escape(child))
                else:
                    out.append(text(child))
            return out
        if kind == "binary_expression":
            return self._binary(node)
        if kind == "identifier":
            return self._identifier(node)
        if kind == "member_expression":
            return self._member(node)
        return None

    def _binary(self, node: Node) -> list[Part] | None:
        operator = text(field(node, "operator"))
        left, right = field(node, "left"), field(node, "right")
        if left is None or right is None:
            return None
        if operator == "+":
            head, tail = self.parts(left), self.parts(right)
            if head is None or tail is None:
                return None
            return head + tail
        if operator in {"??", "||"}:
            # `process.env.X ?? 'api'`: statically, the default is what the code resolves to.
            head = self.parts(left)
            if head is not None and all(isinstance(part, str) for part in head):
                return head
            return self.parts(right)
        return None

    def _identifier(self, node: Node, name: str | None = None) -> list[Part] | None:
        name = name or text(node)
        if name in self.loop_vars:
            key, element_field = self.loop_vars[name]
            return [{"each": key, "field": element_field, "line": line_of(node)}]
        if name in self.consts and name not in self._active:
            self._active.add(name)
            try:
                return self.parts(self.consts[name])
            finally:
                self._active.discard(name)
        if name in self.imported:
            return [{"ref": name, "member": None, "line": line_of(node)}]
        return [self._unknown(node)]

    def _member(self, node: Node) -> list[Part] | None:
        obj, prop = field(node, "object"), text(field(node, "property"))
        if obj is None:
            return None
        if text(obj) == "process.env" or text(obj) in self.env_objects:
            return [{"env": prop, "line": line_of(node)}]
        config = obj.type == "member_expression" and text(field(obj, "property")) == "config"
        if config and prop.isupper():  # `fastify.config.API_PREFIX`, decorated by `@fastify/env`
            return [{"env": prop, "line": line_of(node)}]
        if obj.type == "identifier" and text(obj) in self.option_params:
            return [{"opt": prop, "line": line_of(node)}]
        if obj.type == "this":  # a class field, `path = '/users'` (see `extract._class`)
            return self._identifier(node, f"this.{prop}")
        if obj.type == "identifier" and self.loop_vars.get(text(obj), ({}, ""))[1] is None:
            key = self.loop_vars[text(obj)][0]
            return [{"each": key, "field": prop, "line": line_of(node)}]
        if obj.type == "identifier":
            name = text(obj)
            target = self.consts.get(name)
            if target is not None and unwrap(target).type == "object":
                value = self.literal(target)
                if isinstance(value, dict) and isinstance(value.get(prop), str):
                    return [value[prop]]
            if name in self.imported:
                return [{"ref": name, "member": prop, "line": line_of(node)}]
        return [self._unknown(node)]

    def _unknown(self, node: Node) -> dict[str, Any]:
        return {"unknown": text(node)[:80], "line": line_of(node)}

    def string(self, node: Node) -> str | None:
        """A fully static string value, or None."""
        parts = self.parts(node)
        if parts is None or not all(isinstance(part, str) for part in parts):
            return None
        return "".join(str(part) for part in parts)

    def literal(self, node: Node, depth: int = 0) -> Any:
        """The JSON value of a literal expression (objects, arrays, scalars), else UNKNOWN."""
        node = unwrap(node)
        kind = node.type
        if depth > 12:
            return UNKNOWN
        if kind in {"string", "template_string"}:
            value = self.string(node)
            return UNKNOWN if value is None else value
        if kind == "number":
            return _number(text(node))
        if kind in {"true", "false"}:
            return kind == "true"
        if kind in {"null", "undefined"}:
            return None
        if kind == "array":
            items = [self.literal(child, depth + 1) for child in node.named_children]
            return [item for item in items if item is not UNKNOWN]
        if kind == "object":
            return self._object(node, depth)
        if kind in {"identifier", "shorthand_property_identifier"}:
            name = text(node)
            if name in self.consts and name not in self._active:
                self._active.add(name)
                try:
                    return self.literal(self.consts[name], depth + 1)
                finally:
                    self._active.discard(name)
        return UNKNOWN

    def _object(self, node: Node, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for child in node.named_children:
            if child.type == "pair":
                key = property_key(field(child, "key"))
                value_node = field(child, "value")
                if key is None or value_node is None:
                    continue
                value = self.literal(value_node, depth + 1)
                if value is not UNKNOWN:
                    out[key] = value
            elif child.type == "shorthand_property_identifier":
                value = self.literal(child, depth + 1) if text(child) in self.consts else UNKNOWN
                if value is not UNKNOWN:
                    out[text(child)] = value
            elif child.type == "spread_element" and child.named_child_count:
                spread = self.literal(child.named_children[0], depth + 1)
                if isinstance(spread, dict):
                    out.update(spread)
        return out


def object_pairs(node: Node) -> dict[str, Node]:
    """Keys of an object literal mapped to their value nodes (shorthand maps to the name)."""
    out: dict[str, Node] = {}
    for child in unwrap(node).named_children:
        if child.type == "pair":
            key, value = property_key(field(child, "key")), field(child, "value")
            if key is not None and value is not None:
                out[key] = value
        elif child.type == "shorthand_property_identifier":
            out[text(child)] = child
        elif child.type == "method_definition":
            key = property_key(field(child, "name"))
            if key is not None:
                out[key] = child
    return out


def property_key(node: Node | None) -> str | None:
    if node is None:
        return None
    if node.type == "string":
        return string_value(node)
    if node.type in {"property_identifier", "number", "identifier"}:
        return text(node)
    return None


def string_value_of_escape(node: Node) -> str:
    raw = text(node)
    try:
        return raw.encode("ascii").decode("unicode_escape")
    except (UnicodeDecodeError, UnicodeEncodeError):
        return raw[1:]


def _number(raw: str) -> Any:
    try:
        return int(raw)
    except ValueError:
        try:
            return float(raw)
        except ValueError:
            return UNKNOWN
