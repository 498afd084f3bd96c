"""Issue and merge request texts the bot writes (the dashboard, follow-up MRs with their
healing log) pass the same scrubber as its comments: no token reaches GitLab in them."""

from __future__ import annotations

import httpx

from bot.gitlab import GitLab
from bot.scrub import Scrubber
from tests.gitlab_sim.issues import issues
from tests.gitlab_sim.simulator import Simulator

LEAK = "glpat-AbCdEfGhIjKlMnOpQrSt"  # token-shaped text a healed test line might hold
HOOK_SECRET = "hook-secret-Hd83kQp0zVx6Lm2N"


async def test_issue_and_merge_request_descriptions_are_scrubbed(gitlab_sim: Simulator) -> None:
    project = gitlab_sim.create_project("qa/pets", files={"README.md": "pets\n"})
    gitlab_sim.create_branch(project.id, "testgen/heal/main", "main")
    text = f"healed `/pets?token={LEAK}` and `{HOOK_SECRET}`"
    async with httpx.AsyncClient() as client:
        gl = GitLab(client, url=gitlab_sim.base_url, token=gitlab_sim.bot.token)
        gl.scrub = Scrubber([gitlab_sim.bot.token, HOOK_SECRET]).text  # as the worker sets it
        issue = await gl.create_issue(project.id, "testgen dashboard", text)
        await gl.update_issue(project.id, issue.iid, text + " again")
        mr = await gl.create_merge_request(
            project.id,
            source_branch="testgen/heal/main",
            target_branch="main",
            title="testgen: heal",
            description=text,
        )
        created = [m.description for m in gitlab_sim.merge_requests(project.id)]
        await gl.update_merge_request(project.id, mr.iid, description=text + " again")

    written = [*created, *(i.description for i in issues(gitlab_sim, project.id))]
    written += [m.description for m in gitlab_sim.merge_requests(project.id)]
    assert len(written) == 3 and all("healed" in w for w in written)
    assert not any(LEAK in w or HOOK_SECRET in w for w in written)
