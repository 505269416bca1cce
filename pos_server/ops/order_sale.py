"""A till sale that pays a guest order (issue 20 point 2): ``sale.closed`` with ``order_id``.

The sale is the payment: its receipt, shift, card slip, points holds, balance posting and
accrual are the sale's own (``sale_effects``). Here the order is marked paid by it
(``pos_app.domain.orders.settle_by_sale``: its own points hold released, nothing posted, the
order's accrual left to the sale), in the sale's transaction.

The sale already happened - the till took the money - so nothing here refuses it. What does
not fit becomes a reconciliation item for a manager, beside the sale's pricing findings: the
order unknown (``order_unknown``), no longer payable (``order_not_payable``: voided, cancelled
or paid meanwhile by another console; the money is to be given back), the sale's guest not the
order's (``order_guest_differs``), or its total not the order's (``order_total_differs``,
amount = the sale's total minus the order's; the order is still marked paid by the sale).
"""

from __future__ import annotations

from functools import partial

from pos_app.domain.operations import SaleClosed
from pos_app.domain.orders import IllegalOrderAction, settle_by_sale
from pos_server.ops.sale_review import Finding
from pos_server.orders.service import act_on_order
from pos_server.uow import UnitOfWork

MONEY = ("cash", "card", "balance")


def pay_order_by_sale(uow: UnitOfWork, sale: SaleClosed) -> list[Finding]:
    """Mark ``sale.order_id`` paid by the sale; the findings a manager should look at."""
    order_id = sale.order_id
    assert order_id is not None
    stored = uow.orders.get(order_id)
    if stored is None:
        return [Finding("order_unknown", sale.total,
                        f"Sale {sale.sale_id} names order {order_id}, which the server does "
                        "not know.", {"order_id": order_id})]  # fmt: skip
    if sale.guest_id != stored.row.guest_id:
        return [Finding("order_guest_differs", sale.total,
                        f"Sale {sale.sale_id} is for guest {sale.guest_id}, order "
                        f"{order_id} for guest {stored.row.guest_id}: the order was not marked "
                        "paid.", {"order_id": order_id})]  # fmt: skip
    total = stored.row.total
    step = partial(settle_by_sale, sale_id=sale.sale_id, money=sale.paid(*MONEY),
                   points=sale.paid("points"))  # fmt: skip
    try:
        act_on_order(uow, stored, step, "paid")
    except IllegalOrderAction:
        return [Finding("order_not_payable", sale.total,
                        f"Sale {sale.sale_id} paid order {stored.row.number or order_id}, which "
                        f"was already {stored.row.state}: give the money back or settle it by "
                        "hand.", {"order_id": order_id, "state": stored.row.state})]  # fmt: skip
    if sale.total != total:
        return [Finding("order_total_differs", sale.total - total,
                        f"Sale {sale.sale_id} came to {sale.total}, order "
                        f"{stored.row.number or order_id} to {total} kopecks.",
                        {"order_id": order_id})]  # fmt: skip
    return []
