"""The one rounding rule and the money helpers."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.errors import InvalidAmount, InvalidPercent
from pos_app.domain.money import (
    Percent,
    allocate,
    format_money,
    parse_money,
    require_amount,
    rub,
)


def test_manual_example_50_percent_of_12000_is_6000() -> None:
    assert Percent.of(50).apply(rub(12_000)) == rub(6_000)


def test_manual_example_15_percent_of_12500_is_1875() -> None:
    assert Percent.of(15).apply(rub(12_500)) == rub(1_875)


@pytest.mark.parametrize(
    ("amount", "percent", "expected"),
    [
        (5, Percent.of(10), 1),  # 0.5 kopeck rounds half up
        (4, Percent.of(10), 0),  # 0.4 rounds down
        (15, Percent.of(10), 2),  # 1.5 -> 2
        (-15, Percent.of(10), -2),  # halves away from zero for refunds
        (333, Percent.of(33, 33), 111),  # 110.9889 -> 111
        (100, Percent.of(2, 50), 3),  # 2.5 -> 3
    ],
)
def test_percent_rounds_half_up_to_the_kopeck(amount: int, percent: Percent, expected: int) -> None:
    assert percent.apply(amount) == expected


def test_percent_out_of_range_is_refused() -> None:
    with pytest.raises(InvalidPercent):
        Percent(10_001)
    with pytest.raises(InvalidPercent):
        Percent(-1)


@pytest.mark.parametrize(
    ("text", "bp"), [("15", 1500), ("2,5", 250), ("12.75 %", 1275), ("100", 10_000), ("0", 0)]
)
def test_percent_parses_what_people_type(text: str, bp: int) -> None:
    assert Percent.parse(text).bp == bp


@pytest.mark.parametrize("text", ["", "abc", "1.234", "101", "-5"])
def test_percent_parse_rejects_garbage(text: str) -> None:
    with pytest.raises(InvalidPercent):
        Percent.parse(text)


def test_percent_prints_like_a_person_writes_it() -> None:
    assert str(Percent.of(15)) == "15%"
    assert str(Percent.of(2, 50)) == "2.5%"


def test_allocate_splits_exactly_with_ties_to_earlier_lines() -> None:
    assert allocate(100, [1, 1, 1]) == [34, 33, 33]
    assert allocate(-100, [1, 1, 1]) == [-34, -33, -33]
    assert allocate(0, [5, 7]) == [0, 0]
    assert allocate(10, [0, 0]) == [10, 0]


def test_allocate_over_nothing_is_refused() -> None:
    with pytest.raises(InvalidAmount):
        allocate(5, [])


@given(
    st.integers(min_value=-10**9, max_value=10**9),
    st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=30),
)
def test_allocate_always_sums_to_the_total(total: int, weights: list[int]) -> None:
    parts = allocate(total, weights)
    assert sum(parts) == total
    assert len(parts) == len(weights)
    if sum(weights) > 0:
        # No part is more than one kopeck away from its exact share.
        for part, weight in zip(parts, weights, strict=True):
            exact = total * weight / sum(weights)
            assert abs(part - exact) < 1 + 1e-6


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=10_000))
def test_percent_never_exceeds_the_amount(amount: int, bp: int) -> None:
    assert 0 <= Percent(bp).apply(amount) <= amount


def test_money_formats_in_russian_style() -> None:
    assert format_money(1_062_500) == "10\u00a0625,00 ₽"
    assert format_money(-5) == "-0,05 ₽"
    assert format_money(100, currency="") == "1,00"


@pytest.mark.parametrize(
    ("text", "kopecks"),
    [("12500", 1_250_000), ("12 500,50", 1_250_050), ("99.9", 9_990), ("-1", -100)],
)
def test_money_parses_what_cashiers_type(text: str, kopecks: int) -> None:
    assert parse_money(text) == kopecks


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_money_format_parse_round_trip(kopecks: int) -> None:
    assert parse_money(format_money(kopecks)) == kopecks


@pytest.mark.parametrize("text", ["", "12,345", "abc", "1e5"])
def test_money_parse_rejects_garbage(text: str) -> None:
    with pytest.raises(InvalidAmount):
        parse_money(text)


def test_require_amount_refuses_floats_bools_and_negatives() -> None:
    with pytest.raises(InvalidAmount):
        require_amount(1.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidAmount):
        require_amount(True)
    with pytest.raises(InvalidAmount):
        require_amount(-1)
    with pytest.raises(InvalidAmount):
        require_amount(0, allow_zero=False)
    assert require_amount(0) == 0
