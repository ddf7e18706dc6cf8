"""What can be checked of deploy/ without a cluster or a container daemon."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
ROOT = DEPLOY.parent


def _compose() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def _manifests() -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []
    for path in sorted((DEPLOY / "kubernetes").glob("*.yaml")):
        docs += [d for d in yaml.safe_load_all(path.read_text()) if d]
    return docs


def _by_kind(kind: str) -> list[dict[str, Any]]:
    return [d for d in _manifests() if d["kind"] == kind]


def _pod(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["spec"]["template"]["spec"]  # type: ignore[no-any-return]


def test_compose_runs_the_migrations_once_before_web_and_two_workers() -> None:
    services = _compose()["services"]
    assert set(services) == {"db", "migrate", "web", "worker"}
    assert services["migrate"]["command"] == ["db", "upgrade"]
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker"):
        assert services[name]["depends_on"] == {
            "migrate": {"condition": "service_completed_successfully"}
        }
        assert "upgrade" not in services[name]["command"]
    assert services["worker"]["deploy"]["replicas"] == 2
    assert services["worker"]["command"][0] == "worker"
    assert "/readyz" in " ".join(services["web"]["healthcheck"]["test"])
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"


def _compose_command() -> list[str] | None:
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True)
        if probe.returncode == 0:
            return ["docker", "compose"]
    return None


def test_compose_file_is_valid_for_docker_compose() -> None:
    command = _compose_command()
    if command is None:
        pytest.skip("neither the docker compose plugin nor docker-compose is installed here")
    done = subprocess.run(
        [*command, "-f", str(DEPLOY / "compose.yaml"), "config", "--quiet"],
        env={"RAPPORT_SECRET_KEY": "test", "PATH": "/usr/bin:/bin:/usr/local/bin"},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


def test_kubernetes_manifests_have_the_expected_objects() -> None:
    kinds = sorted(
        (d["apiVersion"], d["kind"], d["metadata"]["name"])
        for d in _manifests()
        if d["kind"] != "Kustomization"
    )
    assert kinds == [
        ("apps/v1", "Deployment", "rapport-web"),
        ("apps/v1", "Deployment", "rapport-worker"),
        ("batch/v1", "Job", "rapport-migrate-0-1-0"),
        ("keda.sh/v1alpha1", "ScaledObject", "rapport-worker"),
        ("v1", "Namespace", "rapport"),
        ("v1", "Secret", "rapport"),
        ("v1", "Service", "rapport-web"),
    ]


def test_kustomization_lists_every_manifest() -> None:
    (kustomization,) = _by_kind("Kustomization")
    files = {p.name for p in (DEPLOY / "kubernetes").glob("*.yaml")} - {"kustomization.yaml"}
    assert set(kustomization["resources"]) == files


def test_every_pod_runs_unprivileged_from_the_secret() -> None:
    (secret,) = _by_kind("Secret")
    keys = set(secret["stringData"])
    assert {"RAPPORT_DATABASE_URL", "RAPPORT_SECRET_KEY"} <= keys
    pods = [_pod(d) for d in _by_kind("Deployment") + _by_kind("Job")]
    assert len(pods) == 3
    for pod in pods:
        assert pod["securityContext"]["runAsNonRoot"] is True
        (container,) = pod["containers"]
        assert container["image"] == "rapport"
        assert container["envFrom"] == [{"secretRef": {"name": secret["metadata"]["name"]}}]
        assert container["securityContext"]["allowPrivilegeEscalation"] is False
        assert "memory" in container["resources"]["limits"]


def test_only_the_job_migrates_and_web_is_probed_on_health_and_readiness() -> None:
    (job,) = _by_kind("Job")
    assert _pod(job)["containers"][0]["args"] == ["db", "upgrade"]
    assert _pod(job)["restartPolicy"] in {"OnFailure", "Never"}
    deployments = {d["metadata"]["name"]: d for d in _by_kind("Deployment")}
    for deployment in deployments.values():
        assert "upgrade" not in _pod(deployment)["containers"][0]["args"]
    web = _pod(deployments["rapport-web"])["containers"][0]
    assert web["args"] == ["web"]
    assert web["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert web["readinessProbe"]["httpGet"]["path"] == "/readyz"
    (service,) = _by_kind("Service")
    assert (
        service["spec"]["selector"] == deployments["rapport-web"]["spec"]["selector"]["matchLabels"]
    )
    worker = _pod(deployments["rapport-worker"])
    assert worker["containers"][0]["args"][0] == "worker"
    # the grace period outlasts the worker's own shutdown timeout, so jobs are released cleanly
    args = worker["containers"][0]["args"]
    timeout = float(args[args.index("--shutdown-timeout") + 1])
    assert worker["terminationGracePeriodSeconds"] > timeout


def test_workers_scale_on_the_depth_of_the_job_queue() -> None:
    (scaler,) = _by_kind("ScaledObject")
    assert scaler["spec"]["scaleTargetRef"]["name"] == "rapport-worker"
    (trigger,) = scaler["spec"]["triggers"]
    assert trigger["type"] == "postgresql"
    assert "procrastinate_jobs" in trigger["metadata"]["query"]
    assert "'todo'" in trigger["metadata"]["query"]
    assert scaler["spec"]["minReplicaCount"] >= 1


def _dockerfile() -> list[tuple[str, str]]:
    text = (DEPLOY / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return [(ln.split(None, 1)[0].upper(), ln.split(None, 1)[1]) for ln in lines]


def test_dockerfile_is_multi_stage_non_root_cpu_only_with_a_healthcheck() -> None:
    steps = _dockerfile()
    stages = [arg for op, arg in steps if op == "FROM"]
    assert len(stages) == 2 and all(s.startswith("python:3.11-slim") for s in stages)
    runtime = steps[[i for i, (op, _) in enumerate(steps) if op == "FROM"][1] :]
    users = [arg for op, arg in runtime if op == "USER"]
    assert users and not users[-1].startswith(("0", "root"))
    assert any(op == "HEALTHCHECK" and "/healthz" in arg for op, arg in runtime)
    assert any(op == "COPY" and "--from=build" in arg for op, arg in runtime)
    install = (DEPLOY / "image" / "install.sh").read_text()
    assert "download.pytorch.org/whl/cpu" in install
    # every script the build runs exists
    for op, arg in steps:
        if op == "RUN":
            for script in re.findall(r"deploy/image/[\w.]+", arg):
                assert (ROOT / script).is_file(), script


def test_install_script_is_valid_shell() -> None:
    done = subprocess.run(["sh", "-n", str(DEPLOY / "image" / "install.sh")], capture_output=True)
    assert done.returncode == 0, done.stderr


@pytest.mark.model
def test_the_image_check_passes_on_this_environment() -> None:
    done = subprocess.run(
        [sys.executable, str(DEPLOY / "image" / "verify.py")],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "verify: ok" in done.stdout
