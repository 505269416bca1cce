"""Which payment methods are money (accrual and referral cashback are paid on those only)."""

from __future__ import annotations

from collections.abc import Iterable

MONEY_METHODS = frozenset({"cash", "card", "balance"})


def money_paid(methods_amounts: Iterable[tuple[str, int]]) -> int:
    """The money part of ``(method, amount)`` payments: points are not money."""
    return sum(amount for method, amount in methods_amounts if method in MONEY_METHODS)
