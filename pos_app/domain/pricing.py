"""Pricing of a sale: line totals and the guest group's discount.

The group discount rule (seed 002, DOMAIN.md "Guest groups"), the same on the till and on the
server so an offline sale recomputes to the same kopeck:

1. A line is *covered* when the group's ``DiscountScope`` covers its product (an empty scope
   covers every line).
2. ``discount = group.discount.apply(covered subtotal)`` - the percentage is taken **once** of
   the sum of the covered lines' subtotals (``unit price x quantity``), by the one rounding rule
   of ``money.Percent.apply`` (nearest kopeck, halves up).
3. That discount is spread over the covered lines in proportion to their subtotals with
   ``money.allocate`` (largest remainder, ties to the earlier line), so the line discounts add
   up to it exactly and ``sale total = sum of line totals``.

Taking the percentage of the covered sum (not of each line) means adding the same items one by
one or as one line with a quantity gives the same total.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from pos_app.domain.catalog import WHOLE_ORDER, DiscountScope, Product
from pos_app.domain.errors import DomainError
from pos_app.domain.money import ZERO_PERCENT, Percent, allocate, require_amount

MAX_QUANTITY = 9_999


class InvalidQuantity(DomainError):
    code = "invalid_quantity"


class _GroupLike(Protocol):
    """What a snapshot needs of a guest group (``groups.GuestGroup`` fits)."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def discount(self) -> Percent: ...
    @property
    def scope(self) -> DiscountScope: ...


@dataclass(frozen=True, slots=True)
class GroupSnapshot:
    """The guest's group as it was when the sale was made (seed 002 keeps it per transaction)."""

    group_id: str
    name: str
    discount: Percent = ZERO_PERCENT
    scope: DiscountScope = field(default=WHOLE_ORDER)

    @classmethod
    def of(cls, group: _GroupLike) -> GroupSnapshot:
        return cls(group.id, group.name, group.discount, group.scope)


def require_quantity(quantity: int) -> int:
    """Quantities are whole units, 1 .. ``MAX_QUANTITY``."""
    if not isinstance(quantity, int) or isinstance(quantity, bool):
        raise InvalidQuantity("The quantity must be a whole number.", quantity=str(quantity))
    if not 1 <= quantity <= MAX_QUANTITY:
        raise InvalidQuantity(
            f"The quantity must be between 1 and {MAX_QUANTITY}, not {quantity}.",
            quantity=quantity,
        )
    return quantity


@dataclass(frozen=True, slots=True)
class SaleLine:
    """One line of a sale; ``product`` is a snapshot taken when the line was added."""

    line_no: int
    product: Product
    quantity: int
    unit_price: int
    discount: int = 0

    def __post_init__(self) -> None:
        require_quantity(self.quantity)
        require_amount(self.unit_price, "unit price")
        require_amount(self.discount, "line discount")
        if self.discount > self.subtotal:
            raise DomainError("A line discount cannot exceed the line.", line_no=self.line_no)

    @property
    def subtotal(self) -> int:
        return self.unit_price * self.quantity

    @property
    def total(self) -> int:
        return self.subtotal - self.discount


@dataclass(frozen=True, slots=True)
class Totals:
    subtotal: int
    discount: int
    total: int


def price_lines(
    lines: Sequence[SaleLine], group: GroupSnapshot | None, order_discount: Percent | None = None
) -> list[SaleLine]:
    """The lines with the group discount applied by the rule in the module docstring, then
    ``order_discount`` (a promo code's, seed 003): that percentage of the order total *after*
    the group discount, spread over every line by what it still costs (``money.allocate``)."""
    discounts = [0] * len(lines)
    if group is not None and group.discount.bp != 0:
        covered = [i for i, line in enumerate(lines) if group.scope.covers(line.product)]
        weights = [lines[i].subtotal for i in covered]
        if covered:
            parts = allocate(group.discount.apply(sum(weights)), weights)
            for i, part in zip(covered, parts, strict=True):
                discounts[i] = part
    if order_discount is not None and order_discount.bp != 0 and lines:
        remaining = [line.subtotal - d for line, d in zip(lines, discounts, strict=True)]
        extra = allocate(order_discount.apply(sum(remaining)), remaining)
        discounts = [d + e for d, e in zip(discounts, extra, strict=True)]
    return [
        line if line.discount == d else replace(line, discount=d)
        for line, d in zip(lines, discounts, strict=True)
    ]


def totals_of(lines: Sequence[SaleLine]) -> Totals:
    subtotal = sum(line.subtotal for line in lines)
    discount = sum(line.discount for line in lines)
    return Totals(subtotal=subtotal, discount=discount, total=subtotal - discount)
