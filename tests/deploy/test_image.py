"""The server image itself (``deploy/Dockerfile``): built, run with SQLite and with
PostgreSQL (host network), answering ``/health``, healthy by its own HEALTHCHECK, stopping on
``docker stop``.

Needs a running Docker daemon and the base image ``debian:bookworm-slim`` already present
(the test does not pull: CI machines reach no container registry). Skipped otherwise, with the
reason; ``tests/deploy/test_entrypoint.py`` covers the entrypoint everywhere.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from bench.net import free_port
from tests.server.conftest import PG_URL, throwaway_pg_database

ROOT = Path(__file__).resolve().parents[2]
IMAGE = "tillkeeper-server:test"


def docker_problem() -> str | None:
    if shutil.which("docker") is None:
        return "no docker command"
    if subprocess.run(["docker", "info"], capture_output=True, check=False).returncode != 0:
        return "no Docker daemon answers"
    if subprocess.run(["docker", "image", "inspect", "debian:bookworm-slim"],
                      capture_output=True, check=False).returncode != 0:  # fmt: skip
        return "the base image debian:bookworm-slim is not present (no registry to pull from)"
    return None


PROBLEM = docker_problem()
pytestmark = pytest.mark.skipif(PROBLEM is not None, reason=f"image not built: {PROBLEM}")


@pytest.fixture(scope="module")
def image() -> str:
    done = subprocess.run(["docker", "build", "-q", "-f", "deploy/Dockerfile", "-t", IMAGE, "."],
                          cwd=ROOT, capture_output=True, text=True, timeout=1800,
                          check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return IMAGE


@contextlib.contextmanager
def container(image: str, **env: str) -> Iterator[tuple[str, int]]:
    port = free_port()
    name = f"tillkeeper-test-{uuid.uuid4().hex[:8]}"
    args = ["docker", "run", "-d", "--name", name, "--network", "host",
            "-e", f"POS_SERVER_PORT={port}", "-e", "POS_SERVER_SWEEP_INTERVAL_SECONDS=0"]
    for key, value in env.items():
        args += ["-e", f"{key}={value}"]
    subprocess.run([*args, image], check=True, capture_output=True, timeout=60)
    try:
        yield name, port
    finally:
        subprocess.run(["docker", "rm", "-f", name], capture_output=True, check=False)


def wait_healthy(name: str, port: int) -> None:
    deadline = time.monotonic() + 180
    while True:
        state = subprocess.run(["docker", "inspect", "-f", "{{.State.Health.Status}}", name],
                               capture_output=True, text=True, check=False).stdout.strip()
        if state == "healthy":
            break
        assert state in ("starting", ""), logs(name)
        assert time.monotonic() < deadline, logs(name)
        time.sleep(1)
    answer = requests.get(f"http://127.0.0.1:{port}/health", timeout=5)
    assert answer.json() == {"status": "ok", "database": "ok"}


def logs(name: str) -> str:
    return subprocess.run(["docker", "logs", name], capture_output=True, text=True,
                          check=False).stderr[-3000:]  # fmt: skip


def test_the_image_serves_sqlite_in_its_volume_and_stops_cleanly(image: str) -> None:
    with container(image) as (name, port):
        wait_healthy(name, port)
        added = subprocess.run(["docker", "exec", name, "tillkeeper-entrypoint", "terminal",
                                "add", "Till 1"], capture_output=True, text=True, check=False)
        assert '"enrolment_code"' in added.stdout, added.stderr
        subprocess.run(["docker", "stop", "-t", "30", name], check=True, capture_output=True,
                       timeout=60)  # fmt: skip
        code = subprocess.run(["docker", "inspect", "-f", "{{.State.ExitCode}}", name],
                              capture_output=True, text=True, check=True).stdout.strip()
        assert code == "0", logs(name)  # SIGTERM reached uvicorn (a SIGKILL would be 137)
        assert "Application shutdown complete" in logs(name)


@pytest.mark.postgres
def test_two_containers_with_workers_share_one_postgresql(image: str) -> None:
    if not PG_URL:
        pytest.skip("POS_TEST_PG_URL is not set")
    with throwaway_pg_database(PG_URL) as url, \
            container(image, POS_SERVER_DATABASE_URL=url, POS_SERVER_WORKERS="2") as first, \
            container(image, POS_SERVER_DATABASE_URL=url) as second:  # fmt: skip
        for name, port in (first, second):
            wait_healthy(name, port)
        text = requests.get(f"http://127.0.0.1:{first[1]}/metrics", timeout=5).text
        assert "tillkeeper_order_stream_clients" in text
