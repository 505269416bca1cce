"""Sale use cases at the till: open, add/remove lines, identify the guest, close, cancel.

Each method is one user action and one unit of work: it loads the sale, lets the domain change
it, saves it, appends its outbox operations (see ``operations.py`` for kinds and payloads) and
commits - all in one transaction, so a sale the screen shows as closed is on disk with its
``sale.closed`` operation. A ``DomainError`` leaves the unit of work uncommitted, so nothing of a
refused action is kept. Results are frozen views (``dto.py``).

Basket edits (open, lines, guest) write no operation and commit relaxed
(``durable=False``, see ``ports.UnitOfWorkFactory``): the server learns the whole sale once, at
close, with the guest's group and discount as they were at that moment, and that commit is
durable.

Payments are ``PaymentService``'s (and ``PointsService``'s): the payment that settles a sale
closes it. Closing and cancelling are ``sale_closing.py``'s fixed steps; ``close_sale`` here is
for a sale settled otherwise, and goes through the same function.
"""

from __future__ import annotations

from pos_app.domain.guests import Guest
from pos_app.domain.identifiers import InputMethod, normalise_identifier
from pos_app.domain.phones import normalise_phone
from pos_app.domain.pricing import GroupSnapshot
from pos_app.domain.sale import GuestSnapshot, Sale
from pos_app.services import sale_closing
from pos_app.services.dto import CancelResult, GroupView, GuestView, SaleView
from pos_app.services.ports import Clock, IdGenerator, UnitOfWork, UnitOfWorkFactory
from pos_app.services.promo import Digits, random_digits
from pos_app.services.sale_errors import (
    AmbiguousPhone,
    GuestNotFound,
    ProductNotFound,
    ProductOffSale,
    SaleNotFound,
)

__all__ = ["AmbiguousPhone", "GuestNotFound", "ProductNotFound", "ProductOffSale", "SaleNotFound",
           "SaleService"]  # fmt: skip


class SaleService:
    """The till's sale use cases; built once with a unit-of-work factory, a clock and ids
    (``promo_digits`` makes the buyer's new promo code when a sale with a code closes)."""

    def __init__(
        self, uow_factory: UnitOfWorkFactory, clock: Clock, ids: IdGenerator, *,
        promo_digits: Digits = random_digits,
    ) -> None:  # fmt: skip
        self._uow = uow_factory
        self._clock = clock
        self._ids = ids
        self._digits = promo_digits

    def open_sale(self) -> SaleView:
        with self._uow(durable=False) as uow:
            terminal = uow.terminal.info()
            sale = Sale.open(self._ids.new_id(), terminal.terminal_id, self._clock.now())
            uow.sales.add(sale)
            uow.commit()
            return SaleView.of(sale)

    def add_line(
        self,
        sale_id: str,
        *,
        product_id: str | None = None,
        barcode: str | None = None,
        quantity: int = 1,
    ) -> SaleView:
        """Add a product found by id or by a scanned barcode."""
        with self._uow(durable=False) as uow:
            sale = _load(uow, sale_id)
            if product_id is not None:
                product = uow.products.get(product_id)
            elif barcode is not None:
                product = uow.products.by_barcode(barcode.strip())
            else:
                raise ValueError("add_line needs a product_id or a barcode")
            if product is None:
                _refuse_off_sale(uow, product_id, barcode)
                what = f"barcode {barcode}" if product_id is None else f"product {product_id}"
                raise ProductNotFound(f"No product with {what}.", product_id=product_id,
                                      barcode=barcode)
            sale.add_line(product, quantity)
            uow.sales.save(sale)
            uow.commit()
            return SaleView.of(sale)

    def set_quantity(self, sale_id: str, line_no: int, quantity: int) -> SaleView:
        with self._uow(durable=False) as uow:
            sale = _load(uow, sale_id)
            sale.set_quantity(line_no, quantity)
            uow.sales.save(sale)
            uow.commit()
            return SaleView.of(sale)

    def remove_line(self, sale_id: str, line_no: int) -> SaleView:
        with self._uow(durable=False) as uow:
            sale = _load(uow, sale_id)
            sale.remove_line(line_no)
            uow.sales.save(sale)
            uow.commit()
            return SaleView.of(sale)

    def identify_guest(
        self,
        sale_id: str,
        *,
        identifier: str | None = None,
        method: InputMethod = InputMethod.MANUAL,
        phone: str | None = None,
    ) -> SaleView:
        """Attach the guest found by a card/QR ``identifier`` read by ``method``, or by ``phone``
        typed in any format; their group's discount applies to the sale at once and the group
        is recorded as it is now (and reported with the sale when it is closed or cancelled)."""
        with self._uow(durable=False) as uow:
            sale = _load(uow, sale_id)
            if identifier is not None:
                guest = uow.guests.by_identifier(normalise_identifier(method, identifier))
                via = method.value
                missing = "No guest has this card or code."
            elif phone is not None:
                number = normalise_phone(phone)
                guest = _guest_by_phone(uow, number)
                via = "phone"
                missing = f"No guest has the phone number {number}."
            else:
                raise ValueError("identify_guest needs an identifier or a phone")
            if guest is None:
                raise GuestNotFound(missing, method=via)
            group = uow.groups.get(guest.group_id) if guest.group_id else None
            snapshot = GroupSnapshot.of(group) if group else None
            sale.attach_guest(GuestSnapshot(guest.id, guest.name, snapshot, via))
            uow.sales.save(sale)
            view = SaleView.of(sale, _guest_view(uow, guest, snapshot))
            uow.commit()
            return view

    def close_sale(self, sale_id: str) -> SaleView:
        """Close a sale settled otherwise than by a payment of ``PaymentService`` (which closes
        the sale it settles itself): ``sale_closing.close_sale``'s steps, one durable commit."""
        with self._uow() as uow:
            sale = _load(uow, sale_id)
            sale_closing.close_sale(uow, sale, self._clock, self._digits)
            uow.commit()
            return SaleView.of(sale)

    def cancel_sale(self, sale_id: str) -> CancelResult:
        """Cancel an open sale (``sale_closing.cancel_sale``); the refund is the cash taken."""
        with self._uow() as uow:
            sale = _load(uow, sale_id)
            refund = sale_closing.cancel_sale(uow, sale, self._clock)
            uow.commit()
            return CancelResult(refund, SaleView.of(sale))

    def get_sale(self, sale_id: str) -> SaleView:
        with self._uow() as uow:
            return SaleView.of(_load(uow, sale_id))


def _refuse_off_sale(uow: UnitOfWork, product_id: str | None, barcode: str | None) -> None:
    """A product of an inactive group is off sale like a withdrawn one, but the cashier is
    told which group to ask about rather than that the code is unknown."""
    found = uow.products.off_sale_group(
        product_id=product_id, barcode=None if barcode is None else barcode.strip()
    )
    if found is not None:
        raise ProductOffSale(f"{found[0]} is off sale: its group {found[1]} is inactive.",
                             product=found[0], group=found[1], product_id=product_id,
                             barcode=barcode)  # fmt: skip


def _load(uow: UnitOfWork, sale_id: str) -> Sale:
    sale = uow.sales.get(sale_id)
    if sale is None:
        raise SaleNotFound(f"There is no sale {sale_id}.", sale_id=sale_id)
    return sale


def _guest_by_phone(uow: UnitOfWork, number: str) -> Guest | None:
    guests = uow.guests.by_phone(number)
    if len(guests) > 1:
        raise AmbiguousPhone(
            "Several guests share this phone number; identify the guest by card instead.",
            count=len(guests),
        )
    return guests[0] if guests else None


def _guest_view(uow: UnitOfWork, guest: Guest, group: GroupSnapshot | None) -> GuestView:
    accounts = uow.accounts.for_guest(guest.id)
    bonus = [a.available for a in accounts if a.kind == "bonus"]
    balance = [a.total for a in accounts if a.kind == "balance"]
    return GuestView(
        guest.id,
        guest.name,
        GroupView(group.group_id, group.name, group.discount.bp) if group else None,
        tuple(guest.phones),
        sum(bonus) if bonus else None,
        sum(balance) if balance else None,
    )
