"""Amounts cannot overflow (issue 16 point 2): an order whose totals exceed the cap is a 422,
a posting that would take a balance outside the safe range is a final ``rejected`` verdict
(never a 500 that every resend repeats), and the till's queue moves on."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from pos_app.domain.operations import MAX_AMOUNT, MAX_QUANTITY
from pos_server.db.models import MONEY, AccountRow
from pos_server.ledger.amount_range import SAFE_LIMIT
from tests.server.ledger_fixtures import Shop, shop

__all__ = ["shop"]


def _huge_order() -> dict[str, Any]:
    line = {"product_id": "latte", "name": "Latte", "quantity": 100_000, "unit_price": MAX_AMOUNT}
    return {"guest_id": "anna", "method": "card", "lines": [line] * 100}


def test_an_order_of_ten_to_the_eighteenth_kopecks_is_refused(shop: Shop) -> None:
    response = shop.till.client.post("/v1/orders", json=_huge_order(), headers=shop.till.headers)
    assert response.status_code == 422, response.text


def test_an_order_line_over_the_cap_is_refused_but_one_at_the_cap_is_taken(shop: Shop) -> None:
    line = {"product_id": "latte", "name": "Latte", "quantity": 2, "unit_price": MAX_AMOUNT}
    body = {"guest_id": "anna", "method": "card", "lines": [line]}
    response = shop.till.client.post("/v1/orders", json=body, headers=shop.till.headers)
    assert response.status_code == 422, response.text
    body["lines"] = [{**line, "quantity": 1}]
    response = shop.till.client.post("/v1/orders", json=body, headers=shop.till.headers)
    assert response.status_code == 201, response.text


def top_up(shop: Shop, amount: int) -> Any:
    """Anna's balance topped up by the shop's cashier (a top-up names its staff member)."""
    return shop.push("balance.topped_up", {"guest_id": "anna", "amount": amount,
                                           "staff_id": "kasia"})  # fmt: skip


def _set_balance(shop: Shop, total: int) -> None:
    def work(session: Session) -> None:
        row = session.get(AccountRow, (MONEY, "anna"))
        if row is None:
            session.add(AccountRow(kind=MONEY, id="anna", total=total, held=0))
        else:
            row.total = total

    shop.write(work)


def test_a_top_up_beyond_int64_is_rejected_and_the_queue_moves_on(shop: Shop) -> None:
    _set_balance(shop, 2**63 - 10)  # an account driven to the edge (before the caps existed)
    result = top_up(shop, 1_000)
    assert (result["status"], result["reason"]) == ("rejected", "amount_out_of_range")
    assert shop.state()["balance"] == 2**63 - 10  # nothing written
    # the next operation of the same till is judged (the queue did not stop)
    _set_balance(shop, 0)
    assert top_up(shop, 1_000)[
        "status"] == "applied"
    assert shop.state()["balance"] == 1_000


def test_a_balance_at_the_safe_limit_refuses_one_more_kopeck(shop: Shop) -> None:
    _set_balance(shop, SAFE_LIMIT - 1)
    assert top_up(shop, 1)[
        "status"] == "applied"
    result = top_up(shop, 1)
    assert (result["status"], result["reason"]) == ("rejected", "amount_out_of_range")
    assert shop.state()["balance"] == SAFE_LIMIT


edges = st.sampled_from([MAX_AMOUNT, MAX_AMOUNT + 1, MAX_QUANTITY, MAX_QUANTITY + 1,
                         2**63 - 1, 2**63, -(2**63), 10**18, -1, 0])
quantities = st.one_of(st.integers(min_value=1, max_value=MAX_QUANTITY), edges)
prices = st.one_of(st.integers(min_value=0, max_value=MAX_AMOUNT), edges)


def test_fuzzed_big_orders_and_their_completion_never_get_a_5xx(shop: Shop) -> None:
    """Orders with amounts near and past every cap, each completed unpaid against a balance
    already at the edge of int64: 201 or 422 for the order, a verdict for its completion,
    never a 5xx; the till's queue keeps moving (a top-up after them all is applied)."""
    edge = -(2**63) + 10**12  # an account driven there before the caps existed
    _set_balance(shop, edge)
    client, headers = shop.till.client, shop.till.headers

    @given(lines=st.lists(st.tuples(quantities, prices), min_size=1, max_size=100))
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    def place_and_complete(lines: list[tuple[int, int]]) -> None:
        body = {"guest_id": "anna", "method": "card", "lines": [
            {"product_id": "p", "name": "P", "quantity": q, "unit_price": p} for q, p in lines]}
        response = client.post("/v1/orders", json=body, headers=headers)
        assert response.status_code in (201, 422), response.text
        if response.status_code == 201:
            order_id = response.json()["order_id"]
            result = shop.push("order.completed", {"order_id": order_id})
            assert result["status"] in ("applied", "rejected", "conflict"), result

    place_and_complete()
    assert shop.state()["balance"] == edge  # every debt there was rejected, none written
    _set_balance(shop, 0)
    assert top_up(shop, 1)[
        "status"] == "applied"
