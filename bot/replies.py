"""The bot's one persistent comment per merge request, updated section by section."""

from __future__ import annotations

from redis.asyncio import Redis

from bot import __version__
from bot.gitlab import GitLab, NotFound

MARKER = "<!-- testgen-bot:summary -->"
# sections in the order they appear in the comment
SECTION_ORDER = ("report", "analysis", "generate", "heal", "validate", "manual", "help", "error")
_STATE_TTL = 90 * 24 * 3600


def _state_key(project_id: int, mr_iid: int) -> str:
    return f"testgen:mr-note:{project_id}:{mr_iid}"


def render(sections: dict[str, str]) -> str:
    """The comment's markdown: a heading, the sections present, a footer and the marker."""
    ordered = sorted(
        sections,
        key=lambda s: (
            s not in SECTION_ORDER,
            SECTION_ORDER.index(s) if s in SECTION_ORDER else 0,
            s,
        ),
    )
    parts = ["### testgen-bot", ""]
    for name in ordered:
        parts += [sections[name].rstrip(), ""]
    parts += [f"<sub>testgen-bot {__version__} · this comment is updated in place</sub>", MARKER]
    return "\n".join(parts)


class Replies:
    """Create-or-update of the summary comment; safe to run twice for the same content.

    The note id is kept in Redis; when it is missing (first reply, or a crash between creating
    the note and storing its id) the MR's notes are searched for the bot's marker first, so a
    retried job updates the comment instead of adding a second one. A lock per MR serialises
    concurrent jobs so the last render wins with every section in it.
    """

    def __init__(
        self, gitlab: GitLab, redis: Redis, bot_user_id: int, *, lock_seconds: float = 60
    ) -> None:
        self._gitlab = gitlab
        self._redis = redis
        self._bot_user_id = bot_user_id
        # a worker killed while holding the lock holds it no longer than this
        self._lock_seconds = lock_seconds

    async def set_section(self, project_id: int, mr_iid: int, section: str, markdown: str) -> int:
        key = _state_key(project_id, mr_iid)
        async with self._redis.lock(
            key + ":lock", timeout=self._lock_seconds, blocking_timeout=self._lock_seconds * 2
        ):
            await self._redis.hset(key, f"section:{section}", markdown)  # type: ignore[misc]  # redis-py types sync|async as one union
            await self._redis.expire(key, _STATE_TTL)
            state = {k.decode(): v.decode() for k, v in (await self._redis.hgetall(key)).items()}  # type: ignore[misc]  # redis-py types sync|async as one union
            sections = {
                k.removeprefix("section:"): v for k, v in state.items() if k.startswith("section:")
            }
            body = render(sections)
            note_id = int(state["note_id"]) if "note_id" in state else None
            if note_id is None:
                note_id = await self._find_existing(project_id, mr_iid)
            if note_id is not None:
                try:
                    await self._gitlab.update_mr_note(project_id, mr_iid, note_id, body)
                except NotFound:
                    note_id = None
            if note_id is None:
                note_id = int((await self._gitlab.create_mr_note(project_id, mr_iid, body)).id)
            await self._redis.hset(key, "note_id", str(note_id))  # type: ignore[misc]  # redis-py types sync|async as one union
            return note_id

    async def has_section(self, project_id: int, mr_iid: int, section: str) -> bool:
        key = _state_key(project_id, mr_iid)
        return bool(await self._redis.hexists(key, f"section:{section}"))  # type: ignore[misc]  # redis-py types sync|async as one union

    async def _find_existing(self, project_id: int, mr_iid: int) -> int | None:
        for note in await self._gitlab.list_mr_notes(project_id, mr_iid):
            if note.author.id == self._bot_user_id and MARKER in note.body:
                return int(note.id)
        return None
