"""The compose stack scales: `docker-compose up --scale web=3 --scale worker=4` must work and stay correct.

No Docker engine runs here, so the file is checked as docker-compose itself reads it (`config`), and
then for what scaling needs: no fixed host port or name on the scaled services, no local disk shared
between them, one process that migrates, one beat, every queue consumed, nginx the only trusted proxy.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from greenjobs.settings import base

ROOT = Path(settings.BASE_DIR)
SCALED = ["web", "worker", "worker-reports"]
APP_SERVICES = ["release", "web", "worker", "worker-reports", "beat"]


@pytest.fixture(scope="module")
def stack():
    if shutil.which("docker-compose") is None:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("docker-compose is needed to check docker-compose.yml")
        pytest.skip("docker-compose is not installed")
    env = {**os.environ, "SECRET_KEY": "compose-check", "S3_SECRET_ACCESS_KEY": "compose-check-secret"}
    result = subprocess.run(
        ["docker-compose", "config"],  # noqa: S607 - the tool on PATH is the one being checked against
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)["services"]


def mount_target(volume) -> str:
    # docker-compose 1.x writes "source:target:mode"; later versions a mapping.
    return volume["target"] if isinstance(volume, dict) else volume.split(":")[1]


def environment(service) -> dict:
    return service.get("environment") or {}


def test_scaled_services_publish_no_port_and_have_no_fixed_name(stack):
    for name in SCALED:
        assert "ports" not in stack[name], name
        assert "container_name" not in stack[name], name
    assert [port["target"] for port in stack["nginx"]["ports"]] == [80]


def test_no_portal_process_keeps_files_on_a_local_disk(stack):
    for name in APP_SERVICES:
        env = environment(stack[name])
        assert env["PRIVATE_STORAGE"] == "s3", name
        assert env["S3_ENDPOINT_URL"] == "http://minio:9000", name
        assert env["REDIS_URL"].startswith("redis://"), name
        mounts = [mount_target(volume) for volume in stack[name].get("volumes", [])]
        assert not any(target.startswith("/app/var/private") for target in mounts), name


def test_only_the_release_step_migrates_and_beat_runs_once(stack):
    migrating = [name for name in APP_SERVICES if environment(stack[name]).get("RUN_MIGRATIONS") == "1"]
    assert migrating == ["release"]
    for name in [*SCALED, "beat"]:
        assert stack[name]["depends_on"]["release"]["condition"] == "service_completed_successfully"
    assert [name for name, service in stack.items() if "beat" in service.get("command", [])] == ["beat"]


def queues(service) -> set[str]:
    return {
        queue
        for argument in service["command"]
        if argument.startswith("--queues=")
        for queue in argument.removeprefix("--queues=").split(",")
    }


def test_every_queue_has_workers_and_mail_never_waits_behind_a_report(stack):
    assert queues(stack["worker"]) | queues(stack["worker-reports"]) == {"default", *base.TASK_KIND_QUEUES}
    assert "email" in queues(stack["worker"])
    assert "reports" not in queues(stack["worker"])


def test_only_nginx_may_name_the_client(stack):
    nginx_address = stack["nginx"]["networks"]["default"]["ipv4_address"]
    for name in APP_SERVICES:
        assert environment(stack[name])["TRUSTED_PROXIES"] == nginx_address


def test_the_proxy_limits_bodies_forwards_the_client_and_caches_static_files():
    conf = (ROOT / "docker" / "nginx" / "greenjobs.conf.template").read_text()
    assert "client_max_body_size ${NGINX_MAX_BODY};" in conf
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in conf
    assert "proxy_set_header X-Request-ID $request_id;" in conf
    assert 'add_header Cache-Control "public, max-age=31536000, immutable";' in conf
    assert "resolver 127.0.0.11" in conf  # scaled web containers are found again as they come and go
