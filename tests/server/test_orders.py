"""Guest orders: POST /v1/orders and the order.* operations, judged by pos_app.domain.orders."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from pos_app.domain.loyalty import accrual_for
from pos_server.app import create_app
from pos_server.db import make_engine, make_sessions
from pos_server.db.models import POINTS, AccountRow, BonusHoldRow, GuestOrderRow, PostingRow
from pos_server.ledger.rules import settings_for
from pos_server.repositories.points_ledger import credit_points
from pos_server.settings import ServerSettings
from tests.server.conftest import Till, enrol, guest_payload


@pytest.fixture
def tills(db_url: str) -> Iterator[tuple[Till, Till]]:
    """Two consoles, and guest Anna with 1 000.00 points."""
    with TestClient(create_app(ServerSettings(database_url=db_url))) as client:
        one, two = enrol(client, db_url, "Console 1"), enrol(client, db_url, "Console 2")
        one.push_ok(one.op("guest.created", guest_payload("anna")))
        engine = make_engine(db_url)
        with make_sessions(engine).begin() as session:
            from datetime import UTC, datetime

            credit_points(session, "anna", 100_000, now=datetime.now(UTC), actor="t", reason="gift")
        engine.dispose()
        yield one, two


def order_body(**override: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "guest_id": "anna",
        "lines": [
            {"product_id": "latte", "name": "Latte", "quantity": 2, "unit_price": 25_000},
            {"product_id": "cookie", "name": "Cookie", "quantity": 1, "unit_price": 9_000},
        ],
        "method": "card",
        "note": "no sugar",
        "ready_by": "2026-11-23T12:00:00+00:00",
    }
    body.update(override)
    return body


def place(till: Till, **override: Any) -> dict[str, Any]:
    response = till.client.post("/v1/orders", json=order_body(**override), headers=till.headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def act(till: Till, kind: str, **payload: Any) -> dict[str, Any]:
    result: dict[str, Any] = till.push_ok(till.op(kind, payload))["results"][0]
    return result


def db_rows(db_url: str) -> tuple[dict[str, Any], list[tuple[str, int, str | None]]]:
    engine = make_engine(db_url)
    with make_sessions(engine)() as session:
        account = session.get(AccountRow, (POINTS, "anna"))
        points = select(PostingRow).where(PostingRow.account_kind == POINTS)
        postings = [(p.kind, p.amount, p.hold_id)
                    for p in session.scalars(points.order_by(PostingRow.id))][1:]
        holds = {h.id: h.status for h in session.scalars(select(BonusHoldRow))}
        orders = session.scalars(select(GuestOrderRow)).all()
        summary = {"total": account.total if account else None,
                   "held": account.held if account else None, "holds": holds,
                   "orders": len(orders)}
    engine.dispose()
    return summary, postings


def test_an_order_is_placed_and_goes_to_the_feed(tills: tuple[Till, Till]) -> None:
    one, _ = tills
    order = place(one, order_id="o-1")
    assert (order["order_id"], order["state"], order["total"]) == ("o-1", "new", 59_000)
    assert [line["line_id"] for line in order["lines"]] == ["1", "2"]
    assert order["allowed_actions"] == ["accept", "cancel", "complete"]
    assert order["note"] == "no sugar" and order["ready_by"].startswith("2026-11-23T12:00")
    changes = one.client.get("/v1/changes", headers=one.headers).json()["changes"]
    orders = [c for c in changes if c["entity"] == "order"]
    assert [(c["entity_id"], c["data"]["event"], c["data"]["state"]) for c in orders] == [
        ("o-1", "placed", "new")]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # input checks: no DB specifics
@pytest.mark.parametrize(("override", "status", "needle"), [
    ({"lines": []}, 422, "lines"),
    ({"guest_id": "nobody"}, 404, "nobody"),
    ({"method": "bitcoin"}, 422, "method"),
    ({"ready_by": "2026-11-23T12:00:00"}, 422, "timezone"),
    ({"lines": [{"product_id": "x", "name": "X", "quantity": 0, "unit_price": 1}]}, 422,
     "quantity"),
    ({"lines": [{"product_id": "x", "name": "X", "quantity": 1, "unit_price": -5}]}, 422,
     "unit_price"),
    ({"method": "points", "lines": [
        {"product_id": "x", "name": "X", "quantity": 1, "unit_price": 200_000}]}, 422,
     "insufficient_points"),
])
def test_bad_orders_are_refused_and_write_nothing(
    tills: tuple[Till, Till], db_url: str, override: dict[str, Any], status: int, needle: str
) -> None:
    one, _ = tills
    response = one.client.post("/v1/orders", json=order_body(**override), headers=one.headers)
    assert response.status_code == status, response.text
    assert needle in response.text
    summary, postings = db_rows(db_url)
    assert (summary["orders"], summary["held"], postings) == (0, 0, [])


def test_order_id_taken_and_no_token(tills: tuple[Till, Till]) -> None:
    one, _ = tills
    place(one, order_id="o-1")
    again = one.client.post("/v1/orders", json=order_body(order_id="o-1"), headers=one.headers)
    assert again.status_code == 409 and "order_exists" in again.text
    assert one.client.post("/v1/orders", json=order_body()).status_code == 401


def test_first_console_wins_the_second_sees_the_state(tills: tuple[Till, Till]) -> None:
    one, two = tills
    place(one, order_id="o-1")
    assert act(one, "order.accepted", order_id="o-1")["status"] == "applied"
    late = act(two, "order.accepted", order_id="o-1")
    assert (late["status"], late["reason"]) == ("conflict", "illegal_order_action")
    assert late["current"]["state"] == "accepted" and late["current"]["invoice_status"] == "open"
    assert "already accepted" in late["message"]
    cancel = act(two, "order.cancelled", order_id="o-1")
    assert (cancel["status"], cancel["current"]["state"]) == ("conflict", "accepted")
    assert act(one, "order.item_delivered", order_id="o-1", line_id="2")["status"] == "applied"
    twice = act(two, "order.item_delivered", order_id="o-1", line_id="2")
    assert (twice["status"], twice["reason"]) == ("conflict", "order_line_already_delivered")
    assert [ln["delivered"] for ln in twice["current"]["lines"]] == [False, True]
    missing = act(two, "order.item_delivered", order_id="o-1", line_id="9")
    assert (missing["status"], missing["reason"]) == ("rejected", "order_line_not_found")
    unknown = act(two, "order.accepted", order_id="o-404")
    assert (unknown["status"], unknown["reason"]) == ("rejected", "unknown_order")


def test_points_order_holds_then_pay_commits_the_hold(
    tills: tuple[Till, Till], db_url: str
) -> None:
    one, _ = tills
    order = place(one, order_id="o-1", method="points")
    hold_id = order["points_hold_id"]
    assert order["points_hold_amount"] == 59_000  # paying in points: the whole total
    assert db_rows(db_url)[0]["held"] == order["points_hold_amount"]
    act(one, "order.accepted", order_id="o-1")
    paid = act(one, "order.paid", order_id="o-1")
    assert paid["status"] == "applied", paid["message"]
    summary, postings = db_rows(db_url)
    amount = order["points_hold_amount"]
    assert (summary["total"], summary["held"]) == (100_000 - amount, 0)
    assert summary["holds"] == {hold_id: "committed"}
    assert postings == [("hold", amount, hold_id), ("commit", amount, hold_id)]
    done = act(one, "order.completed", order_id="o-1")
    assert done["status"] == "applied"


def test_changing_the_method_at_payment_releases_the_hold(
    tills: tuple[Till, Till], db_url: str
) -> None:
    one, _ = tills
    order = place(one, order_id="o-1", method="points")
    act(one, "order.accepted", order_id="o-1")
    assert act(one, "order.paid", order_id="o-1", method="cash")["status"] == "applied"
    summary, _ = db_rows(db_url)
    accrual = accrual_for(59_000, settings_for(None))  # paid in money: points earned (issue 20)
    assert (summary["total"], summary["held"]) == (100_000 + accrual, 0)
    assert summary["holds"] == {order["points_hold_id"]: "released"}
    changes = one.client.get("/v1/changes", headers=one.headers).json()["changes"]
    last = [c["data"] for c in changes if c["entity"] == "order"][-1]
    assert (last["event"], last["state"], last["method"], last["paid_money"]) == (
        "paid", "paid", "cash", 59_000)


def test_cancel_releases_complete_unpaid_leaves_debt_void_reverses(
    tills: tuple[Till, Till], db_url: str
) -> None:
    one, two = tills
    place(one, order_id="points", method="points")
    assert act(one, "order.cancelled", order_id="points")["status"] == "applied"
    assert db_rows(db_url)[0]["held"] == 0

    place(one, order_id="unpaid")
    assert act(two, "order.completed", order_id="unpaid")["status"] == "applied"
    place(one, order_id="paid")
    act(one, "order.accepted", order_id="paid")
    act(one, "order.paid", order_id="paid")
    assert act(two, "order.voided", order_id="paid")["status"] == "applied"
    voided_again = act(one, "order.voided", order_id="paid")
    assert voided_again["status"] == "conflict"

    changes = one.client.get("/v1/changes?limit=100", headers=one.headers).json()["changes"]
    final = {c["entity_id"]: c["data"] for c in changes if c["entity"] == "order"}
    assert (final["unpaid"]["state"], final["unpaid"]["debt"]) == ("completed", 59_000)
    assert all(line["delivered"] for line in final["unpaid"]["lines"])
    assert final["unpaid"]["invoice_status"] == "open"
    paid = final["paid"]
    assert (paid["state"], paid["invoice_status"], paid["reversed_amount"]) == (
        "voided", "annulled", 59_000)
    assert final["points"]["state"] == "cancelled"


def test_void_of_an_order_paid_in_points_gives_the_points_back(
    tills: tuple[Till, Till], db_url: str
) -> None:
    one, _ = tills
    lines = [{"product_id": "latte", "name": "Latte", "quantity": 1, "unit_price": 25_000,
              "in_points": True},
             {"product_id": "cookie", "name": "Cookie", "quantity": 1, "unit_price": 9_000}]
    order = place(one, order_id="o-1", lines=lines, method="card")
    assert order["points_hold_amount"] == 25_000  # only the line chosen in points is held
    act(one, "order.accepted", order_id="o-1")
    act(one, "order.paid", order_id="o-1")
    summary, postings = db_rows(db_url)
    accrual = accrual_for(9_000, settings_for(None))  # on the money part only
    assert (summary["total"], summary["held"]) == (75_000 + accrual, 0)
    assert act(one, "order.voided", order_id="o-1")["status"] == "applied"
    summary, postings = db_rows(db_url)
    assert (summary["total"], summary["held"]) == (100_000, 0)  # and the accrual taken back
    assert [kind for kind, _, _ in postings] == ["hold", "commit", "accrual", "credit", "debit"]
    last = [c["data"] for c in one.client.get("/v1/changes", headers=one.headers).json()[
        "changes"] if c["entity"] == "order"][-1]
    assert (last["paid_money"], last["paid_points"], last["reversed_amount"]) == (
        9_000, 25_000, 9_000)


def test_consoles_racing_to_pay_one_order_apply_it_once(db_url: str) -> None:
    import threading
    import uuid
    from datetime import UTC, datetime

    from pos_server.http.schemas import Operation, OrderPlaced
    from pos_server.ops.pipeline import apply_batch, check_batch
    from pos_server.orders.service import place_order
    from pos_server.terminals import service as terminals
    from pos_server.uow import unit_of_work

    engine = make_engine(db_url)
    sessions = make_sessions(engine)
    now = datetime.now(UTC)
    with sessions.begin() as session:
        ids = [terminals.add_terminal(session, f"C{n}", now).terminal_id for n in range(8)]
    setup = Operation(op_id=uuid.uuid4(), terminal_id=ids[0], seq=1, created_at=now,
                      kind="guest.created", payload=guest_payload("anna"))
    apply_batch(sessions, ids[0], check_batch([setup]), lambda: now)
    with sessions.begin() as session:
        credit_points(session, "anna", 100_000, now=now, actor="t", reason="gift")
    with unit_of_work(engine, actor=ids[0], now=now, hold_ttl=timedelta(hours=1)) as uow:
        place_order(uow, OrderPlaced.model_validate(order_body(order_id="o-1", method="points")))
    accept = Operation(op_id=uuid.uuid4(), terminal_id=ids[0], seq=2, created_at=now,
                       kind="order.accepted", payload={"order_id": "o-1"})
    apply_batch(sessions, ids[0], check_batch([accept]), lambda: now)
    start, statuses = threading.Barrier(8), []

    def pay(n: int, terminal_id: str) -> None:
        method = "points" if n % 2 else "cash"
        op = Operation(op_id=uuid.uuid4(), terminal_id=terminal_id, seq=3 if n == 0 else 1,
                       created_at=now, kind="order.paid",
                       payload={"order_id": "o-1", "method": method})
        checked = check_batch([op])
        start.wait()
        outcome = apply_batch(sessions, terminal_id, checked, lambda: datetime.now(UTC))
        statuses.extend(r.status for r in outcome.results)

    threads = [threading.Thread(target=pay, args=(n, tid)) for n, tid in enumerate(ids)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    assert sorted(statuses) == ["applied"] + ["conflict"] * 7
    summary, postings = db_rows(db_url)
    assert summary["held"] == 0 and len(summary["holds"]) == 1
    ended = [kind for kind, _, _ in postings if kind in {"commit", "release"}]
    assert ended in (["commit"], ["release"])  # the hold ended exactly once
