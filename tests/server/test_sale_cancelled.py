"""sale.cancelled: a voided basket is recorded for the manager's audit, judged, never applied
to any account; the till's own payload goes over the wire as it was stored."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from pos_app.domain.catalog import Product
from pos_app.domain.money import rub
from pos_app.domain.sale import Sale
from pos_app.services.operations import sale_cancelled

from .conftest import Till, guest_payload, sale_payload, till_sale

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def cancelled(**override: Any) -> dict[str, Any]:
    payload = {
        "sale_id": str(uuid.uuid4()),
        "opened_at": "2026-11-23T10:00:00+00:00",
        "cancelled_at": "2026-11-23T10:02:00+00:00",
        "guest_id": None,
        "lines": [{"line_no": 1, "product_id": "latte", "name": "Latte", "quantity": 1,
                   "unit_price": 25000, "total": 25000}],
        "payments": [{"method": "cash", "amount": 10000}],
        "total": 25000,
        "refund": 10000,
    }  # fmt: skip
    payload.update(override)
    return till_sale(payload)


def test_a_voided_basket_is_applied_and_kept_in_the_audit(till: Till) -> None:
    body = till.push_ok(till.op("sale.cancelled", cancelled()), till.op("sale.cancelled",
                        cancelled(lines=[], payments=[], total=0, refund=0)))  # fmt: skip
    assert [r["status"] for r in body["results"]] == ["applied", "applied"]


def test_totals_that_do_not_add_up_are_rejected(till: Till) -> None:
    body = till.push_ok(
        till.op("sale.cancelled", cancelled(total=1)),
        till.op("sale.cancelled", cancelled(refund=5)),
        till.op("sale.cancelled", cancelled(guest_id="nobody")),
    )
    assert [(r["status"], r["reason"]) for r in body["results"]] == [
        ("rejected", "totals_mismatch"), ("rejected", "totals_mismatch"),
        ("rejected", "unknown_guest")]  # fmt: skip


def test_a_sale_closed_on_the_server_cannot_be_cancelled(till: Till) -> None:
    till.push_ok(till.op("guest.created", guest_payload("anna")))
    sale = sale_payload(payments=[{"method": "card", "amount": 54000}])
    till.push_ok(till.op("sale.closed", sale))
    body = till.push_ok(till.op("sale.cancelled", cancelled(sale_id=sale["sale_id"])))
    [result] = body["results"]
    assert (result["status"], result["reason"]) == ("conflict", "sale_exists")
    assert result["current"]["total"] == 54000


def test_the_tills_cancelled_sale_goes_over_the_wire_as_stored(till: Till) -> None:
    sale = Sale.open("s-void", "T1", NOW)
    sale.add_line(Product("latte", "Латте", rub(250)), 2)
    sale.pay_cash(rub(100), NOW)
    refund = sale.cancel(NOW)
    wire = sale_cancelled(sale, refund).to_json()
    assert (wire["totals"]["total"], wire["refund"]) == (rub(500), rub(100))
    body = till.push_ok(till.op("sale.cancelled", wire))
    assert body["results"][0]["status"] == "applied", body
