"""A follow-up proposal writes only inside the repository's tests folder."""

from __future__ import annotations

import pytest

from bot.followup import FollowUp, fingerprint, is_bot_commit


def proposal(*paths: str) -> FollowUp:
    return FollowUp(
        kind="generate",
        source_branch="feature",
        source_sha="a" * 40,
        files=dict.fromkeys(paths, "x = 1\n"),
        title="t",
        description="d",
        root="tests/api",
    )


def test_paths_inside_the_tests_folder_are_accepted() -> None:
    assert set(proposal("tests/api/test_pets.py", "tests/api/sub/conftest.py").files) == {
        "tests/api/test_pets.py",
        "tests/api/sub/conftest.py",
    }


@pytest.mark.parametrize(
    "path",
    ["app.py", "tests/api/../../app.py", "/tests/api/x.py", "tests/apix/test.py", "tests/api"],
)
def test_paths_outside_it_are_refused(path: str) -> None:
    with pytest.raises(ValueError, match="outside the tests folder"):
        proposal(path)


def test_the_fingerprint_follows_the_content_not_the_order() -> None:
    a = {"tests/api/a.py": "1", "tests/api/b.py": None}
    b = {"tests/api/b.py": None, "tests/api/a.py": "1"}
    assert fingerprint(a) == fingerprint(b) != fingerprint({"tests/api/a.py": "2"})


def test_bot_commits_are_told_apart_by_their_trailer() -> None:
    assert is_bot_commit("testgen: tests\n\nTestgen-Bot: generate\n")
    assert not is_bot_commit("Fix the generated tests by hand\n\nmentions Testgen-Bot: in prose")
