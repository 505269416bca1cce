"""The operator's actions on a guest order (seed 001), judged by ``pos_app.domain.orders``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from pos_app.domain.operations.codec import Choice, Operation, Optional, Str, spec
from pos_app.domain.orders import PaymentMethod

ORDER_ACCEPTED = "order.accepted"
ORDER_CANCELLED = "order.cancelled"
ORDER_VOIDED = "order.voided"
ORDER_COMPLETED = "order.completed"
ORDER_ITEM_DELIVERED = "order.item_delivered"
ORDER_PAID = "order.paid"


ORDER_ID = Str(1, 64, strip=True, printable=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class _OrderAction(Operation):
    order_id: str = spec(ORDER_ID)


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderAccepted(_OrderAction):
    KIND: ClassVar[str] = ORDER_ACCEPTED


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderCancelled(_OrderAction):
    KIND: ClassVar[str] = ORDER_CANCELLED


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderVoided(_OrderAction):
    KIND: ClassVar[str] = ORDER_VOIDED


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderCompleted(_OrderAction):
    KIND: ClassVar[str] = ORDER_COMPLETED


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderItemDelivered(_OrderAction):
    KIND: ClassVar[str] = ORDER_ITEM_DELIVERED
    line_id: str = spec(Str(1, 16, strip=True, printable=True))


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderPaid(_OrderAction):
    """The operator may change the payment method when recording the payment."""

    KIND: ClassVar[str] = ORDER_PAID
    method: PaymentMethod | None = spec(Optional(Choice(PaymentMethod)), None)
