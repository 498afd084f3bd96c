"""`testgen serve` as a real subprocess (embedded Redis, in-process worker) with the simulator."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import FIXTURES
from tests.gitlab_sim import payloads
from tests.gitlab_sim.model import DEVELOPER
from tests.gitlab_sim.simulator import Simulator
from tests.support.bot_process import BotProcess, clean_env, serving, wait_for

pytestmark = pytest.mark.e2e
SECRET = "e2e-secret-0123456789"
# X-Gitlab-Event of each documented payload (from the fixtures' SOURCES.md)
EVENTS = {
    "push.json": "Push Hook",
    "tag_push.json": "Tag Push Hook",
    "merge_request_open.json": "Merge Request Hook",
    "merge_request_update_DERIVED.json": "Merge Request Hook",
    "note_merge_request.json": "Note Hook",
    "note_merge_request_with_discussion_DERIVED.json": "Note Hook",
    "note_commit.json": "Note Hook",
    "note_issue.json": "Note Hook",
    "note_snippet.json": "Note Hook",
    "system_hook_push.json": "System Hook",
    "system_hook_tag_push.json": "System Hook",
    "system_hook_merge_request.json": "System Hook",
    "system_hook_repository_update.json": "System Hook",
    "pipeline_failed_DERIVED.json": "Pipeline Hook",
}


@pytest.fixture
def bot(gitlab_sim: Simulator, tmp_path: Path) -> Iterator[tuple[BotProcess, str]]:
    env = clean_env(
        GITLAB_URL=gitlab_sim.base_url,
        GITLAB_TOKEN=gitlab_sim.bot.token,
        WEBHOOK_SECRET=SECRET,
        TESTGEN_DATA_DIR=str(tmp_path / "data"),
    )
    with serving(env, tmp_path / "bot.log") as running:
        yield running


def post(base: str, event: str, body: bytes, key: str, token: str = SECRET) -> httpx.Response:
    return httpx.post(
        f"{base}/webhook",
        content=body,
        headers=payloads.headers(event, token, delivery=key),
        timeout=10,
    )


def bot_notes(sim: Simulator, project_id: int, mr_iid: int) -> list[str]:
    return [n.body for n in sim.notes(project_id, mr_iid) if n.author_id == sim.bot.id]


def help_comment(sim: Simulator, author_is_bot: bool = False) -> tuple[int, int, int, bytes]:
    project = sim.create_project("qa/shop", files={"README.md": "shop\n"})
    sim.create_branch(project.id, "feature", "main")
    mr = sim.add_merge_request(project.id, "feature")
    author = sim.bot if author_is_bot else sim.add_user("alice")
    sim.add_member(project.id, author, DEVELOPER)
    note = sim.add_note(project.id, mr.iid, author, "/testgen help")
    body = json.dumps(payloads.note_payload(sim, project.id, mr.iid, note.id)).encode()
    return project.id, mr.iid, note.id, body


def test_every_documented_payload_is_accepted_or_ignored(bot: tuple[BotProcess, str]) -> None:
    process, base = bot
    sources = sorted((FIXTURES / "gitlab").glob("*.json"))
    replays = json.loads((FIXTURES / "gitlab" / "hook_events_api_push_deliveries.json").read_text())
    assert set(EVENTS) | {"hook_events_api_push_deliveries.json"} == {p.name for p in sources}

    for path in sources:
        if path.name in EVENTS:
            answer = post(base, EVENTS[path.name], path.read_bytes(), key=path.name)
            assert answer.status_code == 202, (path.name, answer.text)
            assert answer.json()["status"] in {"queued", "ignored"}, path.name
    for n, delivery in enumerate(replays):
        sent = {k: v for k, v in delivery["request_headers"].items() if k != "X-Gitlab-Token"}
        sent |= {"X-Gitlab-Token": SECRET, "Idempotency-Key": f"replay-{n}"}
        body = json.dumps(delivery["request_data"]).encode()
        answer = httpx.post(f"{base}/webhook", content=body, headers=sent, timeout=10)
        assert answer.status_code == 202 and answer.json()["status"] == "queued"
    assert process.process is not None and process.process.poll() is None


def test_help_in_a_merge_request_gets_one_reply_and_one_emoji(
    bot: tuple[BotProcess, str], gitlab_sim: Simulator
) -> None:
    _, base = bot
    project_id, mr_iid, note_id, body = help_comment(gitlab_sim)

    first = post(base, "Note Hook", body, key="note-1")
    again = post(base, "Note Hook", body, key="note-1")

    assert first.status_code == 202 and first.json()["status"] == "queued"
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    [reply] = wait_for(lambda: bot_notes(gitlab_sim, project_id, mr_iid), what="the reply")
    assert "/testgen generate" in reply
    emoji = wait_for(
        lambda: [e.name for e in gitlab_sim.note_emoji(project_id, mr_iid, note_id)][1:],
        what="the ✅ after the 👀",
    )
    assert emoji == ["white_check_mark"]
    time.sleep(1)  # a second reply, if any, would have come by now
    assert len(bot_notes(gitlab_sim, project_id, mr_iid)) == 1
    logs = bot[0].output()
    assert '"event": "job finished"' in logs  # debug logging covered the whole flow …
    assert gitlab_sim.bot.token not in logs and SECRET not in logs  # … without a secret in it


def test_a_comment_by_the_bot_gets_no_reply(
    bot: tuple[BotProcess, str], gitlab_sim: Simulator
) -> None:
    process, base = bot
    project_id, mr_iid, note_id, body = help_comment(gitlab_sim, author_is_bot=True)

    assert post(base, "Note Hook", body, key="own").status_code == 202
    wait_for(lambda: '"function": "handle_event"' in process.output(), what="the event job")
    wait_for(lambda: "job finished" in process.output(), what="the job to finish")

    assert bot_notes(gitlab_sim, project_id, mr_iid) == ["/testgen help"]
    assert gitlab_sim.note_emoji(project_id, mr_iid, note_id) == []


def test_bad_deliveries_get_clear_errors(bot: tuple[BotProcess, str]) -> None:
    _, base = bot
    push = (FIXTURES / "gitlab" / "push.json").read_bytes()

    wrong = post(base, "Push Hook", push, key="a", token="not-the-secret")
    broken = post(base, "Push Hook", b'{"object_kind": "push",', key="b")
    huge = post(base, "Push Hook", b"[" + b" " * (6 * 1024 * 1024) + b"]", key="c")

    assert (wrong.status_code, wrong.json()["error"]) == (401, "invalid X-Gitlab-Token")
    assert broken.status_code == 400 and "JSON" in broken.json()["error"]
    assert huge.status_code == 413
    assert "not-the-secret" not in _logs(bot) and SECRET not in _logs(bot)


def _logs(bot: tuple[BotProcess, str]) -> str:
    return bot[0].output()


def redis_servers_in(folder: Path) -> set[int]:
    """redis-server processes working in `folder` (Redis changes into its `dir`)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                running = b"redis-server" in (entry / "cmdline").read_bytes()
                if running and (entry / "cwd").resolve() == folder.resolve():
                    found.add(int(entry.name))
            except OSError:
                continue
    return found


def test_the_embedded_redis_keeps_state_across_restarts_and_stops_with_the_bot(
    gitlab_sim: Simulator, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    env = clean_env(
        GITLAB_URL=gitlab_sim.base_url,
        GITLAB_TOKEN=gitlab_sim.bot.token,
        WEBHOOK_SECRET=SECRET,
        TESTGEN_DATA_DIR=str(data),
    )
    push = (FIXTURES / "gitlab" / "push.json").read_bytes()
    with serving(env, tmp_path / "first.log") as (_, base):
        assert redis_servers_in(data / "redis")  # the embedded server runs in the data dir
        assert post(base, "Push Hook", push, key="once").json()["status"] == "queued"
    assert redis_servers_in(data / "redis") == set()  # SIGTERM stopped it too

    with serving(env, tmp_path / "second.log") as (_, base):
        assert post(base, "Push Hook", push, key="once").json()["status"] == "duplicate"
    assert redis_servers_in(data / "redis") == set()
