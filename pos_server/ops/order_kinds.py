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
from pos_server.ops.kinds import Handler, broken_rule
from pos_server.ops.verdicts import APPLIED, Verdict, conflict, rejected
from pos_server.orders.service import Step, act_on_order
from pos_server.uow import UnitOfWork

STALE = (orders.IllegalOrderAction, orders.LineAlreadyDelivered)
OrderRef = OrderAccepted | OrderCancelled | OrderVoided | OrderCompleted  # the order only


def _act(uow: UnitOfWork, order_id: str, step: Step, event: str) -> Verdict:
    stored = uow.orders.get(order_id)
    if stored is None:
        return rejected("unknown_order", f"Order {order_id} is not known to the server.")
    try:
        act_on_order(uow, stored, step, event)
    except STALE as error:
        return conflict(error.code, error.message, stored.state())
    except DomainError as error:
        return broken_rule(error)
    return APPLIED


def _simple(step: Step, event: str) -> Handler:
    def handler(ref: OrderRef, uow: UnitOfWork) -> Verdict:
        return _act(uow, ref.order_id, step, event)

    return handler


def item_delivered(item: OrderItemDelivered, uow: UnitOfWork) -> Verdict:
    return _act(uow, item.order_id, partial(orders.deliver, line_id=item.line_id),
                "item_delivered")


def paid(payment: OrderPaid, uow: UnitOfWork) -> Verdict:
    return _act(uow, payment.order_id, partial(orders.pay, method=payment.method), "paid")


ORDER_HANDLERS: dict[str, Handler] = {
    ORDER_ACCEPTED: _simple(orders.accept, "accepted"),
    ORDER_CANCELLED: _simple(orders.cancel, "cancelled"),
    ORDER_VOIDED: _simple(orders.void, "voided"),
    ORDER_COMPLETED: _simple(orders.complete, "completed"),
    ORDER_ITEM_DELIVERED: item_delivered,
    ORDER_PAID: paid,
}
