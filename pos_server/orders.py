"""Guest orders in the database, driven by ``pos_app.domain.orders`` (the rules are not copied).

An order row is locked (SELECT ... FOR UPDATE; SQLite: the write lock of BEGIN IMMEDIATE),
turned into the domain ``Order``, moved by a domain transition, and written back with the
transition's effects in the same transaction. Two consoles acting at once are judged one after
the other: the second sees the state the first left. Every change goes to the change feed as
entity ``order`` (what GET /v1/orders/stream pushes), and on PostgreSQL a ``NOTIFY`` in the same
transaction wakes every server process's order reader at commit (``pos_server.order_notify``).

Effects: a points hold is committed or released through ``pos_server.ledger`` (the bonus
ledger). Invoice, payment, reversal and debt are recorded on the order itself
(``invoice_status``, ``paid_money``, ``reversed_amount``, ``debt``); a balance payment, its
reversal and a debt also post to the guest's balance account (``pos_server.ledger_balance``).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from pos_app.domain.bonus import HoldAlreadyEnded
from pos_app.domain.errors import DomainError
from pos_app.domain.orders import (
    DebtRecorded,
    Effect,
    InvoiceAnnulled,
    InvoiceCreated,
    ItemDelivered,
    Order,
    OrderState,
    PaymentMethod,
    PaymentRecorded,
    PaymentReversed,
    PointsDebited,
    PointsHoldCommitted,
    PointsHoldReleased,
    PointsRefunded,
    Transition,
)
from pos_server.db.models import Guest, GuestOrderLineRow, GuestOrderRow
from pos_server.ledger import hold_account_id, load_account, save_account
from pos_server.ledger_balance import order_money_effect
from pos_server.repositories.orders import ORDER_ENTITY, StoredOrder
from pos_server.schemas import OrderPlaced
from pos_server.uow import UnitOfWork

__all__ = ["ORDER_ENTITY", "OrderRefused", "Step", "StoredOrder", "act_on_order", "place_order"]


class OrderRefused(Exception):
    """POST /v1/orders cannot place this order; ``status`` is the HTTP status to answer."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def place_order(uow: UnitOfWork, placed: OrderPlaced) -> dict[str, Any]:
    """Store a new order; paying in points reserves the total as a hold right away."""
    session, terminal_id, now = uow.session, uow.terminal_id, uow.now
    order_id = placed.order_id or str(uuid.uuid4())
    existing = uow.orders.get(order_id, lock=False)
    if existing is not None:
        raise OrderRefused(409, "order_exists", f"Order {order_id} already exists.")
    if session.get(Guest, placed.guest_id) is None:
        raise OrderRefused(404, "unknown_guest", f"Guest {placed.guest_id} is not known.")
    lines = [
        GuestOrderLineRow(order_id=order_id, line_id=str(n), position=n, delivered=False,
                          **line.model_dump())
        for n, line in enumerate(placed.lines, start=1)
    ]  # fmt: skip
    row = GuestOrderRow(
        id=order_id, guest_id=placed.guest_id, state=OrderState.NEW.value,
        method=placed.method.value, note=placed.note, ready_by=placed.ready_by,
        points_hold_id=None, points_hold_amount=0,
        total=sum(line.quantity * line.unit_price for line in placed.lines),
        invoice_status="none", paid_money=0, paid_points=0, reversed_amount=0, debt=0,
        placed_at=now,
        placed_by=terminal_id, updated_at=now, updated_by=terminal_id, version=1,
    )  # fmt: skip
    stored = StoredOrder(row, lines)
    try:
        order = stored.to_domain()  # the domain's own checks before anything is written
    except DomainError as error:
        raise OrderRefused(422, error.code, error.message) from error
    uow.orders.add(stored)
    points = order.total if order.method is PaymentMethod.POINTS else order.points_total
    if points > 0:
        row.points_hold_id = _hold_points(
            session, row, points, terminal_id=terminal_id, now=now, ttl=uow.hold_ttl
        )
        row.points_hold_amount = points
    return uow.orders.saved(stored, "placed")


def _hold_points(
    session: Session, row: GuestOrderRow, amount: int, *, terminal_id: str, now: datetime,
    ttl: timedelta,
) -> str:
    """Reserve the points the guest means to pay with, so they are there at payment."""
    hold_id = uuid.uuid4().hex
    account = load_account(session, row.guest_id)
    try:
        account.place_hold(hold_id, amount, now=now, actor=f"terminal:{terminal_id}",
                           terminal_id=terminal_id, reason="guest order", ref=row.id, ttl=ttl)
    except DomainError as error:
        raise OrderRefused(422, error.code, error.message) from error
    save_account(session, account, now)
    return hold_id


Step = Callable[[Order], Transition]


def act_on_order(uow: UnitOfWork, stored: StoredOrder, step: Step, event: str
                 ) -> dict[str, Any]:  # fmt: skip
    """Move the order by one domain transition and apply its effects; DomainError propagates
    (IllegalOrderAction before anything changed)."""
    session, terminal_id, now = uow.session, uow.terminal_id, uow.now
    before = stored.to_domain()
    after, effects = step(before)
    row = stored.row
    for effect in effects:
        _apply_effect(session, row, effect, terminal_id, now)
    delivered = {line.id for line in after.lines if line.delivered}
    for line in stored.lines:
        line.delivered = line.line_id in delivered
    row.state, row.method = after.state.value, after.method.value
    row.points_hold_id = after.points_hold.id if after.points_hold else None
    row.points_hold_amount = after.points_hold.amount if after.points_hold else 0
    row.paid_money, row.paid_points = after.paid_money, after.paid_points
    row.updated_at, row.updated_by, row.version = now, terminal_id, row.version + 1
    return uow.orders.saved(stored, event)


def _apply_effect(
    session: Session, row: GuestOrderRow, effect: Effect, terminal_id: str, now: datetime
) -> None:
    points = _Points(session, row.id, terminal_id, now)
    _balance_effect(session, row, effect, terminal_id, now)
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
    if isinstance(effect, PointsHoldCommitted | PointsDebited):
        row.invoice_status = "paid"


def _balance_effect(
    session: Session, row: GuestOrderRow, effect: Effect, terminal_id: str, now: datetime
) -> None:
    """A balance payment, its reversal, or a debt also posts to the balance account."""
    where: dict[str, Any] = {"order_id": row.id, "terminal_id": terminal_id, "now": now}
    match effect:
        case PaymentRecorded(amount=amount, method=PaymentMethod.BALANCE):
            order_money_effect(session, "pay", row.guest_id, amount, **where)
        case PaymentReversed(amount=amount, method=PaymentMethod.BALANCE):
            order_money_effect(session, "refund", row.guest_id, amount, **where)
        case DebtRecorded(amount=amount):
            order_money_effect(session, "debt", row.guest_id, amount, **where)


@dataclass(frozen=True)
class _Points:
    """Points effects of one order action, through the bonus ledger (``pos_server.ledger``)."""

    session: Session
    order_id: str
    terminal_id: str
    now: datetime

    @property
    def _who(self) -> dict[str, Any]:
        return {"now": self.now, "actor": f"terminal:{self.terminal_id}",
                "terminal_id": self.terminal_id, "reason": f"order {self.order_id}"}

    def end_hold(self, hold_id: str, *, commit: int | None) -> None:
        """Commit ``commit`` points of the hold (the rest is released), or release it (None).
        A hold that already ended (expired, reconciled) needs no release."""
        account_id = hold_account_id(self.session, hold_id)
        if account_id is None:
            return
        account = load_account(self.session, account_id, [hold_id])
        if commit is not None:
            account.commit_hold(hold_id, commit, **self._who)
        else:
            with contextlib.suppress(HoldAlreadyEnded):
                account.release_hold(hold_id, **self._who)
        save_account(self.session, account, self.now)

    def debit(self, guest_id: str, amount: int) -> None:
        account = load_account(self.session, guest_id)
        account.debit(amount, ref=self.order_id, **self._who)
        save_account(self.session, account, self.now)

    def refund(self, guest_id: str, amount: int) -> None:
        account = load_account(self.session, guest_id)
        account.credit(amount, ref=self.order_id, **self._who)
        save_account(self.session, account, self.now)
