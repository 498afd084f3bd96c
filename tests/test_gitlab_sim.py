"""The GitLab facade over real HTTP against the simulator, and the simulator's fidelity."""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from bot.gitlab import (
    BadRequest,
    CommitAction,
    Conflict,
    GitLab,
    NotFound,
    RateLimited,
    RetryPolicy,
    ServerError,
    Unauthorized,
)
from tests.gitlab_sim import DEVELOPER, REPORTER, Simulator, payloads, running_simulator
from tests.gitlab_sim.git import root_tree_sha


class Sleeps:
    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with running_simulator() as simulator:
        yield simulator


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
async def gl(sim: Simulator, sleeps: Sleeps) -> AsyncIterator[GitLab]:
    async with httpx.AsyncClient() as client:
        yield GitLab(client, url=sim.base_url, token=sim.bot.token, sleep=sleeps)


def git_blob_sha(content: bytes) -> str:
    return hashlib.sha1(b"blob " + str(len(content)).encode() + b"\0" + content).hexdigest()


# --- facade flows --------------------------------------------------------------------------


async def test_notes_are_created_updated_and_listed_across_pages(
    sim: Simulator, gl: GitLab
) -> None:
    project = sim.create_project("grp/app", files={"README.md": "hi\n"})
    mr = sim.add_merge_request(project, "main", "main")
    alice = sim.add_user("alice")
    for index in range(120):
        sim.add_note(project, mr.iid, alice, f"comment {index}")
    created = await gl.create_mr_note("grp/app", mr.iid, "report v1")
    updated = await gl.update_mr_note(project.id, mr.iid, created.id, "report v2")
    sim.clear_requests()
    notes = await gl.list_mr_notes("grp/app", mr.iid)
    assert updated.body == "report v2"
    assert [n.body for n in notes[:2]] == ["comment 0", "comment 1"]
    assert notes[-1].id == created.id and notes[-1].body == "report v2"
    assert len(notes) == 121
    assert len(sim.requests("GET", r"/notes$")) == 2
    assert sim.notes(project, mr.iid)[-1].body == "report v2"


async def test_tree_lists_every_blob_with_git_blob_ids(sim: Simulator, gl: GitLab) -> None:
    files = {f"pkg/mod_{i:03}.py": f"VALUE = {i}\n".encode() for i in range(150)}
    files["pkg/__init__.py"] = b""
    files["tests/__init__.py"] = b""
    files["assets/logo.bin"] = bytes(range(256))
    project = sim.create_project("grp/big", files=files)
    entries = await gl.repository_tree(project.id, "main")
    assert {e.path: e.sha for e in entries} == {p: git_blob_sha(c) for p, c in files.items()}
    assert all(e.type == "blob" for e in entries)
    assert len(sim.requests("GET", r"/repository/tree$")) >= 2
    assert await gl.repository_tree(project.id, "main", "pkg/missing") == []


async def test_raw_file_and_blob_return_exact_bytes_in_one_request(
    sim: Simulator, gl: GitLab
) -> None:
    binary, text = bytes(range(256)), "naïve = 'ü'\n".encode()
    project = sim.create_project("grp/raw", files={"a/b.bin": binary, "src/app.py": text})
    sim.clear_requests()
    assert await gl.raw_file("grp/raw", "src/app.py", "main") == text
    assert len(sim.requests("GET", r"/repository/files/src%2Fapp\.py/raw$")) == 1
    assert await gl.raw_blob(project.id, git_blob_sha(binary)) == binary


async def test_commit_actions_on_a_new_branch(sim: Simulator, gl: GitLab) -> None:
    project = sim.create_project(
        "grp/c", files={"keep.py": "k\n", "old.py": "o\n", "gone.py": "g\n", "edit.py": "1\n"}
    )
    commit = await gl.create_commit(
        project.id,
        "testgen/x",
        "Generate tests",
        [
            {"action": "create", "file_path": "tests/test_a.py", "content": "def test(): ...\n"},
            {"action": "update", "file_path": "edit.py", "content": "2\n"},
            {"action": "delete", "file_path": "gone.py"},
            {"action": "move", "previous_path": "old.py", "file_path": "new/old.py"},
        ],
        start_branch="main",
    )
    assert sim.branches(project)["testgen/x"] == commit.id
    assert sim.files(project, "testgen/x") == {
        "keep.py": b"k\n",
        "edit.py": b"2\n",
        "new/old.py": b"o\n",
        "tests/test_a.py": b"def test(): ...\n",
    }
    assert sim.files(project, "main")["gone.py"] == b"g\n"
    compare = await gl.compare(project.id, "main", "testgen/x")
    kinds = {
        (d.old_path, d.new_path, d.new_file, d.renamed_file, d.deleted_file) for d in compare.diffs
    }
    assert ("old.py", "new/old.py", False, True, False) in kinds
    assert ("gone.py", "gone.py", False, False, True) in kinds
    assert ("tests/test_a.py", "tests/test_a.py", True, False, False) in kinds
    assert [c.id for c in compare.commits] == [commit.id]
    history = await gl.list_commits(project.id, "testgen/x")
    assert [c.id for c in history][:1] == [commit.id] and len(history) == 2


async def test_commit_onto_an_existing_branch_needs_force(sim: Simulator, gl: GitLab) -> None:
    project = sim.create_project("grp/f", files={"a.py": "a\n"})
    sim.create_branch(project, "testgen/x", "main")
    sim.commit_files(project, "testgen/x", {"stale.py": "s\n"})
    action: list[CommitAction] = [{"action": "create", "file_path": "b.py", "content": "b\n"}]
    with pytest.raises(BadRequest, match="already exists"):
        await gl.create_commit(project.id, "testgen/x", "m", action, start_branch="main")
    await gl.create_commit(project.id, "testgen/x", "m", action, start_branch="main", force=True)
    assert set(sim.files(project, "testgen/x")) == {"a.py", "b.py"}


async def test_branches_get_and_create(sim: Simulator, gl: GitLab) -> None:
    project = sim.create_project("grp/b", files={"a.py": "a\n"})
    assert await gl.get_branch(project.id, "feature/x") is None
    created = await gl.create_branch(project.id, "feature/x", "main")
    fetched = await gl.get_branch(project.id, "feature/x")
    assert fetched is not None and fetched.commit.id == created.commit.id
    assert created.commit.id == sim.branches(project)["main"]


async def test_merge_request_create_conflict_list_and_close(sim: Simulator, gl: GitLab) -> None:
    project = sim.create_project("grp/mr", files={"a.py": "a\n"})
    sim.create_branch(project, "testgen/x", "main")
    mr = await gl.create_merge_request(
        project.id, source_branch="testgen/x", target_branch="main", title="Tests"
    )
    with pytest.raises(Conflict, match=f"!{mr.iid}"):
        await gl.create_merge_request(
            project.id, source_branch="testgen/x", target_branch="main", title="Again"
        )
    found = await gl.list_merge_requests(project.id, source_branch="testgen/x")
    assert [m.iid for m in found] == [mr.iid]
    assert await gl.list_merge_requests(project.id, source_branch="other") == []
    closed = await gl.update_merge_request(project.id, mr.iid, state_event="close", title="T2")
    assert (closed.state, closed.title) == ("closed", "T2")
    assert await gl.list_merge_requests(project.id, source_branch="testgen/x") == []
    assert (await gl.get_merge_request(project.id, mr.iid)).state == "closed"


async def test_emoji_awards_are_idempotent(sim: Simulator, gl: GitLab) -> None:
    project = sim.create_project("grp/e", files={"a.py": "a\n"})
    mr = sim.add_merge_request(project, "main", "main")
    note = sim.add_note(project, mr.iid, sim.add_user("dev"), "/testgen help")
    assert await gl.award_note_emoji(project.id, mr.iid, note.id, "eyes") is True
    assert await gl.award_note_emoji(project.id, mr.iid, note.id, "eyes") is False
    assert [a.name for a in sim.note_emoji(project, mr.iid, note.id)] == ["eyes"]
    assert [a.name for a in await gl.list_note_emoji(project.id, mr.iid, note.id)] == ["eyes"]
    assert await gl.award_mr_emoji(project.id, mr.iid, "rocket") is True
    assert await gl.award_mr_emoji(project.id, mr.iid, "rocket") is False
    assert len(sim.mr_emoji(project, mr.iid)) == 1


async def test_member_access_levels_include_inherited_members(sim: Simulator, gl: GitLab) -> None:
    project = sim.create_project("grp/m")
    direct, inherited, stranger = sim.add_user("d"), sim.add_user("i"), sim.add_user("s")
    sim.add_member(project, direct, REPORTER)
    sim.add_member(project, inherited, DEVELOPER, inherited=True)
    assert await gl.member_access_level(project.id, direct.id) == REPORTER
    assert await gl.member_access_level(project.id, inherited.id) == DEVELOPER
    assert await gl.member_access_level(project.id, stranger.id) == 0
    with pytest.raises(NotFound):
        await gl.member_access_level("grp/none", direct.id)


async def test_commit_status_repeated_is_a_no_op(sim: Simulator, gl: GitLab) -> None:
    project = sim.create_project("grp/s", files={"a.py": "a\n"})
    sha = sim.branches(project)["main"]
    first = await gl.set_commit_status(project.id, sha, "running", "testgen", "scanning")
    again = await gl.set_commit_status(project.id, sha, "running", "testgen", "scanning")
    done = await gl.set_commit_status(project.id, sha, "success", "testgen", "done")
    assert first is not None and again is None and done is not None
    assert [s.state for s in sim.statuses(project)] == ["success"]


async def test_429_from_gitlab_is_waited_out(sim: Simulator, gl: GitLab, sleeps: Sleeps) -> None:
    sim.fail_next(2, status=429, retry_after=3, path=r"/user$")
    assert (await gl.current_user()).id == sim.bot.id
    assert sleeps.calls == [3.0, 3.0]
    assert [r.status for r in sim.requests("GET", r"/user$")] == [429, 429, 200]


async def test_500s_are_retried_until_the_budget_runs_out(sim: Simulator, sleeps: Sleeps) -> None:
    sim.create_project("grp/p")
    sim.fail_next(2, status=500, path="/projects/")
    async with httpx.AsyncClient() as client:
        gl = GitLab(client, url=sim.base_url, token=sim.bot.token, sleep=sleeps)
        assert (await gl.get_project("grp/p")).path_with_namespace == "grp/p"
        sim.fail_next(3, status=500, path="/projects/")
        limited = GitLab(
            client,
            url=sim.base_url,
            token=sim.bot.token,
            sleep=sleeps,
            policy=RetryPolicy(max_attempts=3),
        )
        with pytest.raises(ServerError):
            await limited.get_project("grp/p")
        sim.fail_next(1, status=429, retry_after=None, reset_in=500)
        with pytest.raises(RateLimited) as caught:
            await limited.get_project("grp/p")
    assert caught.value.retry_after is not None and caught.value.retry_after > 400


async def test_an_unknown_token_is_unauthorized(sim: Simulator) -> None:
    async with httpx.AsyncClient() as client:
        gl = GitLab(client, url=sim.base_url, token="wrong")
        with pytest.raises(Unauthorized):
            await gl.current_user()


# --- simulator fidelity ------------------------------------------------------------------


def test_blob_and_tree_ids_match_real_git(tmp_path: Path) -> None:
    files = {"a.py": b"print(1)\n", "src/b.py": b"", "src/c/d.txt": b"\xff\x00", "src-x": b"x"}
    sim = Simulator()
    project = sim.create_project("grp/git", files=files)
    for path, content in files.items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    git = ["git", "-C", str(tmp_path)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    out = subprocess.run([*git, "ls-files", "-s"], check=True, capture_output=True, text=True)
    expected = {line.split("\t")[1]: line.split()[1] for line in out.stdout.splitlines()}
    tree = subprocess.run([*git, "write-tree"], check=True, capture_output=True, text=True)
    with sim.lock:
        head = sim.store.commits[sim.branches(project)["main"]]
    assert root_tree_sha(head.files) == tree.stdout.strip()
    assert {p: e.sha for p, e in head.files.items()} == expected


def test_offset_pagination_headers_follow_gitlab(sim: Simulator) -> None:
    project = sim.create_project("grp/pg", files={f"f{i}.py": f"{i}" for i in range(45)})
    headers = {"PRIVATE-TOKEN": sim.bot.token}
    with httpx.Client(base_url=sim.api_url, headers=headers) as client:
        first = client.get(f"/projects/{project.id}/repository/tree", params={"per_page": 20})
        big = client.get(f"/projects/{project.id}/repository/tree", params={"per_page": 500})
    assert len(first.json()) == 20
    assert (first.headers["x-page"], first.headers["x-next-page"]) == ("1", "2")
    assert (first.headers["x-total"], first.headers["x-total-pages"]) == ("45", "3")
    assert 'rel="next"' in first.headers["link"] and "page=2" in first.headers["link"]
    assert len(big.json()) == 45 and big.headers["x-per-page"] == "100"


def test_unencoded_file_paths_do_not_resolve_and_bearer_auth_works(sim: Simulator) -> None:
    project = sim.create_project("grp/enc", files={"src/app.py": "x\n"})
    headers = {"Authorization": f"Bearer {sim.bot.token}"}
    with httpx.Client(base_url=sim.api_url, headers=headers) as client:
        plain = client.get(f"/projects/{project.id}/repository/files/src/app.py/raw")
        encoded = client.get(f"/projects/{project.id}/repository/files/src%2Fapp.py/raw")
        anonymous = client.get("/user", headers={"Authorization": ""})
    assert (plain.status_code, encoded.status_code, anonymous.status_code) == (404, 200, 401)


def test_private_projects_are_invisible_to_non_members(sim: Simulator) -> None:
    sim.create_project("grp/private")
    outsider = sim.add_user("outsider")
    with httpx.Client(base_url=sim.api_url, headers={"PRIVATE-TOKEN": outsider.token}) as client:
        answer = client.get("/projects/grp%2Fprivate")
    assert answer.status_code == 404
    assert answer.json() == {"message": "404 Project Not Found"}


def test_slow_fault_delays_the_answer(sim: Simulator) -> None:
    sim.slow_next(1, delay=0.3, path=r"/user$")
    with httpx.Client(base_url=sim.api_url, headers={"PRIVATE-TOKEN": sim.bot.token}) as client:
        with pytest.raises(httpx.ReadTimeout):
            client.get("/user", timeout=0.1)
        assert client.get("/user", timeout=2).status_code == 200


def test_keyset_tree_walk_ends_with_an_empty_page_and_no_link(sim: Simulator) -> None:
    project = sim.create_project("grp/ks", files={f"f{i}.py": "x" for i in range(4)})
    headers = {"PRIVATE-TOKEN": sim.bot.token}
    params = {"pagination": "keyset", "per_page": "2", "recursive": "true"}
    pages = []
    with httpx.Client(headers=headers) as client:
        answer = client.get(f"{sim.api_url}/projects/{project.id}/repository/tree", params=params)
        pages.append(answer.json())
        while "link" in answer.headers:
            next_url = answer.headers["link"].split(">")[0].lstrip("<")
            assert "page" not in httpx.URL(next_url).params
            answer = client.get(next_url)
            pages.append(answer.json())
    assert [len(page) for page in pages] == [2, 2, 0]


def test_hook_token_is_reset_when_its_url_changes(sim: Simulator) -> None:
    project = sim.create_project("grp/h")
    headers = {"PRIVATE-TOKEN": sim.bot.token}
    with httpx.Client(base_url=f"{sim.api_url}/projects/{project.id}", headers=headers) as c:
        hook = c.post("/hooks", json={"url": "https://a.example/h", "token": "t"}).json()
        c.put(f"/hooks/{hook['id']}", json={"url": "https://b.example/h"})
        shown = c.get(f"/hooks/{hook['id']}").json()
    assert "token" not in hook and hook["token_present"] is True
    assert shown["token_present"] is False and shown["push_events"] is True
    assert sim.hooks(project)[0].token is None


def test_duplicate_merge_request_answer_is_gitlabs_409(sim: Simulator) -> None:
    project = sim.create_project("grp/d", files={"a": "a"})
    sim.create_branch(project, "feature", "main")
    mr = sim.add_merge_request(project, "feature")
    body = {"source_branch": "feature", "target_branch": "main", "title": "t"}
    with httpx.Client(headers={"PRIVATE-TOKEN": sim.bot.token}) as client:
        answer = client.post(f"{sim.api_url}/projects/{project.id}/merge_requests", json=body)
    assert answer.status_code == 409
    message = f"Another open merge request already exists for this source branch: !{mr.iid}"
    assert answer.json() == {"message": [message]}


def test_only_the_author_may_edit_a_note(sim: Simulator) -> None:
    project = sim.create_project("grp/n", files={"a": "a"})
    mr = sim.add_merge_request(project, "main")
    other = sim.add_user("other")
    sim.add_member(project, other, DEVELOPER)
    note = sim.add_note(project, mr.iid, other, "mine")
    url = f"{sim.api_url}/projects/{project.id}/merge_requests/{mr.iid}/notes/{note.id}"
    with httpx.Client(headers={"PRIVATE-TOKEN": sim.bot.token}) as client:
        assert client.put(url, json={"body": "x"}).status_code == 403
    assert sim.notes(project, mr.iid)[0].body == "mine"


def test_payloads_describe_the_seeded_state(sim: Simulator) -> None:
    project = sim.create_project("grp/pay", files={"a.py": "1\n", "b.py": "b\n"})
    before = sim.branches(project)["main"]
    sim.commit_files(project, "main", {"a.py": "2\n", "b.py": None, "c.py": "c\n"})
    dev = sim.add_user("dev")
    mr = sim.add_merge_request(project, "main", "main", author=dev)
    note = sim.add_note(project, mr.iid, dev, "/testgen generate")
    push = payloads.push_payload(sim, project, "main", before)
    (commit,) = push["commits"]
    assert (push["before"], push["after"]) == (before, sim.branches(project)["main"])
    assert (commit["added"], commit["modified"], commit["removed"]) == (
        ["c.py"],
        ["a.py"],
        ["b.py"],
    )
    assert push["project"]["path_with_namespace"] == "grp/pay" and push["total_commits_count"] == 1
    hook = payloads.note_payload(sim, project, mr.iid, note.id)
    assert hook["object_attributes"]["note"] == "/testgen generate"
    assert hook["user"]["id"] == dev.id and hook["merge_request"]["iid"] == mr.iid
    opened = payloads.merge_request_payload(sim, project, mr.iid)
    assert opened["object_attributes"]["action"] == "open" and opened["user"]["id"] == dev.id
    assert payloads.headers("Note Hook", "s")["X-Gitlab-Token"] == "s"
