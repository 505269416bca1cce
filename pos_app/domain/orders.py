"""Guest orders and the operator workflow (seed 001) as a pure state machine.

``new -> accepted -> paid -> completed``, plus ``cancelled`` (only before accept) and
``voided`` (only after accept). Items are delivered one by one after accept; *complete* may be
pressed at any time (seed 001): on a new order it accepts it first (the invoice is created), and
it marks everything delivered; an unpaid completed order leaves
a debt. Every transition returns the new order and the effects the services must apply
(invoice, payment, debt, points hold), so nothing is applied twice: a second console acting on
a stale order gets :class:`IllegalOrderAction` naming the state the order is really in.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from pos_app.domain.errors import DomainError
from pos_app.domain.money import require_amount


class OrderState(StrEnum):
    NEW = "new"
    ACCEPTED = "accepted"
    PAID = "paid"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    VOIDED = "voided"


class OrderAction(StrEnum):
    ACCEPT = "accept"
    CANCEL = "cancel"
    DELIVER = "deliver"
    PAY = "pay"
    COMPLETE = "complete"
    VOID = "void"


class PaymentMethod(StrEnum):
    CASH = "cash"
    CARD = "card"
    BALANCE = "balance"
    POINTS = "points"


TERMINAL_STATES = frozenset({OrderState.COMPLETED, OrderState.CANCELLED, OrderState.VOIDED})
_OPEN = frozenset({OrderState.ACCEPTED, OrderState.PAID})
_ALLOWED_FROM: dict[OrderAction, frozenset[OrderState]] = {
    OrderAction.ACCEPT: frozenset({OrderState.NEW}),
    OrderAction.CANCEL: frozenset({OrderState.NEW}),
    OrderAction.DELIVER: _OPEN,
    OrderAction.PAY: frozenset({OrderState.ACCEPTED}),
    OrderAction.COMPLETE: _OPEN | {OrderState.NEW},
    OrderAction.VOID: _OPEN,
}


class IllegalOrderAction(DomainError):
    """The action does not apply in the order's current state (e.g. already accepted)."""

    code = "illegal_order_action"


class LineNotFound(DomainError):
    code = "order_line_not_found"


class LineAlreadyDelivered(DomainError):
    code = "order_line_already_delivered"


class EmptyOrder(DomainError):
    code = "empty_order"


@dataclass(frozen=True, slots=True)
class OrderLine:
    """One product line; ``in_points`` when the guest chose to pay it with points."""

    id: str
    product_id: str
    name: str
    quantity: int
    unit_price: int
    in_points: bool = False
    delivered: bool = False

    def __post_init__(self) -> None:
        require_amount(self.unit_price, "unit price")
        require_amount(self.quantity, "quantity", allow_zero=False)

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_price


@dataclass(frozen=True, slots=True)
class Order:
    """A guest order; ``method`` is the payment method the guest (or operator) chose."""

    id: str
    guest_id: str
    lines: tuple[OrderLine, ...]
    method: PaymentMethod
    state: OrderState = OrderState.NEW
    note: str = ""
    points_hold_id: str | None = None
    paid_amount: int = 0

    def __post_init__(self) -> None:
        if not self.lines:
            raise EmptyOrder("An order needs at least one item.", order_id=self.id)

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def all_delivered(self) -> bool:
        return all(line.delivered for line in self.lines)


# Effects: what the services must do, as data.


@dataclass(frozen=True, slots=True)
class InvoiceCreated:
    order_id: str
    guest_id: str
    amount: int


@dataclass(frozen=True, slots=True)
class InvoiceAnnulled:
    order_id: str
    guest_id: str
    amount: int


@dataclass(frozen=True, slots=True)
class PaymentRecorded:
    order_id: str
    guest_id: str
    amount: int
    method: PaymentMethod


@dataclass(frozen=True, slots=True)
class PaymentReversed:
    order_id: str
    guest_id: str
    amount: int
    method: PaymentMethod


@dataclass(frozen=True, slots=True)
class PointsHoldCommitted:
    order_id: str
    hold_id: str
    amount: int


@dataclass(frozen=True, slots=True)
class PointsHoldReleased:
    order_id: str
    hold_id: str


@dataclass(frozen=True, slots=True)
class ItemDelivered:
    order_id: str
    line_id: str


@dataclass(frozen=True, slots=True)
class DebtRecorded:
    order_id: str
    guest_id: str
    amount: int


Effect = (
    InvoiceCreated
    | InvoiceAnnulled
    | PaymentRecorded
    | PaymentReversed
    | PointsHoldCommitted
    | PointsHoldReleased
    | ItemDelivered
    | DebtRecorded
)
Transition = tuple[Order, tuple[Effect, ...]]


def allowed_actions(order: Order) -> frozenset[OrderAction]:
    """Actions a console may offer now (for enabling buttons)."""
    allowed = {action for action, states in _ALLOWED_FROM.items() if order.state in states}
    if order.all_delivered:
        allowed.discard(OrderAction.DELIVER)
    return frozenset(allowed)


def _require(order: Order, action: OrderAction) -> None:
    if order.state not in _ALLOWED_FROM[action]:
        raise IllegalOrderAction(
            f"Cannot {action.value} order {order.id}: it is already {order.state.value}.",
            order_id=order.id,
            action=action.value,
            state=order.state.value,
        )


def _release_hold(order: Order) -> tuple[Effect, ...]:
    if order.points_hold_id is None:
        return ()
    return (PointsHoldReleased(order.id, order.points_hold_id),)


def accept(order: Order) -> Transition:
    """Accept: an unpaid invoice for the order total appears on the guest's account."""
    _require(order, OrderAction.ACCEPT)
    accepted = replace(order, state=OrderState.ACCEPTED)
    return accepted, (InvoiceCreated(order.id, order.guest_id, order.total),)


def cancel(order: Order) -> Transition:
    """Reject a new order; a points hold placed with it is released."""
    _require(order, OrderAction.CANCEL)
    return replace(order, state=OrderState.CANCELLED, points_hold_id=None), _release_hold(order)


def deliver(order: Order, line_id: str) -> Transition:
    """Mark one item delivered."""
    _require(order, OrderAction.DELIVER)
    lines = list(order.lines)
    for index, line in enumerate(lines):
        if line.id != line_id:
            continue
        if line.delivered:
            raise LineAlreadyDelivered(
                f"{line.name} has already been delivered.", order_id=order.id, line_id=line_id
            )
        lines[index] = replace(line, delivered=True)
        return replace(order, lines=tuple(lines)), (ItemDelivered(order.id, line_id),)
    raise LineNotFound(f"Order {order.id} has no item {line_id}.", order_id=order.id)


def pay(order: Order, method: PaymentMethod | None = None) -> Transition:
    """Record payment of the invoice; the operator may change the method now.

    Paying by points commits the order's hold; switching away from points releases it.
    """
    _require(order, OrderAction.PAY)
    chosen = method or order.method
    effects: list[Effect] = [PaymentRecorded(order.id, order.guest_id, order.total, chosen)]
    if order.points_hold_id is not None:
        if chosen is PaymentMethod.POINTS:
            effects.append(PointsHoldCommitted(order.id, order.points_hold_id, order.total))
        else:
            effects.append(PointsHoldReleased(order.id, order.points_hold_id))
    paid = replace(
        order, state=OrderState.PAID, method=chosen, paid_amount=order.total, points_hold_id=None
    )
    return paid, tuple(effects)


def complete(order: Order) -> Transition:
    """Deliver everything and finish; an unpaid total stays as the guest's debt.

    Seed 001 allows *complete* at any time; on a new order it implies *accept*, so the debt
    always stands against an invoice.
    """
    _require(order, OrderAction.COMPLETE)
    if order.state is OrderState.NEW:
        accepted_order, invoice = accept(order)
        done, rest = complete(accepted_order)
        return done, invoice + rest
    pending = [line.id for line in order.lines if not line.delivered]
    effects: list[Effect] = [ItemDelivered(order.id, line_id) for line_id in pending]
    lines = tuple(replace(line, delivered=True) for line in order.lines)
    if order.state is OrderState.ACCEPTED:
        effects.extend(_release_hold(order))
        effects.append(DebtRecorded(order.id, order.guest_id, order.total))
    done = replace(order, state=OrderState.COMPLETED, lines=lines, points_hold_id=None)
    return done, tuple(effects)


def void(order: Order) -> Transition:
    """Annul the invoice and cancel the order; a payment is reversed, a hold released."""
    _require(order, OrderAction.VOID)
    effects: list[Effect] = [InvoiceAnnulled(order.id, order.guest_id, order.total)]
    if order.state is OrderState.PAID:
        effects.append(PaymentReversed(order.id, order.guest_id, order.paid_amount, order.method))
    effects.extend(_release_hold(order))
    voided = replace(order, state=OrderState.VOIDED, points_hold_id=None)
    return voided, tuple(effects)
