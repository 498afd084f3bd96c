"""The healing log: what was done (or only proposed) where, and what could not be healed."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Action:
    """One edit: `old` → `new` at `file:line`, by `rule`; `applied` False means proposed."""

    file: str
    line: int
    rule: str
    old: str
    new: str
    confidence: float
    applied: bool

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Unhealable:
    """A test (or a line of one) the bot could not repair, and why."""

    file: str
    line: int
    test: str
    reason: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)
