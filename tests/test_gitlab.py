"""Unit tests of the GitLab facade's HTTP behaviour, with respx faking GitLab."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import respx

from bot.gitlab import (
    Forbidden,
    GitLab,
    GitLabError,
    NotFound,
    RateLimited,
    RetryPolicy,
    ServerError,
    TransportError,
    Unauthorized,
    Unprocessable,
    is_transient,
)

BASE = "https://gitlab.test"
API = f"{BASE}/api/v4"
TOKEN = "glpat-secret-value"
NOW = 1_700_000_000.0


class Sleeps:
    """Injected sleep: records each wait instead of sleeping."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
async def gl(sleeps: Sleeps) -> AsyncIterator[GitLab]:
    async with httpx.AsyncClient() as client:
        yield GitLab(client, url=BASE, token=TOKEN, sleep=sleeps, clock=lambda: NOW)


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=API, assert_all_called=False) as router:
        yield router


def note(note_id: int) -> dict[str, object]:
    return {"id": note_id, "body": f"n{note_id}", "author": {"id": 1, "username": "u"}}


async def test_pagination_follows_the_next_link_exactly(gl: GitLab, mock: respx.MockRouter) -> None:
    second = f"{API}/projects/7/merge_requests/3/notes?cursor=abc&per_page=100"
    route = mock.get("/projects/7/merge_requests/3/notes").mock(
        side_effect=[
            httpx.Response(
                200, json=[note(1), note(2)], headers={"link": f'<{second}>; rel="next"'}
            ),
            httpx.Response(200, json=[note(3)]),
        ]
    )
    notes = await gl.list_mr_notes(7, 3)
    assert [n.id for n in notes] == [1, 2, 3]
    assert str(route.calls[1].request.url) == second
    assert "page" not in route.calls[0].request.url.params


async def test_a_next_link_pointing_back_ends_with_an_error(
    gl: GitLab, mock: respx.MockRouter
) -> None:
    first = f"{API}/projects/7/merge_requests/3/notes?per_page=100&sort=asc"
    mock.get("/projects/7/merge_requests/3/notes").mock(
        return_value=httpx.Response(200, json=[note(1)], headers={"link": f'<{first}>; rel="next"'})
    )
    with pytest.raises(GitLabError, match="pagination"):
        await gl.list_mr_notes(7, 3)


async def test_429_waits_for_retry_after_then_succeeds(
    gl: GitLab, mock: respx.MockRouter, sleeps: Sleeps
) -> None:
    mock.get("/user").mock(
        side_effect=[
            httpx.Response(429, text="Retry later", headers={"Retry-After": "7"}),
            httpx.Response(200, json={"id": 5, "username": "bot"}),
        ]
    )
    user = await gl.current_user()
    assert user.id == 5
    assert sleeps.calls == [7.0]


async def test_429_without_retry_after_waits_until_ratelimit_reset(
    gl: GitLab, mock: respx.MockRouter, sleeps: Sleeps
) -> None:
    reset = {"RateLimit-Reset": str(int(NOW) + 12)}
    mock.get("/user").mock(
        side_effect=[
            httpx.Response(429, text="Retry later", headers=reset),
            httpx.Response(200, json={"id": 5, "username": "bot"}),
        ]
    )
    await gl.current_user()
    assert sleeps.calls == [12.0]


async def test_429_beyond_the_wait_budget_raises_rate_limited_at_once(
    gl: GitLab, mock: respx.MockRouter, sleeps: Sleeps
) -> None:
    route = mock.get("/user").mock(
        return_value=httpx.Response(429, text="Retry later", headers={"Retry-After": "3600"})
    )
    with pytest.raises(RateLimited) as caught:
        await gl.current_user()
    assert caught.value.retry_after == 3600.0
    assert caught.value.status == 429
    assert route.call_count == 1
    assert sleeps.calls == []


async def test_5xx_is_retried_with_exponential_backoff(
    gl: GitLab, mock: respx.MockRouter, sleeps: Sleeps
) -> None:
    mock.get("/projects/grp%2Fproj").mock(
        side_effect=[
            httpx.Response(502, text="<html>Bad gateway</html>"),
            httpx.Response(500, json={"message": "500 Internal Server Error"}),
            httpx.Response(200, json={"id": 9, "path_with_namespace": "grp/proj"}),
        ]
    )
    project = await gl.get_project("grp/proj")
    assert project.id == 9
    assert sleeps.calls == [0.5, 1.0]


async def test_5xx_exhaustion_raises_server_error(sleeps: Sleeps, mock: respx.MockRouter) -> None:
    route = mock.get("/user").mock(return_value=httpx.Response(503, text="down"))
    policy = RetryPolicy(max_attempts=3, backoff_base=0.25)
    async with httpx.AsyncClient() as client:
        gl = GitLab(client, url=BASE, token=TOKEN, sleep=sleeps, policy=policy)
        with pytest.raises(ServerError) as caught:
            await gl.current_user()
    assert caught.value.status == 503
    assert route.call_count == 3
    assert sleeps.calls == [0.25, 0.5]
    assert is_transient(caught.value)


async def test_a_post_answered_with_5xx_is_not_replayed(gl: GitLab, mock: respx.MockRouter) -> None:
    route = mock.post("/projects/1/merge_requests/2/notes").mock(
        return_value=httpx.Response(500, json={"message": "500 Internal Server Error"})
    )
    with pytest.raises(ServerError):
        await gl.create_mr_note(1, 2, "hello")
    assert route.call_count == 1


async def test_transport_errors_are_retried_then_raised(
    gl: GitLab, mock: respx.MockRouter, sleeps: Sleeps
) -> None:
    route = mock.get("/user").mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(TransportError) as caught:
        await gl.current_user()
    assert route.call_count == 5
    assert len(sleeps.calls) == 4
    assert caught.value.status is None
    assert is_transient(caught.value)


@pytest.mark.parametrize(
    ("status", "error_type"),
    [(401, Unauthorized), (403, Forbidden), (404, NotFound)],
)
async def test_client_errors_map_to_typed_errors(
    gl: GitLab, mock: respx.MockRouter, status: int, error_type: type[GitLabError]
) -> None:
    message = f"{status} Project Not Found"
    mock.get("/projects/4").mock(return_value=httpx.Response(status, json={"message": message}))
    with pytest.raises(error_type) as caught:
        await gl.get_project(4)
    assert (caught.value.status, caught.value.message) == (status, message)
    assert not is_transient(caught.value)


async def test_422_with_a_non_json_body_is_unprocessable(
    gl: GitLab, mock: respx.MockRouter
) -> None:
    mock.post("/projects/1/merge_requests").mock(
        return_value=httpx.Response(422, text="Unprocessable: <b>nope</b>")
    )
    with pytest.raises(Unprocessable) as caught:
        await gl.create_merge_request(1, source_branch="a", target_branch="b", title="t")
    assert caught.value.message == "Unprocessable: <b>nope</b>"


async def test_422_with_a_message_list_keeps_every_message(
    gl: GitLab, mock: respx.MockRouter
) -> None:
    mock.post("/projects/1/merge_requests").mock(
        return_value=httpx.Response(422, json={"message": ["first", "second"]})
    )
    with pytest.raises(Unprocessable, match="first; second"):
        await gl.create_merge_request(1, source_branch="a", target_branch="b", title="t")


async def test_raw_file_is_bytes_even_when_served_as_text(
    gl: GitLab, mock: respx.MockRouter
) -> None:
    content = "é = 1\n".encode()
    route = mock.get("/projects/grp%2Fsub%2Fproj/repository/files/src%2Fapp%20x.py/raw").mock(
        return_value=httpx.Response(200, content=content, headers={"content-type": "text/plain"})
    )
    assert await gl.raw_file("grp/sub/proj", "src/app x.py", "feature/x") == content
    assert route.calls[0].request.url.params["ref"] == "feature/x"


async def test_raw_blob_returns_binary_content(gl: GitLab, mock: respx.MockRouter) -> None:
    content = bytes(range(256))
    mock.get("/projects/3/repository/blobs/abc/raw").mock(
        return_value=httpx.Response(200, content=content)
    )
    assert await gl.raw_blob(3, "abc") == content


async def test_requests_carry_the_token_but_repr_does_not(
    gl: GitLab, mock: respx.MockRouter
) -> None:
    route = mock.get("/user").mock(
        return_value=httpx.Response(200, json={"id": 1, "username": "b"})
    )
    await gl.current_user()
    assert route.calls[0].request.headers["authorization"] == f"Bearer {TOKEN}"
    assert route.calls[0].request.headers["user-agent"] == "testgen-bot"
    assert TOKEN not in repr(gl)


async def test_emoji_already_awarded_counts_as_success(gl: GitLab, mock: respx.MockRouter) -> None:
    taken = {"message": "404 Award Emoji Name has already been taken Not Found"}
    mock.post("/projects/1/merge_requests/2/notes/3/award_emoji").mock(
        return_value=httpx.Response(404, json=taken)
    )
    assert await gl.award_note_emoji(1, 2, 3, "eyes") is False


async def test_emoji_on_a_missing_note_is_not_found(gl: GitLab, mock: respx.MockRouter) -> None:
    mock.post("/projects/1/merge_requests/2/notes/3/award_emoji").mock(
        return_value=httpx.Response(404, json={"message": "404 Note Not Found"})
    )
    with pytest.raises(NotFound):
        await gl.award_note_emoji(1, 2, 3, "eyes")


def test_only_rate_limits_server_errors_and_transport_errors_are_transient() -> None:
    assert is_transient(RateLimited("x", 1.0))
    assert is_transient(ServerError("x", 500))
    assert is_transient(TransportError("x"))
    assert not is_transient(NotFound("x", 404))
    assert not is_transient(ValueError("x"))
