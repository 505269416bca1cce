"""Products as the pricing rules see them, and the scope a discount applies to."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pos_app.domain.money import require_amount

_HEX_COLOUR = re.compile(r"#[0-9a-f]{6}")


def tile_colour(value: object) -> str | None:
    """A tile colour as the catalogue sends it, ``#rrggbb`` in lower case; None for anything
    else (a till shows a plain tile rather than refuse a product over its colour)."""
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    return text if _HEX_COLOUR.fullmatch(text) else None


@dataclass(frozen=True, slots=True)
class BundlePart:
    """One product inside a composite product, as the receipt lists it under the bundle."""

    product_id: str
    name: str
    quantity: int = 1

    def __post_init__(self) -> None:
        if self.quantity < 1:
            raise ValueError("a bundle holds at least one of each of its products")


@dataclass(frozen=True, slots=True)
class Product:
    """A sellable item or service; ``price`` in kopecks per unit."""

    id: str
    name: str
    price: int
    group_id: str | None = None
    tags: frozenset[str] = frozenset()
    barcode: str | None = None
    guest_orderable: bool = True  # seed 001: enabled for guest ordering (default: all)
    payable_with_points: bool = True
    colour: str | None = None  # its tile's "#rrggbb" (None: its group's, else plain)
    # its tile's picture (PNG/JPEG/WebP bytes, checked by the server); not part of equality
    image: bytes | None = field(default=None, compare=False, repr=False)
    # a composite product (issue 18 point 6): sold as one line at its own price, its parts
    # listed under it on the receipt; empty for a plain product
    components: tuple[BundlePart, ...] = ()
    minutes: int | None = None  # a time package (gaming clubs): the minutes it buys
    extra_barcodes: tuple[str, ...] = ()  # more barcodes it is found by besides ``barcode``

    def __post_init__(self) -> None:
        require_amount(self.price, "price")
        if self.minutes is not None and self.minutes < 1:
            raise ValueError("a time package buys at least one minute")
        if self.colour is not None and tile_colour(self.colour) != self.colour:
            raise ValueError(f"a tile colour is #rrggbb in lower case, not {self.colour!r}")


@dataclass(frozen=True, slots=True)
class DiscountScope:
    """Which products a group discount covers (seed 002).

    Empty scope = the whole order. Otherwise a product is covered when its group, its id or
    any of its tags is listed.
    """

    product_group_ids: frozenset[str] = field(default_factory=frozenset)
    product_ids: frozenset[str] = field(default_factory=frozenset)
    tags: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_whole_order(self) -> bool:
        return not (self.product_group_ids or self.product_ids or self.tags)

    def covers(self, product: Product) -> bool:
        if self.is_whole_order:
            return True
        return (
            (product.group_id is not None and product.group_id in self.product_group_ids)
            or product.id in self.product_ids
            or bool(product.tags & self.tags)
        )


WHOLE_ORDER = DiscountScope()
