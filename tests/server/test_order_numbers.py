"""Short order numbers (issue 20 point 5) and who made an order's last change (point 4: a
console that lost a race says which console won)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from pos_app.domain.order_numbers import order_number
from pos_server.uow import unit_of_work
from tests.server.conftest import Till
from tests.server.test_orders import act, place, tills

__all__ = ["tills"]


def test_the_numbers_of_a_day_count_up_and_change_letter_after_999() -> None:
    assert [order_number(n) for n in (1, 17, 999, 1000, 1998)] == [
        "A-001", "A-017", "A-999", "B-001", "B-999"]  # fmt: skip
    assert order_number(999 * 23 + 1) == f"Z-{999 * 23 + 1}"
    with pytest.raises(ValueError):
        order_number(0)


def test_each_placed_order_gets_the_next_number_in_its_answer_and_the_feed(
    tills: tuple[Till, Till],
) -> None:
    one, two = tills
    numbers = [place(one, order_id="n-1")["number"], place(two, order_id="n-2")["number"]]
    assert numbers == ["A-001", "A-002"]
    changes = one.client.get("/v1/changes", params={"cursor": 0, "limit": 1000},
                             headers=one.headers).json()["changes"]  # fmt: skip
    placed = {c["entity_id"]: c["data"] for c in changes if c["entity"] == "order"}
    assert placed["n-1"]["number"] == "A-001" and placed["n-2"]["number"] == "A-002"
    assert placed["n-2"]["updated_by_name"] == "Console 2"
    listed = one.client.get("/v1/orders", headers=one.headers).json()["orders"]
    assert {o["order_id"]: o["number"] for o in listed} == {"n-1": "A-001", "n-2": "A-002"}


def test_orders_placed_at_once_never_share_a_number(tills: tuple[Till, Till]) -> None:
    one, two = tills
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda n: place((one, two)[n % 2], order_id=f"c-{n}"), range(12)))
    assert sorted(a["number"] for a in answers) == [order_number(n) for n in range(1, 13)]


def test_a_lost_race_names_the_console_that_won(tills: tuple[Till, Till]) -> None:
    one, two = tills
    place(one, order_id="r-1")
    assert act(two, "order.cancelled", order_id="r-1")["status"] == "applied"
    late = act(one, "order.cancelled", order_id="r-1")
    assert late["status"] == "conflict"
    assert late["current"]["updated_by_name"] == "Console 2"
    assert late["current"]["state"] == "cancelled" and late["current"]["number"] == "A-001"


def test_an_order_change_carries_the_guests_points_and_balance(tills: tuple[Till, Till]) -> None:
    """Anna has 1 000.00 points (the fixture); paying in points holds the order's total."""
    one, _ = tills
    placed = place(one, order_id="acc-1", method="points")
    assert (placed["guest_points"], placed["guest_points_held"]) == (100_000, 59_000)
    assert placed["guest_balance"] == 0
    act(one, "order.accepted", order_id="acc-1")
    act(one, "order.paid", order_id="acc-1", method="points")  # the hold is committed
    place(one, order_id="acc-2")
    act(one, "order.completed", order_id="acc-2")  # unpaid: the total becomes a debt
    changes = one.client.get("/v1/changes", params={"cursor": 0, "limit": 1000},
                             headers=one.headers).json()["changes"]  # fmt: skip
    paid = [c["data"] for c in changes if c["entity_id"] == "acc-1"][-1]
    assert paid["event"] == "paid"
    assert (paid["guest_points"], paid["guest_points_held"]) == (41_000, 0)
    completed = [c["data"] for c in changes if c["entity_id"] == "acc-2"][-1]
    assert completed["event"] == "completed" and completed["guest_balance"] == -59_000


def _group(db_url: str, discount_bp: int, scope: dict[str, list[str]] | None = None) -> None:
    """Anna in a group with ``discount_bp`` (over ``scope``: every line when None)."""
    from datetime import UTC, datetime

    from pos_server.db import make_engine
    from pos_server.guests.group_assign import assign_group
    from pos_server.guests.groups import GroupsIn, import_groups

    groups = GroupsIn.model_validate(
        {
            "groups": [
                {"id": "g10", "name": "Regulars", "discount_bp": discount_bp, "scope": scope or {}}
            ]
        }
    )
    engine = make_engine(db_url)
    with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
        import_groups(uow, groups)
        assign_group(uow, "anna", "g10", by="test")
    engine.dispose()


def test_an_order_is_priced_with_the_guests_group_discount_when_placed(
    tills: tuple[Till, Till], db_url: str
) -> None:
    """Issue 20 point 1: the server prices the order by ``pos_app.domain.pricing`` (the 10 %
    is taken once of the covered lines and spread over them to the kopeck), the guest's
    answer shows it, the points held and the invoice are the discounted amounts."""
    one, _ = tills
    _group(db_url, 1_000)
    placed = place(one, order_id="g-1", method="points")  # 2 x 250.00 + 90.00 = 590.00
    assert [ln["discount"] for ln in placed["lines"]] == [5_000, 900]
    assert (placed["total"], placed["discount"], placed["group_name"]) == (
        53_100,
        5_900,
        "Regulars",
    )
    assert placed["points_hold_amount"] == 53_100 and placed["guest_points_held"] == 53_100
    act(one, "order.accepted", order_id="g-1")
    paid = act(one, "order.paid", order_id="g-1", method="points")
    assert paid["status"] == "applied"
    listed = one.client.get("/v1/orders/g-1", headers=one.headers).json()
    assert (listed["paid_points"], listed["total"], listed["discount"]) == (53_100, 53_100, 5_900)


def test_the_groups_scope_decides_which_lines_are_discounted(
    tills: tuple[Till, Till], db_url: str
) -> None:
    one, _ = tills
    _group(db_url, 1_000, {"product_ids": ["cookie"]})
    placed = place(one, order_id="g-2")
    assert [ln["discount"] for ln in placed["lines"]] == [0, 900]
    assert placed["total"] == 58_100


def test_a_guest_without_a_group_pays_the_list_price(tills: tuple[Till, Till]) -> None:
    one, _ = tills
    placed = place(one, order_id="g-3")
    assert (placed["total"], placed["discount"], placed["group_name"]) == (59_000, 0, None)


def test_a_paid_order_earns_points_and_counts_towards_the_group_a_void_takes_them_back(
    tills: tuple[Till, Till], db_url: str
) -> None:
    """Issue 20 point 2 / seed 004: points are accrued after the payment, on the money part,
    by the guest's group settings; the spend counts for the group rules."""
    from pos_app.domain.loyalty import accrual_for
    from pos_server.db import make_engine, make_sessions
    from pos_server.db.models_ledger import GuestLoyaltyRow
    from pos_server.ledger.rules import settings_for

    one, _ = tills
    expected = accrual_for(59_000, settings_for(None))
    assert expected > 0
    place(one, order_id="acc-p")
    act(one, "order.accepted", order_id="acc-p")
    assert act(one, "order.paid", order_id="acc-p", method="cash")["status"] == "applied"
    order = one.client.get("/v1/orders/acc-p", headers=one.headers).json()
    assert order["accrual"] == expected
    changes = one.client.get("/v1/changes", params={"cursor": 0, "limit": 1000},
                             headers=one.headers).json()["changes"]  # fmt: skip
    paid = [c["data"] for c in changes if c["entity_id"] == "acc-p"][-1]
    assert paid["guest_points"] == 100_000 + expected  # the fixture's 1 000.00 + the accrual
    engine = make_engine(db_url)
    with make_sessions(engine)() as session:
        assert session.get(GuestLoyaltyRow, "anna").lifetime_spend == 59_000  # type: ignore[union-attr]
    engine.dispose()
    assert act(one, "order.voided", order_id="acc-p")["status"] == "applied"
    voided = one.client.get("/v1/orders/acc-p", headers=one.headers).json()
    assert voided["accrual"] == 0
    changes = one.client.get("/v1/changes", params={"cursor": 0, "limit": 1000},
                             headers=one.headers).json()["changes"]  # fmt: skip
    assert [c["data"] for c in changes if c["entity_id"] == "acc-p"][-1]["guest_points"] == (
        100_000
    )


def test_an_order_completed_unpaid_earns_nothing(tills: tuple[Till, Till]) -> None:
    one, _ = tills
    place(one, order_id="acc-u")
    act(one, "order.completed", order_id="acc-u")
    order = one.client.get("/v1/orders/acc-u", headers=one.headers).json()
    assert (order["accrual"], order["debt"]) == (0, 59_000)
