"""The points a guest order already holds pay its till sale (issue 20 point 2, seed 001 "P add
to order").

An order placed with lines "in points" (or paid in points) holds those points on the server
from placement (``pos_server/orders/service.py``). When the order is paid at the till
(``order_checkout.py``) those lines are paid by that very hold: ``take`` records a points
payment naming the order's hold - no new hold, so the guest's points are not needed twice and
nothing is asked of the server - and the rest goes to the till's payment dialog (cash with
change, card, balance, or a mix). A hold that covers the whole sale closes it at once
(``sale_closing.close_sale``: receipt, shift, ``sale.closed``).

The till sends no ``hold.committed`` for it: the hold is the order's, not this till's
(``points_holds.end_holds`` ends only the till's own). ``sale.closed`` names it in its points
payment and the order (``order_checkout.order_hold_payment``, ``order_sale_mark``), and the
server commits it there, once (``pos_server/ops/order_sale.py``). Offline it is the same: the
payment is taken from a hold that already exists and the queued ``sale.closed`` commits it when
it arrives; the order's hold does not expire while the order is open. A cancelled (voided) sale
leaves the hold with the order.
"""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.domain.sale import PaymentMethod
from pos_app.services.dto import SaleView
from pos_app.services.loyalty_settings import sale_accrual
from pos_app.services.order_checkout import (
    HOLD_KEY,
    KEY_PREFIX,
    POINTS_KEY,
    TAKEN_KEY,
    order_of_sale,
)
from pos_app.services.payments import PaymentResult
from pos_app.services.ports import Clock, UnitOfWorkFactory
from pos_app.services.promo import Digits, random_digits
from pos_app.services.sale_closing import close_sale
from pos_app.services.sales import SaleNotFound


@dataclass
class OrderHoldPayment:
    """``take(sale_id)`` right after ``OrderCheckout.start``: the order's held points paid."""

    uow: UnitOfWorkFactory
    clock: Clock
    digits: Digits = random_digits

    def take(self, sale_id: str) -> PaymentResult | None:
        """Pay the sale's share of the order's hold; None when the order holds no points (or
        they were taken already). Closes the sale when that settles it."""
        with self.uow() as uow:
            found = order_of_sale(uow, sale_id)
            if found is None or not found.get(HOLD_KEY) or found.get(TAKEN_KEY) is not None:
                return None
            sale = uow.sales.get(sale_id)
            if sale is None:
                raise SaleNotFound(f"There is no sale {sale_id}.", sale_id=sale_id)
            amount = int(found[POINTS_KEY])
            position = len(sale.payments)
            sale.pay(PaymentMethod.POINTS, amount, self.clock.now(), hold_id=str(found[HOLD_KEY]))
            uow.settings.set(KEY_PREFIX + sale_id, {**found, TAKEN_KEY: position})
            closed = sale.due == 0
            if closed:
                accrual = close_sale(uow, sale, self.clock, self.digits)
            else:
                uow.sales.save(sale)
                accrual = sale_accrual(uow, sale)
            uow.commit()
            return PaymentResult(SaleView.of(sale), "points", amount, 0, closed, accrual)
