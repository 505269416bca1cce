"""sale.closed with bonus settings set by hand (``loyalty_override``): honoured for an active
manager or admin on the server's staff table, otherwise the program's / group's percentages
with the reason kept (a breach row, the applied verdict's reason); on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pos_app.domain.staff_pins import Role
from pos_app.services.staff import ROLE_PERMISSIONS, Action
from pos_server.ops.order_override import BONUS_SETTINGS_ROLES
from pos_server.staff.service import add_staff, deactivate
from tests.server.ledger_fixtures import Shop, pay, sale, shop

__all__ = ["shop"]


def _staff(s: Shop, name: str, role: str, pin: str) -> str:
    staff_id: str = s.work(lambda uow: add_staff(uow, name, role, pin).id)
    return staff_id


def _override(approved_by: str, **bp: int) -> dict[str, Any]:
    return {"loyalty_override": {"approved_by": approved_by, **bp}}


def test_a_managers_override_sets_the_accrual_and_the_points_cap(shop: Shop) -> None:
    manager = _staff(shop, "Олег", "manager", "999999")
    # accrual 20 % instead of the program's 5 %: 20 % of the 100.00 paid by card
    done = shop.push("sale.closed", sale("anna", 10_000, **_override(manager, accrual_bp=2_000)))
    assert (done["status"], done.get("reason")) == ("applied", None), done
    assert shop.state()["point_postings"] == [("accrual", 2_000)]

    # max redemption 80 % instead of 50 %: 70.00 of 100.00 in points is allowed now
    shop.push("hold.placed", {"hold_id": "h1", "guest_id": "anna", "amount": 7_000})
    shop.push("hold.committed", {"hold_id": "h1", "amount": 7_000})
    paid = shop.push(
        "sale.closed",
        sale(
            "anna",
            10_000,
            pay("card", 3_000),
            pay("points", 7_000, "h1"),
            **_override(manager, max_redemption_bp=8_000),
        ),
    )
    assert paid["status"] == "applied", paid
    assert shop.state()["point_postings"][-1] == ("accrual", 150)  # program 5 % of 30.00


def test_without_a_valid_approver_the_program_applies_and_it_is_said(shop: Shop) -> None:
    cashier = _staff(shop, "Ирина", "cashier", "1111")
    gone = _staff(shop, "Пётр", "manager", "888888")
    shop.work(lambda uow: deactivate(uow, gone))
    for approver, why in ((cashier, "is a cashier"), (gone, "is withdrawn"),
                          ("nobody", "is not known to the server")):  # fmt: skip
        done = shop.push(
            "sale.closed", sale("anna", 10_000, **_override(approver, accrual_bp=5_000))
        )
        assert (done["status"], done["reason"]) == ("applied", "order_override_ignored")
        assert why in done["message"]
    after = shop.state()
    assert after["point_postings"] == [("accrual", 500)] * 3  # 5 %, not 50 %
    assert after["breaches"] == [("order_override", 0)] * 3

    # online, points beyond the program's 50 % are refused as without the override
    shop.push("hold.placed", {"hold_id": "h2", "guest_id": "anna", "amount": 7_000})
    shop.push("hold.committed", {"hold_id": "h2", "amount": 7_000})
    refused = shop.push(
        "sale.closed",
        sale(
            "anna",
            10_000,
            pay("card", 3_000),
            pay("points", 7_000, "h2"),
            **_override(cashier, max_redemption_bp=8_000),
        ),
    )
    assert (refused["status"], refused["reason"]) == ("rejected", "max_redemption_exceeded")


def test_an_old_tills_sale_without_the_field_is_as_before(shop: Shop) -> None:
    assert shop.push("sale.closed", sale("anna", 10_000))["status"] == "applied"
    assert shop.state()["point_postings"] == [("accrual", 500)]


def test_the_servers_roles_are_the_tills_bonus_settings_permission() -> None:
    tills = {role for role in Role if Action.BONUS_SETTINGS in ROLE_PERMISSIONS[role]}
    assert tills == BONUS_SETTINGS_ROLES


def test_a_cashier_with_the_bonus_settings_checkbox_may_set_an_orders_percentages(
    shop: Shop,
) -> None:
    from pos_app.services.staff import StaffSession
    from pos_server.staff.permissions import set_permissions

    cashier = _staff(shop, "Ирина", "cashier", "1111")
    shop.work(lambda uow: set_permissions(uow, cashier, {"bonus_settings"}))
    done = shop.push("sale.closed", sale("anna", 10_000, **_override(cashier, accrual_bp=1_000)))
    assert (done["status"], done["reason"]) == ("applied", None)
    assert shop.state()["point_postings"] == [("accrual", 1_000)]  # 10 %, not the program's 5 %
    at_till = StaffSession(cashier, "Ирина", "cashier", frozenset(), datetime.now(UTC),
                           frozenset({"bonus_settings"}))  # fmt: skip
    assert at_till.can(Action.BONUS_SETTINGS) and not at_till.can(Action.VOID)
