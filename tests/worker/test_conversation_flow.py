"""The bot as a colleague: answers in the thread, state in one summary, ✅/❌, plain words."""

from __future__ import annotations

import json
from pathlib import Path

from bot.replies import MARKER
from tests.gitlab_sim import payloads
from tests.gitlab_sim.model import DEVELOPER, REPORTER
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

SPEC = (Path(__file__).parent.parent / "reference_api" / "openapi.yaml").read_text()
BRANCH = "testgen/generate/feature"


def seed(sim: Simulator, *, bot_access: int | None = None) -> tuple[int, int]:
    extra = {} if bot_access is None else {"bot_access": bot_access}
    project = sim.create_project("qa/pets", files={"README.md": "pets\n"}, **extra)
    sim.create_branch(project.id, "feature", "main")
    sim.commit_files(project.id, "feature", {"api/openapi.yaml": SPEC}, "API")
    mr = sim.add_merge_request(project.id, "feature", title="Pets API")
    return project.id, mr.iid


async def test_a_command_is_answered_in_its_thread_mentioning_the_asker(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid = seed(gitlab_sim)
    asker = gitlab_sim.add_user("dora")
    note_id = await comment(
        gitlab_sim, redis_url, project_id, mr_iid, "/testgen generate", author=asker
    )

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    [followup] = [m for m in gitlab_sim.merge_requests(project_id) if m.source_branch == BRANCH]
    reply = answer(gitlab_sim, project_id, mr_iid, note_id)
    assert reply.startswith("@dora") and f"[!{followup.iid}]" in reply
    thread = gitlab_sim.thread(project_id, mr_iid, note_id)
    assert [n.type for n in thread] == ["DiscussionNote", "DiscussionNote"]  # now a thread
    assert f"[!{followup.iid}]" in bot_reply(gitlab_sim, project_id, mr_iid)  # the state
    assert reactions(gitlab_sim, project_id, mr_iid, note_id) == ["eyes", "white_check_mark"]
    [commit] = gitlab_sim.commits(project_id, BRANCH)[:1]
    assert commit.title.startswith("testgen: API tests") and "testgen: testgen:" not in commit.title


async def test_a_reporters_refused_generate_leaves_the_summary_link_intact(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid = seed(gitlab_sim)
    settings = worker_settings(gitlab_sim, tmp_path)
    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen generate")
    await run_burst(settings, redis_url)
    before = bot_reply(gitlab_sim, project_id, mr_iid)
    [followup] = [m for m in gitlab_sim.merge_requests(project_id) if m.source_branch == BRANCH]
    assert f"[!{followup.iid}]" in before

    reporter = gitlab_sim.add_user("rita")
    refused = await comment(
        gitlab_sim,
        redis_url,
        project_id,
        mr_iid,
        "/testgen generate",
        author=reporter,
        level=REPORTER,
    )
    await run_burst(settings, redis_url)

    assert bot_reply(gitlab_sim, project_id, mr_iid) == before  # untouched, link included
    reply = answer(gitlab_sim, project_id, mr_iid, refused)
    assert reply.startswith("@rita ") and "needs Developer access" in reply
    assert reactions(gitlab_sim, project_id, mr_iid, refused) == ["eyes", "x"]


async def test_a_failing_gitlab_call_yields_a_cross_and_a_plain_words_reply(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    # the bot user may read and comment, but not push: GitLab answers its commit with 403
    project_id, mr_iid = seed(gitlab_sim, bot_access=REPORTER)
    note_id = await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen generate")

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    [commit_call] = gitlab_sim.requests("POST", path=r"/repository/commits$")
    assert commit_call.status == 403
    reply = answer(gitlab_sim, project_id, mr_iid, note_id)
    assert "GitLab answered 403 Forbidden to `POST /projects/:id/repository/commits`" in reply
    assert "give the bot user Developer access" in reply
    assert "Traceback" not in reply and gitlab_sim.bot.token not in reply
    assert reactions(gitlab_sim, project_id, mr_iid, note_id) == ["eyes", "x"]
    assert not [n for n in bot_notes(gitlab_sim, project_id, mr_iid) if MARKER in n]


async def test_failed_reactions_never_stop_the_command(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid = seed(gitlab_sim)
    note_id = await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen help")
    gitlab_sim.fail_next(20, status=500, path=r"/award_emoji$", method="POST")

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    assert "/testgen generate" in answer(gitlab_sim, project_id, mr_iid, note_id)
    assert reactions(gitlab_sim, project_id, mr_iid, note_id) == []


async def test_a_repeated_reaction_is_taken_as_given(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid = seed(gitlab_sim)
    note_id = await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen help")
    gitlab_sim.add_note_emoji(project_id, mr_iid, note_id, gitlab_sim.bot, "eyes")

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    taken = gitlab_sim.requests("POST", path=r"/award_emoji$")
    assert [r.status for r in taken] == [404, 201]  # GitLab: "has already been taken"
    assert reactions(gitlab_sim, project_id, mr_iid, note_id) == ["eyes", "white_check_mark"]


async def test_without_a_discussion_id_the_answer_is_a_new_comment_with_the_mention(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid = seed(gitlab_sim)
    asker = gitlab_sim.add_user("olga")
    gitlab_sim.add_member(project_id, asker, REPORTER)
    note = gitlab_sim.add_note(project_id, mr_iid, asker, "/testgen help")
    body = payloads.note_payload(gitlab_sim, project_id, mr_iid, note.id)
    del body["object_attributes"]["discussion_id"]  # GitLab versions before the field
    assert await deliver(redis_url, "Note Hook", json.dumps(body), key="old-gitlab")

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    [reply] = bot_notes(gitlab_sim, project_id, mr_iid)
    assert reply.startswith("@olga") and "/testgen generate" in reply
    assert gitlab_sim.requests("POST", path=r"/discussions/") == []


async def test_follow_ups_carry_the_label_the_asker_as_reviewer_and_a_regenerate_box(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid = seed(gitlab_sim)
    asker = gitlab_sim.add_user("ada")
    settings = worker_settings(gitlab_sim, tmp_path)
    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen generate", author=asker)
    await run_burst(settings, redis_url)
    [followup] = [m for m in gitlab_sim.merge_requests(project_id) if m.source_branch == BRANCH]
    assert followup.labels == ["testgen"] and followup.reviewer_ids == [asker.id]
    assert "- [ ] <!-- testgen-bot:regenerate -->" in followup.description
    generated = gitlab_sim.files(project_id, BRANCH)

    # a person edits the bot's branch; later someone ticks the box to get a clean MR again
    person = gitlab_sim.add_user("pat")
    gitlab_sim.add_member(project_id, person, DEVELOPER)
    gitlab_sim.commit_files(project_id, BRANCH, {"tests/api/mine.txt": "mine\n"}, "Mine")
    before = followup.description
    ticked = before.replace("- [ ] <!-- testgen-bot", "- [x] <!-- testgen-bot")
    with gitlab_sim.lock:
        gitlab_sim.project(project_id).merge_requests[followup.iid].description = ticked
    change = {"description": {"previous": before, "current": ticked}}
    body = payloads.merge_request_payload(
        gitlab_sim, project_id, followup.iid, "update", user=person, changes=change
    )
    assert await deliver(redis_url, "Merge Request Hook", json.dumps(body), key="tick")
    await run_burst(settings, redis_url)

    files = gitlab_sim.files(project_id, BRANCH)
    assert "tests/api/mine.txt" not in files  # the person's change is discarded
    [head] = gitlab_sim.commits(project_id, BRANCH)[:1]
    assert head.parent_ids == [gitlab_sim.branches(project_id)["feature"]]
    assert files == generated  # the same tests as generated
    [after] = [m for m in gitlab_sim.merge_requests(project_id) if m.source_branch == BRANCH]
    assert "- [ ] <!-- testgen-bot:regenerate -->" in after.description  # unticked again
    assert sorted(after.reviewer_ids) == sorted([asker.id, person.id])
    said = [n.body for n in gitlab_sim.notes(project_id, after.iid) if "regenerated" in n.body]
    assert len(said) == 1 and said[0].startswith("@pat regenerated")


async def test_another_edit_while_the_box_stays_ticked_is_no_new_request(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid = seed(gitlab_sim)
    settings = worker_settings(gitlab_sim, tmp_path)
    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen generate")
    await run_burst(settings, redis_url)
    [followup] = [m for m in gitlab_sim.merge_requests(project_id) if m.source_branch == BRANCH]
    ticked = followup.description.replace("- [ ] <!-- testgen", "- [x] <!-- testgen")
    change = {"title": {"previous": "a", "current": "b"}, "description": {"previous": ticked}}
    with gitlab_sim.lock:
        gitlab_sim.project(project_id).merge_requests[followup.iid].description = ticked
    body = payloads.merge_request_payload(
        gitlab_sim,
        project_id,
        followup.iid,
        "update",
        user=gitlab_sim.add_user("x"),
        changes=change,
    )
    gitlab_sim.clear_requests()
    assert await deliver(redis_url, "Merge Request Hook", json.dumps(body), key="retitle")
    await run_burst(settings, redis_url)

    assert gitlab_sim.requests("POST") == []


async def test_a_closed_follow_up_a_person_pushed_to_is_named_without_an_empty_link(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid = seed(gitlab_sim)
    settings = worker_settings(gitlab_sim, tmp_path)
    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen generate")
    await run_burst(settings, redis_url)
    gitlab_sim.commit_files(project_id, BRANCH, {"tests/api/mine.txt": "mine\n"}, "Mine")
    [followup] = [m for m in gitlab_sim.merge_requests(project_id) if m.source_branch == BRANCH]
    with gitlab_sim.lock:
        gitlab_sim.project(project_id).merge_requests[followup.iid].state = "closed"

    again = await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen generate")
    await run_burst(settings, redis_url)

    reply = answer(gitlab_sim, project_id, mr_iid, again)
    assert f"Someone pushed to `{BRANCH}`, so the bot leaves that branch alone." in reply
    assert "leaves  alone" not in bot_reply(gitlab_sim, project_id, mr_iid)
