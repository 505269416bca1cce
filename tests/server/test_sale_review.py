"""The server's recomputation of a closed sale (``pos_server.ops.sale_review``, issue 15 point 5) on
SQLite and PostgreSQL: a tampered total, a legacy row's arithmetic, a refused sale leaves no
item. (Stale prices and groups against a real till and server: tests/sync/test_sale_recompute.)
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from pos_app.domain.catalog import Product
from pos_app.domain.money import Percent
from pos_app.domain.pricing import GroupSnapshot
from pos_app.domain.sale import GuestSnapshot, OrderDiscount, Sale
from pos_app.services.operations import sale_closed
from pos_server.db import make_engine, make_sessions
from pos_server.db.models import Sale as SaleRow
from pos_server.db.models_ledger import ReconciliationItemRow
from pos_server.repositories.reconciliation import list_items
from tests.server.conftest import Till, guest_payload, sale_payload

OPENED = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
CLOSED = datetime(2026, 11, 23, 10, 5, tzinfo=UTC)
LATTE = Product("latte", "Latte", 25_000, "coffee", frozenset({"hot"}))
COOKIE = Product("cookie", "Cookie", 9_000, "bakery")


def a_sale(guest_id: str | None = None, *, promo_bp: int = 0) -> dict[str, Any]:
    """A sale priced by the till's own domain code, as the till's outbox stores it."""
    sale = Sale.open(str(uuid.uuid4()), "T1", OPENED)
    sale.add_line(LATTE, 2)
    sale.add_line(COOKIE)
    if guest_id is not None:
        sale.attach_guest(GuestSnapshot(guest_id, "Anna", None, "msr"))
    if promo_bp:
        sale.set_order_discount(OrderDiscount(Percent(promo_bp), "promo:TOPLASER6502"))
    sale.pay_cash(sale.total, CLOSED)
    sale.close("T1-000001", CLOSED)
    return sale_closed(sale).to_json()


def items(db_url: str) -> list[dict[str, Any]]:
    engine = make_engine(db_url)
    try:
        with make_sessions(engine)() as session:
            return list_items(session)
    finally:
        engine.dispose()


def test_a_sale_priced_by_the_domain_leaves_no_item(till: Till, db_url: str) -> None:
    body = till.push_ok(till.op("sale.closed", a_sale(promo_bp=1_500)))
    assert body["results"][0]["status"] == "applied"
    assert items(db_url) == []


def test_a_tampered_total_is_applied_and_kept_as_an_item(till: Till, db_url: str) -> None:
    """Given a till that took 400 ₽ for a sale whose lines come to 590 ₽, the sale stands as
    the till recorded it (the money was taken) and the manager sees the 190 ₽ difference."""
    sale = a_sale()
    assert sale["totals"]["total"] == 59_000
    sale["lines"][0] = {**sale["lines"][0], "discount": 19_000, "total": 31_000}
    sale["totals"] = {**sale["totals"], "discount": 19_000, "total": 40_000, "paid": 40_000}
    sale["payments"] = [{**sale["payments"][0], "amount": 40_000, "tendered": 40_000}]
    body = till.push_ok(till.op("sale.closed", sale))
    assert body["results"][0]["status"] == "applied"
    [item] = items(db_url)
    assert (item["kind"], item["sale_id"], item["amount"]) == ("totals_mismatch",
                                                               sale["sale_id"], -19_000)
    assert item["terminal_id"] == till.terminal_id
    [line] = [p for p in item["details"]["problems"] if p.get("line_no") == 1]
    assert line["server"] == {"discount": 0, "total": 50_000}
    engine = make_engine(db_url)
    with make_sessions(engine)() as session:
        assert session.get_one(SaleRow, sale["sale_id"]).total == 40_000
    engine.dispose()


def test_an_order_discount_the_lines_do_not_carry_is_a_difference(
    till: Till, db_url: str
) -> None:
    """The promo's 15 % is on the record but the lines were not discounted by it."""
    sale = a_sale(promo_bp=1_500)
    plain = a_sale()
    sale.update(lines=plain["lines"], totals=plain["totals"], payments=plain["payments"])
    till.push_ok(till.op("sale.closed", sale))
    [item] = items(db_url)
    assert item["kind"] == "totals_mismatch"
    assert item["amount"] == 59_000 - (59_000 - 59_000 * 15 // 100)


def test_a_legacy_row_is_checked_for_its_arithmetic_only(till: Till, db_url: str) -> None:
    """A row a till stored before it sent list prices: its lines' sums are still checked."""
    body = till.push_ok(
        till.op("sale.closed", sale_payload()),  # adds up
        till.op("sale.closed", sale_payload(lines=[
            {"line_no": 1, "product_id": "latte", "name": "Latte", "quantity": 2,
             "unit_price": 25_000, "discount": 0, "total": 45_000}], total=45_000,
            payments=[{"method": "cash", "amount": 45_000}])),
    )  # fmt: skip
    assert [r["status"] for r in body["results"]] == ["applied", "applied"]
    [item] = items(db_url)
    assert (item["kind"], item["amount"]) == ("totals_mismatch", 45_000 - 50_000)


def test_payments_that_are_not_the_total_are_still_refused_and_leave_no_item(
    till: Till, db_url: str
) -> None:
    sale = a_sale()
    sale["payments"] = [{**sale["payments"][0], "amount": 100}]
    body = till.push_ok(till.op("sale.closed", sale))
    assert (body["results"][0]["status"], body["results"][0]["reason"]) == (
        "rejected", "totals_mismatch")
    assert items(db_url) == []


def test_a_sale_refused_for_a_ledger_rule_leaves_no_item(till: Till, db_url: str) -> None:
    """The item is written in the operation's transaction: a refusal undoes it too."""
    guest = guest_payload("anna")
    sale = a_sale("anna")
    sale["lines"][1] = {**sale["lines"][1], "total": 8_000, "discount": 1_000}
    sale["totals"] = {**sale["totals"], "discount": 1_000, "total": 58_000, "paid": 58_000}
    sale["payments"] = [{**sale["payments"][0], "method": "balance", "amount": 58_000,
                         "tendered": 58_000, "change": 0}]  # fmt: skip
    body = till.push_ok(till.op("guest.created", guest), till.op("sale.closed", sale))
    result = body["results"][1]
    assert (result["status"], result["reason"]) == ("rejected", "insufficient_balance")
    engine = make_engine(db_url)
    with make_sessions(engine)() as session:
        assert session.scalars(select(ReconciliationItemRow)).all() == []
    engine.dispose()


def test_a_till_that_sends_its_group_is_compared_with_the_servers(
    till: Till, db_url: str
) -> None:
    """No group on the server's record, 10 % on the till's: the 10 % discount is the
    difference (the server's record of the guest wins; the sale stands)."""
    till.push_ok(till.op("guest.created", guest_payload("boris", "Boris")))
    sale = Sale.open(str(uuid.uuid4()), "T1", OPENED)
    sale.add_line(LATTE, 2)
    sale.attach_guest(GuestSnapshot("boris", "Boris", GroupSnapshot("g10", "10 %",
                                                                    Percent(1_000)), "msr"))
    sale.pay_cash(sale.total, CLOSED)
    sale.close("T1-000002", CLOSED)
    body = till.push_ok(till.op("sale.closed", sale_closed(sale).to_json()))
    assert body["results"][0]["status"] == "applied"
    [item] = items(db_url)
    assert (item["kind"], item["amount"]) == ("group_differs", -5_000)
    assert item["details"]["server"] is None
