"""Balance (money) accounts: top-ups, guest orders paid from the balance, their voids and
debts, every change an append-only posting with the balance after it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from pos_app.domain.balance import TOP_UP_LIMITS
from pos_app.domain.staff_pins import Role
from pos_server.ledger.rules import ledger_rules
from tests.server.conftest import add_staff_member
from tests.server.ledger_fixtures import Shop, shop

__all__ = ["shop"]


def order(s: Shop, order_id: str, method: str = "balance") -> None:
    body = {"order_id": order_id, "guest_id": "anna", "method": method,
            "lines": [{"product_id": "latte", "name": "Latte", "quantity": 1,
                       "unit_price": 20_000}]}  # fmt: skip
    response = s.till.client.post("/v1/orders", json=body, headers=s.till.headers)
    assert response.status_code == 201, response.text


def act(s: Shop, kind: str, order_id: str, **extra: Any) -> str:
    result = s.push(kind, {"order_id": order_id, **extra})
    return str(result["reason"] or result["status"])


def test_top_up_and_unknown_guest(shop: Shop) -> None:
    assert shop.push("balance.topped_up", {"guest_id": "anna", "staff_id": "kasia",
                                           "amount": 5_000, "ref": None})[
        "status"] == "applied"
    ghost = shop.push("balance.topped_up", {"guest_id": "ghost", "staff_id": "kasia",
                                            "amount": 5_000})
    assert (ghost["status"], ghost["reason"]) == ("rejected", "unknown_guest")
    assert shop.state()["balance_postings"] == [("credit", 5_000, 5_000)]


def test_order_paid_from_the_balance_then_voided(shop: Shop) -> None:
    order(shop, "o1")
    act(shop, "order.accepted", "o1")
    assert act(shop, "order.paid", "o1") == "insufficient_balance"  # empty balance
    shop.push("balance.topped_up", {"guest_id": "anna", "staff_id": "kasia", "amount": 30_000})
    assert act(shop, "order.paid", "o1") == "applied"
    assert shop.state()["balance"] == 10_000
    assert act(shop, "order.voided", "o1") == "applied"
    assert shop.state()["balance_postings"] == [
        ("credit", 30_000, 30_000), ("debit", 20_000, 10_000), ("credit", 20_000, 30_000)]


def test_completed_unpaid_order_is_a_debt_a_top_up_pays_off(shop: Shop) -> None:
    order(shop, "o2", method="card")
    assert act(shop, "order.completed", "o2") == "applied"
    assert shop.state()["balance"] == -20_000
    shop.push("balance.topped_up", {"guest_id": "anna", "staff_id": "kasia", "amount": 25_000})
    after = shop.state()
    assert after["balance_postings"] == [("debt", 20_000, -20_000), ("credit", 25_000, 5_000)]
    assert after["balance_overdrafts"] == []  # a debt is not an overdraft


def test_an_order_paid_by_card_leaves_the_balance_alone(shop: Shop) -> None:
    order(shop, "o3", method="card")
    act(shop, "order.accepted", "o3")
    assert act(shop, "order.paid", "o3") == "applied"
    assert act(shop, "order.voided", "o3") == "applied"
    assert shop.state()["balance_postings"] == []


def test_a_rejected_payment_leaves_no_account_snapshot_in_the_feed(shop: Shop) -> None:
    body = {"order_id": "o4", "guest_id": "anna", "method": "card",
            "lines": [{"product_id": "tv", "name": "TV", "quantity": 1, "unit_price": 245_000},
                      {"product_id": "cake", "name": "Cake", "quantity": 1, "unit_price": 5_000,
                       "in_points": True}]}  # fmt: skip
    assert shop.till.client.post("/v1/orders", json=body,
                                 headers=shop.till.headers).status_code == 201
    act(shop, "order.accepted", "o4")
    # all in points: the hold (50.00) is committed first, then the direct debit of the rest
    # (2 450.00 > 950.00 available) is refused, so the commit is undone with its snapshot
    assert act(shop, "order.paid", "o4", method="points") == "insufficient_points"
    feed = shop.till.client.get("/v1/changes?limit=500", headers=shop.till.headers).json()
    snapshots = [c["data"] for c in feed["changes"] if c["entity"] == "bonus_account"]
    assert snapshots[-1] == {"account_id": "anna", "total": 100_000, "held": 5_000,
                             "available": 95_000}
    assert (shop.state()["points"], shop.state()["held"]) == (100_000, 5_000)


def test_a_top_up_names_an_active_staff_member_within_their_role_limit(shop: Shop) -> None:
    """Issue 16 point 4: a terminal token alone mints no money."""
    add_staff_member(shop.db_url, "maria", "manager")
    add_staff_member(shop.db_url, "gone", "cashier", active=False)

    def top_up(amount: int, **who: Any) -> str:
        result = shop.push("balance.topped_up", {"guest_id": "anna", "amount": amount, **who})
        return str(result["reason"] or result["status"])

    assert top_up(10**11) == "staff_required"
    assert top_up(5_000) == "staff_required"
    assert top_up(5_000, staff_id="nobody") == "staff_unknown"
    assert top_up(5_000, staff_id="gone") == "staff_unknown"
    cashier, manager = (TOP_UP_LIMITS[role].per_top_up for role in (Role.CASHIER, Role.MANAGER))
    assert top_up(cashier + 1, staff_id="kasia") == "top_up_limit"
    assert top_up(10**11, staff_id="maria") == "top_up_limit"
    assert top_up(cashier, staff_id="kasia") == "applied"
    assert top_up(manager, staff_id="maria") == "applied"
    assert shop.state()["balance"] == cashier + manager


def test_top_up_limits_are_settings_and_hold_per_business_day(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 16 point 4: what one person's name can credit is bounded per top-up and per
    business day of the shop, by role, from POS_SERVER_TOP_UP_<ROLE>[_DAY]; a role with 0 may
    not top up. A refused top-up counts nothing toward the day."""
    monkeypatch.setenv("POS_SERVER_TOP_UP_CASHIER", "30000")
    monkeypatch.setenv("POS_SERVER_TOP_UP_CASHIER_DAY", "50000")
    monkeypatch.setenv("POS_SERVER_TOP_UP_OPERATOR", "0")
    ledger_rules.cache_clear()
    try:
        add_staff_member(shop.db_url, "olga", "operator")

        def top_up(amount: int, staff_id: str = "kasia") -> dict[str, Any]:
            return shop.push("balance.topped_up", {"guest_id": "anna", "amount": amount,
                                                   "staff_id": staff_id})  # fmt: skip

        assert top_up(30_001)["reason"] == "top_up_limit"
        assert top_up(30_000)["status"] == "applied"
        assert top_up(20_000)["status"] == "applied"
        over = top_up(1)
        assert (over["status"], over["reason"]) == ("rejected", "top_up_limit")
        assert "a day" in over["message"]
        assert "may not top up" in top_up(1, "olga")["message"]
        shop.clock.now += timedelta(days=1)  # the next business day starts afresh
        assert top_up(30_000)["status"] == "applied"
        assert shop.state()["balance"] == 80_000
    finally:
        ledger_rules.cache_clear()


def test_a_top_up_limit_out_of_range_stops_the_server_at_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pos_server.cli import _rules_problem

    monkeypatch.setenv("POS_SERVER_TOP_UP_MANAGER_DAY", "-1")
    try:
        problem = _rules_problem()
    finally:
        monkeypatch.delenv("POS_SERVER_TOP_UP_MANAGER_DAY")
        ledger_rules.cache_clear()
    assert problem is not None and "POS_SERVER_TOP_UP_MANAGER_DAY='-1'" in problem
