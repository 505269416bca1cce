"""``hold.placed`` / ``hold.committed`` / ``hold.released`` (points spent in two phases) and
``balance.topped_up`` (money paid into a guest's balance account)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from pos_app.domain.operations.codec import (
    AMOUNT,
    ENTITY_ID,
    Bool,
    Int,
    Operation,
    Optional,
    Str,
    spec,
)

HOLD_PLACED = "hold.placed"
HOLD_COMMITTED = "hold.committed"
HOLD_RELEASED = "hold.released"
BALANCE_TOPPED_UP = "balance.topped_up"
HOLD_KINDS = (HOLD_PLACED, HOLD_COMMITTED, HOLD_RELEASED)


HOLD_ID = Str(1, 64, printable=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class HoldPlaced(Operation):
    """Points reserved for an order being paid. ``offline``: the till accepted it without the
    server, so the server applies it even beyond the balance and records an overdraft."""

    KIND: ClassVar[str] = HOLD_PLACED
    hold_id: str = spec(HOLD_ID)
    guest_id: str = spec(ENTITY_ID)
    amount: int = spec(Int(1))
    offline: bool = spec(Bool(), False)
    ref: str | None = spec(Optional(Str(0, 64)), None)


@dataclass(frozen=True, slots=True, kw_only=True)
class HoldCommitted(Operation):
    """Spend ``amount`` of the hold (all of it when null); the rest is released."""

    KIND: ClassVar[str] = HOLD_COMMITTED
    hold_id: str = spec(HOLD_ID)
    amount: int | None = spec(Optional(AMOUNT), None)


@dataclass(frozen=True, slots=True, kw_only=True)
class HoldReleased(Operation):
    KIND: ClassVar[str] = HOLD_RELEASED
    hold_id: str = spec(HOLD_ID)


@dataclass(frozen=True, slots=True, kw_only=True)
class BalanceToppedUp(Operation):
    """Money paid into the guest's balance account (cash at the till, card in the cabinet).
    ``staff_id``: who took the money; the server applies it only for an active staff member
    whose role may credit that much (``pos_app.domain.balance.TOP_UP_LIMITS``). Optional only
    so rows stored before it still parse; the server refuses a top-up without one."""

    KIND: ClassVar[str] = BALANCE_TOPPED_UP
    guest_id: str = spec(ENTITY_ID)
    amount: int = spec(Int(1))
    ref: str | None = spec(Optional(Str(0, 64)), None)
    staff_id: str | None = spec(Optional(ENTITY_ID), None)
