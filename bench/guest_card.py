"""Part of ``python -m bench till``: opening the guest card of a guest with ``POSTINGS``
(5 000) points postings until its History tab shows the first page (issue 17 point 9).

A real ``pos-server run`` on loopback holds the guest and the postings (written straight into
its SQLite database); a till store holds the guest. Each round builds the card dialog
(``pos_app.ui.till.guest_card``) offscreen with the real op runner, the card service on the
till's store and the history service over HTTP (``sync/guest_history_client.py``), switches to
the History tab at once, and stops the clock when the table shows the first page (50 rows):
the card read, the groups read, the open holds and ``GET /v1/guests/{id}/history`` (keyset
page on the server) asked, and the table drawn. Target: p99 < 200 ms.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

GUEST = "bench-card-guest"
POSTINGS = 5_000


def seed_server(db_url: str, terminal_id: str, postings: int) -> None:
    from pos_server.db import make_engine
    from pos_server.db.models import POINTS, AccountRow, Guest, PostingRow

    start = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [{"account_kind": POINTS, "account_id": GUEST, "kind": "credit", "amount": 100,
             "total_after": 100 * (i + 1), "held_after": 0, "at": start + timedelta(minutes=i),
             "actor": "staff:bench", "terminal_id": terminal_id, "reason": f"bench {i}",
             "ref": None, "hold_id": None} for i in range(postings)]  # fmt: skip
    engine = make_engine(db_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                insert(Guest).values(
                    id=GUEST,
                    name="Card Bench",
                    phone=None,
                    created_at=start,
                    created_by=terminal_id,
                )
            )
            connection.execute(
                insert(AccountRow).values(kind=POINTS, id=GUEST, total=100 * postings, held=0)
            )
            connection.execute(insert(PostingRow), rows)
    finally:
        engine.dispose()


def time_card_open(work: Path, rounds: int, postings: int = POSTINGS) -> list[float]:
    """Milliseconds from opening the card to its first history page drawn, ``rounds`` times."""
    from PySide6.QtWidgets import QApplication

    from pos_app.db import open_store
    from pos_app.db.uow import SystemClock, UuidGenerator
    from pos_app.domain.guests import Guest
    from pos_app.services.guest_card import GuestCardService
    from pos_app.services.guest_history import GuestHistoryService
    from pos_app.services.staff import StaffSession
    from pos_app.sync.guest_history_client import GuestHistoryClient
    from pos_app.ui.op_runner import OpRunner
    from pos_app.ui.till.guest_card import GuestCardDialog
    from pos_server.db import upgrade
    from tests.sync.faultproxy import ServerProcess, enrol_terminal

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    db_url = f"sqlite:///{work / 'server.sqlite3'}"
    upgrade(db_url)
    samples: list[float] = []
    with ServerProcess(db_url, work) as server:
        terminal_id, token = enrol_terminal(server, "bench card")
        seed_server(db_url, terminal_id, postings)
        store = open_store(work / "till.sqlite3", terminal_id=terminal_id)
        with store.unit_of_work() as uow:
            uow.guests.add(Guest(GUEST, "Card Bench"))
            uow.commit()
        clock, client = SystemClock(), GuestHistoryClient(server.url, token)
        cards = GuestCardService(store.unit_of_work, clock, UuidGenerator())
        history = GuestHistoryService(store.unit_of_work, clock, client)
        by = StaffSession("bench", "Bench", "manager", frozenset(), clock.now())
        runner = OpRunner()
        try:
            for _ in range(rounds):
                start = time.perf_counter()
                dialog = GuestCardDialog(runner, cards, history, by=by, guest_id=GUEST)
                dialog.tabs.setCurrentWidget(dialog.history)
                table = dialog.history.table
                deadline = time.monotonic() + 30
                while table.rowCount() == 0:
                    app.processEvents()
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"no history page: {dialog.message.text()}")
                samples.append((time.perf_counter() - start) * 1000)
                assert table.rowCount() == 50 and dialog.history.next is not None
                dialog.deleteLater()
                app.processEvents()
        finally:
            runner.shutdown()
            client.close()
            store.close()
    return samples
