"""Bonus settings on one order: a manager's PIN, then the points cap and the accrual follow."""

from __future__ import annotations

import pytest

from pos_app.domain.loyalty import NO_OVERRIDE, LoyaltyOverride, PermissionDenied
from pos_app.domain.money import Percent, rub
from pos_app.domain.operations import SALE_CLOSED, SaleClosed
from pos_app.domain.operations import LoyaltyOverride as OverrideField
from pos_app.domain.sale import PaymentStarted, SaleNotOpen
from pos_app.services.bonus_override import BonusOverrideService
from pos_app.services.payments import PaymentService
from pos_app.services.staff import Action, StaffService
from tests.services.conftest import ANNA_CARD, Shop
from tests.services.fakes import FakeClock, FakeIds


@pytest.fixture
def staff(shop: Shop) -> StaffService:
    service = StaffService(shop.uow, FakeClock())
    service.add_staff("c1", "Ирина", "cashier", "1111", bytes(16))
    service.add_staff("m1", "Олег", "manager", "9999", bytes(range(16)))
    return service


def _anna_sale(shop: Shop) -> str:
    """Latte x2 + cake = 610 ₽, Anna's group 10 % off -> 549 ₽; she has 250 ₽ of points."""
    sale_id = shop.service.open_sale().sale_id
    shop.service.add_line(sale_id, product_id="latte", quantity=2)
    shop.service.add_line(sale_id, product_id="cake")
    shop.service.identify_guest(sale_id, identifier=ANNA_CARD)
    return sale_id


def test_a_cashier_needs_a_manager_and_then_the_cap_and_accrual_follow(
    shop: Shop, staff: StaffService
) -> None:
    bonus, cashier = BonusOverrideService(shop.uow), staff.sign_in("1111")
    pay = PaymentService(shop.uow, FakeClock(), FakeIds("pay"), shop.service)
    sale_id = _anna_sale(shop)
    before = pay.available_for_points(sale_id)
    assert (before.max_redemption_bp, before.cap_by_percent) == (5_000, rub(274, 50))

    override = LoyaltyOverride(accrual=Percent.of(20), max_redemption=Percent.of(10))
    with pytest.raises(PermissionDenied, match="may not change bonus settings on an order"):
        bonus.set(sale_id, override, cashier)
    assert not bonus.current(sale_id).overridden  # nothing stored on a refusal
    wrong = staff.authorize_manager("9999", Action.DISCOUNT_OVERRIDE)  # approves another thing
    with pytest.raises(PermissionDenied):
        bonus.set(sale_id, override, cashier, wrong)

    view = bonus.set(sale_id, override, cashier,
                     staff.authorize_manager("9999", Action.BONUS_SETTINGS))  # fmt: skip
    assert (view.accrual_bp, view.max_redemption_bp, view.approved_by) == (2_000, 1_000, "m1")
    after = pay.available_for_points(sale_id)
    assert (after.max_redemption_bp, after.cap_by_percent) == (1_000, rub(54, 90))
    assert after.max_points == rub(54, 90)  # 10 % of 549 ₽, below the 250 ₽ she has

    pay.pay_cash(sale_id, rub(49))
    with pytest.raises(PaymentStarted):  # the cap told to the guest must not move now
        bonus.set(sale_id, NO_OVERRIDE, staff.sign_in("9999"))
    result = pay.pay_cash(sale_id, rub(500))
    assert result.closed and result.accrual_estimate == rub(109, 80)  # 20 % of 549 ₽, not 5 %
    closed = next(e for e in shop.pending() if e.kind == SALE_CLOSED)
    sent = {"accrual_bp": 2_000, "max_redemption_bp": 1_000, "approved_by": "m1"}
    assert closed.payload["loyalty_override"] == sent
    assert SaleClosed.from_json(closed.payload).loyalty_override == OverrideField(**sent)
    with pytest.raises(SaleNotOpen):
        bonus.set(sale_id, override, staff.sign_in("9999"))


def test_a_manager_sets_one_percentage_alone_and_can_remove_it(
    shop: Shop, staff: StaffService
) -> None:
    bonus, manager = BonusOverrideService(shop.uow), staff.sign_in("9999")
    pay = PaymentService(shop.uow, FakeClock(), FakeIds("pay"), shop.service)
    sale_id = _anna_sale(shop)
    view = bonus.set(sale_id, LoyaltyOverride(accrual=Percent.of(0)), manager)  # no approval
    assert (view.accrual_bp, view.max_redemption_bp, view.overridden) == (0, 5_000, True)
    assert bonus.set(sale_id, NO_OVERRIDE, manager).overridden is False
    assert pay.pay_cash(sale_id, rub(549)).accrual_estimate == rub(27, 45)  # back to 5 %
    closed = next(e for e in shop.pending() if e.kind == SALE_CLOSED)
    assert closed.payload["loyalty_override"] is None
    assert SaleClosed.from_json(closed.payload).loyalty_override is None


def test_a_cancelled_sale_forgets_its_override(shop: Shop, staff: StaffService) -> None:
    bonus, manager = BonusOverrideService(shop.uow), staff.sign_in("9999")
    sale_id = _anna_sale(shop)
    bonus.set(sale_id, LoyaltyOverride(max_redemption=Percent.of(100)), manager)
    shop.service.cancel_sale(sale_id)
    with shop.uow() as uow:
        assert uow.settings.get("loyalty.order:" + sale_id) is None
