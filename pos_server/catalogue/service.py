"""The server's catalogue: product groups and products, imported from JSON, sent to tills.

``pos-server catalogue import FILE.json`` reads::

    {"groups": [{"id": "coffee", "name": "Coffee", "position": 0, "active": true}],
     "products": [{"id": "latte", "name": "Latte", "price": 21000, "barcode": "4600000000046",
                   "group_id": "coffee", "tags": ["drinks"], "allow_points": true,
                   "guest_orderable": true, "active": true}]}

An import is an upsert by id: what the file names is created or replaced, what it does not
name stays as it is (set ``"active": false`` to withdraw something). Only rows that really
change write a ``product_group`` / ``product`` change to the feed, so importing the same file
twice sends nothing new to the tills. The whole file is checked before anything is written and
applied in one transaction.

Guest orders are checked against the catalogue once it has any product (``check_order``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, Strict, StringConstraints
from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_app.domain.catalog import Product
from pos_app.domain.errors import DomainError
from pos_app.domain.orders import OrderLine
from pos_server.db.models_staff import ProductGroupRow, ProductRow
from pos_server.db.upsert import upsert_changed
from pos_server.feed.changes import record_changes
from pos_server.http.schemas import Amount, EntityId, Name, OrderLineIn, OrderPlaced

GROUP_ENTITY = "product_group"
PRODUCT_ENTITY = "product"
Flag = Annotated[bool, Strict()]
Barcode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
_Row = TypeVar("_Row", ProductGroupRow, ProductRow)
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class CatalogueError(Exception):
    """The file or the order does not fit the catalogue; the message says what to fix."""

    def __init__(self, message: str, code: str = "invalid_catalogue") -> None:
        super().__init__(message)
        self.code = code


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GroupIn(_In):
    id: EntityId
    name: Name
    position: Annotated[int, Strict(), Field(ge=0, le=1_000_000)] = 0
    active: Flag = True


class ProductIn(_In):
    id: EntityId
    name: Name
    price: Amount
    barcode: Barcode | None = None
    group_id: EntityId | None = None
    tags: Annotated[list[Tag], Field(max_length=50)] = []
    allow_points: Flag = True
    guest_orderable: Flag = True
    active: Flag = True


class CatalogueIn(_In):
    groups: Annotated[list[GroupIn], Field(max_length=10_000)] = []
    products: Annotated[list[ProductIn], Field(max_length=200_000)] = []


def group_data(row: ProductGroupRow) -> dict[str, Any]:
    return {"group_id": row.id, "name": row.name, "position": row.position, "active": row.active}


def product_data(row: ProductRow) -> dict[str, Any]:
    """The ``product`` change: the fields of ``pos_app.domain.catalog.Product`` plus active."""
    return {"product_id": row.id, "name": row.name, "price": row.price, "barcode": row.barcode,
            "group_id": row.group_id, "tags": list(row.tags), "allow_points": row.allow_points,
            "guest_orderable": row.guest_orderable, "active": row.active}  # fmt: skip


def _check_references(session: Session, data: CatalogueIn) -> None:
    """Unique ids and barcodes, known groups: refuse the file before writing anything."""
    for what, ids in (("group", [g.id for g in data.groups]),
                      ("product", [p.id for p in data.products])):  # fmt: skip
        dupes = sorted(i for i, n in Counter(ids).items() if n > 1)
        if dupes:
            raise CatalogueError(f"The file names {what} {dupes[0]!r} more than once.")
    known_groups = {g.id for g in data.groups} | set(session.scalars(select(ProductGroupRow.id)))
    in_file = {p.id for p in data.products}
    barcodes: dict[str, str] = {
        code: pid for pid, code in session.execute(
            select(ProductRow.id, ProductRow.barcode).where(ProductRow.barcode.is_not(None)))
        if pid not in in_file and code is not None
    }  # fmt: skip
    for product in data.products:
        if product.group_id is not None and product.group_id not in known_groups:
            raise CatalogueError(
                f"Product {product.id!r} names group {product.group_id!r}, which is neither "
                "in the file nor on the server."
            )
        if product.barcode is None:
            continue
        owner = barcodes.setdefault(product.barcode, product.id)
        if owner != product.id:
            raise CatalogueError(
                f"Products {owner!r} and {product.id!r} both have barcode {product.barcode}."
            )


def _upsert(
    session: Session, model: type[_Row], items: Sequence[BaseModel], now: datetime
) -> list[_Row]:
    """Insert or update rows; the rows that changed (tags compared as a sorted set)."""
    all_values = [item.model_dump() for item in items]
    for values in all_values:
        if "tags" in values:
            values["tags"] = sorted(set(values["tags"]))
    return upsert_changed(session, model, all_values, now)


def import_catalogue(session: Session, data: CatalogueIn, now: datetime) -> dict[str, int]:
    """Apply a checked catalogue file; counts of groups, products and changes written."""
    _check_references(session, data)
    groups = _upsert(session, ProductGroupRow, data.groups, now)
    session.flush()  # products refer to their groups
    products = _upsert(session, ProductRow, data.products, now)
    session.flush()
    entries = [(GROUP_ENTITY, row.id, group_data(row)) for row in groups]
    entries += [(PRODUCT_ENTITY, row.id, product_data(row)) for row in products]
    record_changes(session, entries, now)
    return {"groups": len(data.groups), "products": len(data.products),
            "changes": len(groups) + len(products)}  # fmt: skip


def to_domain(row: ProductRow) -> Product:
    return Product(row.id, row.name, row.price, row.group_id, frozenset(row.tags), row.barcode,
                   row.guest_orderable, row.allow_points)  # fmt: skip


def catalogue_products(session: Session, ids: set[str]) -> dict[str, Product]:
    """The catalogue's products of ``ids`` (as the domain sees them), the withdrawn too."""
    query = select(ProductRow).where(ProductRow.id.in_(sorted(ids)))
    return {row.id: to_domain(row) for row in session.scalars(query)}


def has_catalogue(session: Session) -> bool:
    return session.scalars(select(ProductRow.id).limit(1)).first() is not None


def check_order(session: Session, placed: OrderPlaced) -> OrderPlaced:
    """The order with names from the catalogue, once the server has one (an empty catalogue
    takes lines as sent, so a server without a catalogue keeps taking orders).

    Refused (CatalogueError, code): a product the catalogue lacks or has withdrawn
    (``unknown_product``), one not for guest ordering or not payable in points (the domain's
    ``OrderLine.for_product``), a price other than the catalogue's (``price_changed``: the
    guest must see the real price before ordering).
    """
    if not has_catalogue(session):
        return placed
    ids = {line.product_id for line in placed.lines}
    rows = {r.id: r for r in session.scalars(select(ProductRow).where(ProductRow.id.in_(ids)))}
    lines = []
    for line in placed.lines:
        row = rows.get(line.product_id)
        if row is None or not row.active:
            raise CatalogueError(
                f"Product {line.product_id!r} is not in the catalogue.", "unknown_product"
            )
        try:
            checked = OrderLine.for_product("1", to_domain(row), line.quantity,
                                            in_points=line.in_points)  # fmt: skip
        except DomainError as error:
            raise CatalogueError(error.message, error.code) from error
        if line.unit_price != checked.unit_price:
            raise CatalogueError(
                f"{row.name} costs {row.price} kopecks now, not {line.unit_price}.",
                "price_changed",
            )
        lines.append(OrderLineIn(product_id=row.id, name=row.name, quantity=line.quantity,
                                 unit_price=row.price, in_points=line.in_points))  # fmt: skip
    return placed.model_copy(update={"lines": lines})
