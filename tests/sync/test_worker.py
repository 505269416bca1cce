"""The outbox worker against a real ``pos-server run`` on loopback: verdicts, seq gaps, fatal
refusals, backoff and wake, one sender per terminal."""

from __future__ import annotations

import sqlite3
import threading
import time
from typing import Any

import pytest

from bench.net import free_port
from pos_app.commands.demo_data import fill_catalogue
from pos_app.commands.sync_runtime import SyncRuntime
from pos_app.domain.guests import Guest
from pos_app.domain.operations import GuestCreated, parse
from pos_app.sync.backoff import Backoff
from pos_app.sync.sender_lock import SenderLock
from pos_app.sync.transport import Unreachable
from pos_app.sync.worker import ANOTHER_SENDER, SyncFatal
from tests.sync.conftest import MakeTill, server_ops
from tests.sync.faultproxy import FaultProxy, ServerProcess, seed_guests


def cash_sale(till: SyncRuntime) -> str:
    sale_id = till.sales.open_sale().sale_id
    till.sales.add_line(sale_id, product_id="latte")
    till.payments.pay_cash(sale_id, till.sales.get_sale(sale_id).due)
    return sale_id


def queue(till: SyncRuntime, kind: str, payload: dict[str, Any]) -> str:
    with till.store.unit_of_work() as uow:
        op_id = uow.outbox.append(parse(kind, payload)).op_id
        uow.commit()
    return op_id


def outbox(till: SyncRuntime) -> list[tuple[int, str, str]]:
    with sqlite3.connect(till.store.path) as conn:
        return list(conn.execute("SELECT seq, kind, status FROM outbox ORDER BY seq"))


@pytest.fixture
def till(make_till: MakeTill) -> SyncRuntime:
    runtime = make_till()
    with runtime.store.unit_of_work() as uow:
        fill_catalogue(uow)
        uow.commit()
    return runtime


def test_sales_are_applied_once_in_seq_order_and_the_state_says_synced(
    till: SyncRuntime, server: ServerProcess
) -> None:
    sales = [cash_sale(till) for _ in range(3)]
    till.worker.batch_size = 2  # two batches
    till.worker.drain_once()
    till.worker.drain_once()  # nothing left: sends nothing, applies nothing twice
    terminal = till.queue.terminal_id()
    assert server_ops(server.db_url, terminal) == [
        (1, "sale.closed", "applied", None), (2, "sale.closed", "applied", None),
        (3, "sale.closed", "applied", None)]  # fmt: skip
    assert [status for _, _, status in outbox(till)] == ["applied"] * 3
    snap = till.state.snapshot
    assert (snap.online, snap.waiting, snap.oldest_waiting_at) == (True, 0, None)
    assert snap.last_sync is not None and len(sales) == 3


def test_a_rejected_operation_becomes_a_reconciliation_item_and_the_queue_moves_on(
    till: SyncRuntime, server: ServerProcess
) -> None:
    queue(till, "guest.created", {"guest_id": "bad-phone", "name": "Ann", "phone": "12"})
    cash_sale(till)
    till.worker.drain_once()
    assert [status for _, _, status in outbox(till)] == ["rejected", "applied"]
    [item] = till.queue.items()
    assert (item.seq, item.kind, item.verdict, item.reason) == (
        1, "guest.created", "rejected", "invalid_phone")
    assert item.payload["guest_id"] == "bad-phone"
    assert any("guest.created rejected" in m for m in till.state.snapshot.messages)
    till.worker.drain_once()  # never retried
    assert len(server_ops(server.db_url, till.queue.terminal_id())) == 2


def test_a_conflict_takes_the_servers_guest_and_leaves_a_message(
    till: SyncRuntime, server: ServerProcess
) -> None:
    seed_guests(server.db_url, 1, till.queue.terminal_id(), prefix="conflicted-")
    with till.store.unit_of_work() as uow:  # the till created "the same" guest offline
        uow.guests.add(Guest("conflicted-0", "Someone Else"))
        uow.outbox.append(GuestCreated(guest_id="conflicted-0", name="Someone Else"))
        uow.commit()
    till.worker.drain_once()
    with till.store.unit_of_work() as uow:
        guest = uow.guests.get("conflicted-0")
    assert guest is not None and guest.name == "Guest 0"
    [item] = till.queue.items()
    assert (item.verdict, item.reason) == ("conflict", "guest_exists")
    assert outbox(till)[0][2] == "rejected"


def test_a_seq_gap_is_resent_from_the_servers_last_seq(
    till: SyncRuntime, server: ServerProcess
) -> None:
    cash_sale(till)
    till.worker.drain_once()
    cash_sale(till)
    cash_sale(till)
    with sqlite3.connect(till.store.path) as conn:  # the till wrongly believes seq 2 went out
        conn.execute("UPDATE outbox SET status = 'applied' WHERE seq = 2")
    till.worker.drain_once()
    assert [status for _, _, status in outbox(till)] == ["applied"] * 3
    assert [row[0] for row in server_ops(server.db_url, till.queue.terminal_id())] == [1, 2, 3]


def test_an_op_id_sent_again_with_another_payload_stops_the_worker_with_a_clear_state(
    till: SyncRuntime, server: ServerProcess
) -> None:
    cash_sale(till)
    till.worker.drain_once()
    with sqlite3.connect(till.store.path) as conn:  # a till bug: a delivered op changed
        conn.execute("UPDATE outbox SET status = 'pending',"
                     " payload = replace(payload, 'Латте', 'Капучино') WHERE seq = 1")  # fmt: skip
    with pytest.raises(SyncFatal, match="op_id_reused"):
        till.worker.drain_once()
    till.worker.start()
    assert not till.worker.wait_idle(5)
    assert "op_id_reused" in (till.state.snapshot.fatal or "")


def test_backoff_grows_with_jitter_and_resets() -> None:
    backoff = Backoff(0.5, 4.0, rand=lambda: 1.0)
    assert [backoff.next_delay() for _ in range(5)] == [0.5, 1.0, 2.0, 4.0, 4.0]
    backoff.reset()
    low = Backoff(0.5, 4.0, rand=lambda: 0.0)
    assert [low.next_delay() for _ in range(3)] == [0.25, 0.5, 1.0]  # never below half


def test_offline_backs_off_and_a_wake_retries_at_once(
    make_till: MakeTill, server: ServerProcess
) -> None:
    proxy = FaultProxy(server.port)
    try:
        till = make_till(url=f"http://127.0.0.1:{proxy.port}")
        till.worker._backoff = Backoff(30.0, 60.0)  # the next planned retry is 15-30 s away
        proxy.go_offline()
        queue(till, "guest.created", {"guest_id": "wake-1", "name": "Wake", "phone": None})
        till.worker.start()
        deadline = time.monotonic() + 5
        while till.state.snapshot.offline_since is None and time.monotonic() < deadline:
            time.sleep(0.05)
        snap = till.state.snapshot
        assert (snap.online, snap.waiting) == (False, 1) and snap.last_error
        proxy.go_online()
        started = time.monotonic()
        till.worker.wake()  # connectivity is back
        assert till.worker.wait_idle(10)
        assert time.monotonic() - started < 5
        assert till.state.snapshot.online and till.state.snapshot.offline_since is None
    finally:
        proxy.close()


def test_when_the_network_comes_back_it_retries_without_waiting_for_the_backoff(
    make_till: MakeTill, server: ServerProcess
) -> None:
    proxy = FaultProxy(server.port)
    try:
        till = make_till(url=f"http://127.0.0.1:{proxy.port}")
        till.worker._backoff = Backoff(60.0, 60.0)  # 30-60 s to the next planned retry
        proxy.go_offline()
        queue(till, "guest.created", {"guest_id": "probe-1", "name": "Probe", "phone": None})
        till.worker.start()
        deadline = time.monotonic() + 5
        while till.state.snapshot.offline_since is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert till.state.snapshot.offline_since is not None
        proxy.go_online()  # nobody calls wake(): the worker's health probe notices
        started = time.monotonic()
        assert till.worker.wait_idle(15)
        assert time.monotonic() - started < 8
    finally:
        proxy.close()


def test_a_long_refresh_yields_to_a_new_operation_and_resumes_after_it(
    till: SyncRuntime, server: ServerProcess
) -> None:
    calls: list[bool] = []

    def first_sync(stop: threading.Event) -> bool:  # like 100 000 guests, page after page
        finished = not stop.wait(10) if not calls else not stop.is_set()
        calls.append(finished)
        return finished

    till.worker._refresh = first_sync
    till.worker.start()
    deadline = time.monotonic() + 5
    while not calls and time.monotonic() < deadline:
        time.sleep(0.02)
    started = time.monotonic()
    cash_sale(till)
    till.worker.wake()
    assert till.worker.wait_idle(10)
    assert time.monotonic() - started < 3  # not after the 10 s refresh
    assert server_ops(server.db_url, till.queue.terminal_id())[0][1] == "sale.closed"
    deadline = time.monotonic() + 5
    while not calls[-1] and time.monotonic() < deadline:
        time.sleep(0.02)
    assert calls[0] is False and calls[-1] is True  # stopped, then resumed and finished


def test_an_unreachable_server_is_a_retryable_error(make_till: MakeTill) -> None:
    till = make_till(url=f"http://127.0.0.1:{free_port()}")
    queue(till, "guest.created", {"guest_id": "nobody-1", "name": "Nobody", "phone": None})
    with pytest.raises(Unreachable):
        till.worker.drain_once()
    assert outbox(till)[0][2] == "pending"


def test_one_sender_per_data_folder(till: SyncRuntime, server: ServerProcess) -> None:
    other = SenderLock(till.store.path.parent / "sync.lock")  # another window's worker
    assert other.acquire()
    try:
        cash_sale(till)
        till.worker.start()
        deadline = time.monotonic() + 5
        while till.state.snapshot.sending and time.monotonic() < deadline:
            time.sleep(0.05)
        assert till.state.snapshot.last_error == ANOTHER_SENDER
        assert server_ops(server.db_url, till.queue.terminal_id()) == []
    finally:
        other.release()
    till.worker._backoff.reset()
    till.worker.wake()
    assert till.worker.wait_idle(10)
    assert len(server_ops(server.db_url, till.queue.terminal_id())) == 1
    assert not SenderLock(till.store.path.parent / "sync.lock").acquire()  # the worker has it


def test_a_malformed_batch_stops_the_worker_as_a_till_bug(till: SyncRuntime) -> None:
    with till.store.unit_of_work() as uow:  # a row no definition accepts: a till bug
        uow.outbox.append_stored("guest.created", {"guest_id": "g-empty-name", "name": "",
                                                   "phone": None})  # fmt: skip
        uow.commit()
    with pytest.raises(SyncFatal, match="till bug"):
        till.worker.drain_once()
    assert outbox(till)[0][2] == "pending"  # nothing was applied, nothing is lost
