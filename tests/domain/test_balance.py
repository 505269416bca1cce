"""The money balance account: payments never beyond it, debt only on purpose."""

from datetime import UTC, datetime

import pytest

from pos_app.domain.balance import BalanceAccount, InsufficientBalance
from pos_app.domain.ledger import PostingKind
from pos_app.domain.money import rub

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
WHO = {"actor": "op-1", "terminal_id": "C1"}


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
