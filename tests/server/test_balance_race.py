"""20 terminals paying from one balance account at the same moment can never overspend it, and
its postings chain: each total_after is the one before minus the payment (SQLite, PostgreSQL)."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from pos_server.db import make_engine, make_sessions
from pos_server.db.models import MONEY, AccountRow, PostingRow
from pos_server.http.schemas import Operation
from pos_server.ops.pipeline import apply_batch, check_batch
from pos_server.terminals import service as terminals
from tests.server.conftest import add_staff_member, guest_payload, till_sale

TILLS = 20


def _op(terminal_id: str, seq: int, kind: str, payload: dict[str, Any]) -> Operation:
    return Operation(op_id=uuid.uuid4(), terminal_id=terminal_id, seq=seq,
                     created_at=datetime.now(UTC), kind=kind, payload=payload)


def test_tills_racing_for_one_balance_never_overspend(db_url: str) -> None:
    engine = make_engine(db_url)
    sessions = make_sessions(engine)
    now = datetime.now(UTC)
    with sessions.begin() as session:
        ids = [terminals.add_terminal(session, f"T{n}", now).terminal_id for n in range(TILLS)]
    add_staff_member(db_url, "kasia")
    setup = [_op(ids[0], 1, "guest.created", guest_payload("anna")),
             _op(ids[0], 2, "balance.topped_up", {"guest_id": "anna", "amount": 5_000,
                                                      "staff_id": "kasia"})]
    apply_batch(sessions, ids[0], check_batch(setup), lambda: now)
    start = threading.Barrier(TILLS)
    statuses: list[str] = []

    def pay(terminal_id: str, seq: int) -> None:
        sale = till_sale({"sale_id": str(uuid.uuid4()), "opened_at": now.isoformat(),
                "closed_at": now.isoformat(), "guest_id": "anna",
                "lines": [{"line_no": 1, "product_id": "tea", "name": "Tea", "quantity": 1,
                           "unit_price": 1_000, "total": 1_000}],
                "payments": [{"method": "balance", "amount": 1_000}], "total": 1_000})
        checked = check_batch([_op(terminal_id, seq, "sale.closed", sale)])
        start.wait()
        outcome = apply_batch(sessions, terminal_id, checked, lambda: now)
        statuses.append(f"{outcome.results[0].status}/{outcome.results[0].reason}")

    threads = [threading.Thread(target=pay, args=(tid, 3 if n == 0 else 1))
               for n, tid in enumerate(ids)]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert sorted(statuses).count("applied/None") == 5
        assert statuses.count("rejected/insufficient_balance") == TILLS - 5
        with sessions() as session:
            assert session.get_one(AccountRow, (MONEY, "anna")).total == 0
            chain = [p.total_after for p in session.scalars(
                select(PostingRow).where(PostingRow.account_kind == MONEY)
                .order_by(PostingRow.id))]  # fmt: skip
        assert chain == [5_000, 4_000, 3_000, 2_000, 1_000, 0]
    finally:
        engine.dispose()
