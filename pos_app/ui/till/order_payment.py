"""A guest order paid at the till (issue 20 point 2), from the orders tab of a till + console.

The console's *Pay* (confirmed with the order's number, guest and amount) hands the order here
instead of recording ``order.paid``: on the op worker ``OrderCheckout.start`` opens a till sale
of the order's lines for its guest (``services/order_checkout.py``) and the till adopts it as
its open sale; on the GUI thread the sale screen is shown and the till's own payment dialog
opens (cash with change, card through the card terminal, the balance, points, a mix). Paying
closes it like any sale - receipt with the order's number, the open shift and its X/Z - and
``sale.closed`` names the order, so the server marks it paid by that sale. An order holding
the guest's points (seed 001 "P add to order") has its lines in points paid by that hold first
(``services/order_hold_payment.py``), and the dialog asks for the rest.

A sale already being rung up is never replaced: the cashier finishes or cancels it first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication

from pos_app.domain.errors import DomainError
from pos_app.services.dto import SaleView


class TillSide(Protocol):
    """What this needs of the till window (``ui/main_window.py``)."""

    controller: Any
    orders_tabs: Any
    payment: Any  # the payment flow (``ui/till/payment_flow.py``): ``pay()``

    def show_error(self, error: Exception) -> None: ...


class SaleInProgress(DomainError):
    code = "sale_in_progress"


def pay_order_at_till(window: TillSide, run: Callable[..., None],
                      start: Callable[[str], SaleView], order_id: str,
                      take_held: Callable[[str], Any] | None = None) -> None:  # fmt: skip
    """``run``: the till's op runner (work, on_success, on_error); ``start``: the checkout;
    ``take_held``: pays the sale's share of the order's own points hold
    (``OrderHoldPayment.take``: a PaymentResult, or None when the order holds no points)."""
    controller = window.controller
    current = controller.sale
    if current is not None and current.lines:
        window.show_error(SaleInProgress(QCoreApplication.translate(
            "OrderPayment", "Finish or cancel the sale on the screen first, then pay the "
            "order.")))  # fmt: skip
        return

    def work() -> tuple[SaleView, Any]:
        sale = controller.adopt(start(order_id))
        held = take_held(sale.sale_id) if take_held is not None else None
        if held is not None:
            controller.adopt(held.sale)
        return sale, held

    def opened(result: tuple[SaleView, Any]) -> None:
        sale, held = result
        if window.orders_tabs is not None:
            window.orders_tabs.setCurrentIndex(0)
        if held is not None:  # as any payment: the rest asked for at once, or closed
            controller.show_payment(held)
            return
        controller.show_sale(sale)
        window.payment.pay()

    run(work, opened, window.show_error)
