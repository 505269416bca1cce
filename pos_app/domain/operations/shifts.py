"""``shift.opened`` / ``shift.closed``: a till's cash shift and its Z report."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from pos_app.domain.operations.codec import (
    AMOUNT,
    ENTITY_ID,
    MAX_AMOUNT,
    Choice,
    DateTime,
    Int,
    ListOf,
    MapOf,
    Nested,
    Operation,
    Optional,
    Record,
    Str,
    spec,
)
from pos_app.domain.operations.sales import Approval

SHIFT_OPENED = "shift.opened"
SHIFT_CLOSED = "shift.closed"


COUNT = Int(0, 10**9)


SIGNED = Int(-MAX_AMOUNT, MAX_AMOUNT)


@dataclass(frozen=True, slots=True, kw_only=True)
class ShiftOpened(Operation):
    KIND: ClassVar[str] = SHIFT_OPENED
    shift_id: str = spec(ENTITY_ID)
    terminal_id: str = spec(ENTITY_ID)
    number: int = spec(Int(1, 10**9))
    opened_at: datetime = spec(DateTime())
    opened_by: str = spec(ENTITY_ID)
    opening_cash: int = spec(AMOUNT)


@dataclass(frozen=True, slots=True, kw_only=True)
class CashMove(Record):
    """Cash put into (``in``) or taken out of (``out``) the drawer during the shift."""

    kind: str = spec(Choice(("in", "out")))
    amount: int = spec(Int(1, MAX_AMOUNT))
    reason: str = spec(Str(0, 200), "")
    at: datetime = spec(DateTime())
    staff_id: str = spec(ENTITY_ID)


@dataclass(frozen=True, slots=True, kw_only=True)
class ShiftClosed(Operation):
    """The Z report as the till computed it (``pos_app.services.shifts.ShiftReport``);
    ``authorization``: a manager's approval to close with operations still waiting;
    ``movements``: each cash in / out (they add up to ``cash_in`` / ``cash_out``);
    ``difference_reason``: the cashier's word on a shortage or surplus; ``deposits`` /
    ``deposit_refunds``: guests' deposit top-ups taken / given back in the shift (not revenue;
    their cash is in ``expected_cash``). Tills before these fields sent none (defaults)."""

    KIND: ClassVar[str] = SHIFT_CLOSED
    shift_id: str = spec(ENTITY_ID)
    number: int = spec(Int(1, 10**9))
    terminal_id: str = spec(ENTITY_ID)
    opened_at: datetime = spec(DateTime())
    closed_at: datetime = spec(DateTime())
    opened_by: str = spec(ENTITY_ID)
    closed_by: str = spec(ENTITY_ID)
    opening_cash: int = spec(AMOUNT)
    cash_in: int = spec(AMOUNT)
    cash_out: int = spec(AMOUNT)
    sales_count: int = spec(COUNT)
    sales_total: int = spec(AMOUNT)
    by_method: Mapping[str, int] = spec(MapOf(Str(0, 16), AMOUNT))
    discounts: int = spec(AMOUNT)
    refunds_count: int = spec(COUNT)
    refunds_total: int = spec(AMOUNT)
    points_spent: int = spec(AMOUNT)
    expected_cash: int = spec(SIGNED)
    counted_cash: int = spec(AMOUNT)
    difference: int = spec(SIGNED)
    pending_operations: int = spec(COUNT)
    authorized_by: str | None = spec(Optional(ENTITY_ID), None)
    authorization: Approval | None = spec(Optional(Nested(lambda: Approval)), None)
    movements: tuple[CashMove, ...] = spec(ListOf(Nested(lambda: CashMove), 0, 1000), ())
    difference_reason: str = spec(Str(0, 200), "")
    deposits: int = spec(AMOUNT, 0)
    deposit_refunds: int = spec(AMOUNT, 0)
