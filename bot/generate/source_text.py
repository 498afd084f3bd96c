"""Python source fragments: literals, identifiers, f-string paths and module constants."""

from __future__ import annotations

import json
import keyword
import re
from typing import Any

LINE = 96
INF = float("inf")
_PARAM = re.compile(r"\{[^{}]*\}")

_NON_WORD = re.compile(r"[^0-9a-zA-Z]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
RESERVED = frozenset(
    {"api", "anon_api", "create_resource", "url", "body", "params", "headers", "response"}
    | {"allure", "httpx", "jsonschema", "pytest", "Any", "Callable", "annotations"}
)

# builtins a generated local would shadow; a fixed list, so output does not vary by Python version
BUILTINS = frozenset(
    {
        "abs", "all", "any", "ascii", "bin", "bool", "breakpoint", "bytearray", "bytes",
        "callable", "chr", "classmethod", "compile", "complex", "copyright", "credits",
        "delattr", "dict", "dir", "divmod", "enumerate", "eval", "exec", "exit", "filter",
        "float", "format", "frozenset", "getattr", "globals", "hasattr", "hash", "help", "hex",
        "id", "input", "int", "isinstance", "issubclass", "iter", "len", "license", "list",
        "locals", "map", "max", "memoryview", "min", "next", "object", "oct", "open", "ord",
        "pow", "print", "property", "quit", "range", "repr", "reversed", "round", "set",
        "setattr", "slice", "sorted", "staticmethod", "str", "sum", "super", "tuple", "type",
        "vars", "zip",
    }
)  # fmt: skip


def snake(text: str) -> str:
    """`petId` → `pet_id`, `X-Request-ID` → `x_request_id`; never empty."""
    words = _NON_WORD.sub("_", _CAMEL.sub("_", text)).strip("_").lower()
    words = re.sub(r"_+", "_", words)
    return words or "value"


def identifier(text: str) -> str:
    """A safe local variable name for a parameter: no keyword, fixture or builtin."""
    name = snake(text)
    if name[0].isdigit():
        name = f"p_{name}"
    if keyword.iskeyword(name) or name in RESERVED or name in BUILTINS:
        name = f"{name}_value"
    return name


def literal(value: Any, used: int = 0) -> str:
    """A Python literal for a JSON value: sorted keys, double quotes, one item a line when long
    (the layout `ruff format` gives); `used` is how many columns come before it."""
    return _literal(value, 0, used, {})


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int | float):
        return repr(value) if value == value and value not in (INF, -INF) else "None"
    return json.dumps(str(value), ensure_ascii=False)


def _flat(value: Any, memo: dict[int, str]) -> str:
    """The one-line form of a literal, computed once per container (`memo` by id)."""
    if isinstance(value, dict):
        if id(value) not in memo:
            items = sorted(value.items(), key=lambda kv: str(kv[0]))
            pairs = ", ".join(f"{_scalar(str(k))}: {_flat(v, memo)}" for k, v in items)
            memo[id(value)] = "{" + pairs + "}"
        return memo[id(value)]
    if isinstance(value, list | tuple):
        if id(value) not in memo:
            memo[id(value)] = "[" + ", ".join(_flat(v, memo) for v in value) + "]"
        return memo[id(value)]
    return _scalar(value)


def _literal(value: Any, indent: int, used: int, memo: dict[int, str]) -> str:
    flat = _flat(value, memo)
    if len(flat) + used <= LINE or not isinstance(value, dict | list | tuple) or not value:
        return flat
    inner = " " * (indent + 4)
    lines = []
    if isinstance(value, dict):
        for k, v in sorted(value.items(), key=lambda kv: str(kv[0])):
            key = _scalar(str(k))
            text = _literal(v, indent + 4, indent + 6 + len(key), memo)
            lines.append(f"{inner}{key}: {text},")
    else:
        lines = [f"{inner}{_literal(v, indent + 4, indent + 4, memo)}," for v in value]
    opening, closing = ("{", "}") if isinstance(value, dict) else ("[", "]")
    return opening + "\n" + "\n".join(lines) + "\n" + " " * indent + closing


def string(text: str) -> str:
    """A double-quoted string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def path_expression(template: str, variables: dict[str, str]) -> str:
    """`/pets/{petId}` with `{petId}` → `pet_id` as an f-string (plain string when static)."""
    parts: list[str] = []
    last = 0
    for match in _PARAM.finditer(template):
        parts.append(_fstring_text(template[last : match.start()]))
        parts.append("{" + variables[match.group(0)[1:-1]] + "}")
        last = match.end()
    parts.append(_fstring_text(template[last:]))
    if len(parts) == 1:
        return string(template)
    return 'f"' + "".join(parts) + '"'


def _fstring_text(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return escaped.replace("{", "{{").replace("}", "}}")


def display_path(template: str) -> str:
    """`/pets/{petId}` → `/pets/<petId>`: braces would be format fields in an Allure title."""
    return _PARAM.sub(lambda m: "<" + m.group(0)[1:-1] + ">", template)


def path_params(template: str) -> list[str]:
    return [m.group(0)[1:-1] for m in _PARAM.finditer(template)]


class Constants:
    """Module-level constants of one module, named once, deduplicated by value."""

    def __init__(self) -> None:
        self._by_name: dict[str, str] = {}
        self._by_text: dict[str, str] = {}

    def add(self, base: str, value: Any, annotation: str = "Any") -> str:
        key = json.dumps(value, sort_keys=True, default=str)
        if key in self._by_text:
            return self._by_text[key]
        name = re.sub(r"_+", "_", base.upper()).strip("_") or "VALUE"
        if name[0].isdigit():
            name = f"C_{name}"
        candidate, n = name, 2
        while candidate in self._by_name:
            candidate, n = f"{name}_{n}", n + 1
        head = f"{candidate}: {annotation} = "
        self._by_name[candidate] = head + literal(value, len(head))
        self._by_text[key] = candidate
        return candidate

    def source(self) -> str:
        return "\n\n".join(self._by_name[name] for name in sorted(self._by_name))
