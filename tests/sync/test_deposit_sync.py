"""A deposit top-up end to end through a real ``pos-server run`` (issue 17, point 2): taken at
the till while the server cannot be reached, it waits in the outbox, reaches the server exactly
once when the connection is back (one ``balance.topped_up``, one money posting with the
top-up's id), and the shift's Z report lists it as a deposit, not revenue, its cash counted in
the drawer (and ``shift.closed`` carries it to the server). A manager's refund then debits the
deposit on the server through the audited ``account.adjusted``."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from pos_app.db.uow import SystemClock, UuidGenerator
from pos_app.domain.money import rub
from pos_app.services.guests import GuestService
from pos_app.services.shifts import report_lines
from pos_app.sync.transport import Unreachable
from pos_server.db import make_engine, make_sessions
from pos_server.db.models_till import ShiftRow
from tests.server.conftest import add_staff_member
from tests.sync.conftest import MakeTill, server_ops
from tests.sync.faultproxy import FaultProxy, ServerProcess


@pytest.fixture
def proxy(server: ServerProcess) -> Iterator[FaultProxy]:
    fault_proxy = FaultProxy(server.port)
    yield fault_proxy
    fault_proxy.close()


def test_an_offline_top_up_reaches_the_server_once_and_is_a_deposit_on_the_z_report(
    make_till: MakeTill, server: ServerProcess, proxy: FaultProxy
) -> None:
    suffix = uuid.uuid4().hex[:6]
    cashier_id = f"ira-{suffix}"
    add_staff_member(server.db_url, cashier_id, "cashier")
    till = make_till(url=proxy.url)
    till.till.staff.add_staff(cashier_id, "Ира", "cashier", "482913", bytes(range(16)))
    cashier = till.till.staff.sign_in("482913")
    guest_id = GuestService(till.store.unit_of_work, SystemClock(), UuidGenerator()).create_guest(
        f"Вера {suffix}").guest_id  # fmt: skip
    till.till.shifts.open_shift(cashier, rub(1000))
    till.worker.drain_once()  # the guest and the shift reach the server
    terminal_id = till.queue.terminal_id()
    assert {v for _, _, v, _ in server_ops(server.db_url, terminal_id)} == {"applied"}

    proxy.go_offline()
    result = till.till.deposits.top_up_cash(cashier, guest_id, rub(500), rub(1000))
    assert result.change == rub(500)
    with pytest.raises(Unreachable):  # no connection: it stays queued
        till.worker.drain_once()
    assert "balance.topped_up" not in [k for _, k, _, _ in server_ops(server.db_url, terminal_id)]
    assert till.queue.stats().waiting == 1

    proxy.go_online()
    till.worker.drain_once()
    till.worker.drain_once()  # nothing is sent twice
    top_ups = [(k, v) for _, k, v, _ in server_ops(server.db_url, terminal_id)
               if k == "balance.topped_up"]  # fmt: skip
    assert top_ups == [("balance.topped_up", "applied")]
    money = till.till.guest_history.page(guest_id, "money").items
    assert [(p["kind"], p["amount"], p["total_after"], p["ref"], p["staff"]) for p in money] == [
        ("credit", rub(500), rub(500), result.top_up.top_up_id, cashier_id)]  # fmt: skip

    z = till.till.shifts.close_shift(cashier, rub(1500))  # the outbox is empty: no manager
    assert (z.sales_count, z.sales_total) == (0, 0)
    assert dict(z.deposits)["cash"] == rub(500) and z.deposits_count == 1
    assert (z.expected_cash, z.difference) == (rub(1500), 0)
    assert any(line.startswith("Депозиты, не выручка (1)") for line in report_lines(z))
    till.worker.drain_once()  # the Z report on the server carries the deposits too
    engine = make_engine(server.db_url)
    try:
        with make_sessions(engine)() as session:
            report = session.get_one(ShiftRow, z.shift_id).report
    finally:
        engine.dispose()
    assert report is not None and (report["deposits"], report["sales_total"]) == (rub(500), 0)


def test_a_managers_refund_debits_the_deposit_on_the_server(
    make_till: MakeTill, server: ServerProcess
) -> None:
    suffix = uuid.uuid4().hex[:6]
    manager_id = f"max-{suffix}"
    add_staff_member(server.db_url, manager_id, "manager")
    till = make_till()
    till.till.staff.add_staff(manager_id, "Макс", "manager", "581726", bytes(range(16)))
    manager = till.till.staff.sign_in("581726")
    guest_id = GuestService(till.store.unit_of_work, SystemClock(), UuidGenerator()).create_guest(
        f"Лев {suffix}").guest_id  # fmt: skip
    till.till.shifts.open_shift(manager, 0)
    top_up = till.till.deposits.top_up_cash(manager, guest_id, rub(300), rub(300)).top_up
    back = till.till.deposits.refund(manager, top_up.top_up_id, "передумал")
    assert back.change == rub(300)
    till.worker.drain_once()
    kinds = [(k, v) for _, k, v, _ in server_ops(server.db_url, till.queue.terminal_id())]
    assert ("balance.topped_up", "applied") in kinds and ("account.adjusted", "applied") in kinds
    money = till.till.guest_history.page(guest_id, "money").items
    assert [(p["kind"], p["amount"], p["total_after"]) for p in money] == [
        ("debit", rub(300), 0), ("credit", rub(300), rub(300))]  # fmt: skip
    assert "top-up refund: передумал" in money[0]["reason"]
