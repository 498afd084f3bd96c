"""Every log line of a full scenario, at DEBUG, holds no piece (8+ characters) of a secret."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.gitlab_sim import payloads
from tests.gitlab_sim.model import DEVELOPER, REPORTER
from tests.gitlab_sim.simulator import Simulator
from tests.support.bot_process import clean_env, serving, wait_for

pytestmark = pytest.mark.e2e
TOKEN = "glpat-Zq8vX2kLm9Np4Rt7Wy1B"
SECRET = "hook-secret-Hd83kQp0zVx6Lm2N"
SPEC = (Path(__file__).parent.parent / "reference_api" / "openapi.yaml").read_text()
PIECE = 8


def pieces(secret: str) -> set[str]:
    return {secret[i : i + PIECE] for i in range(len(secret) - PIECE + 1)}


def test_no_piece_of_the_token_or_secret_reaches_any_log_line(
    gitlab_sim: Simulator, tmp_path: Path
) -> None:
    gitlab_sim.bot.token = TOKEN  # the bot user's token as GitLab knows it
    project = gitlab_sim.create_project("qa/pets", files={"README.md": "pets\n"})
    gitlab_sim.create_branch(project.id, "feature", "main")
    gitlab_sim.commit_files(project.id, "feature", {"api/openapi.yaml": SPEC}, "API")
    mr = gitlab_sim.add_merge_request(project.id, "feature", title="Pets API")
    dev, reporter = gitlab_sim.add_user("dev"), gitlab_sim.add_user("rep")
    gitlab_sim.add_member(project.id, dev, DEVELOPER)
    gitlab_sim.add_member(project.id, reporter, REPORTER)
    env = clean_env(
        GITLAB_URL=gitlab_sim.base_url,
        GITLAB_TOKEN=TOKEN,
        WEBHOOK_SECRET=SECRET,
        TESTGEN_DATA_DIR=str(tmp_path / "data"),
        LOG_LEVEL="debug",
    )
    comments = [
        (dev, "/testgen help\n/testgen frobnicate"),
        (dev, "/testgen generate\n/testgen validate all\n/testgen report"),
        (reporter, "/testgen generate"),
        (dev, "/testgen manual"),
        # someone pastes the secrets into a comment: their text passes arq's job preview
        (dev, f"/testgen help {TOKEN} {SECRET}"),
        # … and arq's 80-character preview would cut this one inside the token
        (dev, f"/testgen help {'x' * 40} {TOKEN}"),
    ]
    with serving(env, tmp_path / "bot.log") as (process, base):
        gitlab_sim.fail_next(1, status=500, path=r"/repository/compare", method="GET")
        for n, (author, text) in enumerate(comments):
            note = gitlab_sim.add_note(project.id, mr.iid, author, text)
            body = json.dumps(payloads.note_payload(gitlab_sim, project.id, mr.iid, note.id))
            headers = payloads.headers("Note Hook", SECRET, delivery=f"leak-{n}")
            answer = httpx.post(f"{base}/webhook", content=body, headers=headers, timeout=10)
            assert answer.status_code == 202
        wrong = payloads.headers("Note Hook", SECRET[:-1] + "x", delivery="wrong")
        assert httpx.post(f"{base}/webhook", content=b"{}", headers=wrong).status_code == 401
        jobs = len(comments) + 8  # one per delivery, one per distinct command

        def finished() -> bool:
            return process.output().count('"event": "job finished"') >= jobs

        wait_for(finished, 180, "every job to finish")
        metrics = httpx.get(f"{base}/metrics").text
    output = process.output()

    lines = output.splitlines()
    assert len(lines) > 50 and '"event": "gitlab_call"' in output  # DEBUG covered the calls
    assert "testgen_gitlab_requests_total" in metrics
    leaks = [
        (piece, line)
        for line in lines + metrics.splitlines()
        for piece in pieces(TOKEN) | pieces(SECRET)
        if piece in line
    ]
    assert leaks == []
