"""The Sale aggregate: a basket at the till from open to closed (or cancelled).

States: ``open -> closed`` (paid in full, gets a receipt number) or ``open -> cancelled``.
Only an open sale changes. Lines and the guest cannot change once a payment is taken, so the
amount the guest was told never moves under a payment. Pricing (the group discount) lives in
``pricing.py``; this module keeps the state and the money arithmetic of payments.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from pos_app.domain.catalog import Product
from pos_app.domain.errors import DomainError
from pos_app.domain.money import Percent, format_money, require_amount
from pos_app.domain.pricing import (
    GroupSnapshot,
    SaleLine,
    Totals,
    price_lines,
    require_quantity,
    totals_of,
)

_PREFIX_RE = re.compile(r"^[A-Z0-9]{1,8}$")
RECEIPT_DIGITS = 6


class SaleStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class PaymentMethod(StrEnum):
    CASH = "cash"
    CARD = "card"
    BALANCE = "balance"
    POINTS = "points"


class SaleNotOpen(DomainError):
    code = "sale_not_open"


class EmptySale(DomainError):
    code = "empty_sale"


class NotPaidInFull(DomainError):
    code = "not_paid_in_full"


class NothingDue(DomainError):
    code = "nothing_due"


class Overpayment(DomainError):
    code = "overpayment"


class PaymentStarted(DomainError):
    code = "payment_started"


class LineNotFound(DomainError):
    code = "line_not_found"


class InvalidReceiptPrefix(DomainError):
    code = "invalid_receipt_prefix"


def format_receipt_no(prefix: str, number: int) -> str:
    """``format_receipt_no("T1", 42) == "T1-000042"``: the prefix keeps tills from colliding."""
    if not _PREFIX_RE.match(prefix):
        raise InvalidReceiptPrefix(
            f"A receipt prefix is 1-8 capital Latin letters or digits, not {prefix!r}.",
            prefix=prefix,
        )
    if number < 1:
        raise DomainError("Receipt numbers start at 1.", number=number)
    return f"{prefix}-{number:0{RECEIPT_DIGITS}d}"


def receipt_number(prefix: str, receipt_no: str) -> int | None:
    """The number of a receipt ``format_receipt_no(prefix, n)`` made (None: another till's,
    or not one of ours)."""
    head, _, digits = receipt_no.rpartition("-")
    return int(digits) if head == prefix and digits.isdigit() and digits.isascii() else None


@dataclass(frozen=True, slots=True)
class GuestSnapshot:
    """The identified guest as the sale saw them: name, and the group at that moment."""

    guest_id: str
    name: str
    group: GroupSnapshot | None = None
    identified_by: str = "manual"  # an InputMethod value, or "phone"


@dataclass(frozen=True, slots=True)
class OrderDiscount:
    """A percentage off the whole order after the group discount, and why (``"promo:CODE"``:
    a referral promo code, seed 003). Pricing: ``pricing.price_lines``."""

    percent: Percent
    reason: str


@dataclass(frozen=True, slots=True)
class Payment:
    """Money taken; for cash ``tendered`` is what the guest handed over, ``change`` given back.

    ``hold_id``: for points, the hold (made by the till) whose commit is this payment's debit.
    """

    method: PaymentMethod
    amount: int
    at: datetime
    tendered: int
    change: int = 0
    hold_id: str | None = None


class Sale:
    """One sale at one terminal. Build with ``Sale.open``; repositories pass every field."""

    def __init__(
        self,
        *,
        id: str,
        terminal_id: str,
        opened_at: datetime,
        status: SaleStatus = SaleStatus.OPEN,
        lines: Iterable[SaleLine] = (),
        guest: GuestSnapshot | None = None,
        payments: Iterable[Payment] = (),
        receipt_no: str | None = None,
        ended_at: datetime | None = None,
        next_line_no: int | None = None,
        order_discount: OrderDiscount | None = None,
    ) -> None:
        self.id = id
        self.terminal_id = terminal_id
        self.opened_at = opened_at
        self.status = status
        self.guest = guest
        self.payments: list[Payment] = list(payments)
        self.receipt_no = receipt_no
        self.ended_at = ended_at
        self.order_discount = order_discount
        self._lines = price_lines(list(lines), self._group, self._order_percent)
        self._totals = totals_of(self._lines)
        last = max((line.line_no for line in self._lines), default=0)
        self._next_line_no = max(next_line_no or 1, last + 1)

    @classmethod
    def open(cls, sale_id: str, terminal_id: str, now: datetime) -> Sale:
        return cls(id=sale_id, terminal_id=terminal_id, opened_at=now)

    def copy(self) -> Sale:
        """An independent copy (lines, guest and payments are immutable values, so a shallow
        copy of the lists is enough): a store hands one out so a refused edit leaves the
        original as it was."""
        twin = Sale.__new__(Sale)
        twin.__dict__.update(self.__dict__)
        twin.payments = list(self.payments)
        twin._lines = list(self._lines)
        return twin

    # --- reading -------------------------------------------------------------------------
    @property
    def lines(self) -> tuple[SaleLine, ...]:
        return tuple(self._lines)

    @property
    def next_line_no(self) -> int:
        return self._next_line_no

    @property
    def totals(self) -> Totals:
        return self._totals

    @property
    def total(self) -> int:
        return self.totals.total

    @property
    def paid(self) -> int:
        return sum(p.amount for p in self.payments)

    @property
    def due(self) -> int:
        return self.total - self.paid

    @property
    def change(self) -> int:
        return sum(p.change for p in self.payments)

    @property
    def _group(self) -> GroupSnapshot | None:
        return self.guest.group if self.guest else None

    @property
    def _order_percent(self) -> Percent | None:
        return self.order_discount.percent if self.order_discount else None

    # --- basket --------------------------------------------------------------------------
    def add_line(self, product: Product, quantity: int = 1) -> SaleLine:
        """Add ``quantity`` of a product; the same product at the same price adds up on one line."""
        self._require_editable()
        require_quantity(quantity)
        for i, line in enumerate(self._lines):
            if line.product.id == product.id and line.unit_price == product.price:
                self._lines[i] = replace(line, quantity=require_quantity(line.quantity + quantity))
                self._reprice()
                return self._line(line.line_no)
        line = SaleLine(self._next_line_no, product, quantity, product.price)
        self._next_line_no += 1
        self._lines.append(line)
        self._reprice()
        return self._line(line.line_no)

    def set_quantity(self, line_no: int, quantity: int) -> SaleLine:
        self._require_editable()
        line = self._line(line_no)
        self._lines[self._lines.index(line)] = replace(line, quantity=require_quantity(quantity))
        self._reprice()
        return self._line(line_no)

    def set_unit_price(self, line_no: int, unit_price: int) -> SaleLine:
        """A price override on one line (the caller checks who may do it)."""
        self._require_editable()
        line = self._line(line_no)
        price = require_amount(unit_price, "unit price")
        self._lines[self._lines.index(line)] = replace(line, unit_price=price)
        self._reprice()
        return self._line(line_no)

    def remove_line(self, line_no: int) -> SaleLine:
        self._require_editable()
        line = self._line(line_no)
        self._lines.remove(line)
        self._reprice()
        return line

    def attach_guest(self, guest: GuestSnapshot) -> None:
        """Identify the guest; their group's discount applies to the lines at once."""
        self._require_editable()
        self.guest = guest
        self._reprice()

    def set_order_discount(self, discount: OrderDiscount | None) -> None:
        """Apply (or with ``None`` remove) a discount on the whole order, before payment."""
        self._require_editable()
        self.order_discount = discount
        self._reprice()

    # --- payment and the end of the sale -------------------------------------------------
    def pay_cash(self, tendered: int, now: datetime) -> Payment:
        """Take cash: up to the amount due is kept, the rest is change."""
        self._require_open()
        require_amount(tendered, "amount tendered", allow_zero=False)
        due = self._require_due()
        amount = min(tendered, due)
        payment = Payment(PaymentMethod.CASH, amount, now, tendered, tendered - amount)
        self.payments.append(payment)
        return payment

    def pay(
        self, method: PaymentMethod, amount: int, now: datetime, *, hold_id: str | None = None
    ) -> Payment:
        """A non-cash payment: never more than is due (a card is not handed change)."""
        if method is PaymentMethod.CASH:
            return self.pay_cash(amount, now)
        self._require_open()
        require_amount(amount, "payment", allow_zero=False)
        due = self._require_due()
        if amount > due:
            raise Overpayment(
                f"Only {format_money(due)} is due; {format_money(amount)} is too much.",
                due=due,
                amount=amount,
            )
        payment = Payment(method, amount, now, amount, hold_id=hold_id)
        self.payments.append(payment)
        return payment

    def close(self, receipt_no: str, now: datetime) -> None:
        self._require_open()
        if not self._lines:
            raise EmptySale("The sale has no lines.")
        if self.due != 0:
            raise NotPaidInFull(
                f"{format_money(self.due)} is still due.", due=self.due, total=self.total
            )
        self.status = SaleStatus.CLOSED
        self.receipt_no = receipt_no
        self.ended_at = now

    def cancel(self, now: datetime) -> int:
        """Cancel the open sale; returns the money taken so far, which goes back to the guest."""
        self._require_open()
        self.status = SaleStatus.CANCELLED
        self.ended_at = now
        return self.paid

    # --- helpers -------------------------------------------------------------------------
    def _reprice(self) -> None:
        self._lines = price_lines(self._lines, self._group, self._order_percent)
        self._totals = totals_of(self._lines)

    def _line(self, line_no: int) -> SaleLine:
        for line in self._lines:
            if line.line_no == line_no:
                return line
        raise LineNotFound(f"The sale has no line {line_no}.", line_no=line_no)

    def _require_open(self) -> None:
        if self.status is not SaleStatus.OPEN:
            raise SaleNotOpen(f"The sale is {self.status.value}.", status=self.status.value)

    def _require_editable(self) -> None:
        self._require_open()
        if self.payments:
            raise PaymentStarted(
                "A payment was already taken; the lines and the guest can no longer change.",
                paid=self.paid,
            )

    def _require_due(self) -> int:
        due = self.due
        if due <= 0:
            raise NothingDue("Nothing is due on this sale.", total=self.total)
        return due

