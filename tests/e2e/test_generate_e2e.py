"""`/testgen generate` through `testgen serve` (a real subprocess): one branch, one MR, updated.

Once offline (no LLM) and once against an OpenAI-compatible server on loopback.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.generate import MARKER
from bot.validate.api import validate_source
from tests.gitlab_sim import payloads
from tests.gitlab_sim.model import DEVELOPER
from tests.gitlab_sim.simulator import Simulator
from tests.support.bot_process import clean_env, serving, wait_for
from tests.support.fake_llm import REVIEWED, FakeLLM
from tests.support.uvicorn_thread import serve_in_thread

pytestmark = pytest.mark.e2e
SECRET = "e2e-secret-0123456789"
SPEC = (Path(__file__).parent.parent / "reference_api" / "openapi.yaml").read_text()
FLASK = """from flask import Flask

app = Flask(__name__)


@app.get("/health")
def health():
    return {}
"""
BRANCH = "testgen/generate/feature"


@pytest.fixture
def fake_llm() -> Iterator[tuple[FakeLLM, str]]:
    llm = FakeLLM()
    with serve_in_thread(llm.app()) as base:
        yield llm, f"{base}/v1"


def seed(sim: Simulator) -> tuple[int, int]:
    project = sim.create_project("qa/pets", files={"README.md": "pets\n"})
    sim.create_branch(project.id, "feature", "main")
    sim.commit_files(project.id, "feature", {"api/openapi.yaml": SPEC}, "API")
    mr = sim.add_merge_request(project.id, "feature", title="Pets API")
    return project.id, mr.iid


def ask(sim: Simulator, base: str, project_id: int, mr_iid: int) -> None:
    user = sim.add_user(f"dev{sim.next_id()}")
    sim.add_member(project_id, user, DEVELOPER)
    note = sim.add_note(project_id, mr_iid, user, "/testgen generate")
    body = json.dumps(payloads.note_payload(sim, project_id, mr_iid, note.id)).encode()
    headers = payloads.headers("Note Hook", SECRET, delivery=f"note-{note.id}")
    answer = httpx.post(f"{base}/webhook", content=body, headers=headers, timeout=10)
    assert answer.status_code == 202


def followups(sim: Simulator, project_id: int) -> list:  # type: ignore[type-arg]
    return [m for m in sim.merge_requests(project_id) if m.source_branch.startswith("testgen/")]


def generated(sim: Simulator, project_id: int) -> dict[str, str]:
    files = sim.files(project_id, BRANCH)
    return {p: c.decode() for p, c in files.items() if p.startswith("tests/api/")}


def run_twice(sim: Simulator, base: str) -> tuple[int, str, str]:
    """Generate, then add an endpoint and generate again; the MR's head before and after."""
    project_id, mr_iid = seed(sim)
    ask(sim, base, project_id, mr_iid)
    wait_for(lambda: followups(sim, project_id), 60, "the follow-up MR")
    first = sim.branches(project_id)[BRANCH]

    sim.commit_files(project_id, "feature", {"app.py": FLASK}, "Health endpoint")
    ask(sim, base, project_id, mr_iid)
    wait_for(lambda: sim.branches(project_id)[BRANCH] != first, 60, "the MR to be updated")
    return project_id, first, sim.branches(project_id)[BRANCH]


def test_generate_offline_opens_one_mr_and_updates_it(
    gitlab_sim: Simulator, tmp_path: Path
) -> None:
    env = clean_env(
        GITLAB_URL=gitlab_sim.base_url,
        GITLAB_TOKEN=gitlab_sim.bot.token,
        WEBHOOK_SECRET=SECRET,
        TESTGEN_DATA_DIR=str(tmp_path / "data"),
    )
    with serving(env, tmp_path / "bot.log") as (_, base):
        project_id, _, _ = run_twice(gitlab_sim, base)

    [mr] = followups(gitlab_sim, project_id)
    assert (mr.source_branch, mr.target_branch, mr.state) == (BRANCH, "feature", "opened")
    assert "GET /health" in mr.description and "GET /pets/{petId}" in mr.description
    files = generated(gitlab_sim, project_id)
    assert files and all(c.startswith(MARKER) for c in files.values())
    assert all(validate_source(c, p) == [] for p, c in files.items())
    assert all(REVIEWED not in c for c in files.values())


def test_generate_with_an_llm_uses_its_answers_and_caches_them(
    gitlab_sim: Simulator, tmp_path: Path, fake_llm: tuple[FakeLLM, str]
) -> None:
    llm, llm_url = fake_llm
    env = clean_env(
        GITLAB_URL=gitlab_sim.base_url,
        GITLAB_TOKEN=gitlab_sim.bot.token,
        WEBHOOK_SECRET=SECRET,
        TESTGEN_DATA_DIR=str(tmp_path / "data"),
        OPENAI_BASE_URL=llm_url,
        OPENAI_API_KEY="sk-e2e",
        LLM_MODEL="e2e-model",
    )
    with serving(env, tmp_path / "bot.log") as (process, base):
        project_id, _, _ = run_twice(gitlab_sim, base)
        logs = process.output()

    files = generated(gitlab_sim, project_id)
    modules = {p: c for p, c in files.items() if not p.endswith("conftest.py")}
    assert modules and all(REVIEWED in c for c in modules.values())
    assert all(validate_source(c, p) == [] for p, c in files.items())
    # the second run asked only about what changed: the other modules came from the cache
    first_run = len(modules) - 1
    assert len(llm.calls) == first_run + 1 and set(llm.calls) == {"e2e-model"}
    assert "sk-e2e" not in logs
