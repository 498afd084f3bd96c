"""A `/testgen` comment, from an accepted delivery to the bot's reply, through the real worker."""

from __future__ import annotations

import json
from pathlib import Path

from bot import __version__
from bot.replies import MARKER
from tests.gitlab_sim import payloads
from tests.gitlab_sim.simulator import Simulator
from tests.support.worker import bot_notes, comment, deliver, run_burst, worker_settings


def seed(sim: Simulator) -> tuple[int, int]:
    project = sim.create_project("qa/shop", files={"app.py": "print('hi')\n"})
    sim.create_branch(project.id, "feature", "main")
    mr = sim.add_merge_request(project.id, "feature", title="Add orders")
    return project.id, mr.iid


async def test_help_gets_one_reply_with_version_and_an_acknowledging_emoji(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid = seed(gitlab_sim)
    note_id = await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen help")

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    [reply] = bot_notes(gitlab_sim, project_id, mr_iid)
    assert "/testgen generate" in reply and __version__ in reply and MARKER in reply
    emoji = gitlab_sim.note_emoji(project_id, mr_iid, note_id)
    assert [(e.name, e.user_id) for e in emoji] == [("eyes", gitlab_sim.bot.id)]


async def test_a_redelivered_event_replies_once(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid = seed(gitlab_sim)
    note_id = await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen help")
    payload = json.dumps(payloads.note_payload(gitlab_sim, project_id, mr_iid, note_id))
    settings = worker_settings(gitlab_sim, tmp_path)
    await run_burst(settings, redis_url)

    assert not await deliver(redis_url, "Note Hook", payload, key=f"note-{note_id}")
    await run_burst(settings, redis_url)

    assert len(bot_notes(gitlab_sim, project_id, mr_iid)) == 1
    assert len(gitlab_sim.requests("POST", path=r"/notes$")) == 1


async def test_later_commands_update_the_same_comment(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid = seed(gitlab_sim)
    settings = worker_settings(gitlab_sim, tmp_path)
    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen help")
    await run_burst(settings, redis_url)
    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen coverage")
    await run_burst(settings, redis_url)

    [reply] = bot_notes(gitlab_sim, project_id, mr_iid)
    assert "/testgen generate" in reply  # the help section stays
    assert "#### Test coverage" in reply  # and the coverage answer is added


async def test_the_comment_is_found_again_when_its_id_was_lost(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    from redis.asyncio import Redis

    project_id, mr_iid = seed(gitlab_sim)
    settings = worker_settings(gitlab_sim, tmp_path)
    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen help")
    await run_burst(settings, redis_url)
    client = Redis.from_url(redis_url)
    await client.hdel(f"testgen:mr-note:{project_id}:{mr_iid}", "note_id")
    await client.aclose()

    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen report")
    await run_burst(settings, redis_url)

    assert len(bot_notes(gitlab_sim, project_id, mr_iid)) == 1


async def test_the_bots_own_comment_is_ignored(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid = seed(gitlab_sim)
    note_id = await comment(
        gitlab_sim, redis_url, project_id, mr_iid, "/testgen help", author=gitlab_sim.bot
    )

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    assert bot_notes(gitlab_sim, project_id, mr_iid) == ["/testgen help"]
    assert gitlab_sim.note_emoji(project_id, mr_iid, note_id) == []


async def test_comments_without_commands_get_no_reaction(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid = seed(gitlab_sim)
    note_id = await comment(
        gitlab_sim, redis_url, project_id, mr_iid, "Looks good, but see testgen docs /testgen"
    )

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    assert bot_notes(gitlab_sim, project_id, mr_iid) == []
    assert gitlab_sim.note_emoji(project_id, mr_iid, note_id) == []


async def test_unknown_words_are_answered_with_help(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid = seed(gitlab_sim)
    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen frobnicate")

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    [reply] = bot_notes(gitlab_sim, project_id, mr_iid)
    assert "frobnicate" in reply and "/testgen help" in reply


async def test_a_gitlab_outage_while_replying_is_retried_to_one_reply(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid = seed(gitlab_sim)
    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen help")
    gitlab_sim.fail_next(1, status=502, path=r"/notes$", method="POST")

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    assert len(bot_notes(gitlab_sim, project_id, mr_iid)) == 1
