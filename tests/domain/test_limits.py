"""Daily identification and spend limits of a guest group (seed 002)."""

import pytest

from pos_app.domain.errors import InvalidAmount
from pos_app.domain.limits import (
    DailyIdentificationLimitReached,
    DailyLimits,
    DailySpendLimitExceeded,
    check_identification,
    check_spend,
    remaining_spend,
)
from pos_app.domain.money import rub


def test_identification_limit_allows_up_to_the_limit() -> None:
    limits = DailyLimits(identifications=3)
    check_identification(limits, identified_today=2)
    with pytest.raises(DailyIdentificationLimitReached) as err:
        check_identification(limits, identified_today=3)
    assert err.value.message == (
        "The guest has already been identified 3 times today; the limit is 3."
    )


def test_spend_limit_counts_what_was_spent_today() -> None:
    limits = DailyLimits(points_spend=rub(500))
    assert remaining_spend(limits, rub(200)) == rub(300)
    check_spend(limits, spent_today=rub(200), amount=rub(300))
    with pytest.raises(DailySpendLimitExceeded) as err:
        check_spend(limits, spent_today=rub(200), amount=rub(301))
    assert err.value.details["remaining"] == rub(300)
    assert "300,00 points" in err.value.message


def test_no_limit_means_no_limit() -> None:
    unlimited = DailyLimits()
    check_identification(unlimited, identified_today=10_000)
    check_spend(unlimited, spent_today=rub(10**6), amount=rub(10**6))
    assert remaining_spend(unlimited, rub(5)) is None


def test_a_zero_limit_refuses_everything() -> None:
    with pytest.raises(DailyIdentificationLimitReached):
        check_identification(DailyLimits(identifications=0), identified_today=0)
    with pytest.raises(DailySpendLimitExceeded):
        check_spend(DailyLimits(points_spend=0), spent_today=0, amount=1)
    check_spend(DailyLimits(points_spend=0), spent_today=0, amount=0)


def test_spent_beyond_the_limit_leaves_nothing_not_a_negative_remainder() -> None:
    # An offline overdraft may have taken the day past the limit already.
    limits = DailyLimits(points_spend=rub(500))
    assert remaining_spend(limits, rub(650)) == 0
    with pytest.raises(DailySpendLimitExceeded) as err:
        check_spend(limits, spent_today=rub(650), amount=1)
    assert err.value.details == {"remaining": 0, "requested": 1, "limit": rub(500)}


def test_bad_counts_and_limits_are_programming_slips() -> None:
    with pytest.raises(ValueError, match="identified_today"):
        check_identification(DailyLimits(identifications=3), identified_today=-1)
    with pytest.raises(ValueError, match="spent_today"):
        remaining_spend(DailyLimits(points_spend=1), spent_today=-1)
    with pytest.raises(ValueError, match="identifications limit"):
        DailyLimits(identifications=-1)
    with pytest.raises(InvalidAmount):
        DailyLimits(points_spend=-rub(1))
    with pytest.raises(InvalidAmount):
        check_spend(DailyLimits(points_spend=1), spent_today=0, amount=-1)


def test_a_limit_of_one_says_once() -> None:
    with pytest.raises(DailyIdentificationLimitReached) as err:
        check_identification(DailyLimits(identifications=1), identified_today=1)
    assert err.value.message == (
        "The guest has already been identified once today; the limit is 1."
    )
    assert err.value.details == {"identified_today": 1, "limit": 1}
