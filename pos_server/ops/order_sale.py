"""A till sale that pays a guest order (issue 20 point 2): ``sale.closed`` with ``order_id``.

The sale is the payment: its receipt, shift, card slip, points holds, balance posting and
accrual are the sale's own (``sale_effects``). Here the order is marked paid by it
(``pos_app.domain.orders.settle_by_sale``: nothing posted, the order's accrual left to the
sale; its own points hold released unless the sale spent it, below), in the sale's transaction.

An order holding the guest's points (seed 001 "P add to order", or paying in points) is paid
at the till with those very points: the sale's points payment names the order's hold, and
``commit_order_hold`` commits it - here, in ``sale.closed``, before the sale's hold checks
(``sale_effects._hold_mismatch``) - for what the sale claims from it. The till sends no
``hold.committed`` for it (the hold is not the till's; ``hold_kinds`` lets only the placing
terminal end a hold), so it is committed exactly once, by the sale that pays the order; a replay
of the operation is answered from its stored verdict. The order is then marked paid without
releasing that hold. A hold that already ended (the order voided, cancelled or paid meanwhile)
is left alone and the sale is refused by the hold checks like any unbacked points payment.

The sale already happened - the till took the money - so nothing here refuses it. What does
not fit becomes a reconciliation item for a manager, beside the sale's pricing findings: the
order unknown (``order_unknown``), no longer payable (``order_not_payable``: voided, cancelled
or paid meanwhile by another console; the money is to be given back), the sale's guest not the
order's (``order_guest_differs``), or its total not the order's (``order_total_differs``,
amount = the sale's total minus the order's; the order is still marked paid by the sale).
"""

from __future__ import annotations

from functools import partial

from pos_app.domain.bonus import HoldStatus
from pos_app.domain.operations import SaleClosed
from pos_app.domain.orders import IllegalOrderAction, OrderState, settle_by_sale
from pos_server.ops.sale_review import Finding
from pos_server.orders.service import act_on_order
from pos_server.uow import UnitOfWork

MONEY = ("cash", "card", "balance")


def commit_order_hold(uow: UnitOfWork, sale: SaleClosed) -> int:
    """Commit the paid order's own points hold as the sale's points payment; returns the points
    the sale pays from it (0: the sale names no hold of an order still waiting for payment).
    The order must be accepted and the sale's guest its guest; the commit is at most the hold."""
    hold_id, claimed = _order_hold_claim(uow, sale)
    if hold_id is None or claimed == 0:
        return 0
    account = uow.accounts.points_of_hold(hold_id)
    if account is None or account.holds[hold_id].status is not HoldStatus.OPEN:
        return claimed  # ended already: the hold checks refuse the payment, or it is a replay
    hold = account.holds[hold_id]
    account.commit_hold(hold_id, min(claimed, hold.amount), now=uow.now,
                        actor=f"terminal:{uow.terminal_id}", terminal_id=uow.terminal_id,
                        reason=f"order {sale.order_id} paid by sale {sale.sale_id}")  # fmt: skip
    uow.accounts.save(account)
    return claimed


def _order_hold_claim(uow: UnitOfWork, sale: SaleClosed) -> tuple[str | None, int]:
    """(the order's hold, the points the sale's payments claim from it) for a sale that pays
    an accepted order of its guest holding points; (None, 0) otherwise."""
    if sale.order_id is None or sale.guest_id is None:
        return None, 0
    stored = uow.orders.get(sale.order_id)
    if stored is None or stored.row.guest_id != sale.guest_id:
        return None, 0
    hold_id = stored.row.points_hold_id
    if hold_id is None or stored.row.state != OrderState.ACCEPTED.value:
        return None, 0
    return hold_id, sum(p.amount for p in sale.payments
                        if p.method == "points" and p.hold_id == hold_id)  # fmt: skip


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
    spent = {p.hold_id for p in sale.payments if p.method == "points" and p.hold_id}
    own = stored.row.points_hold_id if stored.row.points_hold_id in spent else None
    step = partial(settle_by_sale, sale_id=sale.sale_id, money=sale.paid(*MONEY),
                   points=sale.paid("points"), spent_hold=own)  # fmt: skip
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
