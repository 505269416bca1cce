"""sale.closed and its guest: balance payments, accrual on the money part, the till's points
contract (hold -> commit -> sale naming the hold), max redemption, daily identification limit,
group auto-promotion; on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest

from pos_server.ledger.rules import ledger_rules
from tests.server.ledger_fixtures import Shop, group, pay, sale, shop

__all__ = ["shop"]


def points_sale(s: Shop, hold_id: str, points: int, total: int, **extra: Any) -> dict[str, Any]:
    """The till's contract: hold.placed, hold.committed, then sale.closed naming the hold."""
    s.push("hold.placed", {"hold_id": hold_id, "guest_id": "anna", "amount": points})
    s.push("hold.committed", {"hold_id": hold_id, "amount": points})
    return s.push("sale.closed", sale("anna", total, pay("card", total - points),
                                      pay("points", points, hold_id), **extra))


def test_balance_payment_is_debited_online_refused_beyond_offline_an_overdraft(
    shop: Shop,
) -> None:
    assert shop.push("balance.topped_up", {"guest_id": "anna", "amount": 30_000,
                                           "ref": "cash", "staff_id": "kasia"})[
        "status"] == "applied"
    assert shop.push("sale.closed", sale("anna", 25_000, pay("balance", 25_000)))[
        "status"] == "applied"
    refused = shop.push("sale.closed", sale("anna", 10_000, pay("balance", 10_000)))
    assert (refused["status"], refused["reason"]) == ("rejected", "insufficient_balance")
    assert "50,00" in refused["message"]
    offline = shop.push("sale.closed", sale("anna", 10_000, pay("balance", 10_000),
                                            offline=True))
    assert offline["status"] == "applied"
    after = shop.state()
    assert after["balance"] == -5_000 and after["balance_overdrafts"] == [5_000]
    assert after["balance_postings"] == [("credit", 30_000, 30_000), ("debit", 25_000, 5_000),
                                         ("debit", 10_000, -5_000)]
    assert after["sales"] == 2  # the refused sale left nothing

    feed = shop.till.client.get("/v1/changes?limit=500", headers=shop.till.headers).json()
    balance = [c["data"] for c in feed["changes"] if c["entity"] == "balance_account"]
    assert balance[-1] == {"account_id": "balance:anna", "guest_id": "anna", "total": -5_000,
                           "held": 0, "available": -5_000, "debt": 5_000}


def test_accrual_is_on_the_money_part_and_points_are_not_debited_twice(shop: Shop) -> None:
    result = points_sale(shop, "h1", 4_000, 54_000)
    assert result["status"] == "applied", result
    after = shop.state()
    # 5 % (program default) of the 500.00 paid by card; the 40.00 points came from the commit
    assert after["point_postings"] == [("hold", 4_000), ("commit", 4_000), ("accrual", 2_500)]
    assert after["points"] == 100_000 - 4_000 + 2_500


def test_a_points_payment_must_name_a_hold_of_this_guest(shop: Shop) -> None:
    shop.push("hold.placed", {"hold_id": "hb", "guest_id": "boris", "amount": 1, "offline": True})
    for hold_id in ("hb", "nope"):
        result = shop.push("sale.closed", sale("anna", 1_000, pay("card", 999),
                                               pay("points", 1, hold_id)))
        assert (result["status"], result["reason"]) == ("rejected", "hold_mismatch")
    no_guest = shop.push("sale.closed", sale(None, 1_000, pay("balance", 1_000)))
    assert no_guest["reason"] == "guest_required"
    assert shop.state()["sales"] == 0 and shop.state()["point_postings"] == []


@pytest.mark.parametrize("offline", [False, True])
def test_a_points_payment_must_be_backed_by_its_committed_hold(shop: Shop, offline: bool) -> None:
    """Issue 16 point 1: every way a sale claimed points nobody spent is refused, offline too
    (the points were never debited), and the points paid never exceed the points that left."""
    shop.push("hold.placed", {"hold_id": "h1", "guest_id": "anna", "amount": 100})
    shop.push("hold.committed", {"hold_id": "h1", "amount": 100})
    shop.push("hold.placed", {"hold_id": "open", "guest_id": "anna", "amount": 500})
    shop.push("hold.placed", {"hold_id": "gone", "guest_id": "anna", "amount": 500})
    shop.push("hold.released", {"hold_id": "gone"})
    flag = {"offline": True} if offline else {}

    def attempt(*payments: dict[str, Any], guest: str | None = "anna") -> str:
        result = shop.push("sale.closed", sale(guest, 100_000, *payments, **flag))
        return str(result["reason"]) if result["status"] == "rejected" else result["status"]

    card = pay("card", 100_000 - 9_000)
    assert attempt(card, pay("points", 9_000, "h1")) == "points_exceed_hold"
    assert attempt(card, pay("points", 9_000, "open")) == "hold_not_committed"
    assert attempt(card, pay("points", 9_000, "gone")) == "hold_not_committed"
    assert attempt(card, pay("points", 9_000)) == "hold_required"
    assert attempt(pay("card", 1), pay("points", 99_999), guest=None) == "guest_required"
    assert attempt(pay("card", 99_900), pay("points", 100, "h1")) == "applied"
    assert attempt(pay("card", 99_900), pay("points", 100, "h1")) == "hold_already_used"
    # two payments naming one hold may not together claim more than it committed
    assert attempt(pay("card", 99_800), pay("points", 100, "h1"),
                   pay("points", 100, "h1")) == "hold_already_used"
    after = shop.state()
    assert after["sales"] == 1
    assert [p for p in after["point_postings"] if p[0] in ("commit", "debit")] == [
        ("commit", 100)]


def test_max_redemption_is_enforced_online_and_recorded_offline(shop: Shop) -> None:
    shop.groups(group("vip", max_redemption_bp=3_000, accrual_bp=1_000))
    shop.put_in_group("anna", "vip")
    too_much = points_sale(shop, "h1", 4_000, 10_000)
    assert (too_much["status"], too_much["reason"]) == ("rejected", "max_redemption_exceeded")
    assert "30 %" in too_much["message"]
    offline = points_sale(shop, "h2", 4_000, 10_000, offline=True)
    assert offline["status"] == "applied"
    after = shop.state()
    assert after["breaches"] == [("max_redemption", 1_000)]
    assert after["point_postings"][-1] == ("accrual", 600)  # the group's 10 % of 60.00


def test_daily_identification_limit(shop: Shop) -> None:
    shop.groups(group("strict", daily_identification_limit=1))
    shop.put_in_group("anna", "strict")
    assert shop.push("sale.closed", sale("anna", 1_000))["status"] == "applied"
    second = shop.push("sale.closed", sale("anna", 1_000))
    assert (second["status"], second["reason"]) == ("rejected", "daily_limit")
    assert "once today" in second["message"]
    assert shop.push("sale.closed", sale("anna", 1_000, offline=True))["status"] == "applied"
    tomorrow = shop.push("sale.closed", sale("anna", 1_000, closed_at="2026-11-24T09:00:00+00:00"))
    assert tomorrow["status"] == "applied"
    assert shop.state()["breaches"] == [("daily_identification_limit", 1)]


def test_group_auto_promotion_after_each_sale(shop: Shop) -> None:
    shop.groups(group("g5", discount_bp=500, spend_threshold=50_000, auto_move=True),
                group("g10", discount_bp=1_000, spend_threshold=100_000, auto_move=True))
    shop.push("sale.closed", sale("anna", 40_000))
    assert (shop.state()["group"], shop.state()["spend"]) == (None, 40_000)
    shop.push("sale.closed", sale("anna", 20_000))
    assert shop.state()["group"] == "g5"
    shop.push("sale.closed", sale("anna", 40_000))
    assert (shop.state()["group"], shop.state()["spend"]) == ("g10", 100_000)
    feed = shop.till.client.get("/v1/changes?limit=500", headers=shop.till.headers).json()
    guests = [c["data"] for c in feed["changes"] if c["entity"] == "guest"
              and c["entity_id"] == "anna"]
    assert guests[-1] == {"guest_id": "anna", "name": "Anna", "phone": "+79121234567",
                          "group_id": "g10", "lifetime_spend": 100_000}


def test_the_business_day_is_the_shops(shop: Shop, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POS_SERVER_SHOP_TIMEZONE", "Europe/Moscow")
    ledger_rules.cache_clear()
    try:
        shop.groups(group("strict", daily_identification_limit=1))
        shop.put_in_group("anna", "strict")
        late = shop.push("sale.closed", sale("anna", 1_000, closed_at="2026-11-23T20:30:00+00:00"))
        # 00:30 in Moscow is the next business day, though still the 23rd in UTC
        next_day = shop.push("sale.closed", sale("anna", 1_000,
                                                 closed_at="2026-11-23T21:30:00+00:00"))
        same_day = shop.push("sale.closed", sale("anna", 1_000,
                                                 closed_at="2026-11-23T22:00:00+00:00"))
        assert [late["status"], next_day["status"], same_day["reason"]] == [
            "applied", "applied", "daily_limit"]
    finally:
        monkeypatch.delenv("POS_SERVER_SHOP_TIMEZONE")
        ledger_rules.cache_clear()


def test_a_refused_points_payment_is_listed_as_a_breach(
    shop: Shop, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 16 point 1: a points payment not backed by its hold is rejected AND listed for
    managers (``pos-server overdrafts --breaches``, ``GET /v1/admin/overdrafts``), the sale
    without a guest included; replaying the operation lists it once."""
    import json

    from pos_server.cli import main

    shop.push("hold.placed", {"hold_id": "h1", "guest_id": "anna", "amount": 100})
    shop.push("hold.committed", {"hold_id": "h1", "amount": 100})
    over = shop.push("sale.closed", sale("anna", 100_000, pay("card", 91_000),
                                         pay("points", 9_000, "h1"), sale_id="s-1"))
    assert over["reason"] == "points_exceed_hold"
    unbacked = shop.push("sale.closed", sale("anna", 100_000, pay("card", 91_000),
                                             pay("points", 9_000), offline=True,
                                             sale_id="s-2"))
    assert unbacked["reason"] == "hold_required"
    nobody = shop.push("sale.closed", sale(None, 10**11, pay("points", 10**11), sale_id="s-3"))
    assert nobody["reason"] == "guest_required"
    assert shop.state()["breaches"] == [("points_exceed_hold", 8_900), ("hold_required", 9_000)]
    assert shop.state()["sales"] == 0

    capsys.readouterr()
    assert main(["overdrafts", "--breaches", "--db", shop.db_url]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["guest_id"], r["rule"], r["amount"], r["ref"]) for r in rows] == [
        ("anna", "points_exceed_hold", 8_900, "s-1"),
        ("anna", "hold_required", 9_000, "s-2"),
        (None, "guest_required", 10**11, "s-3"),
    ]  # fmt: skip
    assert all(r["breach"] and r["terminal_id"] == shop.till.terminal_id for r in rows)
