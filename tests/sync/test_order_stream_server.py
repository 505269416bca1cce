"""A real ``pos-server run`` process on a loopback port for the console's tests (stream, UI,
benchmark): enrol consoles, create guests, place orders through the API, restart the server.
No tests here; the console tests import it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

from bench.net import free_port
from pos_server.db import make_engine, make_sessions, upgrade
from pos_server.terminals import service as terminals
from tests.live_server import wait_until_up

CLI = [sys.executable, "-m", "pos_server.cli"]



@dataclass
class Enrolled:
    terminal_id: str
    token: str
    seq: int = 0

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class RealServer:
    """``pos-server run`` on a SQLite file; ``restart`` keeps the file and the port."""

    folder: Path
    heartbeat: float = 1.0
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    admin: Enrolled | None = None

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.folder / 'server.sqlite3'}"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> RealServer:
        upgrade(self.db_url)
        env = {**os.environ, "POS_SERVER_SWEEP_INTERVAL_SECONDS": "0",
               "POS_SERVER_STREAM_HEARTBEAT_SECONDS": str(self.heartbeat),
               "POS_SERVER_STREAM_POLL_SECONDS": "0.05"}  # fmt: skip
        self.process = subprocess.Popen(
            [*CLI, "run", "--db", self.db_url, "--port", str(self.port)], env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        self._wait_until_up()
        if self.admin is None:
            self.admin = self.enrol("Guest cabinet")
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def restart(self, down_for: float = 0.0) -> None:
        self.stop()
        time.sleep(down_for)
        self.start()

    def _wait_until_up(self) -> None:
        assert self.process is not None
        wait_until_up(self.base, self.process)

    def enrol(self, name: str) -> Enrolled:
        engine = make_engine(self.db_url)
        try:
            with make_sessions(engine).begin() as session:
                added = terminals.add_terminal(session, name, datetime.now(UTC))
        finally:
            engine.dispose()
        body = requests.post(f"{self.base}/v1/terminals/enrol",
                             json={"code": added.enrolment_code}, timeout=5).json()  # fmt: skip
        return Enrolled(body["terminal_id"], body["token"])

    def push(self, who: Enrolled, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        who.seq += 1
        op = {"op_id": str(uuid.uuid4()), "terminal_id": who.terminal_id, "seq": who.seq,
              "created_at": datetime.now(UTC).isoformat(), "kind": kind, "payload": payload}
        response = requests.post(f"{self.base}/v1/ops", json={"operations": [op]},
                                 headers=who.headers, timeout=5)  # fmt: skip
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()["results"][0]
        return result

    def add_guest(self, guest_id: str, name: str, phone: str = "+79121234567") -> None:
        assert self.admin is not None
        result = self.push(self.admin, "guest.created",
                           {"guest_id": guest_id, "name": name, "phone": phone})
        assert result["status"] == "applied", result

    def place(self, order_id: str, guest_id: str = "anna", **extra: Any) -> dict[str, Any]:
        assert self.admin is not None
        body = {"order_id": order_id, "guest_id": guest_id, "method": "card",
                "note": "no sugar", "lines": [
                    {"product_id": "latte", "name": "Latte", "quantity": 2, "unit_price": 25_000},
                    {"product_id": "cake", "name": "Cheesecake", "quantity": 1,
                     "unit_price": 32_000}]} | extra  # fmt: skip
        response = requests.post(f"{self.base}/v1/orders", json=body, headers=self.admin.headers,
                                 timeout=5)  # fmt: skip
        assert response.status_code == 201, response.text
        placed: dict[str, Any] = response.json()
        return placed
