"""Points holds through POST /v1/ops: place, commit (partial), release, expiry, overdrafts,
and 50 terminals racing for one account."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from pos_server.app import create_app
from pos_server.db import make_engine, make_sessions
from pos_server.db.models import POINTS, AccountRow, BonusHoldRow, OverdraftRow, PostingRow
from pos_server.http.schemas import Operation
from pos_server.ops.pipeline import apply_batch, check_batch
from pos_server.repositories.points_ledger import credit_points, load_account, load_postings
from pos_server.settings import ServerSettings
from pos_server.terminals import service as terminals
from tests.server.conftest import Till, enrol, guest_payload


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def anna(db_url: str, clock: Clock) -> Iterator[Till]:
    """A till, and guest Anna with 1 000.00 points."""
    with TestClient(create_app(ServerSettings(database_url=db_url), clock=clock)) as client:
        till = enrol(client, db_url)
        till.push_ok(till.op("guest.created", guest_payload("anna")))
        engine = make_engine(db_url)
        with make_sessions(engine).begin() as session:
            credit_points(session, "anna", 100_000, now=clock(), actor="test", reason="gift")
        engine.dispose()
        yield till


def state(db_url: str) -> dict[str, Any]:
    engine = make_engine(db_url)
    with make_sessions(engine)() as session:
        account = session.get_one(AccountRow, (POINTS, "anna"))
        rows = session.scalars(select(BonusHoldRow))
        holds = {h.id: (h.status, h.committed_amount) for h in rows}
        postings = [(p.kind, p.amount) for p in
                    session.scalars(select(PostingRow).order_by(PostingRow.id))]
        overdrafts = [o.amount for o in session.scalars(select(OverdraftRow))]
        result = {"total": account.total, "held": account.held, "holds": holds,
                  "postings": postings[1:], "overdrafts": overdrafts}
    engine.dispose()
    return result


def hold(till: Till, hold_id: str, amount: int, **extra: Any) -> dict[str, Any]:
    return till.op("hold.placed", {"hold_id": hold_id, "guest_id": "anna", "amount": amount,
                                   **extra})


def test_hold_then_partial_commit_releases_the_rest(anna: Till, db_url: str) -> None:
    body = anna.push_ok(hold(anna, "h1", 30_000))
    assert body["results"][0]["status"] == "applied"
    assert (state(db_url)["total"], state(db_url)["held"]) == (100_000, 30_000)

    anna.push_ok(anna.op("hold.committed", {"hold_id": "h1", "amount": 20_000}))
    after = state(db_url)
    assert (after["total"], after["held"]) == (80_000, 0)
    assert after["holds"] == {"h1": ("committed", 20_000)}
    assert after["postings"] == [("hold", 30_000), ("commit", 20_000), ("release", 10_000)]

    snapshots = [c for c in anna.client.get("/v1/changes", headers=anna.headers).json()["changes"]
                 if c["entity"] == "bonus_account"]
    assert snapshots[-1]["data"] == {"account_id": "anna", "total": 80_000, "held": 0,
                                     "available": 80_000}


def test_release_ends_a_hold_once(anna: Till, db_url: str) -> None:
    body = anna.push_ok(
        hold(anna, "h1", 30_000),
        anna.op("hold.released", {"hold_id": "h1"}),
        anna.op("hold.released", {"hold_id": "h1"}),
        anna.op("hold.committed", {"hold_id": "h1"}),
        anna.op("hold.committed", {"hold_id": "nope"}),
    )
    assert [(r["status"], r["reason"]) for r in body["results"]] == [
        ("applied", None), ("applied", None), ("rejected", "hold_already_ended"),
        ("rejected", "hold_already_ended"), ("rejected", "hold_not_found"),
    ]
    assert state(db_url)["held"] == 0 and state(db_url)["total"] == 100_000


def test_online_hold_beyond_available_is_rejected_offline_one_is_an_overdraft(
    anna: Till, db_url: str
) -> None:
    body = anna.push_ok(hold(anna, "h1", 80_000), hold(anna, "h2", 30_000))
    assert body["results"][1]["reason"] == "insufficient_points"
    assert "h2" not in state(db_url)["holds"]

    body = anna.push_ok(hold(anna, "h3", 30_000, offline=True))
    assert body["results"][0]["status"] == "applied"
    after = state(db_url)
    assert (after["total"], after["held"], after["overdrafts"]) == (100_000, 110_000, [10_000])


def test_commit_after_expiry_is_a_debit_when_the_balance_covers_it(
    anna: Till, db_url: str, clock: Clock
) -> None:
    anna.push_ok(hold(anna, "h1", 30_000))
    clock.now += timedelta(hours=25)
    body = anna.push_ok(anna.op("hold.committed", {"hold_id": "h1"}))
    assert body["results"][0]["status"] == "applied"
    after = state(db_url)
    assert (after["total"], after["held"], after["overdrafts"]) == (70_000, 0, [])
    assert after["holds"] == {"h1": ("expired", 30_000)}
    assert after["postings"] == [("hold", 30_000), ("expire", 30_000), ("debit", 30_000)]


def test_hold_for_unknown_guest_and_duplicate_hold(anna: Till, db_url: str) -> None:
    body = anna.push_ok(
        hold(anna, "h1", 1_000),
        anna.op("hold.placed", {"hold_id": "h2", "guest_id": "ghost", "amount": 1}),
        hold(anna, "h1", 2_000),
    )
    assert [(r["status"], r["reason"]) for r in body["results"]] == [
        ("applied", None), ("rejected", "unknown_guest"), ("conflict", "hold_exists")
    ]
    assert body["results"][2]["current"]["amount"] == 1_000


def test_fifty_terminals_holding_at_once_never_overspend(db_url: str) -> None:
    engine = make_engine(db_url)
    sessions = make_sessions(engine)
    now = datetime.now(UTC)
    with sessions.begin() as session:
        ids = [terminals.add_terminal(session, f"T{n}", now).terminal_id for n in range(50)]
    setup = Operation(op_id=uuid.uuid4(), terminal_id=ids[0], seq=1, created_at=now,
                      kind="guest.created", payload=guest_payload("anna"))
    apply_batch(sessions, ids[0], check_batch([setup]), lambda: now)
    with sessions.begin() as session:
        credit_points(session, "anna", 2_000, now=now, actor="test", reason="gift")
    start = threading.Barrier(50)
    statuses: list[str] = []

    def place(terminal_id: str, seq: int) -> None:
        op = Operation(op_id=uuid.uuid4(), terminal_id=terminal_id, seq=seq, created_at=now,
                       kind="hold.placed", payload={"hold_id": str(uuid.uuid4()),
                                                    "guest_id": "anna", "amount": 100})
        checked = check_batch([op])
        start.wait()
        outcome = apply_batch(sessions, terminal_id, checked, lambda: datetime.now(UTC))
        statuses.extend(r.status for r in outcome.results)

    threads = [threading.Thread(target=place, args=(tid, 2 if n == 0 else 1))
               for n, tid in enumerate(ids)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses).count("applied") == 20
    assert statuses.count("rejected") == 30
    with sessions() as session:
        account = session.get_one(AccountRow, (POINTS, "anna"))
        open_holds = session.scalars(select(BonusHoldRow)).all()
        assert (account.total, account.held) == (2_000, 2_000)
        assert sum(h.amount for h in open_holds) == 2_000
        assert session.scalars(select(OverdraftRow)).all() == []
    engine.dispose()


def test_sweeper_expires_due_holds_without_any_request(
    anna: Till, db_url: str, clock: Clock
) -> None:
    from pos_server.ledger.sweeper import expire_due_holds

    anna.push_ok(hold(anna, "old", 10_000))
    clock.now += timedelta(hours=20)
    anna.push_ok(hold(anna, "young", 20_000))
    engine = make_engine(db_url)
    assert expire_due_holds(engine, clock) == 0
    clock.now += timedelta(hours=5)
    assert expire_due_holds(engine, clock) == 1
    assert expire_due_holds(engine, clock) == 0
    engine.dispose()
    after = state(db_url)
    assert after["holds"] == {"old": ("expired", 0), "young": ("open", 0)}
    assert (after["total"], after["held"]) == (100_000, 20_000)
    assert after["postings"][-1] == ("expire", 10_000)


def test_running_app_sweeps_on_its_own(db_url: str) -> None:
    clock = Clock()
    settings = ServerSettings(database_url=db_url, sweep_interval_seconds=0.05,
                              hold_ttl_seconds=60)
    with TestClient(create_app(settings, clock=clock)) as client:
        till = enrol(client, db_url)
        till.push_ok(till.op("guest.created", guest_payload("anna")))
        engine = make_engine(db_url)
        with make_sessions(engine).begin() as session:
            credit_points(session, "anna", 5_000, now=clock(), actor="test", reason="gift")
        till.push_ok(hold(till, "h1", 1_000))
        clock.now += timedelta(seconds=61)
        deadline = datetime.now(UTC) + timedelta(seconds=5)
        while state(db_url)["holds"]["h1"][0] != "expired":
            assert datetime.now(UTC) < deadline, "the sweeper did not expire the hold"
            threading.Event().wait(0.05)
        engine.dispose()


def test_reconcile_releases_only_the_holds_the_till_forgot(anna: Till, db_url: str) -> None:
    anna.push_ok(hold(anna, "kept", 10_000), hold(anna, "forgotten", 20_000),
                 hold(anna, "done", 5_000), anna.op("hold.committed", {"hold_id": "done"}))
    stale = anna.client.post("/v1/holds/reconcile", headers=anna.headers,
                             json={"last_seq": 3, "open_hold_ids": ["kept"]})
    assert stale.status_code == 409
    assert "push the queue" in stale.json()["detail"]
    assert state(db_url)["holds"]["forgotten"] == ("open", 0)

    response = anna.client.post("/v1/holds/reconcile", headers=anna.headers,
                                json={"last_seq": anna.seq, "open_hold_ids": ["kept"]})
    assert response.status_code == 200, response.text
    assert response.json() == {"released": ["forgotten"]}
    after = state(db_url)
    assert after["holds"] == {"kept": ("open", 0), "forgotten": ("released", 0),
                              "done": ("committed", 5_000)}
    assert (after["total"], after["held"]) == (95_000, 10_000)
    again = anna.client.post("/v1/holds/reconcile", headers=anna.headers,
                             json={"last_seq": anna.seq, "open_hold_ids": ["kept"]})
    assert again.json() == {"released": []}


def test_reconcile_leaves_other_terminals_holds_alone(anna: Till, db_url: str) -> None:
    other = enrol(anna.client, db_url, "Other till")
    other.push_ok(hold(other, "theirs", 1_000))
    response = anna.client.post("/v1/holds/reconcile", headers=anna.headers,
                                json={"last_seq": anna.seq, "open_hold_ids": []})
    assert response.json() == {"released": []}
    assert state(db_url)["holds"]["theirs"] == ("open", 0)


def test_only_the_terminal_that_placed_a_hold_may_end_it(anna: Till, db_url: str) -> None:
    """Issue 16 point 4: terminal B neither commits nor releases terminal A's hold."""
    other = enrol(anna.client, db_url, "Other till")
    anna.push_ok(hold(anna, "mine", 10_000))
    for kind, payload in (("hold.committed", {"hold_id": "mine", "amount": 10_000}),
                          ("hold.released", {"hold_id": "mine"})):
        result = other.push_ok(other.op(kind, payload))["results"][0]
        assert (result["status"], result["reason"]) == ("rejected", "hold_of_another_terminal")
    assert state(db_url)["holds"]["mine"] == ("open", 0)
    assert anna.push_ok(anna.op("hold.committed", {"hold_id": "mine", "amount": 10_000}))[
        "results"][0]["status"] == "applied"
    assert state(db_url)["holds"]["mine"] == ("committed", 10_000)


def test_overdrafts_are_listed_for_managers(
    anna: Till, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from pos_server.cli import main

    anna.push_ok(hold(anna, "h1", 130_000, offline=True, ref="order-7"))
    capsys.readouterr()
    assert main(["overdrafts", "--db", db_url]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["guest_id"], r["amount"], r["ref"], r["hold_id"]) for r in rows] == [
        ("anna", 30_000, "order-7", "h1")]


def test_postings_with_an_order_ref_name_their_hold(anna: Till, db_url: str) -> None:
    anna.push_ok(hold(anna, "h1", 30_000, ref="order-9"),
                 anna.op("hold.committed", {"hold_id": "h1", "amount": 10_000}))
    engine = make_engine(db_url)
    with make_sessions(engine)() as session:
        postings = load_postings(session, "anna")
        joined = session.execute(
            select(PostingRow.kind, BonusHoldRow.status)
            .join(BonusHoldRow, BonusHoldRow.id == PostingRow.hold_id)
            .where(PostingRow.ref == "order-9").order_by(PostingRow.id)
        ).all()
    engine.dispose()
    assert [(p.kind.value, p.ref, p.hold_id) for p in postings] == [
        ("adjustment", None, None), ("hold", "order-9", "h1"), ("commit", "h1", "h1"),
        ("release", "h1", "h1")]
    assert [(p.total_delta, p.held_delta) for p in postings] == [
        (100_000, 0), (0, 30_000), (-10_000, -10_000), (0, -20_000)]
    assert [tuple(row) for row in joined] == [("hold", "committed")]


def test_an_account_loads_its_open_holds_and_every_named_one(anna: Till, db_url: str) -> None:
    anna.push_ok(hold(anna, "open", 1_000), hold(anna, "spent", 2_000),
                 anna.op("hold.committed", {"hold_id": "spent"}), hold(anna, "back", 3_000),
                 anna.op("hold.released", {"hold_id": "back"}), hold(anna, "old", 500),
                 anna.op("hold.released", {"hold_id": "old"}))  # fmt: skip
    engine = make_engine(db_url)
    with make_sessions(engine).begin() as session:
        account = load_account(session, "anna", ["spent", "back"])
        loaded = {h.id: h.status.value for h in account.holds.values()}
    engine.dispose()
    assert loaded == {"open": "open", "spent": "committed", "back": "released"}  # not "old"
