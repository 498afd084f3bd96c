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


K8S = REPO_ROOT / "deploy" / "k8s"


def k8s_objects() -> dict[tuple[str, str], dict[str, object]]:
    objects = {}
    for path in sorted(K8S.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for doc in yaml.safe_load_all(path.read_text()):
            assert doc["apiVersion"] and doc["metadata"]["name"], path
            objects[(doc["kind"], doc["metadata"]["name"])] = doc
    return objects


def container(objects: dict, kind: str, name: str) -> dict:  # type: ignore[type-arg]
    [only] = objects[(kind, name)]["spec"]["template"]["spec"]["containers"]
    return only  # type: ignore[no-any-return]


def test_kustomization_lists_every_manifest_and_each_parses() -> None:
    listed = yaml.safe_load((K8S / "kustomization.yaml").read_text())["resources"]
    on_disk = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert set(listed) == on_disk
    assert k8s_objects()


def test_receivers_are_probed_and_served_and_workers_are_bounded() -> None:
    objects = k8s_objects()
    receiver = container(objects, "Deployment", "testgen-receiver")
    assert receiver["args"] == ["serve", "--no-worker"]
    assert receiver["livenessProbe"]["httpGet"]["path"] == "/health"
    assert receiver["readinessProbe"]["httpGet"]["path"] == "/health/ready"
    assert objects[("Deployment", "testgen-receiver")]["spec"]["replicas"] >= 2
    service = objects[("Service", "testgen-receiver")]["spec"]
    pods = objects[("Deployment", "testgen-receiver")]["spec"]["template"]["metadata"]["labels"]
    assert service["selector"].items() <= pods.items()
    worker = container(objects, "Deployment", "testgen-worker")
    assert worker["args"][0] == "worker"
    assert {"cpu", "memory"} <= worker["resources"]["limits"].keys()


def test_redis_keeps_an_append_only_file_on_a_volume() -> None:
    redis = container(k8s_objects(), "StatefulSet", "testgen-redis")
    assert "--appendonly" in redis["args"] and redis["volumeMounts"]


def test_every_setting_the_pods_get_is_a_setting_of_the_bot() -> None:
    from bot.settings import Settings

    objects = k8s_objects()
    known = {
        alias.upper()
        for field in Settings.model_fields.values()
        for alias in getattr(field.validation_alias, "choices", [])
        if isinstance(alias, str)
    }
    given = set(objects[("ConfigMap", "testgen-bot")]["data"]) | set(
        objects[("Secret", "testgen-bot")]["stringData"]
    )
    assert given <= known, given - known
    for name in ("testgen-receiver", "testgen-worker"):
        sources = container(objects, "Deployment", name)["envFrom"]
        assert {s.get("configMapRef", s.get("secretRef"))["name"] for s in sources} == {
            "testgen-bot"
        }


def test_workers_scale_on_the_queue_depth_the_receiver_exports() -> None:
    scaler = k8s_objects()[("ScaledObject", "testgen-worker")]["spec"]
    assert scaler["scaleTargetRef"]["name"] == "testgen-worker"
    assert "testgen_queue_depth" in scaler["triggers"][0]["metadata"]["query"]


def test_the_dashboard_and_scrape_config_use_metrics_the_bot_exports() -> None:
    import json

    from prometheus_client import REGISTRY

    import bot.metrics  # noqa: F401  (registers the metrics)

    exported = {metric.name for metric in REGISTRY.collect()}  # families: no _total/_bucket
    dashboard = json.loads((REPO_ROOT / "deploy" / "grafana" / "testgen-bot.json").read_text())
    for panel in dashboard["panels"]:
        for target in panel["targets"]:
            names = {
                re.sub(r"_(total|bucket|sum|count)$", "", name)
                for name in re.findall(r"\btestgen_[a-z_]+", target["expr"])
            }
            assert names and names <= exported, (panel["title"], names - exported)
    scrape = yaml.safe_load((REPO_ROOT / "deploy" / "prometheus.yml").read_text())
    jobs = {job["job_name"] for job in scrape["scrape_configs"]}
    assert {"testgen-receiver", "testgen-worker"} <= jobs
