"""Hypothesis stateful proof: several tills, outages, holds, partial commits, releases, expiry,
reconciliation and reconnects against one real ``pos-server run``; the invariants of DESIGN.md
are checked on the server's database after every step, and at the end every till's queue is
delivered exactly once and its pulled balances equal the server's.

Bounded by default (``max_examples`` 6, 14 steps); ``POS_SOAK=1`` runs many more.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from pos_app.db import Store, open_store
from pos_app.db.uow import SystemClock
from pos_app.domain.operations import parse
from pos_app.services.feed import FeedService
from pos_app.services.ports_sync import HOLD_COMMITTED, HOLD_RELEASED, HoldRecord
from pos_app.sync.puller import FeedPuller
from pos_app.sync.worker import OutboxWorker
from pos_server.db import make_engine, make_sessions, upgrade
from pos_server.ledger.sweeper import expire_due_holds
from pos_server.repositories.points_ledger import credit_points
from tests.operation_examples import till_sale
from tests.sync.faultproxy import FaultProxy, ServerProcess, enrol_terminal
from tests.sync.proofs_drain import drain, worker_for
from tests.sync.proofs_invariants import ServerView, TillOps, converged

SOAK = os.environ.get("POS_SOAK") == "1"
TILLS = 3
GUESTS = 2


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    work = tmp_path_factory.mktemp("stateful")
    url = f"sqlite:///{work / 'server.sqlite3'}"
    upgrade(url)
    with ServerProcess(url, work, max_batch=5, sweep_interval_seconds=0) as proc:
        yield proc


@dataclass
class Till:
    """A till: its store, its own proxy to the server and one production worker."""

    store: Store
    token: str
    proxy: FaultProxy
    worker: OutboxWorker
    open_holds: dict[str, tuple[str, int]] = field(default_factory=dict)  # id -> guest, amount

    @property
    def terminal_id(self) -> str:
        return self.store.terminal.terminal_id

    def queue(self, kind: str, payload: dict[str, object], hold: HoldRecord | None = None,
              status: str | None = None, spent: int | None = None) -> None:  # fmt: skip
        """The operation and the till's hold record in one transaction, as the points use
        case writes them (``uow.sync`` is what reconciliation reports as open)."""
        with self.store.unit_of_work() as uow:
            uow.outbox.append(parse(kind, payload))
            if hold is not None:
                uow.sync.add_hold(hold)
            elif status is not None:
                known = uow.sync.get_hold(str(payload["hold_id"]))
                assert known is not None
                uow.sync.save_hold(replace(known, status=status, committed_amount=spent))
            uow.commit()

    def deliver(self, **kw: Any) -> bool:
        return drain(self.store, self.proxy.url, self.token, worker=self.worker, **kw)

    def ops(self) -> TillOps:
        with self.store.unit_of_work(durable=False) as uow:
            entries = uow.outbox.all()
        pending = sum(1 for e in entries if e.status == "pending")
        return TillOps(self.terminal_id, [(e.op_id, e.seq) for e in entries], pending)


class SyncMachine(RuleBasedStateMachine):
    """One example: fresh tills (own terminals, own data dirs, own proxies) and guests."""

    server: ServerProcess  # set by the test before the machine runs

    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="stateful-"))
        self.view = ServerView(self.server.db_url)
        self.tills: list[Till] = []
        for n in range(TILLS):
            terminal_id, token = enrol_terminal(self.server, f"till {n}")
            store = open_store(self.dir / f"till{n}" / "till.sqlite3", terminal_id=terminal_id)
            proxy = FaultProxy(self.server.port)
            feed = FeedPuller(proxy.url, token, FeedService(store.unit_of_work, SystemClock()),
                              timeout=(1.0, 5.0))  # fmt: skip
            worker = worker_for(store, proxy.url, token, timeout=2.0, batch=5, puller=feed)
            self.tills.append(Till(store, token, proxy, worker))
        self.guests = [f"g-{uuid.uuid4().hex[:10]}" for _ in range(GUESTS)]
        first = self.tills[0]
        for guest_id in self.guests:
            first.queue("guest.created", {"guest_id": guest_id, "name": "Guest", "phone": None})
        assert first.deliver()
        self._server_call(lambda session, now: [
            credit_points(session, g, 1000, now=now, actor="test", reason="welcome")
            for g in self.guests])  # fmt: skip

    def _server_call(self, work: object) -> None:
        engine = make_engine(self.server.db_url)
        try:
            with make_sessions(engine).begin() as session:
                work(session, datetime.now(UTC))  # type: ignore[operator]
        finally:
            engine.dispose()

    @rule(t=st.integers(0, TILLS - 1), g=st.integers(0, GUESTS - 1), amount=st.integers(1, 700))
    def place_hold(self, t: int, g: int, amount: int) -> None:
        till, hold_id = self.tills[t], str(uuid.uuid4())
        offline = till.proxy.offline  # accepted without the server: it may overdraw
        record = HoldRecord(hold_id, self.guests[g], amount, datetime.now(UTC), offline=offline)
        till.queue("hold.placed", {"hold_id": hold_id, "guest_id": self.guests[g],
                                   "amount": amount, "offline": offline}, hold=record)  # fmt: skip
        till.open_holds[hold_id] = (self.guests[g], amount)

    @rule(t=st.integers(0, TILLS - 1), g=st.integers(0, GUESTS - 1),
          points=st.integers(1, 400), cash=st.integers(0, 3000))
    def sale_paid_partly_with_points(self, t: int, g: int, points: int, cash: int) -> None:
        """As the till closes such a sale: hold, its commit and the sale naming the hold, in
        one transaction (online or, with the line down, offline)."""
        till, hold_id, guest_id = self.tills[t], str(uuid.uuid4()), self.guests[g]
        offline, total = till.proxy.offline, points + 2 * points + cash
        sale = till_sale({"sale_id": str(uuid.uuid4()), "receipt_no": None, "guest_id": guest_id,
                "opened_at": datetime.now(UTC).isoformat(), "offline": offline,
                "closed_at": datetime.now(UTC).isoformat(),
                "lines": [{"line_no": 1, "product_id": "latte", "name": "Latte", "quantity": 1,
                           "unit_price": total, "discount": 0, "total": total}],
                "payments": [{"method": "points", "amount": points, "hold_id": hold_id},
                             {"method": "cash", "amount": total - points}],
                "total": total})  # fmt: skip
        with till.store.unit_of_work() as uow:
            uow.outbox.append(parse("hold.placed", {"hold_id": hold_id, "guest_id": guest_id,
                                              "amount": points, "offline": offline}))  # fmt: skip
            uow.sync.add_hold(HoldRecord(hold_id, guest_id, points, datetime.now(UTC),
                                         offline=offline, status=HOLD_COMMITTED,
                                         committed_amount=points))  # fmt: skip
            uow.outbox.append(parse("hold.committed", {"hold_id": hold_id, "amount": points}))
            uow.outbox.append(parse("sale.closed", sale))
            uow.commit()

    @precondition(lambda self: any(t.open_holds for t in self.tills))
    @rule(data=st.data(), part=st.sampled_from([None, 0.0, 0.5, 1.0]))
    def commit_hold(self, data: st.DataObject, part: float | None) -> None:
        till = data.draw(st.sampled_from([t for t in self.tills if t.open_holds]))
        hold_id = data.draw(st.sampled_from(sorted(till.open_holds)))
        _guest, amount = till.open_holds.pop(hold_id)
        spent = None if part is None else int(amount * part)
        till.queue("hold.committed", {"hold_id": hold_id, "amount": spent},
                   status=HOLD_COMMITTED, spent=amount if spent is None else spent)

    @precondition(lambda self: any(t.open_holds for t in self.tills))
    @rule(data=st.data())
    def release_hold(self, data: st.DataObject) -> None:
        till = data.draw(st.sampled_from([t for t in self.tills if t.open_holds]))
        hold_id = data.draw(st.sampled_from(sorted(till.open_holds)))
        del till.open_holds[hold_id]
        till.queue("hold.released", {"hold_id": hold_id}, status=HOLD_RELEASED)

    @rule(t=st.integers(0, TILLS - 1))
    def outage(self, t: int) -> None:
        self.tills[t].proxy.go_offline()

    @rule(t=st.integers(0, TILLS - 1))
    def reconnect_and_deliver(self, t: int) -> None:
        till = self.tills[t]
        till.proxy.go_online()
        assert till.deliver()

    @rule(t=st.integers(0, TILLS - 1),
          fault=st.sampled_from(["cut_response", "duplicate", "reset_after", "drop"]))
    def deliver_through_a_fault(self, t: int, fault: str) -> None:
        till = self.tills[t]
        if not till.proxy.offline:
            till.proxy.inject(fault, "/v1/ops")
            till.deliver()  # a fault not met (an empty queue) waits for a later delivery

    @rule()
    def holds_expire(self) -> None:
        """The server's sweeper runs a day later: every open hold expires."""
        engine = make_engine(self.server.db_url)
        try:
            later = datetime.now(UTC) + timedelta(days=2)
            expire_due_holds(engine, lambda: later)
        finally:
            engine.dispose()

    @precondition(lambda self: any(t.open_holds and not t.proxy.offline for t in self.tills))
    @rule(data=st.data())
    def reconcile_after_forgetting_a_hold(self, data: st.DataObject) -> None:
        """A till that lost track of a hold (a reinstall) reconnects: the worker reconciles
        and the server releases the hold (unless it had already expired)."""
        till = data.draw(st.sampled_from([t for t in self.tills
                                          if t.open_holds and not t.proxy.offline]))  # fmt: skip
        forgotten = data.draw(st.sampled_from(sorted(till.open_holds)))
        del till.open_holds[forgotten]
        with till.store.unit_of_work() as uow:
            known = uow.sync.get_hold(forgotten)
            assert known is not None
            uow.sync.save_hold(replace(known, status=HOLD_RELEASED))  # forgotten, no operation
            uow.commit()
        till.proxy.go_offline()
        assert not till.deliver(until_offline=True)  # the worker notices the outage ...
        till.proxy.go_online()
        assert till.deliver()  # ... and reconciles after the reconnect
        assert self.view.hold_status(forgotten) in ("released", "expired", "committed", None)

    @invariant()
    def server_invariants_hold(self) -> None:
        assert self.view.all_invariants([t.ops() for t in self.tills]) == []

    def teardown(self) -> None:
        try:
            for till in self.tills:
                till.proxy.go_online()
                assert till.deliver()
            tills = [t.ops() for t in self.tills]
            assert all(t.pending == 0 for t in tills)
            assert self.view.all_invariants(tills) == []
            accounts = self.view.accounts()
            for till in self.tills:
                feed = FeedService(till.store.unit_of_work, SystemClock())
                FeedPuller(self.server.url, till.token, feed).pull()
                with till.store.unit_of_work(durable=False) as uow:
                    cached = {a.account_id: (a.total, a.held)
                              for g in self.guests for a in uow.accounts.for_guest(g)}  # fmt: skip
                assert set(cached) == set(self.guests)
                assert converged(accounts, cached) == []
        finally:
            for till in self.tills:
                till.worker.stop()
                till.proxy.close()
                till.store.close()
            self.view.close()
            shutil.rmtree(self.dir, ignore_errors=True)


@pytest.mark.timeout(3600 if SOAK else 300)  # the soak's 60 runs outlast the suite's 300 s
def test_several_tills_with_outages_holds_expiry_and_reconnects_keep_the_invariants(
    server: ServerProcess,
) -> None:
    SyncMachine.server = server
    run = SyncMachine.TestCase
    run.settings = settings(
        max_examples=60 if SOAK else 6, stateful_step_count=40 if SOAK else 14, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )  # fmt: skip
    run().runTest()
