"""Bonus settings on one order: the accrual % and max redemption % set by hand.

API::

    bonus = BonusOverrideService(uow_factory)
    bonus.set(sale_id, LoyaltyOverride(Percent.of(10), None), session, approval=None)
    bonus.set(sale_id, NO_OVERRIDE, session)      # back to the guest's / group's / program's
    bonus.current(sale_id)                        # -> BonusSettingsView

Needs the ``bonus_settings`` permission (manager, admin) or a manager's
``StaffService.authorize_manager(pin, Action.BONUS_SETTINGS)``, like the other overrides
(``overrides.approver``). Only before the first payment: the points cap the guest was told
must not move under a payment. Stored and sent to the server by ``order_loyalty``.
"""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.domain.loyalty import LoyaltyOverride
from pos_app.domain.sale import PaymentStarted, Sale, SaleNotOpen, SaleStatus
from pos_app.services.loyalty_settings import loyalty_for
from pos_app.services.order_loyalty import OrderLoyalty, store_override, stored_override
from pos_app.services.overrides import approver
from pos_app.services.ports import UnitOfWork, UnitOfWorkFactory
from pos_app.services.sales import SaleNotFound
from pos_app.services.staff import Action, Authorization, StaffSession


@dataclass(frozen=True, slots=True)
class BonusSettingsView:
    """The percentages in force for the sale (bp) and whether they were set by hand."""

    sale_id: str
    accrual_bp: int
    max_redemption_bp: int
    overridden: bool
    approved_by: str | None


class BonusOverrideService:
    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self._uow = uow_factory

    def set(
        self, sale_id: str, override: LoyaltyOverride, session: StaffSession,
        approval: Authorization | None = None,
    ) -> BonusSettingsView:  # fmt: skip
        by = approver(session, Action.BONUS_SETTINGS, approval)
        with self._uow(durable=False) as uow:
            sale = _load(uow, sale_id)
            if sale.status is not SaleStatus.OPEN:
                raise SaleNotOpen(f"The sale is {sale.status.value}.", status=sale.status.value)
            if sale.payments:
                raise PaymentStarted("A payment was already taken; the bonus settings of this "
                                     "order can no longer change.", paid=sale.paid)  # fmt: skip
            store_override(uow, sale_id, OrderLoyalty(override, by))
            uow.commit()
            return _view(uow, sale)

    def current(self, sale_id: str) -> BonusSettingsView:
        with self._uow(durable=False) as uow:
            return _view(uow, _load(uow, sale_id))


def _view(uow: UnitOfWork, sale: Sale) -> BonusSettingsView:
    guest_id = sale.guest.guest_id if sale.guest else None
    settings = loyalty_for(uow, guest_id, sale.id)
    found = stored_override(uow, sale.id)
    return BonusSettingsView(sale.id, settings.accrual.bp, settings.max_redemption.bp,
                             found is not None, found.approved_by if found else None)  # fmt: skip


def _load(uow: UnitOfWork, sale_id: str) -> Sale:
    sale = uow.sales.get(sale_id)
    if sale is None:
        raise SaleNotFound(f"There is no sale {sale_id}.", sale_id=sale_id)
    return sale
