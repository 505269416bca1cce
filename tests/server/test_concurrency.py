"""One terminal's queue pushed twice at once (two windows, a restarted worker): exactly once."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime

from sqlalchemy import select

from pos_server.db import make_engine, make_sessions
from pos_server.db.models import AppliedOperation, Guest, GuestIdentifier
from pos_server.http.schemas import Operation
from pos_server.ops.pipeline import BatchOutcome, apply_batch, check_batch
from tests.server.conftest import add_terminal, guest_payload


def test_two_senders_of_one_queue_apply_each_op_once_in_seq_order(db_url: str) -> None:
    engine = make_engine(db_url)
    sessions = make_sessions(engine)
    terminal_id = add_terminal(db_url).terminal_id
    queue = [
        Operation(op_id=uuid.uuid4(), terminal_id=terminal_id, seq=seq,
                  created_at=datetime.now(UTC), kind="guest.created",
                  payload=guest_payload(f"g{seq}"))
        for seq in range(1, 31)
    ]
    outcomes: list[BatchOutcome] = []
    start = threading.Barrier(3)

    def send() -> None:
        start.wait()
        outcomes.append(apply_batch(sessions, terminal_id, check_batch(queue), _now))

    senders = [threading.Thread(target=send) for _ in range(3)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join()

    with sessions() as session:
        applied = session.scalars(select(AppliedOperation).order_by(AppliedOperation.seq)).all()
        assert [op.seq for op in applied] == list(range(1, 31))
        assert {op.verdict for op in applied} == {"applied"}
        assert len(session.scalars(select(Guest)).all()) == 30
    engine.dispose()
    for outcome in outcomes:
        assert outcome.last_seq == 30
        assert {r.status for r in outcome.results} == {"applied"}
    fresh = [r for outcome in outcomes for r in outcome.results if not r.replayed]
    assert len(fresh) == 30


def test_racing_terminals_cannot_bind_one_card_to_two_guests(db_url: str) -> None:
    engine = make_engine(db_url)
    sessions = make_sessions(engine)
    tills = [add_terminal(db_url, f"T{n}").terminal_id for n in range(4)]
    setup = tills[0]
    guests = [f"guest{n}" for n in range(4)]
    apply_batch(sessions, setup, check_batch([
        Operation(op_id=uuid.uuid4(), terminal_id=setup, seq=n + 1, created_at=_now(),
                  kind="guest.created", payload=guest_payload(guest))
        for n, guest in enumerate(guests)
    ]), _now)
    start = threading.Barrier(len(tills))
    statuses: list[str] = []

    def bind(terminal_id: str, guest: str) -> None:
        seq = 5 if terminal_id == setup else 1
        op = Operation(op_id=uuid.uuid4(), terminal_id=terminal_id, seq=seq, created_at=_now(),
                       kind="identifier.bound",
                       payload={"guest_id": guest, "medium": "card", "method": "msr",
                                "value": "4242"})
        start.wait()
        statuses.extend(r.status for r in apply_batch(sessions, terminal_id,
                                                      check_batch([op]), _now).results)

    threads = [threading.Thread(target=bind, args=pair) for pair in zip(tills, guests, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == ["applied", "rejected", "rejected", "rejected"]
    with sessions() as session:
        assert len(session.scalars(select(GuestIdentifier)).all()) == 1
    engine.dispose()


def _now() -> datetime:
    return datetime.now(UTC)
