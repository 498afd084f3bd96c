"""`/testgen generate --kind …`: security and load tests in the follow-up MR, gaps listed."""

from __future__ import annotations

from pathlib import Path

from bot.validate.api import validate_source
from tests.gitlab_sim.simulator import Simulator
from tests.support.worker import answer, bot_reply, comment, run_burst, worker_settings

REFERENCE = Path(__file__).parent.parent / "reference_api"
BRANCH = "testgen/generate/feature"


def seed(sim: Simulator, extra: dict[str, str | bytes | None] | None = None) -> tuple[int, int]:
    project = sim.create_project("qa/pets", files={"README.md": "pets\n"})
    sim.create_branch(project.id, "feature", "main")
    files: dict[str, str | bytes | None] = {
        "api/openapi.yaml": (REFERENCE / "openapi.yaml").read_text(),
        "api/app.py": (REFERENCE / "app.py").read_text(),
        **(extra or {}),
    }
    sim.commit_files(project.id, "feature", files, "API")
    mr = sim.add_merge_request(project.id, "feature", title="Pets API")
    return project.id, mr.iid


def _generated(sim: Simulator, project_id: int) -> dict[str, str]:
    files = sim.files(project_id, BRANCH)
    return {p: c.decode() for p, c in files.items() if p.startswith("tests/api/")}


async def test_kind_security_proposes_security_modules_and_lists_shadow_endpoints(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid = seed(gitlab_sim)
    note = "/testgen generate --kind security"
    await comment(gitlab_sim, redis_url, project_id, mr_iid, note)

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    generated = _generated(gitlab_sim, project_id)
    security = [p for p in generated if p.startswith("tests/api/security/test_")]
    assert security, sorted(generated)
    assert not [p for p in generated if p.startswith("tests/api/test_")]
    for path in security:
        assert validate_source(generated[path], path) == [], path
    [mr] = [m for m in gitlab_sim.merge_requests(project_id) if m.source_branch == BRANCH]
    assert "API9 shadow: GET /internal/stats" in mr.description
    assert "(security)" in mr.description
    assert "Opened" in bot_reply(gitlab_sim, project_id, mr_iid)


async def test_testgen_yml_kinds_and_thresholds_reach_the_load_tests(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    config = "generate:\n  kinds: [performance]\nperformance:\n  p95_ms: 250\n"
    project_id, mr_iid = seed(gitlab_sim, {".testgen.yml": config})
    await comment(gitlab_sim, redis_url, project_id, mr_iid, "/testgen generate")

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    generated = _generated(gitlab_sim, project_id)
    locustfiles = [p for p in generated if p.startswith("tests/api/performance/locustfile_")]
    assert "tests/api/performance/locustfile_pets.py" in locustfiles
    assert 'os.environ.get("LOAD_P95_MS", "250")' in generated[locustfiles[0]]
    assert not [p for p in generated if "/test_" in p]


async def test_an_unknown_kind_is_answered_with_the_usage(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project_id, mr_iid = seed(gitlab_sim)
    note_id = await comment(
        gitlab_sim, redis_url, project_id, mr_iid, "/testgen generate --kind chaos"
    )

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    reply = answer(gitlab_sim, project_id, mr_iid, note_id)
    assert "--kind functional|security|performance|all" in reply
    assert "--kind chaos" in reply
