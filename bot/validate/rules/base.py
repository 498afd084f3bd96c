"""The contract every rule implements, and what a rule reports."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

import libcst as cst

if TYPE_CHECKING:
    from bot.validate.config import ValidateConfig
    from bot.validate.model import FileModel

Severity = Literal["info", "minor", "major", "critical", "blocker"]


@dataclass(frozen=True)
class Violation:
    """A rule's finding before positions are known: the node it is about, why, and where."""

    node: cst.CSTNode
    message: str
    scope: str  # enclosing test or function (`Class.test`), or `<module>`


class Rule:
    """A file rule: reads the module's facts, yields violations. Subclasses set the ids."""

    id: ClassVar[str]
    severity: ClassVar[Severity]

    def check(self, model: FileModel, config: ValidateConfig) -> Iterator[Violation]:
        raise NotImplementedError
