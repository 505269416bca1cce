"""Helpers for tests with several ``pos-server run`` processes on one database: the processes,
an order-stream console reading in a thread, and a parsed ``/metrics`` answer."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from prometheus_client.parser import text_string_to_metric_families

from bench.net import free_port

CLI = [sys.executable, "-m", "pos_server.cli"]


@dataclass
class RunningServer:
    """``pos-server run [--workers N]`` on a loopback port; its output in ``log``."""

    db_url: str
    log: Path
    workers: int = 1
    env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> RunningServer:
        env = {**os.environ, "POS_SERVER_SWEEP_INTERVAL_SECONDS": "0", **self.env}
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [*CLI, "run", "--db", self.db_url, "--port", str(self.port),
                 "--workers", str(self.workers)],
                env=env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        return self

    def wait_up(self, timeout: float | None = None) -> None:
        """Until ``/health`` answers 200 (90 s, or POS_TEST_STARTUP_SECONDS: a loaded
        machine starts a server slowly, and ``--workers N`` starts N + 1 interpreters)."""
        assert self.process is not None
        timeout = timeout or float(os.environ.get("POS_TEST_STARTUP_SECONDS", "90"))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"pos-server exited {self.process.returncode}: "
                                     f"{self.log.read_text(errors='replace')[-3000:]}")  # fmt: skip
            with contextlib.suppress(requests.RequestException):
                if requests.get(self.url + "/health", timeout=1).status_code == 200:
                    return
            time.sleep(0.1)
        raise AssertionError(f"pos-server on {self.url} did not answer within {timeout} s")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)

    def metrics(self, token: str | None = None) -> dict[str, float]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        answer = requests.get(self.url + "/metrics", headers=headers, timeout=10)
        assert answer.status_code == 200, answer.text
        return parse_metrics(answer.text)


def parse_metrics(text: str) -> dict[str, float]:
    """``{'name{label="v",...}': value}`` of every sample of a text exposition (parsed by
    prometheus_client's own parser, so a malformed exposition fails the test); the labels are
    sorted by name so a test can spell them in any order."""
    samples: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels = ",".join(f'{k}="{v}"' for k, v in sorted(sample.labels.items()))
            samples[f"{sample.name}{{{labels}}}" if labels else sample.name] = sample.value
    return samples


def total(samples: dict[str, float], name: str, **labels: str) -> float:
    """The sum of ``name``'s samples whose labels include ``labels``."""
    found = 0.0
    for key, value in samples.items():
        base = key.split("{", 1)[0]
        if base != name:
            continue
        if all(f'{k}="{v}"' in key for k, v in labels.items()):
            found += value
    return found


@dataclass
class Arrival:
    order_id: str
    event_id: int
    at: float  # time.monotonic()


class Console:
    """An order-stream client (``GET /v1/orders/stream``) reading on its own thread."""

    def __init__(self, base_url: str, token: str, verify: str | bool = True) -> None:
        self.arrivals: list[Arrival] = []
        self.connected = threading.Event()
        self._lock = threading.Lock()
        self._session = requests.Session()
        self._response = self._session.get(
            base_url + "/v1/orders/stream", stream=True, timeout=(5, 60), verify=verify,
            headers={"Authorization": f"Bearer {token}", "Accept": "text/event-stream"},
        )  # fmt: skip
        assert self._response.status_code == 200, self._response.text
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()
        assert self.connected.wait(10), "the stream sent no ': connected' comment"

    def _read(self) -> None:
        event_id = None
        with contextlib.suppress(requests.RequestException, AttributeError, ValueError):
            for line in self._response.iter_lines(chunk_size=1, decode_unicode=True):
                if line.startswith(": connected"):
                    self.connected.set()
                elif line.startswith("id: "):
                    event_id = int(line[4:])
                elif line.startswith("data: ") and event_id is not None:
                    data: dict[str, Any] = json.loads(line[6:])
                    with self._lock:
                        self.arrivals.append(Arrival(data["order_id"], event_id,
                                                     time.monotonic()))  # fmt: skip

    def seen(self) -> list[Arrival]:
        with self._lock:
            return list(self.arrivals)

    def wait_for(self, order_id: str, timeout: float) -> Arrival | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for arrival in self.seen():
                if arrival.order_id == order_id:
                    return arrival
            time.sleep(0.005)
        return None

    def close(self) -> None:
        self._response.close()
        self._session.close()
        self._thread.join(5)
