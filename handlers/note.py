"""Comment events: `/testgen` commands in merge request comments."""

from __future__ import annotations

import structlog
from gidgetlab.routing import Router
from gidgetlab.sansio import Event

from bot.answers import ACCEPTED, react
from bot.commands import Command, one_help, parse_commands
from bot.deps import HandlerDeps
from bot.limits import admit, project_limits
from bot.ratelimit import CommandBuckets

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
    commands = parse_commands(note.get("note") or "", limit=deps.settings.max_commands_per_note)
    if not commands:
        return
    project_id = int(event.data["project"]["id"])
    mr_iid = int(event.data["merge_request"]["iid"])
    note_id = int(note["id"])
    structlog.contextvars.bind_contextvars(project_id=project_id, mr_iid=mr_iid, note_id=note_id)
    commands = one_help(await _within_limits(event, deps, commands, int(author or 0), note_id))
    if not commands:
        return
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
            _job_id=_job_id(project_id, note_id, command),
        )
    log.info("commands queued", commands=[c.name for c in commands])


def _job_id(project_id: int, note_id: int, command: Command) -> str:
    """One job per distinct command of a note (the help lines of a note are one)."""
    job_id = f"command:{project_id}:{note_id}:{command.name}:{' '.join(command.args)}"
    return f"{job_id}:{command.unknown}" if command.unknown else job_id


async def _within_limits(
    event: Event, deps: HandlerDeps, commands: list[Command], author: int, note_id: int
) -> list[Command]:
    """The first few commands, as far as the author's and the project's budgets allow."""
    if deps.redis is None:
        return commands
    project_id = int(event.data["project"]["id"])
    mr_iid = int(event.data["merge_request"]["iid"])
    username = str((event.data.get("user") or {}).get("username", ""))
    branch = str((event.data.get("project") or {}).get("default_branch") or "main")
    limits = await project_limits(deps.redis, deps.gitlab, deps.settings, project_id, branch)

    async def notify(kind: str, text: str) -> None:
        job_id = f"notice:{kind}:{project_id}:{note_id}"
        discussion_id = str(event.object_attributes.get("discussion_id") or "")
        await deps.enqueue(
            "post_notice",
            project_id,
            mr_iid,
            note_id,
            username,
            text,
            discussion_id,
            _job_id=job_id,
        )

    return await admit(
        commands,
        limits,
        CommandBuckets(deps.redis),
        user_id=author,
        project_id=project_id,
        notify=notify,
    )
