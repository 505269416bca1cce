"""A closed sale as the receipt printer sees it.

Services return plain ``SaleView``s and devices print plain ``ReceiptData``; this mapping
sits above both (adapters never import each other).
"""

from __future__ import annotations

from datetime import UTC, datetime

from pos_app.devices.receipt import ReceiptData, ReceiptDiscount, ReceiptLine, ReceiptPayment
from pos_app.domain.venue_clock import DEFAULT_SHOP_TIMEZONE
from pos_app.services.dto import SaleView

PAYMENT_NAMES = {"cash": "Наличные", "card": "Карта", "balance": "Депозит", "points": "Баллы"}


def receipt_for(
    sale: SaleView, *, venue_name: str, cashier: str = "", printed_at: datetime | None = None,
    timezone: str = DEFAULT_SHOP_TIMEZONE,
) -> ReceiptData:  # fmt: skip
    """``timezone``: the shop's (``services/venue_time.py``), for the printed time."""
    lines = tuple(
        ReceiptLine(
            name=line.name,
            quantity=line.quantity,
            unit_price=line.unit_price,
            total=line.subtotal,  # the discount is printed on its own line below
            discount=line.discount,
        )
        for line in sale.lines
    )
    discounts: tuple[ReceiptDiscount, ...] = ()
    if sale.discount and sale.guest is not None and sale.guest.group is not None:
        discounts = (ReceiptDiscount(sale.guest.group.name, sale.discount),)
    payments = tuple(
        ReceiptPayment(PAYMENT_NAMES.get(p.method, p.method), p.amount) for p in sale.payments
    )
    return ReceiptData(
        number=sale.receipt_no or sale.sale_id,
        printed_at=printed_at or datetime.now(UTC),
        venue_name=venue_name,
        lines=lines,
        total=sale.total,
        subtotal=sale.subtotal,
        discount_total=sale.discount,
        discounts=discounts,
        payments=payments,
        change=sale.change,
        cashier=cashier,
        guest_name=sale.guest.name if sale.guest else "",
        qr=f"receipt:{sale.receipt_no or sale.sale_id}",
        kick_drawer=any(p.method == "cash" for p in sale.payments),
        timezone=timezone,
    )
