"""The connectivity state as plain-Python events, the wire shape of a sale, the sender lock
between processes."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pos_app.domain.catalog import Product
from pos_app.domain.money import rub
from pos_app.domain.sale import PaymentMethod, Sale
from pos_app.services.operations import sale_closed_payload
from pos_app.services.ports import OutboxEntry
from pos_app.sync.sender_lock import SenderLock
from pos_app.sync.state import SyncSnapshot, SyncState
from pos_app.sync.wire import wire_op

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def test_listeners_hear_each_change_once_and_a_broken_one_does_not_stop_the_others() -> None:
    state = SyncState()
    heard: list[SyncSnapshot] = []

    def broken(_: SyncSnapshot) -> None:
        raise RuntimeError("a listener bug")

    state.subscribe(broken)
    unsubscribe = state.subscribe(heard.append)
    state.went_offline("no route to host", T0)
    state.went_offline("still no route", T0 + timedelta(minutes=5))
    state.update(waiting=3, oldest_waiting_at=T0)
    state.update(waiting=3, oldest_waiting_at=T0)  # no change: nobody is told
    state.went_online()
    unsubscribe()
    state.update(waiting=0)
    assert [(s.online, s.offline_since, s.waiting, s.last_error) for s in heard] == [
        (False, T0, 0, "no route to host"),
        (False, T0, 0, "still no route"),  # offline since the first failure
        (False, T0, 3, "still no route"),
        (True, None, 3, None),
    ]
    assert heard[2].oldest_age(T0 + timedelta(minutes=7)) == timedelta(minutes=7)


def test_a_sale_goes_out_in_the_servers_shape_with_the_points_hold() -> None:
    sale = Sale.open("s-1", "T1", T0)
    sale.add_line(Product("latte", "Латте", rub(180), "coffee"), 2)
    sale.pay(PaymentMethod.POINTS, rub(100), T0, hold_id="h-1")
    sale.pay_cash(rub(500), T0)
    sale.close("T1-000001", T0 + timedelta(minutes=1))
    entry = OutboxEntry("op-1", "T1", 7, T0, "sale.closed", sale_closed_payload(sale))
    assert wire_op(entry) == {
        "op_id": "op-1", "terminal_id": "T1", "seq": 7, "created_at": T0.isoformat(),
        "kind": "sale.closed",
        "payload": {
            "sale_id": "s-1", "receipt_no": "T1-000001", "opened_at": T0.isoformat(),
            "closed_at": (T0 + timedelta(minutes=1)).isoformat(), "guest_id": None,
            "lines": [{"line_no": 1, "product_id": "latte", "name": "Латте", "quantity": 2,
                       "unit_price": rub(180), "discount": 0, "total": rub(360)}],
            "payments": [{"method": "points", "amount": rub(100), "hold_id": "h-1"},
                         {"method": "cash", "amount": rub(260)}],
            "total": rub(360),
        },
    }  # fmt: skip
    other = OutboxEntry("op-2", "T1", 8, T0, "hold.released", {"hold_id": "h-1"})
    assert wire_op(other)["payload"] == {"hold_id": "h-1"}


def test_the_sender_lock_is_one_holder_at_a_time_and_dies_with_its_process(
    tmp_path: Path,
) -> None:
    path = tmp_path / "sync.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pos_app.sync.sender_lock import SenderLock; "
         f"lock = SenderLock(__import__('pathlib').Path({str(path)!r})); assert lock.acquire(); "
         "print('held', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        mine = SenderLock(path)
        assert not mine.acquire() and not mine.held
        holder.kill()  # SIGKILL: no clean-up code runs
        holder.wait(10)
        assert mine.acquire() and mine.held
        assert not SenderLock(path).acquire()  # a second window in this process too
        mine.release()
        assert SenderLock(path).acquire()
    finally:
        holder.kill()
        holder.wait(10)
