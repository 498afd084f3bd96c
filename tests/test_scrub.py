"""Secrets never leave in what the bot posts: known ones, and anything shaped like one."""

from __future__ import annotations

import httpx
import pytest

from bot.gitlab import GitLab
from bot.scrub import REDACTED, Scrubber
from tests.gitlab_sim.simulator import Simulator

LEAKS = [
    "glpat-AbCdEfGhIjKlMnOpQrSt",
    "gldt-0123456789abcdefghij",
    "sk-proj-0123456789abcdefghijKLMN",
    "ghp_0123456789abcdefghijABCDEFGHIJ",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV",
    "AKIAIOSFODNN7EXAMPLE",
]


@pytest.mark.parametrize("leak", LEAKS)
def test_token_shaped_strings_are_redacted_in_any_text(leak: str) -> None:
    text = Scrubber().text(f"GitLab said: 401 invalid token {leak} (see docs)")
    assert leak not in text and REDACTED in text and text.startswith("GitLab said: 401")


def test_known_secrets_and_key_value_credentials_are_redacted() -> None:
    scrub = Scrubber(["hook-secret-value"]).text
    text = scrub("hook-secret-value; url=https://bot:hunter22@gitlab.example; password=hunter2")
    assert "hook-secret-value" not in text and "hunter2" not in text
    assert "gitlab.example" in text  # the rest stays readable


def test_ordinary_text_is_left_alone() -> None:
    text = "Commit 0123456789abcdef0123456789abcdef01234567 on `feature`: 3 tests, token budget"
    assert Scrubber(["secret-x"]).text(text) == text


async def test_a_note_carrying_the_token_or_a_token_shaped_string_is_posted_without_it(
    gitlab_sim: Simulator,
) -> None:
    project = gitlab_sim.create_project("qa/shop", files={"a.py": "x = 1\n"})
    gitlab_sim.create_branch(project.id, "feature", "main")
    mr = gitlab_sim.add_merge_request(project.id, "feature")
    async with httpx.AsyncClient() as client:
        gitlab = GitLab(client, url=gitlab_sim.base_url, token=gitlab_sim.bot.token)
        body = f"failed: 403 {gitlab_sim.bot.token} and {LEAKS[0]}"
        note = await gitlab.create_mr_note(project.id, mr.iid, body)
        await gitlab.update_mr_note(project.id, mr.iid, note.id, body + " again")

    [posted] = [n.body for n in gitlab_sim.notes(project.id, mr.iid)]
    assert gitlab_sim.bot.token not in posted and LEAKS[0] not in posted
    assert posted.startswith("failed: 403 [REDACTED]") and posted.endswith("again")
