"""Reading string literals statically: plain strings, concatenations, f-string prefixes."""

from __future__ import annotations

import libcst as cst

StringNode = cst.SimpleString | cst.ConcatenatedString | cst.FormattedString


def literal_text(node: cst.CSTNode | None) -> str | None:
    """The value of a plain (non-f, non-bytes) string literal, else None."""
    if type(node) is cst.SimpleString:
        assert isinstance(node, cst.SimpleString)
        prefix = node.prefix.lower()
        if "b" in prefix:
            return None
        quote = node.quote
        raw = node.value[len(prefix) + len(quote) : -len(quote)]
        if "\\" not in raw or "r" in prefix:
            return raw  # nothing to unescape: skip libcst's `ast.literal_eval`
    if isinstance(node, cst.SimpleString | cst.ConcatenatedString):
        try:
            value = node.evaluated_value
        except Exception:  # libcst evaluates with ast.literal_eval; odd escapes can fail
            return None
        return value if isinstance(value, str) else None
    return None


def template_text(node: cst.CSTNode | None) -> str | None:
    """The text of a string literal with f-string fields kept as `{expr}`; None if not one."""
    if isinstance(node, cst.FormattedString):
        if "b" in node.prefix.lower():
            return None
        parts: list[str] = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                parts.append(part.value)
            elif isinstance(part, cst.FormattedStringExpression):
                parts.append("{" + cst.Module([]).code_for_node(part.expression) + "}")
        return "".join(parts)
    if isinstance(node, cst.ConcatenatedString):
        left, right = template_text(node.left), template_text(node.right)
        return None if left is None or right is None else left + right
    return literal_text(node)


def first_argument(call: cst.Call, keyword: str | None = None) -> cst.BaseExpression | None:
    """The first positional argument of a call, or the one passed as `keyword=`."""
    for arg in call.args:
        if arg.keyword is None and not arg.star:
            return arg.value
        if keyword is not None and arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    return None


def string_names(node: cst.BaseExpression | None) -> list[str]:
    """Names from a parametrize-style argument: `"a, b"` or `("a", "b")`."""
    text = literal_text(node)
    if text is not None:
        return [name.strip() for name in text.split(",") if name.strip()]
    if isinstance(node, cst.List | cst.Tuple):
        return [t for el in node.elements if (t := literal_text(el.value)) is not None]
    return []
