"""The points a closed sale's receipt prints: spent, earned, and the guest's balance after.

Spent is the sale's points payments; earned is the till's accrual estimate
(``loyalty_settings.sale_accrual``; the server posts the real accrual when ``sale.closed``
arrives); the balance after is the guest's cached available points, less what this till's
holds took that the snapshot does not show yet (this sale's among them), plus what the sale
earns. A sale without a guest prints no points.
"""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.domain.sale import PaymentMethod
from pos_app.services.loyalty_settings import sale_accrual
from pos_app.services.points_holds import cached_points
from pos_app.services.ports import UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class ReceiptPoints:
    spent: int  # hundredths of a point, like kopecks (1 point = 1 rouble)
    earned: int
    balance_after: int


def receipt_points(uow: UnitOfWork, sale_id: str) -> ReceiptPoints | None:
    sale = uow.sales.get(sale_id)
    if sale is None or sale.guest is None:
        return None
    guest_id = sale.guest.guest_id
    spent = sum(p.amount for p in sale.payments if p.method is PaymentMethod.POINTS)
    earned = sale_accrual(uow, sale)
    unreflected = sum(h.spends for h in uow.sync.unreflected_holds(guest_id))
    after_spending = max(cached_points(uow, guest_id) - unreflected, 0)
    return ReceiptPoints(spent, earned, after_spending + earned)


def read_receipt_points(uow_factory: UnitOfWorkFactory, sale_id: str) -> ReceiptPoints | None:
    """The same in a read-only unit of work of its own."""
    with uow_factory(durable=False) as uow:
        return receipt_points(uow, sale_id)
