"""The connectivity state as plain-Python events, a sale on the wire as stored, the sender lock
between processes."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pos_app.domain.catalog import Product
from pos_app.domain.money import rub
from pos_app.domain.operations import HOLD_RELEASED, SALE_CLOSED
from pos_app.domain.sale import PaymentMethod, Sale
from pos_app.services.operations import sale_closed
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


def test_a_sale_goes_out_as_the_till_stored_it_with_the_points_hold() -> None:
    sale = Sale.open("s-1", "T1", T0)
    sale.add_line(Product("latte", "Латте", rub(180), "coffee"), 2)
    sale.pay(PaymentMethod.POINTS, rub(100), T0, hold_id="h-1")
    sale.pay_cash(rub(500), T0)
    sale.close("T1-000001", T0 + timedelta(minutes=1))
    stored = sale_closed(sale).to_json()
    entry = OutboxEntry("op-1", "T1", 7, T0, SALE_CLOSED, stored)
    assert wire_op(entry) == {
        "op_id": "op-1", "terminal_id": "T1", "seq": 7, "created_at": T0.isoformat(),
        "kind": SALE_CLOSED, "payload": stored,
    }  # fmt: skip
    assert [(p["method"], p["amount"], p["hold_id"]) for p in stored["payments"]] == [
        ("points", rub(100), "h-1"), ("cash", rub(260), None)]  # fmt: skip
    assert (stored["totals"]["total"], stored["lines"][0]["product_group_id"]) == (
        rub(360), "coffee")
    other = OutboxEntry("op-2", "T1", 8, T0, HOLD_RELEASED, {"hold_id": "h-1"})
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
