"""The kit's Caddy configuration (``deploy/Caddyfile``, as shipped, set only by environment)
in front of two ``pos-server run`` processes on one database, over HTTPS with Caddy's own CA:

* the order stream passes unbuffered: an order placed through the proxy reaches a console
  connected through the proxy within 1 s, also after the stream sat idle on heartbeats;
* requests are spread over both processes;
* ``/metrics`` is not served through the proxy, ``/health`` is.

Skipped where Caddy is not installed (``apt-get install caddy``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from bench.net import free_port
from pos_server.db import upgrade
from tests.sync.several_servers import Console, RunningServer, total
from tests.sync.test_several_processes import add_guest, enrol

ROOT = Path(__file__).resolve().parents[2]
CADDY = shutil.which("caddy")
pytestmark = pytest.mark.skipif(CADDY is None, reason="caddy is not installed")


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[list[RunningServer]]:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    upgrade(url)
    env = {"POS_SERVER_STREAM_HEARTBEAT_SECONDS": "1", "POS_SERVER_STREAM_POLL_SECONDS": "0.05"}
    started = [RunningServer(url, tmp_path / f"server{n}.log", env=env).start() for n in (1, 2)]
    try:
        for server in started:
            server.wait_up()
        yield started
    finally:
        for server in started:
            server.stop()


@contextlib.contextmanager
def caddy(folder: Path, upstreams: list[RunningServer]) -> Iterator[tuple[str, Path]]:
    """Caddy running deploy/Caddyfile; (its https:// base URL, its root certificate)."""
    assert CADDY is not None
    port = free_port()
    env = {**os.environ, "HOME": str(folder), "XDG_DATA_HOME": str(folder / "data"),
           "XDG_CONFIG_HOME": str(folder / "config"), "TILLKEEPER_SITE": "127.0.0.1",
           "TILLKEEPER_TLS": "internal", "TILLKEEPER_HTTPS_PORT": str(port),
           "TILLKEEPER_HTTP_PORT": str(free_port()), "TILLKEEPER_CADDY_ADMIN": "off",
           "TILLKEEPER_UPSTREAMS": " ".join(f"127.0.0.1:{s.port}" for s in upstreams)}
    log = (folder / "caddy.log").open("wb")
    process = subprocess.Popen([CADDY, "run", "--config", str(ROOT / "deploy" / "Caddyfile"),
                                "--adapter", "caddyfile"], env=env, stdout=log,
                               stderr=subprocess.STDOUT)  # fmt: skip
    root = folder / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
    base = f"https://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (folder / "caddy.log").read_text()
            with contextlib.suppress(requests.RequestException, OSError):
                if root.exists() and requests.get(base + "/health", verify=str(root),
                                                  timeout=2).status_code == 200:  # fmt: skip
                    break
            assert time.monotonic() < deadline, (folder / "caddy.log").read_text()[-3000:]
            time.sleep(0.2)
        yield base, root
    finally:
        process.terminate()
        process.wait(20)
        log.close()


def test_the_order_stream_passes_the_proxy_unbuffered_to_two_processes(
    servers: list[RunningServer], tmp_path: Path
) -> None:
    office_id, office_token = enrol(servers[0], "office")
    add_guest(servers[0], office_token, office_id)
    _console_id, console_token = enrol(servers[1], "console")
    with caddy(tmp_path, servers) as (base, root):
        console = Console(base, console_token, verify=str(root))
        try:
            latencies = []
            for n in range(8):
                if n == 4:
                    time.sleep(3.5)  # idle: only heartbeats cross the proxy meanwhile
                answer = requests.post(
                    base + "/v1/orders", verify=str(root), timeout=10,
                    headers={"Authorization": f"Bearer {office_token}"},
                    json={"order_id": f"p-{n}", "guest_id": "orders-guest", "method": "card",
                          "lines": [{"product_id": "tea", "name": "Tea", "quantity": 1,
                                     "unit_price": 9_000}]},
                )  # fmt: skip
                assert answer.status_code == 201, answer.text
                placed = time.monotonic()
                arrival = console.wait_for(f"p-{n}", 5)
                assert arrival is not None, f"p-{n} did not come through the proxy"
                latencies.append(arrival.at - placed)
            assert max(latencies) < 1.0, latencies
            assert [a.order_id for a in console.seen()] == [f"p-{n}" for n in range(8)]
        finally:
            console.close()
        assert requests.get(base + "/metrics", verify=str(root), timeout=10).status_code == 404
    # both processes answered requests that came through the proxy
    for server in servers:
        samples = server.metrics()
        assert total(samples, "tillkeeper_http_requests_total", route="/health") > 0
    assert sum(total(s.metrics(), "tillkeeper_http_requests_total", route="/v1/orders",
                     status="201") for s in servers) == 8  # fmt: skip

