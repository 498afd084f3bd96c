"""Logs are structured, carry bound context, and never contain a token or secret."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO_ROOT

TOKEN, SECRET, SIGNING, KEY = (
    "glpat-s3cr3t-token",
    "hook-s3cr3t-0123456789",
    "whsec-s1gn1ng",
    "sk-llm-k3y",
)
PROGRAM = f"""
import logging, structlog
from pydantic import SecretStr
from bot.logs import configure_logging
from bot.settings import Settings

configure_logging(Settings(
    gitlab_token=SecretStr({TOKEN!r}), webhook_secret=SecretStr({SECRET!r}),
    webhook_signing_token=SecretStr({SIGNING!r}), openai_api_key=SecretStr({KEY!r}),
    log_format="json",
))
structlog.contextvars.bind_contextvars(project_id=7, mr_iid=3)
log = structlog.get_logger("test")
log.info("calling gitlab", url="https://gitlab.example.com/api/v4/user?private_token={TOKEN}",
         headers={{"PRIVATE-TOKEN": {TOKEN!r}, "Accept": "application/json"}},
         secret={SECRET!r}, args=["x", {KEY!r}])
try:
    raise RuntimeError("signature with {SIGNING} did not match")
except RuntimeError:
    log.exception("delivery rejected")
logging.getLogger("httpx").warning("HTTP Request failed: Authorization: Bearer {KEY}")
"""


def test_no_secret_reaches_the_log_and_context_is_bound() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    output = result.stderr
    for secret in (TOKEN, SECRET, SIGNING, KEY):
        assert secret not in output
    events = [json.loads(line) for line in output.splitlines()]
    assert [e["event"] for e in events][:2] == ["calling gitlab", "delivery rejected"]
    first = events[0]
    assert (first["project_id"], first["mr_iid"]) == (7, 3)
    assert first["headers"]["Accept"] == "application/json"
    assert "[REDACTED]" in first["url"] and first["secret"] == "[REDACTED]"
    assert "RuntimeError" in events[1]["exception"]
    assert len(events) == 3


def pieces(secret: str, size: int = 8) -> set[str]:
    return {secret[i : i + size] for i in range(len(secret) - size + 1)}


def test_a_piece_of_a_secret_is_scrubbed_too() -> None:
    from bot.logs import REDACTED, SecretScrubber

    scrub = SecretScrubber([TOKEN, SECRET])
    event = scrub(
        None,
        "info",
        {
            "event": f"job preview ('{TOKEN[:10]}…', 'x')",
            "note": f"a tail {SECRET[-9:]} and the whole {TOKEN}",
            "harmless": "glpat-s3",  # only 8 characters, but a piece of TOKEN all the same
        },
    )
    for value in event.values():
        assert not any(piece in value for piece in pieces(TOKEN) | pieces(SECRET))
    assert event["event"] == f"job preview ('{REDACTED}…', 'x')"
    assert event["note"] == f"a tail {REDACTED} and the whole {REDACTED}"


ARQ_PROGRAM = f"""
import logging
from pydantic import SecretStr
from bot.logs import configure_logging
from bot.settings import Settings

configure_logging(Settings(gitlab_token=SecretStr({TOKEN!r}), log_format="json"))
logging.getLogger("arq.worker").info(
    "%6.2fs → %s(%s)%s", 0.5, "event:1:handle_event", "'Note Hook', '{{\\"note\\": \\"hi\\"}}'", ""
)
"""


def test_arq_job_lines_keep_the_job_but_not_its_arguments() -> None:
    result = subprocess.run(
        [sys.executable, "-c", ARQ_PROGRAM], cwd=REPO_ROOT, capture_output=True, text=True
    )
    [event] = [json.loads(line) for line in result.stderr.splitlines()]
    assert event["event"] == "  0.50s → event:1:handle_event(…)"


CONSOLE_PROGRAM = """
import structlog
from bot.logs import configure_logging
from bot.settings import Settings

configure_logging(Settings(log_format="console"))
structlog.get_logger("t").warning("plain words", project_id=7)
"""


def test_console_format_writes_no_colour_codes_when_not_on_a_terminal() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CONSOLE_PROGRAM], cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert "plain words" in result.stderr and "project_id=7" in result.stderr
    assert "\x1b[" not in result.stderr
