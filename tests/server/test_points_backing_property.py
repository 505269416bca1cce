"""Property (issue 16 point 1): whatever sequence of hold and sale operations several terminals
send - honest, stale, replayed, forged, online or offline - the points sales claim never
exceed the points that left the guest's account, no hold pays more than it committed, and every
points payment refused for want of a hold is listed as a breach (once)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from pos_server.db import make_engine, make_sessions
from pos_server.db.models import POINTS, AccountRow, BonusHoldRow, PostingRow, Sale, SalePayment
from pos_server.db.models_ledger import RuleBreachRow
from pos_server.http.schemas import Operation
from pos_server.ops.pipeline import apply_batch, check_batch
from pos_server.repositories.points_ledger import credit_points
from pos_server.terminals import service as terminals
from tests.server.conftest import guest_payload, till_sale

TERMINALS = 3
UNBACKED = frozenset({"hold_required", "hold_mismatch", "hold_not_committed", "hold_already_used",
                      "points_exceed_hold", "guest_required"})  # fmt: skip
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


class PointsMachine(RuleBasedStateMachine):
    def __init__(self, sessions: sessionmaker[Session], tills: list[str]) -> None:
        super().__init__()
        self.sessions, self.tills = sessions, tills
        self.seq = dict.fromkeys(tills, 0)
        self.guest = f"g-{uuid.uuid4().hex[:12]}"  # a fresh guest per example, one database
        self.holds: list[str] = ["no-such-hold"]
        self.refused: dict[str, str] = {}  # sale id -> why its points payment was refused
        self.send(tills[0], "guest.created", guest_payload(self.guest))
        with sessions.begin() as session:
            credit_points(session, self.guest, 10_000, now=NOW, actor="test", reason="gift")

    def send(self, terminal: str, kind: str, payload: dict[str, Any]) -> str:
        self.seq[terminal] += 1
        op = Operation(op_id=uuid.uuid4(), terminal_id=terminal, seq=self.seq[terminal],
                       created_at=NOW, kind=kind, payload=payload)  # fmt: skip
        outcome = apply_batch(self.sessions, terminal, check_batch([op]), lambda: NOW)
        result = outcome.results[0]
        if kind == "sale.closed" and result.reason in UNBACKED:
            self.refused[payload["sale_id"]] = result.reason
        return result.status

    @rule(till=st.integers(0, TERMINALS - 1), amount=st.integers(1, 15_000),
          offline=st.booleans())  # fmt: skip
    def place(self, till: int, amount: int, offline: bool) -> None:
        hold_id = f"h-{uuid.uuid4().hex[:12]}"
        self.holds.append(hold_id)
        self.send(self.tills[till], "hold.placed", {"hold_id": hold_id, "guest_id": self.guest,
                                                    "amount": amount, "offline": offline})

    @rule(till=st.integers(0, TERMINALS - 1), pick=st.integers(0, 50),
          amount=st.none() | st.integers(1, 15_000))  # fmt: skip
    def commit(self, till: int, pick: int, amount: int | None) -> None:
        self.send(self.tills[till], "hold.committed",
                  {"hold_id": self.holds[pick % len(self.holds)], "amount": amount})

    @rule(till=st.integers(0, TERMINALS - 1), pick=st.integers(0, 50))
    def release(self, till: int, pick: int) -> None:
        self.send(self.tills[till], "hold.released",
                  {"hold_id": self.holds[pick % len(self.holds)]})

    @rule(till=st.integers(0, TERMINALS - 1),
          claims=st.lists(st.tuples(st.none() | st.integers(0, 50),
                                    st.integers(1, 20_000) | st.just(10**9)),
                          min_size=1, max_size=3),
          offline=st.booleans(), with_guest=st.booleans())  # fmt: skip
    def sale(self, till: int, claims: list[tuple[int | None, int]], offline: bool,
             with_guest: bool) -> None:  # fmt: skip
        payments: list[dict[str, Any]] = []
        for pick, amount in claims:
            payment: dict[str, Any] = {"method": "points", "amount": amount}
            if pick is not None:  # None: a points payment naming no hold
                payment["hold_id"] = self.holds[pick % len(self.holds)]
            payments.append(payment)
        card = 4 * sum(p["amount"] for p in payments)  # within any max redemption %
        total = sum(p["amount"] for p in payments) + card
        payments.append({"method": "card", "amount": card})
        self.send(self.tills[till], "sale.closed", till_sale({
            "sale_id": str(uuid.uuid4()), "opened_at": NOW.isoformat(),
            "closed_at": NOW.isoformat(), "guest_id": self.guest if with_guest else None,
            "lines": [{"line_no": 1, "product_id": "tea", "name": "Tea", "quantity": 1,
                       "unit_price": total, "total": total}],
            "payments": payments, "total": total, "offline": offline}))  # fmt: skip

    @invariant()
    def points_paid_are_points_spent(self) -> None:
        with self.sessions() as session:
            left = session.scalar(select(func.coalesce(func.sum(PostingRow.amount), 0)).where(
                PostingRow.account_kind == POINTS, PostingRow.account_id == self.guest,
                PostingRow.kind.in_(("commit", "debit"))))
            paid = dict(session.execute(
                select(SalePayment.hold_id, func.sum(SalePayment.amount))
                .join(Sale, Sale.id == SalePayment.sale_id)
                .where(SalePayment.method == "points", Sale.guest_id.is_(None)
                       | (Sale.guest_id == self.guest))
                .group_by(SalePayment.hold_id)).all())  # fmt: skip
            committed = dict(session.execute(
                select(BonusHoldRow.id, BonusHoldRow.committed_amount)
                .where(BonusHoldRow.account_id == self.guest,
                       BonusHoldRow.status == "committed")).all())  # fmt: skip
            accrued = session.scalar(select(func.coalesce(func.sum(PostingRow.amount), 0)).where(
                PostingRow.account_kind == POINTS, PostingRow.account_id == self.guest,
                PostingRow.kind == "accrual"))
            account = session.get_one(AccountRow, (POINTS, self.guest))
        assert None not in paid, "points paid with no hold behind them"
        for hold_id, amount in paid.items():
            assert amount <= committed.get(hold_id, 0), (hold_id, amount, committed)
        assert sum(paid.values()) <= left
        # points left the account only by commits and debits (an overdraft is a total below 0)
        assert account.total == 10_000 + accrued - left

    @invariant()
    def every_refused_points_payment_is_listed(self) -> None:
        with self.sessions() as session:
            listed = dict(session.execute(
                select(RuleBreachRow.ref, RuleBreachRow.rule)
                .where(RuleBreachRow.ref.in_(list(self.refused)))).all())  # fmt: skip
        assert listed == self.refused


def test_points_paid_in_sales_never_exceed_points_spent(db_url: str) -> None:
    engine = make_engine(db_url)
    sessions = make_sessions(engine)
    with sessions.begin() as session:
        tills = [terminals.add_terminal(session, f"T{n}", NOW).terminal_id
                 for n in range(TERMINALS)]  # fmt: skip
    try:
        run_state_machine_as_test(
            lambda: PointsMachine(sessions, tills),
            settings=settings(max_examples=40, stateful_step_count=20, deadline=None,
                              suppress_health_check=list(HealthCheck)),
        )  # fmt: skip
    finally:
        engine.dispose()
