"""Outbox operation kinds written by the sale use cases, and their payloads.

Payloads are JSON objects; money is int kopecks, percentages int basis points, times ISO-8601
UTC strings. The server recomputes a sale from ``lines`` and ``group`` with the same pricing
engine (``pos_app.domain.pricing``) and flags any difference.

``sale.closed`` - a paid sale, written in the transaction that closes it::

    {"sale_id": str, "terminal_id": str, "receipt_no": "T1-000042",
     "opened_at": iso, "closed_at": iso,
     "guest": null | {"guest_id": str, "name": str,
                      "identified_by": "msr"|"barcode"|"manual"|"phone"},
     "group": null | {"group_id": str, "name": str, "discount_bp": int,
                      "scope": {"product_group_ids": [str], "product_ids": [str], "tags": [str]}},
     "lines": [{"line_no": int, "product_id": str, "name": str, "product_group_id": str|null,
                "tags": [str], "quantity": int, "unit_price": int, "subtotal": int,
                "discount": int, "total": int}],
     "payments": [{"method": "cash"|"card"|"balance"|"points", "amount": int,
                   "tendered": int, "change": int, "at": iso,
                   "hold_id": str (points only: the hold committed just before)}],
     "totals": {"subtotal": int, "discount": int, "total": int, "paid": int, "change": int}}

``sale.cancelled`` - the same shape with ``"cancelled_at"`` instead of ``"closed_at"``, no
``receipt_no`` and ``"refund": int`` (cash taken before the cancel, handed back); kept for the
manager's audit of voided baskets.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pos_app.domain.sale import Sale

SALE_CLOSED = "sale.closed"
SALE_CANCELLED = "sale.cancelled"


def iso(at: datetime) -> str:
    return at.isoformat()


def _guest_and_group(sale: Sale) -> dict[str, Any]:
    guest = sale.guest
    group = guest.group if guest else None
    return {
        "guest": None
        if guest is None
        else {"guest_id": guest.guest_id, "name": guest.name, "identified_by": guest.identified_by},
        "group": None
        if group is None
        else {
            "group_id": group.group_id,
            "name": group.name,
            "discount_bp": group.discount.bp,
            "scope": {
                "product_group_ids": sorted(group.scope.product_group_ids),
                "product_ids": sorted(group.scope.product_ids),
                "tags": sorted(group.scope.tags),
            },
        },
    }


def sale_payload(sale: Sale) -> dict[str, Any]:
    """The full record of a sale for ``sale.closed`` / ``sale.cancelled`` (shape above)."""
    totals = sale.totals
    payload: dict[str, Any] = {
        "sale_id": sale.id,
        "terminal_id": sale.terminal_id,
        "opened_at": iso(sale.opened_at),
        **_guest_and_group(sale),
        "lines": [
            {
                "line_no": line.line_no,
                "product_id": line.product.id,
                "name": line.product.name,
                "product_group_id": line.product.group_id,
                "tags": sorted(line.product.tags),
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "subtotal": line.subtotal,
                "discount": line.discount,
                "total": line.total,
            }
            for line in sale.lines
        ],
        "payments": [
            {
                "method": p.method.value,
                "amount": p.amount,
                "tendered": p.tendered,
                "change": p.change,
                "at": iso(p.at),
                **({"hold_id": p.hold_id} if p.hold_id else {}),
            }
            for p in sale.payments
        ],
        "totals": {
            "subtotal": totals.subtotal,
            "discount": totals.discount,
            "total": totals.total,
            "paid": sale.paid,
            "change": sale.change,
        },
    }
    return payload


def sale_closed_payload(sale: Sale) -> dict[str, Any]:
    assert sale.ended_at is not None and sale.receipt_no is not None
    return {**sale_payload(sale), "receipt_no": sale.receipt_no, "closed_at": iso(sale.ended_at)}


def sale_cancelled_payload(sale: Sale, refund: int) -> dict[str, Any]:
    assert sale.ended_at is not None
    return {**sale_payload(sale), "cancelled_at": iso(sale.ended_at), "refund": refund}
