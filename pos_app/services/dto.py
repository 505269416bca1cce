"""Plain, frozen results the UI gets from the use cases (never ORM rows or live aggregates)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pos_app.domain.sale import Payment, Sale


@dataclass(frozen=True, slots=True)
class LineView:
    line_no: int
    product_id: str
    name: str
    quantity: int
    unit_price: int
    subtotal: int
    discount: int
    total: int
    minutes: int | None = None  # a time package's minutes (issue 18 point 6)
    parts: tuple[tuple[str, int], ...] = ()  # a bundle's parts: (name, quantity per bundle)


@dataclass(frozen=True, slots=True)
class PaymentView:
    method: str
    amount: int
    tendered: int
    change: int
    at: datetime


@dataclass(frozen=True, slots=True)
class GroupView:
    group_id: str
    name: str
    discount_bp: int


@dataclass(frozen=True, slots=True)
class GuestView:
    guest_id: str
    name: str
    group: GroupView | None
    phones: tuple[str, ...] = ()
    bonus_available: int | None = None  # kopecks (1 point = 1 rouble), last known snapshot
    balance: int | None = None


@dataclass(frozen=True, slots=True)
class SaleView:
    sale_id: str
    status: str
    receipt_no: str | None
    opened_at: datetime
    ended_at: datetime | None
    lines: tuple[LineView, ...]
    guest: GuestView | None
    payments: tuple[PaymentView, ...]
    subtotal: int
    discount: int
    total: int
    paid: int
    due: int
    change: int

    @classmethod
    def of(cls, sale: Sale, guest: GuestView | None = None) -> SaleView:
        totals = sale.totals
        if guest is None and sale.guest is not None:
            group = sale.guest.group
            guest = GuestView(
                sale.guest.guest_id,
                sale.guest.name,
                GroupView(group.group_id, group.name, group.discount.bp) if group else None,
            )
        return cls(
            sale_id=sale.id,
            status=sale.status.value,
            receipt_no=sale.receipt_no,
            opened_at=sale.opened_at,
            ended_at=sale.ended_at,
            lines=tuple(
                LineView(
                    line.line_no,
                    line.product.id,
                    line.product.name,
                    line.quantity,
                    line.unit_price,
                    line.subtotal,
                    line.discount,
                    line.total,
                    line.product.minutes,
                    tuple((part.name, part.quantity) for part in line.product.components),
                )
                for line in sale.lines
            ),
            guest=guest,
            payments=tuple(_payment_view(p) for p in sale.payments),
            subtotal=totals.subtotal,
            discount=totals.discount,
            total=totals.total,
            paid=sale.paid,
            due=sale.due,
            change=sale.change,
        )


def _payment_view(payment: Payment) -> PaymentView:
    return PaymentView(
        payment.method.value, payment.amount, payment.tendered, payment.change, payment.at
    )


@dataclass(frozen=True, slots=True)
class CancelResult:
    refund: int  # money taken before the cancel, to hand back
    sale: SaleView
