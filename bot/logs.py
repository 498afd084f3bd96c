"""One structlog pipeline for the whole process, with secrets scrubbed before output."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable, MutableMapping
from typing import Any

import structlog

from bot.scrub import Scrubber, settings_secrets
from bot.settings import Settings

_SECRET_KEYS = re.compile(r"(token|secret|password|authorization|api_key|private)", re.I)
REDACTED = "[REDACTED]"
PART = 8  # no run of this many characters of a secret may reach a log line
ARQ_JOB_START = "%6.2fs → %s(%s)%s"


def _partial_pattern(secrets: Iterable[str]) -> re.Pattern[str] | None:
    """Finds where any PART-character piece of a secret starts (overlapping, by lookahead)."""
    pieces = {s[i : i + PART] for s in secrets if len(s) >= PART for i in range(len(s) - PART + 1)}
    if not pieces:
        return None
    return re.compile("(?=(" + "|".join(re.escape(p) for p in sorted(pieces)) + "))")


class SecretScrubber:
    """Drop known secret values anywhere in an event, and values of secret-named keys; a piece
    of a secret (8 characters or more, e.g. a truncated preview) is dropped too."""

    def __init__(self, secrets: Iterable[str]) -> None:
        self._secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)
        self._partial = _partial_pattern(self._secrets)
        self._text = Scrubber(self._secrets).text  # the same scrubber the bot's notes pass

    def __call__(
        self, logger: Any, method: str, event: MutableMapping[str, Any]
    ) -> MutableMapping[str, Any]:
        for key, value in list(event.items()):
            if _SECRET_KEYS.search(key) and key != "event":
                event[key] = REDACTED
            else:
                event[key] = self._scrub(value)
        return event

    def _scrub(self, value: Any) -> Any:
        if isinstance(value, str):
            return self._scrub_pieces(self._text(value))
        if isinstance(value, dict):
            return {
                k: REDACTED if _SECRET_KEYS.search(str(k)) else self._scrub(v)
                for k, v in value.items()
            }
        if isinstance(value, list | tuple):
            return [self._scrub(v) for v in value]
        return value

    def _scrub_pieces(self, value: str) -> str:
        if self._partial is None:
            return value
        hidden = [False] * len(value)
        for found in self._partial.finditer(value):
            start = found.start()
            for i in range(start, start + len(found.group(1))):
                hidden[i] = True
        if not any(hidden):
            return value
        out: list[str] = []
        for i, char in enumerate(value):
            if not hidden[i]:
                out.append(char)
            elif i == 0 or not hidden[i - 1]:
                out.append(REDACTED)
        return "".join(out)


class ArqArgumentsFilter(logging.Filter):
    """arq logs each job start with a preview of its arguments (webhook bodies, user text):
    keep the line, drop the arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg == ARQ_JOB_START and isinstance(record.args, tuple) and len(record.args) == 4:
            record.args = (record.args[0], record.args[1], "…", record.args[3])
        return True


def _secrets_of(settings: Settings) -> list[str]:
    return settings_secrets(settings)


def configure_logging(settings: Settings) -> None:
    """Route structlog and stdlib logging through one pipeline: JSON, or console in a TTY."""
    fmt = settings.log_format or ("console" if sys.stderr.isatty() else "json")
    renderer: Any = (
        structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())  # no escape codes in files
        if fmt == "console"
        else structlog.processors.JSONRenderer()
    )
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        SecretScrubber(_secrets_of(settings)),
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(ArqArgumentsFilter())
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    for noisy in ("uvicorn.access", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
