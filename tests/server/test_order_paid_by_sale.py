"""A till sale that pays a guest order (issue 20 point 2, the server's side): ``sale.closed``
with ``order_id`` marks the order paid by the sale - its own points hold released, nothing
posted twice, the accrual the sale's - and what does not fit is a reconciliation item, never
a refusal of the sale (the till took the money)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from pos_app.domain.loyalty import accrual_for
from pos_server.db import make_engine, make_sessions
from pos_server.db.models_ledger import ReconciliationItemRow
from pos_server.ledger.rules import settings_for
from tests.server.conftest import Till, sale_payload
from tests.server.test_orders import act, db_rows, place, tills

__all__ = ["tills"]
LINES = [
    {"line_no": 1, "product_id": "latte", "name": "Latte", "quantity": 2, "unit_price": 25_000,
     "total": 50_000},
    {"line_no": 2, "product_id": "cookie", "name": "Cookie", "quantity": 1, "unit_price": 9_000,
     "total": 9_000},
]  # fmt: skip


def sale_for(order_id: str, total: int = 59_000, **override: Any) -> dict[str, Any]:
    fields = {"lines": LINES, "total": total, "order_id": order_id,
              "payments": [{"method": "card", "amount": total}]} | override  # fmt: skip
    return sale_payload("anna", **fields)


def items(db_url: str) -> list[tuple[str, str | None, int]]:
    engine = make_engine(db_url)
    with make_sessions(engine)() as session:
        rows = session.scalars(select(ReconciliationItemRow).order_by(ReconciliationItemRow.id))
        found = [(r.kind, (r.details or {}).get("order_id"), r.amount) for r in rows]
    engine.dispose()
    return found


def order_now(till: Till, order_id: str) -> dict[str, Any]:
    answer: dict[str, Any] = till.client.get(f"/v1/orders/{order_id}", headers=till.headers).json()
    return answer


def test_a_till_sale_pays_the_order_once_releasing_its_hold_and_accruing_once(
    tills: tuple[Till, Till], db_url: str
) -> None:
    one, two = tills
    order = place(one, order_id="s-1", method="points")  # 590.00 in points held
    act(one, "order.accepted", order_id="s-1")
    sale = sale_for("s-1")
    assert two.push_ok(two.op("sale.closed", sale))["results"][0]["status"] == "applied"
    now = order_now(one, "s-1")
    assert (now["state"], now["paid_by_sale"], now["paid_money"], now["invoice_status"]) == (
        "paid",
        sale["sale_id"],
        59_000,
        "paid",
    )
    assert now["accrual"] == 0  # the sale accrued, not the order
    summary, _ = db_rows(db_url)
    accrual = accrual_for(59_000, settings_for(None))
    assert (summary["total"], summary["held"]) == (100_000 + accrual, 0)  # accrued once
    assert summary["holds"] == {order["points_hold_id"]: "released"}
    assert "void" not in now["allowed_actions"]  # given back by refunding the sale
    refused = act(one, "order.voided", order_id="s-1")
    assert (refused["status"], refused["reason"]) == ("rejected", "order_paid_by_sale")
    assert items(db_url) == []


def test_a_sale_for_an_order_no_longer_payable_is_kept_and_flagged(
    tills: tuple[Till, Till], db_url: str
) -> None:
    one, two = tills
    place(one, order_id="s-2")
    act(one, "order.cancelled", order_id="s-2")
    assert two.push_ok(two.op("sale.closed", sale_for("s-2")))["results"][0]["status"] == (
        "applied"
    )
    assert order_now(one, "s-2")["state"] == "cancelled"
    assert items(db_url) == [("order_not_payable", "s-2", 59_000)]


def test_a_sale_of_another_total_pays_the_order_and_is_flagged(
    tills: tuple[Till, Till], db_url: str
) -> None:
    one, two = tills
    place(one, order_id="s-3")
    act(one, "order.accepted", order_id="s-3")
    lines = [{**LINES[0], "discount": 1_000, "total": 49_000}, LINES[1]]
    sale = sale_for("s-3", total=58_000, lines=lines)
    assert two.push_ok(two.op("sale.closed", sale))["results"][0]["status"] == "applied"
    assert order_now(one, "s-3")["state"] == "paid"
    assert ("order_total_differs", "s-3", -1_000) in items(db_url)
