"""Answers in the asker's thread, with a mention, and reactions on the asking comment."""

from __future__ import annotations

import structlog
from redis.asyncio import Redis

from bot.gitlab import GitLab, GitLabError, NotFound

log = structlog.get_logger("bot.answers")
ANSWER_MARKER = "<!-- testgen-bot:answer {key} -->"
_TTL = 30 * 24 * 3600
ACCEPTED, DONE, FAILED = "eyes", "white_check_mark", "x"


class Answers:
    """Posts each command's answer once, as a reply in the thread of the comment that asked.

    Once posted, a Redis key remembers it; a retried job (the key lost in a crash between the
    post and the key) first looks for the answer's marker among the MR's notes. Without a
    discussion id (GitLab before the field existed) or when the thread is gone, the answer is
    a new comment that still mentions the asker.
    """

    def __init__(self, gitlab: GitLab, redis: Redis) -> None:
        self._gitlab = gitlab
        self._redis = redis

    async def reply(
        self,
        project_id: int,
        mr_iid: int,
        discussion_id: str,
        key: str,
        body: str,
        *,
        retried: bool = False,
    ) -> None:
        done_key = f"testgen:answered:{project_id}:{mr_iid}:{key}"
        if await self._redis.exists(done_key):
            return
        marker = ANSWER_MARKER.format(key=key)
        if retried and await self._already_posted(project_id, mr_iid, marker):
            await self._redis.set(done_key, "1", ex=_TTL)
            return
        text = f"{body.rstrip()}\n\n{marker}"
        posted = False
        if discussion_id:
            try:
                await self._gitlab.reply_in_discussion(project_id, mr_iid, discussion_id, text)
                posted = True
            except NotFound as error:
                if "Discussion" not in error.message:
                    raise
                log.info("thread gone, answering in a new comment", discussion_id=discussion_id)
        if not posted:
            await self._gitlab.create_mr_note(project_id, mr_iid, text)
        await self._redis.set(done_key, "1", ex=_TTL)

    async def _already_posted(self, project_id: int, mr_iid: int, marker: str) -> bool:
        notes = await self._gitlab.list_mr_notes(project_id, mr_iid)
        return any(marker in note.body for note in notes)

    async def react(self, project_id: int, mr_iid: int, note_id: int, emoji: str) -> None:
        """Award `emoji` on the asking comment; a failure is logged, never raised."""
        await react(self._gitlab, project_id, mr_iid, note_id, emoji)


async def react(gitlab: GitLab, project_id: int, mr_iid: int, note_id: int, emoji: str) -> None:
    """Award `emoji` on a comment (again: a no-op); a failed award never stops the command."""
    try:
        await gitlab.award_note_emoji(project_id, mr_iid, note_id, emoji)
    except GitLabError as error:
        log.warning("reaction not awarded", emoji=emoji, note_id=note_id, error=str(error))
