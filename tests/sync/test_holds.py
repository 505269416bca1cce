"""Points holds through the real worker and a real server: online verdicts, a verdict that does
not come back in time, offline holds delivered after the outage, reconciliation."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator

import pytest

from pos_app.commands.composition import start_sync
from pos_app.commands.demo_data import fill_catalogue
from pos_app.commands.sync_runtime import SyncRuntime
from pos_app.domain.identifiers import Identifier, InputMethod, Medium
from pos_app.domain.money import rub
from pos_app.services.points import PointsNotConfirmed, PointsRefused
from pos_app.services.points_holds import DEFAULT_ALLOWANCE_KEY
from pos_app.services.sync_queue import LAST_SEQ_KEY
from tests.sync.conftest import (
    MakeTill,
    give_points,
    server_account,
    server_holds,
    server_ops,
    server_payload,
)
from tests.sync.faultproxy import FaultProxy, ServerProcess, seed_guests

_guests = iter(range(1_000_000))


@pytest.fixture
def proxy(server: ServerProcess) -> Iterator[FaultProxy]:
    fault_proxy = FaultProxy(server.port)
    yield fault_proxy
    fault_proxy.close()


def ready_till(make_till: MakeTill, server: ServerProcess, url: str | None = None,
               points: int = rub(500)) -> tuple[SyncRuntime, str]:  # fmt: skip
    """An enrolled till with the demo catalogue and a guest who has ``points`` on the server
    (and a card known to the till), pulled into its store; its worker running."""
    till = make_till(url=url)
    guest_id = f"holds-{next(_guests)}-0"
    seed_guests(server.db_url, 1, till.queue.terminal_id(), prefix=guest_id[:-1])
    give_points(server.db_url, guest_id, points)
    till.puller.pull()
    with till.store.unit_of_work() as uow:
        fill_catalogue(uow)
        uow.guests.add_identifier(
            Identifier.read(Medium.CARD, InputMethod.MANUAL, card(guest_id)), guest_id
        )
        uow.commit()
    till.worker.start()
    assert till.worker.wait_idle(10)
    return till, guest_id


def card(guest_id: str) -> str:
    return f"7700{int(guest_id.split('-')[1]):012d}"


def guest_sale(till: SyncRuntime, guest_id: str) -> str:
    """Three lattes (≈ 540 ₽) for the guest: up to half may be paid with points."""
    sale_id = till.sales.open_sale().sale_id
    till.sales.add_line(sale_id, product_id="latte", quantity=3)
    till.sales.identify_guest(sale_id, identifier=card(guest_id), method=InputMethod.MANUAL)
    return sale_id


def local_holds(till: SyncRuntime) -> list[tuple[str, str, int]]:
    with sqlite3.connect(till.store.path) as conn:
        return list(conn.execute("SELECT hold_id, status, offline FROM sync_holds"))


def test_online_points_are_held_on_the_server_and_committed_with_the_sale(
    make_till: MakeTill, server: ServerProcess
) -> None:
    till, guest_id = ready_till(make_till, server)
    sale_id = guest_sale(till, guest_id)
    started = time.monotonic()
    till.points.pay_points(sale_id, rub(100))
    assert time.monotonic() - started < 1.5
    till.payments.pay_cash(sale_id, till.sales.get_sale(sale_id).due)
    till.worker.wake()
    assert till.worker.wait_idle(10)
    kinds = [(kind, verdict) for _, kind, verdict, _ in
             server_ops(server.db_url, till.queue.terminal_id())]  # fmt: skip
    assert kinds == [("hold.placed", "applied"), ("hold.committed", "applied"),
                     ("sale.closed", "applied")]  # fmt: skip
    assert server_payload(server.db_url, till.queue.terminal_id(),
                          "sale.closed")["offline"] is False  # online: the server may refuse
    [(hold_id, status, offline)] = local_holds(till)
    assert (status, offline) == ("committed", 0)
    assert server_holds(server.db_url, [hold_id]) == {hold_id: ("committed", rub(100))}


def test_an_online_hold_beyond_the_servers_balance_is_refused_at_once(
    make_till: MakeTill, server: ServerProcess
) -> None:
    till, guest_id = ready_till(make_till, server, points=rub(50))
    with till.store.unit_of_work() as uow:  # the till's cache is stale: it believes 500 ₽
        uow.accounts.set_snapshot(guest_id, guest_id, "bonus", total=rub(500), held=0,
                                  at=till.store.clock.now())  # fmt: skip
        uow.commit()
    sale_id = guest_sale(till, guest_id)
    with pytest.raises(PointsRefused, match="Only 50,00 points available"):
        till.points.pay_points(sale_id, rub(100))
    assert [status for _, status, _ in local_holds(till)] == ["refused"]
    assert till.queue.items() == []  # the cashier saw it; nothing for a manager
    assert till.sales.get_sale(sale_id).paid == 0


def test_no_verdict_in_time_releases_the_hold_so_nothing_stays_ambiguous(
    make_till: MakeTill, server: ServerProcess, proxy: FaultProxy
) -> None:
    till, guest_id = ready_till(make_till, server, url=f"http://127.0.0.1:{proxy.port}")
    sale_id = guest_sale(till, guest_id)
    proxy.inject("blackhole", "/v1/ops", seconds=3)
    started = time.monotonic()
    with pytest.raises(PointsNotConfirmed):
        till.points.pay_points(sale_id, rub(100))
    assert time.monotonic() - started < 2.5
    till.worker.wake()
    assert till.worker.wait_idle(20)
    [(hold_id, status, _)] = local_holds(till)
    assert status == "released"
    assert server_holds(server.db_url, [hold_id]) in ({}, {hold_id: ("released", 0)})
    assert till.sales.get_sale(sale_id).paid == 0


def test_offline_points_are_delivered_after_the_outage_in_order(
    make_till: MakeTill, server: ServerProcess, proxy: FaultProxy
) -> None:
    till, guest_id = ready_till(make_till, server, url=f"http://127.0.0.1:{proxy.port}")
    with till.store.unit_of_work() as uow:
        uow.settings.set(DEFAULT_ALLOWANCE_KEY, rub(150))
        uow.commit()
    proxy.go_offline()
    sale_id = guest_sale(till, guest_id)
    started = time.monotonic()
    with pytest.raises(PointsNotConfirmed):  # the push fails at once: no 1.5 s wait
        till.points.pay_points(sale_id, rub(120))
    assert time.monotonic() - started < 1.0 and not till.worker.is_online()
    till.points.pay_points(sale_id, rub(120))  # now offline: within the 150 ₽ allowance
    till.payments.pay_cash(sale_id, till.sales.get_sale(sale_id).due)
    proxy.go_online()
    till.worker.wake()
    assert till.worker.wait_idle(20)
    [(released, _, _), (hold_id, status, offline)] = local_holds(till)
    assert (status, offline) == ("committed", 1)
    assert server_holds(server.db_url, [hold_id]) == {hold_id: ("committed", rub(120))}
    assert server_holds(server.db_url, [released]) == {released: ("released", 0)}
    kinds = [k for _, k, v, _ in server_ops(server.db_url, till.queue.terminal_id())
             if v == "applied"]  # fmt: skip
    assert kinds == ["hold.placed", "hold.released", "hold.placed", "hold.committed",
                     "sale.closed"]  # fmt: skip
    sale = server_payload(server.db_url, till.queue.terminal_id(), "sale.closed")
    assert sale["offline"] is True  # closed during the outage: the server records, not refuses
    with till.store.unit_of_work(durable=False) as uow:  # refreshed after the reconnect
        [account] = [a for a in uow.accounts.for_guest(guest_id) if a.kind == "bonus"]
    total, held = server_account(server.db_url, guest_id)
    assert (account.total, account.held) == (total, held)  # converged
    assert held == 0 and total <= rub(500) - rub(120) + rub(30)  # spent 120, earned accrual


def test_reconciliation_releases_the_holds_the_till_no_longer_knows(
    make_till: MakeTill, server: ServerProcess
) -> None:
    till, guest_id = ready_till(make_till, server)
    kept_sale, lost_sale = guest_sale(till, guest_id), guest_sale(till, guest_id)
    till.points.pay_points(kept_sale, rub(50))
    till.points.pay_points(lost_sale, rub(70))
    assert till.worker.wait_idle(10)
    holds = {offline_or_not[0]: offline_or_not for offline_or_not in local_holds(till)}
    with sqlite3.connect(till.store.path) as conn:  # e.g. a reinstall lost this record
        lost = conn.execute("SELECT hold_id FROM sync_holds WHERE sale_id = ?",
                            (lost_sale,)).fetchone()[0]  # fmt: skip
        conn.execute("DELETE FROM sync_holds WHERE hold_id = ?", (lost,))
        conn.execute("DELETE FROM settings WHERE key = ?", (LAST_SEQ_KEY,))  # stale too
    kept = next(h for h in holds if h != lost)
    till.worker.stop()
    restarted = start_sync(till.store, till.store.path.parent)
    try:
        restarted.worker.drain_once()  # a fresh start is a reconnect: reconcile
    finally:
        restarted.worker.stop()
    assert server_holds(server.db_url, [kept, lost]) == {kept: ("open", 0), lost: ("released", 0)}
    with till.store.unit_of_work(durable=False) as uow:  # the account was refreshed
        [account] = [a for a in uow.accounts.for_guest(guest_id) if a.kind == "bonus"]
    assert (account.total, account.held) == server_account(server.db_url, guest_id)
    assert account.held == rub(50)
