"""POST /v1/ops: verdicts, replay, seq ordering, and the three kinds accepted so far."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select

from pos_server.db import make_engine, make_sessions
from pos_server.db.models import (
    AppliedOperation,
    Guest,
    GuestIdentifier,
    Sale,
    SaleLine,
    SalePayment,
    Terminal,
)
from tests.server.conftest import Till, enrol, guest_payload, sale_payload


def count(db_url: str, model: Any) -> int:
    engine = make_engine(db_url)
    try:
        with make_sessions(engine)() as session:
            return session.scalar(select(func.count()).select_from(model)) or 0
    finally:
        engine.dispose()


def test_guest_created_is_applied_and_its_verdict_replayed_on_retry(
    till: Till, db_url: str
) -> None:
    op = till.op("guest.created", guest_payload("g-1"))
    first = till.push_ok(op)
    assert first["results"] == [
        {"op_id": op["op_id"], "seq": 1, "status": "applied", "reason": None, "message": None,
         "current": None, "replayed": False}
    ]
    assert first["last_seq"] == 1

    again = till.push_ok(op)
    assert again["results"][0]["status"] == "applied"
    assert again["results"][0]["replayed"] is True
    assert count(db_url, Guest) == 1
    assert count(db_url, AppliedOperation) == 1


def test_rejected_verdict_is_replayed_not_recomputed(till: Till, db_url: str) -> None:
    bind = till.op("identifier.bound", {"guest_id": "g-1", "medium": "card", "method": "msr",
                                        "value": "1234"})
    assert till.push_ok(bind)["results"][0]["reason"] == "unknown_guest"
    # The guest exists now, but the stored verdict of the earlier op is what a retry gets.
    till.push_ok(till.op("guest.created", guest_payload("g-1")))
    replay = till.push_ok(bind)["results"][0]
    assert (replay["status"], replay["reason"], replay["replayed"]) == (
        "rejected", "unknown_guest", True
    )
    assert count(db_url, GuestIdentifier) == 0


def test_same_op_id_with_another_payload_is_refused(till: Till, db_url: str) -> None:
    op = till.op("guest.created", guest_payload("g-1", "Anna"))
    till.push_ok(op)
    tampered = {**op, "payload": guest_payload("g-1", "Boris")}
    result = till.push_ok(tampered)["results"][0]
    assert (result["status"], result["reason"]) == ("refused", "op_id_reused")
    engine = make_engine(db_url)
    with make_sessions(engine)() as session:
        assert session.get_one(Guest, "g-1").name == "Anna"
    engine.dispose()


def test_seq_gap_is_refused_with_the_servers_last_seq(till: Till, db_url: str) -> None:
    till.push_ok(till.op("guest.created", guest_payload()))
    skipped = till.op("guest.created", guest_payload(), seq=3)
    body = till.push_ok(skipped)
    assert body["last_seq"] == 1
    result = body["results"][0]
    assert (result["status"], result["reason"]) == ("refused", "seq_gap")
    assert "resend from seq 2" in result["message"]
    assert count(db_url, Guest) == 1

    till.seq = 1
    body = till.push_ok(till.op("guest.created", guest_payload()), skipped)
    assert [r["status"] for r in body["results"]] == ["applied", "applied"]
    assert body["last_seq"] == 3


def test_a_used_seq_with_a_new_op_id_is_refused(till: Till) -> None:
    till.push_ok(till.op("guest.created", guest_payload()))
    duplicate_seq = till.op("guest.created", guest_payload(), seq=1)
    result = till.push_ok(duplicate_seq)["results"][0]
    assert (result["status"], result["reason"]) == ("refused", "seq_used")


def test_unknown_kind_is_rejected_and_the_queue_moves_on(till: Till) -> None:
    body = till.push_ok(
        till.op("coffee.brewed", {"cups": 2}), till.op("guest.created", guest_payload())
    )
    first, second = body["results"]
    assert (first["status"], first["reason"]) == ("rejected", "unknown_kind")
    assert "coffee.brewed" in first["message"]
    assert second["status"] == "applied"
    assert body["last_seq"] == 2


def test_identifier_owned_by_another_guest_is_rejected(till: Till, db_url: str) -> None:
    till.push_ok(till.op("guest.created", guest_payload("anna")),
                 till.op("guest.created", guest_payload("boris")))
    card = {"medium": "card", "method": "msr", "value": "  7777  "}
    body = till.push_ok(
        till.op("identifier.bound", {"guest_id": "anna", **card}),
        till.op("identifier.bound", {"guest_id": "anna", **card}),
        till.op("identifier.bound", {"guest_id": "boris", **card}),
    )
    assert [r["status"] for r in body["results"]] == ["applied", "applied", "rejected"]
    assert body["results"][2]["reason"] == "identifier_taken"
    engine = make_engine(db_url)
    with make_sessions(engine)() as session:
        rows = session.scalars(select(GuestIdentifier)).all()
        assert [(r.guest_id, r.value) for r in rows] == [("anna", "7777")]  # trimmed
    engine.dispose()


def test_sale_closed_is_stored_with_lines_and_payments(till: Till, db_url: str) -> None:
    till.push_ok(till.op("guest.created", guest_payload("anna")))
    sale = sale_payload("anna")
    result = till.push_ok(till.op("sale.closed", sale))["results"][0]
    assert result["status"] == "applied"
    engine = make_engine(db_url)
    with make_sessions(engine)() as session:
        stored = session.get_one(Sale, sale["sale_id"])
        assert (stored.total, stored.guest_id, stored.terminal_id) == (54000, "anna",
                                                                       till.terminal_id)
        assert stored.closed_at.isoformat() == "2026-11-23T10:05:00+00:00"
        lines = session.scalars(select(SaleLine).order_by(SaleLine.line_no)).all()
        assert [(x.product_id, x.quantity, x.total) for x in lines] == [
            ("latte", 2, 45000), ("cookie", 1, 9000)
        ]
        payments = session.scalars(select(SalePayment).order_by(SalePayment.position)).all()
        assert [(p.method, p.amount) for p in payments] == [("card", 50000), ("cash", 4000)]
    engine.dispose()


def test_sale_that_does_not_add_up_is_rejected_without_a_trace(till: Till, db_url: str) -> None:
    body = till.push_ok(
        till.op("sale.closed", sale_payload(total=99999)),
        till.op("sale.closed", sale_payload(payments=[{"method": "cash", "amount": 100}])),
        till.op("sale.closed", sale_payload(guest_id="nobody")),
    )
    reasons = [(r["status"], r["reason"]) for r in body["results"]]
    assert reasons == [("rejected", "totals_mismatch"), ("rejected", "totals_mismatch"),
                       ("rejected", "unknown_guest")]
    assert count(db_url, Sale) == 0
    assert count(db_url, SaleLine) == 0
    assert count(db_url, AppliedOperation) == 3


def test_second_sale_with_the_same_id_is_a_conflict_with_current_state(
    client: Any, db_url: str
) -> None:
    first, second = enrol(client, db_url, "A"), enrol(client, db_url, "B")
    sale = sale_payload()
    first.push_ok(first.op("sale.closed", sale))
    result = second.push_ok(second.op("sale.closed", sale))["results"][0]
    assert (result["status"], result["reason"]) == ("conflict", "sale_exists")
    assert result["current"]["terminal_id"] == first.terminal_id
    assert result["current"]["total"] == 54000
    assert count(db_url, Sale) == 1


def test_two_terminals_keep_independent_seqs(client: Any, db_url: str) -> None:
    first, second = enrol(client, db_url, "A"), enrol(client, db_url, "B")
    assert first.push_ok(first.op("guest.created", guest_payload()))["last_seq"] == 1
    assert second.push_ok(second.op("guest.created", guest_payload()))["last_seq"] == 1
    engine = make_engine(db_url)
    with make_sessions(engine)() as session:
        assert {t.last_seq for t in session.scalars(select(Terminal))} == {1}
    engine.dispose()


def test_empty_batch_reports_last_seq(till: Till) -> None:
    till.push_ok(till.op("guest.created", guest_payload()))
    assert till.push_ok() == {"results": [], "last_seq": 1}


def test_op_ids_are_canonical_uuids(till: Till) -> None:
    op_id = uuid.uuid4()
    op = till.op("guest.created", guest_payload(), op_id=str(op_id).upper())
    assert till.push_ok(op)["results"][0]["op_id"] == str(op_id)


def test_phone_is_normalised_by_the_domain_rule_and_a_bad_one_rejected(
    till: Till, db_url: str
) -> None:
    body = till.push_ok(
        till.op("guest.created", {"guest_id": "anna", "name": " Anna ",
                                  "phone": "8 (912) 123-45-67"}),
        till.op("guest.created", {"guest_id": "boris", "name": "Boris", "phone": "12ab"}),
    )
    assert [r["status"] for r in body["results"]] == ["applied", "rejected"]
    assert body["results"][1]["reason"] == "invalid_phone"
    assert "not a phone number" in body["results"][1]["message"]
    engine = make_engine(db_url)
    with make_sessions(engine)() as session:
        anna = session.get_one(Guest, "anna")
        assert (anna.name, anna.phone) == ("Anna", "+79121234567")
        assert session.get(Guest, "boris") is None
    engine.dispose()


def test_a_swiped_card_and_the_same_card_typed_are_one_identifier(till: Till) -> None:
    till.push_ok(till.op("guest.created", guest_payload("anna")),
                 till.op("guest.created", guest_payload("boris")))
    body = till.push_ok(
        till.op("identifier.bound", {"guest_id": "anna", "medium": "card", "method": "msr",
                                     "value": ";4000123412341234=2612?"}),
        till.op("identifier.bound", {"guest_id": "boris", "medium": "card",
                                     "method": "manual", "value": "4000 1234 1234 1234"}),
        till.op("identifier.bound", {"guest_id": "boris", "medium": "card",
                                     "method": "manual", "value": "\x07"}),
    )
    assert [(r["status"], r["reason"]) for r in body["results"]] == [
        ("applied", None), ("rejected", "identifier_taken"), ("rejected", "invalid_identifier")
    ]
    changes = till.client.get("/v1/changes", headers=till.headers).json()["changes"]
    assert changes[-1]["data"] == {"guest_id": "anna", "medium": "card", "method": "msr",
                                   "value": "4000123412341234", "blocked": False,
                                   "block_reason": None}
