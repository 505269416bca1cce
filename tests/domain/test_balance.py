"""The money balance account: payments never beyond it, debt only on purpose."""

from datetime import UTC, datetime
from typing import TypedDict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.domain.balance import BalanceAccount, InsufficientBalance
from pos_app.domain.errors import InvalidAmount
from pos_app.domain.ledger import NaiveTimestamp, Posting, PostingKind
from pos_app.domain.money import rub

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


class Who(TypedDict):
    actor: str
    terminal_id: str | None


WHO: Who = {"actor": "op-1", "terminal_id": "C1"}


def test_top_up_then_pay() -> None:
    acc = BalanceAccount("bal-1")
    acc.top_up(rub(1_000), now=T0, reason="card top-up", **WHO)
    posting = acc.pay(rub(400), now=T0, reason="order 5", ref="o5", **WHO)
    assert posting.kind is PostingKind.DEBIT and posting.total_after == rub(600)
    assert acc.total == rub(600) and acc.debt == 0


def test_payment_beyond_the_balance_is_refused_and_nothing_posted() -> None:
    acc = BalanceAccount("bal-1", total=rub(100))
    with pytest.raises(InsufficientBalance) as err:
        acc.pay(rub(150), now=T0, reason="order 5", **WHO)
    assert err.value.details == {"available": rub(100), "requested": rub(150)}
    assert acc.postings == [] and acc.total == rub(100)


def test_completed_unpaid_order_leaves_a_debt_that_a_top_up_pays_off() -> None:
    acc = BalanceAccount("bal-1", total=rub(100))
    acc.charge_debt(rub(600), now=T0, reason="order completed unpaid", ref="o9", **WHO)
    assert acc.total == -rub(500) and acc.debt == rub(500)
    with pytest.raises(InsufficientBalance):
        acc.pay(rub(1), now=T0, reason="", **WHO)
    acc.top_up(rub(700), now=T0, reason="paid the debt", **WHO)
    assert acc.total == rub(200) and acc.debt == 0
    assert [p.total_after for p in acc.postings] == [-rub(500), rub(200)]


def test_paying_exactly_the_balance_leaves_zero() -> None:
    acc = BalanceAccount("bal-1", total=rub(250))
    posting = acc.pay(rub(250), now=T0, reason="order 6", **WHO)
    assert (posting.total_after, posting.total_delta, posting.held_after) == (0, -rub(250), 0)
    assert acc.total == 0 and acc.available == 0 and acc.debt == 0


def test_debt_is_a_posting_of_its_own_kind_with_the_balance_after() -> None:
    acc = BalanceAccount("bal-1")
    debt = acc.charge_debt(rub(80), now=T0, reason="order completed unpaid", ref="o1", **WHO)
    assert (debt.kind, debt.amount, debt.total_after, debt.ref) == (
        PostingKind.DEBT, rub(80), -rub(80), "o1",
    )  # fmt: skip
    acc.top_up(rub(30), now=T0, reason="partial", **WHO)
    assert acc.debt == rub(50)


def test_amounts_and_times_are_validated() -> None:
    acc = BalanceAccount("bal-1", total=rub(100))
    for bad in (0, -rub(1)):
        with pytest.raises(InvalidAmount):
            acc.top_up(bad, now=T0, reason="", **WHO)
        with pytest.raises(InvalidAmount):
            acc.pay(bad, now=T0, reason="", **WHO)
        with pytest.raises(InvalidAmount):
            acc.charge_debt(bad, now=T0, reason="", **WHO)
    with pytest.raises(NaiveTimestamp):
        acc.pay(rub(1), now=datetime(2026, 1, 1), reason="", **WHO)  # noqa: DTZ001
    assert acc.postings == [] and acc.total == rub(100)


OPS = st.lists(
    st.tuples(st.sampled_from(["top_up", "pay", "charge_debt"]), st.integers(1, rub(500))),
    max_size=30,
)


@settings(max_examples=100, deadline=None)
@given(opening=st.integers(0, rub(300)), ops=OPS)
def test_balance_is_the_sum_of_postings_and_goes_negative_only_by_debt(
    opening: int, ops: list[tuple[str, int]]
) -> None:
    acc = BalanceAccount("bal-1", total=opening)
    total = opening
    for op, amount in ops:
        before = acc.total
        if op == "pay" and amount > before:
            with pytest.raises(InsufficientBalance):
                acc.pay(amount, now=T0, reason="", **WHO)
            continue
        getattr(acc, op)(amount, now=T0, reason="", **WHO)
        total += amount if op == "top_up" else -amount
        assert acc.total == total
        if acc.total < 0:  # only a debt posting can leave the account below zero
            assert acc.postings[-1].kind is PostingKind.DEBT or before < 0
    assert acc.total == opening + sum(p.total_delta for p in acc.postings)
    assert [p.total_after for p in acc.postings] == _running(opening, acc.postings)
    assert acc.debt == max(-acc.total, 0) and all(p.held_after == 0 for p in acc.postings)


def _running(opening: int, postings: list[Posting]) -> list[int]:
    totals, total = [], opening
    for posting in postings:
        total += posting.total_delta
        totals.append(total)
    return totals


def test_offline_payment_beyond_the_balance_is_applied_with_the_overdraft_recorded() -> None:
    acc = BalanceAccount("bal-1", total=rub(100))
    posting = acc.pay(rub(150), now=T0, reason="offline sale", ref="s1", allow_overdraft=True,
                      **WHO)  # fmt: skip
    assert posting.kind is PostingKind.DEBIT and acc.total == -rub(50)
    assert [(o.amount, o.ref) for o in acc.overdrafts] == [(rub(50), "s1")]
    acc.pay(rub(10), now=T0, reason="offline sale", allow_overdraft=True, **WHO)
    assert [o.amount for o in acc.overdrafts] == [rub(50), rub(10)]  # never counts below zero


def test_offline_payment_covered_by_the_balance_records_no_overdraft() -> None:
    acc = BalanceAccount("bal-1", total=rub(100))
    acc.pay(rub(100), now=T0, reason="offline sale", allow_overdraft=True, **WHO)
    assert acc.overdrafts == [] and acc.total == 0
