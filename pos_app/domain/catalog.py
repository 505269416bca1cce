"""Products as the pricing rules see them, and the scope a discount applies to."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pos_app.domain.money import require_amount

COLOUR_TAGS = ("colour", "color")  # "colour:#f4c430" on a product colours its tile
_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


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

    def __post_init__(self) -> None:
        require_amount(self.price, "price")

    @property
    def colour(self) -> str | None:
        """The tile's colour, ``#rrggbb``, from a ``colour:#rrggbb`` tag (the catalogue has no
        field of its own for it yet); None without one or with a malformed one."""
        for tag in sorted(self.tags):
            key, _, value = tag.partition(":")
            if key in COLOUR_TAGS and _HEX_COLOUR.fullmatch(value.strip()):
                return value.strip().lower()
        return None


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
