"""Every operation kind a till or console writes and the server judges, defined once.

Each kind is a constant (``SALE_CLOSED = "sale.closed"``) and a frozen dataclass
(``SaleClosed``) with ``KIND``, ``to_json()`` and ``from_json(data)``. The till's outbox stores
``to_json()``, its worker sends the stored payload unchanged, and the server decodes it with
``parse`` - the same definitions on both sides (tests/sync/test_operation_contract.py). The
list of kinds and fields in docs/api.md is generated from here (``scripts/operation_docs.py``).
"""

from __future__ import annotations

from typing import Any

from pos_app.domain.operations.codec import (
    MAX_AMOUNT,
    MAX_QUANTITY,
    ErrorDetail,
    Operation,
    OperationInvalid,
    Record,
    UnknownKind,
)
from pos_app.domain.operations.guest_card import (
    ACCOUNT_ADJUSTED,
    GUEST_CONTACTS_SET,
    GUEST_LOYALTY_SET,
    GUEST_UPDATED,
    IDENTIFIER_BLOCKED,
    IDENTIFIER_REPLACED,
    AccountAdjusted,
    ContactEntry,
    GuestContactsSet,
    GuestLoyaltySet,
    GuestUpdated,
    IdentifierBlocked,
    IdentifierReplaced,
)
from pos_app.domain.operations.guests import (
    GUEST_CREATED,
    IDENTIFIER_BOUND,
    GuestCreated,
    IdentifierBound,
)
from pos_app.domain.operations.holds import (
    BALANCE_TOPPED_UP,
    HOLD_COMMITTED,
    HOLD_KINDS,
    HOLD_PLACED,
    HOLD_RELEASED,
    BalanceToppedUp,
    HoldCommitted,
    HoldPlaced,
    HoldReleased,
)
from pos_app.domain.operations.orders import (
    ORDER_ACCEPTED,
    ORDER_CANCELLED,
    ORDER_COMPLETED,
    ORDER_ITEM_DELIVERED,
    ORDER_PAID,
    ORDER_VOIDED,
    OrderAccepted,
    OrderCancelled,
    OrderCompleted,
    OrderItemDelivered,
    OrderPaid,
    OrderVoided,
)
from pos_app.domain.operations.promo import (
    PROMO_ISSUED,
    PROMO_REDEEMED,
    PromoIssued,
    PromoRedeemed,
)
from pos_app.domain.operations.sales import (
    SALE_CANCELLED,
    SALE_CLOSED,
    SALE_REFUNDED,
    Approval,
    GroupScope,
    LoyaltyOverride,
    OrderDiscount,
    RefundedItem,
    RefundedPayment,
    SaleCancelled,
    SaleClosed,
    SaleGroup,
    SaleGuest,
    SaleLine,
    SalePayment,
    SaleRefunded,
    SaleTotals,
)
from pos_app.domain.operations.shifts import (
    SHIFT_CLOSED,
    SHIFT_OPENED,
    CashMove,
    ShiftClosed,
    ShiftOpened,
)

OPERATIONS: dict[str, type[Operation]] = {
    cls.KIND: cls
    for cls in (
        SaleClosed, SaleCancelled, SaleRefunded,
        GuestCreated, IdentifierBound,
        GuestUpdated, GuestContactsSet, GuestLoyaltySet, IdentifierBlocked, IdentifierReplaced,
        AccountAdjusted,
        HoldPlaced, HoldCommitted, HoldReleased, BalanceToppedUp,
        OrderAccepted, OrderCancelled, OrderVoided, OrderCompleted, OrderItemDelivered, OrderPaid,
        ShiftOpened, ShiftClosed,
        PromoIssued, PromoRedeemed,
    )
}  # fmt: skip


def parse(kind: str, payload: Any) -> Operation:
    """The operation ``payload`` describes; ``UnknownKind`` for a kind not defined here,
    ``OperationInvalid`` (with every problem) for a payload not of its kind's shape."""
    cls = OPERATIONS.get(kind)
    if cls is None:
        raise UnknownKind(kind)
    return cls.from_json(payload)


__all__ = [
    "ACCOUNT_ADJUSTED",
    "BALANCE_TOPPED_UP",
    "GUEST_CONTACTS_SET",
    "GUEST_CREATED",
    "GUEST_LOYALTY_SET",
    "GUEST_UPDATED",
    "HOLD_COMMITTED",
    "HOLD_KINDS",
    "HOLD_PLACED",
    "HOLD_RELEASED",
    "IDENTIFIER_BLOCKED",
    "IDENTIFIER_BOUND",
    "IDENTIFIER_REPLACED",
    "MAX_AMOUNT",
    "MAX_QUANTITY",
    "OPERATIONS",
    "ORDER_ACCEPTED",
    "ORDER_CANCELLED",
    "ORDER_COMPLETED",
    "ORDER_ITEM_DELIVERED",
    "ORDER_PAID",
    "ORDER_VOIDED",
    "PROMO_ISSUED",
    "PROMO_REDEEMED",
    "SALE_CANCELLED",
    "SALE_CLOSED",
    "SALE_REFUNDED",
    "SHIFT_CLOSED",
    "SHIFT_OPENED",
    "AccountAdjusted",
    "Approval",
    "BalanceToppedUp",
    "CashMove",
    "ContactEntry",
    "ErrorDetail",
    "GroupScope",
    "GuestContactsSet",
    "GuestCreated",
    "GuestLoyaltySet",
    "GuestUpdated",
    "HoldCommitted",
    "HoldPlaced",
    "HoldReleased",
    "IdentifierBlocked",
    "IdentifierBound",
    "IdentifierReplaced",
    "LoyaltyOverride",
    "Operation",
    "OperationInvalid",
    "OrderAccepted",
    "OrderCancelled",
    "OrderCompleted",
    "OrderDiscount",
    "OrderItemDelivered",
    "OrderPaid",
    "OrderVoided",
    "PromoIssued",
    "PromoRedeemed",
    "Record",
    "RefundedItem",
    "RefundedPayment",
    "SaleCancelled",
    "SaleClosed",
    "SaleGroup",
    "SaleGuest",
    "SaleLine",
    "SalePayment",
    "SaleRefunded",
    "SaleTotals",
    "ShiftClosed",
    "ShiftOpened",
    "UnknownKind",
    "parse",
]
