"""``python -m bench console [--quick]``: guest orders reaching three operator consoles.

One real ``pos-server run`` (SQLite, default stream poll 0.2 s) and three consoles in this
process (each its own store, enrolment, SSE stream and window, offscreen Qt):

* **visible** - orders placed one at a time through ``POST /v1/orders``; the time from just
  before the request to the row being inserted in each console's incoming panel (p50/p99).
* **burst** - 200 orders placed within one second by four threads; meanwhile a 5 ms timer on
  the GUI thread measures the longest stall (how late a tick came), compared with the same
  timer on the idle event loop of this run (``idle_jitter_ms``).
* **fan-out** - ``--streams`` (200; 50 with --quick) raw SSE readers on the same server
  (``bench.sse``, asyncio sockets, not Qt consoles): orders placed one at a time, the time from
  just before the request to the event's arrival at each reader (p50/p99); and ``POST /v1/ops``
  latency (one new guest a request) with no stream open, with the streams open and idle, and
  with them open while the orders flow (``ops_*_p50_ms``, ``ops_streams_ratio``).

The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

from bench.net import free_port
from bench.sse import SseReader
from pos_app.domain.operations import GUEST_CREATED

TICK_MS = 5
CONSOLES = 3


class Server:
    """``pos-server run`` on a temp SQLite file with an enrolled 'cabinet' that places orders."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.port = folder, free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.url = f"sqlite:///{folder / 'server.sqlite3'}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        from pos_server.db import upgrade

        upgrade(self.url)
        env = {**os.environ, "POS_SERVER_SWEEP_INTERVAL_SECONDS": "0"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pos_server.cli", "run", "--db", self.url, "--port",
             str(self.port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.base}/health", timeout=0.5).ok:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("pos-server run did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)

    def enrol(self, name: str) -> tuple[str, str]:
        from pos_server.db import make_engine, make_sessions
        from pos_server.terminals import service as terminals

        engine = make_engine(self.url)
        try:
            with make_sessions(engine).begin() as session:
                code = terminals.add_terminal(session, name, datetime.now(UTC)).enrolment_code
        finally:
            engine.dispose()
        body = requests.post(f"{self.base}/v1/terminals/enrol", json={"code": code},
                             timeout=5).json()  # fmt: skip
        return body["terminal_id"], body["token"]


def order_body(order_id: str) -> dict[str, Any]:
    return {"order_id": order_id, "guest_id": "bench-guest", "method": "card",
            "lines": [{"product_id": "latte", "name": "Latte", "quantity": 1,
                       "unit_price": 25_000}]}  # fmt: skip


def add_guest(server: Server, terminal_id: str, token: str) -> None:
    op = {"op_id": str(uuid.uuid4()), "terminal_id": terminal_id, "seq": 1,
          "created_at": datetime.now(UTC).isoformat(), "kind": GUEST_CREATED,
          "payload": {"guest_id": "bench-guest", "name": "Bench Guest", "phone": None}}
    requests.post(f"{server.base}/v1/ops", json={"operations": [op]},
                  headers={"Authorization": f"Bearer {token}"}, timeout=5).raise_for_status()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench console")
    parser.add_argument("--quick", action="store_true", help="fewer orders, shorter probes")
    parser.add_argument("--orders", type=int, help="orders placed one at a time")
    parser.add_argument("--burst", type=int, default=200, help="orders in the one-second burst")
    parser.add_argument("--streams", type=int, help="SSE readers of the fan-out run (200)")
    args = parser.parse_args(argv)
    streams = args.streams or (50 if args.quick else 200)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    count = args.orders or (30 if args.quick else 100)
    with tempfile.TemporaryDirectory(prefix="bench-console-") as folder:
        server = Server(Path(folder))
        server.start()
        try:
            result = run(server, Path(folder), count, args.burst,
                         idle_seconds=1.0 if args.quick else 2.0)
            result |= fanout(server, streams, orders=5 if args.quick else 30,
                             probes=20 if args.quick else 60)
        finally:
            server.stop()
    print(f"visible on {CONSOLES} consoles: p50 {result['visible_p50_ms']:.0f} ms, "
          f"p99 {result['visible_p99_ms']:.0f} ms ({count} orders)")
    print(f"burst of {args.burst} in 1 s: longest GUI stall {result['burst_max_stall_ms']:.1f} ms, "
          f"all placed after {result['burst_placed_ms']:.0f} ms, "
          f"all visible after {result['burst_all_visible_ms']:.0f} ms; "
          f"idle timer jitter {result['idle_jitter_ms']:.1f} ms")
    print(f"fan-out to {streams} SSE readers: p50 {result['fanout_p50_ms']:.0f} ms, "
          f"p99 {result['fanout_p99_ms']:.0f} ms ({result['fanout_orders']} orders); "
          f"/v1/ops p50 {result['ops_none_p50_ms']:.1f} ms without streams, "
          f"{result['ops_streams_p50_ms']:.1f} ms with {streams} open, "
          f"{result['ops_active_p50_ms']:.1f} ms while orders flow "
          f"(x{result['ops_streams_ratio']:.2f}, x{result['ops_active_ratio']:.2f})")
    print(json.dumps(result))
    return 0


def run(
    server: Server, folder: Path, count: int, burst_size: int, idle_seconds: float
) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    cabinet_id, cabinet_token = server.enrol("cabinet")
    add_guest(server, cabinet_id, cabinet_token)
    consoles, seen = start_consoles(server, folder, CONSOLES)
    try:
        run_until(app, lambda: all(c.stream.online and c.window.ready for c in consoles), 20)
        idle = Probe(TICK_MS).measure(app, idle_seconds)
        placed: dict[str, float] = {}
        session = requests.Session()
        headers = {"Authorization": f"Bearer {cabinet_token}"}
        for n in range(count):
            order_id = f"v-{n}"
            placed[order_id] = time.perf_counter()
            session.post(f"{server.base}/v1/orders", json=order_body(order_id), headers=headers,
                         timeout=10).raise_for_status()  # fmt: skip
            run_until(app, visible_everywhere(seen, [order_id]), 10)
            run_until(app, lambda: False, 0.05)  # orders a little apart, as guests place them
        latencies = [(s[o] - placed[o]) * 1000 for o in placed for s in seen]
        burst_ids = [f"b-{n}" for n in range(burst_size)]
        probe = Probe(TICK_MS)
        started = time.perf_counter()
        ended: list[float] = []
        senders = burst(server.base, headers, burst_ids, ended)
        stall = probe.measure(app, 0, until=visible_everywhere(seen, burst_ids), timeout=30)
        all_visible = (time.perf_counter() - started) * 1000
        for sender in senders:
            sender.join()
        placed_in = (max(ended) - started) * 1000 if ended else 0.0
    finally:
        for console in consoles:
            console.close()
    cuts = statistics.quantiles(latencies, n=100)
    return {"visible_p50_ms": round(statistics.median(latencies), 1),
            "visible_p99_ms": round(cuts[98], 1), "burst_max_stall_ms": round(stall, 1),
            "idle_jitter_ms": round(idle, 1), "burst_all_visible_ms": round(all_visible, 1),
            "burst_placed_ms": round(placed_in, 1),
            "consoles": CONSOLES, "orders": count, "burst": len(burst_ids)}  # fmt: skip


def burst(
    base: str, headers: dict[str, str], ids: list[str], ended: list[float]
) -> list[threading.Thread]:
    """Four threads place ``ids`` paced evenly over one second (the server may need longer to
    take them all: ``ended`` gets each thread's finishing time)."""
    start = time.perf_counter()

    def place(part: list[str], offset: int) -> None:
        session = requests.Session()
        for i, order_id in enumerate(part):
            due = start + (offset + i * 4) / len(ids)
            time.sleep(max(0.0, due - time.perf_counter()))
            session.post(f"{base}/v1/orders", json=order_body(order_id), headers=headers,
                         timeout=10).raise_for_status()  # fmt: skip
        ended.append(time.perf_counter())

    threads = [threading.Thread(target=place, args=(ids[k::4], k)) for k in range(4)]
    for thread in threads:
        thread.start()
    return threads


def visible_everywhere(seen: list[dict[str, float]], ids: list[str]) -> Callable[[], bool]:
    return lambda: all(all(o in rows for o in ids) for rows in seen)



def run_until(app: Any, condition: Callable[[], bool], timeout: float) -> bool:
    """Run the Qt event loop until ``condition()`` (checked every 2 ms) or ``timeout`` s."""
    from PySide6.QtCore import QEventLoop, QTimer

    if condition():
        return True
    loop = QEventLoop()
    deadline = time.perf_counter() + timeout
    timer = QTimer()
    timer.setInterval(2)

    def check() -> None:
        if condition() or time.perf_counter() > deadline:
            loop.quit()

    timer.timeout.connect(check)
    timer.start()
    loop.exec()
    timer.stop()
    return condition()


class Probe:
    """A precise timer ticking every ``tick_ms`` on the GUI thread: the longest lateness of a
    tick is how long the GUI thread was busy with something else."""

    def __init__(self, tick_ms: int) -> None:
        self.tick = tick_ms / 1000
        self.worst = 0.0
        self.last = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, now - self.last - self.tick)
        self.last = now

    def measure(self, app: Any, seconds: float, until: Callable[[], bool] | None = None,
                timeout: float = 0.0) -> float:  # fmt: skip
        """Worst lateness in ms over ``seconds`` (or until ``until()``, at most ``timeout``)."""
        from PySide6.QtCore import Qt, QTimer

        timer = QTimer()
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.setInterval(int(self.tick * 1000))
        timer.timeout.connect(self._tick)
        self.last = time.perf_counter()
        timer.start()
        end = time.perf_counter() + seconds
        run_until(app, until or (lambda: time.perf_counter() >= end), timeout or seconds + 1)
        timer.stop()
        return self.worst * 1000


def start_consoles(
    server: Server, folder: Path, count: int
) -> tuple[list[Any], list[dict[str, float]]]:
    """``count`` consoles, each with a dict order id -> when its row was inserted."""
    from pos_app.commands.console_app import start_console
    from pos_app.db import open_store

    consoles, seen = [], []
    for n in range(count):
        terminal_id, token = server.enrol(f"Console {n + 1}")
        store = open_store(folder / f"console-{n}" / "console.sqlite3", terminal_id=terminal_id)
        console = start_console(store, server.base, token, sound=SilentSound())
        rows: dict[str, float] = {}
        model = console.window.model

        def inserted(_parent: Any, first: int, last: int, model: Any = model,
                     rows: dict[str, float] = rows) -> None:  # fmt: skip
            now = time.perf_counter()
            for row in range(first, last + 1):
                rows.setdefault(model.order(row).order_id, now)

        model.rowsInserted.connect(inserted)
        consoles.append(console)
        seen.append(rows)
    return consoles, seen


class SilentSound:
    """The benchmark measures the screen, not the speaker."""

    def __init__(self) -> None:
        self.played = 0

    def play(self, name: str) -> bool:
        self.played += 1
        return True


class OpsProbe:
    """``POST /v1/ops`` latencies of one enrolled terminal, one new guest a request."""

    def __init__(self, server: Server) -> None:
        self.base = server.base
        self.terminal_id, token = server.enrol("ops probe")
        self.headers = {"Authorization": f"Bearer {token}"}
        self.session = requests.Session()
        self.seq = 0

    def once(self) -> float:
        self.seq += 1
        op = {"op_id": str(uuid.uuid4()), "terminal_id": self.terminal_id, "seq": self.seq,
              "created_at": datetime.now(UTC).isoformat(), "kind": "guest.created",
              "payload": {"guest_id": f"probe-{self.seq}", "name": "Probe", "phone": None}}
        started = time.perf_counter()
        response = self.session.post(f"{self.base}/v1/ops", json={"operations": [op]},
                                     headers=self.headers, timeout=30)  # fmt: skip
        took = (time.perf_counter() - started) * 1000
        response.raise_for_status()
        assert response.json()["results"][0]["status"] == "applied", response.text
        return took

    def run(self, count: int, pause: float = 0.02) -> list[float]:
        taken = []
        for _ in range(count):
            taken.append(self.once())
            time.sleep(pause)
        return taken


def fanout(server: Server, streams: int, orders: int, probes: int) -> dict[str, Any]:
    """Open ``streams`` SSE readers, place ``orders`` one at a time and time their arrival at
    every reader; ``/v1/ops`` latency without streams, with them idle, and while orders flow."""
    _terminal, token = server.enrol("fan-out readers")  # one token: streams are per request
    _cabinet, cabinet_token = server.enrol("fan-out cabinet")
    probe = OpsProbe(server)
    probe.run(5)  # warm up
    ops_none = probe.run(probes)
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()

    def call(coroutine: Any, timeout: float = 60) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, loop).result(timeout)

    host, port = "127.0.0.1", server.port
    readers = [SseReader(host, port, token) for _ in range(streams)]

    async def open_all() -> None:
        for start in range(0, streams, 50):  # 50 connects at a time, as consoles come up
            await asyncio.gather(*(r.open() for r in readers[start:start + 50]))

    async def close_all() -> None:
        await asyncio.gather(*(r.close() for r in readers))

    async def arrived(order_id: str) -> bool:
        waits = [r.wait_for(lambda r=r: any(e.data and e.data["order_id"] == order_id
                                            for e in r.events), 10) for r in readers]
        return all(await asyncio.gather(*waits))

    try:
        call(open_all())
        time.sleep(0.5)
        ops_idle = probe.run(probes)
        active: list[float] = []
        done = threading.Event()

        def probing() -> None:
            while not done.is_set():
                active.append(probe.once())
                time.sleep(0.02)

        prober = threading.Thread(target=probing)
        prober.start()
        placed: dict[str, float] = {}
        session = requests.Session()
        headers = {"Authorization": f"Bearer {cabinet_token}"}
        for n in range(orders):
            order_id = f"f-{n}"
            placed[order_id] = time.perf_counter()
            session.post(f"{server.base}/v1/orders", json=order_body(order_id), headers=headers,
                         timeout=10).raise_for_status()  # fmt: skip
            if not call(arrived(order_id)):
                raise RuntimeError(f"order {order_id} did not reach every stream in 10 s")
            time.sleep(0.1)
        done.set()
        prober.join()
        latencies = [(e.at - placed[e.data["order_id"]]) * 1000 for r in readers
                     for e in r.events if e.data and e.data["order_id"] in placed]  # fmt: skip
    finally:
        call(close_all())
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
    if len(latencies) != streams * orders:
        raise RuntimeError(f"{len(latencies)} arrivals, expected {streams * orders}")
    return {"streams": streams, "fanout_orders": orders,
            **fanout_figures(latencies, ops_none, ops_idle, active)}


def fanout_figures(
    latencies: list[float], ops_none: list[float], ops_idle: list[float], active: list[float]
) -> dict[str, float]:
    def p99(values: list[float]) -> float:
        return round(statistics.quantiles(values, n=100)[98], 1)

    none_p50, idle_p50 = statistics.median(ops_none), statistics.median(ops_idle)
    active_p50 = statistics.median(active)
    return {"fanout_p50_ms": round(statistics.median(latencies), 1),
            "fanout_p99_ms": p99(latencies),
            "ops_none_p50_ms": round(none_p50, 1), "ops_streams_p50_ms": round(idle_p50, 1),
            "ops_active_p50_ms": round(active_p50, 1),
            "ops_none_p99_ms": p99(ops_none), "ops_active_p99_ms": p99(active),
            "ops_streams_ratio": round(idle_p50 / none_p50, 2),
            "ops_active_ratio": round(active_p50 / none_p50, 2)}  # fmt: skip
