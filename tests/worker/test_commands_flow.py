"""A `/testgen` comment, from an accepted delivery to the bot's reply, through the real worker."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bot import __version__
from bot.commands import COMMANDS
from bot.jobs.commands import RUNNERS
from bot.replies import MARKER
from tests.gitlab_sim import payloads
from tests.gitlab_sim.simulator import Simulator
from tests.support.worker import (
    answer,
    bot_notes,
    bot_reply,
    comment,
    deliver,
    reactions,
    run_burst,
    worker_settings,
)


def seed(sim: Simulator) -> tuple[int, int]:
    project = sim.create_project("qa/shop", files={"app.py": "print('hi')\n"})
    sim.create_branch(project.id, "feature", "main")
    mr = sim.add_merge_request(project.id, "feature", title="Add orders")
    return project.id, mr.iid


async def test_help_is_answered_in_the_askers_thread_with_a_mention_and_reactions(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid = seed(gitlab_sim)
    asker = gitlab_sim.add_user("alice")
    note_id = await comment(
        gitlab_sim, redis_url, project_id, mr_iid, "/testgen help", author=asker
    )

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    [reply] = bot_notes(gitlab_sim, project_id, mr_iid)
    assert reply == answer(gitlab_sim, project_id, mr_iid, note_id)  # a reply in that thread
    assert reply.startswith("@alice")
    assert "/testgen generate" in reply and reply.count(__version__) == 1
    assert MARKER not in reply  # help is no state: the summary comment is not even created
    assert reactions(gitlab_sim, project_id, mr_iid, note_id) == ["eyes", "white_check_mark"]


async def test_two_unknown_words_in_one_comment_get_one_answer_naming_both(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid = seed(gitlab_sim)
    note = "/testgen frob\n/testgen zork"
    note_id = await comment(gitlab_sim, redis_url, project_id, mr_iid, note)

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    reply = answer(gitlab_sim, project_id, mr_iid, note_id)  # exactly one answer in the thread
    assert "`frob`" in reply and "`zork`" in reply
    assert reply.count("| `/testgen help` |") == 1 and reply.count(__version__) == 1
    assert reactions(gitlab_sim, project_id, mr_iid, note_id) == ["eyes", "x"]


async def test_help_lists_only_the_commands_this_version_runs(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid = seed(gitlab_sim)
    note_id = await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen help")

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    reply = answer(gitlab_sim, project_id, mr_iid, note_id)
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    documented = set(re.findall(r"^\| `/testgen (\w+)", readme, re.M))
    listed = set(re.findall(r"^\| `/testgen (\w+)", reply, re.M))
    assert listed == documented == set(COMMANDS)
    assert listed - {"help"} <= set(RUNNERS)  # each listed command has a job that runs it
    assert reply.count(__version__) == 1


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


async def test_state_goes_to_one_summary_comment_and_answers_to_threads(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid = seed(gitlab_sim)
    settings = worker_settings(gitlab_sim, tmp_path)
    first = await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen report")
    await run_burst(settings, redis_url)
    second = await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen coverage")
    await run_burst(settings, redis_url)

    summary = bot_reply(gitlab_sim, project_id, mr_iid)
    assert "API changes" in summary and "Test coverage" not in summary  # an answer, not state
    assert "API changes" in answer(gitlab_sim, project_id, mr_iid, first)
    assert "#### Test coverage" in answer(gitlab_sim, project_id, mr_iid, second)
    assert reactions(gitlab_sim, project_id, mr_iid, second) == ["eyes", "white_check_mark"]


async def test_the_comment_is_found_again_when_its_id_was_lost(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    from redis.asyncio import Redis

    project_id, mr_iid = seed(gitlab_sim)
    settings = worker_settings(gitlab_sim, tmp_path)
    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen report")
    await run_burst(settings, redis_url)
    client = Redis.from_url(redis_url)
    await client.hdel(f"testgen:mr-note:{project_id}:{mr_iid}", "note_id")
    await client.aclose()

    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen report")
    await run_burst(settings, redis_url)

    summaries = [n for n in bot_notes(gitlab_sim, project_id, mr_iid) if MARKER in n]
    assert len(summaries) == 1


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
    note_id = await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen frobnicate")

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    [reply] = bot_notes(gitlab_sim, project_id, mr_iid)
    assert reply == answer(gitlab_sim, project_id, mr_iid, note_id)
    assert "`frobnicate` is not a testgen command" in reply and "/testgen help" in reply


async def test_a_gitlab_outage_while_replying_is_retried_to_one_reply(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid = seed(gitlab_sim)
    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen help")
    gitlab_sim.fail_next(1, status=502, path=r"/notes$", method="POST")

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    assert len(bot_notes(gitlab_sim, project_id, mr_iid)) == 1
