"""A till store restored from an older backup catches up with a real server instead of stopping.

The till syncs, is backed up (with one sale still waiting), sells and syncs more (a points
sale among them), then the old backup is put back: its queue numbers new operations from seqs
the server has used. Sold offline and reconnected, the worker asks the server which of its
pending operations it already judged, takes those verdicts, renumbers the rest after the
server's last seq, and delivers them: every operation on the server exactly once, gap-free,
the ledger balanced, the till's cached points equal to the server's, and it keeps syncing.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app.commands.composition import start_sync
from pos_app.commands.demo_data import fill_catalogue
from pos_app.commands.store_factory import open_till_store, store_path
from pos_app.commands.sync_runtime import SyncRuntime
from pos_app.db.backups import restore_backup, take_backup
from pos_app.domain.money import rub
from pos_app.services.points_holds import DEFAULT_ALLOWANCE_KEY
from tests.sync.conftest import MakeTill, server_account
from tests.sync.faultproxy import FaultProxy, ServerProcess
from tests.sync.proofs_invariants import ServerView
from tests.sync.test_holds import guest_sale, ready_till
from tests.sync.test_worker import cash_sale


@pytest.fixture
def proxy(server: ServerProcess) -> Iterator[FaultProxy]:
    fault_proxy = FaultProxy(server.port)
    yield fault_proxy
    fault_proxy.close()


def outbox(path: Path) -> list[tuple[str, int, str]]:
    with sqlite3.connect(path) as conn:
        return list(conn.execute("SELECT op_id, seq, status FROM outbox ORDER BY seq"))


def server_ops(view: ServerView, terminal_id: str) -> list[tuple[str, int]]:
    from sqlalchemy import select

    from pos_server.db.models import AppliedOperation

    with view.session() as s:
        rows = s.execute(select(AppliedOperation.op_id, AppliedOperation.seq)
                         .where(AppliedOperation.terminal_id == terminal_id)
                         .order_by(AppliedOperation.seq)).all()  # fmt: skip
    return [(r.op_id, r.seq) for r in rows]


def receipt_numbers(view: ServerView, terminal_id: str) -> list[str]:
    from sqlalchemy import select

    from pos_server.db.models import Sale

    with view.session() as s:
        return [str(r) for r in s.scalars(select(Sale.receipt_no)
                                          .where(Sale.terminal_id == terminal_id))]  # fmt: skip


def points_sale(till: SyncRuntime, guest_id: str, points: int) -> str:
    sale_id = guest_sale(till, guest_id)
    till.points.pay_points(sale_id, points)
    till.payments.pay_cash(sale_id, till.sales.get_sale(sale_id).due)
    return sale_id


def wait_offline(till: SyncRuntime) -> None:
    deadline = time.monotonic() + 10
    while till.worker.is_online():
        assert time.monotonic() < deadline, "the worker never noticed the outage"
        time.sleep(0.05)


def test_a_restored_till_store_resynchronises_and_nothing_is_applied_twice(
    make_till: MakeTill, server: ServerProcess, proxy: FaultProxy
) -> None:
    url = f"http://127.0.0.1:{proxy.port}"
    till, guest_id = ready_till(make_till, server, url=url, points=rub(1000))
    with till.store.unit_of_work() as uow:
        uow.settings.set(DEFAULT_ALLOWANCE_KEY, rub(150))
        uow.commit()
    folder = till.store.path.parent
    terminal = till.queue.terminal_id()
    sold = [cash_sale(till), points_sale(till, guest_id, rub(100))]
    till.worker.wake()
    assert till.worker.wait_idle(20)

    proxy.go_offline()  # one sale waits in the queue when the backup is taken
    wait_offline_sale = cash_sale(till)
    sold.append(wait_offline_sale)
    backup = take_backup(till.store.path, folder / "backups")
    in_backup = outbox(till.store.path)
    assert in_backup[-1][2] == "pending"

    proxy.go_online()  # the original till goes on: the waiting sale and four more are applied
    till.worker.wake()
    assert till.worker.wait_idle(20)
    sold += [cash_sale(till), points_sale(till, guest_id, rub(80)), cash_sale(till),
             cash_sale(till)]
    till.worker.wake()
    assert till.worker.wait_idle(20)
    before_restore = outbox(till.store.path)
    lost = {op_id for op_id, _, _ in before_restore} - {op_id for op_id, _, _ in in_backup}
    assert lost and all(status == "applied" for _, _, status in before_restore)
    till.worker.stop()
    till.store.close()

    restore_backup(backup, store_path(folder))
    restored = start_sync(open_till_store(folder), folder, server_url=url, idle_poll=0.2)
    try:
        assert outbox(restored.store.path) == in_backup
        proxy.go_offline()
        restored.worker.start()
        wait_offline(restored)
        new = [points_sale(restored, guest_id, rub(50)),
               cash_sale(restored)]  # numbered from seqs the server used for the lost ones
        first_new = outbox(restored.store.path)[len(in_backup)][1]
        assert first_new <= max(seq for _, seq, _ in before_restore)  # a seq the server used
        proxy.go_online()
        restored.worker.wake()
        assert restored.worker.wait_idle(30), restored.state.snapshot
        assert restored.state.snapshot.fatal is None

        with ServerView(server.db_url) as view:
            on_server = server_ops(view, terminal)
            seqs = [seq for _, seq in on_server]
            assert seqs == list(range(1, len(seqs) + 1))  # gap-free, each seq once
            assert len({op_id for op_id, _ in on_server}) == len(on_server)
            local = outbox(restored.store.path)
            assert all(status == "applied" for _, _, status in local)
            assert {(op_id, seq) for op_id, seq, _ in local} <= set(on_server)
            # the server has exactly the till's operations and the ones the restore lost
            assert {op_id for op_id, _ in on_server} == {op_id for op_id, _, _ in local} | lost
            assert sorted(view.sales_of(terminal)) == sorted(sold + new)  # each sale once
            receipts = receipt_numbers(view, terminal)
            assert view.conservation() == [] and view.balance_conservation() == []
            assert view.holds_end_once() == []

        after = cash_sale(restored)  # and it keeps syncing
        restored.worker.wake()
        assert restored.worker.wait_idle(20)
        with ServerView(server.db_url) as view:
            assert [seq for _, seq in server_ops(view, terminal)][-1] == len(seqs) + 1
            # the offline sales before the catch-up reused lost sales' receipt numbers (the
            # till could not know them); from the catch-up on, numbers follow the server's
            assert len(set(receipts)) < len(receipts)
            [new_receipt] = set(receipt_numbers(view, terminal)) - set(receipts)
        assert new_receipt > max(receipts)
        assert restored.sales.get_sale(after).receipt_no == new_receipt
        with restored.store.unit_of_work(durable=False) as uow:  # the lost points sale pulled
            [account] = [a for a in uow.accounts.for_guest(guest_id) if a.kind == "bonus"]
        assert (account.total, account.held) == server_account(server.db_url, guest_id)
    finally:
        restored.close()


def test_a_restored_store_with_nothing_waiting_numbers_its_next_sale_after_the_server(
    make_till: MakeTill, server: ServerProcess
) -> None:
    till = make_till()
    with till.store.unit_of_work() as uow:
        fill_catalogue(uow)
        uow.commit()
    folder = till.store.path.parent
    cash_sale(till)
    till.worker.drain_once()
    backup = take_backup(till.store.path, folder / "backups")  # nothing waits in it
    for _ in range(3):
        cash_sale(till)
    till.worker.drain_once()
    till.worker.stop()
    till.store.close()

    restore_backup(backup, store_path(folder))
    restored = start_sync(open_till_store(folder), folder, server_url=server.url, idle_poll=0.2)
    try:
        restored.worker.drain_once()  # nothing to send: it only learns where the server is
        sale_id = cash_sale(restored)
        [(_, seq, status)] = outbox(restored.store.path)[1:]
        assert (seq, status) == (5, "pending")  # after the server's 4, not the backup's 2
        assert restored.sales.get_sale(sale_id).receipt_no == "T1-000005"
        restored.worker.drain_once()
        with ServerView(server.db_url) as view:
            assert [s for _, s in server_ops(view, restored.queue.terminal_id())] == [
                1, 2, 3, 4, 5]
            assert sale_id in view.sales_of(restored.queue.terminal_id())
    finally:
        restored.close()
