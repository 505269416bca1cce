"""Guest orders in the database, driven by ``pos_app.domain.orders`` (the rules are not copied).

An order row is locked (SELECT ... FOR UPDATE; SQLite: the write lock of BEGIN IMMEDIATE),
turned into the domain ``Order``, moved by a domain transition, and written back with the
transition's effects in the same transaction. Two consoles acting at once are judged one after
the other: the second sees the state the first left. Every change goes to the change feed as
entity ``order`` (what GET /v1/orders/stream pushes), and on PostgreSQL a ``NOTIFY`` in the same
transaction wakes every server process's order reader at commit (``pos_server.orders.notify``).

Effects: a points hold is committed or released through ``uow.accounts`` (the bonus ledger).
Invoice, payment, reversal and debt are recorded on the order itself (``invoice_status``,
``paid_money``, ``reversed_amount``, ``debt``); a balance payment, its reversal and a debt also
post to the guest's balance account (``uow.accounts``, kind ``money``).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from pos_app.domain.bonus import HoldAlreadyEnded
from pos_app.domain.errors import DomainError
from pos_app.domain.order_numbers import order_number
from pos_app.domain.orders import (
    DebtRecorded,
    Effect,
    InvoiceAnnulled,
    InvoiceCreated,
    ItemDelivered,
    Order,
    PaidBySale,
    PaymentMethod,
    PaymentRecorded,
    PaymentReversed,
    PointsDebited,
    PointsHoldCommitted,
    PointsHoldReleased,
    PointsRefunded,
    Transition,
)
from pos_server.http.schemas import OrderPlaced
from pos_server.notify import messages
from pos_server.orders.loyalty import after_transition
from pos_server.orders.pricing import price_order
from pos_server.programme.service import current
from pos_server.repositories.orders import ORDER_ENTITY, StoredOrder
from pos_server.uow import UnitOfWork

__all__ = ["ORDER_ENTITY", "OrderRefused", "Step", "StoredOrder", "act_on_order", "place_order"]


# An order's points hold ends with the order (paid, cancelled, voided, completed), never by the
# clock: not the till's hold lifetime (loyalty.hold_ttl, 24 h by default), so the hold sweeper
# (pos_server/ledger/sweeper.py) never expires it while the order is open - a sale paying the
# order offline commits it when it reaches the server, however late (order_sale.py).
ORDER_HOLD_TTL = timedelta(days=3650)


class OrderRefused(Exception):
    """POST /v1/orders cannot place this order; ``status`` is the HTTP status to answer."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def place_order(uow: UnitOfWork, placed: OrderPlaced) -> dict[str, Any]:
    """Store a new order priced by the server (the guest's group discount, ``pricing.py``);
    paying in points reserves the total as a hold right away. The answer is what the guest
    pays: each line's discount, the total after it, and the group that gave it."""
    order_id = placed.order_id or str(uuid.uuid4())
    if uow.orders.get(order_id, lock=False) is not None:
        raise OrderRefused(409, "order_exists", f"Order {order_id} already exists.")
    if not uow.guests.exists(placed.guest_id):
        raise OrderRefused(404, "unknown_guest", f"Guest {placed.guest_id} is not known.")
    ordering = current(uow).ordering
    if not ordering.enabled:
        raise OrderRefused(403, "ordering_off", "Guest ordering is turned off at this venue.")
    if placed.method not in ordering.payment_methods:
        raise OrderRefused(422, "payment_method_off", f"Guests may not choose "
                           f"{placed.method.value} here; they may choose "
                           f"{', '.join(m.value for m in ordering.payment_methods)}.")  # fmt: skip
    price = price_order(uow, placed)
    stored = uow.orders.new(order_id, placed, price.discounts)
    try:
        order = stored.to_domain()  # the domain's own checks before anything is written
    except DomainError as error:
        raise OrderRefused(422, error.code, error.message) from error
    stored.row.number = _number_of_the_day(uow)
    uow.orders.add(stored)
    points = order.total if order.method is PaymentMethod.POINTS else order.points_total
    if points > 0:
        stored.row.points_hold_id = _hold_points(uow, stored, points)
        stored.row.points_hold_amount = points
    return {**uow.orders.saved(stored, "placed"), "group_name": price.group_name}


def _number_of_the_day(uow: UnitOfWork) -> str:
    """The short number the operators call out: counted per day of the venue's clock."""
    return order_number(uow.orders.next_number(uow.orders.venue_day()))


def _hold_points(uow: UnitOfWork, stored: StoredOrder, amount: int) -> str:
    """Reserve the points the guest means to pay with, so they are there at payment."""
    hold_id = uuid.uuid4().hex
    account = uow.accounts.load("points", stored.row.guest_id)
    try:
        account.place_hold(hold_id, amount, now=uow.now, actor=f"terminal:{uow.terminal_id}",
                           terminal_id=uow.terminal_id, reason="guest order", ref=stored.row.id,
                           ttl=ORDER_HOLD_TTL)  # fmt: skip
    except DomainError as error:
        raise OrderRefused(422, error.code, error.message) from error
    uow.accounts.save(account)
    return hold_id


Step = Callable[[Order], Transition]


def act_on_order(uow: UnitOfWork, stored: StoredOrder, step: Step, event: str
                 ) -> dict[str, Any]:  # fmt: skip
    """Move the order by one domain transition and apply its effects; DomainError propagates
    (IllegalOrderAction before anything changed)."""
    before = stored.to_domain()
    after, effects = step(before)
    for effect in effects:
        _apply_effect(uow, stored, effect)
    if after.paid_by_sale is None:  # a till sale accrued for itself (sale_effects)
        after_transition(uow, stored, before, after)  # accrual after payment (loyalty.py)
    uow.orders.moved(stored, after)
    if _all_delivered(after) and not _all_delivered(before):
        # no "ready" state: the order is ready for the guest when its last item is handed over
        # (by "deliver", or by "complete", which delivers the rest); written in this transaction
        messages.order_ready(uow, stored.row.id, stored.row.guest_id, stored.row.number)
    return uow.orders.saved(stored, event)


def _all_delivered(order: Order) -> bool:
    return bool(order.lines) and all(line.delivered for line in order.lines)


def _apply_effect(uow: UnitOfWork, stored: StoredOrder, effect: Effect) -> None:
    row = stored.row
    points = _Points(uow, row.id)
    _balance_effect(uow, row.guest_id, row.id, effect)
    match effect:
        case InvoiceCreated():
            row.invoice_status = "open"
        case InvoiceAnnulled():
            row.invoice_status = "annulled"
        case PaymentRecorded():
            row.invoice_status = "paid"
        case PaymentReversed(amount=amount):
            row.reversed_amount = amount
        case DebtRecorded(amount=amount):
            row.debt = amount
        case PointsHoldCommitted(hold_id=hold_id, amount=amount):
            points.end_hold(hold_id, commit=amount)
        case PointsHoldReleased(hold_id=hold_id):
            points.end_hold(hold_id, commit=None)
        case PointsDebited(guest_id=guest_id, amount=amount):
            points.debit(guest_id, amount)
        case PointsRefunded(guest_id=guest_id, amount=amount):
            points.refund(guest_id, amount)
        case ItemDelivered():
            pass  # the delivered flags come from the new domain order
        case PaidBySale():
            row.invoice_status = "paid"  # the sale posted the money and points itself
    if isinstance(effect, PointsHoldCommitted | PointsDebited):
        row.invoice_status = "paid"


def _balance_effect(uow: UnitOfWork, guest_id: str, order_id: str, effect: Effect) -> None:
    """A balance payment (never beyond the balance: InsufficientBalance), its reversal, or a
    debt (completed unpaid: the amount is owed) also posts to the balance account."""
    match effect:
        case PaymentRecorded(amount=amount, method=PaymentMethod.BALANCE) if amount > 0:
            account = uow.accounts.load("money", guest_id)
            account.pay(amount, reason=f"order {order_id} paid", **_who(uow, order_id))
        case PaymentReversed(amount=amount, method=PaymentMethod.BALANCE) if amount > 0:
            account = uow.accounts.load("money", guest_id)
            account.credit(amount, reason=f"order {order_id} voided", **_who(uow, order_id))
        case DebtRecorded(amount=amount) if amount > 0:
            account = uow.accounts.load("money", guest_id)
            account.charge_debt(amount, reason=f"order {order_id} completed unpaid",
                                **_who(uow, order_id))  # fmt: skip
        case _:
            return
    uow.accounts.save(account)


def _who(uow: UnitOfWork, order_id: str) -> dict[str, Any]:
    return {"now": uow.now, "actor": f"terminal:{uow.terminal_id}",
            "terminal_id": uow.terminal_id, "ref": order_id}  # fmt: skip


@dataclass(frozen=True)
class _Points:
    """Points effects of one order action, through the points ledger (``uow.accounts``)."""

    uow: UnitOfWork
    order_id: str

    @property
    def _who(self) -> dict[str, Any]:
        uow = self.uow
        return {
            "now": uow.now,
            "actor": f"terminal:{uow.terminal_id}",
            "terminal_id": uow.terminal_id,
            "reason": f"order {self.order_id}",
        }

    def end_hold(self, hold_id: str, *, commit: int | None) -> None:
        """Commit ``commit`` points of the hold (the rest is released), or release it (None).
        A hold that already ended (expired, reconciled) needs no release."""
        account = self.uow.accounts.points_of_hold(hold_id)
        if account is None:
            return
        if commit is not None:
            account.commit_hold(hold_id, commit, **self._who)
        else:
            with contextlib.suppress(HoldAlreadyEnded):
                account.release_hold(hold_id, **self._who)
        self.uow.accounts.save(account)

    def debit(self, guest_id: str, amount: int) -> None:
        account = self.uow.accounts.load("points", guest_id)
        account.debit(amount, ref=self.order_id, **self._who)
        self.uow.accounts.save(account)

    def refund(self, guest_id: str, amount: int) -> None:
        account = self.uow.accounts.load("points", guest_id)
        account.credit(amount, ref=self.order_id, **self._who)
        self.uow.accounts.save(account)
