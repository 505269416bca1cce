"""Accrual and max redemption (seed 004)."""

import pytest

from pos_app.domain.loyalty import (
    LoyaltyOverride,
    LoyaltySettings,
    PermissionDenied,
    accrual_for,
    max_redeemable,
    resolve_settings,
)
from pos_app.domain.money import Percent, rub

PROGRAM = LoyaltySettings(accrual=Percent.of(5), max_redemption=Percent.of(30))


def test_manual_example_order_12000_with_50_percent_redeems_at_most_6000() -> None:
    settings = LoyaltySettings(accrual=Percent.of(5), max_redemption=Percent.of(50))
    assert max_redeemable(rub(12_000), settings, available=rub(100_000)) == rub(6_000)


def test_redemption_is_capped_by_available_and_the_daily_limit() -> None:
    settings = LoyaltySettings(accrual=Percent.of(5), max_redemption=Percent.of(50))
    assert max_redeemable(rub(12_000), settings, available=rub(2_500)) == rub(2_500)
    capped = max_redeemable(rub(12_000), settings, rub(9_000), daily_remaining=rub(1_000))
    assert capped == rub(1_000)
    assert max_redeemable(rub(12_000), settings, available=-rub(10)) == 0


def test_accrual_is_on_the_money_part_only() -> None:
    # 1 000 ₽ order, 300 paid with points, 700 in money: 5 % of 700 = 35 points.
    assert accrual_for(rub(700), PROGRAM) == rub(35)


def test_settings_fall_back_guest_then_group_then_program() -> None:
    group = LoyaltyOverride(accrual=Percent.of(7), max_redemption=Percent.of(40))
    guest = LoyaltyOverride(accrual=Percent.of(10))
    resolved = resolve_settings(PROGRAM, group=group, guest=guest)
    assert resolved == LoyaltySettings(accrual=Percent.of(10), max_redemption=Percent.of(40))
    assert resolve_settings(PROGRAM) == PROGRAM


def test_order_override_needs_the_bonus_settings_permission() -> None:
    order = LoyaltyOverride(max_redemption=Percent.of(100))
    with pytest.raises(PermissionDenied) as err:
        resolve_settings(PROGRAM, order=order)
    assert err.value.details["permission"] == "bonus_settings"
    allowed = resolve_settings(PROGRAM, order=order, may_override_order=True)
    assert allowed.max_redemption == Percent.of(100)
    assert allowed.accrual == PROGRAM.accrual
