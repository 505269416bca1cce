"""The print layout of the till (``services.ports_print.PrintLayout``) for an ESC/POS printer.

A closed sale (the services' plain ``SaleView``) becomes the receipt template's ``ReceiptData``
(``receipt_for``), is laid out for the printer's columns (``receipt.render_receipt``) and
encoded for its profile; a report is its lines, a feed and a cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

from pos_app.devices.escpos_printer import EscposPrinter
from pos_app.devices.print_document import Cut, DrawerKick, Feed, Text
from pos_app.devices.receipt import (
    ReceiptData,
    ReceiptDiscount,
    ReceiptLine,
    ReceiptPayment,
    render_receipt,
)
from pos_app.domain.venue_clock import DEFAULT_SHOP_TIMEZONE
from pos_app.services.dto import PaymentView, SaleView
from pos_app.services.programme_settings import VenueDetails
from pos_app.services.receipt_points import ReceiptPoints

PAYMENT_NAMES = {"cash": "Наличные", "card": "Карта", "balance": "Депозит", "points": "Баллы"}


class EscposLayout:
    """Receipts and reports laid out for one printer (its profile's columns and code page)."""

    def __init__(self, printer: EscposPrinter) -> None:
        self.printer = printer

    def sale_receipt(
        self, sale: SaleView, *, venue_name: str, cashier: str = "",
        printed_at: datetime | None = None, timezone: str = DEFAULT_SHOP_TIMEZONE,
        points: ReceiptPoints | None = None, subscribe_link: str | None = None,
        order_number: str = "", venue: VenueDetails | None = None,
    ) -> bytes:  # fmt: skip
        data = receipt_for(sale, venue_name=venue_name, cashier=cashier, printed_at=printed_at,
                           timezone=timezone, points=points, order_number=order_number,
                           venue=venue)  # fmt: skip
        if subscribe_link:
            data = replace(data, subscribe_link=subscribe_link)
        return self.receipt(data)

    def receipt(self, receipt: ReceiptData) -> bytes:
        return self.printer.render(render_receipt(receipt, self.printer.profile.columns))

    def report(self, lines: Sequence[str], *, kick_drawer: bool = False) -> bytes:
        """Plain lines; ``kick_drawer``: the cash drawer opens (a cash top-up or its refund)."""
        drawer = [DrawerKick()] if kick_drawer else []
        return self.printer.render([*(Text(line) for line in lines), Feed(3), Cut(), *drawer])


def receipt_for(
    sale: SaleView, *, venue_name: str, cashier: str = "", printed_at: datetime | None = None,
    timezone: str = DEFAULT_SHOP_TIMEZONE, points: ReceiptPoints | None = None,
    order_number: str = "",
    venue: VenueDetails | None = None,
) -> ReceiptData:  # fmt: skip
    """``timezone``: the shop's (``services/venue_time.py``), for the printed time;
    ``points``: the guest's points of this sale (``services/receipt_points.py``);
    ``order_number``: the guest order the sale pays (``services/order_checkout.py``). A method paid
    in several parts (cash handed over twice) is one payment line; the cash handed over and
    the change are their own lines. ``venue``: the address, tax number, header and footer
    the back office set (``services/programme_settings.py``)."""
    venue = venue or VenueDetails()
    lines = tuple(
        ReceiptLine(
            name=line_title(line.name, line.minutes),
            quantity=line.quantity,
            unit_price=line.unit_price,
            total=line.subtotal,  # the discount is printed on its own line below
            discount=line.discount,
            details=tuple(f"  - {name} x {qty}" for name, qty in line.parts),
        )
        for line in sale.lines
    )
    discounts: tuple[ReceiptDiscount, ...] = ()
    if sale.discount and sale.guest is not None and sale.guest.group is not None:
        discounts = (ReceiptDiscount(sale.guest.group.name, sale.discount),)
    payments = tuple(
        ReceiptPayment(PAYMENT_NAMES.get(method, method), amount)
        for method, amount in by_method(sale.payments).items()
    )
    cash = [p for p in sale.payments if p.method == "cash"]
    spent = sum(p.amount for p in sale.payments if p.method == "points")
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
        tendered=sum(p.tendered for p in cash),
        change=sale.change,
        points_spent=points.spent if points else spent,
        points_earned=points.earned if points else 0,
        points_balance=points.balance_after if points else None,
        venue_address=venue.address,
        tax_id=venue.tax_number,
        header=venue.header,
        footer=venue.footer,
        cashier=cashier,
        guest_name=sale.guest.name if sale.guest else "",
        qr=f"receipt:{sale.receipt_no or sale.sale_id}",
        kick_drawer=any(p.method == "cash" for p in sale.payments),
        timezone=timezone,
        order_number=order_number,
    )


def line_title(name: str, minutes: int | None) -> str:
    """A time package shows the minutes it buys after its name ("Game time, 60 мин")."""
    return name if minutes is None else f"{name}, {minutes} мин"


def by_method(payments: Sequence[PaymentView]) -> dict[str, int]:
    """The amount paid by each method, in the order the methods were first used."""
    totals: dict[str, int] = {}
    for payment in payments:
        totals[payment.method] = totals.get(payment.method, 0) + payment.amount
    return totals
