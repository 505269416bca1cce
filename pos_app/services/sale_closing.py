"""Where a sale ends: ``close_sale`` for a paid sale, ``cancel_sale`` for a cancelled one.

Every way a sale closes goes through ``close_sale``, inside the caller's durable unit of work:
each ``PaymentService`` payment (cash, card, balance) and each ``PointsService`` points
payment that settles the sale (through ``PaymentService.record``), and
``SaleService.close_sale`` for a sale settled otherwise. The steps are fixed, in this order:

1. ``Sale.close``: the next receipt number and the close time;
2. end the sale's points holds (``points_holds.end_holds``): ``hold.committed`` for what its
   points payments spent, ``hold.released`` for the rest - before ``sale.closed``, the
   server's contract; a points payment taken from a guest order's own hold names that hold
   again first and is committed by the server with ``sale.closed``
   (``order_checkout.order_hold_payment``, ``order_hold_payment.py``);
3. the offline mark (``sync_queue.offline_mark``): ``"offline": true`` while the server is out
   of reach, so the server records a rule it could not check as a breach, not a refusal;
4. the loyalty override by hand (``order_loyalty.order_override_mark``) with its approver, and
   the guest order the sale pays (``order_checkout.order_sale_mark``, issue 20);
5. ``sale.closed`` (``operations.sale_closed`` with the fields of 3 and 4, each line's list
   price, the order discount and the till's feed position, ``catalogue_version``: what the
   server recomputes the sale with, ``pos_server/ops/sale_review.py``);
6. the promo code's redemption (``promo.redeem_on_close``): ``promo.redeemed`` and the buyer's
   own new code (``promo.issued``, ``identifier.bound``);
7. the sale saved, and the accrual estimate returned (``loyalty_settings.sale_accrual``; the
   server posts the real accrual).

``cancel_sale`` (``SaleService.cancel_sale``, and through it ``PaymentService.void_sale``)
shares steps 2-4 (``_end``: holds released, offline mark, the override forgotten) before
``sale.cancelled``. The caller commits. What varies is passed in (the clock, the generator of
promo code digits); there is no other list of steps to run.
"""

from __future__ import annotations

from typing import Any

from pos_app.domain.sale import Sale
from pos_app.services import operations as ops
from pos_app.services.feed import CURSOR_KEY
from pos_app.services.loyalty_settings import sale_accrual
from pos_app.services.order_checkout import order_hold_payment, order_sale_mark
from pos_app.services.order_loyalty import order_override_mark
from pos_app.services.points_holds import end_holds
from pos_app.services.ports import Clock, UnitOfWork
from pos_app.services.promo import Digits, redeem_on_close
from pos_app.services.sync_queue import offline_mark


def close_sale(uow: UnitOfWork, sale: Sale, clock: Clock, digits: Digits) -> int:
    """Close the settled ``sale`` in ``uow`` (steps 1-7 above); returns the accrual estimate
    in kopecks of points. ``digits`` makes the buyer's new promo code."""
    sale.close(uow.terminal.next_receipt_no(), clock.now())
    marks = _end(uow, sale)
    uow.outbox.append(ops.sale_closed(sale, marks))
    redeem_on_close(uow, sale, digits)
    uow.sales.save(sale)
    return sale_accrual(uow, sale)


def cancel_sale(uow: UnitOfWork, sale: Sale, clock: Clock) -> int:
    """Cancel the open ``sale`` in ``uow``; returns the money taken before, to hand back."""
    refund = sale.cancel(clock.now())
    marks = _end(uow, sale)
    uow.sales.save(sale)
    uow.outbox.append(ops.sale_cancelled(sale, refund, marks))
    return refund


def _end(uow: UnitOfWork, sale: Sale) -> dict[str, Any]:
    """What every end of a sale does before its operation; returns fields for that operation:
    the marks, and the change-feed position the till priced with (``catalogue_version``: the
    server recomputes the sale with the catalogue it had then)."""
    order_hold_payment(uow, sale)  # a guest order's own hold names its payment again
    end_holds(uow, sale)
    version = int(uow.settings.get(CURSOR_KEY, 0) or 0)
    return {**offline_mark(uow), **order_override_mark(uow, sale),
            **order_sale_mark(uow, sale),  # the guest order it pays (order_checkout.py)
            "catalogue_version": version or None}  # fmt: skip
