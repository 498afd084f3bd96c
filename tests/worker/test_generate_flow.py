"""`/testgen generate` and `/testgen manual`: one follow-up branch and MR, updated in place."""

from __future__ import annotations

import json
from pathlib import Path

from bot.followup import TRAILER
from bot.generate import MARKER
from bot.validate.api import validate_source
from tests.gitlab_sim import payloads
from tests.gitlab_sim.model import REPORTER
from tests.gitlab_sim.simulator import Simulator
from tests.support.worker import bot_reply, comment, deliver, run_burst, worker_settings

SPEC = (Path(__file__).parent.parent / "reference_api" / "openapi.yaml").read_text()
FLASK = """from flask import Flask

app = Flask(__name__)


@app.route("/health")
def health():
    return {"ok": True}
"""
BRANCH = "testgen/generate/feature"


def seed(sim: Simulator, files: dict[str, str | bytes | None] | None = None) -> tuple[int, int]:
    project = sim.create_project("qa/pets", files={"README.md": "pets\n"})
    sim.create_branch(project.id, "feature", "main")
    sim.commit_files(project.id, "feature", files or {"api/openapi.yaml": SPEC}, "API")
    mr = sim.add_merge_request(project.id, "feature", title="Pets API")
    return project.id, mr.iid


def followups(sim: Simulator, project_id: int) -> list:  # type: ignore[type-arg]
    return [m for m in sim.merge_requests(project_id) if m.source_branch.startswith("testgen/")]


async def test_generate_opens_one_branch_and_one_mr_with_valid_tests(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid = seed(gitlab_sim)
    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen generate")

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    [mr] = followups(gitlab_sim, project_id)
    assert (mr.source_branch, mr.target_branch, mr.state) == (BRANCH, "feature", "opened")
    assert "GET /pets/{petId}" in mr.description
    files = gitlab_sim.files(project_id, BRANCH)
    generated = {p: c.decode() for p, c in files.items() if p.startswith("tests/api/")}
    assert "tests/api/conftest.py" in generated and len(generated) >= 3
    for path, content in generated.items():
        assert content.startswith(MARKER)
        assert validate_source(content, path) == [], path
    [commit] = gitlab_sim.commits(project_id, BRANCH)[:1]
    assert f"{TRAILER}: generate" in commit.message
    assert f"[!{mr.iid}]" in bot_reply(gitlab_sim, project_id, mr_iid)


async def test_running_again_updates_the_same_mr(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid = seed(gitlab_sim)
    settings = worker_settings(gitlab_sim, tmp_path)
    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen generate")
    await run_burst(settings, redis_url)
    first_head = gitlab_sim.branches(project_id)[BRANCH]

    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen generate")
    await run_burst(settings, redis_url)
    assert gitlab_sim.branches(project_id)[BRANCH] == first_head  # nothing new: no commit
    assert "already up to date" in bot_reply(gitlab_sim, project_id, mr_iid)

    gitlab_sim.commit_files(project_id, "feature", {"app.py": FLASK}, "Health endpoint")
    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen generate")
    await run_burst(settings, redis_url)

    [mr] = followups(gitlab_sim, project_id)
    assert "GET /health" in mr.description
    assert gitlab_sim.branches(project_id)[BRANCH] != first_head
    assert f"Updated [!{mr.iid}]" in bot_reply(gitlab_sim, project_id, mr_iid)


async def test_a_branch_a_person_pushed_to_is_left_alone(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid = seed(gitlab_sim)
    settings = worker_settings(gitlab_sim, tmp_path)
    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen generate")
    await run_burst(settings, redis_url)
    gitlab_sim.commit_files(project_id, BRANCH, {"tests/api/notes.txt": "mine\n"}, "My fix")
    mine = gitlab_sim.branches(project_id)[BRANCH]
    gitlab_sim.commit_files(project_id, "feature", {"app.py": FLASK}, "Health endpoint")

    for _ in range(2):
        await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen generate")
        await run_burst(settings, redis_url)

    assert gitlab_sim.branches(project_id)[BRANCH] == mine
    [mr] = followups(gitlab_sim, project_id)
    said = [n.body for n in gitlab_sim.notes(project_id, mr.iid) if "no longer rewrites" in n.body]
    assert len(said) == 1
    assert "leaves" in bot_reply(gitlab_sim, project_id, mr_iid)


async def test_a_closed_mr_is_not_reopened_for_the_same_tests(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid = seed(gitlab_sim)
    settings = worker_settings(gitlab_sim, tmp_path)
    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen generate")
    await run_burst(settings, redis_url)
    [mr] = followups(gitlab_sim, project_id)
    with gitlab_sim.lock:
        gitlab_sim.project(project_id).merge_requests[mr.iid].state = "closed"

    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen generate")
    await run_burst(settings, redis_url)

    assert [m.state for m in followups(gitlab_sim, project_id)] == ["closed"]
    assert "was closed" in bot_reply(gitlab_sim, project_id, mr_iid)


async def test_open_bot_mrs_are_capped_per_project(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid = seed(gitlab_sim)
    gitlab_sim.create_branch(project_id, "testgen/generate/other", "main")
    gitlab_sim.add_merge_request(project_id, "testgen/generate/other", "main")
    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen generate")

    await run_burst(worker_settings(gitlab_sim, tmp_path, max_open_bot_mrs=1), redis_url)

    assert len(followups(gitlab_sim, project_id)) == 1
    assert BRANCH not in gitlab_sim.branches(project_id)
    assert "TESTGEN_MAX_OPEN_MRS" in bot_reply(gitlab_sim, project_id, mr_iid)


async def test_only_developers_may_generate(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid = seed(gitlab_sim)
    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen generate", level=REPORTER)

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    assert followups(gitlab_sim, project_id) == []
    assert "needs Developer access" in bot_reply(gitlab_sim, project_id, mr_iid)


async def test_generate_for_chosen_endpoints_only(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid = seed(gitlab_sim)
    settings = worker_settings(gitlab_sim, tmp_path)
    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen generate GET /nope")
    await run_burst(settings, redis_url)
    assert "Not endpoints of `feature`: `GET /nope`" in bot_reply(gitlab_sim, project_id, mr_iid)

    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen generate get /owners")
    await run_burst(settings, redis_url)

    [mr] = followups(gitlab_sim, project_id)
    table = mr.description.split("Skipped")[0]
    assert "`GET /owners`" in table and "/pets" not in table and "POST /owners" not in table


async def test_a_push_adding_endpoints_to_the_default_branch_proposes_tests_when_enabled(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    config = "generate:\n  on_push: true\n"
    project = gitlab_sim.create_project("qa/svc", files={".testgen.yml": config, "README.md": "x"})
    settings = worker_settings(gitlab_sim, tmp_path)
    developer = gitlab_sim.add_user("dev")
    body = payloads.push_payload(gitlab_sim, project.id, "main", "0" * 40, user=developer)
    await deliver(redis_url, "Push Hook", json.dumps(body), key="push-1")
    await run_burst(settings, redis_url)
    before = gitlab_sim.branches(project.id)["main"]
    gitlab_sim.commit_files(project.id, "main", {"app.py": FLASK}, "Health endpoint")

    body = payloads.push_payload(gitlab_sim, project.id, "main", before, user=developer)
    await deliver(redis_url, "Push Hook", json.dumps(body), key="push-2")
    await run_burst(settings, redis_url)

    [mr] = followups(gitlab_sim, project.id)
    assert (mr.source_branch, mr.target_branch) == ("testgen/generate/main", "main")
    assert "GET /health" in mr.description and "new endpoints were pushed" in mr.description


async def test_manual_cases_come_from_the_description(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project = gitlab_sim.create_project("qa/shop", files={"README.md": "x"})
    gitlab_sim.create_branch(project.id, "feature", "main")
    description = (
        "Checkout\n\n## Acceptance criteria\n- A guest can pay by card\n- A receipt is emailed\n"
    )
    mr = gitlab_sim.add_merge_request(
        project.id, "feature", title="Checkout", description=description
    )
    await comment(gitlab_sim, redis_url, project.id, mr.iid, "/testgen manual")

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    [followup] = followups(gitlab_sim, project.id)
    assert followup.source_branch == "testgen/manual/feature"
    path = f"tests/api/manual/test_mr{mr.iid}_manual.py"
    content = gitlab_sim.files(project.id, followup.source_branch)[path].decode()
    assert "@allure.manual" in content and "A receipt is emailed" in content
    assert validate_source(content, path) == []


KEYED_SPEC = """\
openapi: 3.0.3
info: {title: keyed, version: "1"}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Shop-Key}
security: [{key: []}]
paths:
  /items:
    get:
      responses:
        "200": {description: ok}
        "401": {description: no key}
"""


async def test_the_credential_header_follows_the_spec_unless_the_repo_says_otherwise(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid = seed(gitlab_sim, {"api/openapi.yaml": KEYED_SPEC})
    settings = worker_settings(gitlab_sim, tmp_path)
    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen generate")
    await run_burst(settings, redis_url)
    conftest = gitlab_sim.files(project_id, BRANCH)["tests/api/conftest.py"].decode()
    assert "X-Shop-Key" in conftest

    config = "generate:\n  auth_header: Authorization\n  auth_scheme: Token\n"
    gitlab_sim.commit_files(project_id, "feature", {".testgen.yml": config}, "Our auth")
    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen generate")
    await run_burst(settings, redis_url)
    conftest = gitlab_sim.files(project_id, BRANCH)["tests/api/conftest.py"].decode()
    assert "X-Shop-Key" not in conftest and '"Token"' in conftest


HAND_WRITTEN = """import allure


@allure.feature("Orders")
@allure.story("GET /orders/{orderId}")
@allure.title("An order is shown")
def test_show_order(api):
    with allure.step("Act: get order 1"):
        response = api.get("/orders/1")
    with allure.step("Assert: 200"):
        assert response.status_code == 200
"""


async def test_endpoints_tested_anywhere_in_the_repository_are_not_generated_again(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid = seed(
        gitlab_sim, {"api/openapi.yaml": SPEC, "tests/test_orders_by_hand.py": HAND_WRITTEN}
    )
    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen generate")

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    [mr] = followups(gitlab_sim, project_id)
    skipped = "`GET /orders/{orderId}`: already tested in tests/test_orders_by_hand.py"
    assert skipped in mr.description
    table = mr.description.split("Skipped")[0]
    assert "GET /orders/{orderId}" not in table and "POST /orders" in table


async def test_merge_requests_from_forks_are_told_why_no_follow_up_is_pushed(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid = seed(gitlab_sim)
    with gitlab_sim.lock:  # as GitLab shows an MR whose source branch lives in a fork
        gitlab_sim.project(project_id).merge_requests[mr_iid].extra["source_project_id"] = 999
    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen generate")
    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen manual")

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    assert followups(gitlab_sim, project_id) == []
    assert bot_reply(gitlab_sim, project_id, mr_iid).count("comes from a fork") == 2


async def test_files_the_scan_could_not_read_are_listed_in_the_mr(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    config = "generate:\n  base_url_env: SHOP_URL\n"
    broken = "from flask import Flask\napp = Flask(__name__)\n@app.get('/x'\ndef x(:\n"
    project_id, mr_iid = seed(
        gitlab_sim, {"api/openapi.yaml": SPEC, "svc/broken.py": broken, ".testgen.yml": config}
    )
    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen generate")

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    [mr] = followups(gitlab_sim, project_id)
    warnings = mr.description.split("Scan warnings", 1)[1]
    assert "`svc/broken.py`" in warnings
    assert "`SHOP_URL`" in mr.description and "API_BASE_URL" not in mr.description


QUERY_KEY_SPEC = KEYED_SPEC.replace("in: header, name: X-Shop-Key", "in: query, name: shop_key")


async def test_a_query_api_key_travels_as_a_query_parameter(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid = seed(gitlab_sim, {"api/openapi.yaml": QUERY_KEY_SPEC})
    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen generate")

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    conftest = gitlab_sim.files(project_id, BRANCH)["tests/api/conftest.py"].decode()
    assert 'AUTH_QUERY_NAME = "shop_key"' in conftest and "params=" in conftest


FLASK_TWO = (
    FLASK
    + """

@app.get("/status")
def status():
    return {"status": "up"}
"""
)


async def test_generation_on_push_covers_only_the_endpoints_the_push_added(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    config = "generate:\n  on_push: true\n"
    files = {".testgen.yml": config, "app.py": FLASK}
    project = gitlab_sim.create_project("qa/two", files=files)
    settings = worker_settings(gitlab_sim, tmp_path)
    developer = gitlab_sim.add_user("dev")
    body = payloads.push_payload(gitlab_sim, project.id, "main", "0" * 40, user=developer)
    await deliver(redis_url, "Push Hook", json.dumps(body), key="push-a")
    await run_burst(settings, redis_url)
    before = gitlab_sim.branches(project.id)["main"]
    gitlab_sim.commit_files(project.id, "main", {"app.py": FLASK_TWO}, "Status endpoint")

    body = payloads.push_payload(gitlab_sim, project.id, "main", before, user=developer)
    await deliver(redis_url, "Push Hook", json.dumps(body), key="push-b")
    await run_burst(settings, redis_url)

    [mr] = followups(gitlab_sim, project.id)
    table = mr.description.split("Skipped")[0]
    assert "GET /status" in table
    assert "GET /health" not in table  # on the branch already, untested, but not this push's
