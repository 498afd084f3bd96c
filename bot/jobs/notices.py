"""The job that answers a comment whose commands were (partly) not run: limits hit."""

from __future__ import annotations

import re

from bot.gitlab import NotFound
from bot.jobs.context import JobContext
from bot.jobs.runner import job

_USERNAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")


def notice_text(username: str, text: str) -> str:
    """`@asker` first so GitLab notifies them (only a well-formed username is mentioned)."""
    return f"@{username} {text}" if _USERNAME.match(username) else text


@job
async def post_notice(
    ctx: JobContext,
    project_id: int,
    mr_iid: int,
    note_id: int,
    username: str,
    text: str,
    discussion_id: str = "",
) -> str:
    """One answer in the asking comment's thread (a new comment when there is no thread); its
    job id makes it once per comment and kind."""
    body = notice_text(username, text)
    if discussion_id:
        try:
            await ctx["gitlab"].reply_in_discussion(project_id, mr_iid, discussion_id, body)
            return "posted"
        except NotFound:
            pass  # the thread is gone: a new comment still mentions the asker
    await ctx["gitlab"].create_mr_note(project_id, mr_iid, body)
    return "posted"
