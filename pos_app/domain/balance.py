"""The guest's balance (deposit) account: money, not points.

A payment may not take it below zero. The one way it goes negative is a recorded **debt**:
seed 001 says an order completed without payment leaves its amount owed on the guest's balance
account, and a later top-up pays the debt off first (the balance is simply the sum).
The other is an **offline** payment the till accepted against its cached balance and the
server replays beyond what is left (``allow_overdraft=True``): the money was really taken at
the till, so it is applied and the shortfall is recorded as an :class:`Overdraft` for managers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from pos_app.domain.errors import DomainError
from pos_app.domain.ledger import Ledger, Posting, PostingKind, require_aware
from pos_app.domain.money import format_money, require_amount
from pos_app.domain.staff_pins import Role


@dataclass(frozen=True, slots=True)
class TopUpLimit:
    """What one staff member of a role may credit to guests' balance accounts (kopecks): in
    one top-up, and in all their top-ups of one business day. A terminal cannot prove who took
    the money (a top-up names a staff id, no PIN reaches the server offline), so these bound
    what a stolen terminal token can mint in one person's name (docs/security.md)."""

    per_top_up: int
    per_day: int


# The built-in defaults; a venue sets its own in the programme settings (``top_up``,
# pos_server.programme), which the tills get through the feed.
# A role not listed, or with a limit of 0, may not top up at all.
TOP_UP_LIMITS: Mapping[Role, TopUpLimit] = {
    Role.CASHIER: TopUpLimit(1_000_000, 5_000_000),  # 10 000.00 a top-up, 50 000.00 a day
    Role.OPERATOR: TopUpLimit(1_000_000, 5_000_000),
    Role.MANAGER: TopUpLimit(10_000_000, 50_000_000),  # 100 000.00, 500 000.00 a day
    Role.ADMIN: TopUpLimit(10_000_000, 50_000_000),
}


def top_up_problem(
    role: str, amount: int, *, earlier_today: int = 0,
    limits: Mapping[Role, TopUpLimit] = TOP_UP_LIMITS,
) -> str | None:  # fmt: skip
    """Why a staff member of ``role`` who already topped up ``earlier_today`` today may not
    credit ``amount`` now (None: may)."""
    limit = limits.get(Role(role)) if role in Role._value2member_map_ else None
    if limit is None or limit.per_top_up <= 0 or limit.per_day <= 0:
        return f"A staff member with the role {role!r} may not top up a balance."
    if amount > limit.per_top_up:
        return (f"A {role} may top up at most {format_money(limit.per_top_up)} at a time; "
                f"{format_money(amount)} were asked.")
    if earlier_today + amount > limit.per_day:
        return (f"A {role} may top up at most {format_money(limit.per_day)} a day; "
                f"{format_money(earlier_today)} were topped up today already, "
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
