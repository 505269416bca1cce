"""Refunds by line and quantity (``domain/refunds.py``): never more than was sold, by line
or by method, the last part gives back exactly the rest, the card only whole (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.domain.refunds import (
    NothingToRefund,
    PartialCardRefund,
    RefundedLine,
    RefundTooLarge,
    SoldLine,
    accrual_left,
    lines_left,
    plan_refund,
    split_by_method,
)

SOLD = [SoldLine(1, 2, 378_00), SoldLine(2, 1, 171_00)]  # 2 lattes, a cake, after 10 %
PAID = {"cash": 149_00, "balance": 100_00, "card": 300_00}


def test_a_line_is_refunded_pro_rata_and_money_first_then_the_whole_card() -> None:
    one_latte = plan_refund(SOLD, [], PAID, {}, {1: 1})
    assert one_latte.lines == (RefundedLine(1, 1, 189_00),)
    assert one_latte.by_method == (("cash", 113_10), ("balance", 75_90))
    given = dict(one_latte.by_method)
    with pytest.raises(PartialCardRefund, match="given back whole"):
        plan_refund(SOLD, one_latte.lines, PAID, given, {2: 1})  # 171 ₽: 60 ₽ + part of card
    rest = plan_refund(SOLD, one_latte.lines, PAID, given, {1: 1, 2: 1})
    assert rest.total == 360_00
    assert rest.by_method == (("cash", 35_90), ("balance", 24_10), ("card", 300_00))


def test_more_than_is_left_or_nothing_is_refused() -> None:
    with pytest.raises(RefundTooLarge, match="Line 1 has 2 unit"):
        plan_refund(SOLD, [], PAID, {}, {1: 3})
    with pytest.raises(RefundTooLarge, match="Line 9 has 0"):
        plan_refund(SOLD, [], PAID, {}, {9: 1})
    with pytest.raises(NothingToRefund):
        plan_refund(SOLD, [], PAID, {}, {1: 0})
    done = [RefundedLine(1, 2, 378_00)]
    with pytest.raises(RefundTooLarge, match="Line 1 has 0 unit"):
        plan_refund(SOLD, done, PAID, {"cash": 149_00, "balance": 100_00, "card": 129_00},
                    {1: 1})  # fmt: skip
    with pytest.raises(RefundTooLarge, match="Only"):
        split_by_method(10, {"cash": 9})


def test_the_accrual_goes_back_in_proportion_and_the_last_part_takes_the_rest() -> None:
    assert accrual_left(11_25, 225_00, 0, 100_00) == 5_00
    assert accrual_left(11_25, 225_00, 100_00, 125_00) == 6_25
    assert accrual_left(0, 225_00, 0, 225_00) == 0


@st.composite
def sales(draw: st.DrawFn) -> tuple[list[SoldLine], dict[str, int]]:
    lines = [SoldLine(i + 1, draw(st.integers(1, 6)), draw(st.integers(0, 50_000)))
             for i in range(draw(st.integers(1, 5)))]  # fmt: skip
    total = sum(line.total for line in lines)
    methods = draw(st.lists(st.sampled_from(["cash", "balance", "points", "card"]),
                            min_size=1, max_size=4, unique=True))  # fmt: skip
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=len(methods) - 1,
                                max_size=len(methods) - 1)))  # fmt: skip
    bounds = [0, *cuts, total]
    return lines, {m: bounds[i + 1] - bounds[i] for i, m in enumerate(methods)}


@settings(max_examples=300, deadline=None)
@given(sales(), st.data())
def test_refunds_in_any_parts_never_exceed_the_sale_and_end_exactly_at_it(
    sale: tuple[list[SoldLine], dict[str, int]], data: st.DataObject
) -> None:
    sold, paid = sale
    earlier: list[RefundedLine] = []
    given: dict[str, int] = {}
    for _ in range(8):
        left = [x for x in lines_left(sold, earlier) if x.quantity]
        if not left:
            break
        wanted = {x.line_no: data.draw(st.integers(0, x.quantity)) for x in left}
        try:
            plan = plan_refund(sold, earlier, paid, given, wanted)
        except (NothingToRefund, PartialCardRefund):
            continue
        for method, amount in plan.by_method:
            given[method] = given.get(method, 0) + amount
            assert 0 < given[method] <= paid[method]
        earlier += plan.lines
        for line in lines_left(sold, earlier):
            assert line.quantity >= 0 and line.amount >= 0
    if not any(x.quantity for x in lines_left(sold, earlier)):
        assert sum(x.amount for x in earlier) == sum(s.total for s in sold)
        assert {m: a for m, a in given.items() if a} == {m: a for m, a in paid.items() if a}
    else:  # the rest in one go always works: the card is then whole
        rest = {x.line_no: x.quantity for x in lines_left(sold, earlier) if x.quantity}
        plan = plan_refund(sold, earlier, paid, given, rest)
        for method, amount in plan.by_method:
            given[method] = given.get(method, 0) + amount
        assert sum(x.amount for x in [*earlier, *plan.lines]) == sum(s.total for s in sold)
        assert {m: a for m, a in given.items() if a} == {m: a for m, a in paid.items() if a}
