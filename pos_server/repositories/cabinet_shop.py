"""The cabinet shop's rows (issue 19 point 6): the guest-orderable menu, the guest's basket
(``cabinet_basket_lines``), the guest's own orders, and the placeholder terminal the cabinet's
orders are placed by. Every read of an order or a basket takes the guest id the session names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from pos_app.domain.orders import TERMINAL_STATES
from pos_server.db.models import (
    MONEY,
    POINTS,
    AccountRow,
    Guest,
    GuestOrderLineRow,
    GuestOrderRow,
    Terminal,
)
from pos_server.db.models_cabinet import CabinetBasketLineRow
from pos_server.db.models_staff import ProductGroupRow, ProductRow
from pos_server.uow import Repository

MAX_QUANTITY = 99  # of one product in one basket line: a guest's order, not a wholesale one
_CLOSED = sorted(state.value for state in TERMINAL_STATES)


@dataclass(frozen=True, slots=True)
class MenuProduct:
    """A product as the menu needs it (no tile picture: the menu is text)."""

    product_id: str
    name: str
    price: int
    group_id: str | None
    tags: tuple[str, ...]
    allow_points: bool


@dataclass(frozen=True, slots=True)
class BasketLine:
    product_id: str
    in_points: bool
    quantity: int


class CabinetShop(Repository):
    """``uow.cabinet_shop``."""

    __slots__ = ()

    def ordering_allowed(self, guest_id: str) -> bool:
        """The guest card's "may order from the cabinet" flag."""
        found = self._session.scalar(select(Guest.ordering_allowed).where(Guest.id == guest_id))
        return bool(found)

    def lock_guest(self, guest_id: str) -> None:
        """Hold the guest's row until the transaction ends (FOR NO KEY UPDATE: an order's
        foreign key to it still goes in), so one guest's placements are judged one after the
        other and each sees what the one before committed (its order, its emptied basket)."""
        self._session.execute(
            select(Guest.id).where(Guest.id == guest_id).with_for_update(key_share=True)
        )

    def wallet(self, guest_id: str) -> tuple[int, int]:
        """The guest's points available (total - held) and money balance now, no lock."""
        query = select(AccountRow.kind, AccountRow.total, AccountRow.held).where(
            AccountRow.id == guest_id, AccountRow.kind.in_((POINTS, MONEY)))  # fmt: skip
        rows = {kind: (total, held) for kind, total, held in self._session.execute(query)}
        points, held = rows.get(POINTS, (0, 0))
        return points - held, rows.get(MONEY, (0, 0))[0]

    def menu(self, text: str = "") -> list[MenuProduct]:
        """The active guest-orderable products whose name holds ``text`` (any case, Cyrillic
        too: matched here, SQLite's lower() knows only ASCII), by name; an inactive group's
        products are off sale, so not on the menu."""
        query = (
            select(ProductRow.id, ProductRow.name, ProductRow.price, ProductRow.group_id,
                   ProductRow.tags, ProductRow.allow_points)
            .outerjoin(ProductGroupRow, ProductGroupRow.id == ProductRow.group_id)
            .where(ProductRow.active.is_(True), ProductRow.guest_orderable.is_(True),
                   or_(ProductGroupRow.active.is_(None), ProductGroupRow.active.is_(True)))
            .order_by(ProductRow.name, ProductRow.id)
        )  # fmt: skip
        needle = text.strip().casefold()
        return [
            MenuProduct(pid, name, price, group_id, tuple(tags or ()), allow_points)
            for pid, name, price, group_id, tags, allow_points in self._session.execute(query)
            if not needle or needle in name.casefold()
        ]

    def group_names(self) -> list[tuple[str, str]]:
        """Every active product group (id, name) in the tiles' order."""
        query = (select(ProductGroupRow.id, ProductGroupRow.name)
                 .where(ProductGroupRow.active.is_(True))
                 .order_by(ProductGroupRow.position, ProductGroupRow.name))  # fmt: skip
        return [(gid, name) for gid, name in self._session.execute(query)]

    def basket(self, guest_id: str) -> list[BasketLine]:
        query = (select(CabinetBasketLineRow)
                 .where(CabinetBasketLineRow.guest_id == guest_id)
                 .order_by(CabinetBasketLineRow.added_at, CabinetBasketLineRow.product_id,
                           CabinetBasketLineRow.in_points))  # fmt: skip
        return [BasketLine(r.product_id, r.in_points, r.quantity)
                for r in self._session.scalars(query)]  # fmt: skip

    def change_basket(self, guest_id: str, product_id: str, in_points: bool, by: int) -> None:
        """Add ``by`` (negative: take away) of a product to the guest's basket line; a line
        that reaches 0 goes, one never passes ``MAX_QUANTITY``."""
        key = (guest_id, product_id, in_points)
        row = self._session.get(CabinetBasketLineRow, key, with_for_update=True)
        if row is None:
            if by > 0:
                self._session.add(CabinetBasketLineRow(
                    guest_id=guest_id, product_id=product_id, in_points=in_points,
                    quantity=min(by, MAX_QUANTITY), added_at=self._uow.now))  # fmt: skip
                self._session.flush()
            return
        row.quantity = min(row.quantity + by, MAX_QUANTITY)
        if row.quantity <= 0:
            self._session.delete(row)
        self._session.flush()

    def empty_basket(self, guest_id: str) -> None:
        self._session.execute(
            delete(CabinetBasketLineRow).where(CabinetBasketLineRow.guest_id == guest_id)
        )

    def own_order(self, guest_id: str, order_id: str) -> GuestOrderRow | None:
        """The guest's order ``order_id``; None when there is none or it is another's."""
        return self._session.scalars(select(GuestOrderRow).where(
            GuestOrderRow.id == order_id, GuestOrderRow.guest_id == guest_id)).first()  # fmt: skip

    def order_lines(self, order_id: str) -> list[GuestOrderLineRow]:
        """An order's lines in order (the caller found the order among the guest's own)."""
        query = (select(GuestOrderLineRow).where(GuestOrderLineRow.order_id == order_id)
                 .order_by(GuestOrderLineRow.position))  # fmt: skip
        return list(self._session.scalars(query))

    def open_orders(self, guest_id: str, limit: int = 10) -> list[GuestOrderRow]:
        """The guest's orders not yet closed, newest first."""
        query = (select(GuestOrderRow)
                 .where(GuestOrderRow.guest_id == guest_id, GuestOrderRow.state.not_in(_CLOSED))
                 .order_by(GuestOrderRow.placed_at.desc()).limit(limit))  # fmt: skip
        return list(self._session.scalars(query))

    def closed_orders(self, guest_id: str, start: datetime, end: datetime,
                      limit: int) -> list[GuestOrderRow]:  # fmt: skip
        """The guest's closed orders (completed, cancelled, voided) placed in [start, end),
        newest first."""
        query = (select(GuestOrderRow)
                 .where(GuestOrderRow.guest_id == guest_id, GuestOrderRow.state.in_(_CLOSED),
                        GuestOrderRow.placed_at >= start, GuestOrderRow.placed_at < end)
                 .order_by(GuestOrderRow.placed_at.desc(), GuestOrderRow.id.desc())
                 .limit(limit))  # fmt: skip
        return list(self._session.scalars(query))

    def ensure_terminal(self, terminal_id: str, name: str) -> None:
        """The row the cabinet's orders name as placed by (``guest_orders.placed_by`` refers to
        a terminal): never enrolled and revoked from the start, so nothing signs in with it.
        One statement that does nothing when the row exists (two first orders at once)."""
        dialect = postgresql if self._dialect == "postgresql" else sqlite
        statement = dialect.insert(Terminal).values(
            id=terminal_id, name=name, created_at=self._uow.now, enrol_code_hash=None,
            enrol_code_expires_at=None, token_hash=None, enrolled_at=None,
            revoked_at=self._uow.now, last_seq=0,
        ).on_conflict_do_nothing(index_elements=["id"])  # fmt: skip
        self._connection.execute(statement)
