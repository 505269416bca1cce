"""Promotion while demotion by period is on (issue 18 point 3, DOMAIN.md "Guest groups"):
a group that demotes by period is reached by the spend within its period, not lifetime."""

from __future__ import annotations

import pytest

from pos_app.domain.groups import (
    GuestGroup,
    GuestSpend,
    InvalidGroup,
    group_after_period,
    group_after_spend,
    periods_of,
)
from pos_app.domain.money import Percent, rub

FIVE = GuestGroup("g5", "Guests with 5%", Percent.of(5), rub(500), auto_move=True)
TEN = GuestGroup("g10", "Guests with 10%", Percent.of(10), rub(1_000), auto_move=True)
TEN_90 = GuestGroup("g10", "Guests with 10%", Percent.of(10), rub(1_000), auto_move=True,
                    demote_to="g5", demotion_days=90)  # fmt: skip


def test_demotion_on_counts_the_period_so_a_demoted_guest_is_not_promoted_straight_back() -> None:
    # DOMAIN.md's example: 1 500 ₽ a year ago, 300 ₽ in the last 90 days
    groups = [FIVE, TEN_90]
    demoted = group_after_period(TEN_90, rub(300), groups)
    assert demoted == FIVE
    # a sale of 200 ₽: lifetime 2 000 ₽ reaches 10 %, but the period (500 ₽) does not
    assert group_after_spend(demoted, GuestSpend(rub(2_000), {90: rub(500)}), groups) == FIVE
    # a sale of 700 ₽ today instead: 1 000 ₽ within the period -> 10 % again
    assert group_after_spend(demoted, GuestSpend(rub(2_500), {90: rub(1_000)}), groups) == TEN_90


def test_demotion_off_counts_lifetime_spend_as_before() -> None:
    groups = [FIVE, TEN]
    assert group_after_spend(FIVE, GuestSpend(rub(1_000), {90: rub(0)}), groups) == TEN
    assert group_after_spend(FIVE, rub(1_000), groups) == TEN
    assert periods_of(groups) == set()


def test_never_demote_or_no_target_means_lifetime_even_with_a_period() -> None:
    never = GuestGroup("g10", "10", Percent.of(10), rub(1_000), auto_move=True,
                       no_demotion=True, demote_to="g5", demotion_days=90)  # fmt: skip
    no_target = GuestGroup("g10", "10", Percent.of(10), rub(1_000), auto_move=True,
                           demotion_days=90)  # fmt: skip
    for ten in (never, no_target):
        assert not ten.demotes_by_period
        assert group_after_spend(FIVE, rub(1_000), [FIVE, ten]) == ten


def test_the_period_spend_must_be_given_when_a_group_needs_it() -> None:
    assert periods_of([FIVE, TEN_90]) == {90}
    with pytest.raises(InvalidGroup):
        group_after_spend(FIVE, GuestSpend(rub(5_000)), [FIVE, TEN_90])


def test_a_guest_in_a_period_group_is_not_moved_down_by_a_sale_while_the_period_holds() -> None:
    spend = GuestSpend(rub(5_000), {90: rub(1_200)})
    assert group_after_spend(TEN_90, spend, [FIVE, TEN_90]) == TEN_90


def test_the_period_is_checked() -> None:
    with pytest.raises(InvalidGroup):
        GuestGroup("g", "g", Percent.of(1), demote_to="x", demotion_days=0)
