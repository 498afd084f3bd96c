"""An in-memory GitLab REST v4 simulator served by uvicorn on loopback, for tests."""

from tests.gitlab_sim.faults import LoggedRequest
from tests.gitlab_sim.git import blob_sha
from tests.gitlab_sim.model import (
    DEVELOPER,
    GUEST,
    MAINTAINER,
    OWNER,
    REPORTER,
    Award,
    Hook,
    MergeRequest,
    Note,
    Project,
    User,
)
from tests.gitlab_sim.server import running_simulator
from tests.gitlab_sim.simulator import Simulator

__all__ = [
    "DEVELOPER",
    "GUEST",
    "MAINTAINER",
    "OWNER",
    "REPORTER",
    "Award",
    "Hook",
    "LoggedRequest",
    "MergeRequest",
    "Note",
    "Project",
    "Simulator",
    "User",
    "blob_sha",
    "running_simulator",
]
