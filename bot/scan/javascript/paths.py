"""Express/Fastify path syntax (`:id`, `:id?`, `:id(\\d+)`, `*`, `{/:x}`) → `{name}` templates.

Decisions: an optional parameter expands to both paths (`/u/:id?` → `/u/{id}`, `/u`); a
parameter's regular expression is dropped (`:id(\\d+)` → `{id}`); an unnamed `*` (Express 4,
Fastify) is the parameter `{wildcard}`, also in mid-segment (`/ab*cd` → `/ab{wildcard}cd`); a
`*` that starts a segment and is followed by a name is Express 5's named wildcard (`/*path`).
"""

from __future__ import annotations

import itertools
import re

_TEMPLATE_PARAM = re.compile(r"\{([^{}?][^{}]*)\}")
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$")


def convert(pattern: str) -> tuple[list[str], list[str]]:
    """Templates a route pattern matches (optional parts expand), and what could not be kept."""
    problems: list[str] = []
    pieces: list[list[str]] = []  # alternatives per piece, joined by product
    i = 0
    literal: list[str] = []

    def flush() -> None:
        if literal:
            pieces.append(["".join(literal)])
            literal.clear()

    while i < len(pattern):
        char = pattern[i]
        if char == ":" and i + 1 < len(pattern) and pattern[i + 1] == ":":
            literal.append(":")  # fastify's escaped colon
            i += 2
        elif char == ":":
            j = i + 1
            while j < len(pattern) and pattern[j] in _NAME_CHARS:
                j += 1
            name = pattern[i + 1 : j] or "param"
            if j < len(pattern) and pattern[j] == "(":
                j = _close(pattern, j)  # `:id(\\d+)`: the constraint is dropped
            modifier = pattern[j] if j < len(pattern) and pattern[j] in "?*+" else ""
            j += 1 if modifier else 0
            if modifier == "?":
                prefix = literal.pop() if literal and literal[-1] == "/" else ""
                flush()
                pieces.append([f"{prefix}{{{name}}}", ""])
            else:
                if modifier:
                    problems.append(f"repeating parameter ':{name}{modifier}' kept as '{{{name}}}'")
                literal.append(f"{{{name}}}")
            i = j
        elif char == "*":
            j = i + 1
            segment_start = i == 0 or pattern[i - 1] == "/"
            while segment_start and j < len(pattern) and pattern[j] in _NAME_CHARS:
                j += 1
            name = pattern[i + 1 : j]
            if not name:
                problems.append("wildcard '*' kept as '{wildcard}'")
            literal.append("{" + (name or "wildcard") + "}")
            i = j
        elif char == "{":
            end = pattern.find("}", i)
            if end < 0:
                problems.append("unbalanced '{' in path")
                literal.append(char)
                i += 1
                continue
            inner, _ = convert(pattern[i + 1 : end])  # Express 5 optional group `{/:id}`
            flush()
            pieces.append([*inner, ""])
            i = end + 1
        else:
            if char in "()?+[]":
                problems.append(f"pattern character {char!r} in path is not representable")
            literal.append(char)
            i += 1
    flush()
    variants = ["".join(combo) for combo in itertools.product(*pieces)] or [""]
    return list(dict.fromkeys(variants)), list(dict.fromkeys(problems))


def _close(pattern: str, start: int) -> int:
    depth = 0
    for index in range(start, len(pattern)):
        if pattern[index] == "(":
            depth += 1
        elif pattern[index] == ")":
            depth -= 1
            if depth == 0:
                return index + 1
    return len(pattern)


def path_params(template: str) -> list[str]:
    """Names of a template's parameters, mid-segment ones included; `{?X}` placeholders are not."""
    return list(dict.fromkeys(match.group(1) for match in _TEMPLATE_PARAM.finditer(template)))
