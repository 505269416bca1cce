"""The guest's balance (deposit) account: money, not points.

A payment may not take it below zero. The one way it goes negative is a recorded **debt**:
seed 001 says an order completed without payment leaves its amount owed on the guest's balance
account, and a later top-up pays the debt off first (the balance is simply the sum).
The other is an **offline** payment the till accepted against its cached balance and the
server replays beyond what is left (``allow_overdraft=True``): the money was really taken at
the till, so it is applied and the shortfall is recorded as an :class:`Overdraft` for managers.
"""

from __future__ import annotations

from datetime import datetime

from pos_app.domain.errors import DomainError
from pos_app.domain.ledger import Ledger, Posting, PostingKind, require_aware
from pos_app.domain.money import format_money, require_amount
from pos_app.domain.staff_pins import Role

# The most one top-up of a balance account may credit, by the role of the staff member who
# takes the money (kopecks). A role not listed may not top up at all.
TOP_UP_LIMITS: dict[Role, int] = {
    Role.CASHIER: 1_000_000,  # 10 000.00
    Role.OPERATOR: 1_000_000,
    Role.MANAGER: 10_000_000,  # 100 000.00
    Role.ADMIN: 10_000_000,
}


def top_up_problem(role: str, amount: int) -> str | None:
    """Why a staff member of ``role`` may not credit ``amount`` in one top-up (None: may)."""
    limit = TOP_UP_LIMITS.get(Role(role)) if role in Role._value2member_map_ else None
    if limit is None:
        return f"A staff member with the role {role!r} may not top up a balance."
    if amount > limit:
        return (f"A {role} may top up at most {format_money(limit)} at a time; "
                f"{format_money(amount)} were asked.")
    return None



class InsufficientBalance(DomainError):
    code = "insufficient_balance"


class BalanceAccount(Ledger):
    """Money the guest deposited (topped up) or owes (negative ``total``)."""

    @property
    def debt(self) -> int:
        return max(-self.total, 0)

    top_up = Ledger.credit  # money paid in (by card from the cabinet, cash at the till)

    def pay(
        self,
        amount: int,
        *,
        now: datetime,
        actor: str,
        terminal_id: str | None,
        reason: str,
        ref: str | None = None,
        allow_overdraft: bool = False,
    ) -> Posting:
        """Pay from the balance; beyond what is on it only as a recorded overdraft (offline)."""
        require_amount(amount, "payment amount", allow_zero=False)
        require_aware(now)  # before an overdraft can be recorded for a refused payment
        self._cover(amount, now=now, reason=reason, ref=ref, allow_overdraft=allow_overdraft)
        return self._take(
            PostingKind.DEBIT, amount, now=now, actor=actor, terminal_id=terminal_id,
            reason=reason, ref=ref,
        )  # fmt: skip

    def _insufficient(self, amount: int) -> DomainError:
        return InsufficientBalance(
            f"The balance has only {format_money(max(self.available, 0))}; "
            f"{format_money(amount)} is to be paid.",
            available=self.available,
            requested=amount,
        )

    def charge_debt(
        self,
        amount: int,
        *,
        now: datetime,
        actor: str,
        terminal_id: str | None,
        reason: str,
        ref: str | None = None,
    ) -> Posting:
        """Record an unpaid amount as owed; the balance may go negative here only."""
        return self._take(
            PostingKind.DEBT, amount, now=now, actor=actor, terminal_id=terminal_id,
            reason=reason, ref=ref,
        )  # fmt: skip
