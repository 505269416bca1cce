"""A stream opened before its terminal was revoked stops (issue 16 point 7): the stream
checks its token again while it runs, so a revoked console receives no further orders."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

import httpx

from bench.net import free_port
from pos_server.db import upgrade
from tests.server.conftest import add_terminal
from tests.server.test_order_stream import CLI, _wait_until_up


def test_a_revoked_terminals_open_stream_ends_and_gets_no_more_orders(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    upgrade(url)
    console, till = add_terminal(url, "Console"), add_terminal(url, "Till")
    port = free_port()
    env = {**os.environ, "POS_SERVER_SWEEP_INTERVAL_SECONDS": "0",
           "POS_SERVER_STREAM_AUTH_SECONDS": "0.3"}
    process = subprocess.Popen([*CLI, "run", "--db", url, "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        tokens = [httpx.post(f"{base}/v1/terminals/enrol", json={"code": t.enrolment_code}
                             ).json()["token"] for t in (console, till)]  # fmt: skip
        lines: list[str] = []
        opened, ended = threading.Event(), threading.Event()

        def listen() -> None:
            with httpx.stream("GET", f"{base}/v1/orders/stream",
                              headers={"Authorization": f"Bearer {tokens[0]}"},
                              timeout=httpx.Timeout(10, read=None)) as response:
                for line in response.iter_lines():
                    lines.append(line)
                    opened.set()
            ended.set()

        threading.Thread(target=listen, daemon=True).start()
        assert opened.wait(5)
        subprocess.run([*CLI, "terminal", "revoke", console.terminal_id, "--db", url],
                       check=True, capture_output=True)  # fmt: skip
        assert ended.wait(5), "the revoked console's stream is still open"
        assert ": the terminal's token is no longer valid" in lines
        guest = {"op_id": "7b0e7c3e-0000-4000-8000-000000000001", "seq": 1,
                 "terminal_id": till.terminal_id, "kind": "guest.created",
                 "created_at": "2026-11-23T10:00:00+00:00",
                 "payload": {"guest_id": "anna", "name": "Anna"}}  # fmt: skip
        headers = {"Authorization": f"Bearer {tokens[1]}"}
        httpx.post(f"{base}/v1/ops", json={"operations": [guest]}, headers=headers)
        order = {"order_id": "o-after", "guest_id": "anna", "method": "card",
                 "lines": [{"product_id": "latte", "name": "Latte", "quantity": 1,
                            "unit_price": 25_000}]}  # fmt: skip
        assert httpx.post(f"{base}/v1/orders", json=order, headers=headers).status_code == 201
        time.sleep(0.5)
        assert not any("o-after" in line for line in lines)
        again = httpx.get(f"{base}/v1/orders/stream",
                          headers={"Authorization": f"Bearer {tokens[0]}"})  # fmt: skip
        assert again.status_code == 401
    finally:
        process.terminate()
        process.wait(timeout=10)
