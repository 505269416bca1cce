"""Discounts and price changes by hand: the cashier's own limit, a manager's PIN beyond it."""

from __future__ import annotations

import pytest

from pos_app.domain.loyalty import PermissionDenied
from pos_app.domain.money import rub
from pos_app.domain.sale import PaymentStarted
from pos_app.services.overrides import OverrideService, PromoCodeApplied
from pos_app.services.ports_till import PromoCodeRecord
from pos_app.services.promo import OrderDiscountGiven, PromoService
from pos_app.services.staff import Action, StaffService
from tests.services.conftest import Shop
from tests.services.fakes import FakeClock, FakeIds


@pytest.fixture
def staff(shop: Shop) -> StaffService:
    service = StaffService(shop.uow, FakeClock())
    service.add_staff("c1", "Ирина", "cashier", "1111", bytes(16))
    service.add_staff("m1", "Олег", "manager", "9999", bytes(range(16)))
    return service


def _basket(shop: Shop) -> str:
    sale_id = shop.service.open_sale().sale_id
    shop.service.add_line(sale_id, product_id="latte", quantity=2)  # 360 ₽
    shop.service.add_line(sale_id, product_id="cake")  # 250 ₽
    return sale_id


def test_a_cashier_gives_up_to_5_percent_and_a_manager_more(
    shop: Shop, staff: StaffService
) -> None:
    overrides, cashier = OverrideService(shop.uow), staff.sign_in("1111")
    sale_id = _basket(shop)
    view = overrides.order_discount(sale_id, 500, cashier)
    assert (view.discount, view.total) == (rub(30, 50), rub(579, 50))
    with pytest.raises(PermissionDenied, match="may not give a discount beyond the rules"):
        overrides.order_discount(sale_id, 2_000, cashier)
    approval = staff.authorize_manager("9999", Action.DISCOUNT_OVERRIDE)
    view = overrides.order_discount(sale_id, 2_000, cashier, approval)
    assert view.total == rub(488)
    with shop.uow() as uow:
        sale = uow.sales.get(sale_id)
        assert sale is not None and sale.order_discount is not None
        assert sale.order_discount.reason == "manual:m1"
    assert overrides.order_discount(sale_id, 0, cashier).total == rub(610)


def test_a_price_change_needs_the_permission(shop: Shop, staff: StaffService) -> None:
    overrides, cashier = OverrideService(shop.uow), staff.sign_in("1111")
    sale_id = _basket(shop)
    with pytest.raises(PermissionDenied, match="may not change a price"):
        overrides.price(sale_id, 1, rub(150), cashier)
    wrong = staff.authorize_manager("9999", Action.VOID)  # approval for something else
    with pytest.raises(PermissionDenied):
        overrides.price(sale_id, 1, rub(150), cashier, wrong)
    view = overrides.price(sale_id, 1, rub(150), staff.sign_in("9999"))
    assert (view.lines[0].unit_price, view.total) == (rub(150), rub(550))
    shop.pay.pay_cash(sale_id, rub(100))
    with pytest.raises(PaymentStarted):
        overrides.price(sale_id, 2, rub(1), staff.sign_in("9999"))


def test_a_manual_discount_and_a_promo_code_exclude_each_other(
    shop: Shop, staff: StaffService
) -> None:
    with shop.uow() as uow:
        uow.promo.add_code(PromoCodeRecord("PROMO123456", "anna"))
        uow.commit()
    overrides, cashier = OverrideService(shop.uow), staff.sign_in("1111")
    promo = PromoService(shop.uow, FakeClock(), FakeIds())
    first, second = _basket(shop), _basket(shop)
    promo.apply_code(first, "123456")
    with pytest.raises(PromoCodeApplied, match="remove the code first"):
        overrides.order_discount(first, 300, cashier)
    overrides.order_discount(second, 300, cashier)
    with pytest.raises(OrderDiscountGiven, match="given by hand"):
        promo.apply_code(second, "123456")


def test_a_line_discount_is_off_the_catalogue_price_within_the_same_limit(
    shop: Shop, staff: StaffService
) -> None:
    overrides, cashier = OverrideService(shop.uow), staff.sign_in("1111")
    sale_id = _basket(shop)  # line 1: 2 x latte 180 ₽, line 2: cake 250 ₽
    view = overrides.line_discount(sale_id, 1, 500, cashier)
    assert view.lines[0].unit_price == rub(171) and view.total == rub(592)
    view = overrides.line_discount(sale_id, 1, 500, cashier)  # again: not compounded
    assert view.lines[0].unit_price == rub(171)
    with pytest.raises(PermissionDenied, match="may not give a discount beyond the rules"):
        overrides.line_discount(sale_id, 2, 2_000, cashier)
    approval = staff.authorize_manager("9999", Action.DISCOUNT_OVERRIDE)
    view = overrides.line_discount(sale_id, 2, 2_000, cashier, approval)
    assert view.lines[1].unit_price == rub(200)
    assert overrides.line_discount(sale_id, 1, 0, cashier).lines[0].unit_price == rub(180)


def test_the_cashiers_own_limit_is_the_one_the_server_sends(
    shop: Shop, staff: StaffService
) -> None:
    """``staff.cashier_max_discount_bp`` of the programme settings, as the feed stores it."""
    from pos_app.services.overrides import CASHIER_LIMIT_KEY
    from pos_app.services.programme_settings import CASHIER_DISCOUNT_KEY, store_programme

    assert CASHIER_DISCOUNT_KEY == CASHIER_LIMIT_KEY
    with shop.uow() as uow:
        store_programme(uow, "staff", {"cashier_max_discount_bp": 1_000})
        uow.commit()
    overrides, cashier = OverrideService(shop.uow), staff.sign_in("1111")
    sale_id = _basket(shop)
    assert overrides.order_discount(sale_id, 1_000, cashier).total == rub(549)
    with pytest.raises(PermissionDenied):
        overrides.order_discount(sale_id, 1_001, cashier)
    with pytest.raises(PermissionDenied):
        overrides.line_discount(sale_id, 1, 1_500, cashier)
    with shop.uow() as uow, pytest.raises(ValueError, match="0 to 100"):
        store_programme(uow, "staff", {"cashier_max_discount_bp": 10_001})
