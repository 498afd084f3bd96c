"""The shipped deployment files say what the README promises (no Docker engine runs here)."""

from __future__ import annotations

import re
import subprocess

import yaml

from tests.conftest import REPO_ROOT

DOCKERFILE = (REPO_ROOT / "Dockerfile").read_text()


def test_the_image_runs_as_a_non_root_user_with_a_healthcheck() -> None:
    final_stage = DOCKERFILE.rsplit("\nFROM ", 1)[1]
    users = re.findall(r"^USER\s+(\S+)", final_stage, re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    assert re.search(r"^HEALTHCHECK .*\n?.*CMD .*/health", final_stage, re.MULTILINE)
    assert final_stage.startswith("python:3.11-slim")


def test_compose_runs_redis_with_aof_a_receiver_and_workers() -> None:
    compose = yaml.safe_load((REPO_ROOT / "deploy" / "docker-compose.yml").read_text())
    services = compose["services"]
    assert "--appendonly" in services["redis"]["command"]
    assert services["receiver"]["command"] == ["serve", "--no-worker"]
    assert services["worker"]["command"] == ["worker"]
    for name in ("receiver", "worker"):
        assert services[name]["environment"]["REDIS_URL"].startswith("redis://redis:")


def test_ci_runs_the_readme_test_command() -> None:
    readme = (REPO_ROOT / "README.md").read_text()
    ci = (REPO_ROOT / ".ci" / "run").read_text()
    command = ci.strip().splitlines()[-1]
    assert command in readme
    assert subprocess.run(["bash", "-n", str(REPO_ROOT / ".ci" / "run")]).returncode == 0
