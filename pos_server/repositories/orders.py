"""Guest orders in the database: an order with its lines, loaded (locked for a change) and
saved with its change-feed row; the console's paged list.

An order row is locked (SELECT ... FOR NO KEY UPDATE; SQLite: the write lock of BEGIN
IMMEDIATE), so two consoles acting at once are judged one after the other: the second sees the
state the first left. Every change goes to the change feed as entity ``order`` (what GET
/v1/orders/stream pushes), and on PostgreSQL a ``NOTIFY`` in the same transaction wakes every
server process's order reader at commit (``pos_server.orders.notify``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, literal, or_, select, text, tuple_

from pos_app.domain.orders import (
    HoldRef,
    Order,
    OrderLine,
    OrderState,
    PaymentMethod,
    allowed_actions,
)
from pos_app.domain.venue_clock import shop_zone
from pos_server.db.models import (
    MONEY,
    POINTS,
    AccountRow,
    Guest,
    GuestOrderLineRow,
    GuestOrderRow,
    Terminal,
)
from pos_server.feed.shop_settings import published_timezone
from pos_server.http.schemas import OrderLineOut, OrderOut, OrderPlaced
from pos_server.orders.notify import CHANNEL
from pos_server.uow import Repository

ORDER_ENTITY = "order"
_NOTIFY = text(f"NOTIFY {CHANNEL}")
_NEXT_NUMBER = text(  # both SQLite (3.35+) and PostgreSQL
    "INSERT INTO guest_order_numbers (day, last) VALUES (:day, 1)"
    " ON CONFLICT (day) DO UPDATE SET last = guest_order_numbers.last + 1 RETURNING last"
)
_MIN_PHONE_DIGITS = 3


@dataclass
class StoredOrder:
    """An order as stored: the row and its lines. The orders service moves it by a domain
    transition and hands it back to ``Orders.saved``."""

    row: GuestOrderRow
    lines: list[GuestOrderLineRow]
    updated_by_name: str = ""  # the name of the terminal of the last change (Orders fills it)
    guest_accounts: dict[str, int] | None = None  # guest_points/_held/balance (Orders.saved)

    def to_domain(self) -> Order:
        lines = tuple(
            OrderLine(ln.line_id, ln.product_id, ln.name, ln.quantity, ln.unit_price,
                      ln.in_points, ln.delivered, ln.discount or 0)
            for ln in self.lines
        )  # fmt: skip
        r = self.row
        hold = HoldRef(r.points_hold_id, r.points_hold_amount) if r.points_hold_id else None
        return Order(
            r.id, r.guest_id, lines, PaymentMethod(r.method), OrderState(r.state), r.note,
            r.ready_by, hold, r.paid_money, r.paid_points, r.paid_by_sale,
        )  # fmt: skip

    def state(self) -> dict[str, Any]:
        """The order as consoles see it (JSON-ready): the feed's data and a conflict's state."""
        r = self.row
        out = OrderOut(
            order_id=r.id, guest_id=r.guest_id, state=r.state, method=r.method, note=r.note,
            ready_by=r.ready_by, total=r.total, points_hold_id=r.points_hold_id,
            points_hold_amount=r.points_hold_amount, invoice_status=r.invoice_status,
            paid_money=r.paid_money, paid_points=r.paid_points,
            reversed_amount=r.reversed_amount, debt=r.debt, placed_at=r.placed_at,
            updated_at=r.updated_at, version=r.version, number=r.number,
            updated_by=r.updated_by, updated_by_name=self.updated_by_name,
            allowed_actions=sorted(a.value for a in allowed_actions(self.to_domain())),
            lines=[OrderLineOut(line_id=ln.line_id, product_id=ln.product_id, name=ln.name,
                                quantity=ln.quantity, unit_price=ln.unit_price,
                                in_points=ln.in_points, delivered=ln.delivered,
                                discount=ln.discount or 0)
                   for ln in self.lines],
            discount=sum(ln.discount or 0 for ln in self.lines), accrual=r.accrual or 0,
            paid_by_sale=r.paid_by_sale,
        )  # fmt: skip
        return {**out.model_dump(mode="json"), **(self.guest_accounts or {})}


@dataclass(frozen=True)
class OrderFilter:
    """What a console's list asks for (``GET /v1/orders``); ``after`` is the keyset cursor
    (placed_at, id) of the previous page's last order."""

    states: tuple[OrderState, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    guest: str | None = None
    after: tuple[datetime, str] | None = None
    limit: int = 50


class Orders(Repository):
    __slots__ = ()

    def get(self, order_id: str, *, lock: bool = True) -> StoredOrder | None:
        session = self._session
        query = select(GuestOrderRow).where(GuestOrderRow.id == order_id)
        # FOR NO KEY UPDATE: the order row is changed, never its key
        row = session.scalars(
            query.with_for_update(key_share=True) if lock else query
        ).one_or_none()
        if row is None:
            return None
        lines = session.scalars(
            select(GuestOrderLineRow)
            .where(GuestOrderLineRow.order_id == order_id)
            .order_by(GuestOrderLineRow.position)
        )
        return StoredOrder(
            row, list(lines), self._terminal_names({row.updated_by}).get(row.updated_by, "")
        )

    def _terminal_names(self, ids: set[str]) -> dict[str, str]:
        """Terminals' names by id (an order changed by one shows who did it)."""
        if not ids:
            return {}
        query = select(Terminal.id, Terminal.name).where(Terminal.id.in_(sorted(ids)))
        return dict(self._session.execute(query).tuples().all())

    def _guest_accounts(self, guest_id: str) -> dict[str, int]:
        """The guest's points (total, held) and money balance now, read without a lock: what
        this transaction left them at (an account never used reads 0)."""
        query = select(AccountRow.kind, AccountRow.total, AccountRow.held).where(
            AccountRow.id == guest_id, AccountRow.kind.in_((POINTS, MONEY))
        )
        rows = {kind: (total, held) for kind, total, held in self._session.execute(query)}
        points, held = rows.get(POINTS, (0, 0))
        return {"guest_points": points, "guest_points_held": held,
                "guest_balance": rows.get(MONEY, (0, 0))[0]}  # fmt: skip

    def venue_day(self) -> str:
        """Today on the venue's clock (the shop's published zone), ``YYYY-MM-DD``."""
        zone = shop_zone(published_timezone(self._session))
        return self._uow.now.astimezone(zone).date().isoformat()

    def next_number(self, day: str) -> int:
        """The next order number of the venue's ``day`` (1 for its first order): one atomic
        upsert, so two orders placed at once on two server processes never share a number."""
        row = self._session.execute(_NEXT_NUMBER, {"day": day}).one()
        return int(row[0])

    def new(self, order_id: str, placed: OrderPlaced, discounts: list[int] | None = None
            ) -> StoredOrder:  # fmt: skip
        """A new order (state ``new``) placed now by the unit of work's terminal, its lines
        with ``discounts`` (the group's, by line; none: 0); not stored until ``add``."""
        uow = self._uow
        cut = discounts or [0] * len(placed.lines)
        lines = [
            GuestOrderLineRow(order_id=order_id, line_id=str(n), position=n, delivered=False,
                              discount=d, **line.model_dump())
            for n, (line, d) in enumerate(zip(placed.lines, cut, strict=True), start=1)
        ]  # fmt: skip
        row = GuestOrderRow(
            id=order_id, guest_id=placed.guest_id, state=OrderState.NEW.value,
            method=placed.method.value, note=placed.note, ready_by=placed.ready_by,
            points_hold_id=None, points_hold_amount=0,
            total=sum(line.quantity * line.unit_price for line in placed.lines) - sum(cut),
            invoice_status="none", paid_money=0, paid_points=0, reversed_amount=0, debt=0,
            accrual=0,
            placed_at=uow.now, placed_by=uow.terminal_id, updated_at=uow.now,
            updated_by=uow.terminal_id, version=1,
        )  # fmt: skip
        return StoredOrder(row, lines)

    def moved(self, stored: StoredOrder, after: Order) -> None:
        """Take the order's new state from the domain order a transition made."""
        uow, row = self._uow, stored.row
        delivered = {line.id for line in after.lines if line.delivered}
        for line in stored.lines:
            line.delivered = line.line_id in delivered
        row.state, row.method = after.state.value, after.method.value
        row.points_hold_id = after.points_hold.id if after.points_hold else None
        row.points_hold_amount = after.points_hold.amount if after.points_hold else 0
        row.paid_money, row.paid_points = after.paid_money, after.paid_points
        row.paid_by_sale = after.paid_by_sale
        row.updated_at, row.updated_by, row.version = uow.now, uow.terminal_id, row.version + 1

    def add(self, stored: StoredOrder) -> None:
        """A new order: its row first (the lines' foreign key), then its lines."""
        self._session.add(stored.row)
        self._session.flush()
        self._session.add_all(stored.lines)

    def saved(self, stored: StoredOrder, event: str) -> dict[str, Any]:
        """Write the order's changes and its feed row (``event``: placed, accepted, ...);
        on PostgreSQL wake every server process's order reader at commit. Returns the state."""
        session = self._session
        session.flush()
        stored.updated_by_name = self._terminal_names({stored.row.updated_by}).get(
            stored.row.updated_by, ""
        )
        stored.guest_accounts = self._guest_accounts(stored.row.guest_id)
        state = stored.state()
        self._uow.feed.record(ORDER_ENTITY, stored.row.id, {**state, "event": event})
        if self._dialect == "postgresql":
            session.execute(_NOTIFY)
        return state

    def page(self, wanted: OrderFilter) -> tuple[list[StoredOrder], bool]:
        """One page of orders, newest first, and whether older ones follow.

        Keyset paging on ``(placed_at, id)`` descending (index ``ix_guest_orders_placed_at_id``):
        a page costs the same at the end of a long history as at its start."""
        session = self._session
        rows = list(session.scalars(self.list_query(wanted)))
        page = rows[: wanted.limit]
        lines: dict[str, list[GuestOrderLineRow]] = {row.id: [] for row in page}
        if page:
            query = (select(GuestOrderLineRow)
                     .where(GuestOrderLineRow.order_id.in_(list(lines)))
                     .order_by(GuestOrderLineRow.order_id, GuestOrderLineRow.position))  # fmt: skip
            for line in session.scalars(query):
                lines[line.order_id].append(line)
        names = self._terminal_names({row.updated_by for row in page})
        return ([StoredOrder(row, lines[row.id], names.get(row.updated_by, "")) for row in page],
                len(rows) > wanted.limit)  # fmt: skip

    def list_query(self, wanted: OrderFilter) -> Select[tuple[GuestOrderRow]]:
        query = select(GuestOrderRow)
        if wanted.states:
            query = query.where(GuestOrderRow.state.in_([s.value for s in wanted.states]))
        if wanted.since is not None:
            query = query.where(GuestOrderRow.placed_at >= wanted.since)
        if wanted.until is not None:
            query = query.where(GuestOrderRow.placed_at < wanted.until)
        if wanted.guest:
            query = query.where(self._guest_filter(wanted.guest))
        if wanted.after is not None:
            at, order_id = wanted.after
            # a row-value comparison, which both databases answer from the (placed_at, id) index
            key = tuple_(GuestOrderRow.placed_at, GuestOrderRow.id)
            after = tuple_(literal(at, GuestOrderRow.placed_at.type), literal(order_id))
            query = query.where(key < after)
        order = (GuestOrderRow.placed_at.desc(), GuestOrderRow.id.desc())
        return query.order_by(*order).limit(wanted.limit + 1)

    def _guest_filter(self, text: str) -> ColumnElement[bool]:
        """Orders of guests whose id is ``text``, whose name contains it, or whose phone
        contains its digits (a leading 8 typed the Russian way also matches +7)."""
        text = text.strip()
        matches: list[ColumnElement[bool]] = [Guest.id == text, self._name_match(text)]
        digits = "".join(ch for ch in text if ch.isdigit())
        if len(digits) >= _MIN_PHONE_DIGITS and not any(ch.isalpha() for ch in text):
            matches.append(Guest.phone.contains(digits))
            if digits.startswith("8"):
                matches.append(Guest.phone.startswith(f"+7{digits[1:]}"))
        ids = select(Guest.id).where(or_(*matches))
        return GuestOrderRow.guest_id.in_(ids)

    def _name_match(self, text: str) -> ColumnElement[bool]:
        """Names are Russian: PostgreSQL's ILIKE folds Cyrillic case; SQLite's LIKE folds only
        ASCII, so there the query is also tried lower-case, upper-case and capitalised."""
        pattern = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        if self._dialect == "postgresql":
            return Guest.name.ilike(f"%{pattern}%", escape="\\")
        variants = {pattern, pattern.lower(), pattern.upper(), pattern.capitalize()}
        return or_(*(Guest.name.like(f"%{v}%", escape="\\") for v in sorted(variants)))
