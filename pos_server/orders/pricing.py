"""A guest order is priced on the server when it is placed (issue 20 point 1), by the same code
that prices a till's sale (``pos_app.domain.pricing``): the guest's group discount, over the
lines its scope covers, spread over them to the kopeck. Lines paid in points are priced the
same way (1 point = 1 rouble), so the points held are what the guest really owes.

The guest's group is their group as the transaction reads it (``uow.loyalty.group_of``: no lock
and no loyalty row created, so two orders of a new guest placed at once do not collide).
The products come from the catalogue (their product group and tags decide the scope); while
the server has no catalogue a line is its own product.
"""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.domain.catalog import Product
from pos_app.domain.pricing import GroupSnapshot, SaleLine, price_lines
from pos_server.catalogue.service import catalogue_products
from pos_server.http.schemas import OrderPlaced
from pos_server.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class OrderPrice:
    """Each line's discount (in order) and the group that gave it (None: no discount)."""

    discounts: list[int]
    group_name: str | None


def price_order(uow: UnitOfWork, placed: OrderPlaced) -> OrderPrice:
    group_id = uow.loyalty.group_of(placed.guest_id)
    group = None if group_id is None else uow.groups.current()[0].get(group_id)
    if group is None or group.discount.bp == 0:
        return OrderPrice([0] * len(placed.lines), None)
    products = catalogue_products(uow, {line.product_id for line in placed.lines})
    lines = [
        SaleLine(n, products.get(line.product_id)
                 or Product(line.product_id, line.name, line.unit_price),
                 line.quantity, line.unit_price)
        for n, line in enumerate(placed.lines, start=1)
    ]  # fmt: skip
    priced = price_lines(lines, GroupSnapshot.of(group))
    return OrderPrice([line.discount for line in priced], group.name)
