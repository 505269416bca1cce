"""The server's catalogue: product groups and products, imported from JSON, sent to tills.

``pos-server catalogue import FILE.json`` reads::

    {"groups": [{"id": "coffee", "name": "Coffee", "position": 0, "active": true}],
     "products": [{"id": "latte", "name": "Latte", "price": 21000, "barcode": "4600000000046",
                   "group_id": "coffee", "tags": ["drinks"], "allow_points": true,
                   "guest_orderable": true, "active": true,
                   "colour": "#8d5a3b", "image": "images/latte.png"},
                  {"id": "breakfast", "name": "Breakfast", "price": 35000,
                   "components": [{"product_id": "latte", "quantity": 1},
                                  {"product_id": "croissant", "quantity": 2}]},
                  {"id": "hour", "name": "Game time", "price": 30000, "minutes": 60}]}

``extra_barcodes`` (optional) lists more barcodes a product is found by besides ``barcode``
(a pack and a single item, an old and a new label); every barcode belongs to one product.

A composite product (``components``, issue 18 point 6) is a bundle of other products with
their quantities, sold as one line at its own price; the receipt lists its parts under it.
Parts must be products (in the file or on the server), not the bundle itself, named once, and
nested bundles must not hold each other (``bundles.py``). A time package (``minutes`` > 0, for
gaming clubs) is a product that buys that many minutes; the till shows them on its line. A
product is one or the other (or neither). Guests order both like any product.

The product's ``tags`` are its discount-scope membership: a guest group's discount covers a
product when its scope names the product's group, the product itself or one of its tags
(``pos_app.domain.catalog.DiscountScope``).

``colour`` (``#rrggbb``) and ``image`` (a PNG, JPEG or WebP of at most 64 KB and 1024 px a
side: ``tiles.py``) are optional on groups and products and colour the till's tiles (a product
without its own takes its group's). In the file ``image`` is a path relative to the file (the
command reads it) or base64 / a ``data:`` URI; ``null`` or leaving it out clears it.

An import is an upsert by id: what the file names is created or replaced, what it does not
name stays as it is (set ``"active": false`` to withdraw something). Only rows that really
change write a ``product_group`` / ``product`` change to the feed, so importing the same file
twice sends nothing new to the tills. The whole file is checked before anything is written and
applied in one transaction.

Guest orders are checked against the catalogue once it has any product (``check_order``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, Strict, StringConstraints, model_validator

from pos_app.domain.catalog import BundlePart, Product
from pos_app.domain.errors import DomainError
from pos_app.domain.orders import OrderLine
from pos_server.catalogue.bundles import MAX_PARTS, BundleError, check_bundles
from pos_server.catalogue.tiles import TileColour, TileImage, encode_image
from pos_server.db.models_staff import ProductGroupRow, ProductRow
from pos_server.http.schemas import Amount, EntityId, Name, OrderLineIn, OrderPlaced

if TYPE_CHECKING:  # the unit of work's repositories import this package's neighbours
    from pos_server.uow import UnitOfWork

GROUP_ENTITY = "product_group"
PRODUCT_ENTITY = "product"
Flag = Annotated[bool, Strict()]
Barcode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class CatalogueError(Exception):
    """The file or the order does not fit the catalogue; the message says what to fix."""

    def __init__(self, message: str, code: str = "invalid_catalogue", subject: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.subject = subject  # what a page names in its own words (a barcode, a product)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GroupIn(_In):
    id: EntityId
    name: Name
    position: Annotated[int, Strict(), Field(ge=0, le=1_000_000)] = 0
    active: Flag = True
    colour: TileColour | None = None
    image: TileImage | None = None


class ComponentIn(_In):
    product_id: EntityId
    quantity: Annotated[int, Strict(), Field(ge=1, le=1000)] = 1


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
    colour: TileColour | None = None
    image: TileImage | None = None
    components: Annotated[list[ComponentIn], Field(max_length=MAX_PARTS)] = []
    minutes: Annotated[int, Strict(), Field(ge=1, le=100_000)] | None = None
    extra_barcodes: Annotated[list[Barcode], Field(max_length=20)] = []

    @model_validator(mode="after")
    def _one_kind(self) -> ProductIn:
        if self.components and self.minutes is not None:
            raise ValueError("a product is a bundle or a time package, not both")
        return self

    @model_validator(mode="before")
    @classmethod
    def _barcodes_once(cls, data: Any) -> Any:
        """Extra barcodes without repeats or the main one; the first becomes the main one
        when there is none (``barcode`` alone is what an older till reads)."""
        extra = data.get("extra_barcodes") if isinstance(data, dict) else None
        main = data.get("barcode") if isinstance(data, dict) else None
        if not extra or not isinstance(extra, list) or not isinstance(main, str | None):
            return data
        if not all(isinstance(code, str) for code in extra):
            return data  # the field's own check says what is wrong
        codes = list(dict.fromkeys(c.strip() for c in [main or "", *extra] if c.strip()))
        return {**data, "barcode": codes[0] if codes else None, "extra_barcodes": codes[1:]}

    @property
    def all_barcodes(self) -> list[str]:
        return [*([self.barcode] if self.barcode else []), *self.extra_barcodes]


class CatalogueIn(_In):
    groups: Annotated[list[GroupIn], Field(max_length=10_000)] = []
    products: Annotated[list[ProductIn], Field(max_length=200_000)] = []


def group_data(row: ProductGroupRow) -> dict[str, Any]:
    """The ``product_group`` change (``image``: base64 or None)."""
    return {"group_id": row.id, "name": row.name, "position": row.position, "active": row.active,
            "colour": row.colour, "image": encode_image(row.image)}  # fmt: skip


def product_data(row: ProductRow, names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The ``product`` change: the fields of ``pos_app.domain.catalog.Product`` plus active.
    A bundle's parts carry their names (``names``: product id -> name) so the till prints
    them without looking anything up; ``minutes``: a time package's, else None."""
    names = names or {}
    parts = [{"product_id": part["product_id"], "quantity": part["quantity"],
              "name": names.get(part["product_id"], part["product_id"])}
             for part in row.components or ()]  # fmt: skip
    return {"product_id": row.id, "name": row.name, "price": row.price, "barcode": row.barcode,
            "group_id": row.group_id, "tags": list(row.tags), "allow_points": row.allow_points,
            "guest_orderable": row.guest_orderable, "active": row.active,
            "colour": row.colour, "image": encode_image(row.image),
            "components": parts, "minutes": row.minutes,
            "extra_barcodes": list(row.extra_barcodes or ())}  # fmt: skip


def _check_references(uow: UnitOfWork, data: CatalogueIn) -> None:
    """Unique ids and barcodes, known groups: refuse the file before writing anything."""
    for what, ids in (("group", [g.id for g in data.groups]),
                      ("product", [p.id for p in data.products])):  # fmt: skip
        dupes = sorted(i for i, n in Counter(ids).items() if n > 1)
        if dupes:
            raise CatalogueError(f"The file names {what} {dupes[0]!r} more than once.")
    known_groups = {g.id for g in data.groups} | uow.products.group_ids()
    in_file = {p.id for p in data.products}
    barcodes = {code: pid for code, pid in uow.products.barcodes().items() if pid not in in_file}
    for product in data.products:
        if product.group_id is not None and product.group_id not in known_groups:
            raise CatalogueError(
                f"Product {product.id!r} names group {product.group_id!r}, which is neither "
                "in the file nor on the server.",
                "unknown_group",
                product.group_id,
            )
        for code in product.all_barcodes:
            owner = barcodes.setdefault(code, product.id)
            if owner != product.id:
                raise CatalogueError(
                    f"Products {owner!r} and {product.id!r} both have barcode {code}.",
                    "duplicate_barcode",
                    owner,
                )
    bundles = {pid: parts for pid, parts in uow.products.bundles().items() if pid not in in_file}
    bundles.update({p.id: [c.product_id for c in p.components]
                    for p in data.products if p.components})  # fmt: skip
    named = {c.product_id for p in data.products for c in p.components} - in_file
    try:
        check_bundles(bundles, in_file | set(uow.products.by_ids(named)),
                      [p.id for p in data.products if p.components])  # fmt: skip
    except BundleError as error:
        raise CatalogueError(str(error), f"bundle_{error.kind}", error.subject) from error


def _values(items: Sequence[BaseModel]) -> list[dict[str, Any]]:
    """The rows' values (tags compared as a sorted set)."""
    all_values = [item.model_dump() for item in items]
    for values in all_values:
        if "tags" in values:
            values["tags"] = sorted(set(values["tags"]))
    return all_values


def import_catalogue(uow: UnitOfWork, data: CatalogueIn,
                     action: str = "catalogue.import") -> dict[str, int]:  # fmt: skip
    """Apply a checked catalogue file in the caller's unit of work (``uow.products``); counts
    of groups, products and changes written. One audit row names what changed (a file may hold
    20 000 products: the records themselves are in the feed's history)."""
    _check_references(uow, data)
    any_bundle = bool(uow.products.bundles()) or any(p.components for p in data.products)
    before = uow.products.names({p.id for p in data.products}) if any_bundle else {}
    groups = uow.products.upsert_groups(_values(data.groups))
    products = uow.products.upsert_products(_values(data.products))
    products += _renamed_parts(uow, products, before)
    names = uow.products.names({part["product_id"] for row in products
                                for part in row.components or ()})  # fmt: skip
    entries = [(GROUP_ENTITY, row.id, group_data(row)) for row in groups]
    entries += [(PRODUCT_ENTITY, row.id, product_data(row, names)) for row in products]
    uow.feed.record_many(entries)
    if entries:
        uow.audit.record(action, "catalogue", after={
            "product_groups": [row.id for row in groups][:1000],
            "products": [row.id for row in products][:1000], "changes": len(entries)})  # fmt: skip
    return {"groups": len(data.groups), "products": len(data.products),
            "changes": len(groups) + len(products)}  # fmt: skip


def _renamed_parts(uow: UnitOfWork, changed: list[ProductRow],
                   before: Mapping[str, str]) -> list[ProductRow]:  # fmt: skip
    """Bundles the change left alone but whose part was renamed: their feed record carries
    the parts' names, so it is sent again (the till's receipt would print the old name)."""
    renamed = {row.id for row in changed if before.get(row.id, row.name) != row.name}
    if not renamed:
        return []
    ids = {row.id for row in changed}
    touched = {bundle for bundle, parts in uow.products.bundles().items()
               if bundle not in ids and renamed & set(parts)}  # fmt: skip
    return list(uow.products.by_ids(touched).values()) if touched else []


def group_values(row: ProductGroupRow) -> dict[str, Any]:
    """A stored group as ``GroupIn`` takes it (a form starts from it)."""
    return {"id": row.id, "name": row.name, "position": row.position, "active": row.active,
            "colour": row.colour, "image": row.image}  # fmt: skip


def product_values(row: ProductRow) -> dict[str, Any]:
    """A stored product as ``ProductIn`` takes it (a form starts from it)."""
    return {"id": row.id, "name": row.name, "price": row.price, "barcode": row.barcode,
            "group_id": row.group_id, "tags": list(row.tags), "allow_points": row.allow_points,
            "guest_orderable": row.guest_orderable, "active": row.active,
            "colour": row.colour, "image": row.image,
            "components": [dict(part) for part in row.components or ()],
            "minutes": row.minutes, "extra_barcodes": list(row.extra_barcodes or ())}  # fmt: skip


def set_tile(uow: UnitOfWork, kind: str, entity_id: str, colour: str | None,
             image: bytes | None) -> None:  # fmt: skip
    """A product's or a group's tile colour and picture (the back office's form): the same
    checks, feed change and audit as an import of a file naming only it. ``kind``: "product"
    or "group"; CatalogueError when there is no such row, ValidationError for a bad value."""
    row = uow.products.product(entity_id) if kind == "product" else uow.products.group(entity_id)
    if row is None:
        raise CatalogueError(f"There is no {kind} {entity_id!r}.", "not_found")
    if isinstance(row, ProductRow):
        values = product_values(row) | {"colour": colour, "image": image}
        import_catalogue(uow, CatalogueIn(products=[ProductIn.model_validate(values)]))
    else:
        values = group_values(row) | {"colour": colour, "image": image}
        import_catalogue(uow, CatalogueIn(groups=[GroupIn.model_validate(values)]))


def save_group(uow: UnitOfWork, values: Mapping[str, Any], *, new: bool) -> bool:
    """A group created (``new``) or edited on the back office's form: the import's checks,
    one feed change and an audit row when something really changed (True then). The tile's
    colour and picture stay as they are (``set_tile``). CatalogueError: the id is taken
    (``exists``) or unknown (``not_found``); ValidationError: a bad value."""
    row = uow.products.group(str(values.get("id", "")).strip())
    _exists(row is not None, new, "group", values)
    kept = {"colour": row.colour, "image": row.image} if row is not None else {}
    group = GroupIn.model_validate({**values, **kept})
    action = "catalogue.group_created" if new else "catalogue.group_edited"
    return import_catalogue(uow, CatalogueIn(groups=[group]), action)["changes"] > 0


def save_product(uow: UnitOfWork, values: Mapping[str, Any], *, new: bool) -> bool:
    """A product created or edited on the back office's form (withdrawn: ``active`` false):
    like ``save_group``; refused besides for a barcode another product has
    (``duplicate_barcode``), an unknown group (``unknown_group``) and a bundle whose parts
    do not fit (``bundle_self``, ``bundle_unknown``, ``bundle_twice``, ``bundle_cycle``)."""
    row = uow.products.product(str(values.get("id", "")).strip())
    _exists(row is not None, new, "product", values)
    kept = {"colour": row.colour, "image": row.image} if row is not None else {}
    product = ProductIn.model_validate({**values, **kept})
    action = "catalogue.product_created" if new else "catalogue.product_edited"
    return import_catalogue(uow, CatalogueIn(products=[product]), action)["changes"] > 0


def _exists(found: bool, new: bool, kind: str, values: Mapping[str, Any]) -> None:
    if found and new:
        raise CatalogueError(f"There is already a {kind} {values.get('id')!r}.", "exists")
    if not found and not new:
        raise CatalogueError(f"There is no {kind} {values.get('id')!r}.", "not_found")


def to_domain(row: ProductRow, names: Mapping[str, str] | None = None) -> Product:
    """``names``: the parts' names of a bundle (product id -> name; the id when missing)."""
    parts = tuple(BundlePart(part["product_id"], (names or {}).get(part["product_id"],
                                                                   part["product_id"]),
                             part["quantity"]) for part in row.components or ())  # fmt: skip
    return Product(row.id, row.name, row.price, row.group_id, frozenset(row.tags), row.barcode,
                   row.guest_orderable, row.allow_points, row.colour, components=parts,
                   minutes=row.minutes,
                   extra_barcodes=tuple(row.extra_barcodes or ()))  # fmt: skip


def catalogue_products(uow: UnitOfWork, ids: set[str]) -> dict[str, Product]:
    """The catalogue's products of ``ids`` (as the domain sees them), the withdrawn too."""
    rows = uow.products.by_ids(ids)
    names = uow.products.names({part["product_id"] for row in rows.values()
                                for part in row.components or ()})  # fmt: skip
    return {product_id: to_domain(row, names) for product_id, row in rows.items()}


def check_order(uow: UnitOfWork, placed: OrderPlaced) -> OrderPlaced:
    """The order with names from the catalogue, once the server has one (an empty catalogue
    takes lines as sent, so a server without a catalogue keeps taking orders).

    Refused (CatalogueError, code): a product the catalogue lacks or has withdrawn, or one of
    an inactive product group (``unknown_product``), one not for guest ordering or not payable
    in points (the domain's ``OrderLine.for_product``), a price other than the catalogue's
    (``price_changed``: the guest must see the real price before ordering).
    """
    if not uow.products.any():
        return placed
    rows = uow.products.by_ids({line.product_id for line in placed.lines})
    off_groups = uow.products.inactive_group_ids()
    lines = []
    for line in placed.lines:
        row = rows.get(line.product_id)
        if row is None or not row.active:
            raise CatalogueError(
                f"Product {line.product_id!r} is not in the catalogue.", "unknown_product"
            )
        if row.group_id in off_groups:
            raise CatalogueError(f"{row.name} is off sale: its group is inactive.",
                                 "unknown_product")  # fmt: skip
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
