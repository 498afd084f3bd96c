"""Comment events: `/testgen` commands in merge request comments."""

from __future__ import annotations

import structlog
from gidgetlab.routing import Router
from gidgetlab.sansio import Event

from bot.answers import ACCEPTED, react
from bot.commands import parse_commands
from bot.deps import HandlerDeps

router = Router()
log = structlog.get_logger("handlers.note")


@router.register("Note Hook", noteable_type="MergeRequest")
async def run_slash_commands(event: Event, deps: HandlerDeps) -> None:
    """Acknowledge each accepted comment with an emoji at once, then queue one job per command.

    Ignored: the bot's own comments, system notes, and edits (GitLab 16.11+ fires Note Hook on
    update too; acting on edits would run a command twice).
    """
    note = event.object_attributes
    author = note.get("author_id", (event.data.get("user") or {}).get("id"))
    if author == deps.bot_user_id or (event.data.get("user") or {}).get("id") == deps.bot_user_id:
        return
    if note.get("system") or note.get("action", "create") != "create":
        return
    commands = parse_commands(note.get("note") or "")
    if not commands:
        return
    project_id = int(event.data["project"]["id"])
    mr_iid = int(event.data["merge_request"]["iid"])
    note_id = int(note["id"])
    structlog.contextvars.bind_contextvars(project_id=project_id, mr_iid=mr_iid, note_id=note_id)
    await react(deps.gitlab, project_id, mr_iid, note_id, ACCEPTED)
    discussion_id = str(note.get("discussion_id") or "")
    for command in commands:
        await deps.enqueue(
            "run_command",
            project_id,
            mr_iid,
            note_id,
            command.name,
            list(command.args),
            command.unknown,
            int(author or 0),
            str((event.data.get("user") or {}).get("username", "")),
            discussion_id,
            _job_id=f"command:{project_id}:{note_id}:{command.name}:{' '.join(command.args)}",
        )
    log.info("commands queued", commands=[c.name for c in commands])
