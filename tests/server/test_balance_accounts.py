"""Balance (money) accounts: top-ups, guest orders paid from the balance, their voids and
debts, every change an append-only posting with the balance after it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from pos_app.domain.balance import TOP_UP_LIMITS
from pos_app.domain.staff_pins import Role
from pos_server.db import make_engine
from pos_server.ledger.rules import retired_variables
from pos_server.programme.model import Programme
from pos_server.programme.service import ProgrammeError, change
from pos_server.uow import unit_of_work
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


def set_programme(db_url: str, updates: dict[str, Any]) -> None:
    engine = make_engine(db_url)
    try:
        with unit_of_work(engine, actor="web:boss", now=datetime.now(UTC)) as uow:
            change(uow, updates)
    finally:
        engine.dispose()


def test_top_up_limits_are_settings_and_hold_per_business_day(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 16 point 4: what one person's name can credit is bounded per top-up and per
    business day of the shop, by role, from the programme settings (``top_up``, issue 18 point
    4: no longer POS_SERVER_TOP_UP_<ROLE>[_DAY]); a role with 0 may not top up. A refused
    top-up counts nothing toward the day."""
    monkeypatch.setenv("POS_SERVER_TOP_UP_CASHIER", "1")  # retired: not read any more
    set_programme(shop.db_url, {"top_up.cashier": 30_000, "top_up.cashier_day": 50_000,
                                "top_up.operator": 0})  # fmt: skip
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
    set_programme(shop.db_url, {"top_up.cashier": 40_000})  # a change applies at once
    assert top_up(40_000)["status"] == "rejected"  # 30 000 today already, 50 000 a day
    assert top_up(20_000)["status"] == "applied"


def test_a_top_up_limit_out_of_range_is_refused_and_old_variables_are_named(shop: Shop
                                                                             ) -> None:  # fmt: skip
    with pytest.raises(ProgrammeError, match=r"top_up\.manager_day"):
        set_programme(shop.db_url, {"top_up.manager_day": -1})
    assert retired_variables({"POS_SERVER_TOP_UP_MANAGER_DAY": "-1", "POS_SERVER_PORT": "1",
                              "pos_server_top_up_admin": "5"}) == [
        "POS_SERVER_TOP_UP_MANAGER_DAY", "pos_server_top_up_admin"]  # fmt: skip
    assert Programme().top_up.limits == dict(TOP_UP_LIMITS)  # the defaults are the domain's
