"""Bounded work: a flood of commands in one comment, and one person commenting too often."""

from __future__ import annotations

from pathlib import Path

from bot.limits import TOO_MANY, USER_LIMITED
from tests.gitlab_sim.simulator import Simulator
from tests.support.worker import bot_notes, comment, run_burst, worker_settings

FLOOD_LINES = 20_000


def seed(sim: Simulator) -> tuple[int, int]:
    project = sim.create_project("qa/shop", files={"app.py": "print('hi')\n"})
    sim.create_branch(project.id, "feature", "main")
    return project.id, sim.add_merge_request(project.id, "feature").iid


def flood() -> str:
    """About 300 KiB: 20,000 distinct commands, one per line."""
    return "\n".join(f"/testgen help w{n}" for n in range(FLOOD_LINES))


async def test_a_comment_of_20000_commands_runs_five_and_says_so_once(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid = seed(gitlab_sim)
    text = flood()
    assert len(text.encode()) > 300 * 1024
    await comment(gitlab_sim, redis_url, project_id, mr_iid, text)

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    notes = bot_notes(gitlab_sim, project_id, mr_iid)
    ignored = TOO_MANY.format(limit=5)
    assert sum(ignored in note for note in notes) == 1
    assert all("w5`" not in note and "w5 " not in note for note in notes)  # the 6th never ran
    writes = gitlab_sim.requests("POST") + gitlab_sim.requests("PUT")
    assert len(writes) <= 1 + 5 * 2 + 1  # 👀, five answers with their ✅/❌, one notice


async def test_the_eleventh_command_in_a_minute_is_answered_once_with_the_limit(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid = seed(gitlab_sim)
    alice = gitlab_sim.add_user("alice")
    settings = worker_settings(gitlab_sim, tmp_path)
    asked = [
        await comment(gitlab_sim, redis_url, project_id, mr_iid, f"/testgen x{n}", author=alice)
        for n in range(12)
    ]
    await run_burst(settings, redis_url)

    notes = bot_notes(gitlab_sim, project_id, mr_iid)
    limited = [n for n in notes if USER_LIMITED.format(limit=10) in n]
    assert len(limited) == 1 and limited[0].startswith("@alice ")
    accepted = [
        note_id for note_id in asked if _acknowledged(gitlab_sim, project_id, mr_iid, note_id)
    ]
    assert len(accepted) == 10

    bob = gitlab_sim.add_user("bob")  # someone else is not held up by alice's budget
    note_id = await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen b", author=bob)
    await run_burst(settings, redis_url)
    assert _acknowledged(gitlab_sim, project_id, mr_iid, note_id)


def _acknowledged(sim: Simulator, project_id: int, mr_iid: int, note_id: int) -> bool:
    return any(e.name == "eyes" for e in sim.note_emoji(project_id, mr_iid, note_id))
