"""A real till's sync worker against a real ``pos-server run``: the queue it reports with its
batch is kept on its terminal row and listed for the back office's terminals page."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from pos_app.db.uow import SystemClock, UuidGenerator
from pos_app.services.guests import GuestService
from pos_server.db import make_engine
from pos_server.terminals import service as terminals
from pos_server.uow import unit_of_work
from tests.sync.conftest import MakeTill
from tests.sync.faultproxy import ServerProcess


def test_a_tills_batch_leaves_its_queue_on_the_terminals_list(
    make_till: MakeTill, server: ServerProcess
) -> None:
    till = make_till()
    guests = GuestService(till.store.unit_of_work, SystemClock(), UuidGenerator())
    for n in range(3):
        guests.create_guest(f"Queue {uuid.uuid4().hex[:6]} {n}")
    till.worker.drain_once()
    engine = make_engine(server.db_url)
    try:
        with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
            listed = {t.terminal_id: t for t in terminals.listing(uow)}
    finally:
        engine.dispose()
    mine = listed[till.queue.terminal_id()]
    assert mine.queue_waiting == 0 and mine.queue_oldest_at is None  # all three delivered
    assert mine.last_seen_at is not None
    assert (datetime.now(UTC) - mine.last_seen_at).total_seconds() < 60
