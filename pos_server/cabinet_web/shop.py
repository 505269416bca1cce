"""The cabinet's shop (issue 19 point 6, seeds 000 and 001): the menu of guest-orderable
products priced as the server will price the order, the basket the guest builds, placing it
through the orders service every console listens to, and the guest's own orders.

Placing goes through the same code as a terminal's ``POST /v1/orders``: ``check_order`` (the
catalogue) then ``place_order`` (the venue's ordering switch and payment methods, the group
discount, the points hold). The unit of work's terminal is the cabinet (``context.ACTOR``): the
order's ``placed_by`` names the placeholder terminal ``cabinet`` ("Guest cabinet" on the
consoles) and the guest's audit gets a ``cabinet.order`` row, no staff member: by the guest.

The form's token is the order's id, so a second submit of the same form finds the order the
first one placed instead of placing another.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

from pos_app.domain.catalog import Product
from pos_app.domain.orders import TERMINAL_STATES, OrderState, PaymentMethod
from pos_app.domain.pricing import GroupSnapshot, SaleLine, price_lines
from pos_server.catalogue.service import CatalogueError, check_order
from pos_server.db.models import GuestOrderRow
from pos_server.http.schemas import OrderLineIn, OrderPlaced
from pos_server.orders.pricing import price_order
from pos_server.orders.service import OrderRefused, place_order
from pos_server.programme.service import current
from pos_server.repositories.cabinet_shop import MenuProduct
from pos_server.uow import UnitOfWork

TERMINAL_NAME = "Guest cabinet"
NOTE_LIMIT = 500
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class ShopRefused(Exception):
    """The shop cannot do what the guest asked; ``message`` is an English msgid the page shows
    translated with ``values``."""

    def __init__(self, code: str, message: str, status: int = 400, **values: Any) -> None:
        super().__init__(message)
        self.code, self.message, self.status, self.values = code, message, status, values


def _(message: str) -> str:  # marks a msgid for the extraction (scripts/cabinet_i18n.sh)
    return message


# what an orders service or catalogue refusal means to the guest, by its code
REFUSALS: Mapping[str, str] = {
    "ordering_off": _("Ordering from the cabinet is turned off at the venue."),
    "guest_not_allowed": _(
        "Ordering from the cabinet is not allowed for your card. Ask at the venue."
    ),
    "payment_method_off": _("The venue does not take this payment method for orders."),
    "insufficient_points": _(
        "Not enough points for this order: choose another payment method or take the points "
        "lines out."
    ),
    "unknown_product": _("A product of your order is no longer on the menu."),
    "product_not_orderable": _("A product of your order cannot be ordered from the cabinet."),
    "points_not_allowed": _("This product cannot be paid with points."),
    "price_changed": _("A price has changed meanwhile: check the order and place it again."),
    "empty_basket": _("Your order is empty: add something from the menu first."),
    "bad_ready_by": _("Ready by is a time such as 18:30."),
    "order_exists": _("This order form was already used. Open the shop again."),
}
UNKNOWN_REFUSAL = _("The order was not accepted. Try again or ask at the venue.")


@dataclass(frozen=True)
class MenuItem:
    product_id: str
    name: str
    price: int  # the catalogue's
    price_now: int  # with the guest's group discount, as the order will be priced
    allow_points: bool


@dataclass(frozen=True)
class MenuGroup:
    group_id: str | None
    name: str
    items: list[MenuItem]


@dataclass(frozen=True)
class BasketItem:
    product_id: str
    name: str
    in_points: bool
    quantity: int
    unit_price: int
    discount: int

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_price - self.discount


@dataclass(frozen=True)
class Basket:
    items: list[BasketItem] = field(default_factory=list)
    group_name: str | None = None

    @property
    def total(self) -> int:
        return sum(item.amount for item in self.items)

    @property
    def points_total(self) -> int:
        return sum(item.amount for item in self.items if item.in_points)

    @property
    def discount(self) -> int:
        return sum(item.discount for item in self.items)


@dataclass(frozen=True)
class Shop:
    """Everything the shop page shows."""

    closed: str | None  # None: the guest may order; else why not (a msgid)
    methods: tuple[PaymentMethod, ...]
    groups: list[MenuGroup]
    basket: Basket
    points: int  # available to spend
    balance: int
    open_orders: list[GuestOrderRow]


def closed_reason(uow: UnitOfWork, guest_id: str) -> str | None:
    """Why the guest cannot order now (a msgid), or None."""
    if not current(uow).ordering.enabled:
        return REFUSALS["ordering_off"]
    if not uow.cabinet_shop.ordering_allowed(guest_id):
        return REFUSALS["guest_not_allowed"]
    return None


def _group_snapshot(uow: UnitOfWork, guest_id: str) -> GroupSnapshot | None:
    group_id = uow.loyalty.group_of(guest_id)
    group = None if group_id is None else uow.groups.current()[0].get(group_id)
    return None if group is None or group.discount.bp == 0 else GroupSnapshot.of(group)


def _product(item: MenuProduct) -> Product:
    return Product(
        item.product_id,
        item.name,
        item.price,
        group_id=item.group_id,
        tags=frozenset(item.tags),
        payable_with_points=item.allow_points,
    )


def menu(uow: UnitOfWork, guest_id: str, text: str = "") -> list[MenuGroup]:
    """The guest-orderable menu by product group (the groups' order; products without a group
    last), each price as one unit of it in an order is priced for this guest."""
    snapshot = _group_snapshot(uow, guest_id)
    groups: dict[str | None, list[MenuItem]] = {}
    for item in uow.cabinet_shop.menu(text):
        price_now = item.price
        if snapshot is not None:
            priced = price_lines([SaleLine(1, _product(item), 1, item.price)], snapshot)
            price_now = priced[0].total
        groups.setdefault(item.group_id, []).append(MenuItem(
            item.product_id, item.name, item.price, price_now, item.allow_points))  # fmt: skip
    named = [(gid, name) for gid, name in uow.cabinet_shop.group_names() if gid in groups]
    found = [MenuGroup(gid, name, groups.pop(gid)) for gid, name in named]
    rest = [item for items in groups.values() for item in items]  # no group
    return found + ([MenuGroup(None, "", rest)] if rest else [])


def _lines(uow: UnitOfWork, guest_id: str) -> list[OrderLineIn]:
    """The basket as order lines at the catalogue's prices now (products gone or off sale
    with their inactive group are dropped)."""
    basket = uow.cabinet_shop.basket(guest_id)
    products = uow.products.by_ids({line.product_id for line in basket})
    off_groups = uow.products.inactive_group_ids()
    return [
        OrderLineIn(product_id=line.product_id, name=products[line.product_id].name,
                    quantity=line.quantity, unit_price=products[line.product_id].price,
                    in_points=line.in_points)
        for line in basket
        if line.product_id in products and products[line.product_id].active
        and products[line.product_id].group_id not in off_groups
    ]  # fmt: skip


def basket(uow: UnitOfWork, guest_id: str) -> Basket:
    """The guest's basket priced by the server's own order pricing (``price_order``)."""
    lines = _lines(uow, guest_id)
    if not lines:
        return Basket()
    price = price_order(uow, OrderPlaced(guest_id=guest_id, lines=lines,
                                         method=PaymentMethod.CASH))  # fmt: skip
    return Basket([BasketItem(line.product_id, line.name, line.in_points, line.quantity,
                              line.unit_price, discount)
                   for line, discount in zip(lines, price.discounts, strict=True)],
                  price.group_name)  # fmt: skip


def shop(uow: UnitOfWork, guest_id: str, text: str = "", *, whole: bool = True) -> Shop:
    """The shop page's data; ``whole=False``: for the basket part alone (an htmx add or
    remove), without pricing the menu or reading the open orders it does not show."""
    points, balance = uow.cabinet_shop.wallet(guest_id)
    groups = menu(uow, guest_id, text) if whole else []
    orders = uow.cabinet_shop.open_orders(guest_id) if whole else []
    return Shop(closed_reason(uow, guest_id), current(uow).ordering.payment_methods, groups,
                basket(uow, guest_id), points, balance, orders)  # fmt: skip


def change_basket(uow: UnitOfWork, guest_id: str, product_id: str, in_points: bool,
                  by: int) -> None:  # fmt: skip
    """Add one (``by`` 1) of a menu product to the basket, or take one away (-1). Adding is
    refused for a product not on the menu or, for points, not payable with points."""
    if by > 0:
        why = closed_reason(uow, guest_id)
        if why is not None:
            raise ShopRefused("ordering_off", why, 403)
        row = uow.products.product(product_id[:64])
        off_sale = row is not None and row.group_id in uow.products.inactive_group_ids()
        if row is None or not row.active or not row.guest_orderable or off_sale:
            raise ShopRefused("unknown_product", REFUSALS["unknown_product"], 404)
        if in_points and not row.allow_points:
            raise ShopRefused("points_not_allowed", REFUSALS["points_not_allowed"], 422)
    uow.cabinet_shop.change_basket(guest_id, product_id[:64], in_points, by)


def ready_by_of(text: str, now: datetime, uow: UnitOfWork) -> datetime | None:
    """``HH:MM`` on the venue's clock: today, or tomorrow once today's has passed. Empty:
    as soon as possible (None)."""
    text = text.strip()
    if not text:
        return None
    found = _TIME.match(text)
    if found is None:
        raise ShopRefused("bad_ready_by", REFUSALS["bad_ready_by"])
    zone = current(uow).venue.zone
    local = now.astimezone(zone)
    wanted = datetime.combine(local.date(), time(int(found[1]), int(found[2])), zone)
    if wanted < local - timedelta(minutes=1):
        wanted = datetime.combine(local.date() + timedelta(days=1), wanted.timetz())
    return wanted.astimezone(UTC)


def valid_token(token: str) -> bool:
    return bool(_TOKEN.match(token))


def place(uow: UnitOfWork, guest_id: str, token: str, *, method: str, note: str,
          ready_by: str) -> str:  # fmt: skip
    """Place the basket as an order whose id is the form's ``token``; the order's id. The
    same token again (a double submit) answers the order it placed, nothing new."""
    if not valid_token(token):
        raise ShopRefused("order_exists", REFUSALS["order_exists"], 409)
    uow.cabinet_shop.lock_guest(guest_id)  # a twin submit waits here, then finds the order
    existing = uow.orders.get(token, lock=False)
    if existing is not None:
        if existing.row.guest_id != guest_id:
            raise ShopRefused("order_exists", REFUSALS["order_exists"], 409)
        return token
    why = closed_reason(uow, guest_id)
    if why is not None:
        raise ShopRefused("ordering_off", why, 403)
    try:
        chosen = PaymentMethod(method)
    except ValueError:
        raise ShopRefused("payment_method_off", REFUSALS["payment_method_off"], 422) from None
    if chosen not in current(uow).ordering.payment_methods:
        raise ShopRefused("payment_method_off", REFUSALS["payment_method_off"], 422)
    lines = _lines(uow, guest_id)
    if not lines:
        raise ShopRefused("empty_basket", REFUSALS["empty_basket"])
    placed = OrderPlaced(order_id=token, guest_id=guest_id, lines=lines, method=chosen,
                         note=note.strip()[:NOTE_LIMIT],
                         ready_by=ready_by_of(ready_by, uow.now, uow))  # fmt: skip
    uow.cabinet_shop.ensure_terminal(uow.terminal_id, TERMINAL_NAME)
    try:
        state = place_order(uow, check_order(uow, placed))
    except (OrderRefused, CatalogueError) as error:
        code = error.code
        raise ShopRefused(code, REFUSALS.get(code, UNKNOWN_REFUSAL), 422) from error
    uow.guest_cards.audit(guest_id, "cabinet.order", after={
        "order_id": token, "number": state.get("number"), "total": state["total"],
        "method": chosen.value})  # fmt: skip
    uow.cabinet_shop.empty_basket(guest_id)
    return token


@dataclass(frozen=True)
class OrderLineView:
    name: str
    quantity: int
    unit_price: int
    in_points: bool
    delivered: bool
    discount: int

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_price - self.discount


@dataclass(frozen=True)
class OrderView:
    """The guest's order as its page shows it."""

    order_id: str
    number: str | None
    state: str
    method: str
    note: str
    ready_by: datetime | None  # on the venue's clock
    placed_at: datetime  # on the venue's clock
    lines: list[OrderLineView]
    total: int
    invoice_status: str
    version: int

    @property
    def closed(self) -> bool:
        return OrderState(self.state) in TERMINAL_STATES

    @property
    def delivered(self) -> int:
        return sum(1 for line in self.lines if line.delivered)

    @property
    def discount(self) -> int:
        return sum(line.discount for line in self.lines)


def order_view(uow: UnitOfWork, guest_id: str, order_id: str) -> OrderView | None:
    """The guest's own order ``order_id``; None for another's or none (the page's 404).
    Two reads by key (the order, its lines): what the page's polling costs."""
    row = uow.cabinet_shop.own_order(guest_id, order_id[:64])
    if row is None:
        return None
    zone = current(uow).venue.zone
    lines = [OrderLineView(ln.name, ln.quantity, ln.unit_price, ln.in_points, ln.delivered,
                           ln.discount or 0)
             for ln in uow.cabinet_shop.order_lines(row.id)]  # fmt: skip
    return OrderView(
        row.id, row.number, row.state, row.method, row.note,
        row.ready_by.astimezone(zone) if row.ready_by else None, row.placed_at.astimezone(zone),
        lines, row.total, row.invoice_status, row.version,
    )  # fmt: skip
