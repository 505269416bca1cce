"""Accrual and max redemption (seed 004)."""

import pytest

from pos_app.domain.errors import InvalidAmount
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


def test_order_override_beats_guest_and_group_each_percent_on_its_own() -> None:
    group = LoyaltyOverride(accrual=Percent.of(7), max_redemption=Percent.of(40))
    guest = LoyaltyOverride(max_redemption=Percent.of(20))
    order = LoyaltyOverride(accrual=Percent.of(0))
    resolved = resolve_settings(
        PROGRAM, group=group, guest=guest, order=order, may_override_order=True
    )
    # accrual: the order's 0 % (a real value, not "unset"); redemption: the guest's 20 %.
    assert resolved == LoyaltySettings(accrual=Percent.of(0), max_redemption=Percent.of(20))
    only_group = resolve_settings(PROGRAM, group=LoyaltyOverride(max_redemption=Percent.of(40)))
    assert only_group == LoyaltySettings(accrual=Percent.of(5), max_redemption=Percent.of(40))


def test_an_empty_order_override_needs_no_permission() -> None:
    assert resolve_settings(PROGRAM, order=LoyaltyOverride()) == PROGRAM


def test_redemption_never_exceeds_the_order_total() -> None:
    everything = LoyaltySettings(accrual=Percent.of(5), max_redemption=Percent.of(100))
    assert max_redeemable(rub(300), everything, available=rub(1_000)) == rub(300)
    assert max_redeemable(0, everything, available=rub(1_000)) == 0
    assert max_redeemable(rub(300), everything, rub(1_000), daily_remaining=-5) == 0


def test_accrual_rounds_half_up_and_is_zero_on_an_order_paid_in_points() -> None:
    # 5 % of 0,30 ₽ is 1,5 kopecks -> 2 kopecks; 5 % of 0,29 ₽ is 1,45 -> 1.
    assert accrual_for(30, PROGRAM) == 2
    assert accrual_for(29, PROGRAM) == 1
    assert accrual_for(0, PROGRAM) == 0
    # The manual's order of 12 000 ₽ with 6 000 paid in points accrues on 6 000 ₽ only.
    assert accrual_for(rub(12_000) - rub(6_000), PROGRAM) == rub(300)


def test_negative_amounts_are_refused() -> None:
    with pytest.raises(InvalidAmount):
        max_redeemable(-1, PROGRAM, available=rub(1))
    with pytest.raises(InvalidAmount):
        accrual_for(-rub(1), PROGRAM)
