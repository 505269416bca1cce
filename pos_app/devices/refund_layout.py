"""The refund receipt: the sale's receipt template (``pos_app/resources/receipts/``) headed
"ВОЗВРАТ", with the lines and units given back, what went back by each way of payment, and the
drawer kicked open when cash is handed back."""

from __future__ import annotations

from datetime import datetime

from pos_app.devices.layout import PAYMENT_NAMES
from pos_app.devices.receipt import ReceiptData, ReceiptLine, ReceiptPayment
from pos_app.domain.venue_clock import DEFAULT_SHOP_TIMEZONE
from pos_app.services.refunds import RefundReceipt

REFUND_LABEL = "ВОЗВРАТ"
REFUND_CLOSING = "Возврат оформлен. Сохраните этот чек."  # not the sale's "thank you"


def refund_receipt_for(
    refund: RefundReceipt, *, venue_name: str, cashier: str = "",
    printed_at: datetime | None = None, timezone: str = DEFAULT_SHOP_TIMEZONE,
) -> ReceiptData:  # fmt: skip
    lines = tuple(ReceiptLine(name=x.name, quantity=x.quantity, unit_price=x.unit_price,
                              total=x.amount) for x in refund.lines)  # fmt: skip
    return ReceiptData(
        number=refund.receipt_no,
        printed_at=printed_at or refund.at,
        venue_name=venue_name,
        lines=lines,
        total=refund.total,
        payments=tuple(ReceiptPayment(PAYMENT_NAMES.get(m, m), a) for m, a in refund.payments),
        cashier=cashier,
        guest_name=refund.guest_name,
        footer=f"Причина: {refund.reason}" if refund.reason else "",
        copy_label=REFUND_LABEL,
        closing=REFUND_CLOSING,
        kick_drawer=refund.cash > 0,
        timezone=timezone,
    )
