"""``pos-app till-sim`` as a process against a real ``pos-server run``: every printed ``SALE`` id
reaches the server exactly once, also after an outage and a restart; one PostgreSQL variant."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from pos_app.domain.money import rub
from pos_server.db import make_engine, make_sessions
from pos_server.db.models import AppliedOperation, Sale, SalePayment
from pos_server.terminals import service as terminals
from tests.sync.conftest import give_points, new_code
from tests.sync.faultproxy import FaultProxy, ServerProcess, seed_guests


def till_sim(
    server_url: str, folder: Path, *args: str, timeout: float = 60
) -> tuple[int, list[str]]:
    """Run ``pos-app till-sim`` to its end; (exit code, the sale ids it printed)."""
    command = [sys.executable, "-m", "pos_app.app", "till-sim", "--server", server_url,
               "--data-dir", str(folder / "till"), "--token-store",
               f"file:{folder / 'tokens'}", *args]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    sales = [line.split()[1] for line in done.stdout.splitlines() if line.startswith("SALE ")]
    assert done.returncode in (0, 4), done.stderr
    return done.returncode, sales


def server_sales(db_url: str) -> dict[str, int]:
    """``{sale_id: times recorded}`` on the server."""
    engine = make_engine(db_url)
    try:
        with make_sessions(engine)() as session:
            rows = session.execute(select(Sale.id, func.count()).group_by(Sale.id))
            return {r[0]: r[1] for r in rows}
    finally:
        engine.dispose()


def points_payments(db_url: str) -> int:
    engine = make_engine(db_url)
    try:
        with make_sessions(engine)() as session:
            return int(session.scalar(select(func.count()).select_from(SalePayment)
                                      .where(SalePayment.method == "points")) or 0)  # fmt: skip
    finally:
        engine.dispose()


def judged_kinds(db_url: str) -> set[str]:
    engine = make_engine(db_url)
    try:
        with make_sessions(engine)() as session:
            return set(session.scalars(select(AppliedOperation.kind).distinct()))
    finally:
        engine.dispose()


def sell_with_points(server: ServerProcess, folder: Path) -> None:
    """Given guests with points on the server, a new till enrols and sells 6 times."""
    seed_guests(server.db_url, 3, _any_terminal(server), prefix="sim-")
    for index in range(3):
        give_points(server.db_url, f"sim-{index}", rub(400))
    code = new_code(server.db_url, "sim till")
    rc, sales = till_sim(server.url, folder, "--sales", "6", "--guests-with-points",
                         "--enrol-code", code, "--seed", "7")  # fmt: skip
    assert rc == 0 and len(sales) == 6
    recorded = server_sales(server.db_url)
    assert {s: recorded.get(s) for s in sales} == dict.fromkeys(sales, 1)
    assert points_payments(server.db_url) >= 1
    assert {"hold.placed", "hold.committed", "sale.closed"} <= judged_kinds(server.db_url)


def _any_terminal(server: ServerProcess) -> str:
    engine = make_engine(server.db_url)
    try:
        with make_sessions(engine).begin() as session:
            return terminals.add_terminal(session, "seeder", datetime.now(UTC)).terminal_id
    finally:
        engine.dispose()


def test_sales_with_points_reach_the_server_exactly_once(
    server: ServerProcess, tmp_path: Path
) -> None:
    sell_with_points(server, tmp_path)


def test_sales_made_offline_are_delivered_by_a_restart_with_no_new_sales(
    server: ServerProcess, tmp_path: Path
) -> None:
    code = new_code(server.db_url, "offline till")
    assert till_sim(server.url, tmp_path, "--sales", "0", "--enrol-code", code) == (0, [])
    proxy = FaultProxy(server.port)
    try:
        proxy.go_offline()
        rc, sales = till_sim(f"http://127.0.0.1:{proxy.port}", tmp_path, "--sales", "4",
                             "--timeout", "1")  # fmt: skip
    finally:
        proxy.close()
    assert rc == 4 and len(sales) == 4  # not delivered in time: exit 4, sales kept
    recorded = server_sales(server.db_url)
    assert not set(sales) & set(recorded)
    rc, more = till_sim(server.url, tmp_path, "--sales", "0")
    assert (rc, more) == (0, [])
    recorded = server_sales(server.db_url)
    assert {s: recorded.get(s) for s in sales} == dict.fromkeys(sales, 1)
