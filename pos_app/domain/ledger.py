"""What every account shares: an append-only list of postings with the balance after each.

A posting is never edited or deleted; corrections are new postings. Each one says who
(actor), where (terminal), when, why (reason, ref) and the account's ``total`` and ``held``
after it, so the guest card can show the history and an auditor can replay it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pos_app.domain.errors import DomainError
from pos_app.domain.money import require_amount


class NaiveTimestamp(DomainError):
    code = "naive_timestamp"


class PostingKind(StrEnum):
    CREDIT = "credit"
    DEBIT = "debit"
    HOLD = "hold"
    COMMIT = "commit"
    RELEASE = "release"
    EXPIRE = "expire"
    ACCRUAL = "accrual"
    ADJUSTMENT = "adjustment"
    DEBT = "debt"


@dataclass(frozen=True, slots=True)
class Posting:
    """One change to an account. ``amount`` is the magnitude; the deltas carry the sign."""

    account_id: str
    kind: PostingKind
    amount: int
    total_after: int
    held_after: int
    at: datetime
    actor: str
    terminal_id: str | None
    reason: str
    ref: str | None
    total_delta: int
    held_delta: int
    hold_id: str | None = None  # set on every posting a hold made (hold, commit, ...)


@dataclass(frozen=True, slots=True)
class Overdraft:
    """How far one operation took ``available`` below zero; reported to managers."""

    account_id: str
    amount: int
    at: datetime
    reason: str
    ref: str | None
    hold_id: str | None = None


def require_aware(now: datetime) -> datetime:
    """Times come from a clock in UTC; a naive datetime is a programming slip, refused."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise NaiveTimestamp("Timestamps must carry a time zone (UTC).")
    return now


class Ledger:
    """An account's running ``total`` and the postings made through this object."""

    def __init__(self, account_id: str, total: int = 0) -> None:
        if not isinstance(total, int) or isinstance(total, bool):
            raise TypeError("total must be int kopecks")
        self.account_id = account_id
        self._total = total
        self._held = 0
        self.postings: list[Posting] = []
        self.overdrafts: list[Overdraft] = []

    @property
    def total(self) -> int:
        return self._total

    @property
    def held(self) -> int:
        return self._held

    @property
    def available(self) -> int:
        return self._total - self.held

    def credit(
        self,
        amount: int,
        *,
        now: datetime,
        actor: str,
        terminal_id: str | None,
        reason: str,
        ref: str | None = None,
        kind: PostingKind = PostingKind.CREDIT,
    ) -> Posting:
        """Add to the account (a credit, an accrual after payment, a top-up, an adjustment)."""
        return self._post(
            kind, amount, total_delta=amount, held_delta=0, now=now, actor=actor,
            terminal_id=terminal_id, reason=reason, ref=ref,
        )  # fmt: skip

    def _cover(
        self,
        amount: int,
        *,
        now: datetime,
        reason: str,
        ref: str | None,
        allow_overdraft: bool,
        hold_id: str | None = None,
    ) -> None:
        """Refuse, or record the overdraft, when ``amount`` exceeds ``available`` (an offline
        operation the till already carried out is applied; the shortfall is for managers)."""
        if amount <= self.available:
            return
        if not allow_overdraft:
            raise self._insufficient(amount)
        shortfall = amount - max(self.available, 0)
        self.overdrafts.append(Overdraft(self.account_id, shortfall, now, reason, ref, hold_id))

    def _insufficient(self, amount: int) -> DomainError:
        """The error a cashier reads when ``amount`` is more than the account has."""
        raise NotImplementedError

    def _take(
        self,
        kind: PostingKind,
        amount: int,
        *,
        now: datetime,
        actor: str,
        terminal_id: str | None,
        reason: str,
        ref: str | None,
        hold_id: str | None = None,
    ) -> Posting:
        """Take ``amount`` off the total; callers decide first whether the account may."""
        return self._post(
            kind, amount, total_delta=-amount, held_delta=0, now=now, actor=actor,
            terminal_id=terminal_id, reason=reason, ref=ref, hold_id=hold_id,
        )  # fmt: skip

    def _post(
        self,
        kind: PostingKind,
        amount: int,
        *,
        total_delta: int,
        held_delta: int,
        now: datetime,
        actor: str,
        terminal_id: str | None,
        reason: str,
        ref: str | None,
        hold_id: str | None = None,
    ) -> Posting:
        """Apply the deltas and record the posting with the balances after it."""
        require_amount(amount, f"{kind.value} amount", allow_zero=False)
        require_aware(now)
        self._total += total_delta
        self._held += held_delta
        posting = Posting(
            account_id=self.account_id,
            kind=kind,
            amount=amount,
            total_after=self._total,
            held_after=self.held,
            at=now,
            actor=actor,
            terminal_id=terminal_id,
            reason=reason,
            ref=ref,
            total_delta=total_delta,
            held_delta=held_delta,
            hold_id=hold_id,
        )
        self.postings.append(posting)
        return posting
