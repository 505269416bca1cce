"""The ``sale.closed`` / ``sale.cancelled`` operations of a sale, built from the aggregate.

The shape is defined once in ``pos_app.domain.operations.sales`` (docs/api.md lists its
fields): the full record of the sale - guest, group, lines with their product group, tags and
subtotal, payments with cash tendered and change, totals - so the server can recompute the
sale with the same pricing engine (``pos_app.domain.pricing``) and the till's reports read it
back. The end of a sale (``sale_closing._end``) adds ``offline`` and ``loyalty_override``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pos_app.domain.operations import (
    SALE_CANCELLED,
    SALE_CLOSED,
    GroupScope,
    LoyaltyOverride,
    OrderDiscount,
    SaleCancelled,
    SaleClosed,
    SaleGroup,
    SaleGuest,
    SaleLine,
    SalePayment,
    SaleTotals,
)
from pos_app.domain.sale import Sale

__all__ = ["SALE_CANCELLED", "SALE_CLOSED", "sale_cancelled", "sale_closed"]

# the end adds; ``order_id`` (the guest order a sale pays) only to sale.closed
END_FIELDS = frozenset({"offline", "loyalty_override", "catalogue_version", "order_id"})


def _record(sale: Sale, extra: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(extra) - END_FIELDS
    if unknown:
        raise ValueError(f"the sale's end added fields the operation does not have: {unknown}")
    guest = sale.guest
    group = guest.group if guest else None
    totals = sale.totals
    override = extra.get("loyalty_override")
    return {
        "sale_id": sale.id,
        "terminal_id": sale.terminal_id,
        "opened_at": sale.opened_at,
        "guest": None if guest is None else SaleGuest(
            guest_id=guest.guest_id, name=guest.name, identified_by=guest.identified_by),
        "group": None if group is None else SaleGroup(
            group_id=group.group_id, name=group.name, discount_bp=group.discount.bp,
            scope=GroupScope(product_group_ids=tuple(sorted(group.scope.product_group_ids)),
                             product_ids=tuple(sorted(group.scope.product_ids)),
                             tags=tuple(sorted(group.scope.tags)))),
        "lines": tuple(
            SaleLine(line_no=line.line_no, product_id=line.product.id, name=line.product.name,
                     product_group_id=line.product.group_id, tags=tuple(sorted(line.product.tags)),
                     quantity=line.quantity, unit_price=line.unit_price,
                     subtotal=line.subtotal, discount=line.discount, total=line.total,
                     list_price=line.product.price)
            for line in sale.lines
        ),
        "payments": tuple(
            SalePayment(method=p.method.value, amount=p.amount, tendered=p.tendered,
                        change=p.change, at=p.at, hold_id=p.hold_id or None)
            for p in sale.payments
        ),
        "totals": SaleTotals(subtotal=totals.subtotal, discount=totals.discount,
                             total=totals.total, paid=sale.paid, change=sale.change),
        "offline": bool(extra.get("offline", False)),
        "order_discount": None if sale.order_discount is None else OrderDiscount(
            percent_bp=sale.order_discount.percent.bp, reason=sale.order_discount.reason),
        "catalogue_version": extra.get("catalogue_version"),
        "loyalty_override": None if not override else LoyaltyOverride.from_json(override),
    }  # fmt: skip


def sale_closed(sale: Sale, extra: Mapping[str, Any] | None = None) -> SaleClosed:
    """``sale.closed`` for a sale just closed; ``extra``: the marks of its end (``offline``,
    ``loyalty_override``, ``order_id``)."""
    assert sale.ended_at is not None and sale.receipt_no is not None
    marks = extra or {}
    return SaleClosed(**_record(sale, marks), receipt_no=sale.receipt_no,
                      closed_at=sale.ended_at, order_id=marks.get("order_id"))  # fmt: skip


def sale_cancelled(sale: Sale, refund: int, extra: Mapping[str, Any] | None = None
                   ) -> SaleCancelled:  # fmt: skip
    """``sale.cancelled``: ``refund`` is the money taken before the cancel, handed back."""
    assert sale.ended_at is not None
    return SaleCancelled(**_record(sale, extra or {}), cancelled_at=sale.ended_at,
                         refund=refund)  # fmt: skip
