"""GET /v1/orders/stream against a real ``pos-server run`` process on a loopback port:
two consoles get a new order within a second; a reconnect with Last-Event-ID misses nothing
and repeats nothing; orders written by another process (``pos-server demo-order``) arrive too."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from bench.net import free_port
from pos_server.db import upgrade
from tests.live_server import wait_until_up
from tests.server.conftest import add_terminal

CLI = [sys.executable, "-m", "pos_server.cli"]



@dataclass
class Server:
    base: str
    db_url: str
    tokens: list[str]

    def headers(self, which: int = 0) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[which]}"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder: Path = tmp_path_factory.mktemp("stream")
    url = f"sqlite:///{folder / 'server.sqlite3'}"
    upgrade(url)
    codes = [add_terminal(url, f"Console {n}").enrolment_code for n in (1, 2)]
    port = free_port()
    env = {**os.environ, "POS_SERVER_SWEEP_INTERVAL_SECONDS": "0",
           "POS_SERVER_STREAM_HEARTBEAT_SECONDS": "1"}
    process = subprocess.Popen([*CLI, "run", "--db", url, "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        enrolled = [httpx.post(f"{base}/v1/terminals/enrol", json={"code": c}).json()
                    for c in codes]
        tokens = [e["token"] for e in enrolled]
        guest = {"guest_id": "anna", "name": "Anna", "phone": "+79121234567"}
        op = {"op_id": "7b0e7c3e-0000-4000-8000-000000000001", "seq": 1, "kind": "guest.created",
              "created_at": "2026-11-23T10:00:00+00:00", "payload": guest}
        me = httpx.post(f"{base}/v1/ops", json={"operations": [
            {**op, "terminal_id": enrolled[0]["terminal_id"]}]},
            headers={"Authorization": f"Bearer {tokens[0]}"})
        assert me.json()["results"][0]["status"] == "applied", me.text
        yield Server(base, url, tokens)
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    wait_until_up(base, process)


@dataclass
class Subscriber:
    """A console holding the stream open on a thread; events and comments land in queues."""

    server: Server
    extra: dict[str, str] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    events: queue.Queue[dict[str, Any]] = field(default_factory=queue.Queue)
    comments: queue.Queue[str] = field(default_factory=queue.Queue)
    connected: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> Subscriber:
        threading.Thread(target=self._run, daemon=True).start()
        assert self.connected.wait(5), "stream did not open"
        return self

    def _run(self) -> None:
        headers = {**self.server.headers(), **self.extra}
        with httpx.stream("GET", f"{self.server.base}/v1/orders/stream", headers=headers,
                          params=self.params, timeout=httpx.Timeout(10, read=None)) as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            event: dict[str, Any] = {}
            for line in response.iter_lines():
                if self.stop.is_set():
                    return
                if line.startswith(":"):
                    self.comments.put(line)
                    self.connected.set()
                elif line.startswith("id: "):
                    event["id"] = int(line[4:])
                elif line.startswith("data: "):
                    event["data"] = json.loads(line[6:])
                elif line == "" and event:
                    self.events.put(event)
                    event = {}

    def take(self, timeout: float = 1.0) -> dict[str, Any]:
        return self.events.get(timeout=timeout)

    def nothing_more(self, wait: float = 0.6) -> bool:
        try:
            self.events.get(timeout=wait)
        except queue.Empty:
            return True
        return False


def place(server: Server, order_id: str) -> None:
    body = {"order_id": order_id, "guest_id": "anna", "method": "card",
            "lines": [{"product_id": "latte", "name": "Latte", "quantity": 1,
                       "unit_price": 25_000}]}
    response = httpx.post(f"{server.base}/v1/orders", json=body, headers=server.headers(1))
    assert response.status_code == 201, response.text


def test_two_consoles_get_orders_within_a_second_and_resume_without_duplicates(
    server: Server,
) -> None:
    first, second = Subscriber(server).start(), Subscriber(server).start()
    started = time.monotonic()
    place(server, "o-1")
    got = [first.take(), second.take()]
    # pushed, not polled by a slow timer: well inside the poll + retry window even on a busy
    # CI machine (the sub-second figure itself is measured by `python -m bench console`)
    assert time.monotonic() - started < 3.0
    assert [(e["data"]["order_id"], e["data"]["event"]) for e in got] == [("o-1", "placed")] * 2
    assert got[0]["id"] == got[1]["id"]
    first.stop.set()
    last_id = got[0]["id"]

    place(server, "o-2")  # while the first console is away
    assert second.take()["data"]["order_id"] == "o-2"
    back = Subscriber(server, extra={"Last-Event-ID": str(last_id)}).start()
    assert back.take()["data"]["order_id"] == "o-2"
    assert back.nothing_more()  # o-1 is not sent again

    demo = subprocess.run([*CLI, "demo-order", "--db", server.db_url, "--count", "1"],
                          capture_output=True, text=True, check=True)
    demo_id = json.loads(demo.stdout)["order_id"]
    for console in (back, second):
        event = console.take(timeout=2)
        assert (event["data"]["order_id"], event["data"]["state"]) == (demo_id, "new")
        assert console.nothing_more(0.3)
    everything = Subscriber(server, params={"cursor": 0}).start()
    ids = [everything.take()["data"]["order_id"] for _ in range(3)]
    assert ids == ["o-1", "o-2", demo_id]
    for console in (second, back, everything):
        console.stop.set()


def test_idle_stream_sends_heartbeats(server: Server) -> None:
    idle = Subscriber(server).start()
    assert idle.comments.get(timeout=1).startswith(": connected")
    assert idle.comments.get(timeout=2.5) == ": heartbeat"
    idle.stop.set()


@pytest.mark.parametrize(("headers", "params", "status"), [
    ({}, {}, 401),
    ({"Authorization": "Bearer forged"}, {}, 401),
    (None, {"cursor": -1}, 422),
    (None, {"cursor": "abc"}, 422),
    ({"Last-Event-ID": "12x"}, {}, 400),
])
def test_stream_refuses_bad_requests(
    server: Server, headers: dict[str, str] | None, params: dict[str, Any], status: int
) -> None:
    sent = server.headers() if headers is None else (
        {**server.headers(), **headers} if "Last-Event-ID" in headers else headers)
    response = httpx.get(f"{server.base}/v1/orders/stream", headers=sent, params=params)
    assert response.status_code == status, response.text
