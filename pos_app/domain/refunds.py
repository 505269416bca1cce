"""Refunds by line and quantity: what may still be given back, and by which way it was paid.

A closed sale may be refunded in several parts. Each part names lines and quantities; the
rules make sure the parts together never give back more than was sold, line by line and
method by method, and that the last part gives back exactly what is left (no kopeck lost or
invented by rounding):

- A line's refund is its paid total (after every discount) pro rata to the quantity; the part
  that takes the line's last units takes whatever of the line's total is left.
- The amount goes back by the sale's payment methods: cash, balance and points share it in
  proportion to what is left of each (``money.allocate``); the card is used last and only for
  the whole card amount still left, because a card terminal reverses a whole charge, not a
  part. A part that would need a piece of the card payment is refused with what to do.
- The sale's points estimate (accrual) is taken back in the same proportion to the sale's
  total (``accrual_left``).

The server judges ``sale.refunded`` by the same per-method limits (``pos_server/ops``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from pos_app.domain.errors import DomainError
from pos_app.domain.money import allocate

METHOD_ORDER = ("cash", "balance", "points", "card")  # the card last (whole charges only)


class NothingToRefund(DomainError):
    code = "nothing_to_refund"


class RefundTooLarge(DomainError):
    code = "refund_too_large"


class PartialCardRefund(DomainError):
    code = "partial_card_refund"


@dataclass(frozen=True, slots=True)
class SoldLine:
    """A line as it was sold: ``total`` is what was paid for it after discounts."""

    line_no: int
    quantity: int
    total: int


@dataclass(frozen=True, slots=True)
class RefundedLine:
    """Part of a line given back: ``quantity`` units for ``amount`` kopecks."""

    line_no: int
    quantity: int
    amount: int


@dataclass(frozen=True, slots=True)
class LineLeft:
    line_no: int
    quantity: int  # units that may still be refunded
    amount: int  # kopecks of the line not given back yet


@dataclass(frozen=True, slots=True)
class RefundPlan:
    lines: tuple[RefundedLine, ...]
    by_method: tuple[tuple[str, int], ...]  # METHOD_ORDER, amounts > 0 only

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)

    def amount(self, method: str) -> int:
        return dict(self.by_method).get(method, 0)


def lines_left(sold: Sequence[SoldLine], earlier: Iterable[RefundedLine]) -> list[LineLeft]:
    """What of each sold line the earlier refunds left."""
    qty = {line.line_no: 0 for line in sold}
    amount = dict(qty)
    for part in earlier:
        qty[part.line_no] = qty.get(part.line_no, 0) + part.quantity
        amount[part.line_no] = amount.get(part.line_no, 0) + part.amount
    return [LineLeft(s.line_no, s.quantity - qty[s.line_no], s.total - amount[s.line_no])
            for s in sold]  # fmt: skip


def methods_left(paid: Mapping[str, int], earlier: Mapping[str, int]) -> dict[str, int]:
    """Per method, what was paid (money kept) minus what earlier refunds gave back."""
    return {m: paid.get(m, 0) - earlier.get(m, 0) for m in METHOD_ORDER if paid.get(m, 0)}


def plan_refund(
    sold: Sequence[SoldLine], earlier_lines: Iterable[RefundedLine],
    paid: Mapping[str, int], earlier_methods: Mapping[str, int],
    wanted: Mapping[int, int],
) -> RefundPlan:  # fmt: skip
    """The refund of ``wanted`` (line number -> units) given what earlier refunds took."""
    left = {x.line_no: x for x in lines_left(sold, earlier_lines)}
    parts: list[RefundedLine] = []
    for line_no, quantity in sorted(wanted.items()):
        if quantity == 0:
            continue
        line = left.get(line_no)
        if line is None or quantity < 0 or quantity > line.quantity:
            raise RefundTooLarge(
                f"Line {line_no} has {line.quantity if line else 0} unit(s) left to refund; "
                f"{quantity} cannot be given back.", line_no=line_no,
                left=line.quantity if line else 0,
            )  # fmt: skip
        amount = (line.amount if quantity == line.quantity
                  else line.amount * quantity // line.quantity)  # fmt: skip
        parts.append(RefundedLine(line_no, quantity, amount))
    if not parts:
        raise NothingToRefund("Choose at least one line and quantity to refund.")
    return RefundPlan(tuple(parts), split_by_method(sum(p.amount for p in parts),
                                                    methods_left(paid, earlier_methods)))


def split_by_method(amount: int, left: Mapping[str, int]) -> tuple[tuple[str, int], ...]:
    """``amount`` over the ways the sale was paid (module docstring); never more than ``left``
    of any method."""
    available = sum(left.values())
    if amount > available:
        raise RefundTooLarge(f"Only {available} kopecks of this sale are left to refund.",
                             left=available)  # fmt: skip
    card = left.get("card", 0)
    others = [m for m in METHOD_ORDER if m != "card" and left.get(m, 0) > 0]
    rest = sum(left[m] for m in others)
    from_others = min(amount, rest)
    from_card = amount - from_others
    if 0 < from_card < card:
        raise PartialCardRefund(
            "A card payment is given back whole: refund the lines worth the card's "
            "whole amount, or the whole receipt.", card=card, needed=from_card,
        )  # fmt: skip
    parts = dict(zip(others, allocate(from_others, [left[m] for m in others]), strict=True))
    parts["card"] = from_card
    return tuple((m, parts[m]) for m in METHOD_ORDER if parts.get(m, 0) > 0)


def accrual_left(accrual: int, sale_total: int, refunded_before: int, refunding: int) -> int:
    """The part of the sale's accrual this refund takes back: pro rata to the refunded
    money, cumulative (the part that completes the sale takes the rest)."""
    if sale_total <= 0 or accrual <= 0:
        return 0
    after = min(refunded_before + refunding, sale_total)
    return accrual * after // sale_total - accrual * refunded_before // sale_total
