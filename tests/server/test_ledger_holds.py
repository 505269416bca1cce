"""hold.placed under the guest group's rules: the daily points limit (rejected online, breach
recorded offline) and the offline allowance (overdraft recorded; flagged beyond it)."""

from __future__ import annotations

from datetime import timedelta

from tests.server.ledger_fixtures import Shop, group, shop

__all__ = ["shop"]


def hold(s: Shop, hold_id: str, amount: int, **extra: object) -> str:
    result = s.push("hold.placed", {"hold_id": hold_id, "guest_id": "anna", "amount": amount,
                                    **extra})
    return str(result["reason"] or result["status"])


def test_daily_points_limit_counts_spent_and_held_points(shop: Shop) -> None:
    shop.groups(group("capped", daily_points_spend_limit=10_000))
    shop.put_in_group("anna", "capped")
    assert hold(shop, "h1", 6_000) == "applied"
    shop.push("hold.committed", {"hold_id": "h1", "amount": 5_000})
    assert hold(shop, "h2", 3_000) == "applied"  # 50.00 spent + 30.00 held + 30.00 > 100.00
    assert hold(shop, "h3", 3_000) == "daily_limit"
    assert hold(shop, "h4", 3_000, offline=True) == "applied"
    assert shop.state()["breaches"] == [("daily_spend_limit", 3_000)]
    shop.clock.now += timedelta(hours=15)  # a new business day (UTC); h2 and h4 still open
    assert hold(shop, "h5", 5_000) == "daily_limit"  # open holds count on any day
    shop.push("hold.released", {"hold_id": "h2"})
    shop.push("hold.released", {"hold_id": "h4"})
    assert hold(shop, "h6", 10_000) == "applied"


def test_offline_hold_beyond_the_allowance_is_applied_and_flagged(shop: Shop) -> None:
    shop.groups(group("regular", offline_allowance=10_000))
    shop.put_in_group("anna", "regular")
    assert hold(shop, "h1", 105_000, offline=True) == "applied"  # 50.00 over: within allowance
    after = shop.state()
    assert after["point_overdrafts"] == [5_000] and after["breaches"] == []
    assert hold(shop, "h2", 10_000, offline=True) == "applied"  # now 150.00 over
    after = shop.state()
    assert after["point_overdrafts"] == [5_000, 10_000]
    assert after["breaches"] == [("offline_allowance", 5_000)]
    assert after["held"] == 115_000


def test_a_guest_without_a_group_has_no_offline_allowance(shop: Shop) -> None:
    assert hold(shop, "h1", 100_001, offline=True) == "applied"
    assert shop.state()["breaches"] == [("offline_allowance", 1)]
    assert hold(shop, "h2", 1) == "insufficient_points"
