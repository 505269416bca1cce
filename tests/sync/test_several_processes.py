"""Several server processes on one PostgreSQL database (issue 23 point 7).

Two ``pos-server run`` processes on different ports start at once on a fresh database (so both
migrate at once, under the migration lock): A with ``--workers 2``, B with one process. Tills
(``pos-app till-sim`` processes, sales partly paid with points) sell through each, one till
first through A and then through B; a console's order stream is open on each; guest orders are
placed through each while the tills sell. Then:

* every invariant of the sync proofs holds (each till's operations judged exactly once and in
  order, points and balances conserved, every hold ended once, every printed sale on the server
  once);
* every order reached the consoles of both processes once, within 1 s of being placed
  through either (LISTEN/NOTIFY across processes, ``pos_server.orders.notify``);
* the processes' ``/metrics`` (A's adding up its two workers) count every verdict the database
  holds, exactly once between them, and report the tills' queues and the open streams.
"""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from pos_app.db import open_store
from pos_app.domain.money import rub
from pos_server.db import make_engine, make_sessions
from pos_server.db.models import AppliedOperation, Sale
from pos_server.terminals import service as terminals
from tests.server.conftest import PG_SKIP_REASON, PG_URL, throwaway_pg_database
from tests.sync.conftest import give_points, new_code
from tests.sync.faultproxy import seed_guests
from tests.sync.proofs_invariants import ServerView, TillOps
from tests.sync.several_servers import Console, RunningServer, total

pytestmark = pytest.mark.postgres
GUESTS = 4
SALES = 4


def till_sim(server_url: str, folder: Path, *args: str) -> list[str]:
    """One ``pos-app till-sim`` run to its end; the sale ids it printed."""
    command = [sys.executable, "-m", "pos_app.app", "till-sim", "--server", server_url,
               "--data-dir", str(folder / "till"), "--token-store", f"file:{folder / 'tokens'}",
               "--guests-with-points", "--timeout", "120", *args]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return [line.split()[1] for line in done.stdout.splitlines() if line.startswith("SALE ")]


def till_ops(folder: Path) -> TillOps:
    with open_store(folder / "till" / "till.sqlite3") as store, store.unit_of_work() as uow:
        entries = uow.outbox.all()
        terminal_id = store.terminal.terminal_id
    assert terminal_id is not None
    return TillOps(terminal_id, [(e.op_id, e.seq) for e in entries],
                   sum(1 for e in entries if e.status == "pending"))  # fmt: skip


def enrol(server: RunningServer, name: str) -> tuple[str, str]:
    engine = make_engine(server.db_url)
    try:
        with make_sessions(engine).begin() as session:
            code = terminals.add_terminal(session, name, datetime.now(UTC)).enrolment_code
    finally:
        engine.dispose()
    body = requests.post(server.url + "/v1/terminals/enrol", json={"code": code},
                         timeout=10).json()  # fmt: skip
    return str(body["terminal_id"]), str(body["token"])


def add_guest(server: RunningServer, token: str, terminal_id: str) -> None:
    """The guest the orders are for, created by the office terminal's first operation."""
    op = {"op_id": str(uuid.uuid4()), "terminal_id": terminal_id, "seq": 1,
          "created_at": datetime.now(UTC).isoformat(), "kind": "guest.created",
          "payload": {"guest_id": "orders-guest", "name": "Anna", "phone": "+79121234567"}}
    answer = requests.post(server.url + "/v1/ops", json={"operations": [op]}, timeout=30,
                           headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert answer.status_code == 200 and answer.json()["results"][0]["status"] == "applied"


def place(server: RunningServer, token: str, order_id: str) -> None:
    body = {"order_id": order_id, "guest_id": "orders-guest", "method": "card", "lines": [
        {"product_id": "latte", "name": "Latte", "quantity": 1, "unit_price": 25_000}]}
    answer = requests.post(server.url + "/v1/orders", json=body, timeout=10,
                           headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert answer.status_code == 201, answer.text


def test_two_server_processes_on_one_postgresql_serve_tills_and_consoles(tmp_path: Path) -> None:
    if not PG_URL:
        pytest.skip(PG_SKIP_REASON)
    with throwaway_pg_database(PG_URL) as url:
        a = RunningServer(url, tmp_path / "a.log", workers=2)
        b = RunningServer(url, tmp_path / "b.log")
        try:
            a.start()
            b.start()  # both migrate the fresh database at once
            a.wait_up()
            b.wait_up()
            scenario(a, b, tmp_path)
        finally:
            a.stop()
            b.stop()


def scenario(a: RunningServer, b: RunningServer, work: Path) -> None:
    office_id, office_token = enrol(a, "office")
    seed_guests(a.db_url, GUESTS, office_id, prefix="sim-")
    for index in range(GUESTS):
        give_points(a.db_url, f"sim-{index}", rub(400))
    add_guest(b, office_token, office_id)
    _console_id, console_token = enrol(b, "console")
    consoles = {"a": Console(a.url, console_token), "b": Console(b.url, console_token)}
    try:
        tills = {name: work / name for name in ("a1", "a2", "b1", "b2", "ab")}
        for name, folder in tills.items():
            folder.mkdir()
            first = b if name.startswith("b") else a
            assert till_sim(first.url, folder, "--sales", "0",
                            "--enrol-code", new_code(a.db_url, name)) == []  # fmt: skip
        printed: dict[str, list[str]] = {}
        with ThreadPoolExecutor(len(tills)) as pool:
            runs = {name: pool.submit(till_sim, (b if name.startswith("b") else a).url, folder,
                                      "--sales", str(SALES), "--seed", str(n))
                    for n, (name, folder) in enumerate(tills.items())}  # fmt: skip
            latencies = orders_across(a, b, office_token, consoles)
            printed = {name: run.result() for name, run in runs.items()}
        # the till that sold through A goes on through B, its queue state carried over
        printed["ab"] += till_sim(b.url, tills["ab"], "--sales", str(SALES), "--seed", "99")
        assert max(latencies) < 1.0, latencies
        for console in consoles.values():
            assert sorted(x.order_id for x in console.seen()) == sorted(
                f"order-{n}" for n in range(len(latencies))), "an order missing or twice"
        metrics_of_both = [a.metrics(), b.metrics()]
        assert [total(m, "tillkeeper_order_stream_clients") for m in metrics_of_both] == [1, 1]
    finally:
        for console in consoles.values():
            console.close()

    ops = [till_ops(folder) for folder in tills.values()]
    with ServerView(a.db_url) as view:
        assert view.all_invariants(ops) == []
        for name, op in zip(tills, ops, strict=True):
            on_server = view.sales_of(op.terminal_id)
            assert len(printed[name]) == SALES * (2 if name == "ab" else 1)
            assert sorted(on_server) == sorted(printed[name]), name
        with view.session() as session:
            judged = session.scalar(select(func.count()).select_from(AppliedOperation))
            sales = session.scalar(select(func.count()).select_from(Sale))
    assert sales == SALES * 6
    counted = sum(total(m, "tillkeeper_verdicts_total", status=status)
                  for m in metrics_of_both for status in ("applied", "rejected", "conflict"))
    assert counted == judged, "a verdict not counted, or counted twice"
    assert all(total(m, "tillkeeper_till_queue_waiting_count") > 0 for m in metrics_of_both)
    assert total(metrics_of_both[0], "tillkeeper_till_queue_age_seconds_count") > 0


def orders_across(a: RunningServer, b: RunningServer, token: str,
                  consoles: dict[str, Console]) -> list[float]:  # fmt: skip
    """Place 10 orders, alternately through A and B, while the tills sell; how long each took
    to reach the console on the OTHER process once the POST had answered (committed)."""
    latencies = []
    for n in range(10):
        through, other = (a, "b") if n % 2 == 0 else (b, "a")
        place(through, token, f"order-{n}")
        placed = time.monotonic()  # committed: the POST answered 201
        arrival = consoles[other].wait_for(f"order-{n}", 5)
        assert arrival is not None, f"order-{n} never reached the console on {other}"
        latencies.append(arrival.at - placed)
        time.sleep(0.2)
    return latencies
