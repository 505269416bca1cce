"""Seed 002's worked example, one test per variant, with the manual's figures."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.domain.groups import (
    GuestGroup,
    InvalidGroup,
    UnknownGroup,
    group_after_period,
    group_after_spend,
)
from pos_app.domain.money import Percent, rub

FIVE = GuestGroup("g5", "Guests with 5%", Percent.of(5), rub(500), auto_move=True)
TEN = GuestGroup("g10", "Guests with 10%", Percent.of(10), rub(1_000), auto_move=True)
BOTH_AUTO = [FIVE, TEN]


def test_both_automatic_new_guest_enters_5_percent_at_500() -> None:
    assert group_after_spend(None, rub(499, 99), BOTH_AUTO) is None
    assert group_after_spend(None, rub(500), BOTH_AUTO) == FIVE


def test_both_automatic_guest_moves_to_10_percent_at_1000() -> None:
    assert group_after_spend(FIVE, rub(999), BOTH_AUTO) == FIVE
    assert group_after_spend(FIVE, rub(1_000), BOTH_AUTO) == TEN
    assert group_after_spend(None, rub(1_000), BOTH_AUTO) == TEN


def test_hand_placed_in_10_percent_under_500_moves_to_5_and_stays_until_1000() -> None:
    moved = group_after_spend(TEN, rub(300), BOTH_AUTO)
    assert moved == FIVE
    assert group_after_spend(moved, rub(300), BOTH_AUTO) == FIVE
    assert group_after_spend(moved, rub(700), BOTH_AUTO) == FIVE
    assert group_after_spend(moved, rub(999, 99), BOTH_AUTO) == FIVE
    assert group_after_spend(moved, rub(1_000), BOTH_AUTO) == TEN


def test_hand_placed_under_500_goes_to_an_existing_lower_group_with_smaller_threshold() -> None:
    three = GuestGroup("g3", "Guests with 3%", Percent.of(3), rub(200), auto_move=True)
    groups = [three, FIVE, TEN]
    assert group_after_spend(TEN, rub(300), groups) == three
    assert group_after_spend(TEN, rub(100), groups) == three  # lowest lower group
    assert group_after_spend(TEN, rub(600), groups) == FIVE


def test_never_demote_on_10_percent_keeps_the_hand_placed_guest() -> None:
    ten_kept = replace(TEN, no_demotion=True)
    assert group_after_spend(ten_kept, rub(300), [FIVE, ten_kept]) == ten_kept


def test_10_percent_not_automatic_guest_in_5_stays_after_1000() -> None:
    manual_ten = replace(TEN, auto_move=False)
    assert group_after_spend(FIVE, rub(1_000), [FIVE, manual_ten]) == FIVE
    assert group_after_spend(FIVE, rub(5_000), [FIVE, manual_ten]) == FIVE


def test_10_percent_not_automatic_hand_placed_guest_stays_there() -> None:
    manual_ten = replace(TEN, auto_move=False)
    assert group_after_spend(manual_ten, rub(300), [FIVE, manual_ten]) == manual_ten


def test_promotion_never_moves_a_guest_down() -> None:
    vip = GuestGroup("vip", "VIP", Percent.of(20), rub(5_000))
    assert group_after_spend(vip, rub(6_000), BOTH_AUTO) == vip


def test_demotion_by_period_moves_to_the_configured_group() -> None:
    ten = replace(TEN, demote_to="g5")
    assert group_after_period(ten, rub(999), [FIVE, ten]) == FIVE
    assert group_after_period(ten, rub(1_000), [FIVE, ten]) == ten


def test_demotion_by_period_respects_never_demote_and_missing_setting() -> None:
    kept = replace(TEN, demote_to="g5", no_demotion=True)
    assert group_after_period(kept, 0, [FIVE, kept]) == kept
    assert group_after_period(TEN, 0, BOTH_AUTO) == TEN
    assert group_after_period(None, 0, BOTH_AUTO) is None


def test_demotion_to_a_deleted_group_is_a_typed_error() -> None:
    orphan = replace(TEN, demote_to="gone")
    with pytest.raises(UnknownGroup):
        group_after_period(orphan, 0, [orphan])


def test_a_group_that_demotes_to_itself_or_has_a_negative_limit_is_refused() -> None:
    with pytest.raises(InvalidGroup):
        replace(TEN, demote_to="g10")
    with pytest.raises(InvalidGroup):
        replace(TEN, daily_identification_limit=-1)


_GROUPS = st.lists(
    st.builds(
        GuestGroup,
        id=st.sampled_from(["a", "b", "c", "d"]),
        name=st.just("group"),
        discount=st.integers(0, 30).map(Percent.of),
        spend_threshold=st.integers(0, 20).map(lambda r: rub(100 * r)),
        auto_move=st.booleans(),
        no_demotion=st.booleans(),
    ),
    min_size=1,
    max_size=4,
    unique_by=lambda g: g.id,
)


@settings(max_examples=200)
@given(
    groups=_GROUPS,
    pick=st.integers(-1, 3),
    spend=st.integers(0, rub(2_500)),
    extra=st.integers(0, rub(2_500)),
)
def test_the_outcome_is_stable_and_more_spend_never_moves_a_guest_down(
    groups: list[GuestGroup], pick: int, spend: int, extra: int
) -> None:
    current = groups[pick] if 0 <= pick < len(groups) else None
    placed = group_after_spend(current, spend, groups)
    assert placed is None or placed in groups
    assert group_after_spend(placed, spend, groups) == placed  # re-evaluating changes nothing
    later = group_after_spend(placed, spend + extra, groups)
    if placed is not None:
        assert later is not None
        assert (later.spend_threshold, later.discount.bp, later.id) >= (
            placed.spend_threshold,
            placed.discount.bp,
            placed.id,
        )
