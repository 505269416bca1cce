"""``sale.closed``, ``sale.cancelled`` and ``sale.refunded``: the till's full record of a sale.

The till stores these payloads in its outbox, the worker sends them unchanged and the server
reads what it needs from them (the guest from ``guest``, the total from ``totals.total``).
``group`` and the lines' ``product_group_id`` / ``tags`` / ``subtotal`` are what a recomputation
of the discount needs; ``tendered`` / ``change`` / ``at`` what the till's reports need. Rows
that older tills stored (without ``hold_id`` on a payment, without ``offline`` or
``loyalty_override``) are read with those fields' defaults.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from pos_app.domain.operations.codec import (
    AMOUNT,
    ENTITY_ID,
    NAME,
    Bool,
    Choice,
    DateTime,
    Int,
    ListOf,
    Nested,
    Operation,
    Optional,
    Record,
    Str,
    spec,
)

SALE_CLOSED = "sale.closed"
SALE_CANCELLED = "sale.cancelled"
SALE_REFUNDED = "sale.refunded"

PAYMENT_METHODS = ("cash", "card", "balance", "points")
MONEY_METHODS = frozenset({"cash", "card", "balance"})
BASIS_POINTS = Int(0, 10_000)


@dataclass(frozen=True, slots=True, kw_only=True)
class SaleGuest(Record):
    """The identified guest as the sale saw them; ``identified_by`` an input method or phone."""

    guest_id: str = spec(ENTITY_ID)
    name: str = spec(Str(0, 200))
    identified_by: str = spec(Str(0, 32))


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupScope(Record):
    """Which lines the group's discount applies to (``pos_app.domain.catalog.DiscountScope``)."""

    product_group_ids: tuple[str, ...] = spec(ListOf(Str(0, 200)))
    product_ids: tuple[str, ...] = spec(ListOf(Str(0, 200)))
    tags: tuple[str, ...] = spec(ListOf(Str(0, 200)))


@dataclass(frozen=True, slots=True, kw_only=True)
class SaleGroup(Record):
    """The guest's group at the moment of the sale: its discount and where it applies."""

    group_id: str = spec(ENTITY_ID)
    name: str = spec(Str(0, 200))
    discount_bp: int = spec(BASIS_POINTS)
    scope: GroupScope = spec(Nested(lambda: GroupScope))


@dataclass(frozen=True, slots=True, kw_only=True)
class SaleLine(Record):
    line_no: int = spec(Int(1, 10_000))
    product_id: str = spec(ENTITY_ID)
    name: str = spec(NAME)
    product_group_id: str | None = spec(Optional(Str(0, 200)))
    tags: tuple[str, ...] = spec(ListOf(Str(0, 200)))
    quantity: int = spec(Int(1, 100_000))
    unit_price: int = spec(AMOUNT)
    subtotal: int = spec(AMOUNT)
    discount: int = spec(AMOUNT)
    total: int = spec(AMOUNT)
    # the catalogue's price when the line was added; a unit price that differs from it was set
    # by hand (a price change or a line discount). None in rows of tills before it was sent.
    list_price: int | None = spec(Optional(AMOUNT), None)


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderDiscount(Record):
    """A percentage off the whole order after the group discount, and why: ``promo:CODE`` (a
    referral promo code) or ``manual:STAFF_ID`` (given by hand)."""

    percent_bp: int = spec(BASIS_POINTS)
    reason: str = spec(Str(0, 100))


@dataclass(frozen=True, slots=True, kw_only=True)
class SalePayment(Record):
    """``hold_id``: the points hold this points payment committed (queued before the sale)."""

    method: str = spec(Choice(PAYMENT_METHODS))
    amount: int = spec(AMOUNT)
    tendered: int = spec(AMOUNT)
    change: int = spec(AMOUNT)
    at: datetime = spec(DateTime())
    hold_id: str | None = spec(Optional(Str(1, 64, printable=True)), None)


@dataclass(frozen=True, slots=True, kw_only=True)
class SaleTotals(Record):
    subtotal: int = spec(AMOUNT)
    discount: int = spec(AMOUNT)
    total: int = spec(AMOUNT)
    paid: int = spec(AMOUNT)
    change: int = spec(AMOUNT)


@dataclass(frozen=True, slots=True, kw_only=True)
class LoyaltyOverride(Record):
    """The accrual / max redemption % a manager set by hand on this one sale, and who (the
    server checks the approver before honouring it)."""

    accrual_bp: int | None = spec(Optional(BASIS_POINTS), None)  # None: the group's / program's
    max_redemption_bp: int | None = spec(Optional(BASIS_POINTS), None)
    approved_by: str = spec(ENTITY_ID)


@dataclass(frozen=True, slots=True, kw_only=True)
class _SaleRecord(Operation):
    """What ``sale.closed`` and ``sale.cancelled`` share."""

    sale_id: str = spec(ENTITY_ID)
    terminal_id: str = spec(ENTITY_ID)
    opened_at: datetime = spec(DateTime())
    guest: SaleGuest | None = spec(Optional(Nested(lambda: SaleGuest)))
    group: SaleGroup | None = spec(Optional(Nested(lambda: SaleGroup)))
    payments: tuple[SalePayment, ...] = spec(ListOf(Nested(lambda: SalePayment), 0, 50))
    totals: SaleTotals = spec(Nested(lambda: SaleTotals))
    offline: bool = spec(Bool(), False)  # ended by the till without the server
    order_discount: OrderDiscount | None = spec(Optional(Nested(lambda: OrderDiscount)), None)
    # the till's change-feed position when the sale ended: the catalogue it priced with
    # (None: a till that had never pulled, or a row stored before it was sent)
    catalogue_version: int | None = spec(Optional(Int(0, 2**62)), None)
    loyalty_override: LoyaltyOverride | None = spec(Optional(Nested(lambda: LoyaltyOverride)),
                                                    None)  # fmt: skip

    @property
    def guest_id(self) -> str | None:
        return self.guest.guest_id if self.guest is not None else None

    @property
    def total(self) -> int:
        return self.totals.total

    def paid(self, *methods: str) -> int:
        return sum(p.amount for p in self.payments if p.method in methods)


@dataclass(frozen=True, slots=True, kw_only=True)
class SaleClosed(_SaleRecord):
    """A paid sale, written in the transaction that closes it."""

    KIND: ClassVar[str] = SALE_CLOSED
    receipt_no: str | None = spec(Optional(Str(0, 32)), None)
    closed_at: datetime = spec(DateTime())
    lines: tuple[SaleLine, ...] = spec(ListOf(Nested(lambda: SaleLine), 1, 1000))
    # the guest order this sale pays (issue 20): the server marks it paid by this sale
    order_id: str | None = spec(Optional(ENTITY_ID), None)


@dataclass(frozen=True, slots=True, kw_only=True)
class SaleCancelled(_SaleRecord):
    """A basket the till cancelled; ``refund``: the money taken before the cancel, handed
    back. Kept for the manager's audit of voided baskets."""

    KIND: ClassVar[str] = SALE_CANCELLED
    cancelled_at: datetime = spec(DateTime())
    lines: tuple[SaleLine, ...] = spec(ListOf(Nested(lambda: SaleLine), 0, 1000))
    refund: int = spec(AMOUNT)


@dataclass(frozen=True, slots=True, kw_only=True)
class Approval(Record):
    """A manager's approval by PIN (``pos_app.services.staff.Authorization``)."""

    staff_id: str = spec(ENTITY_ID)
    name: str = spec(Str(0, 200))
    role: str = spec(Str(0, 32))
    action: str = spec(Str(0, 64))
    at: datetime = spec(DateTime())


@dataclass(frozen=True, slots=True, kw_only=True)
class RefundedPayment(Record):
    method: str = spec(Choice(PAYMENT_METHODS))
    amount: int = spec(Int(1))


@dataclass(frozen=True, slots=True, kw_only=True)
class RefundedItem(Record):
    """Units of one line of the sale given back, and for how much (``domain/refunds.py``)."""

    line_no: int = spec(Int(1, 10_000))
    quantity: int = spec(Int(1, 100_000))
    amount: int = spec(AMOUNT)


@dataclass(frozen=True, slots=True, kw_only=True)
class SaleRefunded(Operation):
    """A closed sale given back, in full or in part (``pos_app.services.refunds``).

    ``lines``: the lines and units of a refund by line (several may follow for one sale, never
    more in all than was sold); empty (tills before partial refunds): the whole sale.
    """

    KIND: ClassVar[str] = SALE_REFUNDED
    refund_id: str = spec(ENTITY_ID)
    sale_id: str = spec(ENTITY_ID)
    receipt_no: str | None = spec(Optional(Str(0, 32)))
    guest_id: str | None = spec(Optional(ENTITY_ID))
    refunded_at: datetime = spec(DateTime())
    staff_id: str = spec(ENTITY_ID)
    approved_by: str = spec(ENTITY_ID)
    reason: str = spec(Str(0, 200), "")
    payments: tuple[RefundedPayment, ...] = spec(ListOf(Nested(lambda: RefundedPayment), 0, 4))
    authorization: Approval | None = spec(Optional(Nested(lambda: Approval)), None)
    lines: tuple[RefundedItem, ...] = spec(ListOf(Nested(lambda: RefundedItem), 0, 500), ())
