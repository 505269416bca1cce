"""Payloads of the till's shift, promo and refund operation kinds (registered in ``schemas``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BeforeValidator, Field, Strict, StringConstraints

from pos_server.schemas import MAX_AMOUNT, Amount, EntityId, WireModel

Count = Annotated[int, Strict(), Field(ge=0, le=10**9)]
SignedAmount = Annotated[int, Strict(), Field(ge=-MAX_AMOUNT, le=MAX_AMOUNT)]
BasisPoints = Annotated[int, Strict(), Field(ge=0, le=10_000)]
Code = Annotated[
    str,
    BeforeValidator(lambda v: v.strip().upper() if isinstance(v, str) else v),
    StringConstraints(pattern=r"^[A-Z][A-Z0-9]*[0-9]$", max_length=64),
]  # a full promo code, prefix + digits, stored upper-case


class ShiftOpened(WireModel):
    shift_id: EntityId
    terminal_id: EntityId
    number: Annotated[int, Strict(), Field(ge=1, le=10**9)]
    opened_at: AwareDatetime
    opened_by: EntityId
    opening_cash: Amount


class ShiftClosed(WireModel):
    """The Z report as the till computed it (``pos_app.services.shifts.ShiftReport``)."""

    shift_id: EntityId
    number: Annotated[int, Strict(), Field(ge=1, le=10**9)]
    terminal_id: EntityId
    opened_at: AwareDatetime
    closed_at: AwareDatetime
    opened_by: EntityId
    closed_by: EntityId
    opening_cash: Amount
    cash_in: Amount
    cash_out: Amount
    sales_count: Count
    sales_total: Amount
    by_method: dict[Annotated[str, StringConstraints(max_length=16)], Amount]
    discounts: Amount
    refunds_count: Count
    refunds_total: Amount
    points_spent: Amount
    expected_cash: SignedAmount
    counted_cash: Amount
    difference: SignedAmount
    pending_operations: Count
    authorized_by: EntityId | None = None
    authorization: dict[str, Any] | None = None


class PromoIssued(WireModel):
    code: Code
    guest_id: EntityId
    phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=32)] | None = None


class PromoRedeemed(WireModel):
    """A sale paid with ``owner_guest_id``'s code: credit the owner's cashback."""

    sale_id: EntityId
    code: Code
    owner_guest_id: EntityId
    buyer_guest_id: EntityId | None = None
    paid_in_money: Amount
    discount: Amount
    cashback_bp: BasisPoints
    cashback: Amount


class RefundedPayment(WireModel):
    method: Literal["cash", "card", "balance", "points"]
    amount: Annotated[int, Strict(), Field(ge=1, le=MAX_AMOUNT)]


class SaleRefunded(WireModel):
    """A closed sale given back in full (``pos_app.services.refunds``)."""

    refund_id: EntityId
    sale_id: EntityId
    receipt_no: Annotated[str, StringConstraints(max_length=32)] | None = None
    guest_id: EntityId | None = None
    refunded_at: AwareDatetime
    staff_id: EntityId
    approved_by: EntityId
    reason: Annotated[str, StringConstraints(max_length=200)] = ""
    payments: Annotated[list[RefundedPayment], Field(max_length=4)]
    authorization: dict[str, Any] | None = None


TILL_PAYLOADS: dict[str, type[WireModel]] = {
    "shift.opened": ShiftOpened,
    "shift.closed": ShiftClosed,
    "promo.issued": PromoIssued,
    "promo.redeemed": PromoRedeemed,
    "sale.refunded": SaleRefunded,
}
