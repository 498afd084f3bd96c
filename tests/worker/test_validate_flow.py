"""`/testgen validate` in a merge request: findings for the MR's test modules, linked to lines."""

from __future__ import annotations

import re
from pathlib import Path

from tests.gitlab_sim.simulator import Simulator
from tests.support.worker import answer, bot_reply, comment, run_burst, worker_settings

GOOD = """import allure


@allure.feature("Orders")
@allure.story("GET /orders")
@allure.title("Orders are listed")
def test_list_orders(api):
    with allure.step("Act: list orders"):
        response = api.get("/orders")
    with allure.step("Assert: 200"):
        assert response.status_code == 200
"""
BAD = """import allure


def test_create_order(api):
    response = api.post("/orders", json={"item": "book"})
    assert response.status_code == 201
"""


def seed(sim: Simulator, feature_files: dict[str, str | bytes | None]) -> tuple[int, int, str]:
    project = sim.create_project("qa/shop", files={"tests/test_old.py": BAD, "app.py": "x = 1\n"})
    sim.create_branch(project.id, "feature", "main")
    sha = sim.commit_files(project.id, "feature", feature_files, "Tests")
    mr = sim.add_merge_request(project.id, "feature")
    return project.id, mr.iid, sha


async def test_findings_of_changed_test_modules_are_linked_to_their_lines(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid, sha = seed(
        gitlab_sim, {"tests/test_orders.py": BAD, "tests/test_list.py": GOOD}
    )
    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen validate")

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    text = bot_reply(gitlab_sim, project_id, mr_iid)
    assert "`tests/test_orders.py`" in text and "missing-label" in text
    assert "tests/test_list.py" not in text  # clean
    assert "tests/test_old.py" not in text  # not changed by this MR
    links = re.findall(r"\]\((http[^)]+)\)", text)
    assert links and all(f"/-/blob/{sha}/tests/test_orders.py#L" in link for link in links)
    assert "of 2 file(s)" in text
    [status] = gitlab_sim.statuses(project_id)
    assert (status.sha, status.state, status.name) == (sha, "failed", "testgen: allure validation")


async def test_validate_all_checks_the_whole_suite(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid, _ = seed(gitlab_sim, {"tests/test_list.py": GOOD})
    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen validate all")

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    text = bot_reply(gitlab_sim, project_id, mr_iid)
    assert "`tests/test_old.py`" in text and "of 2 file(s)" in text
    assert "0 of these" in text and "new against `main`" in text
    [status] = gitlab_sim.statuses(project_id)  # the old findings are not this MR's doing
    assert status.state == "success" and status.description.startswith("0 new finding(s)")


async def test_validate_all_fails_the_status_for_findings_the_mr_adds(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    moved = "\n\n" + BAD  # the old finding, shifted down: still not new
    project_id, mr_iid, _ = seed(gitlab_sim, {"tests/test_old.py": moved, "tests/test_new.py": BAD})
    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen validate all")

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    text = bot_reply(gitlab_sim, project_id, mr_iid)
    assert "`tests/test_old.py`" in text and "`tests/test_new.py`" in text
    [status] = gitlab_sim.statuses(project_id)
    assert status.state == "failed"
    per_file = text.count("`tests/test_new.py`")
    assert per_file == 1
    new_count = int(status.description.split(" new finding")[0])
    total = int(status.description.split("; ")[1].split(" in ")[0])
    assert 0 < new_count < total  # only test_new.py's findings are new


async def test_a_clean_change_says_so(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid, _ = seed(gitlab_sim, {"tests/test_list.py": GOOD})
    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen validate")

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    assert "No findings in 1 file(s)" in bot_reply(gitlab_sim, project_id, mr_iid)
    assert [s.state for s in gitlab_sim.statuses(project_id)] == ["success"]


async def test_the_repositorys_rules_apply_and_a_broken_config_is_reported(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    config = "validate:\n  required_labels: [feature, story, title, severity]\n"
    project_id, mr_iid, _ = seed(gitlab_sim, {"tests/test_list.py": GOOD, ".testgen.yml": config})
    settings = worker_settings(gitlab_sim, tmp_path)
    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen validate")
    await run_burst(settings, redis_url)
    first = bot_reply(gitlab_sim, project_id, mr_iid)
    assert "missing-label" in first and "severity" in first.split("missing-label", 1)[1]

    broken = "validate:\n  rules: {nope: true}\ntests_dir: /abs\n"
    gitlab_sim.commit_files(project_id, "feature", {".testgen.yml": broken})
    note_id = await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen validate")
    await run_burst(settings, redis_url)

    text = answer(gitlab_sim, project_id, mr_iid, note_id)
    assert "`.testgen.yml` on `feature` is invalid" in text
    bullets = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(bullets) == 2  # one per invalid key
    assert "tests_dir" in bullets[0] and "validate.rules" in bullets[1]
    assert bot_reply(gitlab_sim, project_id, mr_iid) == first  # the findings stay the state


async def test_yaml_that_does_not_parse_is_quoted_in_a_code_block(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid, _ = seed(
        gitlab_sim, {"tests/test_list.py": GOOD, ".testgen.yml": "validate: [1, 2\n"}
    )
    note_id = await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen validate")

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    text = answer(gitlab_sim, project_id, mr_iid, note_id)
    assert "is not valid YAML" in text
    block = text.split("```text\n", 1)[1].split("\n```", 1)[0]
    assert "line 2" in block  # the parser's own words, with its position


async def test_an_mr_without_test_changes_is_told_how_to_check_everything(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid, _ = seed(gitlab_sim, {"app.py": "x = 2\n"})
    note_id = await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen validate")

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    assert "/testgen validate all" in answer(gitlab_sim, project_id, mr_iid, note_id)
