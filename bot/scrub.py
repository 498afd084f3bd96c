"""Secrets out of text that leaves the bot: log lines and the notes it posts.

Known secrets (the configured token, webhook secret, signing token, LLM key) are replaced
wherever they appear; so is anything shaped like a credential, whoever's it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.project_secrets import ProjectSecrets
from bot.settings import Settings

REDACTED = "[REDACTED]"
_TOKEN_SHAPED = [
    re.compile(r"\bgl[a-z]{1,8}-[A-Za-z0-9_\-]{16,}"),  # GitLab tokens: glpat-, gldt-, glrt-, …
    re.compile(r"\bGR1348941[A-Za-z0-9_\-]{16,}"),  # GitLab runner registration tokens
    re.compile(r"\bsk-[A-Za-z0-9_\-]{16,}"),  # OpenAI-style keys
    re.compile(r"\bgh[pousr]_[A-Za-z0-9]{20,}"),  # GitHub tokens
    re.compile(r"\bxox[abprs]-[A-Za-z0-9\-]{10,}"),  # Slack tokens
    re.compile(r"\bAKIA[0-9A-Z]{16}\b"),  # AWS access key ids
    re.compile(r"\beyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}"),  # JWTs
    re.compile(r"(?i)(?<=bearer )[A-Za-z0-9._~+/\-]{8,}=*"),
    re.compile(r"(?<=://)[^/\s:@]+:[^/\s@]+(?=@)"),  # user:password@ in URLs
]
_KEY_VALUE = re.compile(
    r"(?i)\b((?:private[-_]?|access[-_]?|auth[-_]?)?token|secret|password|passwd|api[-_]?key)"
    r"(\"?\s*[:=]\s*\"?)([^\s\"'&,;]{4,})"
)


class Scrubber:
    """`text(s)`: `s` without the known secrets and without anything token-shaped."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)

    def text(self, value: str) -> str:
        for secret in self._secrets:
            if secret in value:
                value = value.replace(secret, REDACTED)
        value = _KEY_VALUE.sub(lambda m: m.group(1) + m.group(2) + REDACTED, value)
        for pattern in _TOKEN_SHAPED:
            value = pattern.sub(REDACTED, value)
        return value


def settings_secrets(settings: Settings) -> list[str]:
    """The secrets the bot is configured with."""
    values = [
        settings.gitlab_token,
        settings.webhook_secret,
        settings.webhook_signing_token,
        settings.openai_api_key,
    ]
    found = [v.get_secret_value() for v in values if v is not None]
    return found + ProjectSecrets.parse(settings.project_secrets.get_secret_value()).secrets()
