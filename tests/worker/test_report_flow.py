"""`/testgen report`: the MR's effect on the API, against its target branch."""

from __future__ import annotations

from pathlib import Path

from tests.gitlab_sim.simulator import Simulator
from tests.support.worker import bot_reply, comment, run_burst, worker_settings

MAIN = """from fastapi import FastAPI

app = FastAPI()


@app.get("/ping")
def ping():
    return {}


@app.get("/users/{user_id}")
def get_user(user_id: int):
    return {}


@app.delete("/legacy")
def legacy():
    return None
"""
FEATURE = """from fastapi import FastAPI

app = FastAPI()


@app.get("/ping", status_code=202)
def ping():
    return {}


@app.get("/members/{user_id}")
def get_user(user_id: int):
    return {}


@app.post("/items")
def create_item():
    return {}
"""


async def test_the_report_lists_added_removed_changed_and_moved_endpoints(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project = gitlab_sim.create_project("qa/svc", files={"app.py": MAIN})
    gitlab_sim.create_branch(project.id, "feature", "main")
    gitlab_sim.commit_files(project.id, "feature", {"app.py": FEATURE}, "Rework")
    mr = gitlab_sim.add_merge_request(project.id, "feature")
    await comment(gitlab_sim, redis_url, project.id, mr.iid, "/testgen report")

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    text = bot_reply(gitlab_sim, project.id, mr.iid)
    assert "Against `main`: 2 added, 2 removed, 1 changed" in text
    assert "| `POST` | `/items` | added |" in text
    assert "| `DELETE` | `/legacy` | **removed** |" in text
    assert "| `GET` | `/users/{user_id}` | moved to `/members/{user_id}`?" in text
    assert "| `GET` | `/ping` | changed: status 200 → 202 |" in text
    assert "`/members/{user_id}` | added" not in text  # shown as the move, not twice


async def test_a_branch_without_api_changes_says_so(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project = gitlab_sim.create_project("qa/svc", files={"app.py": MAIN})
    gitlab_sim.create_branch(project.id, "docs", "main")
    gitlab_sim.commit_files(project.id, "docs", {"README.md": "docs\n"}, "Docs")
    mr = gitlab_sim.add_merge_request(project.id, "docs")
    await comment(gitlab_sim, redis_url, project.id, mr.iid, "/testgen report")

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    assert "No endpoint changes against `main` (3 endpoints)." in bot_reply(
        gitlab_sim, project.id, mr.iid
    )
