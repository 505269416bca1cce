"""Guest orders and the operator workflow (seed 001) as a pure state machine.

``new -> accepted -> paid -> completed``, plus ``cancelled`` (only before accept) and
``voided`` (only after accept). Items are delivered one by one after accept; *complete* may be
pressed at any time (seed 001): on a new order it accepts it first (the invoice is created), and
it marks everything delivered; an unpaid completed order leaves its whole total as a debt on
the guest's balance account (1 point = 1 rouble, so lines chosen "in points" are owed in money
and their hold is released).

Every transition returns the new order and the effects the services must apply (invoice,
payment, points, debt), so nothing is applied twice: a second console acting on a reloaded
order gets :class:`IllegalOrderAction` naming the state the order is really in.

Payment: lines the guest chose to pay in points (only where the product allows it) are paid in
points; the rest is paid by the method chosen at payment time (the guest's choice by default).
Choosing ``points`` as the method pays the whole order in points. Points come first from the
hold placed when the order was submitted, any remainder by a direct debit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from pos_app.domain.catalog import Product
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


class InvalidOrder(DomainError):
    code = "invalid_order"


class ProductNotOrderable(DomainError):
    code = "product_not_orderable"


class PointsNotAllowed(DomainError):
    code = "points_not_allowed"


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
    discount: int = 0  # the guest group's, priced by the server at placement (issue 20)

    def __post_init__(self) -> None:
        require_amount(self.unit_price, "unit price")
        require_amount(self.quantity, "quantity", allow_zero=False)
        require_amount(self.discount, "line discount")
        if self.discount > self.quantity * self.unit_price:
            raise InvalidOrder("A line's discount cannot exceed the line.", line_id=self.id)

    @classmethod
    def for_product(
        cls, line_id: str, product: Product, quantity: int, *, in_points: bool = False
    ) -> OrderLine:
        """A guest's line: the product must be enabled for guest ordering (and for points)."""
        if not product.guest_orderable:
            raise ProductNotOrderable(
                f"{product.name} cannot be ordered by guests.", product_id=product.id
            )
        if in_points and not product.payable_with_points:
            raise PointsNotAllowed(
                f"{product.name} cannot be paid with points.", product_id=product.id
            )
        return cls(line_id, product.id, product.name, quantity, product.price, in_points)

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_price - self.discount


@dataclass(frozen=True, slots=True)
class HoldRef:
    """The points hold placed when the order was submitted (ledger hold id and amount)."""

    id: str
    amount: int

    def __post_init__(self) -> None:
        require_amount(self.amount, "hold amount", allow_zero=False)


@dataclass(frozen=True, slots=True)
class Order:
    """A guest order; ``method`` is how the guest (or, at payment, the operator) means to pay."""

    id: str
    guest_id: str
    lines: tuple[OrderLine, ...]
    method: PaymentMethod
    state: OrderState = OrderState.NEW
    note: str = ""
    ready_by: datetime | None = None
    points_hold: HoldRef | None = None
    paid_money: int = 0
    paid_points: int = 0
    paid_by_sale: str | None = None  # the till sale that took the payment (issue 20)

    def __post_init__(self) -> None:
        if not self.lines:
            raise EmptyOrder("An order needs at least one item.", order_id=self.id)
        if self.ready_by is not None and self.ready_by.utcoffset() is None:
            raise InvalidOrder("The ready-by time needs a time zone.", order_id=self.id)

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def points_total(self) -> int:
        """The part of the total the guest chose to pay with points."""
        return sum(line.amount for line in self.lines if line.in_points)

    @property
    def money_total(self) -> int:
        return self.total - self.points_total

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
    """Money received for the order: cash, card, or a debit of the balance account."""

    order_id: str
    guest_id: str
    amount: int
    method: PaymentMethod


@dataclass(frozen=True, slots=True)
class PaidBySale:
    """A till sale took the order's payment (its own receipt, shift, holds and accrual): the
    order records what was paid and posts nothing itself."""

    order_id: str
    sale_id: str
    money: int
    points: int


@dataclass(frozen=True, slots=True)
class PaymentReversed:
    """A voided paid order: the money payment is given back by the same method."""

    order_id: str
    guest_id: str
    amount: int
    method: PaymentMethod


@dataclass(frozen=True, slots=True)
class PointsHoldCommitted:
    """Commit ``amount`` of the hold; the ledger releases the rest of it."""

    order_id: str
    hold_id: str
    amount: int


@dataclass(frozen=True, slots=True)
class PointsHoldReleased:
    order_id: str
    hold_id: str


@dataclass(frozen=True, slots=True)
class PointsDebited:
    """Points paid beyond the hold (or without one): a direct debit of the bonus account."""

    order_id: str
    guest_id: str
    amount: int


@dataclass(frozen=True, slots=True)
class PointsRefunded:
    """A voided paid order: the points it took are credited back."""

    order_id: str
    guest_id: str
    amount: int


@dataclass(frozen=True, slots=True)
class ItemDelivered:
    order_id: str
    line_id: str


@dataclass(frozen=True, slots=True)
class DebtRecorded:
    """Completed unpaid: the guest owes ``amount`` on their balance account."""

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
    | PointsDebited
    | PointsRefunded
    | ItemDelivered
    | DebtRecorded
    | PaidBySale
)
Transition = tuple[Order, tuple[Effect, ...]]


def allowed_actions(order: Order) -> frozenset[OrderAction]:
    """Actions a console may offer now (for enabling buttons)."""
    allowed = {action for action, states in _ALLOWED_FROM.items() if order.state in states}
    if order.all_delivered:
        allowed.discard(OrderAction.DELIVER)
    if order.paid_by_sale is not None:  # given back by refunding the sale at the till
        allowed.discard(OrderAction.VOID)
    return frozenset(allowed)


def _require(order: Order, action: OrderAction) -> None:
    if order.state in _ALLOWED_FROM[action]:
        return
    where = "not accepted yet" if order.state is OrderState.NEW else f"already {order.state}"
    raise IllegalOrderAction(
        f"Cannot {action.value} order {order.id}: it is {where}.",
        order_id=order.id,
        action=action.value,
        state=order.state.value,
    )


def _release_hold(order: Order) -> tuple[Effect, ...]:
    if order.points_hold is None:
        return ()
    return (PointsHoldReleased(order.id, order.points_hold.id),)


def accept(order: Order) -> Transition:
    """Accept: an unpaid invoice for the order total appears on the guest's account."""
    _require(order, OrderAction.ACCEPT)
    accepted = replace(order, state=OrderState.ACCEPTED)
    return accepted, (InvoiceCreated(order.id, order.guest_id, order.total),)


def cancel(order: Order) -> Transition:
    """Reject a new order; a points hold placed with it is released."""
    _require(order, OrderAction.CANCEL)
    return replace(order, state=OrderState.CANCELLED, points_hold=None), _release_hold(order)


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


def _points_effects(order: Order, points_due: int) -> list[Effect]:
    """Take ``points_due`` from the hold first, the rest by a direct debit."""
    hold = order.points_hold
    from_hold = min(points_due, hold.amount) if hold else 0
    effects: list[Effect] = []
    if hold is not None:
        if from_hold:
            effects.append(PointsHoldCommitted(order.id, hold.id, from_hold))
        else:
            effects.append(PointsHoldReleased(order.id, hold.id))
    if points_due > from_hold:
        effects.append(PointsDebited(order.id, order.guest_id, points_due - from_hold))
    return effects


def pay(order: Order, method: PaymentMethod | None = None) -> Transition:
    """Record payment of the invoice; the operator may change the method now."""
    _require(order, OrderAction.PAY)
    chosen = method or order.method
    points_due = order.total if chosen is PaymentMethod.POINTS else order.points_total
    money_due = order.total - points_due
    effects: list[Effect] = []
    if money_due:
        effects.append(PaymentRecorded(order.id, order.guest_id, money_due, chosen))
    effects.extend(_points_effects(order, points_due))
    paid = replace(
        order,
        state=OrderState.PAID,
        method=chosen,
        paid_money=money_due,
        paid_points=points_due,
        points_hold=None,
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
    done = replace(order, state=OrderState.COMPLETED, lines=lines, points_hold=None)
    return done, tuple(effects)


def settle_by_sale(order: Order, *, sale_id: str, money: int, points: int,
                   spent_hold: str | None = None) -> Transition:  # fmt: skip
    """A till sale took the payment (receipt, shift, card terminal, its points and accrual):
    the order is paid by it and nothing is posted for the order. ``spent_hold``: the hold the
    sale's points payment spent; when it is the order's own hold (the points the guest chose
    at placement, seed 001 "P add to order") the sale's close committed it, so it is not
    released; any other hold of the order is released (the sale paid with holds of its own)."""
    _require(order, OrderAction.PAY)
    own = order.points_hold is not None and order.points_hold.id == spent_hold
    effects: list[Effect] = [*(() if own else _release_hold(order)),
                             PaidBySale(order.id, sale_id, money, points)]  # fmt: skip
    paid = replace(order, state=OrderState.PAID, paid_money=money, paid_points=points,
                   points_hold=None, paid_by_sale=sale_id)  # fmt: skip
    return paid, tuple(effects)


class PaidBySaleNotVoidable(DomainError):
    """A sale-paid order's money is given back by refunding the sale at the till."""

    code = "order_paid_by_sale"


def void(order: Order) -> Transition:
    """Annul the invoice and cancel the order; a payment is given back, a hold released."""
    _require(order, OrderAction.VOID)
    if order.paid_by_sale is not None:
        raise PaidBySaleNotVoidable(
            f"Order {order.id} was paid by till sale {order.paid_by_sale}: refund that sale at "
            "the till.", order_id=order.id, sale_id=order.paid_by_sale)
    effects: list[Effect] = [InvoiceAnnulled(order.id, order.guest_id, order.total)]
    if order.paid_money:
        effects.append(PaymentReversed(order.id, order.guest_id, order.paid_money, order.method))
    if order.paid_points:
        effects.append(PointsRefunded(order.id, order.guest_id, order.paid_points))
    effects.extend(_release_hold(order))
    voided = replace(order, state=OrderState.VOIDED, points_hold=None)
    return voided, tuple(effects)
