"""The job that answers a comment whose commands were (partly) not run: limits hit."""

from __future__ import annotations

import re

from bot.jobs.context import JobContext
from bot.jobs.runner import job

_USERNAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")


def notice_text(username: str, text: str) -> str:
    """`@asker` first so GitLab notifies them (only a well-formed username is mentioned)."""
    return f"@{username} {text}" if _USERNAME.match(username) else text


@job
async def post_notice(
    ctx: JobContext, project_id: int, mr_iid: int, note_id: int, username: str, text: str
) -> str:
    """One comment on the MR; its job id makes it once per comment and kind."""
    await ctx["gitlab"].create_mr_note(project_id, mr_iid, notice_text(username, text))
    return "posted"
