"""order.accepted / cancelled / voided / item_delivered / paid / completed: the operator
workflow of seed 001, judged by the state machine in ``pos_app.domain.orders``.

An action the order's state does not allow (a second console acting on a stale screen) is a
``conflict`` carrying the order as it is now; the first console's action stands.
"""

from __future__ import annotations

from functools import partial

from pos_app.domain import orders
from pos_app.domain.errors import DomainError
from pos_app.domain.operations import (
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
from pos_server.ops.kinds import Handler, OpContext, broken_rule
from pos_server.ops.verdicts import APPLIED, Verdict, conflict, rejected
from pos_server.orders import Step, act_on_order, load_order

STALE = (orders.IllegalOrderAction, orders.LineAlreadyDelivered)
OrderRef = OrderAccepted | OrderCancelled | OrderVoided | OrderCompleted  # the order only


def _act(ctx: OpContext, order_id: str, step: Step, event: str) -> Verdict:
    stored = load_order(ctx.session, order_id)
    if stored is None:
        return rejected("unknown_order", f"Order {order_id} is not known to the server.")
    try:
        act_on_order(ctx.session, stored, step, event, terminal_id=ctx.terminal_id, now=ctx.now)
    except STALE as error:
        return conflict(error.code, error.message, stored.state())
    except DomainError as error:
        return broken_rule(error)
    return APPLIED


def _simple(step: Step, event: str) -> Handler:
    def handler(ctx: OpContext, ref: OrderRef) -> Verdict:
        return _act(ctx, ref.order_id, step, event)

    return handler


def item_delivered(ctx: OpContext, item: OrderItemDelivered) -> Verdict:
    return _act(ctx, item.order_id, partial(orders.deliver, line_id=item.line_id),
                "item_delivered")


def paid(ctx: OpContext, payment: OrderPaid) -> Verdict:
    return _act(ctx, payment.order_id, partial(orders.pay, method=payment.method), "paid")


ORDER_HANDLERS: dict[str, Handler] = {
    ORDER_ACCEPTED: _simple(orders.accept, "accepted"),
    ORDER_CANCELLED: _simple(orders.cancel, "cancelled"),
    ORDER_VOIDED: _simple(orders.void, "voided"),
    ORDER_COMPLETED: _simple(orders.complete, "completed"),
    ORDER_ITEM_DELIVERED: item_delivered,
    ORDER_PAID: paid,
}
