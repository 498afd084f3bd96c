"""A push, from an accepted delivery to the stored inventory, through the real worker."""

from __future__ import annotations

import json
from pathlib import Path

from redis.asyncio import Redis

from bot.inventory_store import InventoryStore
from bot.scan.engine import scan_path
from tests.conftest import FIXTURES
from tests.gitlab_sim import payloads
from tests.gitlab_sim.simulator import Simulator
from tests.support.worker import deliver, run_burst, worker_settings

APP = FIXTURES / "scan" / "fastapi_app"
ZERO = "0" * 40


def tree(root: Path) -> dict[str, str | bytes | None]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


async def push(sim: Simulator, redis_url: str, project_id: int, branch: str, before: str) -> None:
    developer = sim.add_user(f"dev{sim.next_id()}")
    body = payloads.push_payload(sim, project_id, branch, before, user=developer)
    assert await deliver(redis_url, "Push Hook", json.dumps(body), key=f"push-{body['after']}")


async def stored(redis_url: str, project_id: int, branch: str):  # type: ignore[no-untyped-def]
    client = Redis.from_url(redis_url)
    try:
        return await InventoryStore(client).head(project_id, branch)
    finally:
        await client.aclose()


def endpoints(inventory) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return sorted((e.method, e.path) for e in inventory.endpoints)


async def test_a_first_push_stores_the_branchs_inventory(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project = gitlab_sim.create_project("qa/api", files=tree(APP))
    await push(gitlab_sim, redis_url, project.id, "main", ZERO)

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    head = await stored(redis_url, project.id, "main")
    assert head is not None and head.sha == gitlab_sim.branches(project.id)["main"]
    # the same files scanned from disk by the CLI's path give the same endpoints
    assert endpoints(head.inventory) == endpoints(scan_path(APP))
    assert head.inventory.endpoints


async def test_a_second_push_fetches_only_the_file_it_changed(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project = gitlab_sim.create_project("qa/api", files=tree(APP))
    settings = worker_settings(gitlab_sim, tmp_path)
    await push(gitlab_sim, redis_url, project.id, "main", ZERO)
    await run_burst(settings, redis_url)
    first = gitlab_sim.branches(project.id)["main"]
    route = "backend/app/health.py"
    source = gitlab_sim.files(project.id, "main")[route].decode()
    changed = source + '\n\n@router.get("/health/deep")\nasync def deep() -> dict:\n    return {}\n'
    gitlab_sim.commit_files(project.id, "main", {route: changed}, "Deep health")
    gitlab_sim.clear_requests()

    await push(gitlab_sim, redis_url, project.id, "main", first)
    await run_burst(settings, redis_url)

    raw = gitlab_sim.requests("GET", path=r"/repository/(files/.*/raw|blobs/.*/raw)")
    # a new endpoint on the default branch also makes the bot read its .testgen.yml (to see
    # whether to propose tests): configuration, not scanned source
    config = f"/api/v4/projects/{project.id}/repository/files/.testgen.yml/raw"
    assert [r.path for r in raw if r.path != config] == [
        f"/api/v4/projects/{project.id}/repository/files/backend%2Fapp%2Fhealth.py/raw"
    ]
    assert gitlab_sim.requests("GET", path=r"/repository/tree") == []
    head = await stored(redis_url, project.id, "main")
    assert head is not None and head.diff is not None
    assert [(e.method, e.path.endswith("/health/deep")) for e in head.diff.added] == [("GET", True)]


async def test_a_push_with_a_truncated_commit_list_uses_the_compare_api(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project = gitlab_sim.create_project("qa/api", files=tree(APP))
    settings = worker_settings(gitlab_sim, tmp_path)
    await push(gitlab_sim, redis_url, project.id, "main", ZERO)
    await run_burst(settings, redis_url)
    first = gitlab_sim.branches(project.id)["main"]
    for n in range(21):
        gitlab_sim.commit_files(project.id, "main", {f"notes/{n}.txt": f"{n}\n"}, f"Note {n}")
    gitlab_sim.commit_files(project.id, "main", {"backend/app/health.py": None}, "Drop health")
    gitlab_sim.clear_requests()

    await push(gitlab_sim, redis_url, project.id, "main", first)
    await run_burst(settings, redis_url)

    assert len(gitlab_sim.requests("GET", path=r"/repository/compare")) == 1
    head = await stored(redis_url, project.id, "main")
    assert head is not None and head.diff is not None
    assert head.diff.removed and all("health" in e.path for e in head.diff.removed)
    assert all(e.file != "backend/app/health.py" for e in head.inventory.endpoints)


async def test_the_same_push_delivered_twice_scans_once(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project = gitlab_sim.create_project("qa/api", files=tree(APP))
    developer = gitlab_sim.add_user("dev")
    body = json.dumps(payloads.push_payload(gitlab_sim, project.id, "main", ZERO, user=developer))
    assert await deliver(redis_url, "Push Hook", body, key="first")
    assert await deliver(redis_url, "Push Hook", body, key="second")  # a new delivery id

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    assert len(gitlab_sim.requests("GET", path=r"/repository/tree")) == 1


async def test_tags_branch_deletions_and_the_bots_own_pushes_are_not_scanned(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project = gitlab_sim.create_project("qa/api", files=tree(APP))
    tag = json.loads((FIXTURES / "gitlab" / "tag_push.json").read_text())
    tag["project_id"] = tag["project"]["id"] = project.id
    deleted = payloads.push_payload(gitlab_sim, project.id, "main", ZERO, user=gitlab_sim.bot)
    deleted |= {"after": ZERO, "user_id": 999_999}
    own = payloads.push_payload(gitlab_sim, project.id, "main", ZERO, user=gitlab_sim.bot)
    for key, body in (("tag", tag), ("deleted", deleted), ("own", own)):
        assert await deliver(redis_url, "Push Hook", json.dumps(body), key=key)

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    assert gitlab_sim.requests("GET", path=r"/repository/") == []
    assert await stored(redis_url, project.id, "main") is None


def many_modules(count: int) -> dict[str, str | bytes | None]:
    files = tree(APP)
    for n in range(count):
        files[f"lib/mod_{n}.py"] = f"VALUE_{n} = {n}\n"
    return files


async def test_a_large_first_scan_downloads_one_archive_instead_of_every_file(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project = gitlab_sim.create_project("qa/api", files=many_modules(60))
    await push(gitlab_sim, redis_url, project.id, "main", ZERO)

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    assert len(gitlab_sim.requests("GET", path=r"/repository/archive\.tar\.gz$")) == 1
    # a default-branch push also reads .testgen.yml (is there a dashboard?): not scanned source
    fetched = gitlab_sim.requests("GET", path=r"/repository/(blobs|files)/")
    assert [r.path for r in fetched if not r.path.endswith("/files/.testgen.yml/raw")] == []
    head = await stored(redis_url, project.id, "main")
    assert head is not None and endpoints(head.inventory) == endpoints(scan_path(APP))


async def test_without_the_archive_the_scan_fetches_file_by_file(
    gitlab_sim: Simulator, redis_url: str, tmp_path: Path
) -> None:
    project = gitlab_sim.create_project("qa/api", files=many_modules(60))
    gitlab_sim.fail_next(1, status=403, path=r"/repository/archive")
    await push(gitlab_sim, redis_url, project.id, "main", ZERO)

    await run_burst(worker_settings(gitlab_sim, tmp_path), redis_url)

    assert len(gitlab_sim.requests("GET", path=r"/repository/blobs/")) > 60
    head = await stored(redis_url, project.id, "main")
    assert head is not None and endpoints(head.inventory) == endpoints(scan_path(APP))
