"""Paying a guest order as a till sale (issue 20 point 2): the order's lines become a sale of
this till for the order's guest, paid through the till's own payment path
(``services/payments.py``: cash with change, card through the card terminal port, the balance,
points through holds, or a mix) and closed by ``sale_closing.close_sale`` - so it has a
receipt, belongs to the open shift and its X/Z report, and the server accrues its points once.

The link to the order is a small value in the till's settings, ``guest_order.sale:<sale id>``
(as ``order_loyalty.py`` keeps a sale's bonus override), so the sale aggregate and its table
stay as they are. ``order_sale_mark`` (a step of every sale's end, ``sale_closing._end``) puts
``order_id`` into ``sale.closed``, where the server marks the order paid by the sale
(``pos_server/ops/order_sale.py``); a cancelled sale forgets the link and the order stays
unpaid. An order holding the guest's points (seed 001 "P add to order") keeps that hold in the
link too (``hold_id``, ``points``): ``order_hold_payment.py`` pays its lines in points with it,
and ``order_hold_payment`` here names it on that payment again when the sale ends.

The sale is priced by the till (the same ``pos_app.domain.pricing`` as the server's placement,
with the guest's group as this till knows it). If that does not come to the order's total -
the catalogue or the group changed since the guest ordered - nothing is opened and the cashier
is told both amounts: the guest was shown the order's price.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from pos_app.domain.errors import DomainError
from pos_app.domain.orders import OrderAction, OrderState, PaymentMethod
from pos_app.domain.pricing import GroupSnapshot
from pos_app.domain.sale import GuestSnapshot, Sale, SaleStatus
from pos_app.domain.sale import PaymentMethod as SalePayment
from pos_app.services.dto import SaleView
from pos_app.services.orders import OrderCache, OrderView
from pos_app.services.ports import Clock, IdGenerator, UnitOfWork, UnitOfWorkFactory

KEY_PREFIX = "guest_order.sale:"
PAYLOAD_KEY = "order_id"
HOLD_KEY = "hold_id"  # the order's own points hold (seed 001 "P add to order")
POINTS_KEY = "points"  # what of the sale that hold pays
TAKEN_KEY = "taken_at"  # the position of the points payment taken from it, once taken


class OrderNotPayableHere(DomainError):
    """The order cannot be paid at this till now (not accepted, unknown, or its products or
    guest not in this till's store)."""

    code = "order_not_payable_here"


class OrderPriceDiffers(DomainError):
    code = "order_price_differs"


@dataclass
class OrderCheckout:
    """``start(order_id)`` -> an open sale of the order, ready for the payment dialog."""

    uow: UnitOfWorkFactory
    orders: OrderCache
    clock: Clock
    ids: IdGenerator

    def start(self, order_id: str) -> SaleView:
        order = self.orders.get(order_id)
        if order is None:
            raise OrderNotPayableHere(f"Order {order_id} is not known on this till.",
                                      order_id=order_id)  # fmt: skip
        if OrderAction.PAY not in order.allowed or order.state is not OrderState.ACCEPTED:
            raise OrderNotPayableHere(
                f"Order {order.label} is {order.state.value}: only an accepted order is paid.",
                order_id=order_id, state=order.state.value)  # fmt: skip
        with self.uow() as uow:
            sale = Sale.open(self.ids.new_id(), uow.terminal.info().terminal_id, self.clock.now())
            _attach_guest(uow, sale, order.guest_id, order.label)
            for line in order.lines:
                product = uow.products.get(line.product_id)
                if product is None:
                    raise OrderNotPayableHere(
                        f"{line.name} of order {order.label} is not in this till's catalogue.",
                        order_id=order_id, product_id=line.product_id)  # fmt: skip
                sale.add_line(product, line.quantity)
            if sale.totals.total != order.total:
                raise OrderPriceDiffers(
                    f"Order {order.label} was priced {order.total} kopecks for the guest; this "
                    f"till prices it {sale.totals.total}. Check the catalogue and the guest's "
                    "group.", order_id=order_id, order_total=order.total,
                    till_total=sale.totals.total)  # fmt: skip
            uow.sales.add(sale)
            uow.settings.set(KEY_PREFIX + sale.id, {"order_id": order.order_id,
                                                    "number": order.number,
                                                    **_held(order, sale.total)})  # fmt: skip
            uow.commit()
            return SaleView.of(sale)


def _held(order: OrderView, total: int) -> dict[str, Any]:
    """The order's points hold and what of the sale it pays: the lines the guest chose in
    points (the whole order when it is paid in points), at most the hold and the sale."""
    if not order.points_hold_id or order.points_hold_amount <= 0:
        return {}
    in_points = sum(line.amount for line in order.lines if line.in_points)
    due = order.total if order.method is PaymentMethod.POINTS else in_points
    points = min(due, order.points_hold_amount, total)
    return {HOLD_KEY: order.points_hold_id, POINTS_KEY: points} if points > 0 else {}


def _attach_guest(uow: UnitOfWork, sale: Sale, guest_id: str, label: str) -> None:
    guest = uow.guests.get(guest_id)
    if guest is None:
        raise OrderNotPayableHere(f"The guest of order {label} is not in this till's store.",
                                  guest_id=guest_id)  # fmt: skip
    group = uow.groups.get(guest.group_id) if guest.group_id else None
    snapshot = GroupSnapshot.of(group) if group else None
    sale.attach_guest(GuestSnapshot(guest.id, guest.name, snapshot, "manual"))


def order_of_sale(uow: UnitOfWork, sale_id: str) -> dict[str, Any] | None:
    """The order a sale pays ({"order_id", "number"}), if any: the receipt prints the number."""
    value = uow.settings.get(KEY_PREFIX + sale_id)
    return dict(value) if value else None


def order_hold_points(uow: UnitOfWork, sale_id: str) -> int:
    """The points of the sale paid from its guest order's own hold (0 if none were)."""
    found = order_of_sale(uow, sale_id)
    if found is None or found.get(TAKEN_KEY) is None:
        return 0
    return int(found[POINTS_KEY])


def order_hold_payment(uow: UnitOfWork, sale: Sale) -> None:
    """A step of every sale's end, before its holds end (``sale_closing._end``): the points
    payment taken from the order's own hold names that hold again (the sale's store does not
    keep a payment's hold id), so ``sale.closed`` claims it and ``end_holds`` - which ends the
    till's own holds only - does not give it one of those."""
    found = order_of_sale(uow, sale.id)
    if found is None or found.get(TAKEN_KEY) is None or sale.status is not SaleStatus.CLOSED:
        return
    index = int(found[TAKEN_KEY])
    if index < len(sale.payments) and sale.payments[index].method is SalePayment.POINTS:
        sale.payments[index] = replace(sale.payments[index], hold_id=str(found[HOLD_KEY]))


def order_sale_mark(uow: UnitOfWork, sale: Sale) -> dict[str, Any]:
    """A step of every sale's end (``sale_closing.py``): a closed sale names its order in
    ``sale.closed``; a cancelled one forgets it (the order stays unpaid)."""
    found = order_of_sale(uow, sale.id)
    if found is None:
        return {}
    if sale.status is SaleStatus.CANCELLED:
        uow.settings.delete(KEY_PREFIX + sale.id)
        return {}
    return {PAYLOAD_KEY: found["order_id"]}
