"""hardcoded-url: an absolute `http(s)://` URL literal passed to a call."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from bot.validate._literals import template_text
from bot.validate.rules.base import Rule, Violation

if TYPE_CHECKING:
    from bot.validate.config import ValidateConfig
    from bot.validate.model import FileModel

MESSAGE = "hard-coded URL `{url}`; build it from the `{fixture}` fixture instead"
_ABSOLUTE = re.compile(r"\s*https?://[^\s/?#]+", re.IGNORECASE)


class HardcodedUrl(Rule):
    """String literals (f-strings included) starting with `http://` or `https://`, given as
    an argument to a call. Calls to `url_allowed_callers` are skipped: Allure links,
    environment look-ups with a default, and HTTP mocking libraries (respx, responses, …)
    whose routes are absolute by design."""

    id = "hardcoded-url"
    severity = "minor"

    def check(self, model: FileModel, config: ValidateConfig) -> Iterator[Violation]:
        if "http://" not in model.source and "https://" not in model.source:
            return
        allowed = tuple(config.url_allowed_callers)
        prefixes = tuple(f"{name}." for name in allowed)
        fixture = config.base_url_fixtures[0] if config.base_url_fixtures else "base_url"
        for call, qualified, scope in model.calls:
            if qualified is not None and (qualified in allowed or qualified.startswith(prefixes)):
                continue
            for arg in call.args:
                text = template_text(arg.value)
                if text is not None and _ABSOLUTE.match(text):
                    url = text if len(text) <= 60 else text[:57] + "..."
                    message = MESSAGE.format(url=url, fixture=fixture)
                    yield Violation(arg.value, message, scope)
