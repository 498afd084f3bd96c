"""Pytest fixture: a fresh GitLab simulator over real HTTP for each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.gitlab_sim.server import running_simulator
from tests.gitlab_sim.simulator import Simulator


@pytest.fixture
def gitlab_sim() -> Iterator[Simulator]:
    """A running simulator: seed with `gitlab_sim.create_project(...)`, call `gitlab_sim.base_url`
    with token `gitlab_sim.bot.token`."""
    with running_simulator() as sim:
        yield sim
