"""syntax-error: a file that cannot be read or parsed as Python."""

from __future__ import annotations

from typing import Final

from bot.validate.rules.base import Severity

ID: Final = "syntax-error"
SEVERITY: Final[Severity] = "blocker"
MESSAGE: Final = "cannot parse: {error}"
UNREADABLE_MESSAGE: Final = "cannot read the file: {error}"
