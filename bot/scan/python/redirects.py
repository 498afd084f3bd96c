"""The redirect statuses of a handler whose every `return` redirects (helpers followed)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.scan.python import values as v
from bot.scan.python.program import Program

_DEPTH = 4


def redirect_codes(program: Program, view: v.Value | None, depth: int = 0) -> list[int]:
    """The 3xx codes of a handler whose every exit is a redirect (see `redirect_exits`); else []."""
    if not isinstance(view, v.FuncRef) or depth > _DEPTH:
        return []
    try:
        info = program.func(view)
    except KeyError:
        return []
    exits: list[Any] | None = info.get("redirect")
    if not exits:
        return []
    codes: set[int] = set(exits[0])
    for helper in exits[1]:
        target = program.lookup(helper, (view.module, view.scope))
        found = redirect_codes(program, target, depth + 1)
        if not found:
            return []
        codes.update(found)
    return sorted(codes)


def redirect_responses(codes: Iterable[int]) -> dict[str, dict[str, Any] | None]:
    """The declared responses of a redirecting handler: each status, no body schema."""
    return {str(code): None for code in codes}
