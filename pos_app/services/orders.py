"""Operator console use cases: the local cache of guest orders, their allowed actions, history,
and sending an action to the server (seed 001).

The server is the authority on an order. The console keeps a cache of what the order stream
told it (``OrderCache``, SQLite in ``pos_app.db.orders_repo``) so the panel and the history work
with the network down and survive a restart. Every cached order remembers the change id that
last wrote it, so a change that arrives twice (a stream resumed after a reconnect, the change
feed read again) is applied once and never shown twice.

Which actions need the server's answer (docs/console.md): *accept*, *cancel*, *pay*, *void* and
*complete* change who owns the order, create or annul an invoice, take money or points, or record
a debt - two consoles must not both believe they did it, so they are **online-only**: offline
they are refused with a clear sentence and nothing is written. *Deliver an item* only marks a
line handed over, and *pay* in cash or by card records money the operator already holds: both
are **queued** in the outbox while offline (shown at once, with ⏳) and reconciled when the
connection returns: the server's verdict (applied once, by the operation's id; or a conflict if
the order was voided meanwhile, which becomes an item for a manager) and its change bring the
cache back in line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo
from typing import Any, Protocol

from pos_app.domain import orders as rules
from pos_app.domain.errors import DomainError
from pos_app.domain.operations import (
    Operation,
    OrderAccepted,
    OrderCancelled,
    OrderCompleted,
    OrderItemDelivered,
    OrderPaid,
    OrderVoided,
)
from pos_app.domain.orders import HoldRef, Order, OrderAction, OrderLine, OrderState, PaymentMethod
from pos_app.services.ports import OutboxEntry, UnitOfWorkFactory
from pos_app.services.ports_sync import OpVerdict
from pos_app.services.venue_time import VenueTime

ONLINE_ONLY = frozenset(
    {OrderAction.ACCEPT, OrderAction.CANCEL, OrderAction.PAY, OrderAction.COMPLETE,
     OrderAction.VOID}
)  # fmt: skip
QUEUEABLE = frozenset({OrderAction.DELIVER})
# a payment that does not need the server's answer: money the operator took in hand (cash, or
# a card on a terminal of its own); balance and points need the server's balance
OFFLINE_PAY_METHODS = frozenset({PaymentMethod.CASH, PaymentMethod.CARD})


def can_queue(action: OrderAction, method: PaymentMethod | None) -> bool:
    """May ``action`` be queued while the server cannot be reached (docs/console.md)?"""
    return action in QUEUEABLE or (action is OrderAction.PAY and method in OFFLINE_PAY_METHODS)
# the actions whose operation names the order only
OP_KINDS: Mapping[OrderAction, type[OrderAccepted | OrderCancelled | OrderCompleted | OrderVoided]]
OP_KINDS = {
    OrderAction.ACCEPT: OrderAccepted,
    OrderAction.CANCEL: OrderCancelled,
    OrderAction.COMPLETE: OrderCompleted,
    OrderAction.VOID: OrderVoided,
}
ACTIVE_STATES = frozenset({OrderState.NEW, OrderState.ACCEPTED, OrderState.PAID})


class OrderNotCached(DomainError):
    code = "order_not_cached"


class ActionNeedsServer(DomainError):
    """An online-only action was asked for while the console cannot reach the server."""

    code = "action_needs_server"


@dataclass(frozen=True, slots=True)
class OrderLineView:
    line_id: str
    product_id: str
    name: str
    quantity: int
    unit_price: int
    in_points: bool = False
    delivered: bool = False
    discount: int = 0  # the guest group's, priced by the server at placement

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_price - self.discount


@dataclass(frozen=True, slots=True)
class OrderView:
    """An order as the console shows it (the server's wire shape, typed)."""

    order_id: str
    guest_id: str
    state: OrderState
    method: PaymentMethod
    total: int
    placed_at: datetime
    updated_at: datetime
    lines: tuple[OrderLineView, ...]
    note: str = ""
    ready_by: datetime | None = None
    points_hold_id: str | None = None
    points_hold_amount: int = 0
    invoice_status: str = "none"
    paid_money: int = 0
    paid_points: int = 0
    reversed_amount: int = 0
    debt: int = 0
    version: int = 1
    change_id: int = 0
    guest_name: str = ""
    pending_ops: int = 0  # actions queued here and not yet judged by the server
    number: str = ""  # "A-017", the venue day's short number ("" for orders before it)
    accrual: int = 0  # the points its payment earned (the server's, after payment)
    paid_by_sale: str | None = None  # the till sale that took its payment
    updated_by_name: str = ""  # the console or till that made the last change
    updated_by: str = ""  # its terminal id (a till's shift report counts its own debts)

    @property
    def discount(self) -> int:
        """The guest group's discount the server priced the order with at placement."""
        return sum(ln.discount for ln in self.lines)

    @property
    def label(self) -> str:
        """What an operator calls the order: its short number, or its id's head before them."""
        return self.number or self.order_id[:8]

    def to_domain(self) -> Order:
        hold = (
            HoldRef(self.points_hold_id, self.points_hold_amount)
            if self.points_hold_id and self.points_hold_amount
            else None
        )
        lines = tuple(
            OrderLine(ln.line_id, ln.product_id, ln.name, ln.quantity, ln.unit_price,
                      ln.in_points, ln.delivered, ln.discount)
            for ln in self.lines
        )  # fmt: skip
        return Order(self.order_id, self.guest_id, lines, self.method, self.state, self.note,
                     self.ready_by, hold, self.paid_money, self.paid_points,
                     self.paid_by_sale)  # fmt: skip

    @property
    def allowed(self) -> frozenset[OrderAction]:
        """What the domain allows now: the console enables exactly these buttons."""
        return rules.allowed_actions(self.to_domain())

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def guest_label(self) -> str:
        return self.guest_name or self.guest_id


def _time(value: Any) -> datetime:
    return datetime.fromisoformat(str(value))


def order_from_wire(data: Mapping[str, Any], change_id: int = 0) -> OrderView:
    """The server's order JSON (POST /v1/orders answer, feed/stream data, a conflict's
    ``current``) as an ``OrderView``; unknown keys (``event``, ``at``) are ignored."""
    lines = tuple(
        OrderLineView(str(ln["line_id"]), str(ln["product_id"]), str(ln["name"]),
                      int(ln["quantity"]), int(ln["unit_price"]), bool(ln.get("in_points")),
                      bool(ln.get("delivered")), int(ln.get("discount") or 0))
        for ln in data["lines"]
    )  # fmt: skip
    ready_by = data.get("ready_by")
    return OrderView(
        order_id=str(data["order_id"]), guest_id=str(data["guest_id"]),
        state=OrderState(data["state"]), method=PaymentMethod(data["method"]),
        total=int(data["total"]), placed_at=_time(data["placed_at"]),
        updated_at=_time(data["updated_at"]), lines=lines, note=str(data.get("note") or ""),
        ready_by=_time(ready_by) if ready_by else None,
        points_hold_id=data.get("points_hold_id"),
        points_hold_amount=int(data.get("points_hold_amount") or 0),
        invoice_status=str(data.get("invoice_status") or "none"),
        paid_money=int(data.get("paid_money") or 0), paid_points=int(data.get("paid_points") or 0),
        reversed_amount=int(data.get("reversed_amount") or 0), debt=int(data.get("debt") or 0),
        version=int(data.get("version") or 1),
        change_id=int(data.get("change_id") or change_id),
        number=str(data.get("number") or ""), accrual=int(data.get("accrual") or 0),
        paid_by_sale=data.get("paid_by_sale") or None,
        updated_by_name=str(data.get("updated_by_name") or ""),
        updated_by=str(data.get("updated_by") or ""),
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class GuestInfo:
    guest_id: str
    name: str
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class BalanceInfo:
    """The guest's money (balance) account as the feed last showed it: invoices, payments and
    debts of guest orders land there."""

    guest_id: str
    total: int
    change_id: int = 0  # the feed change it comes from: a newer one replaces it, never older


@dataclass(frozen=True, slots=True)
class PointsInfo:
    """The guest's bonus account as the feed last showed it (account id = guest id)."""

    guest_id: str
    total: int
    held: int
    change_id: int = 0

    @property
    def available(self) -> int:
        return self.total - self.held


def accounts_from_wire(
    data: Mapping[str, Any], change_id: int
) -> tuple[PointsInfo | None, BalanceInfo | None]:
    """The guest's points and balance an order change carries (the server reads them in the
    same transaction); None where the change has none (older servers, a conflict's state)."""
    guest = str(data["guest_id"])
    total, held, balance = (data.get(key) for key in
                            ("guest_points", "guest_points_held", "guest_balance"))  # fmt: skip
    points = None if total is None else PointsInfo(guest, int(total), int(held or 0), change_id)
    money = None if balance is None else BalanceInfo(guest, int(balance), change_id)
    return points, money


@dataclass(frozen=True, slots=True)
class StreamBatch:
    """What the order stream delivered in one go, with the feed cursor after it."""

    orders: tuple[OrderView, ...] = ()
    guests: tuple[GuestInfo, ...] = ()
    points: tuple[PointsInfo, ...] = ()
    cursor: int = 0
    balances: tuple[BalanceInfo, ...] = ()


@dataclass(frozen=True, slots=True)
class HistoryQuery:
    """History filters: states (empty = all), placed between ``since`` and ``until``, guest
    name/phone/id containing ``guest`` (case-insensitive)."""

    states: frozenset[OrderState] = frozenset()
    since: datetime | None = None
    until: datetime | None = None
    guest: str = ""
    limit: int = 5000


@dataclass(frozen=True, slots=True)
class ConsoleSettings:
    """Per console: the new-order sound, and whether it repeats until acknowledged."""

    sound_enabled: bool = True
    repeat_seconds: int = 0  # 0: play once

    def __post_init__(self) -> None:
        if not 0 <= self.repeat_seconds <= 600:
            raise ValueError("the repeat interval must be 0..600 seconds")


class OrderCache(Protocol):
    """The console's local copy of orders (implemented on SQLite by ``pos_app.db``)."""

    def apply(self, batch: StreamBatch) -> Sequence[OrderView]:
        """Store the batch; return the orders that were newer than the cached ones (with the
        guest's name filled in), in change order. Moves the cursor forward, never back."""
        ...
    def put_local(self, order: OrderView) -> None:
        """Show a queued action's effect now; the server's next change overwrites it."""
        ...
    def cursor(self) -> int: ...
    def get(self, order_id: str) -> OrderView | None: ...
    def active(self) -> Sequence[OrderView]: ...
    def history(self, query: HistoryQuery) -> Sequence[OrderView]: ...
    def guest(self, guest_id: str) -> GuestInfo | None: ...
    def points(self, guest_id: str) -> PointsInfo | None: ...
    def balance(self, guest_id: str) -> BalanceInfo | None: ...
    def load_settings(self) -> ConsoleSettings: ...
    def save_settings(self, settings: ConsoleSettings) -> None: ...


class ActionSender(Protocol):
    """Pushes the terminal's waiting operations (sync adapter)."""

    def push_until(self, op_id: str) -> OpVerdict | None:
        """Send waiting operations up to ``op_id``; its verdict, or None if the server could
        not be reached (the operation stays queued)."""
        ...


@dataclass(frozen=True, slots=True)
class ActionOutcome:
    """``status``: applied | queued | conflict | rejected. ``order`` is the state to show."""

    action: OrderAction
    status: str
    order: OrderView | None
    message: str = ""
    reason: str | None = None


@dataclass
class ConsoleOrders:
    """The console's use cases; built once by the composition root."""

    cache: OrderCache
    uow: UnitOfWorkFactory
    sender: ActionSender
    is_online: Callable[[], bool] = field(default=lambda: True)

    def ingest(self, batch: StreamBatch) -> Sequence[OrderView]:
        return self.cache.apply(batch)

    def act(
        self, order_id: str, action: OrderAction, *, line_id: str | None = None,
        method: PaymentMethod | None = None,
    ) -> ActionOutcome:
        """One operator action: checked against the cached state, written to the outbox,
        pushed; online-only actions are refused (nothing written) while offline."""
        order = self.cache.get(order_id)
        if order is None:
            raise OrderNotCached(f"Order {order_id} is not known on this console.",
                                 order_id=order_id)  # fmt: skip
        transition = _transition(order, action, line_id, method)  # raises IllegalOrderAction
        online = self.is_online()
        queueable = can_queue(action, transition[0].method if action is OrderAction.PAY else None)
        if action in ONLINE_ONLY and not online and not queueable:
            raise ActionNeedsServer(
                f"The server cannot be reached: {action.value} needs its answer, try again "
                "when the console is back online.", action=action.value, order_id=order_id)
        entry = self._queue(action, order_id, line_id, method)
        if action in QUEUEABLE or not online:
            self.cache.put_local(_local_view(order, transition[0], pending=order.pending_ops + 1))
        verdict = self.sender.push_until(entry.op_id) if online else None
        if verdict is not None and verdict.status != "applied":
            self._seen_by_operator(entry.op_id)
        return self._outcome(action, order, verdict, queued=queueable)

    def _seen_by_operator(self, op_id: str) -> None:
        """The operator reads the conflict or refusal now: its reconciliation item (made by
        the sync queue as for any operation) needs no manager, so it is marked resolved. A
        queued action judged later keeps its item open."""
        with self.uow() as uow:
            uow.sync.resolve_item(op_id)
            uow.commit()

    def _queue(
        self, action: OrderAction, order_id: str, line_id: str | None,
        method: PaymentMethod | None,
    ) -> OutboxEntry:
        operation: Operation
        if action is OrderAction.DELIVER:
            assert line_id is not None
            operation = OrderItemDelivered(order_id=order_id, line_id=line_id)
        elif action is OrderAction.PAY:
            operation = OrderPaid(order_id=order_id, method=method)
        else:
            operation = OP_KINDS[action](order_id=order_id)
        with self.uow() as uow:
            entry = uow.outbox.append(operation)
            uow.commit()
        return entry

    def _outcome(
        self, action: OrderAction, order: OrderView, verdict: OpVerdict | None,
        *, queued: bool = False,
    ) -> ActionOutcome:  # fmt: skip
        if verdict is None:
            current = self.cache.get(order.order_id) or order
            if queued:
                return ActionOutcome(action, "queued", current,
                                     "Saved; it will be sent when the server is reachable.")
            return ActionOutcome(action, "queued", current,
                                 "The server did not answer; the action is kept and will be "
                                 "sent when the connection is back.")  # fmt: skip
        if verdict.status == "applied":
            return ActionOutcome(action, "applied", self.cache.get(order.order_id) or order)
        current = order_from_wire(verdict.current) if verdict.current else order
        current = replace(current, guest_name=order.guest_name)
        if verdict.status == "conflict":
            winner = current.updated_by_name or "Another console"
            message = (f"{winner} got there first: order {current.label} is now "
                       f"{current.state.value}. {verdict.message or ''}").strip()  # fmt: skip
            return ActionOutcome(action, "conflict", current, message, verdict.reason)
        return ActionOutcome(action, "rejected", current, verdict.message or "Refused.",
                             verdict.reason)  # fmt: skip

    def active(self) -> Sequence[OrderView]:
        return self.cache.active()

    def settings(self) -> ConsoleSettings:
        return self.cache.load_settings()

    def venue_zone(self) -> tzinfo:
        """The shop's clock (its named zone, ``services/venue_time.py``), as at the till."""
        return VenueTime(self.uow).zone()

    def save_settings(self, settings: ConsoleSettings) -> None:
        self.cache.save_settings(settings)

    def history(self, query: HistoryQuery) -> Sequence[OrderView]:
        return self.cache.history(query)

    def detail(
        self, order_id: str
    ) -> tuple[OrderView | None, PointsInfo | None, BalanceInfo | None]:
        order = self.cache.get(order_id)
        if order is None:
            return None, None, None
        return order, self.cache.points(order.guest_id), self.cache.balance(order.guest_id)


def _transition(
    order: OrderView, action: OrderAction, line_id: str | None, method: PaymentMethod | None
) -> rules.Transition:
    domain = order.to_domain()
    if action is OrderAction.DELIVER:
        return rules.deliver(domain, line_id or "")
    if action is OrderAction.PAY:
        return rules.pay(domain, method)
    step: dict[OrderAction, Callable[[Order], rules.Transition]] = {
        OrderAction.ACCEPT: rules.accept, OrderAction.CANCEL: rules.cancel,
        OrderAction.COMPLETE: rules.complete, OrderAction.VOID: rules.void,
    }  # fmt: skip
    return step[action](domain)


def _local_view(order: OrderView, new: Order, *, pending: int) -> OrderView:
    """A queued action's effect as the domain computes it (delivered lines; a payment's state,
    method and amounts), shown with ⏳ until the server's change replaces it."""
    delivered = {ln.id for ln in new.lines if ln.delivered}
    lines = tuple(replace(ln, delivered=ln.line_id in delivered) for ln in order.lines)
    return replace(order, lines=lines, pending_ops=pending, state=new.state, method=new.method,
                   paid_money=new.paid_money, paid_points=new.paid_points)  # fmt: skip
