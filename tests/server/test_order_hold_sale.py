"""A till sale paying a guest order that holds the guest's points (issue 20 point 2, seed 001
"P add to order"), the server's side: ``sale.closed`` whose points payment names the order's
own hold commits that hold once, as the sale's points payment (not the till's: it placed no
hold), marks the order paid by the sale without releasing it, and accrues on the money part;
a replay applies nothing again, a second sale cannot spend the hold again, and an order
cancelled or voided before payment releases its hold."""

from __future__ import annotations

from typing import Any

from pos_app.domain.loyalty import accrual_for
from pos_server.ledger.rules import settings_for
from tests.server.conftest import Till, sale_payload
from tests.server.test_order_paid_by_sale import items, order_now
from tests.server.test_orders import act, db_rows, place, tills

__all__ = ["tills"]
POINTS_LINE = {"product_id": "latte", "name": "Latte", "quantity": 1, "unit_price": 25_000,
               "in_points": True}  # fmt: skip
MONEY_LINE = {"product_id": "cookie", "name": "Cookie", "quantity": 1, "unit_price": 9_000}
SALE_LINES = [
    {"line_no": 1, "product_id": "latte", "name": "Latte", "quantity": 1, "unit_price": 25_000,
     "total": 25_000},
    {"line_no": 2, "product_id": "cookie", "name": "Cookie", "quantity": 1, "unit_price": 9_000,
     "total": 9_000},
]  # fmt: skip


def sale_paying(order_id: str, hold_id: str, points: int = 25_000, money: int = 9_000,
                **override: Any) -> dict[str, Any]:  # fmt: skip
    payments: list[dict[str, Any]] = [{"method": "points", "amount": points, "hold_id": hold_id}]
    if money:
        payments.append({"method": "card", "amount": money})
    fields = {"lines": SALE_LINES, "total": points + money, "order_id": order_id,
              "payments": payments} | override  # fmt: skip
    return sale_payload("anna", **fields)


def placed_and_accepted(one: Till, order_id: str, **extra: Any) -> str:
    order = place(one, order_id=order_id, lines=[POINTS_LINE, MONEY_LINE], **extra)
    assert act(one, "order.accepted", order_id=order_id)["status"] == "applied"
    hold_id: str = order["points_hold_id"]
    assert hold_id and order["points_hold_amount"] == 25_000
    return hold_id


def test_the_orders_hold_is_committed_once_by_the_sale_that_pays_it(
    tills: tuple[Till, Till], db_url: str
) -> None:
    one, two = tills  # the order placed through one, paid at till two
    hold_id = placed_and_accepted(one, "h-1", method="card")
    sale = sale_paying("h-1", hold_id)
    op = two.op("sale.closed", sale)
    first = two.push_ok(op)["results"][0]
    assert first["status"] == "applied", first  # 25 000 of 34 000 in points: not capped at 50 %
    now = order_now(one, "h-1")
    assert (now["state"], now["paid_by_sale"], now["paid_money"], now["paid_points"]) == (
        "paid", sale["sale_id"], 9_000, 25_000)  # fmt: skip
    assert (now["points_hold_id"], now["accrual"]) == (None, 0)
    accrual = accrual_for(9_000, settings_for(None))  # the money part earns, as any sale
    expected = (100_000 - 25_000 + accrual, 0)
    summary, postings = db_rows(db_url)
    assert (summary["total"], summary["held"]) == expected
    assert summary["holds"] == {hold_id: "committed"}  # not released
    assert [(kind, amount) for kind, amount, _ in postings] == [
        ("hold", 25_000), ("commit", 25_000), ("accrual", accrual)]  # fmt: skip

    again = two.push_ok(op)["results"][0]  # the till resends after a lost answer
    assert again["status"] == "applied"
    assert db_rows(db_url) == (summary, postings)  # applied once

    other = two.push_ok(two.op("sale.closed", sale_paying("h-1", hold_id)))["results"][0]
    assert (other["status"], other["reason"]) == ("rejected", "hold_already_used")
    assert db_rows(db_url)[0]["total"] == expected[0]
    assert items(db_url) == []


def test_an_order_paid_all_in_points_is_one_sale_of_its_hold(
    tills: tuple[Till, Till], db_url: str
) -> None:
    one, two = tills
    order = place(one, order_id="h-2", method="points")  # 590.00 of points held
    act(one, "order.accepted", order_id="h-2")
    lines = [{"line_no": 1, "product_id": "latte", "name": "Latte", "quantity": 2,
              "unit_price": 25_000, "total": 50_000},
             {"line_no": 2, "product_id": "cookie", "name": "Cookie", "quantity": 1,
              "unit_price": 9_000, "total": 9_000}]  # fmt: skip
    sale = sale_paying("h-2", order["points_hold_id"], points=59_000, money=0, lines=lines)
    verdict = two.push_ok(two.op("sale.closed", sale))["results"][0]
    assert verdict["status"] == "applied", verdict
    assert order_now(one, "h-2")["paid_points"] == 59_000
    summary, postings = db_rows(db_url)
    assert (summary["total"], summary["held"]) == (100_000 - 59_000, 0)  # no accrual on points
    assert [kind for kind, _, _ in postings] == ["hold", "commit"]


def test_a_sale_naming_the_hold_of_a_voided_order_is_refused_and_spends_nothing(
    tills: tuple[Till, Till], db_url: str
) -> None:
    one, two = tills
    hold_id = placed_and_accepted(one, "h-3")
    assert act(one, "order.voided", order_id="h-3")["status"] == "applied"
    summary, _ = db_rows(db_url)
    assert (summary["total"], summary["held"], summary["holds"]) == (
        100_000, 0, {hold_id: "released"})  # fmt: skip
    verdict = two.push_ok(two.op("sale.closed", sale_paying("h-3", hold_id)))["results"][0]
    assert (verdict["status"], verdict["reason"]) == ("rejected", "hold_not_committed")
    assert db_rows(db_url)[0]["total"] == 100_000
    assert order_now(one, "h-3")["state"] == "voided"


def test_cancelling_a_new_order_releases_its_hold(tills: tuple[Till, Till], db_url: str) -> None:
    one, _ = tills
    order = place(one, order_id="h-4", lines=[POINTS_LINE, MONEY_LINE])
    assert db_rows(db_url)[0]["held"] == 25_000
    assert act(one, "order.cancelled", order_id="h-4")["status"] == "applied"
    summary, _ = db_rows(db_url)
    assert (summary["total"], summary["held"]) == (100_000, 0)
    assert summary["holds"] == {order["points_hold_id"]: "released"}


def test_an_orders_hold_outlives_the_tills_hold_lifetime(
    tills: tuple[Till, Till], db_url: str
) -> None:
    """The order's hold ends with the order, not by the sweeper's clock (24 h for a till's)."""
    from datetime import UTC, datetime, timedelta

    from pos_server.db import make_engine
    from pos_server.ledger.sweeper import expire_due_holds

    one, _ = tills
    hold_id = placed_and_accepted(one, "h-5")
    engine = make_engine(db_url)
    try:
        later = datetime.now(UTC) + timedelta(days=60)
        assert expire_due_holds(engine, lambda: later) == 0
    finally:
        engine.dispose()
    assert db_rows(db_url)[0]["holds"] == {hold_id: "open"}
